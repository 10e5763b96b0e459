/* The phone-number registry's API (KAZOO's /v2/accounts/{ID}/phone_numbers): numbers in E.164,
 * each held by one account at most; callflows claim theirs (see schemas/sql/0007_numbers.sql).
 * Return convention: api_number_e164 returns 0 or -EINVAL; handlers as in api-int.h.
 */
#ifndef API_NUMBERS_H
#define API_NUMBERS_H

#include <stddef.h>

struct api_req;

/* "+", up to 15 digits, NUL. */
#define API_NUMBER_MAX 17

/* A number as the registry keys it, into out: separators (space - . ( )) dropped; "+" and 7 to
 * 15 digits, the first not 0, kept; NANP spellings (10 digits starting 2-9, or "1" and those)
 * get "+1". Anything else (letters, extensions, short or long numbers) is -EINVAL. The same
 * rules as bugle_number_did() in the migration. */
int api_number_e164(const char *in, char out[API_NUMBER_MAX]);

/* 409 "number_exists": another account holds number (KAZOO's knm error body). */
void api_reply_number_taken(struct api_req *r, const char *number);

void api_h_numbers_list(struct api_req *r);
void api_h_number_get(struct api_req *r);
void api_h_number_assign(struct api_req *r);
void api_h_number_release(struct api_req *r);

#endif
