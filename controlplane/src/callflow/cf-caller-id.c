/* Caller id selection from the device -> user -> account chain (KAZOO's order). */
#include "cf-caller-id.h"

#include <errno.h>
#include <string.h>

#include "cf-flow.h"

int cf_doc_caller_id(const json_t *device, const json_t *user, const json_t *account,
		     const char *kind, struct cf_caller_id *out)
{
	const json_t *docs[3] = {device, user, account};
	bool found = false;

	memset(out, 0, sizeof(*out));
	/* name and number are taken independently: a device may set only its number */
	for (int i = 0; i < 3; i++) {
		const json_t *e = json_object_get(json_object_get(docs[i], "caller_id"), kind);
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *num = json_string_value(json_object_get(e, "number"));

		if (name && *name && !out->name[0]) {
			cf_copy(out->name, sizeof(out->name), name);
			found = true;
		}
		if (num && *num && !out->number[0]) {
			cf_copy(out->number, sizeof(out->number), num);
			found = true;
		}
	}
	return found ? 0 : -ENOENT;
}
