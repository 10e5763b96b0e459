/* One fuzzer source per lazily parsed header family; the family is chosen at build time
 * (-DFUZZ_FAMILY=...) so each target has its own corpus and coverage. Input = raw value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAMILY_VIA 1
#define FAMILY_ADDR 2
#define FAMILY_CSEQ 3
#define FAMILY_URI 4
#define FAMILY_AUTH 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_str v = { (const char *)data, (uint32_t)size };

	if (size > SIP_MAX_MSG_LEN)
		return 0;
#if FUZZ_FAMILY == FAMILY_VIA
	static struct sip_via via[SIP_MAX_VALUES];
	uint32_t n = 0;
	if (sip_via_parse(&v, 0, via, SIP_MAX_VALUES, &n) == 0) {
		struct sip_str p;
		for (uint32_t i = 0; i < n; i++)
			(void)sip_hdr_param(&via[i].params, "maddr", &p);
	}
	if (n > SIP_MAX_VALUES)
		__builtin_trap();
#elif FUZZ_FAMILY == FAMILY_ADDR
	static struct sip_addr a[SIP_MAX_VALUES];
	struct sip_uri u;
	uint32_t n = 0;
	(void)sip_addr_parse(&v, 0, false, a, 1, &n);
	n = 0;
	if (sip_addr_parse(&v, 0, true, a, SIP_MAX_VALUES, &n) == 0)
		for (uint32_t i = 0; i < n; i++)
			(void)sip_uri_parse(a[i].uri.s, a[i].uri.len, &u);
#elif FUZZ_FAMILY == FAMILY_CSEQ
	struct sip_cseq c;
	uint64_t x;
	struct sip_str id;
	struct sip_options o = { .count = 0 };
	(void)sip_cseq_parse(&v, &c);
	(void)sip_uint_parse(&v, 0xffffffffu, &x);
	(void)sip_call_id_parse(&v, &id);
	(void)sip_options_parse(&v, &o);
	(void)sip_accept_allows(&v, "application", "sdp");
	struct sip_media_type mt;
	(void)sip_content_type_parse(&v, &mt);
#elif FUZZ_FAMILY == FAMILY_URI
	struct sip_uri u;
	char out[256];
	size_t n;
	if (sip_uri_parse(v.s, v.len, &u) == 0) {
		struct sip_str p;
		(void)sip_uri_param(&u, "transport", &p);
		(void)sip_unescape(&u.user, out, sizeof(out), &n);
		(void)sip_unescape(&u.headers, out, sizeof(out), &n);
	}
	(void)sip_unescape(&v, out, sizeof(out), &n);
#elif FUZZ_FAMILY == FAMILY_AUTH
	static struct sip_auth a;
	if (sip_auth_parse(&v, &a) == 0 && a.n_params > SIP_MAX_AUTH_PARAMS)
		__builtin_trap();
#else
#error "FUZZ_FAMILY must name a header family"
#endif
	return 0;
}
