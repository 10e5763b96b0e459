/* A method's request and reply bodies, for the handlers in the method tables: nanopb decoding
 * and encoding with the status and error text the channel sends back.
 * Return convention: a bugle_dp_Status, STATUS_OK or the failure's (INVALID_ARGUMENT for a
 * request that does not decode, RESOURCE_EXHAUSTED for a reply that does not fit).
 */
#ifndef BUGLE_DP_CTL_BODY_H
#define BUGLE_DP_CTL_BODY_H

#include <stddef.h>
#include <stdint.h>

#include <pb.h>

int dpctl_decode_body(const uint8_t *req, size_t len, const pb_msgdesc_t *desc, void *msg,
		      char *err, size_t err_cap);
/* *len: the encoded length, set on success. */
int dpctl_encode_body(const pb_msgdesc_t *desc, const void *msg, uint8_t *resp, size_t cap,
		      size_t *len, char *err, size_t err_cap);

#endif
