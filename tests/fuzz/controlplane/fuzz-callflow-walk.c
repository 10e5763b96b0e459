/* Callflow engine fuzzing: the input is a callflow tree as JSON, or an array whose first
 * element is the tree and whose others are extra documents ("doc1", "doc2", ... typed by their
 * "pvt_type", else devices). The tree answers "1000", "no_match" and is reachable by jumps to
 * "fz"; the scripted call answers bridges with results taken from the input bytes. Every run
 * must end its flow exactly once (the harness aborts otherwise) and leak nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const fixed[][3] = {
	{"dev1", "device", "{\"name\": \"a\", \"owner_id\": \"user1\", \"caller_id\": "
			   "{\"internal\": {\"number\": \"1001\"}}}"},
	{"dev2", "device", "{\"name\": \"b\", \"call_forward\": {\"enabled\": true, "
			   "\"number\": \"2125550000\", \"substitute\": false}}"},
	{"dev3", "device", "{\"name\": \"c\", \"do_not_disturb\": {\"enabled\": true}}"},
	{"user1", "user", "{\"first_name\": \"u\", \"last_name\": \"u\"}"},
	{"grp1", "group", "{\"name\": \"g\", \"endpoints\": {\"dev1\": {\"type\": \"device\"}, "
			  "\"user1\": {\"type\": \"user\"}, \"grp1\": {\"type\": \"group\"}}}"},
	{"res1", "resource", "{\"name\": \"r\", \"rules\": [\"^\\\\+?1\"], \"gateways\": "
			     "[{\"server\": \"gw.example.net\"}]}"},
	{"res2", "resource", "{\"name\": \"r2\", \"gateways\": [{\"server\": \"gw2.example.net\"}]}"},
	{"rule1", "temporal_rule", "{\"name\": \"t\", \"cycle\": \"weekly\", \"wdays\": "
				   "[\"monday\"], \"time_window_start\": 32400}"},
	{"set1", "temporal_rule_set", "{\"name\": \"s\", \"temporal_rules\": [\"rule1\"]}"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cf_cause causes[] = {CF_ANSWERED, CF_BUSY,   CF_NO_ANSWER, CF_REJECTED,
					       CF_FAILED,   CF_HANGUP, CF_OK};
	static const char *const dialed[] = {"1000", "*7212345", "+14155551234", "2000"};
	struct harness h;
	json_t *in, *tree, *doc;
	size_t i;

	if (size < 2 || size > 65536)
		return 0;
	in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!in)
		return 0;
	h_init(&h);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		fake_docs_put(&h.d, ACC, fixed[i][0], fixed[i][1], fixed[i][2]);
	tree = json_is_array(in) ? json_array_get(in, 0) : in;
	json_array_foreach(json_is_array(in) ? in : NULL, i, doc) {
		char id[16];
		const char *type = json_string_value(json_object_get(doc, "pvt_type"));

		if (i == 0 || !json_is_object(doc) || i > 16)
			continue;
		snprintf(id, sizeof(id), "doc%zu", i);
		fake_docs_put_json(&h.d, ACC, id, type && *type ? type : "device",
				   json_deep_copy(doc));
	}
	for (i = 0; i < 2; i++) {
		json_t *cf = json_pack("{s:[s,s,s], s:[s], s:O?}", "numbers", "1000", "no_match",
				       "2000", "patterns", "^\\*72(\\d+)$", "flow", tree);

		if (cf)
			fake_docs_put_json(&h.d, ACC, i ? "fz" : "fz_main", "callflow", cf);
	}
	for (i = 0; i < size && i < FAKE_MAX_OPS; i++)
		fake_call_script(&h.c, causes[data[size - 1 - i] % 7], 400 + data[i] % 200);
	h.d.async = data[0] & 1;
	h.cfg.max_steps = 200;
	h.now = 1700000000 + (time_t)data[1] * 86400;
	h_run(&h, dialed[(data[0] >> 1) % 4], (data[0] & 8) ? "dev1" : NULL);
	h_release(&h);
	json_decref(in);
	return 0;
}
