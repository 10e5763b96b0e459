/* Member resolution: each member is a slot filled by one or two document loads; a group's slot
 * is filled by a nested resolution of its endpoints. The callback runs when every slot is in. */
#include "cf-resolve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-flow.h"

struct resolver;

struct slot {
	struct resolver *r;
	struct cf_member m;
	struct cf_ep_list eps;
	json_t *user;		/* user members: the user document, then its devices */
	json_t *devices;
	int loads;		/* user members: loads still out */
	int user_err;
};

struct resolver {
	struct cf_flow *f;
	struct slot *slots;
	size_t n;
	size_t pending;
	unsigned depth;
	int err;
	cf_resolve_fn cb;
	void *arg;
};

static void resolve_depth(struct cf_flow *f, const struct cf_member *members, size_t n,
			  unsigned depth, cf_resolve_fn cb, void *arg);

static void slot_done(struct slot *s)
{
	struct resolver *r = s->r;
	struct cf_ep_list all = {0};

	if (--r->pending > 0)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct cf_ep_list *l = &r->slots[i].eps;

		for (size_t j = 0; j < l->n && r->err == 0; j++)
			if (cf_ep_list_push(&all, &l->v[j]) != 0)
				r->err = -ENOMEM;
		cf_ep_list_skip(&all, l->why);
		cf_ep_list_release(l);
		json_decref(r->slots[i].user);
		json_decref(r->slots[i].devices);
	}
	r->cb(r->f, r->arg, r->err, &all);
	free(r->slots);
	free(r);
}

static void fault(struct slot *s, int err)
{
	if (err == -ENOENT)
		/* a member that no longer exists is skipped, as a missing phone */
		cf_ep_list_skip(&s->eps, (struct cf_result){CF_FAILED, 404});
	else if (s->r->err == 0)
		s->r->err = err;
}

static void got_device(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	struct slot *s = arg;
	json_t *owner = NULL;

	if (err == 0) {
		/* not a device (a user id given as a device): skipped */
		const char *type = json_string_value(json_object_get(doc, "pvt_type"));

		if (type && strcmp(type, "device") != 0)
			cf_ep_list_skip(&s->eps, (struct cf_result){CF_FAILED, 404});
		else if (cf_endpoints_from_device(f, doc, owner, &s->m.opts, &s->eps) != 0)
			fault(s, -ENOMEM);
		json_decref(doc);
	} else {
		fault(s, err);
	}
	slot_done(s);
}

static void user_ready(struct cf_flow *f, struct slot *s)
{
	size_t i;
	json_t *dev;

	if (--s->loads > 0)
		return;
	if (s->user_err) {
		fault(s, s->user_err);
	} else {
		json_array_foreach(s->devices, i, dev)
			if (cf_endpoints_from_device(f, dev, s->user, &s->m.opts, &s->eps) != 0)
				fault(s, -ENOMEM);
		if (s->eps.n == 0 && s->eps.why.cause == CF_OK)
			/* a user without phones */
			cf_ep_list_skip(&s->eps, (struct cf_result){CF_FAILED, 404});
	}
	slot_done(s);
}

static void got_user(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	struct slot *s = arg;

	if (err)
		s->user_err = err;
	else
		s->user = doc;
	user_ready(f, s);
}

static void got_user_devices(struct cf_flow *f, void *arg, int err, json_t *list)
{
	struct slot *s = arg;

	if (err && err != -ENOENT && !s->user_err)
		s->user_err = err;
	s->devices = err ? NULL : list;
	user_ready(f, s);
}

static void group_resolved(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list)
{
	struct slot *s = arg;

	(void)f;
	cf_ep_list_release(&s->eps);
	s->eps = *list;
	/* the group's own delay/timeout apply where its members set none */
	for (size_t i = 0; i < s->eps.n; i++) {
		if (!s->eps.v[i].delay_s)
			s->eps.v[i].delay_s = s->m.opts.delay_s;
		if (!s->eps.v[i].timeout_s)
			s->eps.v[i].timeout_s = s->m.opts.timeout_s;
	}
	if (err)
		fault(s, err);
	slot_done(s);
}

static void got_group(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	struct slot *s = arg;
	const json_t *eps, *e;
	const char *key;
	struct cf_member *sub;
	size_t n = 0;

	if (err) {
		fault(s, err);
		slot_done(s);
		return;
	}
	eps = json_object_get(doc, "endpoints");
	sub = calloc(json_object_size(eps) + 1, sizeof(*sub));
	if (!sub) {
		json_decref(doc);
		fault(s, -ENOMEM);
		slot_done(s);
		return;
	}
	json_object_foreach((json_t *)eps, key, e) {
		const char *type = json_string_value(json_object_get(e, "type"));

		if (!type)
			continue;
		if (strcmp(type, "device") == 0)
			sub[n].type = CF_MEMBER_DEVICE;
		else if (strcmp(type, "user") == 0)
			sub[n].type = CF_MEMBER_USER;
		else
			continue;
		if (cf_copy(sub[n].id, sizeof(sub[n].id), key) != 0)
			continue;
		sub[n].opts = s->m.opts;
		sub[n].opts.delay_s = sub[n].opts.timeout_s = 0;
		n++;
	}
	json_decref(doc);
	resolve_depth(f, sub, n, s->r->depth + 1, group_resolved, s);
	free(sub);
}

static void resolve_depth(struct cf_flow *f, const struct cf_member *members, size_t n,
			  unsigned depth, cf_resolve_fn cb, void *arg)
{
	struct resolver *r = calloc(1, sizeof(*r));
	struct cf_ep_list empty = {0};

	if (!r || (n && !(r->slots = calloc(n, sizeof(*r->slots))))) {
		free(r);
		cb(f, arg, -ENOMEM, &empty);
		return;
	}
	r->f = f;
	r->n = n;
	r->depth = depth;
	r->cb = cb;
	r->arg = arg;
	/* +1 so that synchronous completions cannot finish before every slot started */
	r->pending = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &r->slots[i];

		s->r = r;
		s->m = members[i];
		switch (s->m.type) {
		case CF_MEMBER_DEVICE:
			cf_flow_load(f, s->m.id, got_device, s);
			break;
		case CF_MEMBER_USER:
			s->loads = 2;
			cf_flow_load(f, s->m.id, got_user, s);
			cf_flow_owned_by(f, "device", s->m.id, got_user_devices, s);
			break;
		case CF_MEMBER_GROUP:
			if (depth >= f->eng->cfg.max_group_depth) {
				cf_ep_list_skip(&s->eps, (struct cf_result){CF_FAILED, 0});
				slot_done(s);
			} else {
				cf_flow_load(f, s->m.id, got_group, s);
			}
			break;
		}
	}
	slot_done(&(struct slot){.r = r});
}

void cf_resolve(struct cf_flow *f, const struct cf_member *members, size_t n, cf_resolve_fn cb,
		void *arg)
{
	resolve_depth(f, members, n, 0, cb, arg);
}
