/* Session set-up and tear-down on the main lcore: offer, answer, update, delete, query, in the
 * rtpengine model. The offer allocates an RTP/RTCP pair for each leg; its reply carries the
 * port the answerer must send to (the one for the SDP sent toward the answerer), and the
 * answer's reply the port the offerer must send to. Every reply lists both legs.
 *
 * Return convention: a bugle_dp_Status (0 = OK) with a reason in err; reclaim returns nothing.
 */
#ifndef BUGLE_RELAY_SESSION_H
#define BUGLE_RELAY_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane.pb.h"
#include "relay-t.h"

int relay_session_offer(struct relay *r, const bugle_dp_SessionOfferRequest *req, uint64_t now_ns,
			bugle_dp_SessionReply *out, char *err, size_t err_cap);
int relay_session_answer(struct relay *r, const bugle_dp_SessionAnswerRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap);
int relay_session_update(struct relay *r, const bugle_dp_SessionUpdateRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap);
int relay_session_delete(struct relay *r, const bugle_dp_SessionDeleteRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap);
int relay_session_query(struct relay *r, const bugle_dp_SessionQueryRequest *req,
			bugle_dp_SessionReply *out, char *err, size_t err_cap);

/* After the grace period of a deleted session: its ports and slot become free. */
void relay_session_reclaim(struct relay *r, uint32_t index);

#endif
