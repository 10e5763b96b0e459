/* Write-only fields: a webhook's signing secret is accepted on PUT/POST/PATCH and stored as
 * pvt_secret, so no GET ever returns it (pvt_ fields never leave the API). */
#include <string.h>

#include "api-int.h"

void api_doc_seal_secrets(const char *type, json_t *data)
{
	if (strcmp(type, "webhook") != 0)
		return;
	json_t *secret = json_object_get(data, "secret");
	if (!secret)
		return;
	json_object_set(data, "pvt_secret", secret);
	json_object_del(data, "secret");
}
