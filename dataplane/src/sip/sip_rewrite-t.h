/* Types of the rewrite plan (functions in sip_rewrite.h). */
#ifndef BUGLE_SIP_REWRITE_T_H
#define BUGLE_SIP_REWRITE_T_H

#include "sip-t.h"

#define SIP_RW_MAX_EDITS 16
#define SIP_RW_TEXT 1024 /* bytes of new text (Via, Record-Route, numbers) per plan */

/* Replace source bytes [start, end) of the message with text[off, off + len). An insertion
 * has start == end, a deletion len == 0. */
struct sip_rw_edit {
	uint32_t start, end;
	uint16_t off, len;
};

/* A rewrite in progress: edits over one parsed message, applied in one gather pass. Lives on
 * the stack of the lcore that forwards the packet. */
struct sip_rw_plan {
	struct sip_msg *m;
	uint8_t n;
	uint16_t used;
	struct sip_rw_edit e[SIP_RW_MAX_EDITS];
	char text[SIP_RW_TEXT];
};

#endif
