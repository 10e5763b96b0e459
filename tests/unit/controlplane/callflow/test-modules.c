/* Module decisions against hand-built documents and a scripted call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static void seed(struct harness *h)
{
	struct fake_docs *d = &h->d;

	fake_docs_put(d, ACC, "user_a", "user",
		      "{\"first_name\": \"Alice\", \"last_name\": \"A\"}");
	fake_docs_put(d, ACC, "phone_a", "device",
		      "{\"name\": \"alice desk\", \"owner_id\": \"user_a\", \"caller_id\": {"
		      " \"internal\": {\"name\": \"Alice\", \"number\": \"1001\"},"
		      " \"external\": {\"number\": \"+14155551111\"}},"
		      " \"call_restriction\": {\"international\": {\"action\": \"deny\"}}}");
	fake_docs_put(d, ACC, "d_busy", "device", "{\"name\": \"b\"}");
	fake_docs_put(d, ACC, "d_dnd", "device",
		      "{\"name\": \"dnd\", \"do_not_disturb\": {\"enabled\": true}}");
	fake_docs_put(d, ACC, "d_off", "device", "{\"name\": \"off\", \"enabled\": false}");
	fake_docs_put(d, ACC, "d_fwd", "device",
		      "{\"name\": \"fwd\", \"caller_id\": {\"external\": {\"number\": "
		      "\"+14155552222\"}}, \"call_forward\": {\"enabled\": true, \"number\": "
		      "\"+14155550000\", \"keep_caller_id\": false}}");
	fake_docs_put(d, ACC, "d_fwd_both", "device",
		      "{\"name\": \"both\", \"call_forward\": {\"enabled\": true, \"number\": "
		      "\"2125550000\", \"substitute\": false, \"require_keypress\": false}}");
	fake_docs_put(d, ACC, "d_fwd_intl", "device",
		      "{\"name\": \"intl\", \"call_forward\": {\"enabled\": true, \"number\": "
		      "\"011442071234567\"}, \"call_restriction\": {\"international\": "
		      "{\"action\": \"deny\"}}}");
	fake_docs_put(d, ACC, "d_fwd_direct", "device",
		      "{\"name\": \"direct\", \"call_forward\": {\"enabled\": true, \"number\": "
		      "\"2125550001\", \"direct_calls_only\": true}}");
	fake_docs_put(d, ACC, "d_media", "device",
		      "{\"name\": \"m\", \"media\": {\"audio\": {\"codecs\": [\"G722\", \"PCMU\"]},"
		      " \"encryption\": {\"methods\": [\"srtp\"], \"enforce_security\": true}}}");
	fake_docs_put(d, ACC, "user_b", "user", "{\"first_name\": \"Bob\", \"last_name\": \"B\"}");
	fake_docs_put(d, ACC, "ub2", "device", "{\"name\": \"bob 2\", \"owner_id\": \"user_b\"}");
	fake_docs_put(d, ACC, "ub1", "device", "{\"name\": \"bob 1\", \"owner_id\": \"user_b\"}");
	fake_docs_put(d, ACC, "user_dnd", "user",
		      "{\"first_name\": \"D\", \"last_name\": \"D\", \"do_not_disturb\": "
		      "{\"enabled\": true}}");
	fake_docs_put(d, ACC, "ud1", "device", "{\"name\": \"d\", \"owner_id\": \"user_dnd\"}");
	fake_docs_put(d, ACC, "user_fwd", "user",
		      "{\"first_name\": \"F\", \"last_name\": \"F\", \"call_forward\": "
		      "{\"enabled\": true, \"number\": \"2125551234\"}}");
	fake_docs_put(d, ACC, "uf1", "device",
		      "{\"name\": \"f\", \"owner_id\": \"user_fwd\", \"call_forward\": "
		      "{\"enabled\": false}}");
	fake_docs_put(d, ACC, "grp1", "group",
		      "{\"name\": \"sales\", \"endpoints\": {\"d_media\": {\"type\": \"device\"},"
		      " \"user_b\": {\"type\": \"user\"}}}");
}

static int setup(void **state)
{
	return h_setup_seeded(state, seed, false);
}

/* The same documents answered later, from a queue, as a real store would. */
static int setup_async(void **state)
{
	return h_setup_seeded(state, seed, true);
}

static void device_flow(struct harness *h, const char *dev)
{
	char flow[1024];

	snprintf(flow, sizeof(flow),
		 "{\"module\": \"device\", \"data\": {\"id\": \"%s\", \"timeout\": 25},"
		 " \"children\": {\"busy\": " PLAY("busy") ", \"failed\": " PLAY("failed")
		 ", \"sip:403\": " PLAY("403") ", \"no_answer\": " PLAY("na") "}}",
		 dev);
	h_callflow(h, "cfdev", "2000", flow);
}

