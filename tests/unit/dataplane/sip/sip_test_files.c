/* Loading test material from ${BUGLE_TESTDATA} (see sip_test_files.h). */
#include "sip_test_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int sip_test_read(const char *rel, char *buf, size_t cap, size_t *len)
{
	const char *dir = getenv("BUGLE_TESTDATA");
	char path[4096];
	FILE *f;
	size_t n;

	if (!dir)
		return -ENOENT;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	n = fread(buf, 1, cap, f);
	int extra = fgetc(f);
	int err = ferror(f);
	fclose(f);
	if (err)
		return -EIO;
	if (extra != EOF)
		return -E2BIG;
	*len = n;
	return 0;
}
