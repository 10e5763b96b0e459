/* The /metrics rendering of a StatsReply: families and labels by convention, every drop counter
 * under bugle_dataplane_drops_total with its reason, help text from the counter tables, and a
 * valid shape (HELP, TYPE, then the samples of that family only). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_counters.h"
#include "ops_metrics.h"

static char out[256 * 1024];

static void add(bugle_dp_StatsReply *st, const char *name, uint64_t v)
{
	bugle_dp_Counter *c = &st->counters[st->counters_count++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = v;
}

static const char *render(const bugle_dp_StatsReply *st)
{
	struct ops_expo w;
	uint64_t http[2] = { 5, 6 };
	struct ops_metrics_info info = { .node = "dp\"1", .version = "1.2", .uptime_s = 9,
					 .draining = true, .http = http, .n_http = 2 };
	ops_expo_init(&w, out, sizeof(out));
	assert_int_equal(ops_metrics_render(st, &info, &w), 0);
	return out;
}

static bugle_dp_StatsReply *sample_stats(void)
{
	static bugle_dp_StatsReply st;
	memset(&st, 0, sizeof(st));
	add(&st, "rx_packets", 100);
	add(&st, "rx_drop_ttl", 3);
	add(&st, "mbuf_alloc_fail", 4);
	add(&st, "relay_rtp_rx", 50);
	add(&st, "relay_drop_short", 2);
	add(&st, "edge_pub_requests", 11);
	add(&st, "edge_parse_dropped", 1);
	add(&st, "flt_banned", 6);
	add(&st, "flt_accepted", 10);
	add(&st, "sip_fault_malformed", 7);
	add(&st, "ctl_frames_rx", 8);
	st.sessions_active = 2;
	st.sessions_max = 10;
	st.mbufs_in_use = 12;
	st.mbufs_total = 1023;
	st.ports_count = 1;
	snprintf(st.ports[0].name, sizeof(st.ports[0].name), "public");
	st.ports[0].rx_packets = 21;
	st.ports[0].tx_packets = 22;
	st.ports[0].rx_bytes = 23;
	st.ports[0].tx_bytes = 24;
	st.ports[0].rx_missed = 26;
	st.ports[0].rx_kernel_ring_drops = 25;
	st.lcores_count = 1;
	st.lcores[0].lcore_id = 1;
	snprintf(st.lcores[0].role, sizeof(st.lcores[0].role), "worker");
	st.lcores[0].busy_polls = 31;
	st.lcores[0].idle_polls = 32;
	return &st;
}

static void expect(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing line: %s", line);
}

static void test_conventions(void **state)
{
	(void)state;
	const char *t = render(sample_stats());
	expect(t, "\nbugle_dataplane_drops_total{reason=\"rx_drop_ttl\"} 3\n");
	expect(t, "\nbugle_dataplane_drops_total{reason=\"mbuf_alloc_fail\"} 4\n");
	expect(t, "\nbugle_dataplane_drops_total{reason=\"relay_drop_short\"} 2\n");
	expect(t, "\nbugle_dataplane_drops_total{reason=\"edge_parse_dropped\"} 1\n");
	expect(t, "\nbugle_dataplane_drops_total{reason=\"flt_banned\"} 6\n");
	expect(t, "\nbugle_dataplane_packets_total{port=\"public\",direction=\"rx\"} 21\n");
	expect(t, "\nbugle_dataplane_packets_total{port=\"public\",direction=\"tx\"} 22\n");
	expect(t, "\nbugle_dataplane_bytes_total{port=\"public\",direction=\"tx\"} 24\n");
	expect(t, "\nbugle_dataplane_port_rx_missed_total{port=\"public\"} 26\n");
	expect(t, "\nbugle_dataplane_port_rx_kernel_ring_drops_total{port=\"public\"} 25\n");
	expect(t, "\nbugle_dataplane_sessions 2\n");
	expect(t, "\nbugle_dataplane_mbufs_in_use 12\n");
	expect(t, "\nbugle_dataplane_draining 1\n");
	expect(t, "\nbugle_dataplane_lcore_polls_total{lcore=\"1\",role=\"worker\",state=\"busy\"} 31\n");
	expect(t, "\nbugle_dataplane_lcore_polls_total{lcore=\"1\",role=\"worker\",state=\"idle\"} 32\n");
	expect(t, "\nbugle_dataplane_net_rx_packets_total 100\n");
	expect(t, "\nbugle_dataplane_relay_rtp_rx_total 50\n");
	expect(t, "\nbugle_dataplane_edge_pub_requests_total 11\n");
	expect(t, "\nbugle_dataplane_flt_accepted_total 10\n");
	expect(t, "\nbugle_dataplane_sip_sanity_faults_total{fault=\"malformed\"} 7\n");
	expect(t, "\nbugle_dataplane_control_channel_frames_rx_total 8\n");
	expect(t, "\nbugle_dataplane_metrics_http_accepted_total 5\n");
	expect(t, "\nbugle_dataplane_info{node=\"dp\\\"1\",version=\"1.2\"} 1\n");
	/* Help text comes from the counter tables. */
	char help[256];
	snprintf(help, sizeof(help), "# HELP bugle_dataplane_net_rx_packets_total %s\n",
		 net_counter_help(NET_CTR_rx_packets));
	expect(t, help);
	/* Drops are not listed twice. */
	assert_null(strstr(t, "bugle_dataplane_net_rx_drop_ttl_total"));
	assert_null(strstr(t, "bugle_dataplane_flt_banned_total"));
}

