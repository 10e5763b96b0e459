/* The periodic sweep of expired bindings. Several control planes may sweep at once: each takes
 * a bounded batch with SKIP LOCKED, so they share the work instead of waiting on each other. */
#include "registrar-int.h"

#include "bugle/log.h"
#include "cp/pg-pool.h"

#include <stdlib.h>

#define SWEEP_SQL                                                                          \
	"DELETE FROM registrations r USING ("                                              \
	"  SELECT realm, username, contact FROM registrations WHERE expires < now()"       \
	"  ORDER BY expires LIMIT 1000 FOR UPDATE SKIP LOCKED) old"                        \
	" WHERE r.realm = old.realm AND r.username = old.username AND r.contact = old.contact" \
	" RETURNING r.account_id, r.realm, r.username, r.contact, r.device_id, r.call_id"

static void swept(void *arg, const PGresult *res, const char *error)
{
	struct csip_registrar *r = arg;
	r->sweeping = false;
	r->busy--;
	if (error) {
		BGL_WARN("sip: registration sweep failed: %s", error);
	} else if (!r->closing) {
		int n = PQntuples(res);
		for (int i = 0; i < n; i++)
			csip_reg_event(r, "reg_deregister", PQgetvalue(res, i, 0),
				       PQgetvalue(res, i, 4), PQgetvalue(res, i, 1),
				       PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), 0, NULL, 0,
				       PQgetvalue(res, i, 5), NULL, "expired");
		r->c.swept += (uint64_t)n;
		if (n)
			BGL_INFO("sip: swept %d expired registration(s)", n);
	}
	csip_reg_release(r);
}

static void on_sweep(uv_timer_t *t)
{
	struct csip_registrar *r = t->data;
	if (r->sweeping || r->closing)
		return;
	if (cp_pg_query(r->pg, SWEEP_SQL, 0, NULL, swept, r) == 0) {
		r->sweeping = true;
		r->busy++;
	}
}

int csip_reg_sweep_start(struct csip_registrar *r)
{
	int rc = uv_timer_init(r->loop, &r->sweep);
	if (rc < 0)
		return rc;
	r->sweep.data = r;
	r->sweep_open = true;
	uint64_t ms = (uint64_t)r->cfg.sweep_interval_s * 1000;
	return uv_timer_start(&r->sweep, on_sweep, ms, ms);
}

static void sweep_closed(uv_handle_t *h)
{
	struct csip_registrar *r = h->data;
	r->sweep_open = false;
	csip_reg_release(r);
}

void csip_reg_sweep_stop(struct csip_registrar *r)
{
	if (r->sweep_open && !uv_is_closing((uv_handle_t *)&r->sweep))
		uv_close((uv_handle_t *)&r->sweep, sweep_closed);
}
