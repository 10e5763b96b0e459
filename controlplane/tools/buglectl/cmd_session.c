/* buglectl session ...: media sessions on a data plane, as operators use rtpengine-ctl and as
 * the end-to-end tests drive the relay. Codecs are written as in an SDP rtpmap plus the payload
 * type: "PCMU/8000/0,telephone-event/8000/101". */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buglectl.h"
#include "cmd_session.h"
#include "dataplane.pb-c.h"
#include "dp-codec-names.h"

#define MAX_CODECS 8

static const char *codec_name(Bugle__Dp__Codec c)
{
	const char *name = dp_codec_name(c);
	return name ? name : "?";
}

static const struct {
	const char *name;
	Bugle__Dp__SrtpSuite suite;
} suite_names[] = {
	{ "AES_CM_128_HMAC_SHA1_80", BUGLE__DP__SRTP_SUITE__SRTP_AES_CM_128_HMAC_SHA1_80 },
	{ "AES_CM_128_HMAC_SHA1_32", BUGLE__DP__SRTP_SUITE__SRTP_AES_CM_128_HMAC_SHA1_32 },
	{ "AEAD_AES_128_GCM", BUGLE__DP__SRTP_SUITE__SRTP_AEAD_AES_128_GCM },
};
#define N_SUITES (sizeof(suite_names) / sizeof(suite_names[0]))

/* An SDES key: "SUITE:BASE64" (the a=crypto suite and the inline: key||salt). */
struct srtp_arg {
	Bugle__Dp__SrtpKey key;
	uint8_t bytes[64];
};

static int parse_srtp(const char *text, struct srtp_arg *a)
{
	bugle__dp__srtp_key__init(&a->key);
	const char *colon = strchr(text, ':');
	if (!colon)
		return -1;
	a->key.suite = BUGLE__DP__SRTP_SUITE__SRTP_NONE;
	for (size_t i = 0; i < N_SUITES; i++)
		if (strlen(suite_names[i].name) == (size_t)(colon - text) &&
		    !strncmp(suite_names[i].name, text, (size_t)(colon - text)))
			a->key.suite = suite_names[i].suite;
	size_t n = strlen(colon + 1);
	if (a->key.suite == BUGLE__DP__SRTP_SUITE__SRTP_NONE || n == 0 || n % 4 || n / 4 * 3 > sizeof(a->bytes))
		return -1;
	int len = EVP_DecodeBlock(a->bytes, (const unsigned char *)colon + 1, (int)n);
	if (len < 0)
		return -1;
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	len -= (colon[n] == '=') + (colon[n - 1] == '=');
	a->key.master_key_salt.data = a->bytes;
	a->key.master_key_salt.len = (size_t)len;
	return 0;
}

/* A leg as given on the command line; storage for the protobuf-c message that points into it. */
struct leg_args {
	Bugle__Dp__LegSpec spec;
	struct srtp_arg srtp_in, srtp_out;
	Bugle__Dp__CodecSpec codec_store[MAX_CODECS];
	Bugle__Dp__CodecSpec *codec_ptrs[MAX_CODECS];
	char ip[INET_ADDRSTRLEN];
	char account[65];
};

/* "NAME/RATE/PT[,...]"; returns 0 or -1 with a message in err. */
static int parse_codecs(char *text, struct leg_args *a, char *err, size_t cap)
{
	size_t n = 0;
	for (char *save = NULL, *tok = strtok_r(text, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_CODECS) {
			snprintf(err, cap, "at most %d codecs", MAX_CODECS);
			return -1;
		}
		char name[32];
		unsigned rate, pt;
		if (sscanf(tok, "%31[^/]/%u/%u", name, &rate, &pt) != 3) {
			snprintf(err, cap, "codec '%s' is not NAME/RATE/PT", tok);
			return -1;
		}
		Bugle__Dp__CodecSpec *c = &a->codec_store[n];
		bugle__dp__codec_spec__init(c);
		c->codec = dp_codec_from_name(name);
		if (c->codec == BUGLE__DP__CODEC__CODEC_UNSPECIFIED) {
			snprintf(err, cap, "unknown codec '%s'", name);
			return -1;
		}
		c->clock_rate = rate;
		c->payload_type = pt;
		a->codec_ptrs[n++] = c;
	}
	if (n == 0) {
		snprintf(err, cap, "no codecs given");
		return -1;
	}
	a->spec.codecs = a->codec_ptrs;
	a->spec.n_codecs = n;
	return 0;
}

