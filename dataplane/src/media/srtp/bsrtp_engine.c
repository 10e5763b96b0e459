/* Per-lcore engine: the intel-ipsec-mb managers, set up for the best code paths of this CPU or
 * for one named path (to compare paths, or to pin one in production). */
#include "bsrtp.h"
#include "bsrtp_engine-t.h"

#include <stdlib.h>
#include <string.h>

struct arch_entry {
	const char *name;
	IMB_ARCH arch;
	uint64_t cpu_flags;
	void (*init)(IMB_MGR *mgr);
};

static const struct arch_entry arches[] = {
	{ "sse", IMB_ARCH_SSE, IMB_CPUFLAGS_SSE, init_mb_mgr_sse },
	{ "avx", IMB_ARCH_AVX, IMB_CPUFLAGS_AVX, init_mb_mgr_avx },
	{ "avx2", IMB_ARCH_AVX2, IMB_CPUFLAGS_AVX2, init_mb_mgr_avx2 },
	{ "avx512", IMB_ARCH_AVX512, IMB_CPUFLAGS_AVX512, init_mb_mgr_avx512 },
};

static void engine_free(struct bsrtp_engine *eng)
{
	if (eng->mgr_hmac && eng->mgr_hmac != eng->mgr)
		free_mb_mgr(eng->mgr_hmac);
	if (eng->mgr)
		free_mb_mgr(eng->mgr);
	/* The slots held IVs and tags of live keys. */
	explicit_bzero(eng, sizeof(*eng));
	free(eng);
}

static IMB_MGR *mgr_new(const struct arch_entry *a)
{
	IMB_MGR *mgr = alloc_mb_mgr(0);

	if (!mgr)
		return NULL;
	if (a)
		a->init(mgr);
	else
		init_mb_mgr_auto(mgr, NULL);
	if (imb_get_errno(mgr) != 0) {
		free_mb_mgr(mgr);
		return NULL;
	}
	return mgr;
}

static struct bsrtp_engine *engine_new(const struct arch_entry *forced)
{
	struct bsrtp_engine *eng = aligned_alloc(64, (sizeof(*eng) + 63) & ~(size_t)63);

	if (!eng)
		return NULL;
	memset(eng, 0, sizeof(*eng));
	eng->mgr = mgr_new(forced);
	if (!eng->mgr) {
		engine_free(eng);
		return NULL;
	}
	eng->mgr_hmac = eng->mgr;
	if (!forced && (eng->mgr->features & IMB_FEATURE_SHANI) &&
	    eng->mgr->used_arch != IMB_ARCH_SSE) {
		eng->mgr_hmac = mgr_new(&arches[0]);
		if (!eng->mgr_hmac) {
			engine_free(eng);
			return NULL;
		}
	}
	return eng;
}

struct bsrtp_engine *bsrtp_engine_create(void)
{
	return engine_new(NULL);
}

struct bsrtp_engine *bsrtp_engine_create_arch(const char *arch)
{
	if (!arch)
		return NULL;
	if (!strcmp(arch, "auto"))
		return engine_new(NULL);
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		if (strcmp(arch, arches[i].name) != 0)
			continue;
		if ((imb_get_feature_flags() & arches[i].cpu_flags) != arches[i].cpu_flags)
			return NULL;
		return engine_new(&arches[i]);
	}
	return NULL;
}

void bsrtp_engine_destroy(struct bsrtp_engine *eng)
{
	if (eng)
		engine_free(eng);
}

const char *bsrtp_engine_arch(const struct bsrtp_engine *eng, int hmac_path)
{
	uint32_t used = (hmac_path ? eng->mgr_hmac : eng->mgr)->used_arch;

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i].arch == used)
			return arches[i].name;
	return "none";
}
