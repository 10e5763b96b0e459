/* buglectl dataplane metrics|drain|undrain and buglectl settings get|set|diff|revert: the
 * operator features of a data plane (its /metrics endpoint and control channel). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"

#define METRICS_DEFAULT "127.0.0.1:9110"

/* ---- dataplane metrics ------------------------------------------------------------------ */

/* "name{a="x",b="y"} 12" -> {"name":..., "labels":{...}, "value":12}; NULL for other lines. */
static json_t *sample_to_json(const char *line)
{
	size_t n = strcspn(line, "{ ");
	if (n == 0 || line[0] == '#')
		return NULL;
	json_t *labels = json_object();
	char name[256];
	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	const char *p = line + n;
	if (*p == '{') {
		p++;
		while (*p && *p != '}') {
			size_t k = strcspn(p, "=");
			if (p[k] != '=' || p[k + 1] != '"')
				goto bad;
			char key[128], val[512];
			snprintf(key, sizeof(key), "%.*s", (int)k, p);
			p += k + 2;
			size_t v = 0;
			for (; *p && *p != '"'; p++) {
				char c = *p;
				if (c == '\\' && p[1]) {
					p++;
					c = *p == 'n' ? '\n' : *p;
				}
				if (v + 1 < sizeof(val))
					val[v++] = c;
			}
			val[v] = '\0';
			if (*p != '"')
				goto bad;
			json_object_set_new(labels, key, json_string(val));
			p++;
			if (*p == ',')
				p++;
		}
		if (*p != '}')
			goto bad;
		p++;
	}
	if (*p != ' ')
		goto bad;
	char *end;
	double value = strtod(p + 1, &end);
	if (end == p + 1)
		goto bad;
	/* Counters and gauges here are integers; keep them exact up to 2^53 for scripts. */
	json_t *v = value == (double)(json_int_t)value && value < 9007199254740992.0
			    ? json_integer((json_int_t)value)
			    : json_real(value);
	return json_pack("{s:s, s:o, s:o}", "name", name, "labels", labels, "value", v);
bad:
	json_decref(labels);
	return NULL;
}

static int cmd_metrics(const struct ctl_options *opt, int argc, char **argv)
{
	if (argc > 1)
		return ctl_error(opt, CTL_USAGE, "dataplane metrics takes at most one ADDR (ip:port)");
	const char *addr = argc ? argv[0] : getenv("BUGLE_METRICS") ? getenv("BUGLE_METRICS")
								   : METRICS_DEFAULT;
	char url[256];
	snprintf(url, sizeof(url), "http://%s/metrics", addr);
	char *text = NULL, err[256];
	size_t len;
	long status = 0;
	int rc = CTL_OK;
	int hr = ctl_http_text(opt, "GET", url, NULL, NULL, &status, &text, &len, err, sizeof(err));
	if (hr < 0)
		rc = ctl_error(opt, hr == -2 ? CTL_FAILED : CTL_UNREACHABLE, "%s: %s", url, err);
	else if (status != 200)
		rc = ctl_error(opt, CTL_FAILED, "%s: HTTP status %ld", url, status);
	else if (!opt->json)
		fputs(text ? text : "", stdout);
	else {
		json_t *samples = json_array();
		for (char *line = text, *next; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			json_t *s = sample_to_json(line);
			if (s)
				json_array_append_new(samples, s);
		}
		ctl_print(opt, json_pack("{s:s, s:o}", "url", url, "samples", samples));
	}
	free(text);
	return rc;
}

/* ---- dataplane drain / undrain --------------------------------------------------------- */

static int drain(const struct ctl_options *opt, int argc, char **argv, bool on)
{
	if (argc > 1)
		return ctl_error(opt, CTL_USAGE, "dataplane %s takes at most one NODE (control address)",
				 on ? "drain" : "undrain");
	const char *addr = argc ? argv[0] : opt->control;
	Bugle__Dp__DrainRequest req = BUGLE__DP__DRAIN_REQUEST__INIT;
	req.drain = on;
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, addr, BUGLE__DP__METHOD__METHOD_DRAIN, &req.base,
		      &bugle__dp__heartbeat_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__HeartbeatReply *r = (Bugle__Dp__HeartbeatReply *)msg;
	json_t *doc = json_pack("{s:s, s:s, s:b, s:b, s:i}", "control", addr, "node", r->node,
				"draining", r->draining, "drained", r->drained, "sessions_active",
				(int)r->sessions_active);
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, doc);
	return CTL_OK;
}