static int parse_direction(const char *s, Bugle__Dp__MediaDirection *d)
{
	static const char *names[] = { "sendrecv", "sendonly", "recvonly", "inactive" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*d = (Bugle__Dp__MediaDirection)i;
			return 0;
		}
	return -1;
}

/* CALL_ID TAG IP:PORT CODECS [--no-symmetric] [--timeout S] [--direction D] [--account ID] */
static int parse_leg(const struct ctl_options *opt, const char *cmd, int argc, char **argv,
		     struct leg_args *a, const char **call_id)
{
	memset(a, 0, sizeof(*a));
	bugle__dp__leg_spec__init(&a->spec);
	a->spec.symmetric = true;
	static const struct option longopts[] = {
		{ "no-symmetric", no_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "direction", required_argument, NULL, 'd' },
		{ "account", required_argument, NULL, 'a' },
		{ "srtp-in", required_argument, NULL, 'i' },
		{ "srtp-out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	optind = 0;	/* GNU getopt: 0 re-initialises after main() parsed the global options */
	int ch;
	/* argv[0] must be a program name for getopt; the group table passes the arguments only. */
	char *args[argc + 2];	/* argc is bounded by the command line */
	args[0] = (char *)cmd;
	memcpy(args + 1, argv, sizeof(char *) * (size_t)argc);
	args[argc + 1] = NULL;
	while ((ch = getopt_long(argc + 1, args, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': a->spec.symmetric = false; break;
		case 't': {
			long v;
			if (!ctl_parse_long(optarg, 1, 86400, &v))
				return ctl_error(opt, CTL_USAGE, "--timeout takes 1..86400 seconds");
			a->spec.timeout_s = (uint32_t)v;
			break;
		}
		case 'd':
			if (parse_direction(optarg, &a->spec.direction))
				return ctl_error(opt, CTL_USAGE, "--direction: sendrecv|sendonly|recvonly|inactive");
			break;
		case 'a': snprintf(a->account, sizeof(a->account), "%s", optarg); break;
		case 'i':
		case 'o': {
			struct srtp_arg *k = ch == 'i' ? &a->srtp_in : &a->srtp_out;
			if (parse_srtp(optarg, k))
				return ctl_error(opt, CTL_USAGE, "--srtp-%s takes SUITE:BASE64 (e.g. "
						 "AES_CM_128_HMAC_SHA1_80:...)", ch == 'i' ? "in" : "out");
			if (ch == 'i')
				a->spec.srtp_in = &k->key;
			else
				a->spec.srtp_out = &k->key;
			break;
		}
		default: return ctl_error(opt, CTL_USAGE, "session %s: unknown option", cmd);
		}
	}
	if (argc + 1 - optind != 4)
		return ctl_error(opt, CTL_USAGE, "usage: session %s CALL_ID TAG IP:PORT CODECS [options]",
				 cmd);
	char **pos = args + optind;
	*call_id = pos[0];
	a->spec.leg_tag = pos[1];
	char *colon = strrchr(pos[2], ':');
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	if (!colon || *end || port < 0 || port > 65535 || (size_t)(colon - pos[2]) >= sizeof(a->ip))
		return ctl_error(opt, CTL_USAGE, "'%s' is not IP:PORT", pos[2]);
	memcpy(a->ip, pos[2], (size_t)(colon - pos[2]));
	a->spec.remote_ip = a->ip;
	a->spec.remote_port = (uint32_t)port;
	char err[128];
	if (parse_codecs(pos[3], a, err, sizeof(err)))
		return ctl_error(opt, CTL_USAGE, "%s", err);
	return CTL_OK;
}

static json_t *codecs_json(Bugle__Dp__CodecSpec **codecs, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s/%u/%u", codec_name(codecs[i]->codec), codecs[i]->clock_rate,
			 codecs[i]->payload_type);
		json_array_append_new(arr, json_string(s));
	}
	return arr;
}

json_t *ctl_session_reply_json(const Bugle__Dp__SessionReply *r)
{
	json_t *doc = json_pack("{s:s, s:s, s:i}", "call_id", r->call_id, "local_ip", r->local_ip,
				"local_port", (int)r->local_port);
	json_object_set_new(doc, "codecs", codecs_json(r->codecs, r->n_codecs));
	if (r->srtp && r->srtp->suite != BUGLE__DP__SRTP_SUITE__SRTP_NONE) {
		char b64[96], text[160];
		const char *name = "?";
		for (size_t i = 0; i < N_SUITES; i++)
			if (suite_names[i].suite == r->srtp->suite)
				name = suite_names[i].name;
		if (r->srtp->master_key_salt.len <= 64) {
			EVP_EncodeBlock((unsigned char *)b64, r->srtp->master_key_salt.data,
					(int)r->srtp->master_key_salt.len);
			snprintf(text, sizeof(text), "%s:%s", name, b64);
			json_object_set_new(doc, "srtp", json_string(text));
		}
	}
	json_t *legs = json_array();
	for (size_t i = 0; i < r->n_legs; i++) {
		const Bugle__Dp__LegStats *l = r->legs[i];
		json_array_append_new(legs, json_pack(
			"{s:s, s:i, s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:b, s:I}",
			"tag", l->leg_tag, "local_port", (int)l->local_port, "remote_ip", l->remote_ip,
			"remote_port", (int)l->remote_port, "latched", l->latched,
			"rx_packets", (json_int_t)l->rx_packets, "tx_packets", (json_int_t)l->tx_packets,
			"rx_bytes", (json_int_t)l->rx_bytes, "tx_bytes", (json_int_t)l->tx_bytes,
			"lost", (json_int_t)l->lost, "dropped", (json_int_t)l->dropped,
			"jitter_us", (int)l->jitter_us, "mos_x100", (int)l->mos_x100,
			"timed_out", l->timed_out, "ssrc", (json_int_t)l->ssrc));
	}
	json_object_set_new(doc, "legs", legs);
	return doc;
}

/* One request on a fresh connection, its reply printed: the one-shot commands' sender. */
static int call_now(void *arg, Bugle__Dp__Method method, const ProtobufCMessage *req)
{
	const struct ctl_options *opt = arg;
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, opt->control, method, req, &bugle__dp__session_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	ctl_print(opt, ctl_session_reply_json((Bugle__Dp__SessionReply *)msg));
	protobuf_c_message_free_unpacked(msg, NULL);
	return CTL_OK;
}

static int req_offer(const struct ctl_options *opt, int argc, char **argv,
		     ctl_session_send_fn send, void *arg)
{
	struct leg_args a;
	const char *call_id;
	int rc = parse_leg(opt, "offer", argc, argv, &a, &call_id);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__SessionOfferRequest req = BUGLE__DP__SESSION_OFFER_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.account_id = a.account;
	req.from_leg = &a.spec;
	return send(arg, BUGLE__DP__METHOD__METHOD_SESSION_OFFER, &req.base);
}

static int req_answer(const struct ctl_options *opt, int argc, char **argv,
		      ctl_session_send_fn send, void *arg)
{
	struct leg_args a;
	const char *call_id;
	int rc = parse_leg(opt, "answer", argc, argv, &a, &call_id);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__SessionAnswerRequest req = BUGLE__DP__SESSION_ANSWER_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.to_leg = &a.spec;
	return send(arg, BUGLE__DP__METHOD__METHOD_SESSION_ANSWER, &req.base);
}

static int req_update(const struct ctl_options *opt, int argc, char **argv,
		      ctl_session_send_fn send, void *arg)
{
	struct leg_args a;
	const char *call_id;
	int rc = parse_leg(opt, "update", argc, argv, &a, &call_id);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__SessionUpdateRequest req = BUGLE__DP__SESSION_UPDATE_REQUEST__INIT;
	req.call_id = (char *)call_id;
	req.leg = &a.spec;
	return send(arg, BUGLE__DP__METHOD__METHOD_SESSION_UPDATE, &req.base);
}

static int req_delete(const struct ctl_options *opt, int argc, char **argv,
		      ctl_session_send_fn send, void *arg)
{
	if (argc != 1)
		return ctl_error(opt, CTL_USAGE, "usage: session delete CALL_ID");
	Bugle__Dp__SessionDeleteRequest req = BUGLE__DP__SESSION_DELETE_REQUEST__INIT;
	req.call_id = argv[0];
	return send(arg, BUGLE__DP__METHOD__METHOD_SESSION_DELETE, &req.base);
}

static int req_query(const struct ctl_options *opt, int argc, char **argv,
		     ctl_session_send_fn send, void *arg)
{
	if (argc != 1)
		return ctl_error(opt, CTL_USAGE, "usage: session query CALL_ID");
	Bugle__Dp__SessionQueryRequest req = BUGLE__DP__SESSION_QUERY_REQUEST__INIT;
	req.call_id = argv[0];
	return send(arg, BUGLE__DP__METHOD__METHOD_SESSION_QUERY, &req.base);
}

static const struct {
	const char *name;
	int (*build)(const struct ctl_options *opt, int argc, char **argv,
		     ctl_session_send_fn send, void *arg);
} session_requests[] = {
	{ "offer", req_offer },	  { "answer", req_answer }, { "update", req_update },
	{ "delete", req_delete }, { "query", req_query },
};

int ctl_session_request(const struct ctl_options *opt, int argc, char **argv,
			ctl_session_send_fn send, void *arg)
{
	for (size_t i = 0; argc > 0 && i < sizeof(session_requests) / sizeof(session_requests[0]); i++)
		if (!strcmp(argv[0], session_requests[i].name))
			return session_requests[i].build(opt, argc - 1, argv + 1, send, arg);
	return ctl_error(opt, CTL_USAGE, "'%s' is not offer|answer|update|delete|query",
			 argc > 0 ? argv[0] : "");
}

static int cmd_offer(const struct ctl_options *opt, int argc, char **argv)
{
	return req_offer(opt, argc, argv, call_now, (void *)opt);
}

static int cmd_answer(const struct ctl_options *opt, int argc, char **argv)
{
	return req_answer(opt, argc, argv, call_now, (void *)opt);
}

static int cmd_update(const struct ctl_options *opt, int argc, char **argv)
{
	return req_update(opt, argc, argv, call_now, (void *)opt);
}

static int cmd_delete(const struct ctl_options *opt, int argc, char **argv)
{
	return req_delete(opt, argc, argv, call_now, (void *)opt);
}

static int cmd_query(const struct ctl_options *opt, int argc, char **argv)
{
	return req_query(opt, argc, argv, call_now, (void *)opt);
}

/* Media operations: positional CALL_ID TAG [ARG], then "--digits D", "--duration MS" and
 * "--op-id N" in any order. The reply's op_id names the operation in later events. */
static int media_op(const struct ctl_options *opt, Bugle__Dp__MediaOpKind kind, int argc,
		    char **argv, int positional, const char *usage)
{
	if (argc < positional)
		return ctl_error(opt, CTL_USAGE, "usage: session %s", usage);
	Bugle__Dp__MediaOpRequest req = BUGLE__DP__MEDIA_OP_REQUEST__INIT;
	req.kind = kind;
	req.call_id = argv[0];
	req.leg_tag = argv[1];
	if (positional > 2) {
		if (kind == BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_TONE)
			req.tone = argv[2];
		else if (kind == BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_DTMF_SEND)
			req.digits = argv[2];
		else if (kind == BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_CONFERENCE_JOIN)
			req.conference = argv[2];
		else
			req.file = argv[2];
	}
	for (int i = positional; i < argc; i += 2) {
		char *end = NULL;
		if (i + 1 >= argc)
			return ctl_error(opt, CTL_USAGE, "%s needs a value", argv[i]);
		if (strcmp(argv[i], "--digits") == 0) {
			req.digits = argv[i + 1];
		} else if (strcmp(argv[i], "--duration") == 0) {
			unsigned long v = strtoul(argv[i + 1], &end, 10);
			if (!*argv[i + 1] || *end || v > UINT32_MAX)
				return ctl_error(opt, CTL_USAGE, "bad --duration '%s'", argv[i + 1]);
			req.duration_ms = (uint32_t)v;
		} else if (strcmp(argv[i], "--op-id") == 0) {
			unsigned long long v = strtoull(argv[i + 1], &end, 10);
			if (!*argv[i + 1] || *end)
				return ctl_error(opt, CTL_USAGE, "bad --op-id '%s'", argv[i + 1]);
			req.op_id = v;
		} else {
			return ctl_error(opt, CTL_USAGE, "unknown option '%s'; usage: session %s",
					 argv[i], usage);
		}
	}
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, opt->control, BUGLE__DP__METHOD__METHOD_MEDIA_OP, &req.base,
			  &bugle__dp__media_op_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	ctl_print(opt, json_pack("{sI}", "op_id", (json_int_t)((Bugle__Dp__MediaOpReply *)msg)->op_id));
	protobuf_c_message_free_unpacked(msg, NULL);
	return CTL_OK;
}

#define PLAY_USAGE "play CALL_ID TAG FILE [--digits STOP_DIGITS] [--op-id N]"
#define TONE_USAGE "tone CALL_ID TAG ringback|busy|beep|F1+F2/ON/OFF [--duration MS] [--op-id N]"
#define STOP_USAGE "stop CALL_ID TAG"
#define DTMF_USAGE "dtmf CALL_ID TAG DIGITS [--op-id N]"
#define RECORD_USAGE "record CALL_ID TAG FILE [--op-id N]"
#define RECORD_STOP_USAGE "record-stop CALL_ID TAG"
#define CONFERENCE_USAGE "conference CALL_ID TAG NAME"
#define LEAVE_USAGE "leave CALL_ID TAG"

static int cmd_play(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_PLAY, argc, argv, 3, PLAY_USAGE);
}