/* Each family: HELP, TYPE, then only its own samples; counters end in _total; no family twice. */
static void test_shape(void **state)
{
	(void)state;
	char *t = strdup(render(sample_stats()));
	char fam[256] = "", seen[64][256];
	int n_seen = 0;
	enum { WANT_HELP, WANT_TYPE, IN_FAMILY } at = WANT_HELP;
	for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
		char name[256], type[32];
		if (sscanf(line, "# HELP %255s", name) == 1) {
			assert_true(at != WANT_TYPE);
			for (int i = 0; i < n_seen; i++)
				if (!strcmp(seen[i], name))
					fail_msg("family %s twice", name);
			snprintf(seen[n_seen++ % 64], sizeof(seen[0]), "%s", name);
			snprintf(fam, sizeof(fam), "%s", name);
			at = WANT_TYPE;
		} else if (sscanf(line, "# TYPE %255s %31s", name, type) == 2) {
			assert_int_equal(at, WANT_TYPE);
			assert_string_equal(name, fam);
			if (!strcmp(type, "counter")) {
				size_t len = strlen(name);
				assert_true(len > 6 && !strcmp(name + len - 6, "_total"));
			}
			at = IN_FAMILY;
		} else {
			assert_int_equal(at, IN_FAMILY);
			size_t len = strcspn(line, "{ ");
			if (strlen(fam) != len || strncmp(line, fam, len) != 0)
				fail_msg("sample '%s' in family %s", line, fam);
		}
	}
	free(t);
}

static void test_drop_rule(void **state)
{
	(void)state;
	assert_true(ops_counter_is_drop("rx_drop_ttl", NULL));
	assert_true(ops_counter_is_drop("mbuf_alloc_fail", NULL));
	assert_true(ops_counter_is_drop("flt_banned", ops_counter_help("flt_banned")));
	assert_true(ops_counter_is_drop("edge_not_our_via", ops_counter_help("edge_not_our_via")));
	assert_false(ops_counter_is_drop("rx_packets", ops_counter_help("rx_packets")));
	assert_false(ops_counter_is_drop("flt_accepted", ops_counter_help("flt_accepted")));
	assert_null(ops_counter_help("no_such_counter"));
	assert_null(ops_counter_help("relay_no_such"));
	assert_non_null(ops_counter_help("relay_rtp_rx"));
	assert_non_null(ops_counter_help("edge_pub_requests"));
}

/* Every name the net table has renders into a valid family (none is skipped or broken). */
static void test_every_net_counter(void **state)
{
	(void)state;
	static bugle_dp_StatsReply st;
	memset(&st, 0, sizeof(st));
	for (unsigned i = 0; net_counter_name(i); i++)
		add(&st, net_counter_name(i), i + 1);
	const char *t = render(&st);
	for (unsigned i = 0; net_counter_name(i); i++) {
		char a[160], b[160];
		snprintf(a, sizeof(a), "reason=\"%s\"} %u\n", net_counter_name(i), i + 1);
		snprintf(b, sizeof(b), "bugle_dataplane_net_%s_total %u\n", net_counter_name(i), i + 1);
		if (!strstr(t, a) && !strstr(t, b))
			fail_msg("counter %s not rendered", net_counter_name(i));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conventions),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_drop_rule),
		cmocka_unit_test(test_every_net_counter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
