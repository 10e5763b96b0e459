/* SessionOffer / SessionAnswer / SessionUpdate / SessionDelete toward the data plane for a call's legs. */
#include "call-media.h"

#include "bugle/log.h"
#include "dp-codec-names.h"
#include "dpclient.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct media_op {
	call_media_fn cb;
	call_media_legs_fn legs_cb;	/* instead of cb: both legs' ports (call_media_offer_legs) */
	void *arg;
	bool need_addr;			/* offer/answer: the reply must say where to send */
};

/* Storage for one LegSpec and the codec messages it points to. */
struct leg_store {
	Bugle__Dp__LegSpec spec;
	Bugle__Dp__CodecSpec codecs[CALL_SDP_CODECS_MAX];
	Bugle__Dp__CodecSpec *ptrs[CALL_SDP_CODECS_MAX];
	char ip[64];
	char tag[8];
	Bugle__Dp__SrtpKey srtp_in, srtp_out;
	unsigned char key_in[64], key_out[64];
};

/* SDES keys: the leg's own (what it sends with) and ours toward it; both or none. */
static int leg_keys(const struct call_sdp_audio *a, struct leg_store *s)
{
	if (!a->crypto_suite[0])
		return 0;
	int suite = call_srtp_suite(a->crypto_suite);
	int n_in = call_srtp_key_bytes(a->crypto_suite, a->crypto_key, s->key_in,
				       sizeof(s->key_in));
	if (suite < 0 || n_in < 0)
		return -EINVAL;
	bugle__dp__srtp_key__init(&s->srtp_in);
	s->srtp_in.suite = (Bugle__Dp__SrtpSuite)suite;
	s->srtp_in.master_key_salt.data = s->key_in;
	s->srtp_in.master_key_salt.len = (size_t)n_in;
	s->spec.srtp_in = &s->srtp_in;
	if (!a->srtp_ours[0])
		return 0; /* the data plane makes its own */
	int n_out = call_srtp_key_bytes(a->crypto_suite, a->srtp_ours, s->key_out,
					sizeof(s->key_out));
	if (n_out < 0)
		return -EINVAL;
	bugle__dp__srtp_key__init(&s->srtp_out);
	s->srtp_out.suite = (Bugle__Dp__SrtpSuite)suite;
	s->srtp_out.master_key_salt.data = s->key_out;
	s->srtp_out.master_key_salt.len = (size_t)n_out;
	s->spec.srtp_out = &s->srtp_out;
	return 0;
}

static int leg_spec(const struct call_sdp_audio *a, const char *tag, struct leg_store *s)
{
	bugle__dp__leg_spec__init(&s->spec);
	memcpy(s->ip, a->ip, sizeof(s->ip));
	memcpy(s->tag, tag, strlen(tag) + 1);
	s->spec.leg_tag = s->tag;
	s->spec.remote_ip = s->ip;
	s->spec.remote_port = a->port;
	s->spec.symmetric = true;	/* phones behind NAT send from elsewhere than their SDP */
	s->spec.direction = (Bugle__Dp__MediaDirection)a->direction;
	if (a->dtmf_pt >= 0)
		s->spec.dtmf_payload_type = (uint32_t)a->dtmf_pt;
	size_t n = 0;
	for (unsigned i = 0; i < a->n_codecs; i++) {
		Bugle__Dp__Codec codec = dp_codec_from_name(a->codecs[i].name);
		if (codec == BUGLE__DP__CODEC__CODEC_UNSPECIFIED)
			continue; /* the data plane relays what it knows; the rest is not offered */
		Bugle__Dp__CodecSpec *c = &s->codecs[n];
		bugle__dp__codec_spec__init(c);
		c->codec = codec;
		c->payload_type = a->codecs[i].pt;
		c->clock_rate = a->codecs[i].clock_rate;
		c->channels = a->codecs[i].channels;
		s->ptrs[n++] = c;
	}
	if (n == 0)
		return -EINVAL;
	s->spec.codecs = s->ptrs;
	s->spec.n_codecs = n;
	return leg_keys(a, s);
}

static void replied(void *arg, Bugle__Dp__Status status, const char *error,
		    const ProtobufCMessage *reply)
{
	struct media_op *op = arg;
	const Bugle__Dp__SessionReply *r = (const Bugle__Dp__SessionReply *)reply;
	bool ok = status == BUGLE__DP__STATUS__STATUS_OK &&
		  (!op->need_addr || (r && r->local_ip && r->local_ip[0] && r->local_port > 0 &&
				      r->local_port < 65536));
	if (!ok && op->need_addr)
		BGL_WARN("call: data plane session refused: %s", error ? error : "no address");
	bool addr = ok && op->need_addr;
	if (op->legs_cb) {
		uint16_t a_port = 0;
		for (size_t i = 0; addr && i < r->n_legs; i++)
			if (r->legs[i]->leg_tag && !strcmp(r->legs[i]->leg_tag, "a") &&
			    r->legs[i]->local_port > 0 && r->legs[i]->local_port < 65536)
				a_port = (uint16_t)r->legs[i]->local_port;
		if (addr && !a_port)
			BGL_WARN("call: data plane offer reply lists no port for leg a");
		op->legs_cb(op->arg, addr && a_port, addr ? r->local_ip : NULL, a_port,
			    addr ? (uint16_t)r->local_port : 0);
		free(op);
		return;
	}
	op->cb(op->arg, ok, addr ? r->local_ip : NULL, addr ? (uint16_t)r->local_port : 0);
	free(op);
}

