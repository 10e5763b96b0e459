/* buglectl: the operator CLI. Commands register in one table (commands.c order); each gets the
 * parsed global options and its own arguments, and returns an exit code from enum ctl_exit. */
#ifndef BUGLECTL_H
#define BUGLECTL_H

#include <stdbool.h>
#include <jansson.h>

#include "dataplane.pb-c.h"

/* Exit codes scripts can trust. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_FAILED = 1,		/* the node answered with an error */
	CTL_USAGE = 2,		/* bad command line */
	CTL_UNREACHABLE = 3,	/* could not reach the node */
};

struct ctl_options {
	bool json;
	const char *control;	/* data plane control address */
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

/* Output: JSON with --json, otherwise a readable rendering of the same object. Takes ownership. */
void ctl_print(const struct ctl_options *opt, json_t *doc);
int ctl_error(const struct ctl_options *opt, enum ctl_exit code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One call to the data plane at addr: CTL_OK with *reply set (free it with
 * protobuf_c_message_free_unpacked), or the exit code after printing the error. */
int ctl_call(const struct ctl_options *opt, const char *addr, Bugle__Dp__Method method,
	     const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
	     ProtobufCMessage **reply);

#endif
