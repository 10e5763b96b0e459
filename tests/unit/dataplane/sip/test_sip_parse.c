/* Message parser: start line, header index (compact forms, case, folding, limits), body by
 * Content-Length, NUL bytes as data, and the stream framing helper. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip_frame.h"
#include "sip_msg.h"
#include "sip_names.h"
#include "sip_test_str.h"

static struct sip_msg m;


static int parse(const char *s)
{
	return sip_msg_parse(&m, s, strlen(s));
}

static void test_request_line(void **state)
{
	(void)state;
	assert_int_equal(parse("INVITE sip:bob@example.com;transport=udp SIP/2.0\r\n"
			       "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n\r\n"),
			 0);
	assert_int_equal(m.type, SIP_REQUEST);
	assert_int_equal(m.method_id, SIP_METHOD_INVITE);
	STR_EQ(m.method, "INVITE");
	STR_EQ(m.ruri, "sip:bob@example.com;transport=udp");
	STR_EQ(m.version, "SIP/2.0");
	assert_int_equal(m.flags & SIP_F_START_LINE_WS, 0);
	assert_int_equal(m.n_hdrs, 1);

	assert_int_equal(parse("FOO sip:x SIP/2.0\r\n\r\n"), 0);
	assert_int_equal(m.method_id, SIP_METHOD_UNKNOWN);
	/* Methods are case-sensitive. */
	assert_int_equal(parse("invite sip:x SIP/2.0\r\n\r\n"), 0);
	assert_int_equal(m.method_id, SIP_METHOD_UNKNOWN);

	assert_int_equal(parse("INVITE  sip:x  SIP/2.0\r\n\r\n"), 0);
	assert_true(m.flags & SIP_F_START_LINE_WS);
	STR_EQ(m.ruri, "sip:x");
	assert_int_equal(parse("INVITE sip:x SIP/2.0 \r\n\r\n"), 0);
	assert_true(m.flags & SIP_F_START_LINE_WS);
	STR_EQ(m.version, "SIP/2.0");

	assert_int_equal(parse("INVITE sip:x\r\n\r\n"), -EBADMSG);
	assert_int_equal(parse("INVITE\r\n\r\n"), -EBADMSG);
	assert_int_equal(parse("\r\n\r\n"), -EBADMSG);
	assert_int_equal(parse("INVITE sip:x SIP/2.0"), -EBADMSG); /* no line end */
	assert_int_equal(sip_msg_parse(&m, NULL, 0), -EBADMSG);
}

static void test_status_line(void **state)
{
	(void)state;
	assert_int_equal(parse("SIP/2.0 180 Ringing\r\n\r\n"), 0);
	assert_int_equal(m.type, SIP_RESPONSE);
	assert_int_equal(m.status, 180);
	STR_EQ(m.reason, "Ringing");
	assert_int_equal(parse("SIP/2.0 100 \r\n\r\n"), 0);
	assert_int_equal(m.status, 100);
	assert_int_equal(m.reason.len, 0);
	assert_int_equal(parse("SIP/2.0 4294967301 big\r\n\r\n"), 0);
	assert_int_equal(m.status, 0);
	assert_true(m.flags & SIP_F_BAD_STATUS);
	assert_int_equal(parse("SIP/2.0 099 low\r\n\r\n"), 0);
	assert_true(m.flags & SIP_F_BAD_STATUS);
	assert_int_equal(parse("SIP/2.0\r\n\r\n"), -EBADMSG);
}

