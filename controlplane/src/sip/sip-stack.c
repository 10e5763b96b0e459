/* libosip2 wiring: parse, match or create transactions, run the state machines from a loop
 * timer, send what they emit, and free what they kill. */
#include "sip-stack-int.h"

#include "bugle/log.h"
#include "response.h"
#include "stateless.h"

#include <arpa/inet.h>
#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The transaction timers (T1 = 500 ms) need no finer tick. */
#define TICK_MS 20

static struct csip_stack *stack_of(osip_transaction_t *tr)
{
	return osip_get_application_context(tr->config);
}

void csip_tx_release(struct csip_tx *tx)
{
	if (--tx->refs == 0)
		free(tx);
}

void csip_tx_ref(struct csip_tx *tx)
{
	tx->refs++;
}

void csip_tx_unref(struct csip_tx *tx)
{
	if (tx)
		csip_tx_release(tx);
}

const struct sockaddr_in *csip_tx_source(const struct csip_tx *tx)
{
	return &tx->src;
}

int csip_tx_respond(struct csip_tx *tx, osip_message_t *resp)
{
	if (!tx->tr || tx->st->closing) {
		osip_message_free(resp);
		return -ESHUTDOWN;
	}
	osip_event_t *ev = osip_new_outgoing_sipmessage(resp);
	if (!ev) {
		osip_message_free(resp);
		return -ENOMEM;
	}
	ev->transactionid = tx->tr->transactionid;
	csip_stack_queue_event(tx->st, tx->tr, ev);
	csip_stack_run_queued(tx->st);
	return 0;
}

/* osip's send hook: host/port come from the top Via (received/rport/maddr) for responses. */
static int send_message(osip_transaction_t *tr, osip_message_t *msg, char *host, int port,
			int out_socket)
{
	(void)out_socket;
	struct csip_stack *st = stack_of(tr);
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	struct sockaddr_in to;
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)(port > 0 && port < 65536 ? port : 5060));
	if (!host || inet_pton(AF_INET, host, &to.sin_addr) != 1) {
		/* A name in the Via: answer where the request came from (RFC 3261 §18.2.2). */
		if (!tx)
			return -1;
		to = tx->src;
	}
	char *text = NULL;
	size_t len = 0;
	if (osip_message_to_str(msg, &text, &len) != 0 || !text) {
		st->c.tx_errors++;
		return -1;
	}
	int rc = csip_udp_send(st, text, len, &to);
	osip_free(text);
	return rc < 0 ? -1 : 0;
}

static void kill_transaction(int type, osip_transaction_t *tr)
{
	(void)type;
	struct csip_stack *st = stack_of(tr);
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (tx) {
		/* A client transaction ending without a final answer could not deliver it. */
		csip_outbound_finish(tx, 503, NULL);
		tx->tr = NULL;
		osip_transaction_set_your_instance(tr, NULL);
		csip_tx_release(tx);
	}
	if (st->c.transactions_live)
		st->c.transactions_live--;
	if (st->n_dead == st->cap_dead) {
		size_t cap = st->cap_dead ? st->cap_dead * 2 : 64;
		osip_transaction_t **d = realloc(st->dead, cap * sizeof(*d));
		if (!d) {
			/* Left in osip's lists; freed with the stack. */
			BGL_ERR("sip: no memory to retire a transaction");
			return;
		}
		st->dead = d;
		st->cap_dead = cap;
	}
	st->dead[st->n_dead++] = tr;
}

static void new_request(int type, osip_transaction_t *tr, osip_message_t *msg)
{
	(void)type;
	struct csip_stack *st = stack_of(tr);
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (!tx || !st->opt.on_request)
		return;
	st->opt.on_request(st->opt.arg, tx, msg);
}

static const int request_events[] = {
	OSIP_IST_INVITE_RECEIVED,     OSIP_NIST_REGISTER_RECEIVED, OSIP_NIST_BYE_RECEIVED,
	OSIP_NIST_OPTIONS_RECEIVED,   OSIP_NIST_INFO_RECEIVED,     OSIP_NIST_CANCEL_RECEIVED,
	OSIP_NIST_NOTIFY_RECEIVED,    OSIP_NIST_SUBSCRIBE_RECEIVED,
	OSIP_NIST_UNKNOWN_REQUEST_RECEIVED,
};

