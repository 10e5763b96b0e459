/* Flood filter types: verdicts, method classes, drop-reason counters, sizing config and the
 * run-time policy. Types only; the functions are in flt.h, flt-control.h, flt-policy.h and
 * flt-counters.h.
 *
 * Return convention: this header declares no functions.
 */
#ifndef BUGLE_FLT_T_H
#define BUGLE_FLT_T_H

#include <stddef.h>
#include <stdint.h>

#define FLT_UA_MAX 32		/* scanner User-Agent patterns in one policy */
#define FLT_UA_LEN_MIN 2	/* shorter patterns would match nearly every agent */
#define FLT_UA_LEN_MAX 63
#define FLT_ALLOW_MAX 64	/* allow-listed addresses or CIDRs */
#define FLT_ACCOUNT_ID_MAX 63
#define FLT_RATE_MAX 1000000u	/* bound on every per-second rate and burst */

enum flt_verdict { FLT_ACCEPT = 0, FLT_DROP = 1 };

/* Method classes with a token bucket each; any other value passed to flt_check counts as OTHER. */
enum flt_method { FLT_METHOD_REGISTER, FLT_METHOD_INVITE, FLT_METHOD_OTHER, FLT_METHOD_COUNT };

/* Every counter the filter keeps, declared once: X(name, help). Stats, CLI and metrics all read
 * this table through flt-counters.h. "accepted" counts every accepted request; "allowlisted"
 * counts those of them that bypassed the per-source limits. The rest are drops or table events. */
#define FLT_COUNTERS(X)                                                                            \
	X(accepted, "requests accepted")                                                           \
	X(allowlisted, "accepted requests from allow-listed sources (also counted in accepted)")  \
	X(banned, "dropped: source is banned")                                                     \
	X(scanner_ua, "dropped: User-Agent matches the scanner deny list")                         \
	X(density, "dropped: source exceeded the request density and was banned")                  \
	X(register_rate, "dropped: source exceeded its REGISTER rate")                             \
	X(invite_rate, "dropped: source exceeded its INVITE rate")                                 \
	X(other_rate, "dropped: source exceeded its rate for other methods")                       \
	X(account_cps, "dropped: INVITE over the account's calls-per-second limit")                \
	X(table_full_evict, "least recently seen source evicted to make room for a new one")      \
	X(ban_table_full, "density ban not recorded: ban table full (the request is still dropped)") \
	X(notice_overflow, "ban notice lost: notice queue full")

enum flt_counter {
#define FLT_COUNTER_ENUM(name, help) FLT_C_##name,
	FLT_COUNTERS(FLT_COUNTER_ENUM)
#undef FLT_COUNTER_ENUM
	FLT_COUNTER_COUNT
};

/* A token bucket: per_sec tokens per second up to burst. per_sec 0 means no limit. */
struct flt_rate {
	uint32_t per_sec;
	uint32_t burst;
};

/* An IPv4 network in host byte order; prefix 32 is a single address. */
struct flt_cidr {
	uint32_t addr;
	uint8_t prefix;
};

/* What the filter enforces; replaceable at run time with flt_policy_apply(). Plain data, so the
 * main lcore can fill one and hand it to a worker over that worker's SPSC ring. */
struct flt_policy {
	uint32_t density_requests;	/* the request that reaches this count in one window bans; 0 off */
	uint32_t density_window_ms;
	uint32_t ban_seconds;		/* how long a density ban lasts */
	struct flt_rate method_rate[FLT_METHOD_COUNT];
	uint32_t ua_count;
	char ua[FLT_UA_MAX][FLT_UA_LEN_MAX + 1];	/* NUL-terminated, matched case-insensitively */
	uint32_t allow_count;
	struct flt_cidr allow[FLT_ALLOW_MAX];
};

/* Sizes fixed at creation; nothing is allocated afterwards. */
struct flt_config {
	uint32_t sources;	/* per-source state slots, power of two >= 8 */
	uint32_t bans;		/* ban table slots, power of two >= 8 */
	uint32_t accounts;	/* account limit slots, power of two >= 8; 3/4 may be filled */
	uint32_t notices;	/* queued "new ban" notices, power of two >= 2 */
	uint32_t sweep_slots;	/* ban slots flt_expire() examines per call */
	uint64_t hash_seed;	/* 0: drawn from getrandom() at creation */
	/* Optional allocator (e.g. rte_zmalloc_socket on the worker's socket); NULL: aligned_alloc. */
	void *(*alloc)(size_t size, size_t align, void *arg);
	void (*free)(void *ptr, void *arg);
	void *alloc_arg;
};

enum flt_ban_reason { FLT_BAN_OPERATOR = 0, FLT_BAN_DENSITY = 1 };

#define FLT_BAN_PERMANENT UINT64_MAX	/* expires_ns of a ban without end */

/* One ban as listed for the control channel. */
struct flt_ban_info {
	uint32_t ip;
	enum flt_ban_reason reason;
	uint64_t expires_ns;		/* FLT_BAN_PERMANENT for no end */
	uint32_t seconds_left;		/* rounded up; UINT32_MAX when permanent */
};

/* A ban the density detector added, for the main lcore to announce to the control plane. */
struct flt_ban_notice {
	uint32_t ip;
	uint32_t ban_seconds;
	uint64_t at_ns;
	uint32_t requests;		/* requests seen in the window that triggered it */
};

#endif