static void test_device_busy(void **state)
{
	struct harness *h = *state;

	device_flow(h, "d_busy");
	fake_call_script(&h->c, CF_BUSY, 486);
	assert_int_equal(h_run(h, "2000", NULL)->end, CF_END_TREE);
	assert_int_equal(h->c.n_bridges, 1);
	assert_int_equal(h->c.bridges[0].n, 1);
	assert_int_equal(h->c.bridges[0].eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(h->c.bridges[0].eps[0].device_id, "d_busy");
	assert_int_equal(h->c.bridges[0].timeout_s, 25);
	assert_string_equal(h->c.played[0], "busy");
}

static void test_device_dnd_is_busy(void **state)
{
	struct harness *h = *state;

	device_flow(h, "d_dnd");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 0);
	assert_string_equal(h->c.played[0], "busy");
	/* a tree that only knows the code takes "sip:486" */
	h_callflow(h, "cfdev", "2000",
		   "{\"module\": \"device\", \"data\": {\"id\": \"d_dnd\"}, \"children\": "
		   "{\"sip:486\": " PLAY("486") "}}");
	h_run(h, "2000", NULL);
	assert_string_equal(h->c.played[1], "486");
}

static void test_device_disabled_or_missing(void **state)
{
	struct harness *h = *state;

	device_flow(h, "d_off");
	h_run(h, "2000", NULL);
	device_flow(h, "no_such_device");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 0);
	assert_int_equal(h->c.n_played, 2);
	assert_string_equal(h->c.played[0], "failed");
	assert_string_equal(h->c.played[1], "failed");
}

/* A carrier for NANP numbers: forwards to numbers no callflow rings go out through it. */
static void carrier_seed(struct harness *h)
{
	fake_docs_put(&h->d, ACC, "res_nanp", "resource",
		      "{\"name\": \"nanp\", \"rules\": [\"^\\\\+?1\\\\d{10}$\"],"
		      " \"gateways\": [{\"server\": \"203.0.113.9\", \"port\": 5080}]}");
}

static void test_device_forward_substitute(void **state)
{
	struct harness *h = *state;
	const struct cf_endpoint *ep;

	carrier_seed(h);
	device_flow(h, "d_fwd");
	fake_call_script(&h->c, CF_ANSWERED, 200);
	assert_int_equal(h_run(h, "2000", NULL)->end, CF_END_STOPPED);
	assert_int_equal(h->c.bridges[0].n, 1);
	/* no callflow has the number: the account's carrier rings it */
	ep = &h->c.bridges[0].eps[0];
	assert_int_equal(ep->kind, CF_EP_GATEWAY);
	assert_string_equal(ep->number, "14155550000");
	assert_string_equal(ep->gw.server, "203.0.113.9");
	assert_int_equal(ep->gw.port, 5080);
	assert_string_equal(ep->gw.resource_id, "res_nanp");
	assert_string_equal(ep->device_id, "d_fwd");
	assert_int_equal(ep->timeout_s, 25);
	/* require_keypress defaults on: the answerer presses 1 first (the controller asks) */
	assert_true(ep->require_keypress);
	/* keep_caller_id false: the forwarded leg shows the forwarding phone */
	assert_true(ep->cid_set);
	assert_string_equal(ep->cid.number, "+14155552222");
}

static void test_device_forward_both_and_restricted(void **state)
{
	struct harness *h = *state;

	carrier_seed(h);
	device_flow(h, "d_fwd_both");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.bridges[0].n, 2);
	assert_int_equal(h->c.bridges[0].eps[0].kind, CF_EP_GATEWAY);
	assert_string_equal(h->c.bridges[0].eps[0].number, "12125550000");
	assert_false(h->c.bridges[0].eps[0].require_keypress);
	assert_false(h->c.bridges[0].eps[0].cid_set);
	assert_int_equal(h->c.bridges[0].eps[1].kind, CF_EP_DEVICE);
	/* forwarding to a classifier the device may not call: the device rings itself */
	device_flow(h, "d_fwd_intl");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.bridges[1].n, 1);
	assert_int_equal(h->c.bridges[1].eps[0].kind, CF_EP_DEVICE);
}