static const int kill_events[] = {
	OSIP_ICT_KILL_TRANSACTION,
	OSIP_IST_KILL_TRANSACTION,
	OSIP_NICT_KILL_TRANSACTION,
	OSIP_NIST_KILL_TRANSACTION,
};

static void free_dead(struct csip_stack *st)
{
	for (size_t i = 0; i < st->n_dead; i++)
		osip_transaction_free(st->dead[i]);
	st->n_dead = 0;
}

void csip_stack_queue_event(struct csip_stack *st, osip_transaction_t *tr, osip_event_t *ev)
{
	osip_transaction_add_event(tr, ev);
	st->more_events = true;
	if (st->n_pending == st->cap_pending) {
		size_t cap = st->cap_pending ? st->cap_pending * 2 : 64;
		osip_transaction_t **p = realloc(st->pending, cap * sizeof(*p));
		if (!p) {
			st->walk_all = true;	/* osip's walks find it */
			return;
		}
		st->pending = p;
		st->cap_pending = cap;
	}
	st->pending[st->n_pending++] = tr;
}

/* Every queued event of the queued transactions, including those queued meanwhile by
 * handlers. A transaction is freed only after this (free_dead), so the pointers hold. */
static void execute_queued(struct csip_stack *st)
{
	for (size_t i = 0; i < st->n_pending; i++) {
		osip_transaction_t *tr = st->pending[i];
		osip_event_t *ev;
		while ((ev = osip_fifo_tryget(tr->transactionff)) != NULL)
			osip_transaction_execute(tr, ev);
	}
	st->n_pending = 0;
}

static void run_rounds(struct csip_stack *st)
{
	/* Events added while the machines ran (an answer from a handler) need another round;
	 * bounded, the tick picks up anything left. */
	for (int round = 0; round < 4; round++) {
		st->more_events = false;
		if (st->walk_all) {
			st->walk_all = false;
			osip_ict_execute(st->osip);
			osip_ist_execute(st->osip);
			osip_nict_execute(st->osip);
			osip_nist_execute(st->osip);
		}
		execute_queued(st);
		free_dead(st);
		if (!st->more_events)
			break;
	}
}

void csip_stack_run(struct csip_stack *st)
{
	/* Handlers may answer from inside a state machine: the outer run picks that up. */
	if (st->executing || !st->osip)
		return;
	st->executing = true;
	osip_timers_ict_execute(st->osip);
	osip_timers_ist_execute(st->osip);
	osip_timers_nict_execute(st->osip);
	osip_timers_nist_execute(st->osip);
	st->walk_all = true;	/* the timers queue their events without telling us */
	run_rounds(st);
	st->executing = false;
}

void csip_stack_run_queued(struct csip_stack *st)
{
	if (st->executing || !st->osip)
		return;
	st->executing = true;
	run_rounds(st);
	st->executing = false;
}

static void on_tick(uv_timer_t *t)
{
	csip_stack_run(t->data);
}

/* true when an answer could be built and was handed to the socket. */
static bool stateless(struct csip_stack *st, const char *buf, size_t len,
		      const struct sockaddr_in *src, int code, const char *reason)
{
	char out[4096];
	int n = csip_stateless_reply(buf, len, code, reason, out, sizeof(out));
	if (n <= 0)
		return false;
	csip_udp_send(st, out, (size_t)n, src);
	return true;
}

static bool has_mandatory_headers(const osip_message_t *m)
{
	return m->from && m->to && m->call_id && m->cseq && m->cseq->method && m->cseq->number &&
	       osip_list_size(&m->vias) > 0;
}

/* The list osip matches an incoming message in (as its own lookup picks it): INVITE and ACK
 * requests the server INVITE transactions, other requests the other server ones; responses
 * the client transactions of their CSeq's method. */
