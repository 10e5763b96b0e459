/* Header value parsers: Via, name-addr (From/To/Contact/Route), CSeq, numbers, Call-ID,
 * Authorization, option lists, header params, Accept. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip_hdr.h"
#include "sip_test_str.h"

static struct sip_via via[SIP_MAX_VALUES];
static struct sip_addr addr[SIP_MAX_VALUES];

static int vias(const char *s, uint32_t *n)
{
	struct sip_str v = SLICE(s);
	*n = 0;
	return sip_via_parse(&v, 0, via, SIP_MAX_VALUES, n);
}

static int addrs(const char *s, bool multi, uint32_t *n)
{
	struct sip_str v = SLICE(s);
	*n = 0;
	return sip_addr_parse(&v, 0, multi, addr, multi ? SIP_MAX_VALUES : 1, n);
}

static void test_via(void **state)
{
	uint32_t n;
	(void)state;

	assert_int_equal(vias("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK77;rport;received=10.0.0.1",
			      &n),
			 0);
	assert_int_equal(n, 1);
	STR_EQ(via[0].protocol, "SIP");
	STR_EQ(via[0].version, "2.0");
	STR_EQ(via[0].transport, "UDP");
	STR_EQ(via[0].host, "192.0.2.1");
	assert_int_equal(via[0].port, 5062);
	STR_EQ(via[0].branch, "z9hG4bK77");
	assert_true(via[0].has_rport);
	assert_int_equal(via[0].rport.len, 0);
	STR_EQ(via[0].rport_name, "rport");
	STR_EQ(via[0].received, "10.0.0.1");
	STR_EQ(via[0].params, "branch=z9hG4bK77;rport;received=10.0.0.1");

	/* Several values, odd spacing and folds (RFC 4475 wsinv). */
	assert_int_equal(vias("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   "
			      "z9hG4bK9ikj8  ,\r\n SIP  /    2.0   / UDP  192.168.255.111   ; "
			      "branch=\r\n z9hG4bK30239",
			      &n),
			 0);
	assert_int_equal(n, 2);
	STR_EQ(via[0].transport, "TCP");
	STR_EQ(via[0].host, "spindle.example.com");
	STR_EQ(via[0].branch, "z9hG4bK9ikj8");
	STR_EQ(via[1].host, "192.168.255.111");
	STR_EQ(via[1].branch, "z9hG4bK30239");

	assert_int_equal(vias("SIP/2.0/TLS [2001:db8::9]:5061;rport=1234;received=[2001:db8::1]", &n),
			 0);
	STR_EQ(via[0].host, "[2001:db8::9]");
	assert_true(via[0].host_ipv6);
	assert_int_equal(via[0].port, 5061);
	STR_EQ(via[0].rport, "1234");
	STR_EQ(via[0].received, "[2001:db8::1]");

	assert_int_equal(vias("SIP/2.0/ UDP h1, sip/2.0/tcp h2, SIP/2.0/\r\n SCTP h3", &n), 0);
	assert_int_equal(n, 3);
	STR_EQ(via[0].transport, "UDP");
	STR_EQ(via[1].protocol, "sip");
	STR_EQ(via[1].transport, "tcp");
	STR_EQ(via[2].transport, "SCTP");
	STR_EQ(via[2].version, "2.0");
	assert_int_equal(vias("SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en", &n), 0);
	STR_EQ(via[0].transport, "UNKNOWN");

	/* Malformed. */
	assert_int_equal(vias("SIP/2.0/UDP 192.0.2.15;;,;,,", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP host;branch=a,", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP host;branch=", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0 host", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDPhost", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP host:99999", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP host:0", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP [::1", &n), -EBADMSG);
	assert_int_equal(vias("SIP/2.0/UDP host extra", &n), -EBADMSG);
	assert_int_equal(vias("", &n), -EBADMSG);

	/* The caller's room bounds the values. */
	struct sip_str two = SLICE("SIP/2.0/UDP a, SIP/2.0/UDP b");
	n = 0;
	assert_int_equal(sip_via_parse(&two, 0, via, 1, &n), -E2BIG);
	assert_int_equal(n, 1);
}

static void test_name_addr(void **state)
{
	uint32_t n;
	(void)state;

	assert_int_equal(addrs("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n"
			       "  tag = 98asjd8",
			       false, &n),
			 0);
	STR_EQ(addr[0].display, "\"J Rosenberg \\\\\\\"\"");
	STR_EQ(addr[0].uri, "sip:jdrosen@example.com");
	STR_EQ(addr[0].tag, "98asjd8");
	assert_true(addr[0].bracketed);

	assert_int_equal(addrs("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", false,
			       &n),
			 0);
	STR_EQ(addr[0].uri, "sip:vivekg@chair-dnrc.example.com");
	STR_EQ(addr[0].tag, "1918181833n");
	assert_false(addr[0].bracketed);

	assert_int_equal(addrs("caller<sip:caller@example.com>;tag=323", false, &n), 0);
	STR_EQ(addr[0].display, "caller");
	assert_int_equal(addrs("A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe", false, &n), 0);
	STR_EQ(addr[0].display, "A. Bell");
	assert_int_equal(addrs("isbn:2983792873", false, &n), 0);
	STR_EQ(addr[0].uri, "isbn:2983792873");
	assert_int_equal(addrs("<http://www.example.com>;tag=3234233", false, &n), 0);
	STR_EQ(addr[0].uri, "http://www.example.com");

	/* A quoted display name may hold escaped NUL and any UTF-8. */
	static const char nul[] = "\"a\\\0b\xc3\xa9\" <sip:x@y>";
	struct sip_str v = { nul, sizeof(nul) - 1 };
	n = 0;
	assert_int_equal(sip_addr_parse(&v, 0, false, addr, 1, &n), 0);
	assert_int_equal(addr[0].display.len, 8);

	/* Contact lists, params and "*". */
	assert_int_equal(addrs("<sip:a@h1>;expires=60;q=0.5, \"B, C\" <sip:b@h2>,sip:c@h3;x", true,
			       &n),
			 0);
	assert_int_equal(n, 3);
	STR_EQ(addr[0].expires, "60");
	STR_EQ(addr[0].q, "0.5");
	STR_EQ(addr[1].display, "\"B, C\"");
	STR_EQ(addr[2].uri, "sip:c@h3");
	STR_EQ(addr[2].params, "x");
	assert_int_equal(addrs("*", true, &n), 0);
	assert_true(addr[0].star);
	assert_int_equal(addrs("*, <sip:a@b>", true, &n), -EBADMSG);
	assert_int_equal(addrs("*", false, &n), -EBADMSG);

	/* Malformed (RFC 4475 quotbal, badaspec, baddn, regbadct, badinv01). */
	assert_int_equal(addrs("\"Mr. J. User <sip:j.user@example.com>", false, &n), -EBADMSG);
	assert_int_equal(addrs("\"Watson, Thomas\" < sip:t.watson@example.org >", false, &n),
			 -EBADMSG);
	assert_int_equal(addrs("Bell, Alexander <sip:a.g.bell@example.com>;tag=43", false, &n),
			 -EBADMSG);
	assert_int_equal(addrs("sip:user@example.com?Route=%3Csip:sip.example.com%3E", true, &n),
			 -EBADMSG);
	assert_int_equal(addrs("\"Joe\" <sip:joe@example.org>;;;;", true, &n), -EBADMSG);
	assert_int_equal(addrs("<sip:a@b>, <sip:c@d>", false, &n), -EBADMSG);
	assert_int_equal(addrs("<sip:a@b>;tag=", false, &n), -EBADMSG);
	assert_int_equal(addrs("<sip:a@b", false, &n), -EBADMSG);
	assert_int_equal(addrs("<>", false, &n), -EBADMSG);
	assert_int_equal(addrs("<sip:a@b>,", true, &n), -EBADMSG);
}

static void test_cseq_and_numbers(void **state)
{
	struct sip_cseq c;
	uint64_t v;
	struct sip_str s;
	(void)state;

	s = SLICE("0009\r\n  INVITE");
	assert_int_equal(sip_cseq_parse(&s, &c), 0);
	assert_int_equal(c.number, 9);
	STR_EQ(c.method, "INVITE");
	assert_int_equal(c.method_id, SIP_METHOD_INVITE);
	s = SLICE("2147483647 ACK");
	assert_int_equal(sip_cseq_parse(&s, &c), 0);
	assert_int_equal(c.number, 2147483647u);
	s = SLICE("2147483648 ACK");
	assert_int_equal(sip_cseq_parse(&s, &c), -ERANGE);
	s = SLICE("36893488147419103232 REGISTER");
	assert_int_equal(sip_cseq_parse(&s, &c), -ERANGE);
	s = SLICE("1INVITE");
	assert_int_equal(sip_cseq_parse(&s, &c), -EBADMSG);
	s = SLICE("1 INVITE x");
	assert_int_equal(sip_cseq_parse(&s, &c), -EBADMSG);
	s = SLICE("-1 INVITE");
	assert_int_equal(sip_cseq_parse(&s, &c), -EBADMSG);

	s = SLICE("0068");
	assert_int_equal(sip_uint_parse(&s, 255, &v), 0);
	assert_int_equal(v, 68);
	s = SLICE("256");
	assert_int_equal(sip_uint_parse(&s, 255, &v), -ERANGE);
	s = SLICE("10000000000000000000000000000000000000000");
	assert_int_equal(sip_uint_parse(&s, 0xffffffffu, &v), -ERANGE);
	s = SLICE("12a");
	assert_int_equal(sip_uint_parse(&s, 255, &v), -EBADMSG);
	s = SLICE("");
	assert_int_equal(sip_uint_parse(&s, 255, &v), -EBADMSG);

	struct sip_str id;
	s = SLICE("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
	assert_int_equal(sip_call_id_parse(&s, &id), 0);
	s = SLICE("a b");
	assert_int_equal(sip_call_id_parse(&s, &id), -EBADMSG);
	s = SLICE("a@");
	assert_int_equal(sip_call_id_parse(&s, &id), -EBADMSG);
	s = SLICE("a@b@c");
	assert_int_equal(sip_call_id_parse(&s, &id), -EBADMSG);
}

static void test_auth(void **state)
{
	struct sip_auth a;
	struct sip_str s;
	(void)state;

	s = SLICE("Digest username=\"alice\", realm=\"example.com\",\r\n nonce=\"abc, def\", "
		  "uri=\"sip:example.com\", response=\"0123\", algorithm=MD5, qop=auth, "
		  "nc=00000001, cnonce=\"x\"");
	assert_int_equal(sip_auth_parse(&s, &a), 0);
	STR_EQ(a.scheme, "Digest");
	assert_int_equal(a.n_params, 9);
	STR_EQ(a.params[0].name, "username");
	STR_EQ(a.params[0].value, "\"alice\"");
	STR_EQ(a.params[2].value, "\"abc, def\"");
	STR_EQ(a.params[5].value, "MD5");
	STR_EQ(a.params[7].value, "00000001");

	s = SLICE("NoOneKnowsThisScheme opaque-data=here");
	assert_int_equal(sip_auth_parse(&s, &a), 0);
	STR_EQ(a.scheme, "NoOneKnowsThisScheme");
	STR_EQ(a.params[0].name, "opaque-data");
	s = SLICE("Bearer abc.DEF/ghi+==");
	assert_int_equal(sip_auth_parse(&s, &a), 0);
	assert_int_equal(a.n_params, 0);
	STR_EQ(a.token68, "abc.DEF/ghi+==");
	s = SLICE("Basic");
	assert_int_equal(sip_auth_parse(&s, &a), 0);

	s = SLICE("Digest username=\"unterminated");
	assert_int_equal(sip_auth_parse(&s, &a), -EBADMSG);
	s = SLICE("Digest a=b,, c=d");
	assert_int_equal(sip_auth_parse(&s, &a), -EBADMSG);
	s = SLICE("Digest a=b c=d");
	assert_int_equal(sip_auth_parse(&s, &a), -EBADMSG);
	s = SLICE("");
	assert_int_equal(sip_auth_parse(&s, &a), -EBADMSG);

	char many[1024];
	size_t n = (size_t)snprintf(many, sizeof(many), "Digest p0=v");
	for (int i = 1; i <= SIP_MAX_AUTH_PARAMS; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, ", p%d=v", i);
	s = (struct sip_str){ many, (uint32_t)n };
	assert_int_equal(sip_auth_parse(&s, &a), -E2BIG);
}

static void test_options_params_accept(void **state)
{
	struct sip_options o = { .count = 0 };
	struct sip_str s, v;
	(void)state;

	s = SLICE("100rel, timer ,\r\n replaces");
	assert_int_equal(sip_options_parse(&s, &o), 0);
	assert_int_equal(o.count, 3);
	STR_EQ(o.tag[2], "replaces");
	s = SLICE("path");
	assert_int_equal(sip_options_parse(&s, &o), 0); /* appends */
	assert_int_equal(o.count, 4);
	s = SLICE("a,,b");
	assert_int_equal(sip_options_parse(&s, &o), -EBADMSG);

	s = SLICE("branch=z9hG4bK1 ; rport; Received = 1.2.3.4");
	assert_int_equal(sip_hdr_param(&s, "received", &v), 0);
	STR_EQ(v, "1.2.3.4");
	assert_int_equal(sip_hdr_param(&s, "rport", &v), 0);
	assert_int_equal(v.len, 0);
	assert_int_equal(sip_hdr_param(&s, "maddr", &v), -ENOENT);

	s = SLICE("text/plain;q=0.5, application/SDP");
	assert_int_equal(sip_accept_allows(&s, "application", "sdp"), 1);
	s = SLICE("application/*");
	assert_int_equal(sip_accept_allows(&s, "application", "sdp"), 1);
	s = SLICE("*/*");
	assert_int_equal(sip_accept_allows(&s, "application", "sdp"), 1);
	s = SLICE("text/nobodyKnowsThis");
	assert_int_equal(sip_accept_allows(&s, "application", "sdp"), 0);
	s = SLICE("text");
	assert_int_equal(sip_accept_allows(&s, "application", "sdp"), -EBADMSG);

	struct sip_media_type mt;
	s = SLICE("multipart/mixed;boundary=7a9cbec02ceef655");
	assert_int_equal(sip_content_type_parse(&s, &mt), 0);
	STR_EQ(mt.type, "multipart");
	STR_EQ(mt.subtype, "mixed");
	STR_EQ(mt.params, "boundary=7a9cbec02ceef655");
	assert_int_equal(sip_hdr_param(&mt.params, "boundary", &v), 0);
	STR_EQ(v, "7a9cbec02ceef655");
	s = SLICE("application / sdp");
	assert_int_equal(sip_content_type_parse(&s, &mt), 0);
	STR_EQ(mt.subtype, "sdp");
	assert_int_equal(mt.params.len, 0);
	s = SLICE("application/sdp, text/plain");
	assert_int_equal(sip_content_type_parse(&s, &mt), -EBADMSG);
	s = SLICE("application/");
	assert_int_equal(sip_content_type_parse(&s, &mt), -EBADMSG);
}

/* Long runs (branches, tags, Call-IDs) are scanned sixteen bytes a step with the table
 * deciding only the bytes that are not letters, digits, '-' or '.': a class byte of the other
 * kind must not end the run, and a byte outside the class must, at every position. */
static void test_long_runs(void **state)
{
	static const char word_specials[] = "!%'*+_`~()<>:\\/\"[]?{}";
	static const char outside[] = { ' ', ',', ';', '=', '\x7f', '\x80', '\xc3', '\x01' };
	char buf[160];
	struct sip_str s, id;
	(void)state;

	for (size_t pos = 0; pos < 48; pos++) {
		/* Call-ID word: letters and digits with one special at pos, then more letters. */
		for (size_t k = 0; k < sizeof(word_specials) - 1; k++) {
			memset(buf, 'a', 64);
			buf[pos] = word_specials[k];
			memcpy(buf + 64, "@host.example", 14);
			s = SLICE(buf);
			if (sip_call_id_parse(&s, &id) != 0)
				fail_msg("Call-ID with '%c' at %zu refused", word_specials[k], pos);
		}
		for (size_t k = 0; k < sizeof(outside); k++) {
			memset(buf, 'Z', 64);
			buf[pos] = outside[k];
			buf[64] = '\0';
			s = SLICE(buf);
			if (sip_call_id_parse(&s, &id) == 0)
				fail_msg("Call-ID with 0x%02x at %zu accepted",
					 (unsigned char)outside[k], pos);
		}
		/* Via branch: a token with '!' at pos, and a tag ending at a ';' at pos. */
		uint32_t n;
		char branch[64];
		memset(branch, '9', 40);
		branch[40] = '\0';
		branch[pos % 40] = '!';
		snprintf(buf, sizeof(buf), "SIP/2.0/UDP h;branch=z9hG4bK%s;rport", branch);
		struct sip_str v = SLICE(buf);
		n = 0;
		assert_int_equal(sip_via_parse(&v, 0, via, SIP_MAX_VALUES, &n), 0);
		assert_int_equal(via[0].branch.len, 47);
		assert_true(via[0].has_rport);
		memset(branch, 'x', 40);
		branch[1 + pos % 38] = ';'; /* neither the tag nor the next param empty */
		snprintf(buf, sizeof(buf), "<sip:a@b>;tag=%s", branch);
		v = SLICE(buf);
		n = 0;
		assert_int_equal(sip_addr_parse(&v, 0, false, addr, 1, &n), 0);
		assert_int_equal(addr[0].tag.len, 1 + pos % 38);
	}
}

/* Value parsers clear only the fields a value may lack: parsing into slots full of old
 * values (here a byte pattern) must give exactly what parsing into zeroed slots gives. */
#define SAME_STR(a, b)                                                                             \
	do {                                                                                       \
		assert_ptr_equal((a).s, (b).s);                                                    \
		assert_int_equal((a).len, (b).len);                                                \
	} while (0)

static void test_no_stale_fields(void **state)
{
	static const char *const via_values[] = {
		"SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1;rport",
		"SIP/2.0/TLS [2001:db8::1]:5061;received=192.0.2.9;rport=5070, SIP/2.0/UDP h",
		"SIP / 2.0 / TCP p.example.com ; maddr=x",
	};
	static const char *const addr_values[] = {
		"\"Reception\" <sip:1001@voip.example.net>;tag=17",
		"sip:a@b;expires=60;q=0.5, Bob <sips:b@[2001:db8::2]:5061>",
		"*",
		"<tel:+1555>",
	};
	static struct sip_via dirty_via[SIP_MAX_VALUES];
	static struct sip_addr dirty_addr[SIP_MAX_VALUES];
	(void)state;

	for (size_t k = 0; k < sizeof(via_values) / sizeof(via_values[0]); k++) {
		struct sip_str v = SLICE(via_values[k]);
		uint32_t n = 0, dn = 0;
		memset(via, 0, sizeof(via));
		memset(dirty_via, 0xa5, sizeof(dirty_via));
		assert_int_equal(sip_via_parse(&v, 3, via, SIP_MAX_VALUES, &n), 0);
		assert_int_equal(sip_via_parse(&v, 3, dirty_via, SIP_MAX_VALUES, &dn), 0);
		assert_int_equal(n, dn);
		for (uint32_t i = 0; i < n; i++) {
			const struct sip_via *a = &via[i], *b = &dirty_via[i];
			SAME_STR(a->whole, b->whole);
			SAME_STR(a->protocol, b->protocol);
			SAME_STR(a->version, b->version);
			SAME_STR(a->transport, b->transport);
			SAME_STR(a->host, b->host);
			SAME_STR(a->params, b->params);
			SAME_STR(a->branch, b->branch);
			SAME_STR(a->received, b->received);
			SAME_STR(a->rport, b->rport);
			SAME_STR(a->rport_name, b->rport_name);
			assert_int_equal(a->port, b->port);
			assert_int_equal(a->hdr, b->hdr);
			assert_int_equal(a->has_branch, b->has_branch);
			assert_int_equal(a->has_received, b->has_received);
			assert_int_equal(a->has_rport, b->has_rport);
			assert_int_equal(a->host_ipv6, b->host_ipv6);
		}
	}
	for (size_t k = 0; k < sizeof(addr_values) / sizeof(addr_values[0]); k++) {
		struct sip_str v = SLICE(addr_values[k]);
		uint32_t n = 0, dn = 0;
		memset(addr, 0, sizeof(addr));
		memset(dirty_addr, 0xa5, sizeof(dirty_addr));
		assert_int_equal(sip_addr_parse(&v, 2, true, addr, SIP_MAX_VALUES, &n), 0);
		assert_int_equal(sip_addr_parse(&v, 2, true, dirty_addr, SIP_MAX_VALUES, &dn), 0);
		assert_int_equal(n, dn);
		for (uint32_t i = 0; i < n; i++) {
			const struct sip_addr *a = &addr[i], *b = &dirty_addr[i];
			SAME_STR(a->whole, b->whole);
			SAME_STR(a->display, b->display);
			SAME_STR(a->uri, b->uri);
			SAME_STR(a->params, b->params);
			SAME_STR(a->tag, b->tag);
			SAME_STR(a->expires, b->expires);
			SAME_STR(a->q, b->q);
			assert_int_equal(a->hdr, b->hdr);
			assert_int_equal(a->bracketed, b->bracketed);
			assert_int_equal(a->has_tag, b->has_tag);
			assert_int_equal(a->star, b->star);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_via),
		cmocka_unit_test(test_name_addr),
		cmocka_unit_test(test_cseq_and_numbers),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_options_params_accept),
		cmocka_unit_test(test_long_runs),
		cmocka_unit_test(test_no_stale_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
