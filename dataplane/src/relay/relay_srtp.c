/* A context is never re-initialised while a worker may use it: keys are set when SRTP is first
 * turned on for a leg (offer, answer or an update of a plain leg) and stay for the life of the
 * session; a request with other keys is refused with a clear error instead. */
#include "relay_srtp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <rte_lcore.h>

#include "bsrtp.h"
#include "relay_counters.h"

int relay_srtp_engines_init(struct relay *r, char *err, size_t err_cap)
{
	unsigned lcore;
	RTE_LCORE_FOREACH(lcore) {
		r->srtp_eng[lcore] = bsrtp_engine_create();
		if (!r->srtp_eng[lcore])
			goto fail;
	}
	r->srtp_eng[RTE_MAX_LCORE] = bsrtp_engine_create();
	if (r->srtp_eng[RTE_MAX_LCORE])
		return 0;
fail:
	snprintf(err, err_cap, "cannot create the SRTP engines (intel-ipsec-mb)");
	relay_srtp_engines_fini(r);
	return -ENOMEM;
}

void relay_srtp_engines_fini(struct relay *r)
{
	for (unsigned i = 0; i <= RTE_MAX_LCORE; i++) {
		bsrtp_engine_destroy(r->srtp_eng[i]);
		r->srtp_eng[i] = NULL;
	}
}

static struct bsrtp_engine *engine(struct relay *r)
{
	unsigned id = rte_lcore_id();
	return r->srtp_eng[id < RTE_MAX_LCORE ? id : RTE_MAX_LCORE];
}

/* bugle_dp_SrtpSuite -> enum bsrtp_suite, or -1. */
static int suite_of(uint8_t s)
{
	switch (s) {
	case bugle_dp_SrtpSuite_SRTP_AES_CM_128_HMAC_SHA1_80: return BSRTP_AES_CM_128_HMAC_SHA1_80;
	case bugle_dp_SrtpSuite_SRTP_AES_CM_128_HMAC_SHA1_32: return BSRTP_AES_CM_128_HMAC_SHA1_32;
	case bugle_dp_SrtpSuite_SRTP_AEAD_AES_128_GCM: return BSRTP_AEAD_AES_128_GCM;
	default: return -1;
	}
}

