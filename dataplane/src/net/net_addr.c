/* inet_pton does the parsing; this only adds the prefix length and the errno convention. */
#include "net_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int net_ipv4_parse(const char *text, rte_be32_t *addr)
{
	struct in_addr a;
	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return -EINVAL;
	*addr = a.s_addr;
	return 0;
}

int net_ipv4_parse_cidr(const char *text, rte_be32_t *addr, rte_be32_t *netmask)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = text ? strchr(text, '/') : NULL;
	if (!slash || (size_t)(slash - text) >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, text, (size_t)(slash - text));
	ip[slash - text] = '\0';

	char *end;
	errno = 0;
	long len = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end != '\0' || len < 1 || len > 32)
		return -EINVAL;
	if (net_ipv4_parse(ip, addr) < 0)
		return -EINVAL;
	uint32_t mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
	*netmask = rte_cpu_to_be_32(mask);
	return 0;
}

void net_ipv4_format(rte_be32_t addr, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = addr };
	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)len) && len)
		buf[0] = '\0';
}
