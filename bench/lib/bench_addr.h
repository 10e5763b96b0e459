/* IPv4 "IP:PORT" arguments of the benchmark programs. Returns 0, or -1 when S is not an IPv4
 * address, a colon and a port in 1..65535 (then *A is zeroed). */
#ifndef BUGLE_BENCH_ADDR_H
#define BUGLE_BENCH_ADDR_H

#include <netinet/in.h>

int bench_parse_addr(const char *s, struct sockaddr_in *a);

#endif