static int check_key(const bugle_dp_SrtpKey *key, const char *tag, const char *which, char *err,
		     size_t err_cap)
{
	int s = suite_of((uint8_t)key->suite);
	if (s < 0) {
		snprintf(err, err_cap, "leg '%s': %s: unknown SRTP suite %d", tag, which,
			 (int)key->suite);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	size_t want = bsrtp_suite_master_len((enum bsrtp_suite)s);
	if (key->master_key_salt.size != want) {
		snprintf(err, err_cap, "leg '%s': %s: %s needs a %zu-byte key||salt, got %u", tag,
			 which, bsrtp_suite_name((enum bsrtp_suite)s), want,
			 (unsigned)key->master_key_salt.size);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	return bugle_dp_Status_STATUS_OK;
}

int relay_srtp_parse(const bugle_dp_LegSpec *spec, const struct relay_leg *cur,
		     struct relay_srtp_keys *k, char *err, size_t err_cap)
{
	memset(k, 0, sizeof(*k));
	bool in = spec->has_srtp_in && spec->srtp_in.suite != bugle_dp_SrtpSuite_SRTP_NONE;
	bool out = spec->has_srtp_out && spec->srtp_out.suite != bugle_dp_SrtpSuite_SRTP_NONE;
	if (out && !in) {
		snprintf(err, err_cap, "leg '%s': srtp_out without srtp_in (SRTP goes both ways)",
			 spec->leg_tag);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	int st;
	if (in && (st = check_key(&spec->srtp_in, spec->leg_tag, "srtp_in", err, err_cap)))
		return st;
	if (out && (st = check_key(&spec->srtp_out, spec->leg_tag, "srtp_out", err, err_cap)))
		return st;
	if (in) {
		k->in_suite = (uint8_t)spec->srtp_in.suite;
		k->in_len = (uint8_t)spec->srtp_in.master_key_salt.size;
		memcpy(k->in_key, spec->srtp_in.master_key_salt.bytes, k->in_len);
		if (out) {
			k->out_suite = (uint8_t)spec->srtp_out.suite;
			k->out_len = (uint8_t)spec->srtp_out.master_key_salt.size;
			memcpy(k->out_key, spec->srtp_out.master_key_salt.bytes, k->out_len);
		} else if (cur && cur->srtp_out_on && cur->srtp_out_suite == k->in_suite) {
			k->out_suite = cur->srtp_out_suite;
			k->out_len = cur->srtp_out_key_len;
			memcpy(k->out_key, cur->srtp_out_key, k->out_len);
		} else {
			/* Our own key for the SDP answer: fresh randomness from the kernel. */
			k->out_suite = k->in_suite;
			k->out_len = k->in_len;
			if (getrandom(k->out_key, k->out_len, 0) != k->out_len) {
				snprintf(err, err_cap, "no randomness for an SRTP key");
				return bugle_dp_Status_STATUS_INTERNAL;
			}
		}
	}
	if (cur && (cur->srtp_in_on || cur->srtp_out_on)) {
		bool same = cur->srtp_in_on && k->in_suite == cur->srtp_in_suite &&
			    k->in_len == cur->srtp_in_key_len &&
			    !memcmp(k->in_key, cur->srtp_in_key, k->in_len) &&
			    k->out_suite == cur->srtp_out_suite && k->out_len == cur->srtp_out_key_len &&
			    !memcmp(k->out_key, cur->srtp_out_key, k->out_len);
		if (!same) {
			snprintf(err, err_cap, "leg '%s': changing the SRTP keys of a live leg is not "
				 "supported; delete and offer the session again", spec->leg_tag);
			return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
		}
	}
	return bugle_dp_Status_STATUS_OK;
}

int relay_srtp_apply(struct relay *r, struct relay_leg *l, const struct relay_srtp_keys *k,
		     char *err, size_t err_cap)
{
	if (l->srtp_in_on || k->in_suite == bugle_dp_SrtpSuite_SRTP_NONE)
		return bugle_dp_Status_STATUS_OK;	/* unchanged (parse refused any change) */
	struct bsrtp_engine *eng = engine(r);
	if (bsrtp_ctx_init(&l->srtp_ctx[0], eng, (enum bsrtp_suite)suite_of(k->in_suite),
			   BSRTP_DIR_UNPROTECT, k->in_key, k->in_len) ||
	    bsrtp_ctx_init(&l->srtp_ctx[1], eng, (enum bsrtp_suite)suite_of(k->out_suite),
			   BSRTP_DIR_PROTECT, k->out_key, k->out_len)) {
		snprintf(err, err_cap, "leg '%s': the SRTP engine refused the key", l->tag);
		return bugle_dp_Status_STATUS_INTERNAL;
	}
	l->srtp_in_suite = k->in_suite;
	l->srtp_out_suite = k->out_suite;
	memcpy(l->srtp_in_key, k->in_key, k->in_len);
	memcpy(l->srtp_out_key, k->out_key, k->out_len);
	l->srtp_in_key_len = k->in_len;
	l->srtp_out_key_len = k->out_len;
	/* release: a worker that sees the flag with acquire sees the whole context. */
	__atomic_store_n(&l->srtp_in_on, true, __ATOMIC_RELEASE);
	__atomic_store_n(&l->srtp_out_on, true, __ATOMIC_RELEASE);
	return bugle_dp_Status_STATUS_OK;
}

static int drop(struct relay_counters *ctr, struct relay_leg *l, enum relay_counter_id why)
{
	relay_ctr_inc(ctr, why);
	__atomic_store_n(&l->dropped, l->dropped + 1, __ATOMIC_RELAXED);
	return 0;
}

int relay_srtp_unprotect(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			 uint8_t *buf, uint16_t *len, bool rtcp)
{
	size_t n = *len;
	struct bsrtp_engine *eng = engine(r);
	int rc = rtcp ? bsrtp_unprotect_rtcp(eng, &l->srtp_ctx[0], buf, &n)
		      : bsrtp_unprotect(eng, &l->srtp_ctx[0], buf, &n);
	if (rc == -EBADMSG)
		return drop(ctr, l, RELAY_CTR_drop_srtp_auth);
	if (rc == -EALREADY)
		return drop(ctr, l, RELAY_CTR_drop_srtp_replay);
	if (rc < 0)
		return drop(ctr, l, RELAY_CTR_drop_srtp_bad);
	*len = (uint16_t)n;
	relay_ctr_inc(ctr, RELAY_CTR_srtp_unprotected);
	return 1;
}

int relay_srtp_protect(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
		       uint8_t *buf, uint16_t *len, uint16_t cap, bool rtcp)
{
	size_t n = *len;
	struct bsrtp_engine *eng = engine(r);
	int rc = rtcp ? bsrtp_protect_rtcp(eng, &l->srtp_ctx[1], buf, &n, cap)
		      : bsrtp_protect(eng, &l->srtp_ctx[1], buf, &n, cap);
	if (rc < 0) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_srtp_protect);
		return 0;
	}
	*len = (uint16_t)n;
	relay_ctr_inc(ctr, RELAY_CTR_srtp_protected);
	return 1;
}
