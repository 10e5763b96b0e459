/* Internal to the validator: the "format" keyword's checks, loose on purpose (as KAZOO's are):
 * date-time (RFC 3339), date, time, email, uri, ipv4, ipv6 (via inet_pton), hostname. Unknown
 * formats pass, as the specification asks.
 *
 * Return convention: true when s (of length n) is in format, or the format is unknown.
 */
#ifndef BUGLE_JSCHEMA_FORMAT_CHECK_H
#define BUGLE_JSCHEMA_FORMAT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

bool jschema_format_ok(const char *format, const char *s, size_t n);

#endif
