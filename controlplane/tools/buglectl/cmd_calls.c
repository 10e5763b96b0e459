/* buglectl calls list|show|kill and registrations list: live calls and registrations through a
 * control plane's REST API (the first --api), over the API key's account and every account
 * below it unless --account names one. */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buglectl.h"

struct calls_args {
	const char *account;	/* --account ID, NULL: the key's tree */
	bool all;		/* --all (calls kill) */
	const char *call_id;	/* the positional CALL-ID, if any */
};

/* [--account ID] [--all] [CALL-ID]: what each command allows is checked by the caller. */
static int parse(const struct ctl_options *opt, int argc, char **argv, struct calls_args *a)
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct calls_args){ 0 };
	optind = 0;
	int ch;
	while ((ch = getopt_long(argc + 1, argv - 1, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': a->account = optarg; break;
		case 'A': a->all = true; break;
		default: return ctl_error(opt, CTL_USAGE, "unknown option (see --help)");
		}
	}
	int rest = argc + 1 - optind;
	if (rest > 1)
		return ctl_error(opt, CTL_USAGE, "too many arguments (see --help)");
	if (rest == 1)
		a->call_id = argv[optind - 1];
	return CTL_OK;
}

static int session(const struct ctl_options *opt, struct ctl_api *api)
{
	if (opt->n_apis == 0)
		return ctl_error(opt, CTL_USAGE, "no control plane API given (--api URL)");
	*api = (struct ctl_api){ .base = opt->apis[0] };
	return ctl_api_login(opt, api);
}

/* GET /v2/accounts/{ID}/<what> for every covered account, rows concatenated. */
static int collect(const struct ctl_options *opt, const struct ctl_api *api, const char *account,
		   const char *what, json_t **rows)
{
	json_t *ids;
	int rc = ctl_api_accounts(opt, api, account, &ids);
	if (rc != CTL_OK)
		return rc;
	*rows = json_array();
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id) {
		char path[256];
		snprintf(path, sizeof(path), "/v2/accounts/%s/%s", json_string_value(id), what);
		long status;
		json_t *part;
		rc = ctl_api_call(opt, api, "GET", path, NULL, &status, &part);
		if (rc != CTL_OK)
			break;
		size_t j;
		json_t *row;
		json_array_foreach(part, j, row) {
			if (!json_object_get(row, "account_id"))
				json_object_set(row, "account_id", id);
			json_array_append(*rows, row);
		}
		json_decref(part);
	}
	json_decref(ids);
	if (rc != CTL_OK) {
		json_decref(*rows);
		*rows = NULL;
	}
	return rc;
}

static const char *str_or_dash(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : "-";
}

/* The columns a person reads; --json keeps every field of the API's channel. */
static json_t *channel_row(const json_t *ch)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "call_id", str_or_dash(ch, "uuid"),
			 "account_id", str_or_dash(ch, "account_id"), "direction",
			 str_or_dash(ch, "direction"), "from", str_or_dash(ch, "caller_id_number"),
			 "to", str_or_dash(ch, "callee_id_number"), "answered",
			 json_is_true(json_object_get(ch, "answered")) ? "yes" : "no", "node",
			 str_or_dash(ch, "node"));
}

static json_t *channel_rows(const struct ctl_options *opt, json_t *rows)
{
	if (opt->json)
		return rows;
	json_t *out = json_array();
	size_t i;
	json_t *ch;
	json_array_foreach(rows, i, ch)
		json_array_append_new(out, channel_row(ch));
	json_decref(rows);
	return out;
}

static int calls_list(const struct ctl_options *opt, int argc, char **argv)
{
	struct calls_args a;
	struct ctl_api api;
	json_t *rows;
	int rc = parse(opt, argc, argv, &a);
	if (rc == CTL_OK && (a.all || a.call_id))
		rc = ctl_error(opt, CTL_USAGE, "calls list takes only [--account ID]");
	if (rc == CTL_OK)
		rc = session(opt, &api);
	if (rc == CTL_OK)
		rc = collect(opt, &api, a.account, "channels", &rows);
	if (rc != CTL_OK)
		return rc;
	json_t *doc = json_pack("{s:i, s:o}", "count", (int)json_array_size(rows), "channels",
				channel_rows(opt, rows));
	ctl_print(opt, doc);
	return CTL_OK;
}

/* method on /v2/accounts/{acct}/channels/{call_id}: 0 with *status and *data (the envelope's
 * "data" on 2xx, owned), or the exit code after printing why the node was not reached. */
static int channel_request(const struct ctl_options *opt, const struct ctl_api *api,
			   const char *acct, const char *call_id, const char *method, long *status,
			   json_t **data)
{
	*data = NULL;
	char *esc = curl_easy_escape(NULL, call_id, 0);
	char url[1024], err[256] = "";
	snprintf(url, sizeof(url), "%s/v2/accounts/%s/channels/%s", api->base, acct,
		 esc ? esc : "");
	curl_free(esc);
	json_t *reply;
	if (ctl_http(opt, method, url, api->token, NULL, status, &reply, err, sizeof(err)) < 0)
		return ctl_error(opt, CTL_UNREACHABLE, "%s: %s", api->base, err);
	if (*status >= 200 && *status <= 299 && json_object_get(reply, "data"))
		*data = json_incref(json_object_get(reply, "data"));
	json_decref(reply);
	return CTL_OK;
}

/* method on the call in each covered account until one knows it (a 404 elsewhere is the
 * search, not an error): CTL_OK with *data, or the exit code after printing why. */
