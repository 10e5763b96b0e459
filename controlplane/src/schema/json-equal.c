/* Value equality for enum, const and uniqueItems. */
#include "json-equal.h"

#include <string.h>

static bool numbers_equal(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	return json_number_value(a) == json_number_value(b);
}

static bool objects_equal(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *va;

	if (json_object_size(a) != json_object_size(b))
		return false;
	json_object_foreach((json_t *)a, key, va) {
		const json_t *vb = json_object_get(b, key);

		if (!vb || !jschema_json_equal(va, vb))
			return false;
	}
	return true;
}

static bool arrays_equal(const json_t *a, const json_t *b)
{
	size_t n = json_array_size(a);

	if (n != json_array_size(b))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!jschema_json_equal(json_array_get(a, i), json_array_get(b, i)))
			return false;
	return true;
}

bool jschema_json_equal(const json_t *a, const json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return numbers_equal(a, b);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		return objects_equal(a, b);
	case JSON_ARRAY:
		return arrays_equal(a, b);
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	default:
		return true; /* true, false, null: same type is same value */
	}
}
