/* Framing: headers, the incremental reader over split and merged feeds, hostile headers, and
 * the channel's address syntax. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "bugle/frame.h"

#define MAX_FRAME 1024u

struct fixture {
	uint8_t buf[BGL_FRAME_HDR_LEN + MAX_FRAME];
	struct bgl_frame_reader r;
};

static int setup(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(bgl_frame_reader_init(&fx.r, fx.buf, sizeof(fx.buf), MAX_FRAME), 0);
	*state = &fx;
	return 0;
}

/* Writes one frame whose body is len bytes of (seed + i) into out; returns bytes written. */
static size_t make_frame(uint8_t *out, uint32_t len, uint8_t seed)
{
	bgl_frame_header_encode(out, len);
	for (uint32_t i = 0; i < len; i++)
		out[BGL_FRAME_HDR_LEN + i] = (uint8_t)(seed + i);
	return BGL_FRAME_HDR_LEN + len;
}

static void assert_body(const struct bgl_frame *f, uint32_t len, uint8_t seed)
{
	assert_int_equal(f->len, len);
	for (uint32_t i = 0; i < len; i++)
		assert_int_equal(f->data[i], (uint8_t)(seed + i));
}

static void test_header_round_trip(void **state)
{
	uint8_t hdr[BGL_FRAME_HDR_LEN];
	uint32_t len = 0;

	(void)state;
	bgl_frame_header_encode(hdr, 0x01020304u);
	assert_int_equal(hdr[0], 0);
	assert_int_equal(hdr[1], 1);
	assert_int_equal(hdr[4], 4);
	assert_int_equal(bgl_frame_header_decode(hdr, 0x01020304u, &len), 0);
	assert_int_equal(len, 0x01020304u);
	assert_int_equal(bgl_frame_header_decode(hdr, 0x01020303u, &len), -EMSGSIZE);
	hdr[0] = 1;
	assert_int_equal(bgl_frame_header_decode(hdr, UINT32_MAX, &len), -EPROTO);
}

static void test_byte_by_byte(void **state)
{
	struct fixture *fx = *state;
	uint8_t wire[3 * (BGL_FRAME_HDR_LEN + 300)];
	size_t n = 0;
	struct bgl_frame f;
	int got = 0;

	n += make_frame(wire + n, 300, 1);
	n += make_frame(wire + n, 0, 2);
	n += make_frame(wire + n, 7, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(bgl_frame_reader_feed(&fx->r, wire + i, 1), 1);
		int rc;
		while ((rc = bgl_frame_reader_next(&fx->r, &f)) == 1) {
			got++;
			if (got == 1)
				assert_body(&f, 300, 1);
			else if (got == 2)
				assert_body(&f, 0, 2);
			else
				assert_body(&f, 7, 3);
		}
		assert_int_equal(rc, 0);
		/* A frame comes out exactly when its last byte arrives, not before. */
		if (i == BGL_FRAME_HDR_LEN + 300 - 2)
			assert_int_equal(got, 0);
		if (i == BGL_FRAME_HDR_LEN + 300 - 1)
			assert_int_equal(got, 1);
	}
	assert_int_equal(got, 3);
	assert_int_equal(bgl_frame_reader_pending(&fx->r), 0);
}

static void test_many_frames_in_one_feed(void **state)
{
	struct fixture *fx = *state;
	uint8_t wire[BGL_FRAME_HDR_LEN + MAX_FRAME];
	size_t n = 0;
	struct bgl_frame f;
	int got = 0;

	for (int i = 0; i < 30; i++)
		n += make_frame(wire + n, (uint32_t)i, (uint8_t)i);
	/* Plus half of a 31st frame. */
	uint8_t last[BGL_FRAME_HDR_LEN + 40];
	make_frame(last, 40, 99);
	memcpy(wire + n, last, 20);
	n += 20;
	assert_true(n <= sizeof(wire));
	assert_int_equal(bgl_frame_reader_feed(&fx->r, wire, n), n);
	while (bgl_frame_reader_next(&fx->r, &f) == 1) {
		assert_body(&f, (uint32_t)got, (uint8_t)got);
		got++;
	}
	assert_int_equal(got, 30);
	assert_int_equal(bgl_frame_reader_pending(&fx->r), 20);
	/* The rest arrives: the partial frame is moved to the front and completed. */
	assert_int_equal(bgl_frame_reader_feed(&fx->r, last + 20, sizeof(last) - 20),
			 sizeof(last) - 20);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), 1);
	assert_body(&f, 40, 99);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), 0);
}

