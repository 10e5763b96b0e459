/* Bans through the data planes' control channels. */
#include "ban.h"

#include "bugle/log.h"
#include "dpclient.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_TIMEOUT_MS 2000

struct csip_ban {
	uv_loop_t *loop;
	char control[512];
	unsigned inflight;
	bool closing;
	struct csip_ban_counters c;
};

struct ban_job {
	uv_work_t work;
	struct csip_ban *b;
	char addr[128];
	char ip[64];
	char reason[128];
	unsigned seconds;
	int status;
	char err[256];
};

struct csip_ban *csip_ban_new(uv_loop_t *loop, const char *control)
{
	struct csip_ban *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->loop = loop;
	snprintf(b->control, sizeof(b->control), "%s", control ? control : "");
	return b;
}

static void run_call(uv_work_t *w)
{
	struct ban_job *j = w->data;
	Bugle__Dp__Ban req = BUGLE__DP__BAN__INIT;
	req.source = j->ip;
	req.seconds = j->seconds;
	req.reason = j->reason;
	ProtobufCMessage *reply = NULL;
	j->status = dpclient_sync_call(j->addr, BUGLE__DP__METHOD__METHOD_BAN_ADD, &req.base, NULL,
				       &reply, j->err, sizeof(j->err), CALL_TIMEOUT_MS);
	if (reply)
		protobuf_c_message_free_unpacked(reply, NULL);
}

static void call_done(uv_work_t *w, int status)
{
	struct ban_job *j = w->data;
	struct csip_ban *b = j->b;
	if (status == 0 && j->status == 0) {
		b->c.succeeded++;
		BGL_INFO("sip: data plane %s banned %s for %u s", j->addr, j->ip, j->seconds);
	} else {
		b->c.failed++;
		BGL_WARN("sip: data plane %s did not ban %s: %s", j->addr, j->ip,
			 status ? uv_strerror(status) : j->err[0] ? j->err : strerror(-j->status));
	}
	free(j);
	if (--b->inflight == 0 && b->closing)
		free(b);
}

int csip_ban_source(struct csip_ban *b, const char *ip, unsigned seconds, const char *reason)
{
	if (strlen(ip) >= sizeof(((struct ban_job *)0)->ip))
		return -EMSGSIZE;
	const char *p = b->control;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ",");
		size_t trimmed = len;
		while (trimmed && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t'))
			trimmed--;
		struct ban_job *j = calloc(1, sizeof(*j));
		if (!j)
			return -ENOMEM;
		if (trimmed >= sizeof(j->addr)) {
			free(j);
			return -EMSGSIZE;
		}
		memcpy(j->addr, p, trimmed);
		snprintf(j->ip, sizeof(j->ip), "%s", ip);
		snprintf(j->reason, sizeof(j->reason), "%s", reason);
		j->seconds = seconds;
		j->b = b;
		j->work.data = j;
		int rc = uv_queue_work(b->loop, &j->work, run_call, call_done);
		if (rc < 0) {
			free(j);
			b->c.failed++;
			return rc;
		}
		b->inflight++;
		b->c.requested++;
		p += len;
	}
	return 0;
}

void csip_ban_counters(const struct csip_ban *b, struct csip_ban_counters *out)
{
	*out = b->c;
}

void csip_ban_close(struct csip_ban *b)
{
	if (!b)
		return;
	b->closing = true;
	if (b->inflight == 0)
		free(b);
}
