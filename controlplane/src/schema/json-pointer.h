/* Internal to the validator: RFC 6901 JSON pointers as they appear in "$ref" fragments
 * ("#/definitions/a~1b", percent-encoded as URI fragments are).
 *
 * Return convention: the node the pointer names, or NULL.
 */
#ifndef BUGLE_JSCHEMA_JSON_POINTER_H
#define BUGLE_JSCHEMA_JSON_POINTER_H

#include <jansson.h>

/* pointer is the fragment without '#': "" names doc itself, "/a/0" a member then an element. */
const json_t *jschema_pointer_get(const json_t *doc, const char *pointer);

#endif