static void test_header_index(void **state)
{
	(void)state;
	const char *msg = "OPTIONS sip:x SIP/2.0\r\n"
			  "v: SIP/2.0/UDP a\r\n"
			  "VIA : SIP/2.0/UDP b, SIP/2.0/UDP c\r\n"
			  "i: abc\r\n"
			  "X-Custom:   spaced value   \r\n"
			  "l: 0\r\n"
			  "\r\n";
	assert_int_equal(parse(msg), 0);
	assert_int_equal(m.n_hdrs, 5);
	assert_int_equal(m.count[SIP_HDR_VIA], 2);
	const struct sip_hdr *h = sip_msg_hdr(&m, SIP_HDR_VIA);
	assert_non_null(h);
	STR_EQ(h->name, "v");
	STR_EQ(h->value, "SIP/2.0/UDP a");
	assert_int_not_equal(h->next, SIP_HDR_NONE);
	STR_EQ(m.hdr[h->next].value, "SIP/2.0/UDP b, SIP/2.0/UDP c");
	assert_int_equal(m.hdr[h->next].next, SIP_HDR_NONE);
	STR_EQ(sip_msg_hdr(&m, SIP_HDR_CALL_ID)->value, "abc");
	STR_EQ(m.hdr[3].value, "spaced value");
	assert_int_equal(m.hdr[3].id, SIP_HDR_OTHER);
	assert_null(sip_msg_hdr(&m, SIP_HDR_CSEQ));
	/* Line offsets cover the whole line with its CRLF. */
	assert_memory_equal(msg + m.hdr[0].line_start, "v: ", 3);
	assert_memory_equal(msg + m.hdr[0].line_end, "VIA", 3);

	assert_int_equal(sip_msg_parse_via(&m), 0);
	assert_int_equal(m.n_via, 3);
	STR_EQ(m.via[2].host, "c");
	assert_int_equal(m.via[2].hdr, m.via[1].hdr);
}

static void test_long_and_compact_names(void **state)
{
	static const struct {
		const char *name;
		enum sip_hdr_id id;
	} names[] = {
		{ "f", SIP_HDR_FROM },		 { "FROM", SIP_HDR_FROM },
		{ "t", SIP_HDR_TO },		 { "tO", SIP_HDR_TO },
		{ "m", SIP_HDR_CONTACT },	 { "Contact", SIP_HDR_CONTACT },
		{ "l", SIP_HDR_CONTENT_LENGTH }, { "content-LENGTH", SIP_HDR_CONTENT_LENGTH },
		{ "c", SIP_HDR_CONTENT_TYPE },	 { "k", SIP_HDR_SUPPORTED },
		{ "Max-Forwards", SIP_HDR_MAX_FORWARDS },
		{ "Record-Route", SIP_HDR_RECORD_ROUTE },
		{ "Proxy-Authorization", SIP_HDR_PROXY_AUTHORIZATION },
		{ "Proxy-Require", SIP_HDR_PROXY_REQUIRE },
		{ "User-Agent", SIP_HDR_USER_AGENT },
		{ "CSeq", SIP_HDR_CSEQ },	 { "Expires", SIP_HDR_EXPIRES },
		{ "C%6Fntact", SIP_HDR_OTHER },	 { "Vias", SIP_HDR_OTHER },
		{ "q", SIP_HDR_OTHER },
	};
	char buf[256];
	(void)state;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n%s: 1\r\n\r\n", names[i].name);
		assert_int_equal(parse(buf), 0);
		if (m.hdr[0].id != names[i].id)
			fail_msg("%s: id %d, want %d", names[i].name, m.hdr[0].id, names[i].id);
	}
}

static void test_folding(void **state)
{
	(void)state;
	const char *msg = "OPTIONS sip:x SIP/2.0\r\n"
			  "Subject: first\r\n"
			  "  second\r\n"
			  "\tthird\r\n"
			  "To:\r\n"
			  " sip:a@b\r\n"
			  "l: 0\r\n\r\n";
	assert_int_equal(parse(msg), 0);
	assert_int_equal(m.n_hdrs, 3);
	/* The folded value is one slice spanning the CRLF + WS, nothing copied. */
	STR_EQ(m.hdr[0].value, "first\r\n  second\r\n\tthird");
	STR_EQ(m.hdr[1].value, "sip:a@b");
	assert_int_equal(sip_msg_parse_to(&m), 0);
	STR_EQ(m.to.uri, "sip:a@b");

	/* A fold before the first header, a line without a colon, a name with a NUL. */
	assert_int_equal(parse("OPTIONS sip:x SIP/2.0\r\n folded\r\n\r\n"), -EBADMSG);
	assert_int_equal(parse("OPTIONS sip:x SIP/2.0\r\nFoobar roobar\r\n\r\n"), -EBADMSG);
	static const char nul_name[] = "OPTIONS sip:x SIP/2.0\r\nA\0B: 1\r\n\r\n";
	assert_int_equal(sip_msg_parse(&m, nul_name, sizeof(nul_name) - 1), -EBADMSG);
	/* Headers that never end. */
	assert_int_equal(parse("OPTIONS sip:x SIP/2.0\r\nTo: a\r\n"), -EBADMSG);
}

