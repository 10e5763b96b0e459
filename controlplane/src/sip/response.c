/* Response construction. */
#include "response.h"

#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>

osip_message_t *csip_response_new(const osip_message_t *req, int code, const char *reason,
				  const char *to_tag)
{
	osip_message_t *r = NULL;
	if (osip_message_init(&r) != 0)
		return NULL;
	osip_message_set_version(r, osip_strdup("SIP/2.0"));
	osip_message_set_status_code(r, code);
	osip_message_set_reason_phrase(r, osip_strdup(reason ? reason
							   : osip_message_get_reason(code)));
	if (osip_list_clone(&req->vias, &r->vias, (int (*)(void *, void **))osip_via_clone) < 0 ||
	    osip_from_clone(req->from, &r->from) != 0 || osip_to_clone(req->to, &r->to) != 0 ||
	    osip_call_id_clone(req->call_id, &r->call_id) != 0 ||
	    osip_cseq_clone(req->cseq, &r->cseq) != 0) {
		osip_message_free(r);
		return NULL;
	}
	osip_generic_param_t *tag = NULL;
	if (osip_to_get_tag(r->to, &tag) != 0 || !tag) {
		char fresh[17];
		if (!to_tag) {
			unsigned char rnd[8];
			if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
				osip_message_free(r);
				return NULL;
			}
			for (int i = 0; i < 8; i++)
				snprintf(fresh + 2 * i, 3, "%02x", rnd[i]);
			to_tag = fresh;
		}
		osip_to_set_tag(r->to, osip_strdup(to_tag));
	}
	osip_message_set_content_length(r, "0");
	return r;
}
