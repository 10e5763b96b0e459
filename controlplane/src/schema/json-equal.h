/* Internal to the validator: JSON equality as JSON Schema defines it (enum, const, uniqueItems):
 * numbers compare by value, so 1 and 1.0 are equal, unlike jansson's json_equal().
 *
 * Return convention: true when equal.
 */
#ifndef BUGLE_JSCHEMA_JSON_EQUAL_H
#define BUGLE_JSCHEMA_JSON_EQUAL_H

#include <jansson.h>
#include <stdbool.h>

bool jschema_json_equal(const json_t *a, const json_t *b);

#endif
