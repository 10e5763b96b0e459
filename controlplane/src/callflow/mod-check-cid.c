/* `check_cid`: branches "match" or "nomatch" on the caller id number against data.regex
 * (PCRE, default ^\+?\d*$). On a match, data.caller_id.external {name, number} (when given)
 * becomes the presented caller id. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"

void cf_mod_check_cid_run(struct cf_flow *f, const json_t *data)
{
	const char *rx = json_string_value(json_object_get(data, "regex"));
	const json_t *ext = json_object_get(json_object_get(data, "caller_id"), "external");
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re;
	pcre2_match_data *md;
	bool hit;

	re = pcre2_compile((PCRE2_SPTR)(rx ? rx : "^\\+?\\d*$"), PCRE2_ZERO_TERMINATED, 0,
			   &errcode, &erroff, NULL);
	if (!re) {
		cf_flow_stop(f, CF_END_ERROR, "check_cid: bad regex");
		return;
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	hit = md && pcre2_match(re, (PCRE2_SPTR)f->caller.number, strlen(f->caller.number), 0, 0,
				md, NULL) > 0;
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (hit && json_is_object(ext)) {
		struct cf_caller_id cid = f->caller;
		const char *name = json_string_value(json_object_get(ext, "name"));
		const char *num = json_string_value(json_object_get(ext, "number"));

		if (name)
			cf_copy(cid.name, sizeof(cid.name), name);
		if (num)
			cf_copy(cid.number, sizeof(cid.number), num);
		cf_flow_set_caller_id(f, &cid);
	}
	cf_flow_next(f, hit ? "match" : "nomatch");
}
