/* Loads the schemas once before the first input (see fuzz-schemas.h). */
#include "fuzz-schemas.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct jschema_registry *registry;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];

	(void)argc;
	(void)argv;
	registry = jschema_registry_load_dir(BUGLE_SCHEMA_DIR, err, sizeof(err));
	if (!registry) {
		fprintf(stderr, "loading schemas: %s\n", err);
		abort();
	}
	return 0;
}

const struct jschema_registry *fuzz_schemas(void)
{
	return registry;
}
