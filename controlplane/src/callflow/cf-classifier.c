/* Number classification by the North American plan and international prefixes. */
#include "cf-classifier.h"

#include <ctype.h>
#include <string.h>

static bool digits_only(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool area_in(const char *npa, const char *const *list)
{
	for (; *list; list++)
		if (strncmp(npa, *list, 3) == 0)
			return true;
	return false;
}

const char *cf_classify(const char *n)
{
	static const char *const tollfree[] = {"800", "833", "844", "855", "866", "877", "888",
					       NULL};
	static const char *const caribbean[] = {"242", "246", "264", "268", "284", "340", "345",
						"441", "473", "649", "664", "670", "671", "684",
						"721", "758", "767", "784", "787", "809", "829",
						"849", "868", "869", "876", "939", NULL};
	size_t len = strlen(n);

	if (strcmp(n, "911") == 0 || strcmp(n, "933") == 0 || strcmp(n, "112") == 0)
		return "emergency";
	if (!digits_only(n))
		return "unknown";
	if (strncmp(n, "011", 3) == 0 || strncmp(n, "00", 2) == 0)
		return "international";
	if (len == 11 && n[0] == '1') {
		if (area_in(n + 1, tollfree))
			return "tollfree_us";
		if (strncmp(n + 1, "900", 3) == 0)
			return "toll_us";
		if (area_in(n + 1, caribbean))
			return "caribbean";
		if (n[1] >= '2' && n[4] >= '2')
			return "did_us";
		return "unknown";
	}
	/* normalisation stripped the "+": a long number outside +1 is international */
	if (len >= 8 && n[0] >= '2')
		return "international";
	return "unknown";
}

bool cf_restricted(const char *classifier, const json_t *device, const json_t *user,
		   const json_t *account)
{
	const json_t *docs[3] = {device, user, account};

	for (int i = 0; i < 3; i++) {
		const char *action = json_string_value(json_object_get(
			json_object_get(json_object_get(docs[i], "call_restriction"), classifier),
			"action"));

		if (!action || strcmp(action, "inherit") == 0)
			continue;
		return strcmp(action, "deny") == 0;
	}
	return false;
}