/* fwd_to NUMBER: device d_to forwards to NUMBER (substitute, caller id kept); 2000 rings it. */
static void fwd_to(struct harness *h, const char *number)
{
	char doc[256];

	snprintf(doc, sizeof(doc),
		 "{\"name\": \"to\", \"call_forward\": {\"enabled\": true, \"number\": \"%s\"}}",
		 number);
	fake_docs_put(&h->d, ACC, "d_to", "device", doc);
	device_flow(h, "d_to");
}

static void test_forward_to_local_targets(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	carrier_seed(h);
	h_callflow(h, "cf1003", "1003", "{\"module\": \"device\", \"data\": {\"id\": \"ub1\"}}");
	h_callflow(h, "cf1004", "1004", "{\"module\": \"user\", \"data\": {\"id\": \"user_b\"}}");
	h_callflow(h, "cf1005", "1005",
		   "{\"module\": \"ring_group\", \"data\": {\"endpoints\": ["
		   " {\"id\": \"d_to\"}, {\"id\": \"d_busy\", \"endpoint_type\": \"device\"}]}}");
	h_callflow(h, "cf1006", "1006", PLAY("welcome"));
	h_callflow(h, "cf1007", "1007", "{\"module\": \"device\", \"data\": {\"id\": \"d_fwd\"}}");
	fake_docs_put(&h->d, ACC, "cf_out", "callflow",
		      "{\"patterns\": [\"^\\\\+?1555\\\\d{7}$\"], \"flow\": {\"module\": \"resources\"}}");

	/* a device callflow: that device rings, with the forward's timeout; an internal call
	 * shows the caller's internal id there */
	fwd_to(h, "1003");
	h_run(h, "2000", "phone_a");
	b = &h->c.bridges[0];
	assert_int_equal(b->n, 1);
	assert_int_equal(b->eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(b->eps[0].device_id, "ub1");
	assert_int_equal(b->eps[0].timeout_s, 25);
	assert_true(b->eps[0].cid_set);
	assert_string_equal(b->eps[0].cid.number, "1001");
	/* a user callflow: every device of the user */
	fwd_to(h, "1004");
	h_run(h, "2000", NULL);
	b = &h->c.bridges[1];
	assert_int_equal(b->n, 2);
	assert_string_equal(b->eps[0].device_id, "ub1");
	assert_string_equal(b->eps[1].device_id, "ub2");
	/* a ring group: its members, the forwarding device left out */
	fwd_to(h, "1005");
	h_run(h, "2000", NULL);
	b = &h->c.bridges[2];
	assert_int_equal(b->n, 1);
	assert_string_equal(b->eps[0].device_id, "d_busy");
	/* the target's own forward is not followed: forwards cannot loop */
	fwd_to(h, "1007");
	h_run(h, "2000", NULL);
	b = &h->c.bridges[3];
	assert_int_equal(b->n, 1);
	assert_int_equal(b->eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(b->eps[0].device_id, "d_fwd");
	/* a pattern callflow to resources: out through the carrier */
	fwd_to(h, "15551230000");
	h_run(h, "2000", NULL);
	b = &h->c.bridges[4];
	assert_int_equal(b->n, 1);
	assert_int_equal(b->eps[0].kind, CF_EP_GATEWAY);
	assert_string_equal(b->eps[0].number, "15551230000");
	assert_int_equal(h->c.n_bridges, 5);
	/* a callflow that rings nobody: the forward is skipped as a missing phone */
	fwd_to(h, "1006");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 5);
	assert_string_equal(h->c.played[h->c.n_played - 1], "failed");
}

static void test_forward_without_route(void **state)
{
	struct harness *h = *state;

	/* no callflow and no carrier for the number: nobody to ring, "failed" */
	device_flow(h, "d_fwd");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 0);
	assert_string_equal(h->c.played[0], "failed");
	/* substitute false: the device still rings alone */
	device_flow(h, "d_fwd_both");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 1);
	assert_int_equal(h->c.bridges[0].n, 1);
	assert_int_equal(h->c.bridges[0].eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(h->c.bridges[0].eps[0].device_id, "d_fwd_both");
}

static void test_device_media_and_caller_id(void **state)
{
	struct harness *h = *state;
	const struct cf_endpoint *ep;

	device_flow(h, "d_media");
	h_run(h, "2000", "phone_a");
	ep = &h->c.bridges[0].eps[0];
	assert_int_equal(ep->media.n_codecs, 2);
	assert_string_equal(ep->media.codecs[0], "G722");
	assert_string_equal(ep->media.codecs[1], "PCMU");
	assert_true(ep->media.srtp);
	assert_false(ep->media.zrtp);
	assert_true(ep->media.enforce_security);
	/* internal call: the caller's internal caller id */
	assert_true(ep->cid_set);
	assert_string_equal(ep->cid.name, "Alice");
	assert_string_equal(ep->cid.number, "1001");
	/* from a carrier: the received caller id passes */
	h_run(h, "2000", NULL);
	assert_false(h->c.bridges[1].eps[0].cid_set);
}

