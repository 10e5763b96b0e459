/* RFC 3261 sanity checks of a parsed message. sip_sanity_check() returns 0 (the verdict is in
 * *out) or -EINVAL for bad arguments; the sip_fault_*() lookups return a value for any id. */
#ifndef BUGLE_SIP_SANITY_H
#define BUGLE_SIP_SANITY_H

#include "sip-t.h"

/* parse_rc is what sip_msg_parse() returned: a message that did not frame is dropped. A bad
 * request gets SIP_REJECT with a status and reason for a stateless reply; a bad response is
 * always SIP_DROP (a response cannot be answered). Extra bytes after Content-Length are not
 * a fault: m->len ends the message and the rest is ignored. cfg NULL = proxy, no extensions. */
int sip_sanity_check(struct sip_msg *m, int parse_rc, const struct sip_sanity_cfg *cfg,
		     struct sip_sanity *out);

/* The row of SIP_FAULTS (sip-t.h) for a fault: its status (0 = always dropped), reason phrase
 * and counter name. */
uint16_t sip_fault_status(enum sip_fault f);
const char *sip_fault_reason(enum sip_fault f);
const char *sip_fault_counter(enum sip_fault f);

#endif
