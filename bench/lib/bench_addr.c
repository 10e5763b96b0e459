/* IPv4 "IP:PORT" arguments of the benchmark programs (see bench_addr.h). */
#include "bench_addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int bench_parse_addr(const char *s, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host) || colon[1] == 0)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port <= 0 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1) {
		memset(a, 0, sizeof(*a));
		return -1;
	}
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return 0;
}
