/* RFC 4733 payloads against hand-written bytes, the per-stream detector, the packet train. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mc_rfc4733.h"

static void test_parse_build_bytes(void **state)
{
	(void)state;
	/* Digit 5, E bit, volume 10, duration 1600 (0x0640): RFC 4733 Figure 1 layout. */
	const uint8_t wire[4] = {0x05, 0x8a, 0x06, 0x40};
	struct mc_tev ev;
	assert_int_equal(mc_rfc4733_parse(wire, 4, &ev), 0);
	assert_int_equal(ev.event, 5);
	assert_true(ev.end);
	assert_int_equal(ev.volume, 10);
	assert_int_equal(ev.duration, 1600);
	uint8_t out[4];
	assert_int_equal(mc_rfc4733_build(&ev, out, sizeof(out)), 0);
	assert_memory_equal(out, wire, 4);

	/* '#' (11), no E bit, reserved bit set (ignored on receipt), volume 63, duration 65535. */
	const uint8_t wire2[4] = {0x0b, 0x7f, 0xff, 0xff};
	assert_int_equal(mc_rfc4733_parse(wire2, 4, &ev), 0);
	assert_int_equal(ev.event, 11);
	assert_false(ev.end);
	assert_int_equal(ev.volume, 63);
	assert_int_equal(ev.duration, 65535);
	assert_int_equal(mc_rfc4733_build(&ev, out, sizeof(out)), 0);
	const uint8_t rebuilt[4] = {0x0b, 0x3f, 0xff, 0xff};
	assert_memory_equal(out, rebuilt, 4);

	assert_int_equal(mc_rfc4733_parse(wire, 3, &ev), -EBADMSG);
	assert_int_equal(mc_rfc4733_parse(wire, 6, &ev), -EBADMSG);
	ev.volume = 64;
	assert_int_equal(mc_rfc4733_build(&ev, out, sizeof(out)), -EINVAL);
	assert_int_equal(mc_dtmf_event_from_digit('*'), 10);
	assert_int_equal(mc_dtmf_event_from_digit('d'), 15);
	assert_int_equal(mc_dtmf_event_from_digit('x'), -EINVAL);
	assert_int_equal(mc_dtmf_digit_from_event(11), '#');
	assert_int_equal(mc_dtmf_digit_from_event(17), '\0');
}

static int push(struct mc_rfc4733_detector *d, uint8_t event, uint8_t flags, uint16_t dur,
                uint32_t ts, struct mc_dtmf_report rep[2])
{
	const uint8_t p[4] = {event, flags, (uint8_t)(dur >> 8), (uint8_t)dur};
	return mc_rfc4733_detector_push(d, p, 4, ts, rep);
}

