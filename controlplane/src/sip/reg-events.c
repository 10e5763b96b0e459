/* Registration events on the bus, shaped like KAZOO's (registrar exchange, reg_success /
 * reg_deregister), so every control plane and outside consumers see binding changes. */
#include "registrar-int.h"

#include "bugle/log.h"
#include "cp/bus.h"

#include <jansson.h>
#include <stdlib.h>

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

void csip_reg_event(struct csip_registrar *r, const char *event, const char *account_id,
		    const char *device_id, const char *realm, const char *username,
		    const char *contact, int64_t expires_s, const char *source_ip, int source_port,
		    const char *call_id, const char *user_agent, const char *reason)
{
	if (!r->bus)
		return;
	json_t *o = json_object();
	if (!o)
		return;
	json_object_set_new(o, "Event-Category", json_string("directory"));
	set_str(o, "Event-Name", event);
	set_str(o, "Account-ID", account_id);
	set_str(o, "Authorizing-ID", device_id);
	set_str(o, "Realm", realm);
	set_str(o, "Username", username);
	set_str(o, "Contact", contact);
	json_object_set_new(o, "Expires", json_integer(expires_s));
	set_str(o, "Network-IP", source_ip);
	if (source_port > 0)
		json_object_set_new(o, "Network-Port", json_integer(source_port));
	set_str(o, "Call-ID", call_id);
	set_str(o, "User-Agent", user_agent);
	set_str(o, "Reason", reason);
	set_str(o, "Node", r->node);
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return;
	int rc = cp_bus_publish(r->bus, "registrar", event, text);
	if (rc < 0)
		BGL_WARN("sip: registrar event %s not published: %d", event, rc);
	free(text);
}
