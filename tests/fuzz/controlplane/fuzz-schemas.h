/* The schemas of schemas/ for the fuzz targets that validate against them: loaded once in
 * LLVMFuzzerInitialize (fuzz-schemas.c), read-only afterwards, as in the daemon. A target that
 * links fuzz-schemas.c defines no LLVMFuzzerInitialize of its own.
 * Return convention: fuzz_schemas() returns the registry (never NULL: a failed load aborts,
 * since a target without its schemas would test nothing). */
#ifndef BUGLE_FUZZ_SCHEMAS_H
#define BUGLE_FUZZ_SCHEMAS_H

#include "jschema.h"

const struct jschema_registry *fuzz_schemas(void);

#endif