static void test_detector_one_report_per_digit(void **state)
{
	(void)state;
	struct mc_rfc4733_detector d;
	struct mc_dtmf_report rep[2];
	assert_int_equal(mc_rfc4733_detector_init(&d, 8000), 0);
	/* Digit 7 at ts 1000: updates, then three redundant end packets. */
	assert_int_equal(push(&d, 7, 0x0a, 160, 1000, rep), 0);
	assert_int_equal(push(&d, 7, 0x0a, 320, 1000, rep), 0);
	assert_int_equal(push(&d, 7, 0x0a, 480, 1000, rep), 0);
	assert_int_equal(push(&d, 7, 0x8a, 800, 1000, rep), 1);
	assert_int_equal(rep[0].digit, '7');
	assert_int_equal(rep[0].duration_ms, 100);
	assert_int_equal(rep[0].volume, 10);
	assert_int_equal(rep[0].start_ts, 1000);
	assert_false(rep[0].ended_by_timeout);
	assert_int_equal(push(&d, 7, 0x8a, 800, 1000, rep), 0);
	assert_int_equal(push(&d, 7, 0x8a, 800, 1000, rep), 0);
	assert_int_equal(d.repeats, 2);

	/* The same digit again is a new event (new timestamp). An update arriving late never
	 * shortens it. */
	assert_int_equal(push(&d, 7, 0x0a, 320, 3000, rep), 0);
	assert_int_equal(push(&d, 7, 0x0a, 160, 3000, rep), 0);
	assert_int_equal(push(&d, 7, 0x8a, 1200, 3000, rep), 1);
	assert_int_equal(rep[0].duration_ms, 150);

	/* All end packets of '*' lost: reported when '#' starts, then '#' itself. */
	assert_int_equal(push(&d, 10, 0x0a, 400, 5000, rep), 0);
	assert_int_equal(push(&d, 11, 0x8a, 480, 9000, rep), 2);
	assert_int_equal(rep[0].digit, '*');
	assert_int_equal(rep[0].duration_ms, 50);
	assert_true(rep[0].ended_by_timeout);
	assert_int_equal(rep[1].digit, '#');
	assert_int_equal(rep[1].duration_ms, 60);

	/* Flush reports an event left open. */
	assert_int_equal(push(&d, 1, 0x0a, 160, 12000, rep), 0);
	assert_int_equal(mc_rfc4733_detector_flush(&d, rep), 1);
	assert_int_equal(rep[0].digit, '1');
	assert_int_equal(mc_rfc4733_detector_flush(&d, rep), 0);

	const uint8_t bad[4] = {200, 0, 0, 0};
	assert_int_equal(mc_rfc4733_detector_push(&d, bad, 4, 1, rep), -EBADMSG);
	assert_int_equal(mc_rfc4733_detector_push(&d, bad, 2, 1, rep), -EBADMSG);
	assert_int_equal(d.bad_payloads, 2);

	/* Wideband event clock. */
	assert_int_equal(mc_rfc4733_detector_init(&d, 48000), 0);
	assert_int_equal(push(&d, 9, 0x8a, 4800, 0, rep), 1);
	assert_int_equal(rep[0].duration_ms, 100);
}

static void test_train(void **state)
{
	(void)state;
	struct mc_rfc4733_packet p[16];
	int n = mc_rfc4733_train('#', 100, 10, 8000, 20, 4242, p, 16);
	assert_int_equal(n, 7); /* 160, 320, 480, 640, then 800 three times */
	const uint8_t first[4] = {0x0b, 0x0a, 0x00, 0xa0};
	const uint8_t last[4] = {0x0b, 0x8a, 0x03, 0x20};
	assert_memory_equal(p[0].payload, first, 4);
	assert_true(p[0].marker);
	for (int i = 0; i < n; i++) {
		assert_int_equal(p[i].ts, 4242);
		assert_int_equal(p[i].offset_ms, 20 * i);
		if (i)
			assert_false(p[i].marker);
	}
	for (int i = 4; i < 7; i++)
		assert_memory_equal(p[i].payload, last, 4);

	/* The train fed to the detector gives back exactly one report. */
	struct mc_rfc4733_detector d;
	struct mc_dtmf_report rep[2];
	int reports = 0;
	mc_rfc4733_detector_init(&d, 8000);
	for (int i = 0; i < n; i++) {
		int r = mc_rfc4733_detector_push(&d, p[i].payload, 4, p[i].ts, rep);
		assert_true(r >= 0);
		if (r) {
			assert_int_equal(rep[0].digit, '#');
			assert_int_equal(rep[0].duration_ms, 100);
		}
		reports += r;
	}
	assert_int_equal(reports, 1);

	assert_int_equal(mc_rfc4733_train('#', 100, 10, 8000, 20, 0, p, 6), -ENOSPC);
	assert_int_equal(mc_rfc4733_train('#', 9000, 10, 8000, 20, 0, p, 16), -ERANGE);
	assert_int_equal(mc_rfc4733_train('x', 100, 10, 8000, 20, 0, p, 16), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_build_bytes),
		cmocka_unit_test(test_detector_one_report_per_digit),
		cmocka_unit_test(test_train),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
