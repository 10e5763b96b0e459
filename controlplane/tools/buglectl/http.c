/* One HTTP exchange with a control plane's REST API: JSON in, JSON out, bounded in time and
 * in size. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buglectl.h"

#define ANSWER_MAX (16u << 20)	/* a listing of every channel of a big tree stays far below */

struct answer {
	char *buf;
	size_t len;
	bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t add = size * n;
	if (a->len + add > ANSWER_MAX) {
		a->too_big = true;
		return 0;
	}
	char *nb = realloc(a->buf, a->len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + a->len, p, add);
	a->buf = nb;
	a->len += add;
	a->buf[a->len] = '\0';
	return add;
}

int ctl_http_text(const struct ctl_options *opt, const char *method, const char *url,
		  const char *token, const char *body, long *status, char **text, size_t *len,
		  char *err, size_t errlen)
{
	*status = 0;
	*text = NULL;
	*len = 0;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "cannot start an HTTP client");
		return -1;
	}
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	char auth[128];
	if (token && *token) {
		snprintf(auth, sizeof(auth), "X-Auth-Token: %s", token);
		headers = curl_slist_append(headers, auth);
	}
	struct answer a = { 0 };
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)opt->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s", a.too_big ? "answer too large" : curl_easy_strerror(cc));
		free(a.buf);
		return a.too_big ? -2 : -1;
	}
	*text = a.buf;
	*len = a.len;
	return 0;
}

int ctl_http(const struct ctl_options *opt, const char *method, const char *url,
	     const char *token, const json_t *body, long *status, json_t **reply, char *err,
	     size_t errlen)
{
	*reply = NULL;
	char *json = body ? json_dumps(body, JSON_COMPACT) : NULL;
	char *text;
	size_t len;
	int rc = ctl_http_text(opt, method, url, token, json, status, &text, &len, err, errlen);
	free(json);
	if (rc < 0)
		return -1;
	if (len)
		*reply = json_loadb(text, len, 0, NULL);
	free(text);
	return 0;
}
