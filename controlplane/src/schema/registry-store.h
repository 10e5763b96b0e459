/* Internal to the validator: what a registry holds. Written only while loading; read-only (and
 * so shared freely between threads) afterwards.
 */
#ifndef BUGLE_JSCHEMA_REGISTRY_STORE_H
#define BUGLE_JSCHEMA_REGISTRY_STORE_H

#include <jansson.h>

#include "regex-ecma.h"
#include "uri-scope.h"

struct jschema_registry {
	json_t *schemas;		  /* {"devices": {...schema...}, ...} */
	struct jschema_regex_cache regex; /* every pattern any schema uses, compiled once */
	struct jschema_uri_index ids;	  /* each schema under its id, plus its "$id"s */
};

#endif
