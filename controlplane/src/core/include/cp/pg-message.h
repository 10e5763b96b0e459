/* libpq messages span lines ("...failed: ...\n\tIs the server running...?\n"); logs and the
 * status file want one line.
 * Return convention: nothing to return (the copy is always terminated and truncated to cap).
 */
#ifndef CP_PG_MESSAGE_H
#define CP_PG_MESSAGE_H

#include <stddef.h>

/* Copy msg into dst as one line: line breaks and the indentation after them become one space,
 * trailing blanks go; NULL or empty becomes "unknown error". */
void cp_pg_message_copy(char *dst, size_t cap, const char *msg);

#endif
