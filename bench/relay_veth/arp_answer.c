/* ARP replies of rtp-streams (see arp_answer.h). */
#include "arp_answer.h"

#include <stdio.h>
#include <string.h>

#define ETH_LEN 14

bool arp_answer(const uint8_t *f, uint32_t len, const uint32_t *ips, unsigned n,
		const uint8_t mac[6], uint8_t *out)
{
	static const uint8_t request_hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };	/* Ethernet, IPv4, request */
	if (len < ARP_FRAME_LEN || f[12] != 0x08 || f[13] != 0x06 ||
	    memcmp(f + ETH_LEN, request_hdr, sizeof(request_hdr)) != 0)
		return false;
	const uint8_t *arp = f + ETH_LEN;
	uint32_t target;
	memcpy(&target, arp + 24, 4);
	bool ours = false;
	for (unsigned i = 0; i < n; i++)
		ours |= ips[i] == target;
	if (!ours)
		return false;
	uint8_t *o = out + ETH_LEN;
	memcpy(out, arp + 8, 6);		/* to the asker's MAC */
	memcpy(out + 6, mac, 6);
	out[12] = 0x08;
	out[13] = 0x06;
	memcpy(o, request_hdr, 7);
	o[7] = 2;				/* reply */
	memcpy(o + 8, mac, 6);			/* sender: the address asked for, at mac */
	memcpy(o + 14, &target, 4);
	memcpy(o + 18, arp + 8, 10);		/* target: the asker's MAC and address */
	return true;
}

int arp_parse_mac(const char *text, uint8_t mac[6])
{
	unsigned v[6];
	char end;
	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}
