/* A SIP dialog as one side of the B2BUA sees it (RFC 3261 §12), and the requests built in it
 * or from it: the B-leg INVITE, the ACK for a 2xx, BYE.
 * Return convention: creators return a pointer or NULL; the rest 0 or a negative errno
 * (-EINVAL: the message lacks what a dialog needs, -ENOBUFS: a field is too long).
 */
#ifndef CALL_DIALOG_H
#define CALL_DIALOG_H

#include <osipparser2/osip_message.h>
#include <stdint.h>

#define CALL_DIALOG_ROUTES_MAX 8
#define CALL_URI_MAX 512

struct call_dialog {
	char call_id[256];
	char local_uri[CALL_URI_MAX];	/* From (ours) without the tag, as text */
	char local_tag[64];
	char remote_uri[CALL_URI_MAX];	/* the peer's From/To without the tag */
	char remote_tag[64];
	char remote_target[CALL_URI_MAX];	/* the peer's Contact URI */
	char routes[CALL_DIALOG_ROUTES_MAX][CALL_URI_MAX];	/* route set, in sending order */
	unsigned n_routes;
	uint32_t local_cseq;		/* last CSeq we sent in this dialog */
};

/* The dialog a received INVITE creates when we answer it with local_tag (A-leg, UAS side):
 * route set = Record-Route in order. */
int call_dialog_from_request(const osip_message_t *inv, const char *local_tag,
			     struct call_dialog *d);

/* The dialog a 2xx (or 18x with a tag) to our INVITE creates (B-leg, UAC side): route set =
 * the response's Record-Route reversed. */
int call_dialog_from_response(const osip_message_t *inv, const osip_message_t *resp,
			      struct call_dialog *d);

/* Options of the B-leg INVITE. */
struct call_b_invite {
	const char *target;		/* Request-URI: the registered contact */
	const char *call_id;		/* a fresh Call-ID for the B-leg */
	const char *from_tag;
	const char *contact;		/* our Contact URI ("sip:ip:port") */
	const char *caller_name;	/* caller id presented (may be NULL: A's From kept) */
	const char *caller_number;
	const char *sdp;		/* body (already rewritten to the data plane), or NULL */
};

/* A new INVITE toward a callee from the caller's INVITE: From (with caller id and our tag), To
 * and Max-Forwards - 1 from it, the rest fresh. NULL when a_inv lacks From/To or on no memory. */
osip_message_t *call_b_invite_new(const osip_message_t *a_inv, const struct call_b_invite *o);

/* The ACK for a 2xx to inv (RFC 3261 §13.2.2.4): in the dialog d, CSeq number of the INVITE. */
osip_message_t *call_ack_new(const struct call_dialog *d, const osip_message_t *inv);

/* A new request in the dialog (BYE, ...): CSeq is d->local_cseq + 1 (d is updated). The first
 * Route is left in the message; the stack sends everything to the outbound proxy anyway. */
osip_message_t *call_in_dialog_new(struct call_dialog *d, const char *method,
				   const char *contact);

#endif
