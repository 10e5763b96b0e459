/* Dispatcher set, rendezvous choice and health (see edge_dispatch.h). */
#include "edge_dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_ipv4.h"

#define SIP_PORT_DEFAULT 5060

static uint64_t mix64(uint64_t x)
{
	/* splitmix64 finaliser: spreads the Call-ID hash and the node id over all bits. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int edge_nodes_parse(const char *text, struct edge_set *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *end = p;
		while (*end && *end != ',' && *end != ' ')
			end++;
		const char *colon = memchr(p, ':', (size_t)(end - p));
		uint32_t ip;
		long port = SIP_PORT_DEFAULT;
		if (colon) {
			char num[8];
			size_t n = (size_t)(end - colon - 1);
			char *e;
			if (n == 0 || n >= sizeof(num))
				goto bad;
			memcpy(num, colon + 1, n);
			num[n] = 0;
			port = strtol(num, &e, 10);
			if (*e || port < 1 || port > 65535)
				goto bad;
		}
		if (edge_ipv4_parse(p, (size_t)((colon ? colon : end) - p), &ip) < 0)
			goto bad;
		if (out->n == EDGE_MAX_NODES) {
			snprintf(err, errlen, "more than %d control planes", EDGE_MAX_NODES);
			return -EINVAL;
		}
		struct edge_node *nd = &out->node[out->n++];
		nd->ip = ip;
		nd->port = (uint16_t)port;
		snprintf(nd->name, sizeof(nd->name), "%.*s", (int)(end - p), p);
		p = end;
		continue;
bad:
		snprintf(err, errlen, "'%.*s' is not ip[:port]", (int)(end - p), p);
		return -EINVAL;
	}
	return 0;
}

bool edge_node_healthy(const struct edge_core *c, uint32_t slot, uint64_t now_ms)
{
	uint64_t last = atomic_load_explicit(&c->health.last_answer_ms[slot], memory_order_relaxed);
	return now_ms <= last || now_ms - last <= c->dead_after_ms;
}

const struct edge_node *edge_dispatch_pick(struct edge_core *c, const char *call_id,
					   size_t len, uint64_t now_ms)
{
	/* acquire: pairs with the release in edge_set_publish, so the set's nodes are complete. */
	const struct edge_set *set = atomic_load_explicit(&c->set, memory_order_acquire);
	const struct edge_node *best = NULL;
	uint64_t best_score = 0;
	uint64_t h = fnv1a(call_id, len);

	if (!set)
		return NULL;
	for (uint32_t i = 0; i < set->n; i++) {
		if (!edge_node_healthy(c, i, now_ms))
			continue;
		uint64_t id = (uint64_t)set->node[i].ip << 16 | set->node[i].port;
		uint64_t score = mix64(h ^ mix64(id));
		if (!best || score > best_score) {
			best = &set->node[i];
			best_score = score;
		}
	}
	return best;
}

int edge_health_answer(struct edge_core *c, uint32_t ip, uint16_t port, uint64_t now_ms)
{
	const struct edge_set *set = atomic_load_explicit(&c->set, memory_order_acquire);

	if (!set)
		return -ENOENT;
	for (uint32_t i = 0; i < set->n; i++) {
		if (set->node[i].ip == ip && set->node[i].port == port) {
			atomic_store_explicit(&c->health.last_answer_ms[i], now_ms,
					      memory_order_relaxed);
			return 0;
		}
	}
	return -ENOENT;
}

void edge_set_publish(struct edge_core *c, const struct edge_set *set, uint64_t now_ms)
{
	const struct edge_set *old = atomic_load_explicit(&c->set, memory_order_relaxed);
	uint64_t keep[EDGE_MAX_NODES];

	for (uint32_t i = 0; i < set->n; i++) {
		keep[i] = now_ms; /* grace for a new node */
		for (uint32_t j = 0; old && j < old->n; j++)
			if (old->node[j].ip == set->node[i].ip &&
			    old->node[j].port == set->node[i].port)
				keep[i] = atomic_load_explicit(&c->health.last_answer_ms[j],
							       memory_order_relaxed);
	}
	for (uint32_t i = 0; i < set->n; i++)
		atomic_store_explicit(&c->health.last_answer_ms[i], keep[i], memory_order_relaxed);
	/* release: the set's contents and the health stamps above are visible to a worker that
	 * loads the new pointer with acquire. */
	atomic_store_explicit(&c->set, set, memory_order_release);
}

int edge_probe_build(const struct edge_core *c, const struct edge_node *n, uint32_t seq,
		     char *out, size_t cap)
{
	char me[EDGE_IPV4_TEXT], to[EDGE_IPV4_TEXT];
	edge_ipv4_format(c->int_ip, me);
	edge_ipv4_format(n->ip, to);
	int len = snprintf(out, cap,
			   "OPTIONS sip:%s:%u SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP %s:%u;branch=" EDGE_PROBE_BRANCH "%u\r\n"
			   "Max-Forwards: 70\r\n"
			   "From: <sip:edge@%s>;tag=bglhc\r\n"
			   "To: <sip:%s:%u>\r\n"
			   "Call-ID: bglhc-%u@%s\r\n"
			   "CSeq: %u OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n",
			   to, n->port, me, c->port, seq, me, to, n->port, seq, me, seq);
	return len < 0 || (size_t)len >= cap ? -ENOSPC : len;
}
