/* The session commands' requests, shared by the one-shot commands (cmd_session.c) and
 * `session batch` (cmd_session_batch.c), which sends many over one connection. */
#ifndef BUGLECTL_CMD_SESSION_H
#define BUGLECTL_CMD_SESSION_H

#include "buglectl.h"

/* Sends one request; it must be done with req when it returns (req points into the caller's
 * stack). Returns an exit code from enum ctl_exit. */
typedef int (*ctl_session_send_fn)(void *arg, Bugle__Dp__Method method,
				   const ProtobufCMessage *req);

/* argv[0] is offer|answer|update|delete|query and the rest its arguments, as on the command
 * line: builds the request and hands it to send. CTL_USAGE (after the error) for a bad line,
 * else what send returned. */
int ctl_session_request(const struct ctl_options *opt, int argc, char **argv,
			ctl_session_send_fn send, void *arg);

/* A session reply as the session commands print it (owned by the caller). */
json_t *ctl_session_reply_json(const Bugle__Dp__SessionReply *r);

/* `session batch FILE|-` (cmd_session_batch.c). */
int ctl_session_batch(const struct ctl_options *opt, int argc, char **argv);

#endif
