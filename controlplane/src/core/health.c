/* Dependency health and the status file that deploy tooling and buglectl read. */
#include "cp/health.h"

#include "bugle/log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cp_health_init(struct cp_health *h, const char *node, const char *status_file)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->node, sizeof(h->node), "%s", node);
	snprintf(h->status_file, sizeof(h->status_file), "%s", status_file ? status_file : "");
	clock_gettime(CLOCK_REALTIME, &h->started);
}

int cp_health_register(struct cp_health *h, const char *name)
{
	if (h->n_deps >= CP_HEALTH_MAX_DEPS)
		return -ENOSPC;
	struct cp_health_dep *d = &h->deps[h->n_deps];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	clock_gettime(CLOCK_REALTIME, &d->since);
	return (int)h->n_deps++;
}

void cp_health_report(struct cp_health *h, int dep, bool up, const char *err)
{
	if (dep < 0 || (unsigned)dep >= h->n_deps)
		return;
	struct cp_health_dep *d = &h->deps[dep];
	bool changed = !d->reported || d->up != up;
	bool new_error = err && *err && strcmp(d->last_error, err) != 0;
	if (err && *err)
		snprintf(d->last_error, sizeof(d->last_error), "%s", err);
	if (!changed && !new_error)
		return;
	if (changed) {
		d->up = up;
		d->reported = true;
		d->transitions++;
		clock_gettime(CLOCK_REALTIME, &d->since);
		if (up)
			BGL_INFO("%s is up", d->name);
		else
			BGL_WARN("%s is down%s%s", d->name, err ? ": " : "", err ? err : "");
	}
	if (h->status_file[0])
		cp_health_write_file(h);
}

static json_t *iso_time(const struct timespec *ts)
{
	struct tm tm;
	gmtime_r(&ts->tv_sec, &tm);
	char buf[40];
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%03ldZ", ts->tv_nsec / 1000000);
	return json_string(buf);
}

char *cp_health_json(const struct cp_health *h)
{
	json_t *root = json_object();
	json_t *deps = json_object();
	if (!root || !deps) {
		json_decref(root);
		json_decref(deps);
		return NULL;
	}
	bool all_up = true;
	for (unsigned i = 0; i < h->n_deps; i++) {
		const struct cp_health_dep *d = &h->deps[i];
		all_up = all_up && d->up;
		json_t *o = json_object();
		json_object_set_new(o, "state", json_string(d->up ? "up" : "down"));
		json_object_set_new(o, "since", iso_time(&d->since));
		json_object_set_new(o, "last_error",
				    d->last_error[0] ? json_string(d->last_error) : json_null());
		json_object_set_new(o, "transitions", json_integer((json_int_t)d->transitions));
		json_object_set_new(deps, d->name, o);
	}
	json_object_set_new(root, "node", json_string(h->node));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "started", iso_time(&h->started));
	json_object_set_new(root, "state", json_string(all_up ? "up" : "degraded"));
	json_object_set_new(root, "dependencies", deps);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	return s;
}

int cp_health_write_file(struct cp_health *h)
{
	if (!h->status_file[0])
		return 0;
	char *doc = cp_health_json(h);
	if (!doc) {
		h->write_errors++;
		return -ENOMEM;
	}
	/* Write beside the target and rename so readers never see half a file. */
	char tmp[sizeof(h->status_file) + 16];
	snprintf(tmp, sizeof(tmp), "%s.tmp", h->status_file);
	int rc = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
	} else {
		size_t len = strlen(doc), off = 0;
		while (off < len) {
			ssize_t w = write(fd, doc + off, len - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				rc = -errno;
				break;
			}
			off += (size_t)w;
		}
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
		if (rc == 0 && rename(tmp, h->status_file) < 0)
			rc = -errno;
		if (rc < 0)
			unlink(tmp);
	}
	free(doc);
	if (rc < 0) {
		/* Logged once per failure streak would be nicer; counting keeps the log quiet. */
		if (h->write_errors++ == 0)
			BGL_WARN("cannot write status file %s: %s", h->status_file, strerror(-rc));
	}
	return rc;
}