static void user_flow(struct harness *h, const char *user)
{
	char flow[512];

	snprintf(flow, sizeof(flow),
		 "{\"module\": \"user\", \"data\": {\"id\": \"%s\"}, \"children\": {\"busy\": "
		 PLAY("busy") "}}", user);
	h_callflow(h, "cfuser", "3000", flow);
}

static void test_user_rings_all_devices(void **state)
{
	struct harness *h = *state;

	user_flow(h, "user_b");
	h_run(h, "3000", NULL);
	assert_int_equal(h->c.n_bridges, 1);
	assert_int_equal(h->c.bridges[0].n, 2);
	assert_int_equal(h->c.bridges[0].strategy, CF_STRATEGY_SIMULTANEOUS);
	assert_string_equal(h->c.bridges[0].eps[0].device_id, "ub1");
	assert_string_equal(h->c.bridges[0].eps[1].device_id, "ub2");
	assert_string_equal(h->c.bridges[0].eps[0].owner_id, "user_b");
	assert_int_equal(h->c.bridges[0].timeout_s, 20);
}

static void test_user_overrides(void **state)
{
	struct harness *h = *state;

	user_flow(h, "user_dnd");
	h_run(h, "3000", NULL);
	assert_int_equal(h->c.n_bridges, 0);
	assert_string_equal(h->c.played[0], "busy");
	/* the user's forward replaces the device's (disabled) one */
	carrier_seed(h);
	/* a second phone of the user: the forward number is still rung once */
	fake_docs_put(&h->d, ACC, "uf2", "device", "{\"name\": \"f2\", \"owner_id\": \"user_fwd\"}");
	user_flow(h, "user_fwd");
	h_run(h, "3000", NULL);
	assert_int_equal(h->c.n_bridges, 1);
	assert_int_equal(h->c.bridges[0].n, 1);
	assert_int_equal(h->c.bridges[0].eps[0].kind, CF_EP_GATEWAY);
	assert_string_equal(h->c.bridges[0].eps[0].number, "12125551234");
}

static void test_ring_group_single(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	h_callflow(h, "rg", "4000",
		   "{\"module\": \"ring_group\", \"data\": {\"strategy\": \"single\", \"endpoints\": ["
		   " {\"id\": \"d_busy\", \"timeout\": 5},"
		   " {\"id\": \"d_dnd\", \"timeout\": 7},"
		   " {\"id\": \"ub1\", \"timeout\": 10, \"delay\": 2, \"endpoint_type\": \"device\"}]},"
		   " \"children\": {\"no_answer\": " PLAY("na") "}}");
	h_run(h, "4000", NULL);
	assert_int_equal(h->c.n_bridges, 1);
	b = &h->c.bridges[0];
	assert_int_equal(b->strategy, CF_STRATEGY_SINGLE);
	/* the DND member is left out; the others keep order and their own timeouts */
	assert_int_equal(b->n, 2);
	assert_string_equal(b->eps[0].device_id, "d_busy");
	assert_int_equal(b->eps[0].timeout_s, 5);
	assert_string_equal(b->eps[1].device_id, "ub1");
	assert_int_equal(b->eps[1].timeout_s, 10);
	assert_int_equal(b->eps[1].delay_s, 2);
	assert_string_equal(h->c.played[0], "na");
}