static int cmd_tone(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_TONE, argc, argv, 3, TONE_USAGE);
}

static int cmd_stop(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_STOP, argc, argv, 2, STOP_USAGE);
}

static int cmd_dtmf(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_DTMF_SEND, argc, argv, 3,
			DTMF_USAGE);
}

static int cmd_record(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_RECORD_START, argc, argv, 3,
			RECORD_USAGE);
}

static int cmd_record_stop(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_RECORD_STOP, argc, argv, 2,
			RECORD_STOP_USAGE);
}

static int cmd_conference(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_CONFERENCE_JOIN, argc, argv, 3,
			CONFERENCE_USAGE);
}

static int cmd_leave(const struct ctl_options *opt, int argc, char **argv)
{
	return media_op(opt, BUGLE__DP__MEDIA_OP_KIND__MEDIA_OP_CONFERENCE_LEAVE, argc, argv, 2,
			LEAVE_USAGE);
}

/* Options of a leg: --no-symmetric, --timeout S, --direction sendrecv|sendonly|recvonly|inactive,
 * --srtp-in SUITE:KEY (the leg's a=crypto), --srtp-out SUITE:KEY (ours; generated when left out),
 * and --account ID on offer. */
#define LEG_ARGS "CALL_ID TAG IP:PORT CODECS [opts]"

