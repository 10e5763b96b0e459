/* Carrier gateways as bridge endpoints: INVITE sip:NUMBER@server:port, left to the data plane's
 * edge, which routes a request without Route by its Request-URI; the caller's SDP pointed at
 * the data plane as for a device; one retry with the gateway's credentials on 401/407
 * (RFC 3261 §22.2, RFC 7616). */
#include "call-gateway.h"

#include "bugle/log.h"
#include "call-int.h"
#include "call-limits.h"
#include "digest.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The leg ends before it was sent: the bridge's check_done takes it from there. */
static void leg_not_sent(struct call_bleg *b, int status)
{
	b->sent = false;
	b->done = true;
	b->status = status;
	call_unref(b->call);
}

static int gateway_uri(const struct cf_endpoint *ep, char *out, size_t cap)
{
	struct in_addr a;
	/* The edge routes by address: it resolves no names. */
	if (!ep->number[0] || inet_pton(AF_INET, ep->gw.server, &a) != 1)
		return -EINVAL;
	int n = snprintf(out, cap, "sip:%s@%s:%u", ep->number, ep->gw.server,
			 ep->gw.port ? ep->gw.port : 5060);
	return n > 0 && (size_t)n < cap ? 0 : -ENOBUFS;
}

/* To names the carrier's number, not what the caller dialed at our realm. */
static int set_to(osip_message_t *m, const char *uri)
{
	char to[CALL_URI_MAX + 2];
	if ((size_t)snprintf(to, sizeof(to), "<%s>", uri) >= sizeof(to))
		return -ENOBUFS;
	osip_to_free(m->to);
	m->to = NULL;
	return osip_message_set_to(m, to) == 0 ? 0 : -ENOMEM;
}

void call_gateway_ring(struct call_bleg *b, csip_provisional_fn provisional,
		       csip_response_fn final)
{
	struct call *call = b->call;
	struct call_ctl *ctl = call->ctl;
	if (call->caller_gone) {
		leg_not_sent(b, 487); /* refused or left while an earlier gateway rang */
		return;
	}
	if (!call->trunk_outbound && call_limits_admit(call, CALL_TRUNK_OUTBOUND) < 0) {
		call_limits_refuse(call);
		call->caller_gone = true; /* answered: the bridge and the flow stop here */
		leg_not_sent(b, 503);
		return;
	}
	char uri[CALL_URI_MAX], sdp[CALL_SDP_MAX];
	if (gateway_uri(&b->ep, uri, sizeof(uri)) < 0) {
		bgl_log_call(BGL_LOG_WARN, call->call_id, call->account_id,
			     "call %s: gateway %s of resource %s is not an IPv4 address",
			     call->call_id, b->ep.gw.server, b->ep.gw.resource_id);
		leg_not_sent(b, 502);
		return;
	}
	struct call_b_invite o = {
		.target = uri,
		.call_id = b->call_id,
		.from_tag = b->from_tag,
		.contact = ctl->contact,
		.caller_name = b->ep.cid_set ? b->ep.cid.name : call->cid.name,
		.caller_number = b->ep.cid_set ? b->ep.cid.number : call->cid.number,
		.sdp = sdp,
	};
	osip_message_t *inv = NULL;
	if (call_sdp_rewrite(call->a_sdp, strlen(call->a_sdp), call->toward_b_ip,
			     call->toward_b_port, sdp, sizeof(sdp)) == 0)
		inv = call_b_invite_new(call->a_inv, &o);
	if (inv && (set_to(inv, uri) < 0 || osip_message_clone(inv, &b->invite) != 0)) {
		osip_message_free(inv);
		inv = NULL;
	}
	b->sent = true;
	if (!inv || csip_stack_send_invite(ctl->stack, inv, NULL, provisional, final, b,
					   &b->tx) < 0) {
		leg_not_sent(b, 500);
		return;
	}
	ctl->c.blegs++;
	b->created_us = call_now_us();
	call_event(call, b, CALL_EV_CREATE);
}

/* A quoted challenge parameter without its quotes. */
static void unquote(const char *in, char *out, size_t cap)
{
	out[0] = '\0';
	if (!in)
		return;
	size_t n = strlen(in);
	if (n >= 2 && in[0] == '"' && in[n - 1] == '"') {
		in++;
		n -= 2;
	}
	if (n < cap)
		snprintf(out, cap, "%.*s", (int)n, in);
}