static int send_call(struct dpclient *dp, Bugle__Dp__Method method, const ProtobufCMessage *req,
		     call_media_fn cb, void *arg)
{
	if (!dp || !dpclient_is_up(dp))
		return -ENOTCONN;
	struct media_op *op = calloc(1, sizeof(*op));
	if (!op)
		return -ENOMEM;
	op->cb = cb;
	op->arg = arg;
	op->need_addr = method != BUGLE__DP__METHOD__METHOD_SESSION_DELETE;
	int rc = dpclient_call(dp, method, req, replied, op, 0);
	if (rc < 0)
		free(op);
	return rc;
}

int call_media_offer(struct dpclient *dp, const char *call_id, const char *account_id,
		     const struct call_sdp_audio *a, call_media_fn cb, void *arg)
{
	struct leg_store s;
	if (leg_spec(a, "a", &s) < 0)
		return -EINVAL;
	Bugle__Dp__SessionOfferRequest req = BUGLE__DP__SESSION_OFFER_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.account_id = (char *)account_id;
	req.from_leg = &s.spec;
	return send_call(dp, BUGLE__DP__METHOD__METHOD_SESSION_OFFER, &req.base, cb, arg);
}

int call_media_offer_legs(struct dpclient *dp, const char *call_id, const char *account_id,
			  const struct call_sdp_audio *a, call_media_legs_fn cb, void *arg)
{
	struct leg_store s;
	if (leg_spec(a, "a", &s) < 0)
		return -EINVAL;
	if (!dp || !dpclient_is_up(dp))
		return -ENOTCONN;
	Bugle__Dp__SessionOfferRequest req = BUGLE__DP__SESSION_OFFER_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.account_id = (char *)account_id;
	req.from_leg = &s.spec;
	struct media_op *op = calloc(1, sizeof(*op));
	if (!op)
		return -ENOMEM;
	op->legs_cb = cb;
	op->arg = arg;
	op->need_addr = true;
	int rc = dpclient_call(dp, BUGLE__DP__METHOD__METHOD_SESSION_OFFER, &req.base, replied, op, 0);
	if (rc < 0)
		free(op);
	return rc;
}

int call_media_answer(struct dpclient *dp, const char *call_id, const struct call_sdp_audio *b,
		      call_media_fn cb, void *arg)
{
	struct leg_store s;
	if (leg_spec(b, "b", &s) < 0)
		return -EINVAL;
	Bugle__Dp__SessionAnswerRequest req = BUGLE__DP__SESSION_ANSWER_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.to_leg = &s.spec;
	return send_call(dp, BUGLE__DP__METHOD__METHOD_SESSION_ANSWER, &req.base, cb, arg);
}

int call_media_update(struct dpclient *dp, const char *call_id, const char *tag,
		      const struct call_sdp_audio *leg, call_media_fn cb, void *arg)
{
	struct leg_store s;
	if (leg_spec(leg, tag, &s) < 0)
		return -EINVAL;
	Bugle__Dp__SessionUpdateRequest req = BUGLE__DP__SESSION_UPDATE_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.leg = &s.spec;
	return send_call(dp, BUGLE__DP__METHOD__METHOD_SESSION_UPDATE, &req.base, cb, arg);
}

static void delete_done(void *arg, bool ok, const char *ip, uint16_t port)
{
	(void)ip;
	(void)port;
	if (!ok)
		BGL_DEBUG("call: session delete for %s not confirmed", (const char *)arg);
	free(arg);
}

int call_media_delete(struct dpclient *dp, const char *call_id)
{
	Bugle__Dp__SessionDeleteRequest req = BUGLE__DP__SESSION_DELETE_REQUEST__INIT;
	req.call_id = (char *)call_id;
	char *id = strdup(call_id);
	if (!id)
		return -ENOMEM;
	int rc = send_call(dp, BUGLE__DP__METHOD__METHOD_SESSION_DELETE, &req.base, delete_done, id);
	if (rc < 0)
		free(id);
	return rc;
}

int call_media_play(struct dpclient *dp, const char *call_id, const char *tag, const char *file,
		    const char *digits, uint64_t op_id, dpclient_reply_fn cb, void *arg)
{
	if (!dp)
		return -ENOTCONN;
	Bugle__Dp__MediaOpRequest req = BUGLE__DP__MEDIA_OP_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.leg_tag = (char *)tag;
	req.kind = BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_PLAY;
	req.file = (char *)file;
	req.digits = (char *)digits;
	req.op_id = op_id;
	return dpclient_call(dp, BUGLE__DP__METHOD__METHOD_MEDIA_OP, &req.base, cb, arg, 0);
}