static void test_ring_group_members_and_repeats(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	h_callflow(h, "rg", "4001",
		   "{\"module\": \"ring_group\", \"data\": {\"repeats\": 3, \"timeout\": 30,"
		   " \"endpoints\": [{\"id\": \"grp1\", \"endpoint_type\": \"group\", \"delay\": 4},"
		   " {\"id\": \"user_dnd\", \"endpoint_type\": \"user\"},"
		   " {\"id\": \"d_fwd_direct\", \"endpoint_type\": \"device\"}]}}");
	fake_call_script(&h->c, CF_NO_ANSWER, 480);
	fake_call_script(&h->c, CF_NO_ANSWER, 480);
	fake_call_script(&h->c, CF_NO_ANSWER, 480);
	assert_int_equal(h_run(h, "4001", NULL)->end, CF_END_TREE);
	assert_int_equal(h->c.n_bridges, 3);	/* repeats */
	b = &h->c.bridges[0];
	assert_int_equal(b->strategy, CF_STRATEGY_SIMULTANEOUS);
	assert_int_equal(b->timeout_s, 30);
	/* grp1 -> d_media, user_b (ub1, ub2); user_dnd skipped; d_fwd_direct rings itself
	 * (ring groups ignore forwards by default, and it forwards direct calls only) */
	assert_int_equal(b->n, 4);
	assert_string_equal(b->eps[0].device_id, "d_media");
	assert_int_equal(b->eps[0].delay_s, 4);
	assert_string_equal(b->eps[1].device_id, "ub1");
	assert_string_equal(b->eps[2].device_id, "ub2");
	assert_string_equal(b->eps[3].device_id, "d_fwd_direct");
	assert_int_equal(b->eps[3].kind, CF_EP_DEVICE);

	/* direct_calls_only: through a group that honours forwards, still the device */
	carrier_seed(h);
	h_callflow(h, "rg", "4001",
		   "{\"module\": \"ring_group\", \"data\": {\"ignore_forward\": false,"
		   " \"endpoints\": [{\"id\": \"d_fwd_direct\"}, {\"id\": \"d_fwd_both\"}]}}");
	h_run(h, "4001", NULL);
	b = &h->c.bridges[3];
	assert_int_equal(b->n, 3);
	assert_int_equal(b->eps[0].kind, CF_EP_DEVICE);
	assert_int_equal(b->eps[1].kind, CF_EP_GATEWAY);
	/* and called directly, the forward applies */
	device_flow(h, "d_fwd_direct");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.bridges[4].eps[0].kind, CF_EP_GATEWAY);
	assert_string_equal(h->c.bridges[4].eps[0].number, "12125550001");
}

static void weighted_seed(struct harness *h)
{
	fake_docs_put(&h->d, ACC, "w1", "device", "{\"name\": \"w1\"}");
	fake_docs_put(&h->d, ACC, "w2", "device", "{\"name\": \"w2\"}");
	fake_docs_put(&h->d, ACC, "w3", "device", "{\"name\": \"w3\"}");
	h_callflow(h, "rgw", "4002",
		   "{\"module\": \"ring_group\", \"data\": {\"strategy\": \"weighted_random\","
		   " \"endpoints\": [{\"id\": \"w1\", \"weight\": 10}, {\"id\": \"w2\", \"weight\": 20},"
		   " {\"id\": \"w3\", \"weight\": 70}]}}");
}

static void test_weighted_random_distribution(void **state)
{
	struct harness *h = *state;
	unsigned first[3] = {0};
	char order_a[20][3], order_b[20][3];
	const unsigned runs = 3000;

	weighted_seed(h);
	h->cfg.seed = 42;
	for (unsigned i = 0; i < runs; i++) {
		h->c.n_bridges = 0;
		h_run(h, "4002", NULL);
		assert_int_equal(h->c.bridges[0].n, 3);
		assert_int_equal(h->c.bridges[0].strategy, CF_STRATEGY_SINGLE);
		first[h->c.bridges[0].eps[0].device_id[1] - '1']++;
		if (i < 20)
			for (int k = 0; k < 3; k++)
				order_a[i][k] = h->c.bridges[0].eps[k].device_id[1];
	}
	/* 10 / 20 / 70 %: within 3 points on 3000 draws */
	assert_in_range(first[0], runs * 7 / 100, runs * 13 / 100);
	assert_in_range(first[1], runs * 17 / 100, runs * 23 / 100);
	assert_in_range(first[2], runs * 67 / 100, runs * 73 / 100);

	/* the same seed gives the same orders */
	cf_engine_free(h->eng);
	h_engine(h);
	for (unsigned i = 0; i < 20; i++) {
		h->c.n_bridges = 0;
		h_run(h, "4002", NULL);
		for (int k = 0; k < 3; k++)
			order_b[i][k] = h->c.bridges[0].eps[k].device_id[1];
	}
	assert_memory_equal(order_a, order_b, sizeof(order_a));
}