static osip_list_t *transactions_for(osip_t *osip, const osip_message_t *m)
{
	bool invite = strcmp(m->cseq->method, "INVITE") == 0;
	if (MSG_IS_REQUEST(m))
		return invite || strcmp(m->cseq->method, "ACK") == 0 ? &osip->osip_ist_transactions
								    : &osip->osip_nist_transactions;
	return invite ? &osip->osip_ict_transactions : &osip->osip_nict_transactions;
}

void csip_stack_input(struct csip_stack *st, const char *buf, size_t len,
		      const struct sockaddr_in *src)
{
	st->c.rx_datagrams++;
	if (st->closing)
		return;
	osip_event_t *ev = len ? osip_parse(buf, len) : NULL;
	if (!ev || !ev->sip) {
		if (ev)
			osip_event_free(ev);
		if (stateless(st, buf, len, src, 400, "Bad Request"))
			st->c.rx_unparsable++;
		else
			st->c.rx_dropped++;
		return;
	}
	osip_message_t *m = ev->sip;
	if (!has_mandatory_headers(m)) {
		if (MSG_IS_REQUEST(m) && stateless(st, buf, len, src, 400, "Missing Mandatory Header"))
			st->c.rx_missing_headers++;
		else
			st->c.rx_dropped++;
		osip_event_free(ev);
		return;
	}
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &src->sin_addr, ip, sizeof(ip));
	if (MSG_IS_REQUEST(m))
		osip_message_fix_last_via_header(m, ip, ntohs(src->sin_port));

	osip_transaction_t *known = osip_transaction_find(transactions_for(st->osip, m), ev);
	if (known) {
		csip_stack_queue_event(st, known, ev);
		st->c.rx_retransmissions++;
		return;
	}
	if (MSG_IS_ACK(m) && st->opt.on_ack) {
		st->opt.on_ack(st->opt.arg, m);
		osip_event_free(ev);
		return;
	}
	if (MSG_IS_RESPONSE(m) || MSG_IS_ACK(m)) {
		st->c.rx_stray++;
		osip_event_free(ev);
		return;
	}
	if (st->c.transactions_live >= st->opt.max_transactions) {
		st->c.tx_overload++;
		osip_message_t *r = csip_response_new(m, 503, "Service Unavailable", NULL);
		char *text = NULL;
		size_t tlen = 0;
		if (r && osip_message_to_str(r, &text, &tlen) == 0 && text) {
			csip_udp_send(st, text, tlen, src);
			osip_free(text);
		}
		if (r)
			osip_message_free(r);
		osip_event_free(ev);
		return;
	}
	struct csip_tx *tx = calloc(1, sizeof(*tx));
	osip_transaction_t *tr = NULL;
	if (!tx || osip_transaction_init(&tr, MSG_IS_INVITE(m) ? IST : NIST, st->osip, m) != 0) {
		free(tx);
		osip_event_free(ev);
		st->c.rx_dropped++;
		return;
	}
	tx->st = st;
	tx->tr = tr;
	tx->src = *src;
	tx->refs = 1;
	osip_transaction_set_your_instance(tr, tx);
	ev->transactionid = tr->transactionid;
	st->c.transactions_created++;
	st->c.transactions_live++;
	csip_stack_queue_event(st, tr, ev);
}

struct csip_stack *csip_stack_new(uv_loop_t *loop, const struct csip_stack_options *opt)
{
	struct csip_stack *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->loop = loop;
	st->opt = *opt;
	st->fd = -1;
	if (csip_parse_hostport(opt->listen, &st->local) < 0 ||
	    csip_parse_hostport(opt->outbound_proxy, &st->outbound) < 0) {
		BGL_ERR("sip: listen '%s' or outbound proxy '%s' is not ip:port", opt->listen,
			opt->outbound_proxy);
		free(st);
		return NULL;
	}
	/* libosip2 writes a line to stderr for every message it cannot parse: a remote party
	 * could flood the log. Its trace switch is process-wide; our counters say the same. */
	for (int level = 0; level < END_TRACE_LEVEL; level++)
		osip_trace_disable_level((osip_trace_level_t)level);
	if (osip_init(&st->osip) != 0) {
		free(st);
		return NULL;
	}
	osip_set_application_context(st->osip, st);
	osip_set_cb_send_message(st->osip, send_message);
	for (size_t i = 0; i < sizeof(request_events) / sizeof(request_events[0]); i++)
		osip_set_message_callback(st->osip, request_events[i], new_request);
	for (size_t i = 0; i < sizeof(kill_events) / sizeof(kill_events[0]); i++)
		osip_set_kill_transaction_callback(st->osip, kill_events[i], kill_transaction);
	csip_outbound_register_callbacks(st->osip);
	return st;
}

