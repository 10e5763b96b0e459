/* Settings of bugle-dataplane (file, --set, checks), the EAL command line built from them, and
 * the RX offloads a port is configured with. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_ethdev.h>

#include "dp_cmdline.h"
#include "dp_eal_args.h"
#include "dp_port.h"
#include "dp_settings.h"

static char tmpdir[] = "/tmp/bugle-dpcfg-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Runs the command line; the error text lands in errbuf. */
static int load(struct dp_config *cfg, char *errbuf, size_t cap, int argc, char **argv)
{
	FILE *out = fopen("/dev/null", "w");
	FILE *err = fmemopen(errbuf, cap, "w");
	assert_non_null(out);
	assert_non_null(err);
	memset(errbuf, 0, cap);
	int rc = dp_cmdline_load(argc, argv, cfg, out, err);
	fclose(out);
	fclose(err);
	return rc;
}

static void test_defaults_and_file(void **state)
{
	(void)state;
	const char *path = write_file("ok.ini", "[dataplane]\nnode = edge7\nworkers = 3\n"
						"[public]\ndevice = net_tap0\naddress = 192.0.2.1/24\n"
						"gateway = 192.0.2.254\n");
	struct dp_config cfg;
	char err[512];
	char *argv[] = { "bugle-dataplane", "-c", (char *)path, NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 3, argv), 0);
	assert_string_equal(cfg.node, "edge7");
	assert_int_equal(cfg.workers, 3);
	assert_string_equal(cfg.pub.device, "net_tap0");
	assert_string_equal(cfg.pub.gateway, "192.0.2.254");
	assert_int_equal(cfg.hugepages, DP_HUGEPAGES_AUTO);	/* default */
	assert_string_equal(cfg.control_listen, "127.0.0.1:7010");
	assert_int_equal(cfg.internal.device[0], '\0');
}

static void test_set_overrides_file(void **state)
{
	(void)state;
	const char *path = write_file("set.ini", "[dataplane]\nworkers = 2\n");
	struct dp_config cfg;
	char err[512];
	char *argv[] = { "bugle-dataplane", "--set", "dataplane.workers=4", "-c", (char *)path,
			 "--set", "log.format=json", NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 7, argv), 0);
	assert_int_equal(cfg.workers, 4);
	assert_int_equal(cfg.log_format, 1);
}

static void test_bad_value_names_file_line_setting(void **state)
{
	(void)state;
	const char *path = write_file("bad.ini", "[dataplane]\nnode = x\n\nworkers = 99\n");
	struct dp_config cfg;
	char err[512];
	char *argv[] = { "bugle-dataplane", "-c", (char *)path, NULL };
	assert_true(load(&cfg, err, sizeof(err), 3, argv) < 0);
	char want[300];
	snprintf(want, sizeof(want), "%s:4: setting 'dataplane.workers'", path);
	assert_non_null(strstr(err, want));
}

static void test_bad_addresses_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[public]\naddress = 192.0.2.1\n",
		"[public]\naddress = 192.0.2.1/33\n",
		"[public]\ngateway = 192.0.2\n",
		"[internal]\ndevice = net_null0\n",	/* same device as public's default */
		"[internal]\ndevice = net_null1\naddress = nope/24\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *path = write_file("addr.ini", bad[i]);
		struct dp_config cfg;
		char err[512];
		char *argv[] = { "bugle-dataplane", "-c", (char *)path, NULL };
		assert_true(load(&cfg, err, sizeof(err), 3, argv) < 0);
		assert_non_null(strstr(err, "setting '"));
	}
}

static void test_arp_queue_len_bounds(void **state)
{
	(void)state;
	struct dp_config cfg;
	char err[512];
	char *path = (char *)write_file("arp.ini", "[dataplane]\nnode = arp\n");
	char *def[] = { "bugle-dataplane", "-c", path, NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 3, def), 0);
	assert_int_equal(cfg.arp_queue_len, 64);
	char *set[] = { "bugle-dataplane", "-c", path, "--set", "dataplane.arp_queue_len=4096",
			NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 5, set), 0);
	assert_int_equal(cfg.arp_queue_len, 4096);
	static const char *const bad[] = { "dataplane.arp_queue_len=0",
					   "dataplane.arp_queue_len=4097",
					   "dataplane.arp_queue_len=-1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "bugle-dataplane", "-c", path, "--set", (char *)bad[i], NULL };
		assert_true(load(&cfg, err, sizeof(err), 5, argv) < 0);
		assert_non_null(strstr(err, "dataplane.arp_queue_len"));
	}
}