static void carriers(struct harness *h)
{
	fake_docs_put(&h->d, ACC, "res_b", "resource",
		      "{\"name\": \"B\", \"weight_cost\": 20, \"gateways\": [{\"server\": "
		      "\"gw-b.example.net\", \"invite_format\": \"npan\", \"prefix\": \"9\"}]}");
	fake_docs_put(&h->d, ACC, "res_a", "resource",
		      "{\"name\": \"A\", \"weight_cost\": 10, \"rules\": [\"^\\\\+?1\\\\d{10}$\"],"
		      " \"gateways\": [{\"server\": \"gw-a.example.net\", \"port\": 5080,"
		      " \"username\": \"u\", \"password\": \"p\"}]}");
	fake_docs_put(&h->d, ACC, "res_off", "resource",
		      "{\"name\": \"off\", \"weight_cost\": 1, \"enabled\": false, \"gateways\":"
		      " [{\"server\": \"gw-off.example.net\"}]}");
	fake_docs_put(&h->d, ACC, "res_uk", "resource",
		      "{\"name\": \"uk\", \"weight_cost\": 1, \"rules\": [\"^\\\\+?44\"], \"gateways\":"
		      " [{\"server\": \"gw-uk.example.net\"}]}");
	fake_docs_put(&h->d, ACC, "res_fax", "resource",
		      "{\"name\": \"fax\", \"weight_cost\": 2, \"flags\": [\"fax\"], \"require_flags\": true,"
		      " \"gateways\":"
		      " [{\"server\": \"gw-fax.example.net\"}]}");
	h_callflow(h, "out", "no_match",
		   "{\"module\": \"offnet\", \"data\": {}, \"children\": {\"busy\": " PLAY("busy")
		   ", \"sip:403\": " PLAY("restricted") "}}");
}

static void test_offnet_failover_on_503(void **state)
{
	struct harness *h = *state;
	const struct cf_endpoint *ep;

	carriers(h);
	fake_call_script(&h->c, CF_REJECTED, 503);
	fake_call_script(&h->c, CF_ANSWERED, 200);
	assert_int_equal(h_run(h, "+14155559999", "phone_a")->end, CF_END_STOPPED);
	assert_int_equal(h->c.n_bridges, 2);
	ep = &h->c.bridges[0].eps[0];
	assert_int_equal(ep->kind, CF_EP_GATEWAY);
	assert_string_equal(ep->gw.server, "gw-a.example.net");
	assert_string_equal(ep->gw.resource_id, "res_a");
	assert_int_equal(ep->gw.port, 5080);
	assert_string_equal(ep->gw.username, "u");
	assert_string_equal(ep->number, "14155559999");
	/* the calling phone's external caller id goes out */
	assert_true(ep->cid_set);
	assert_string_equal(ep->cid.number, "+14155551111");
	ep = &h->c.bridges[1].eps[0];
	assert_string_equal(ep->gw.server, "gw-b.example.net");
	assert_int_equal(ep->gw.port, 5060);
	assert_string_equal(ep->number, "94155559999");	/* npan with prefix */
}

static void test_offnet_no_failover_on_busy(void **state)
{
	struct harness *h = *state;

	carriers(h);
	fake_call_script(&h->c, CF_BUSY, 486);
	h_run(h, "+14155559999", NULL);
	assert_int_equal(h->c.n_bridges, 1);
	assert_string_equal(h->c.played[0], "busy");
	/* every carrier failing: the last result branches */
	fake_call_script(&h->c, CF_FAILED, 0);
	fake_call_script(&h->c, CF_REJECTED, 502);
	assert_int_equal(h_run(h, "+14155559999", NULL)->end, CF_END_TREE);
	assert_int_equal(h->c.n_bridges, 3);
}

/* A carrier that never answers within its progress timeout: the next one is tried. */
static void test_offnet_failover_on_no_answer(void **state)
{
	struct harness *h = *state;

	carriers(h);
	fake_call_script(&h->c, CF_NO_ANSWER, 480);
	fake_call_script(&h->c, CF_ANSWERED, 200);
	assert_int_equal(h_run(h, "+14155559999", NULL)->end, CF_END_STOPPED);
	assert_int_equal(h->c.n_bridges, 2);
	assert_string_equal(h->c.bridges[1].eps[0].gw.server, "gw-b.example.net");
}

