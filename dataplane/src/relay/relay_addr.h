/* IPv4 address + port packed in one 64-bit word, so a leg's address changes atomically for a
 * reader on another lcore. Return convention: value helpers return the value.
 */
#ifndef BUGLE_RELAY_ADDR_H
#define BUGLE_RELAY_ADDR_H

#include <stdint.h>

/* ip in network order; 0 means "no address". */
static inline uint64_t relay_addr_pack(uint32_t ip, uint16_t port)
{
	if (ip == 0 || port == 0)
		return 0;
	return ((uint64_t)ip << 16) | port;
}

static inline uint32_t relay_addr_ip(uint64_t a)
{
	return (uint32_t)(a >> 16);
}

static inline uint16_t relay_addr_port(uint64_t a)
{
	return (uint16_t)a;
}

#endif