static void test_exact_max_and_one_over(void **state)
{
	struct fixture *fx = *state;
	static uint8_t wire[BGL_FRAME_HDR_LEN + MAX_FRAME + 1];
	struct bgl_frame f;

	size_t n = make_frame(wire, MAX_FRAME, 5);
	assert_int_equal(bgl_frame_reader_feed(&fx->r, wire, n), n);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), 1);
	assert_body(&f, MAX_FRAME, 5);

	/* One byte more is refused as soon as the header is in, before any body. */
	bgl_frame_header_encode(wire, MAX_FRAME + 1);
	assert_int_equal(bgl_frame_reader_feed(&fx->r, wire, BGL_FRAME_HDR_LEN), BGL_FRAME_HDR_LEN);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), -EMSGSIZE);
	/* Sticky: later bytes do not resynchronise the stream. */
	n = make_frame(wire, 3, 0);
	bgl_frame_reader_feed(&fx->r, wire, n);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), -EMSGSIZE);
	bgl_frame_reader_reset(&fx->r);
	bgl_frame_reader_feed(&fx->r, wire, n);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), 1);
}

static void test_huge_length(void **state)
{
	struct fixture *fx = *state;
	const uint8_t hdr[] = { 0, 0xff, 0xff, 0xff, 0xff };
	struct bgl_frame f;

	bgl_frame_reader_feed(&fx->r, hdr, sizeof(hdr));
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), -EMSGSIZE);
}

static void test_bad_flag(void **state)
{
	struct fixture *fx = *state;
	uint8_t wire[BGL_FRAME_HDR_LEN + 4];
	struct bgl_frame f;

	make_frame(wire, 4, 0);
	wire[0] = 1;	/* "compressed" */
	bgl_frame_reader_feed(&fx->r, wire, 3);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), 0);	/* header incomplete yet */
	bgl_frame_reader_feed(&fx->r, wire + 3, sizeof(wire) - 3);
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), -EPROTO);

	bgl_frame_reader_reset(&fx->r);
	wire[0] = 0x80;
	bgl_frame_reader_feed(&fx->r, wire, sizeof(wire));
	assert_int_equal(bgl_frame_reader_next(&fx->r, &f), -EPROTO);
}

static void test_feed_stops_when_full(void **state)
{
	struct fixture *fx = *state;
	static uint8_t wire[4 * (BGL_FRAME_HDR_LEN + MAX_FRAME)];
	size_t n = 0;
	struct bgl_frame f;
	int got = 0;

	for (int i = 0; i < 4; i++)
		n += make_frame(wire + n, MAX_FRAME, (uint8_t)i);
	/* The buffer holds one maximal frame; the caller drains between feeds. */
	size_t off = 0;
	while (off < n) {
		size_t took = bgl_frame_reader_feed(&fx->r, wire + off, n - off);
		assert_true(took > 0);
		off += took;
		while (bgl_frame_reader_next(&fx->r, &f) == 1)
			assert_body(&f, MAX_FRAME, (uint8_t)got++);
	}
	assert_int_equal(got, 4);
}

static void test_init_rejects_small_buffer(void **state)
{
	struct bgl_frame_reader r;
	uint8_t buf[16];

	(void)state;
	assert_int_equal(bgl_frame_reader_init(&r, buf, sizeof(buf), 12), -EINVAL);
	assert_int_equal(bgl_frame_reader_init(&r, buf, sizeof(buf), 11), 0);
	assert_int_equal(bgl_frame_reader_init(&r, buf, sizeof(buf), 0), -EINVAL);
}

static void test_addr_parse(void **state)
{
	struct bgl_frame_addr a;

	(void)state;
	assert_int_equal(bgl_frame_addr_parse("127.0.0.1:7010", &a), 0);
	assert_false(a.is_unix);
	assert_int_equal(((struct sockaddr_in *)&a.sa)->sin_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&a.sa)->sin_port), 7010);
	assert_int_equal(bgl_frame_addr_parse("[::1]:9", &a), 0);
	assert_int_equal(((struct sockaddr_in6 *)&a.sa)->sin6_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&a.sa)->sin6_port), 9);
	assert_int_equal(bgl_frame_addr_parse("unix:/run/bugle/dp.sock", &a), 0);
	assert_true(a.is_unix);
	assert_string_equal(a.path, "/run/bugle/dp.sock");

	const char *bad[] = { "", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
			      "localhost:7010", "::1:7010", "[::1]7010", "unix:", "1.2.3.4:80x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(bgl_frame_addr_parse(bad[i], &a), -EINVAL);
	char longpath[200] = "unix:/";
	memset(longpath + 6, 'a', sizeof(longpath) - 7);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(bgl_frame_addr_parse(longpath, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test_setup(test_byte_by_byte, setup),
		cmocka_unit_test_setup(test_many_frames_in_one_feed, setup),
		cmocka_unit_test_setup(test_exact_max_and_one_over, setup),
		cmocka_unit_test_setup(test_huge_length, setup),
		cmocka_unit_test_setup(test_bad_flag, setup),
		cmocka_unit_test_setup(test_feed_stops_when_full, setup),
		cmocka_unit_test(test_init_rejects_small_buffer),
		cmocka_unit_test(test_addr_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