static bool offers_auth_qop(const char *qop_options)
{
	char q[64];
	unquote(qop_options, q, sizeof(q));
	for (char *save = NULL, *t = strtok_r(q, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		if (strcasecmp(t, "auth") == 0)
			return true;
	return false;
}

/* The Authorization (401) or Proxy-Authorization (407) value answering ch for uri. */
static int credentials_value(const struct cf_gateway *gw, const osip_www_authenticate_t *ch,
			     const char *uri, char *out, size_t cap)
{
	char realm[256], nonce[256], opaque[256], alg_name[32];
	enum csip_digest_alg alg;
	unquote(ch->realm, realm, sizeof(realm));
	unquote(ch->nonce, nonce, sizeof(nonce));
	unquote(ch->opaque, opaque, sizeof(opaque));
	unquote(ch->algorithm, alg_name, sizeof(alg_name));
	if (!ch->auth_type || strcasecmp(ch->auth_type, "Digest") != 0 || !nonce[0] ||
	    csip_digest_alg_parse(alg_name, &alg) < 0)
		return -ENOTSUP;
	char ha1[CSIP_DIGEST_HEX_MAX], response[CSIP_DIGEST_HEX_MAX], cnonce[17] = "";
	bool qop = offers_auth_qop(ch->qop_options);
	if (csip_digest_ha1(alg, gw->username, realm, gw->password, ha1) < 0)
		return -EINVAL;
	if (qop) {
		unsigned char r[8];
		if (RAND_bytes(r, sizeof(r)) != 1)
			return -EIO;
		for (size_t i = 0; i < sizeof(r); i++)
			snprintf(cnonce + 2 * i, 3, "%02x", r[i]);
		if (csip_digest_response(alg, ha1, nonce, "00000001", cnonce, "auth", "INVITE", uri,
					 response) < 0)
			return -EINVAL;
	} else {
		/* RFC 2069's H(HA1:nonce:H(method:uri)): three joined parts, as HA1's arithmetic. */
		const char *colon = strchr(uri, ':');
		char scheme[16], ha2[CSIP_DIGEST_HEX_MAX];
		if (!colon || (size_t)(colon - uri) >= sizeof(scheme))
			return -EINVAL;
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(colon - uri), uri);
		if (csip_digest_ha1(alg, "INVITE", scheme, colon + 1, ha2) < 0 ||
		    csip_digest_ha1(alg, ha1, nonce, ha2, response) < 0)
			return -EINVAL;
	}
	int n = snprintf(out, cap,
			 "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			 "response=\"%s\", algorithm=%s%s%s%s%s%s%s",
			 gw->username, realm, nonce, uri, response, csip_digest_alg_name(alg),
			 qop ? ", qop=auth, nc=00000001, cnonce=\"" : "", qop ? cnonce : "",
			 qop ? "\"" : "", opaque[0] ? ", opaque=\"" : "", opaque,
			 opaque[0] ? "\"" : "");
	return n > 0 && (size_t)n < cap ? 0 : -ENOBUFS;
}

/* The INVITE again: same Call-ID and tags, the next CSeq, the credentials. */
static osip_message_t *invite_with_credentials(const struct call_bleg *b, int status,
					       const osip_message_t *resp)
{
	osip_www_authenticate_t *ch = NULL;
	if (status == 401)
		osip_message_get_www_authenticate(resp, 0, &ch);
	else
		osip_message_get_proxy_authenticate(resp, 0, &ch);
	char *uri = NULL, value[2048];
	if (!ch || !b->invite->cseq || osip_uri_to_str(b->invite->req_uri, &uri) != 0 || !uri)
		return NULL;
	int rc = credentials_value(&b->ep.gw, ch, uri, value, sizeof(value));
	osip_free(uri);
	osip_message_t *m = NULL;
	if (rc < 0 || osip_message_clone(b->invite, &m) != 0)
		return NULL;
	char cseq[16];
	snprintf(cseq, sizeof(cseq), "%lu", strtoul(b->invite->cseq->number, NULL, 10) + 1);
	osip_free(m->cseq->number);
	m->cseq->number = osip_strdup(cseq);
	if (osip_message_set_header(m, status == 401 ? "Authorization" : "Proxy-Authorization",
				    value) != 0) {
		osip_message_free(m);
		return NULL;
	}
	return m;
}

bool call_gateway_auth_retry(struct call_bleg *b, int status, const osip_message_t *resp,
			     csip_provisional_fn provisional, csip_response_fn final)
{
	struct call *call = b->call;
	if (b->ep.kind != CF_EP_GATEWAY || (status != 401 && status != 407) || !resp ||
	    b->gw_auth_sent || !b->invite || !b->ep.gw.username[0] || b->cancel_sent ||
	    call->caller_gone || !call->bridging)
		return false;
	osip_message_t *inv = invite_with_credentials(b, status, resp);
	osip_message_t *copy = NULL;
	if (!inv || osip_message_clone(inv, &copy) != 0) {
		if (inv)
			osip_message_free(inv);
		bgl_log_call(BGL_LOG_WARN, call->call_id, call->account_id,
			     "call %s: cannot answer the challenge of resource %s's gateway %s",
			     call->call_id, b->ep.gw.resource_id, b->ep.gw.server);
		return false;
	}
	struct csip_tx *tx = NULL;
	if (csip_stack_send_invite(call->ctl->stack, inv, NULL, provisional, final, b, &tx) < 0) {
		osip_message_free(copy);
		return false;
	}
	b->gw_auth_sent = true;
	call->ctl->c.gateway_auth++;
	osip_message_free(b->invite);
	b->invite = copy;
	csip_tx_unref(b->tx);
	b->tx = tx;
	return true;
}
