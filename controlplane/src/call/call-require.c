/* Require (RFC 3261 §8.2.2.3): a request naming an option tag we do not implement is refused
 * 420 Bad Extension with the tags in Unsupported. We send no reliable provisionals, so an INVITE
 * with "Require: 100rel" (RFC 3262) is refused; "Supported: 100rel" alone needs nothing. Session
 * timers ("timer", RFC 4028) are tolerated: their refreshes are answered in the dialog. */
#include "call-int.h"

#include "response.h"
#include "sip-stack.h"

#include <ctype.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const supported[] = { "timer" };

static bool is_supported(const char *tag, size_t n)
{
	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		if (strlen(supported[i]) == n && strncasecmp(supported[i], tag, n) == 0)
			return true;
	return false;
}

/* Appends tag[0..n) to the list in out (", " between); false when it does not fit. */
static bool append(char *out, size_t cap, const char *tag, size_t n)
{
	size_t used = strlen(out);
	int k = snprintf(out + used, cap - used, "%s%.*s", used ? ", " : "", (int)n, tag);
	if (k < 0 || (size_t)k >= cap - used) {
		out[used] = '\0';
		return false;
	}
	return true;
}

unsigned call_require_unsupported(const osip_message_t *req, char *out, size_t cap)
{
	unsigned count = 0;
	osip_header_t *h = NULL;
	if (cap)
		out[0] = '\0';
	for (int pos = 0;
	     (pos = osip_message_header_get_byname(req, "require", pos, &h)) >= 0; pos++) {
		const char *p = h && h->hvalue ? h->hvalue : "";
		while (*p) {
			while (*p == ',' || isspace((unsigned char)*p))
				p++;
			size_t n = strcspn(p, ", \t\r\n");
			if (n && !is_supported(p, n)) {
				count++;
				if (cap)
					append(out, cap, p, n);
			}
			p += n;
		}
	}
	return count;
}

bool call_require_refused(struct call_ctl *ctl, struct csip_tx *tx, const osip_message_t *req)
{
	char tags[256];
	if (MSG_IS_ACK(req) || MSG_IS_CANCEL(req) ||
	    call_require_unsupported(req, tags, sizeof(tags)) == 0)
		return false;
	ctl->c.bad_extension++;
	osip_message_t *resp = csip_response_new(req, 420, "Bad Extension", NULL);
	if (resp && osip_message_set_header(resp, "Unsupported", tags) == 0) {
		csip_tx_respond(tx, resp);
		return true;
	}
	if (resp)
		osip_message_free(resp);
	call_reply(tx, req, 420, "Bad Extension");
	return true;
}
