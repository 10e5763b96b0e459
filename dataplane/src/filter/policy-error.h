/* Shared by the policy validator and the policy text parsers: format an error message.
 *
 * Return convention: flt_policy_fail always returns -EINVAL.
 */
#ifndef BUGLE_FLT_POLICY_ERROR_H
#define BUGLE_FLT_POLICY_ERROR_H

#include <stddef.h>

int flt_policy_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
