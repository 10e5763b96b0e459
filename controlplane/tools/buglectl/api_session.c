/* A session on a control plane's API: log in with an API key, call with the token, and the
 * accounts a command covers (one, or the key's account and its descendants). */
#include <stdio.h>
#include <string.h>

#include "buglectl.h"

int ctl_api_login(const struct ctl_options *opt, struct ctl_api *api)
{
	if (!opt->api_key || !*opt->api_key)
		return ctl_error(opt, CTL_USAGE, "give --api-key KEY or set BUGLE_API_KEY");
	json_t *req = json_pack("{s:{s:s}}", "data", "api_key", opt->api_key);
	char url[512], err[256] = "";
	snprintf(url, sizeof(url), "%s/v2/api_auth", api->base);
	long status;
	json_t *reply;
	int rc = ctl_http(opt, "PUT", url, NULL, req, &status, &reply, err, sizeof(err));
	json_decref(req);
	if (rc < 0)
		return ctl_error(opt, CTL_UNREACHABLE, "%s: %s", api->base, err);
	const char *token = json_string_value(json_object_get(reply, "auth_token"));
	const char *acct = json_string_value(json_object_get(json_object_get(reply, "data"),
							     "account_id"));
	if (status != 201 && status != 200) {
		json_decref(reply);
		return ctl_error(opt, CTL_FAILED, "%s: API key refused (HTTP %ld)", api->base, status);
	}
	if (!token || !acct || strlen(token) >= sizeof(api->token) ||
	    strlen(acct) >= sizeof(api->account_id)) {
		json_decref(reply);
		return ctl_error(opt, CTL_FAILED, "%s: login answer without a token", api->base);
	}
	snprintf(api->token, sizeof(api->token), "%s", token);
	snprintf(api->account_id, sizeof(api->account_id), "%s", acct);
	json_decref(reply);
	return CTL_OK;
}

int ctl_api_call(const struct ctl_options *opt, const struct ctl_api *api, const char *method,
		 const char *path, const json_t *data, long *status, json_t **out)
{
	*out = NULL;
	char url[1024], err[256] = "";
	if ((size_t)snprintf(url, sizeof(url), "%s%s", api->base, path) >= sizeof(url))
		return ctl_error(opt, CTL_USAGE, "request path too long");
	json_t *body = data ? json_pack("{s:O}", "data", data) : NULL;
	json_t *reply;
	int rc = ctl_http(opt, method, url, api->token, body, status, &reply, err, sizeof(err));
	json_decref(body);
	if (rc < 0)
		return ctl_error(opt, CTL_UNREACHABLE, "%s: %s", api->base, err);
	if (*status < 200 || *status > 299) {
		/* Crossbar's envelope says why: "message", and "data.message" for details. */
		const char *msg = json_string_value(json_object_get(reply, "message"));
		const char *why = json_string_value(
			json_object_get(json_object_get(reply, "data"), "message"));
		rc = ctl_error(opt, CTL_FAILED, "%s %s: HTTP %ld %s%s%s", method, path, *status,
			       msg ? msg : "", why ? ": " : "", why ? why : "");
		json_decref(reply);
		return rc;
	}
	json_t *d = json_object_get(reply, "data");
	*out = d ? json_incref(d) : NULL;
	json_decref(reply);
	return CTL_OK;
}

int ctl_api_accounts(const struct ctl_options *opt, const struct ctl_api *api,
		     const char *only_account, json_t **ids)
{
	*ids = json_array();
	if (only_account) {
		json_array_append_new(*ids, json_string(only_account));
		return CTL_OK;
	}
	json_array_append_new(*ids, json_string(api->account_id));
	char path[128];
	snprintf(path, sizeof(path), "/v2/accounts/%s/descendants", api->account_id);
	long status;
	json_t *below;
	int rc = ctl_api_call(opt, api, "GET", path, NULL, &status, &below);
	if (rc != CTL_OK) {
		json_decref(*ids);
		*ids = NULL;
		return rc;
	}
	size_t i;
	json_t *row;
	json_array_foreach(below, i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		if (id)
			json_array_append_new(*ids, json_string(id));
	}
	json_decref(below);
	return CTL_OK;
}