static void test_idle_sleep_us_bounds(void **state)
{
	(void)state;
	struct dp_config cfg;
	char err[512];
	char *path = (char *)write_file("idle.ini", "[dataplane]\nnode = idle\n");
	char *def[] = { "bugle-dataplane", "-c", path, NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 3, def), 0);
	assert_int_equal(cfg.idle_sleep_us, 0);	/* pure polling unless asked */
	path = (char *)write_file("idle.ini", "[dataplane]\nidle_sleep_us = 1000\n");
	assert_int_equal(load(&cfg, err, sizeof(err), 3, def), 0);
	assert_int_equal(cfg.idle_sleep_us, DP_IDLE_SLEEP_US_MAX);
	char *set[] = { "bugle-dataplane", "-c", path, "--set", "dataplane.idle_sleep_us=50", NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 5, set), 0);
	assert_int_equal(cfg.idle_sleep_us, 50);
	static const char *const bad[] = { "dataplane.idle_sleep_us=-1",
					   "dataplane.idle_sleep_us=1001",
					   "dataplane.idle_sleep_us=fast" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "bugle-dataplane", "-c", path, "--set", (char *)bad[i], NULL };
		assert_true(load(&cfg, err, sizeof(err), 5, argv) < 0);
		assert_non_null(strstr(err, "dataplane.idle_sleep_us"));
	}
}

static void test_rx_checksum_offloads_when_offered(void **state)
{
	(void)state;
	const uint64_t ip = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM, udp = RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	assert_int_equal(dp_port_rx_offloads(0), 0);	/* af_packet, tap */
	assert_int_equal(dp_port_rx_offloads(ip), ip);
	assert_int_equal(dp_port_rx_offloads(udp), udp);
	/* Only the two checksums, whatever else the NIC offers. */
	assert_int_equal(dp_port_rx_offloads(ip | udp | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
					     RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_SCATTER),
			 ip | udp);
}

static void test_unknown_argument_and_missing_file(void **state)
{
	(void)state;
	struct dp_config cfg;
	char err[512];
	char *a1[] = { "bugle-dataplane", "--frobnicate", NULL };
	assert_true(load(&cfg, err, sizeof(err), 2, a1) < 0);
	char *a2[] = { "bugle-dataplane", NULL };
	assert_true(load(&cfg, err, sizeof(err), 1, a2) < 0);
	char *a3[] = { "bugle-dataplane", "-c", "/nonexistent/bugle.ini", NULL };
	assert_true(load(&cfg, err, sizeof(err), 3, a3) < 0);
	assert_non_null(strstr(err, "/nonexistent/bugle.ini"));
	char *a4[] = { "bugle-dataplane", "--help", NULL };
	assert_int_equal(load(&cfg, err, sizeof(err), 2, a4), 1);
}

static struct dp_config defaults(void)
{
	struct dp_config cfg;
	struct bgl_settings_error err;
	assert_int_equal(bgl_settings_defaults(dp_settings_table(), &cfg, &err), 0);
	return cfg;
}

/* The argument after flag, or NULL. */
static const char *arg_after(const struct dp_eal_argv *a, const char *flag)
{
	for (int i = 0; i + 1 < a->argc; i++)
		if (!strcmp(a->argv[i], flag))
			return a->argv[i + 1];
	return NULL;
}

static bool has_arg(const struct dp_eal_argv *a, const char *arg)
{
	for (int i = 0; i < a->argc; i++)
		if (!strcmp(a->argv[i], arg))
			return true;
	return false;
}

static void test_eal_args_vdev_without_hugepages(void **state)
{
	(void)state;
	struct dp_config cfg = defaults();
	strcpy(cfg.node, "n1");
	cfg.workers = 3;
	cfg.memory_mb = 256;
	strcpy(cfg.pub.device, "net_af_packet0,iface=bgl-pub0");
	strcpy(cfg.internal.device, "net_af_packet1,iface=bgl-int0,qpairs=4");
	strcpy(cfg.eal_args, "  --huge-unlink  -d /opt/pmd ");
	static const int cpus[] = { 2, 5 };
	static struct dp_eal_argv a;
	assert_int_equal(dp_eal_args_build(&cfg, false, cpus, 2, &a), 0);
	assert_string_equal(a.argv[0], "bugle-dataplane");
	assert_null(a.argv[a.argc]);
	assert_string_equal(arg_after(&a, "--lcores"), "0@2,1@5,2@2,3@5");
	assert_string_equal(arg_after(&a, "--file-prefix"), "bugle-n1");
	assert_string_equal(arg_after(&a, "-m"), "256");
	assert_true(has_arg(&a, "--no-huge"));
	assert_true(has_arg(&a, "--no-pci"));
	assert_true(has_arg(&a, "net_af_packet0,iface=bgl-pub0,qpairs=4"));
	assert_true(has_arg(&a, "net_af_packet1,iface=bgl-int0,qpairs=4"));	/* kept as given */
	assert_string_equal(arg_after(&a, "--log-level"), "*:warning");
	assert_true(has_arg(&a, "--huge-unlink"));
	assert_string_equal(arg_after(&a, "-d"), "/opt/pmd");
	assert_string_equal(a.argv[a.argc - 1], "/opt/pmd");
}

