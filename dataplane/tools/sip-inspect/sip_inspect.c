/* sip-inspect [FILE|-]: parse one SIP message with the data plane's parser and sanity check
 * (edge-proxy role) and print one JSON line. Exit 0 accept, 1 reject, 2 drop, 3 usage/IO. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json_out.h"
#include "sip_msg.h"
#include "sip_sanity.h"

#define EXIT_USAGE 3
/* One byte more than the parser accepts, so an oversized input is seen as such. */
#define READ_CAP (SIP_MAX_MSG_LEN + 1)

static int read_all(FILE *f, char *buf, size_t cap, size_t *len)
{
	size_t n = 0, r;

	while (n < cap && (r = fread(buf + n, 1, cap - n, f)) > 0)
		n += r;
	if (ferror(f))
		return -EIO;
	*len = n;
	return 0;
}

static void put_str(struct json_out *j, const char *k, const struct sip_str *s)
{
	json_out_key_string(j, k, s->s, s->len);
}

static void put_fields(struct json_out *j, struct sip_msg *m)
{
	json_out_key_string(j, "type", m->type == SIP_REQUEST ? "request" : "response",
			    m->type == SIP_REQUEST ? 7 : 8);
	if (m->type == SIP_REQUEST) {
		put_str(j, "method", &m->method);
		put_str(j, "request_uri", &m->ruri);
	} else if (m->status) {
		json_out_key_uint(j, "status_code", m->status);
	}
	if (sip_msg_parse_call_id(m) == 0)
		put_str(j, "call_id", &m->call_id);
	if (sip_msg_parse_cseq(m) == 0) {
		json_out_begin_object(j, "cseq");
		json_out_key_uint(j, "number", m->cseq.number);
		put_str(j, "method", &m->cseq.method);
		json_out_end_object(j);
	}
	if (sip_msg_parse_from(m) == 0 && m->from.has_tag)
		put_str(j, "from_tag", &m->from.tag);
	if (sip_msg_parse_to(m) == 0 && m->to.has_tag)
		put_str(j, "to_tag", &m->to.tag);
	if (sip_msg_parse_via(m) == 0) {
		json_out_key_uint(j, "via_count", m->n_via);
		if (m->via[0].has_branch)
			put_str(j, "top_branch", &m->via[0].branch);
	}
	if (!(m->flags & (SIP_F_CL_BAD | SIP_F_NO_CL)))
		json_out_key_uint(j, "content_length", m->content_length);
}

int main(int argc, char **argv)
{
	static char buf[READ_CAP];
	static char line[4 * READ_CAP];
	static struct sip_msg msg;
	static const char *const verdicts[] = { "accept", "reject", "drop" };
	const char *path = argc == 2 ? argv[1] : "-";
	size_t len;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		fprintf(stderr, "usage: sip-inspect [FILE|-]\n");
		return EXIT_USAGE;
	}
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "sip-inspect: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	int rc = read_all(f, buf, sizeof(buf), &len);
	if (f != stdin)
		fclose(f);
	if (rc < 0) {
		fprintf(stderr, "sip-inspect: %s: read error\n", path);
		return EXIT_USAGE;
	}

	struct sip_sanity san;
	int prc = sip_msg_parse(&msg, buf, len);
	sip_sanity_check(&msg, prc, NULL, &san);

	struct json_out j;
	json_out_init(&j, line, sizeof(line));
	json_out_begin_object(&j, NULL);
	json_out_key_string(&j, "verdict", verdicts[san.verdict], strlen(verdicts[san.verdict]));
	if (san.verdict == SIP_REJECT) {
		json_out_key_uint(&j, "status", san.status);
		json_out_key_string(&j, "reason", san.reason, strlen(san.reason));
	}
	if (prc == 0)
		put_fields(&j, &msg);
	json_out_end_object(&j);
	json_out_raw(&j, "\n", 1);
	if (!json_out_ok(&j)) {
		fprintf(stderr, "sip-inspect: output too long\n");
		return EXIT_USAGE;
	}
	if (fwrite(line, 1, j.len, stdout) != j.len || fflush(stdout) != 0)
		return EXIT_USAGE;
	return san.verdict; /* 0 accept, 1 reject, 2 drop */
}