static int cmd_drain(const struct ctl_options *opt, int argc, char **argv)
{
	return drain(opt, argc, argv, true);
}

static int cmd_undrain(const struct ctl_options *opt, int argc, char **argv)
{
	return drain(opt, argc, argv, false);
}

/* ---- settings --------------------------------------------------------------------------- */

/* full: every field (get, --json); otherwise the columns a person reads in a table. */
static json_t *settings_json(const Bugle__Dp__SettingsReply *r, bool full, bool diff)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < r->n_settings; i++) {
		const Bugle__Dp__Setting *s = r->settings[i];
		json_t *row;
		if (diff)
			row = json_pack("{s:s, s:s, s:s}", "name", s->name, "startup", s->startup_value,
					"value", s->value);
		else
			row = json_pack("{s:s, s:s, s:s, s:s}", "name", s->name, "value", s->value,
					"default", s->default_value, "reloadable",
					s->reloadable ? "yes" : "no");
		if (full) {
			json_object_set_new(row, "default", json_string(s->default_value));
			json_object_set_new(row, "startup", json_string(s->startup_value));
			json_object_set_new(row, "reloadable", json_boolean(s->reloadable));
			json_object_set_new(row, "type", json_string(s->type));
			json_object_set_new(row, "help", json_string(s->help));
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

static int settings_call(const struct ctl_options *opt, Bugle__Dp__Method method,
			 const ProtobufCMessage *req, const char *title, bool diff)
{
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, opt->control, method, req, &bugle__dp__settings_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	const Bugle__Dp__SettingsReply *r = (const Bugle__Dp__SettingsReply *)msg;
	json_t *doc = json_pack("{s:s, s:i, s:o}", "control", opt->control, "count",
				(int)r->n_settings, title, settings_json(r, opt->json, diff));
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, doc);
	return CTL_OK;
}

static int cmd_settings_get(const struct ctl_options *opt, int argc, char **argv)
{
	if (argc > 1)
		return ctl_error(opt, CTL_USAGE, "settings get takes at most one NAME");
	Bugle__Dp__SettingsRequest req = BUGLE__DP__SETTINGS_REQUEST__INIT;
	req.name = argc ? argv[0] : (char *)"";
	return settings_call(opt, BUGLE__DP__METHOD__METHOD_GET_SETTINGS, &req.base, "settings",
			     false);
}

static int cmd_settings_set(const struct ctl_options *opt, int argc, char **argv)
{
	if (argc != 2)
		return ctl_error(opt, CTL_USAGE, "settings set takes NAME VALUE");
	Bugle__Dp__SetSettingRequest req = BUGLE__DP__SET_SETTING_REQUEST__INIT;
	req.name = argv[0];
	req.value = argv[1];
	return settings_call(opt, BUGLE__DP__METHOD__METHOD_SET_SETTING, &req.base, "settings",
			     false);
}

static int cmd_settings_diff(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "settings diff takes no arguments");
	Bugle__Dp__SettingsRequest req = BUGLE__DP__SETTINGS_REQUEST__INIT;
	req.changed_only = true;
	return settings_call(opt, BUGLE__DP__METHOD__METHOD_GET_SETTINGS, &req.base, "changed",
			     true);
}

static int cmd_settings_revert(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "settings revert takes no arguments");
	Bugle__Dp__Empty req = BUGLE__DP__EMPTY__INIT;
	return settings_call(opt, BUGLE__DP__METHOD__METHOD_REVERT_SETTINGS, &req.base, "reverted",
			     true);
}

const struct ctl_command ctl_ops_dataplane_commands[] = {
	{ "dataplane", "metrics", "[ADDR]",
	  "scrape /metrics (ADDR ip:port, default $BUGLE_METRICS or " METRICS_DEFAULT ")",
	  cmd_metrics },
	{ "dataplane", "drain", "[NODE]",
	  "take no new calls or media sessions, keep the live ones (NODE: control address)",
	  cmd_drain },
	{ "dataplane", "undrain", "[NODE]", "take new calls again", cmd_undrain },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct ctl_command ctl_settings_commands[] = {
	{ "settings", "get", "[NAME]", "settings with value, default and whether reloadable",
	  cmd_settings_get },
	{ "settings", "set", "NAME VALUE", "change a reloadable setting now", cmd_settings_set },
	{ "settings", "diff", "", "settings that differ from their start-up value",
	  cmd_settings_diff },
	{ "settings", "revert", "", "put every changed setting back to its start-up value",
	  cmd_settings_revert },
	{ NULL, NULL, NULL, NULL, NULL },
};