const struct ctl_command ctl_session_commands[] = {
	{ "session", "offer", LEG_ARGS,
	  "offer from a leg (opts: --no-symmetric --timeout S --direction D --srtp-in SUITE:KEY "
	  "--srtp-out SUITE:KEY --account ID); "
	  "reply has the port for the answerer's SDP", cmd_offer },
	{ "session", "answer", LEG_ARGS, "answer from the other leg; reply has the offerer's port",
	  cmd_answer },
	{ "session", "update", LEG_ARGS, "re-INVITE of a leg: new address, codecs or direction",
	  cmd_update },
	{ "session", "delete", "CALL_ID", "delete a session; its ports are reused after 1 s", cmd_delete },
	{ "session", "query", "CALL_ID", "per-leg addresses, packets, loss, jitter, MOS", cmd_query },
	{ "session", "batch", "FILE|-",
	  "offer/answer/update/delete/query lines (the commands' own arguments, '#' comments) "
	  "over one connection, several in flight; one reply per line, in order", ctl_session_batch },
	{ "session", "play", "CALL_ID TAG FILE [--digits D] [--op-id N]",
	  "play a WAV from the media directory to a leg; --digits: DTMF that stop it", cmd_play },
	{ "session", "tone", "CALL_ID TAG TONE [--duration MS] [--op-id N]",
	  "play ringback, busy, beep or F1+F2/ON/OFF to a leg, for MS or until stop", cmd_tone },
	{ "session", "stop", "CALL_ID TAG", "stop the prompt, tone or DTMF playing to a leg",
	  cmd_stop },
	{ "session", "dtmf", "CALL_ID TAG DIGITS [--op-id N]",
	  "send DTMF to a leg (RFC 4733, or in-band without telephone-event)", cmd_dtmf },
	{ "session", "record", "CALL_ID TAG FILE [--op-id N]",
	  "record a leg (TAG \"*\": both legs, one channel each) to a WAV in the media directory",
	  cmd_record },
	{ "session", "record-stop", "CALL_ID TAG", "stop recording a leg", cmd_record_stop },
	{ "session", "conference", "CALL_ID TAG NAME",
	  "join a leg to a conference: it hears the mix of the other members", cmd_conference },
	{ "session", "leave", "CALL_ID TAG", "take a leg out of its conference", cmd_leave },
	{ NULL, NULL, NULL, NULL, NULL },
};
