/* buglectl: the operator CLI. Commands register in one table (commands.c order); each gets the
 * parsed global options and its own arguments, and returns an exit code from enum ctl_exit. */
#ifndef BUGLECTL_H
#define BUGLECTL_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "dataplane.pb-c.h"

/* Exit codes scripts can trust. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_FAILED = 1,		/* the node answered with an error */
	CTL_USAGE = 2,		/* bad command line */
	CTL_UNREACHABLE = 3,	/* could not reach the node */
};

#define CTL_MAX_NODES 16

struct ctl_options {
	bool json;
	const char *control;	/* data plane control address (the first of controls) */
	const char *controls[CTL_MAX_NODES];	/* every data plane (--control, $BUGLE_CONTROL) */
	size_t n_controls;
	const char *apis[CTL_MAX_NODES];	/* every control plane API base URL (--api, $BUGLE_API) */
	size_t n_apis;
	const char *api_key;	/* --api-key or $BUGLE_API_KEY; NULL: none */
	int timeout_ms;
};

struct ctl_command {
	const char *group;	/* "dataplane" */
	const char *name;	/* "stats" */
	const char *args;	/* usage of its own arguments, "" if none */
	const char *help;
	int (*run)(const struct ctl_options *opt, int argc, char **argv);
};

/* Every command of one group, ending with a zeroed entry. */
extern const struct ctl_command ctl_dataplane_commands[];
extern const struct ctl_command ctl_account_commands[];
extern const struct ctl_command ctl_session_commands[];
extern const struct ctl_command ctl_bans_commands[];
extern const struct ctl_command ctl_filter_commands[];
extern const struct ctl_command ctl_dispatcher_commands[];
extern const struct ctl_command ctl_ops_dataplane_commands[];
extern const struct ctl_command ctl_settings_commands[];
extern const struct ctl_command ctl_status_commands[];
extern const struct ctl_command ctl_calls_commands[];
extern const struct ctl_command ctl_registrations_commands[];
extern const struct ctl_command ctl_drain_commands[];
extern const struct ctl_command ctl_undrain_commands[];

/* Output: JSON with --json, otherwise a readable rendering of the same object. Takes ownership. */
void ctl_print(const struct ctl_options *opt, json_t *doc);
/* The same rendering to out, doc borrowed (output.c; unit tested). */
void ctl_render(FILE *out, bool json, const json_t *doc);
int ctl_error(const struct ctl_options *opt, enum ctl_exit code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An option's value as a whole decimal number in [min, max] (main.c): true with *out set,
 * false for anything else (empty, trailing characters, out of range). */
bool ctl_parse_long(const char *text, long min, long max, long *out);

/* One call to the data plane at addr: CTL_OK with *reply set (free it with
 * protobuf_c_message_free_unpacked), or the exit code after printing the error. */
int ctl_call(const struct ctl_options *opt, const char *addr, Bugle__Dp__Method method,
	     const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
	     ProtobufCMessage **reply);


/* HTTP to a control plane's API (http.c): method on url with an optional JSON body (borrowed)
 * and X-Auth-Token. 0 with *status and *reply (the parsed answer, NULL when not JSON; owned),
 * or -1 with err when the node could not be reached or answered nonsense. */
int ctl_http(const struct ctl_options *opt, const char *method, const char *url,
	     const char *token, const json_t *body, long *status, json_t **reply, char *err,
	     size_t errlen);

/* The transfer under ctl_http: body (may be NULL) sent as is, the answer's bytes in *text
 * (owned, NUL-terminated, NULL when empty). 0; -1 unreachable or failed (err); -2 the answer
 * was larger than buglectl takes (err). */
int ctl_http_text(const struct ctl_options *opt, const char *method, const char *url,
		  const char *token, const char *body, long *status, char **text, size_t *len,
		  char *err, size_t errlen);

/* An API session on one control plane (api_session.c). */
struct ctl_api {
	const char *base;	/* "http://127.0.0.1:8000" */
	char token[80];
	char account_id[40];	/* the API key's account */
};
/* Logs in with opt->api_key (PUT /v2/api_auth): CTL_OK or the exit code after the error. */
int ctl_api_login(const struct ctl_options *opt, struct ctl_api *api);
/* method on base + path; CTL_OK with *data (the envelope's "data", owned; may be NULL), or the
 * exit code after printing the error. *status is set whenever the node answered. */
int ctl_api_call(const struct ctl_options *opt, const struct ctl_api *api, const char *method,
		 const char *path, const json_t *data, long *status, json_t **out);
/* The accounts a command covers: only_account, else the key's account and all below it.
 * CTL_OK with *ids (array of strings, owned). */
int ctl_api_accounts(const struct ctl_options *opt, const struct ctl_api *api,
		     const char *only_account, json_t **ids);

/* One line of `session batch` split in place at spaces and tabs into words (batch_line.c, unit
 * tested): the count, 0 for a blank line or a comment (first word starting with '#'), -1 for
 * more than cap words. */
int ctl_batch_split(char *line, char **words, int cap);

/* buglectl status (status.c): pure parts, unit tested. */
/* One row of the node table; every row has the same columns. */
json_t *ctl_status_row(const char *kind, const char *node, const char *address,
		       const char *state, const char *version, json_int_t uptime_s,
		       const char *detail);
/* The node column of PostgreSQL's and RabbitMQ's two rows: buglectl's own connection, and
 * what the control planes that answered say of it. */
#define CTL_VIEW_BUGLECTL "buglectl"
#define CTL_VIEW_CONTROLPLANES "controlplanes"
/* A dependency as buglectl's own probe found it: "up" or "down" (a dependency buglectl
 * cannot connect to is down, exit 1; "unreachable", exit 3, is kept for Bugle's nodes). */
json_t *ctl_status_probe_row(const char *kind, const char *address, bool up,
			     const char *version, const char *detail);
/* 0 every node up (draining counts as up), 1 something down, 3 a node unreachable. */
int ctl_status_exit(const json_t *rows);

#endif