int csip_stack_start(struct csip_stack *st)
{
	int rc = csip_udp_open(st);
	if (rc < 0) {
		BGL_ERR("sip: cannot listen on %s: %s", st->opt.listen, strerror(-rc));
		return rc;
	}
	rc = uv_timer_init(st->loop, &st->tick);
	if (rc < 0)
		return rc;
	st->tick.data = st;
	st->tick_open = true;
	st->handles_open++;
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &st->local.sin_addr, ip, sizeof(ip));
	BGL_INFO("sip: listening on %s:%u (udp), outbound proxy %s", ip, ntohs(st->local.sin_port),
		 st->opt.outbound_proxy);
	return uv_timer_start(&st->tick, on_tick, TICK_MS, TICK_MS);
}

int csip_stack_local_port(const struct csip_stack *st)
{
	return ntohs(st->local.sin_port);
}

void csip_stack_counters(const struct csip_stack *st, struct csip_stack_counters *out)
{
	*out = st->c;
}

/* Every transaction still in osip's lists, of every kind, is ended and freed. */
static void free_all_transactions(struct csip_stack *st)
{
	osip_list_t *lists[] = { &st->osip->osip_ict_transactions,
				 &st->osip->osip_ist_transactions,
				 &st->osip->osip_nict_transactions,
				 &st->osip->osip_nist_transactions };
	for (size_t i = 0; i < 4; i++) {
		while (!osip_list_eol(lists[i], 0)) {
			osip_transaction_t *tr = osip_list_get(lists[i], 0);
			struct csip_tx *tx = osip_transaction_get_your_instance(tr);
			if (tx) {
				csip_outbound_finish(tx, 503, NULL);
				tx->tr = NULL;
				csip_tx_release(tx);
			}
			osip_transaction_free(tr);
		}
	}
}

static void release(struct csip_stack *st)
{
	free_dead(st);
	free_all_transactions(st);
	osip_release(st->osip);
	if (st->fd >= 0)
		close(st->fd); /* only now: libuv must not poll a closed descriptor */
	free(st->dead);
	free(st->pending);
	free(st);
}

static void handle_closed(uv_handle_t *h)
{
	struct csip_stack *st = h->data;
	if (--st->handles_open == 0)
		release(st);
}

/* Client transactions report their outcome now: their callers may be closing too. */
static void finish_client_transactions(struct csip_stack *st)
{
	osip_list_t *lists[] = { &st->osip->osip_ict_transactions,
				 &st->osip->osip_nict_transactions };
	for (size_t i = 0; i < 2; i++) {
		osip_list_iterator_t it;
		for (osip_transaction_t *tr = osip_list_get_first(lists[i], &it); tr;
		     tr = osip_list_get_next(&it)) {
			struct csip_tx *tx = osip_transaction_get_your_instance(tr);
			if (tx)
				csip_outbound_finish(tx, 503, NULL);
		}
	}
}

void csip_stack_close(struct csip_stack *st)
{
	if (!st || st->closing)
		return;
	st->closing = true;
	finish_client_transactions(st);
	if (st->poll_open) {
		uv_poll_stop(&st->poll);
		uv_close((uv_handle_t *)&st->poll, handle_closed);
	}
	if (st->tick_open)
		uv_close((uv_handle_t *)&st->tick, handle_closed);
	if (st->handles_open == 0)
		release(st);
}