static void test_nul_in_value_is_data(void **state)
{
	(void)state;
	static const char msg[] = "OPTIONS sip:x SIP/2.0\r\nSubject: a\0b\r\nl: 0\r\n\r\n";
	assert_int_equal(sip_msg_parse(&m, msg, sizeof(msg) - 1), 0);
	assert_int_equal(m.hdr[0].value.len, 3);
	assert_int_equal(m.hdr[0].value.s[1], '\0');
	assert_int_equal(m.hdr[1].id, SIP_HDR_CONTENT_LENGTH);
}

static void test_body_by_content_length(void **state)
{
	(void)state;
	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: 5\r\n\r\nhello"), 0);
	STR_EQ(m.body, "hello");
	assert_int_equal(m.flags & (SIP_F_TRAILING | SIP_F_CL_SHORT_DGRAM), 0);
	assert_int_equal(m.content_length, 5);

	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: 2\r\n\r\nhello"), 0);
	STR_EQ(m.body, "he");
	assert_true(m.flags & SIP_F_TRAILING);
	assert_int_equal(m.len, strlen("MESSAGE sip:x SIP/2.0\r\nl: 2\r\n\r\nhe"));

	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: 9\r\n\r\nhello"), 0);
	assert_true(m.flags & SIP_F_CL_SHORT_DGRAM);

	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: -1\r\n\r\nhello"), 0);
	assert_true(m.flags & SIP_F_CL_BAD);
	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: 99999999999\r\n\r\nhello"), 0);
	assert_true(m.flags & SIP_F_CL_BAD);

	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nl: 1\r\nl: 5\r\n\r\nhello"), 0);
	assert_true(m.flags & SIP_F_CL_MULTIPLE);

	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\r\nTo: a\r\n\r\nrest of datagram"), 0);
	assert_true(m.flags & SIP_F_NO_CL);
	STR_EQ(m.body, "rest of datagram");

	/* Bare LF line ends are tolerated. */
	assert_int_equal(parse("MESSAGE sip:x SIP/2.0\nl: 2\n\nok"), 0);
	STR_EQ(m.body, "ok");
}

