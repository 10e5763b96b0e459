/* Device (+ owner) documents to bridge endpoints, honouring the endpoint settings. */
#include "cf-endpoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-caller-id.h"
#include "cf-classifier.h"
#include "cf-flow.h"
#include "cf-lookup.h"

void cf_ep_list_release(struct cf_ep_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int cf_ep_list_push(struct cf_ep_list *l, const struct cf_endpoint *ep)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct cf_endpoint *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *ep;
	return 0;
}

static int skip_rank(enum cf_cause c)
{
	return c == CF_BUSY ? 2 : c == CF_OK ? 0 : 1;
}

void cf_ep_list_skip(struct cf_ep_list *l, struct cf_result why)
{
	if (skip_rank(why.cause) > skip_rank(l->why.cause))
		l->why = why;
}

static bool flag(const json_t *obj, const char *key, bool dflt)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

/* The user's setting object when it decides (has "enabled"), else the device's. */
static const json_t *setting(const json_t *device, const json_t *user, const char *key)
{
	const json_t *u = json_object_get(user, key);

	if (json_is_boolean(json_object_get(u, "enabled")))
		return u;
	return json_object_get(device, key);
}

static void media_prefs(const json_t *device, struct cf_media_prefs *m)
{
	const json_t *media = json_object_get(device, "media");
	const json_t *codecs = json_object_get(json_object_get(media, "audio"), "codecs");
	const json_t *enc = json_object_get(media, "encryption");
	size_t i;
	const json_t *v;

	memset(m, 0, sizeof(*m));
	json_array_foreach(codecs, i, v) {
		if (!json_is_string(v) || m->n_codecs >= CF_CODECS_MAX)
			continue;
		cf_copy(m->codecs[m->n_codecs++], sizeof(m->codecs[0]), json_string_value(v));
	}
	json_array_foreach(json_object_get(enc, "methods"), i, v) {
		if (!json_is_string(v))
			continue;
		if (strcmp(json_string_value(v), "srtp") == 0)
			m->srtp = true;
		else if (strcmp(json_string_value(v), "zrtp") == 0)
			m->zrtp = true;
	}
	m->enforce_security = flag(enc, "enforce_security", false);
}

/* The forward endpoint, or -EPERM when the forward number is restricted for this device. */
static int forward_endpoint(struct cf_flow *f, const json_t *device, const json_t *user,
			    const json_t *cfw, struct cf_endpoint *ep)
{
	char num[CF_NUMBER_MAX];

	if (cf_number_normalize(json_string_value(json_object_get(cfw, "number")), num,
				sizeof(num)) != 0)
		return -EINVAL;
	if (cf_restricted(cf_classify(num), device, user, f->account))
		return -EPERM;
	ep->kind = CF_EP_FORWARD;
	cf_copy(ep->number, sizeof(ep->number), num);
	ep->require_keypress = flag(cfw, "require_keypress", true);
	if (!flag(cfw, "keep_caller_id", true))
		/* the forwarded leg shows the forwarding phone, as an outbound call of its own */
		ep->cid_set = cf_doc_caller_id(device, user, f->account, "external",
					       &ep->cid) == 0;
	return 0;
}

int cf_endpoints_from_device(struct cf_flow *f, const json_t *device, const json_t *user,
			     const struct cf_ep_opts *o, struct cf_ep_list *out)
{
	struct cf_endpoint ep;
	const json_t *cfw;
	const char *id = json_string_value(json_object_get(device, "id"));
	const char *owner = json_string_value(json_object_get(device, "owner_id"));
	bool ring_device = true;
	int rc;

	if (!id || !flag(device, "enabled", true) || (user && !flag(user, "enabled", true))) {
		cf_ep_list_skip(out, (struct cf_result){CF_FAILED, 404});
		return 0;
	}
	if (flag(setting(device, user, "do_not_disturb"), "enabled", false)) {
		cf_ep_list_skip(out, (struct cf_result){CF_BUSY, 486});
		return 0;
	}
	memset(&ep, 0, sizeof(ep));
	cf_copy(ep.device_id, sizeof(ep.device_id), id);
	cf_copy(ep.owner_id, sizeof(ep.owner_id), owner);
	ep.delay_s = o->delay_s;
	ep.timeout_s = o->timeout_s;
	ep.weight = o->weight;

	cfw = setting(device, user, "call_forward");
	/* a forward's own target does not forward again (f->loopback): forwards cannot loop */
	if (flag(cfw, "enabled", false) && !o->ignore_forward && !f->loopback &&
	    (o->direct || !flag(cfw, "direct_calls_only", false))) {
		struct cf_endpoint fw = ep;

		rc = forward_endpoint(f, device, user, cfw, &fw);
		if (rc == 0) {
			if (cf_ep_list_push(out, &fw) != 0)
				return -ENOMEM;
			ring_device = !flag(cfw, "substitute", true);
		}
	}
	if (!ring_device)
		return 0;
	ep.kind = CF_EP_DEVICE;
	media_prefs(device, &ep.media);
	if (f->caller_is_device)
		/* internal call: show the calling phone's internal caller id */
		ep.cid_set = cf_doc_caller_id(f->caller_device, f->caller_user, f->account,
					      "internal", &ep.cid) == 0;
	return cf_ep_list_push(out, &ep);
}