static void test_eal_args_pci_with_hugepages(void **state)
{
	(void)state;
	struct dp_config cfg = defaults();
	strcpy(cfg.pub.device, "0000:03:00.0");
	strcpy(cfg.internal.device, "03:00.1");
	static const int cpus[] = { 0 };
	static struct dp_eal_argv a;
	assert_int_equal(dp_eal_args_build(&cfg, true, cpus, 1, &a), 0);
	assert_false(has_arg(&a, "--no-huge"));
	assert_false(has_arg(&a, "--no-pci"));
	assert_false(has_arg(&a, "--vdev"));
	assert_true(has_arg(&a, "0000:03:00.0"));
	assert_true(has_arg(&a, "03:00.1"));
	assert_string_equal(arg_after(&a, "-a"), "0000:03:00.0");
	assert_string_equal(arg_after(&a, "--lcores"), "0@0,1@0");
}

static void test_eal_args_overflow_refused(void **state)
{
	(void)state;
	struct dp_config cfg = defaults();
	memset(cfg.eal_args, 0, sizeof(cfg.eal_args));
	for (size_t i = 0; i + 2 < sizeof(cfg.eal_args); i += 2)
		memcpy(cfg.eal_args + i, "x ", 2);
	static const int cpus[] = { 0 };
	static struct dp_eal_argv a;
	assert_int_equal(dp_eal_args_build(&cfg, true, cpus, 1, &a), -E2BIG);
}

static void test_device_helpers(void **state)
{
	(void)state;
	assert_true(dp_device_is_pci("0000:03:00.0"));
	assert_true(dp_device_is_pci("81:00.1"));
	assert_false(dp_device_is_pci("net_tap0"));
	assert_false(dp_device_is_pci("net_af_packet0,iface=x"));
	assert_false(dp_device_is_pci("0000:03:00.0x"));
	char name[32];
	dp_device_name("net_af_packet0,iface=bgl-pub0", name, sizeof(name));
	assert_string_equal(name, "net_af_packet0");
	dp_device_name("0000:03:00.0", name, sizeof(name));
	assert_string_equal(name, "0000:03:00.0");
}

static void test_hugepages_auto_reads_meminfo(void **state)
{
	(void)state;
	const char *none = write_file("meminfo0", "MemTotal: 1000 kB\nHugePages_Total:       0\n"
						  "HugePages_Free:        0\n");
	assert_false(dp_hugepages_wanted(DP_HUGEPAGES_AUTO, none, 256));
	assert_true(dp_hugepages_wanted(DP_HUGEPAGES_ON, none, 256));
	const char *some = write_file("meminfo1", "HugePages_Total:     512\n"
						  "HugePages_Free:      300\n"
						  "HugePages_Rsvd:       44\n"
						  "Hugepagesize:       2048 kB\n");
	/* 256 usable 2 MiB pages: 512 MiB fits, 513 does not. */
	assert_true(dp_hugepages_wanted(DP_HUGEPAGES_AUTO, some, 512));
	assert_false(dp_hugepages_wanted(DP_HUGEPAGES_AUTO, some, 513));
	assert_false(dp_hugepages_wanted(DP_HUGEPAGES_OFF, some, 16));
	assert_false(dp_hugepages_wanted(DP_HUGEPAGES_AUTO, "/nonexistent/meminfo", 16));
}

static int make_tmpdir(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	static const char *const files[] = { "ok.ini", "set.ini", "bad.ini", "addr.ini",
					     "meminfo0", "meminfo1", "arp.ini", "idle.ini" };
	char path[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_file),
		cmocka_unit_test(test_set_overrides_file),
		cmocka_unit_test(test_bad_value_names_file_line_setting),
		cmocka_unit_test(test_bad_addresses_refused),
		cmocka_unit_test(test_arp_queue_len_bounds),
		cmocka_unit_test(test_idle_sleep_us_bounds),
		cmocka_unit_test(test_rx_checksum_offloads_when_offered),
		cmocka_unit_test(test_unknown_argument_and_missing_file),
		cmocka_unit_test(test_eal_args_vdev_without_hugepages),
		cmocka_unit_test(test_eal_args_pci_with_hugepages),
		cmocka_unit_test(test_eal_args_overflow_refused),
		cmocka_unit_test(test_device_helpers),
		cmocka_unit_test(test_hugepages_auto_reads_meminfo),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