static void test_limits(void **state)
{
	static char buf[SIP_MAX_MSG_LEN + 2];
	size_t n;
	(void)state;

	n = (size_t)snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n");
	for (int i = 0; i < SIP_MAX_HEADERS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X-%d: v\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
	assert_int_equal(sip_msg_parse(&m, buf, n), 0);
	assert_int_equal(m.n_hdrs, SIP_MAX_HEADERS);

	n = (size_t)snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n");
	for (int i = 0; i <= SIP_MAX_HEADERS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X-%d: v\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
	assert_int_equal(sip_msg_parse(&m, buf, n), -E2BIG);

	/* 65 Via header lines: over the per-kind bound. */
	n = (size_t)snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n");
	for (int i = 0; i <= SIP_MAX_VALUES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Via: SIP/2.0/UDP h%d\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
	assert_int_equal(sip_msg_parse(&m, buf, n), -E2BIG);

	/* 65 Via values on few lines: the Via parser refuses, it does not overflow. */
	n = (size_t)snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP a");
	for (int i = 0; i < SIP_MAX_VALUES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", SIP/2.0/UDP h%d", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n\r\n");
	assert_int_equal(sip_msg_parse(&m, buf, n), 0);
	assert_int_equal(sip_msg_parse_via(&m), -EBADMSG);
	assert_true(m.n_via <= SIP_MAX_VALUES);

	memset(buf, 'a', sizeof(buf));
	assert_int_equal(sip_msg_parse(&m, buf, SIP_MAX_MSG_LEN + 1), -EMSGSIZE);
}

static void test_lazy_cache(void **state)
{
	(void)state;
	assert_int_equal(parse("BYE sip:x SIP/2.0\r\nCSeq: 7 BYE\r\nMax-Forwards: 9\r\n\r\n"), 0);
	assert_int_equal(m.parsed & (1ull << SIP_HDR_CSEQ), 0);
	assert_int_equal(sip_msg_parse_cseq(&m), 0);
	assert_true(m.parsed & (1ull << SIP_HDR_CSEQ));
	assert_int_equal(m.cseq.number, 7);
	m.cseq.number = 99; /* a second call must not parse again */
	assert_int_equal(sip_msg_parse_cseq(&m), 0);
	assert_int_equal(m.cseq.number, 99);
	assert_int_equal(sip_msg_parse_max_forwards(&m), 0);
	assert_int_equal(m.max_forwards, 9);
	assert_int_equal(sip_msg_parse_max_forwards(&m), 0);
	assert_int_equal(m.max_forwards, 9);
	assert_int_equal(sip_msg_parse_call_id(&m), -ENOENT);
	assert_int_equal(sip_msg_parse_call_id(&m), -ENOENT);
	assert_int_equal(sip_msg_parse_via(&m), -ENOENT);
	assert_int_equal(sip_msg_parse_contact(&m), -ENOENT);
	assert_int_equal(sip_msg_parse_content_type(&m), -ENOENT);

	assert_int_equal(parse("BYE sip:x SIP/2.0\r\nc: text/plain;charset=utf-8\r\n"
			       "User-Agent: Yealink SIP-T46S 66.86.0.15\r\n\r\n"),
			 0);
	assert_int_equal(sip_msg_parse_content_type(&m), 0);
	STR_EQ(m.content_type.type, "text");
	STR_EQ(m.content_type.params, "charset=utf-8");
	STR_EQ(sip_msg_hdr(&m, SIP_HDR_USER_AGENT)->value, "Yealink SIP-T46S 66.86.0.15");

	assert_int_equal(parse("BYE sip:x SIP/2.0\r\nCSeq: x BYE\r\n\r\n"), 0);
	assert_int_equal(sip_msg_parse_cseq(&m), -EBADMSG);
	assert_int_equal(sip_msg_parse_cseq(&m), -EBADMSG);
}

static void test_frame_stream(void **state)
{
	struct sip_frame f;
	(void)state;
	const char *one = "OPTIONS sip:x SIP/2.0\r\nContent-Length: 3\r\n\r\nabc";
	size_t n = strlen(one);

	assert_int_equal(sip_frame_stream(one, n, 4096, &f), 0);
	assert_int_equal(f.skip, 0);
	assert_int_equal(f.len, n);
	/* Headers complete, body short: the total is known. */
	assert_int_equal(sip_frame_stream(one, n - 2, 4096, &f), -EAGAIN);
	assert_int_equal(f.len, n);
	/* Headers incomplete. */
	assert_int_equal(sip_frame_stream(one, 20, 4096, &f), -EAGAIN);
	assert_int_equal(f.len, 0);

	char two[512];
	int k = snprintf(two, sizeof(two), "\r\n\r\n%s%s", one, one);
	assert_int_equal(sip_frame_stream(two, (size_t)k, 4096, &f), 0);
	assert_int_equal(f.skip, 4);
	assert_int_equal(f.len, n);

	const char *compact = "BYE sip:x SIP/2.0\r\nl:0\r\n\r\n";
	assert_int_equal(sip_frame_stream(compact, strlen(compact), 4096, &f), 0);
	assert_int_equal(f.len, strlen(compact));

	const char *none = "BYE sip:x SIP/2.0\r\nTo: a\r\n\r\n";
	assert_int_equal(sip_frame_stream(none, strlen(none), 4096, &f), -EBADMSG);
	const char *neg = "BYE sip:x SIP/2.0\r\nl: -5\r\n\r\n";
	assert_int_equal(sip_frame_stream(neg, strlen(neg), 4096, &f), -EBADMSG);
	const char *conflict = "BYE sip:x SIP/2.0\r\nl: 5\r\nContent-Length: 13\r\n\r\n";
	assert_int_equal(sip_frame_stream(conflict, strlen(conflict), 4096, &f), -EBADMSG);
	const char *big = "BYE sip:x SIP/2.0\r\nl: 100000\r\n\r\n";
	assert_int_equal(sip_frame_stream(big, strlen(big), 4096, &f), -EMSGSIZE);
	assert_int_equal(sip_frame_stream(one, 20, 10, &f), -EMSGSIZE);
}

/* Every known long name, written here apart from the parser's table: the perfect hash slot of
 * each must hold it, in any letter case, on the inline path of the index (names at the end
 * of a short buffer take the word-compare path) and through sip_hdr_lookup(). */
static const struct {
	const char *name;
	enum sip_hdr_id id;
} every_name[] = {
	{ "via", SIP_HDR_VIA },
	{ "from", SIP_HDR_FROM },
	{ "to", SIP_HDR_TO },
	{ "call-id", SIP_HDR_CALL_ID },
	{ "cseq", SIP_HDR_CSEQ },
	{ "max-forwards", SIP_HDR_MAX_FORWARDS },
	{ "contact", SIP_HDR_CONTACT },
	{ "route", SIP_HDR_ROUTE },
	{ "record-route", SIP_HDR_RECORD_ROUTE },
	{ "content-length", SIP_HDR_CONTENT_LENGTH },
	{ "content-type", SIP_HDR_CONTENT_TYPE },
	{ "content-encoding", SIP_HDR_CONTENT_ENCODING },
	{ "expires", SIP_HDR_EXPIRES },
	{ "user-agent", SIP_HDR_USER_AGENT },
	{ "server", SIP_HDR_SERVER },
	{ "authorization", SIP_HDR_AUTHORIZATION },
	{ "proxy-authorization", SIP_HDR_PROXY_AUTHORIZATION },
	{ "www-authenticate", SIP_HDR_WWW_AUTHENTICATE },
	{ "proxy-authenticate", SIP_HDR_PROXY_AUTHENTICATE },
	{ "require", SIP_HDR_REQUIRE },
	{ "proxy-require", SIP_HDR_PROXY_REQUIRE },
	{ "supported", SIP_HDR_SUPPORTED },
	{ "unsupported", SIP_HDR_UNSUPPORTED },
	{ "allow", SIP_HDR_ALLOW },
	{ "accept", SIP_HDR_ACCEPT },
	{ "subject", SIP_HDR_SUBJECT },
	{ "date", SIP_HDR_DATE },
	{ "event", SIP_HDR_EVENT },
	{ "allow-events", SIP_HDR_ALLOW_EVENTS },
	{ "refer-to", SIP_HDR_REFER_TO },
	{ "referred-by", SIP_HDR_REFERRED_BY },
	{ "session-expires", SIP_HDR_SESSION_EXPIRES },
	{ "min-expires", SIP_HDR_MIN_EXPIRES },
	{ "identity", SIP_HDR_IDENTITY },
	{ "path", SIP_HDR_PATH },
	{ "reason", SIP_HDR_REASON },
	{ "retry-after", SIP_HDR_RETRY_AFTER },
	{ "warning", SIP_HDR_WARNING },
	{ "timestamp", SIP_HDR_TIMESTAMP },
	{ "organization", SIP_HDR_ORGANIZATION },
	{ "p-asserted-identity", SIP_HDR_P_ASSERTED_IDENTITY },
	{ "privacy", SIP_HDR_PRIVACY },
};

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static void test_every_known_name(void **state)
{
	char name[32], buf[256];
	(void)state;

	assert_int_equal(sizeof(every_name) / sizeof(every_name[0]), SIP_HDR__COUNT - 1);
	for (size_t i = 0; i < sizeof(every_name) / sizeof(every_name[0]); i++) {
		for (int up = 0; up < 2; up++) {
			snprintf(name, sizeof(name), "%s", every_name[i].name);
			if (up)
				upper(name);
			uint32_t len = (uint32_t)strlen(name);
			if (sip_hdr_lookup(name, len) != every_name[i].id)
				fail_msg("lookup %s", name);
			/* Long value: sixteen bytes follow the name. */
			int n = snprintf(buf, sizeof(buf),
					 "OPTIONS sip:x SIP/2.0\r\n%s: 0123456789abcdef\r\n\r\n",
					 name);
			assert_int_equal(sip_msg_parse(&m, buf, (size_t)n), 0);
			if (m.hdr[0].id != every_name[i].id)
				fail_msg("index %s: id %d", name, m.hdr[0].id);
			/* The name close to the end of the buffer. */
			n = snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n%s:\n\n", name);
			assert_int_equal(sip_msg_parse(&m, buf, (size_t)n), 0);
			if (m.hdr[0].id != every_name[i].id)
				fail_msg("index at end %s: id %d", name, m.hdr[0].id);
			/* One byte off is another (unknown) header. */
			name[len - 1] = (char)(name[len - 1] == 'x' ? 'y' : 'x');
			if (sip_hdr_lookup(name, len) != SIP_HDR_OTHER)
				fail_msg("lookup near miss %s", name);
		}
	}
}

/* Names are matched exactly: bytes that equal a name's bytes once 0x20 is OR-ed in (CR for
 * '-', 0xd6 for 'v') are no token, and a line with them is malformed, as is any name with a
 * byte outside token. Unknown token names are indexed as SIP_HDR_OTHER. */
static void test_name_bytes_exact(void **state)
{
	static const char *bad[] = {
		"Max\rForwards: 70\r\n", "Call\rID: x\r\n", "\xd6: SIP/2.0/UDP h\r\n",
		"\x16ia: SIP/2.0/UDP h\r\n", "V\xc9\xc1: SIP/2.0/UDP h\r\n", "Via x: a\r\n",
		"X-Bad@Name: v\r\n", ": v\r\n", " Via: a\r\n",
		"Content\x0dLength-Extra-Long: 1\r\n",
		"Proxy-Authorization\x01: x\r\n", "Max-Forwards\n: 70\r\n",
	};
	char buf[256];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\n%s\r\n", bad[i]);
		if (sip_msg_parse(&m, buf, (size_t)n) != -EBADMSG)
			fail_msg("accepted bad name line %zu", i);
	}
	assert_int_equal(sip_hdr_lookup("Max\rForwards", 12), SIP_HDR_OTHER);
	assert_int_equal(sip_hdr_lookup("\xd6", 1), SIP_HDR_OTHER);
	assert_int_equal(sip_hdr_lookup("", 0), SIP_HDR_OTHER);

	assert_int_equal(parse("OPTIONS sip:x SIP/2.0\r\nX-Custom~Header.1: v\r\n"
			       "Via \t : SIP/2.0/UDP h\r\n"
			       "P-Asserted-Identity-Extra-Long-Name: y\r\n\r\n"),
			 0);
	assert_int_equal(m.hdr[0].id, SIP_HDR_OTHER);
	STR_EQ(m.hdr[0].name, "X-Custom~Header.1");
	assert_int_equal(m.hdr[1].id, SIP_HDR_VIA);
	STR_EQ(m.hdr[1].name, "Via");
	assert_int_equal(m.hdr[2].id, SIP_HDR_OTHER);
}

/* Line ends found sixty-four and sixteen bytes a step, with an overlapping last load: every
 * value length, with and without a fold, and the message ending right after the line. */
static void test_line_ends_every_length(void **state)
{
	char buf[512];
	(void)state;

	for (int len = 0; len <= 200; len++) {
		for (int fold = 0; fold < 2; fold++) {
			int n = snprintf(buf, sizeof(buf), "OPTIONS sip:x SIP/2.0\r\nSubject: ");
			for (int i = 0; i < len; i++) {
				if (fold && i == len / 2 && i > 0) {
					/* A fold in the middle: CRLF SP stays inside the value. */
					memcpy(buf + n, "\r\n ", 3);
					n += 3;
				}
				buf[n++] = (char)('a' + i % 26);
			}
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "\r\nl: 0\r\n\r\n");
			if (sip_msg_parse(&m, buf, (size_t)n) != 0)
				fail_msg("value of %d bytes, fold %d", len, fold);
			assert_int_equal(m.n_hdrs, 2);
			assert_int_equal(m.hdr[0].value.len, (uint32_t)(len + (fold && len > 1 ? 3 : 0)));
			assert_int_equal(m.hdr[1].id, SIP_HDR_CONTENT_LENGTH);
			assert_int_equal(m.len, (uint32_t)n);
			/* Without the empty line the message does not frame. */
			assert_int_equal(sip_msg_parse(&m, buf, (size_t)n - 2), -EBADMSG);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_line),
		cmocka_unit_test(test_status_line),
		cmocka_unit_test(test_header_index),
		cmocka_unit_test(test_long_and_compact_names),
		cmocka_unit_test(test_every_known_name),
		cmocka_unit_test(test_name_bytes_exact),
		cmocka_unit_test(test_line_ends_every_length),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_nul_in_value_is_data),
		cmocka_unit_test(test_body_by_content_length),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_lazy_cache),
		cmocka_unit_test(test_frame_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