static void test_offnet_rules_flags_restrictions(void **state)
{
	struct harness *h = *state;

	carriers(h);
	/* a UK number: res_a's rule does not fit, res_uk (cheapest) is first, then res_b */
	fake_call_script(&h->c, CF_FAILED, 0);
	h_run(h, "+442071234567", NULL);
	assert_int_equal(h->c.n_bridges, 2);
	assert_string_equal(h->c.bridges[0].eps[0].gw.server, "gw-uk.example.net");
	assert_string_equal(h->c.bridges[1].eps[0].gw.server, "gw-b.example.net");
	/* phone_a may not call international numbers */
	h_run(h, "+442071234567", "phone_a");
	assert_int_equal(h->c.n_bridges, 2);
	assert_string_equal(h->c.played[h->c.n_played - 1], "restricted");
	/* flags: only a resource carrying every requested flag */
	h_callflow(h, "out", "no_match",
		   "{\"module\": \"resources\", \"data\": {\"flags\": [\"fax\"]}}");
	h_run(h, "+14155559999", NULL);
	assert_int_equal(h->c.n_bridges, 3);
	assert_string_equal(h->c.bridges[2].eps[0].gw.server, "gw-fax.example.net");
	/* to_did overrides the dialed number */
	h_callflow(h, "out", "no_match",
		   "{\"module\": \"resources\", \"data\": {\"to_did\": \"+14155550123\"}}");
	h_run(h, "5555", NULL);
	assert_string_equal(h->c.bridges[3].eps[0].number, "14155550123");
}

static void test_caller_id_modules(void **state)
{
	struct harness *h = *state;

	h_callflow(h, "cid", "5000",
		   "{\"module\": \"set_cid\", \"data\": {\"caller_id_name\": \"Support\"},"
		   " \"children\": {\"_\": {\"module\": \"prepend_cid\", \"data\": {"
		   " \"caller_id_name_prefix\": \"VIP \", \"caller_id_number_prefix\": \"00\"},"
		   " \"children\": {\"_\": {\"module\": \"check_cid\", \"data\": {\"regex\":"
		   " \"^00\\\\+1212\"}, \"children\": {\"match\": " PLAY("m") ", \"nomatch\": "
		   PLAY("n") "}}}}}}");
	h_run(h, "5000", NULL);
	assert_int_equal(h->c.cid_sets, 2);
	assert_string_equal(h->c.cid.name, "VIP Support");
	assert_string_equal(h->c.cid.number, "00+12125550199");
	assert_string_equal(h->c.played[0], "m");
	h_callflow(h, "cid", "5000",
		   "{\"module\": \"prepend_cid\", \"data\": {\"action\": \"reset\"}, \"children\":"
		   " {\"_\": {\"module\": \"check_cid\", \"data\": {\"regex\": \"^1\"}, \"children\":"
		   " {\"match\": " PLAY("m") ", \"nomatch\": " PLAY("n") "}}}}");
	h_run(h, "5000", NULL);
	assert_string_equal(h->c.cid.number, "+12125550199");
	assert_string_equal(h->c.played[1], "n");
}

static void test_branch_variable(void **state)
{
	struct harness *h = *state;

	h_callflow(h, "bv", "6000",
		   "{\"module\": \"branch_variable\", \"data\": {\"variable\": "
		   "\"caller_id.internal.number\", \"scope\": \"device\"}, \"children\": {"
		   " \"1001\": " PLAY("alice") ", \"_\": " PLAY("other") "}}");
	h_run(h, "6000", "phone_a");
	h_run(h, "6000", NULL);
	assert_string_equal(h->c.played[0], "alice");
	assert_string_equal(h->c.played[1], "other");
	h_callflow(h, "bv", "6000",
		   "{\"module\": \"branch_variable\", \"data\": {\"variable\": \"timezone\"},"
		   " \"children\": {\"America/New_York\": " PLAY("ny") "}}");
	h_run(h, "6000", NULL);
	assert_string_equal(h->c.played[2], "ny");
}

static void test_response(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "resp", "7000",
		   "{\"module\": \"response\", \"data\": {\"code\": 503, \"message\": \"Closed\","
		   " \"media\": \"closed-prompt\"}, \"children\": {\"_\": " PLAY("never") "}}");
	r = h_run(h, "7000", NULL);
	assert_int_equal(r->end, CF_END_STOPPED);
	assert_int_equal(h->c.respond_code, 503);
	assert_string_equal(h->c.respond_message, "Closed");
	assert_int_equal(h->c.n_played, 1);
	assert_string_equal(h->c.played[0], "closed-prompt");
	h_callflow(h, "resp", "7000", "{\"module\": \"response\", \"data\": {\"code\": 99}}");
	assert_int_equal(h_run(h, "7000", NULL)->end, CF_END_ERROR);
}

/* do_not_disturb.enabled of the account's document id, as last saved. */
static json_t *dnd_enabled(struct harness *h, const char *id)
{
	return json_object_get(json_object_get(fake_docs_get(&h->d, ACC, id), "do_not_disturb"),
			       "enabled");
}

