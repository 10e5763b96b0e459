/* The words of one `session batch` line (buglectl.h). */
#include <ctype.h>

#include "buglectl.h"

int ctl_batch_split(char *line, char **words, int cap)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			return n;
		if (n == 0 && *p == '#')
			return 0;	/* a comment line */
		if (n == cap)
			return -1;
		words[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}
