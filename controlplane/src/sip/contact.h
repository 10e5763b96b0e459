/* A REGISTER's Contact headers turned into bindings with their granted lifetimes (RFC 3261
 * §10.3): the contact's expires parameter, else the Expires header, else the device default;
 * 0 removes; shorter than the minimum is refused with 423; longer than the maximum is lowered.
 * The stored contact is the URI alone (URI parameters and escaped headers kept, header
 * parameters such as expires and q dropped).
 * Return convention: 0 or a negative errno.
 */
#ifndef CSIP_CONTACT_H
#define CSIP_CONTACT_H

#include <osipparser2/osip_message.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSIP_MAX_CONTACTS 16
#define CSIP_CONTACT_URI_MAX 512

struct csip_expiry_rules {
	int64_t def_s, min_s, max_s;
};

struct csip_binding {
	char uri[CSIP_CONTACT_URI_MAX];
	char instance[128];		/* +sip.instance, "" when absent */
	int64_t reg_id;			/* reg-id, -1 when absent */
	int64_t expires_s;		/* granted; 0: remove */
};

struct csip_contact_set {
	bool star;			/* "Contact: *" with Expires: 0 */
	size_t n;
	struct csip_binding b[CSIP_MAX_CONTACTS];
};

/* 0 with out filled (n may be 0: a fetch); -EINVAL for a malformed or misused Contact ("*"
 * with other contacts or a non-zero expiry, a URI that is not sip/sips, a bad expires value);
 * -E2BIG for more than CSIP_MAX_CONTACTS; -ERANGE when one expiry is below rules->min_s (answer
 * 423 with Min-Expires). */
int csip_contacts_parse(osip_message_t *req, const struct csip_expiry_rules *rules,
			struct csip_contact_set *out);

/* Parses a delta-seconds value ("3600"): 0 and *out, or -EINVAL. Values above 2^32-1 are
 * capped there (RFC 3261 §25.1 grammar allows any length). */
int csip_delta_seconds(const char *s, int64_t *out);

#endif