static void test_dnd_feature_code(void **state)
{
	struct harness *h = *state;

	h_callflow(h, "dnd_on", "*78",
		   "{\"module\": \"do_not_disturb\", \"data\": {\"action\": \"activate\"}}");
	h_callflow(h, "dnd_toggle", "*79",
		   "{\"module\": \"do_not_disturb\", \"data\": {\"action\": \"toggle\","
		   " \"scope\": \"user\"}}");
	h_run(h, "*78", "phone_a");
	assert_true(json_is_true(dnd_enabled(h, "phone_a")));
	/* the device now refuses calls */
	device_flow(h, "phone_a");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.n_bridges, 0);
	assert_string_equal(h->c.played[0], "busy");
	/* user scope: the owner's document */
	h_run(h, "*79", "phone_a");
	assert_true(json_is_true(dnd_enabled(h, "user_a")));
	h_run(h, "*79", "phone_a");
	assert_true(json_is_false(dnd_enabled(h, "user_a")));
	assert_int_equal(h->d.saves, 3);
	/* from a carrier there is no caller document: "failed", nothing saved */
	h_run(h, "*78", NULL);
	assert_int_equal(h->d.saves, 3);
}

static void test_call_forward_feature_code(void **state)
{
	struct harness *h = *state;
	json_t *cfw;

	fake_docs_put(&h->d, ACC, "cfw_on", "callflow",
		      "{\"patterns\": [\"^\\\\*72(\\\\d+)$\"], \"flow\": {\"module\": "
		      "\"call_forward\", \"data\": {\"action\": \"activate\"}}}");
	h_callflow(h, "cfw_off", "*73",
		   "{\"module\": \"call_forward\", \"data\": {\"action\": \"deactivate\"}}");
	h_run(h, "*7214155550000", "phone_a");
	cfw = json_object_get(fake_docs_get(&h->d, ACC, "phone_a"), "call_forward");
	assert_true(json_is_true(json_object_get(cfw, "enabled")));
	assert_string_equal(json_string_value(json_object_get(cfw, "number")), "14155550000");
	/* calls to phone_a now go to the number */
	carrier_seed(h);
	device_flow(h, "phone_a");
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.bridges[0].eps[0].kind, CF_EP_GATEWAY);
	assert_string_equal(h->c.bridges[0].eps[0].number, "14155550000");
	h_run(h, "*73", "phone_a");
	cfw = json_object_get(fake_docs_get(&h->d, ACC, "phone_a"), "call_forward");
	assert_true(json_is_false(json_object_get(cfw, "enabled")));
	h_run(h, "2000", NULL);
	assert_int_equal(h->c.bridges[1].eps[0].kind, CF_EP_DEVICE);
	/* activating without any number is refused */
	h_callflow(h, "cfw_bad", "*74",
		   "{\"module\": \"call_forward\", \"data\": {\"action\": \"activate\"}}");
	json_object_del(cfw, "number");
	assert_int_equal(h_run(h, "*74", "phone_a")->end, CF_END_ERROR);
}

/* Every test runs twice: with the documents answered at once, then answered later from a
 * queue as a real store would (setup_async). */
#define MODULE_TESTS(X)                                                                         \
	X(test_device_busy)                                                                     \
	X(test_device_dnd_is_busy)                                                              \
	X(test_device_disabled_or_missing)                                                      \
	X(test_device_forward_substitute)                                                       \
	X(test_device_forward_both_and_restricted)                                              \
	X(test_forward_to_local_targets)                                                        \
	X(test_forward_without_route)                                                           \
	X(test_device_media_and_caller_id)                                                      \
	X(test_user_rings_all_devices)                                                          \
	X(test_user_overrides)                                                                  \
	X(test_ring_group_single)                                                               \
	X(test_ring_group_members_and_repeats)                                                  \
	X(test_weighted_random_distribution)                                                    \
	X(test_offnet_failover_on_503)                                                          \
	X(test_offnet_no_failover_on_busy)                                                      \
	X(test_offnet_failover_on_no_answer)                                                    \
	X(test_offnet_rules_flags_restrictions)                                                 \
	X(test_caller_id_modules)                                                               \
	X(test_branch_variable)                                                                 \
	X(test_response)                                                                        \
	X(test_dnd_feature_code)                                                                \
	X(test_call_forward_feature_code)

int main(void)
{
	const struct CMUnitTest tests[] = {
#define SYNC(t) cmocka_unit_test_setup_teardown(t, setup, h_teardown),
#define ASYNC(t) cmocka_unit_test_setup_teardown(t, setup_async, h_teardown),
		MODULE_TESTS(SYNC) MODULE_TESTS(ASYNC)
#undef SYNC
#undef ASYNC
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