static int on_call(const struct ctl_options *opt, const struct ctl_api *api, const char *account,
		   const char *call_id, const char *method, json_t **data)
{
	json_t *ids;
	*data = NULL;
	int rc = ctl_api_accounts(opt, api, account, &ids);
	if (rc != CTL_OK)
		return rc;
	long status = 404;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id) {
		rc = channel_request(opt, api, json_string_value(id), call_id, method, &status, data);
		if (rc != CTL_OK || status != 404)
			break;
	}
	json_decref(ids);
	if (rc != CTL_OK)
		return rc;
	if (status == 404)
		return ctl_error(opt, CTL_FAILED, "no live call %s", call_id);
	if (status < 200 || status > 299)
		return ctl_error(opt, CTL_FAILED, "%s channel %s: HTTP %ld", method, call_id, status);
	return CTL_OK;
}

static int calls_show(const struct ctl_options *opt, int argc, char **argv)
{
	struct calls_args a;
	struct ctl_api api;
	json_t *ch = NULL;
	int rc = parse(opt, argc, argv, &a);
	if (rc == CTL_OK && (a.all || !a.call_id))
		rc = ctl_error(opt, CTL_USAGE, "calls show takes CALL-ID [--account ID]");
	if (rc == CTL_OK)
		rc = session(opt, &api);
	if (rc == CTL_OK)
		rc = on_call(opt, &api, a.account, a.call_id, "GET", &ch);
	if (rc != CTL_OK)
		return rc;
	ctl_print(opt, ch ? ch : json_object());
	return CTL_OK;
}

static int calls_kill(const struct ctl_options *opt, int argc, char **argv)
{
	struct calls_args a;
	struct ctl_api api;
	int rc = parse(opt, argc, argv, &a);
	if (rc == CTL_OK && a.all == !!a.call_id)
		rc = ctl_error(opt, CTL_USAGE, "calls kill takes CALL-ID or --all [--account ID]");
	if (rc == CTL_OK)
		rc = session(opt, &api);
	if (rc != CTL_OK)
		return rc;
	json_t *killed = json_array();
	if (a.call_id) {
		json_t *data = NULL;
		rc = on_call(opt, &api, a.account, a.call_id, "DELETE", &data);
		json_decref(data);
		if (rc == CTL_OK)
			json_array_append_new(killed, json_pack("{s:s}", "call_id", a.call_id));
	} else {
		json_t *rows = NULL;
		int failed = CTL_OK;	/* one call refused does not stop the others */
		rc = collect(opt, &api, a.account, "channels", &rows);
		size_t i;
		json_t *ch;
		json_array_foreach(rows, i, ch) {
			const char *acct = json_string_value(json_object_get(ch, "account_id"));
			const char *cid = json_string_value(json_object_get(ch, "uuid"));
			if (!acct || !cid)
				continue;
			/* Each call has two channels; hanging up one ends both, so the other's
			 * DELETE finds nothing: that is not a failure. */
			long status;
			json_t *data;
			rc = channel_request(opt, &api, acct, cid, "DELETE", &status, &data);
			json_decref(data);
			if (rc != CTL_OK)
				break;
			if (status >= 200 && status <= 299)
				json_array_append_new(killed, json_pack("{s:s}", "call_id", cid));
			else if (status != 404)
				failed = ctl_error(opt, CTL_FAILED, "DELETE channel %s: HTTP %ld",
						   cid, status);
		}
		json_decref(rows);
		if (rc == CTL_OK)
			rc = failed;
	}
	if (rc != CTL_OK) {
		json_decref(killed);
		return rc;
	}
	ctl_print(opt, json_pack("{s:i, s:o}", "killed", (int)json_array_size(killed), "calls",
				 killed));
	return CTL_OK;
}

/* The columns a person reads; --json keeps every field. */
static json_t *registration_row(const json_t *r)
{
	const json_t *exp = json_object_get(r, "expires");
	char expires[32];
	snprintf(expires, sizeof(expires), "%lld", (long long)json_integer_value(exp));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "username", str_or_dash(r, "username"),
			 "realm", str_or_dash(r, "realm"), "contact", str_or_dash(r, "contact"),
			 "source", str_or_dash(r, "source"), "node", str_or_dash(r, "node"),
			 "expires", expires);
}

static int registrations_list(const struct ctl_options *opt, int argc, char **argv)
{
	struct calls_args a;
	struct ctl_api api;
	json_t *rows;
	int rc = parse(opt, argc, argv, &a);
	if (rc == CTL_OK && (a.all || a.call_id))
		rc = ctl_error(opt, CTL_USAGE, "registrations list takes only [--account ID]");
	if (rc == CTL_OK)
		rc = session(opt, &api);
	if (rc == CTL_OK)
		rc = collect(opt, &api, a.account, "registrations", &rows);
	if (rc != CTL_OK)
		return rc;
	if (!opt->json) {
		json_t *out = json_array();
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
			json_array_append_new(out, registration_row(r));
		json_decref(rows);
		rows = out;
	}
	ctl_print(opt, json_pack("{s:i, s:o}", "count", (int)json_array_size(rows),
				 "registrations", rows));
	return CTL_OK;
}

const struct ctl_command ctl_calls_commands[] = {
	{ "calls", "list", "[--account ID]", "live calls (channels) of the key's account tree",
	  calls_list },
	{ "calls", "show", "CALL-ID [--account ID]", "one live channel, every field", calls_show },
	{ "calls", "kill", "CALL-ID|--all [--account ID]", "hang up (BYE to both legs)",
	  calls_kill },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct ctl_command ctl_registrations_commands[] = {
	{ "registrations", "list", "[--account ID]", "live SIP registrations of the key's tree",
	  registrations_list },
	{ NULL, NULL, NULL, NULL, NULL },
};
