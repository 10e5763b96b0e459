/* One request/reply on a data plane's control channel, with the exit code scripts rely on. */
#include <string.h>

#include "buglectl.h"
#include "dpclient.h"

int ctl_call(const struct ctl_options *opt, const char *addr, Bugle__Dp__Method method,
	     const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
	     ProtobufCMessage **reply)
{
	char err[256] = "";
	int rc = dpclient_sync_call(addr, method, req, reply_desc, reply, err, sizeof(err),
				    opt->timeout_ms);
	if (rc < 0)
		return ctl_error(opt, CTL_UNREACHABLE, "%s: %s", addr, err[0] ? err : strerror(-rc));
	if (rc > 0)
		return ctl_error(opt, CTL_FAILED, "%s: %s", addr, err[0] ? err : "request failed");
	return CTL_OK;
}
