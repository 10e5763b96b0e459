/* The af_packet PMD (DPDK 22.11) binds one AF_PACKET socket per queue pair to its interface,
 * with TPACKET_V2 RX and TX rings on that same socket. When the workers fall behind, the kernel
 * finds the RX ring full and drops the frame, counting it in the socket's tp_drops; the PMD
 * never reads that figure. Its sockets are found here by what they are (AF_PACKET) and where
 * they are bound (sll_ifindex), not by reaching into the PMD's private data. */
#include "dp_afp_drops.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/if_packet.h>

#include "bugle/log.h"

/* The kernel copies out tpacket_stats (V1/V2) or tpacket_stats_v3 (V3) and trims to the length
 * given; tp_drops sits at the same place in both, so one buffer serves every ring version. */
_Static_assert(offsetof(struct tpacket_stats, tp_drops) ==
		       offsetof(struct tpacket_stats_v3, tp_drops),
	       "tp_drops moved between the TPACKET stats layouts");

static bool packet_socket_on(int fd, int ifindex)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISSOCK(sb.st_mode))
		return false;
	int domain = 0;
	socklen_t len = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_PACKET)
		return false;
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof(sll));
	len = sizeof(sll);
	if (getsockname(fd, (struct sockaddr *)&sll, &len) != 0 ||
	    len < offsetof(struct sockaddr_ll, sll_ifindex) + sizeof(sll.sll_ifindex))
		return false;
	return sll.sll_ifindex == ifindex;
}

/* A /proc/self/fd entry's number, or -1 for ".", ".." and anything else. */
static int fd_number(const char *name)
{
	if (name[0] < '0' || name[0] > '9')
		return -1;
	char *end;
	errno = 0;
	long fd = strtol(name, &end, 10);
	return errno || *end || fd > INT_MAX ? -1 : (int)fd;
}

int dp_afp_drops_attach(struct dp_afp_drops *d, int ifindex)
{
	d->ifindex = ifindex;
	d->n_fds = 0;
	atomic_init(&d->total, 0);
	atomic_init(&d->read_errors, 0);
	if (ifindex <= 0)
		return -EINVAL;
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	int own = dirfd(dir);
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		int fd = fd_number(e->d_name);
		if (fd < 0 || fd == own || !packet_socket_on(fd, ifindex))
			continue;
		if (d->n_fds == DP_AFP_MAX_SOCKETS) {
			rc = -E2BIG;
			break;
		}
		d->fds[d->n_fds++] = fd;
	}
	closedir(dir);
	if (rc)
		d->n_fds = 0;
	return rc ? rc : (int)d->n_fds;
}

/* One socket's tp_drops since its last read, or -1 with errno set. */
static int64_t socket_drops(int fd)
{
	struct tpacket_stats_v3 st;
	memset(&st, 0, sizeof(st));
	socklen_t len = sizeof(st);
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
		return -1;
	if (len < offsetof(struct tpacket_stats_v3, tp_drops) + sizeof(st.tp_drops)) {
		errno = EPROTO;
		return -1;
	}
	return st.tp_drops;
}

uint64_t dp_afp_drops_read(struct dp_afp_drops *d)
{
	for (unsigned i = 0; i < d->n_fds; i++) {
		int64_t n = socket_drops(d->fds[i]);
		if (n < 0) {
			/* Logged once: the stats path must not flood the log. */
			if (atomic_fetch_add_explicit(&d->read_errors, 1, memory_order_relaxed) == 0)
				BGL_WARN("port on ifindex %d: PACKET_STATISTICS of socket %d: %s; "
					 "its ring drops are not counted", d->ifindex,
					 d->fds[i], strerror(errno));
			continue;
		}
		/* A socket reached through two descriptors is not counted twice: the first read
		 * resets what the second would see. */
		atomic_fetch_add_explicit(&d->total, (uint64_t)n, memory_order_relaxed);
	}
	return atomic_load_explicit(&d->total, memory_order_relaxed);
}

void dp_afp_drops_detach(struct dp_afp_drops *d)
{
	d->n_fds = 0;
}

int dp_afp_spec_iface(const char *spec, char *name, size_t cap)
{
	static const char key[] = "iface=";
	/* Arguments follow the device name, each after a comma. */
	for (const char *p = strchr(spec, ','); p; p = strchr(p + 1, ',')) {
		if (strncmp(p + 1, key, sizeof(key) - 1) != 0)
			continue;
		const char *v = p + sizeof(key);
		size_t n = strcspn(v, ",");
		if (n == 0)
			return -ENOENT;
		if (n >= cap)
			return -ENAMETOOLONG;
		memcpy(name, v, n);
		name[n] = '\0';
		return 0;
	}
	return -ENOENT;
}
