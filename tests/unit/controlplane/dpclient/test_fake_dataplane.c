/* See test_fake_dataplane.h. */
#include "test_fake_dataplane.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void on_listen_readable(uv_poll_t *p, int status, int events)
{
	struct fake_dp *f = p->data;
	int fd;

	(void)status, (void)events;
	while ((fd = accept(f->listen_fd, NULL, NULL)) >= 0) {
		/* Small enough for the socket buffer: one send does it. */
		if (send(fd, f->reply, f->reply_len, MSG_NOSIGNAL) < 0)
			perror("fake data plane send");
		if (f->accepted < sizeof(f->conns) / sizeof(f->conns[0]))
			f->conns[f->accepted] = fd;
		else
			close(fd);
		f->accepted++;
	}
}

int fake_dp_start(struct fake_dp *f, uv_loop_t *loop, const char *path, const uint8_t *reply,
		  size_t reply_len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	f->reply = reply;
	f->reply_len = reply_len;
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (f->listen_fd < 0)
		return -errno;
	if (bind(f->listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(f->listen_fd, 8) < 0)
		return -errno;
	uv_poll_init(loop, &f->poll, f->listen_fd);
	f->poll.data = f;
	return uv_poll_start(&f->poll, UV_READABLE, on_listen_readable);
}

void fake_dp_stop(struct fake_dp *f)
{
	uv_close((uv_handle_t *)&f->poll, NULL);
	for (unsigned i = 0; i < f->accepted && i < sizeof(f->conns) / sizeof(f->conns[0]); i++)
		close(f->conns[i]);
	close(f->listen_fd);
	unlink(f->path);
}
