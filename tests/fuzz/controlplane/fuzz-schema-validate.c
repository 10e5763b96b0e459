/* libFuzzer target for the JSON Schema validator: hostile schemas and documents must give an
 * answer (valid, errors, or a bounded fault), never a crash, a leak or a runaway. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "fuzz-schemas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const json_t *schema, const json_t *doc)
{
	/* Tight limits keep each input fast; the bounds themselves are under test too. */
	struct jschema_limits limits = { .max_depth = 64, .max_steps = 200000, .max_errors = 50 };
	json_t *copy = json_deep_copy(doc), *errors = NULL;

	if (!copy)
		return;
	int rc = jschema_validate_with(fuzz_schemas(), schema, copy, JSCHEMA_FILL_DEFAULTS,
				       &limits, &errors);
	if (rc && errors) {
		json_t *body = jschema_error_envelope(errors);
		char *text = json_dumps(body, JSON_COMPACT);

		free(text);
		json_decref(body);
	}
	json_decref(errors);
	json_decref(copy);
}

static int check_against(const char *id, const json_t *schema, void *doc)
{
	(void)id;
	exercise(schema, doc);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	json_error_t jerr;

	if (size > 64 * 1024)
		return 0; /* the API caps bodies well below this */
	if (nul) {
		size_t n = (size_t)(nul - data);
		json_t *schema = json_loadb((const char *)data, n, JSON_DECODE_ANY, &jerr);
		json_t *doc = json_loadb((const char *)nul + 1, size - n - 1, JSON_DECODE_ANY, &jerr);

		if (schema && doc)
			exercise(schema, doc);
		json_decref(schema);
		json_decref(doc);
		return 0;
	}
	json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, &jerr);
	if (doc)
		jschema_registry_foreach(fuzz_schemas(), check_against, doc);
	json_decref(doc);
	return 0;
}
