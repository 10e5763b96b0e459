/* The rows of buglectl status and the exit code they mean: pure, so the unit tests check them. */
#include <string.h>

#include "buglectl.h"

json_t *ctl_status_row(const char *kind, const char *node, const char *address,
		       const char *state, const char *version, json_int_t uptime_s,
		       const char *detail)
{
	return json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:o, s:s}", "kind", kind, "node", node,
			 "address", address, "state", state, "version", version, "uptime_s",
			 uptime_s >= 0 ? json_integer(uptime_s) : json_null(), "detail",
			 detail ? detail : "");
}

json_t *ctl_status_probe_row(const char *kind, const char *address, bool up,
			     const char *version, const char *detail)
{
	return ctl_status_row(kind, CTL_VIEW_BUGLECTL, address, up ? "up" : "down",
			      version && *version ? version : NULL, -1, detail);
}

int ctl_status_exit(const json_t *rows)
{
	int code = CTL_OK;
	size_t i;
	json_t *row;
	json_array_foreach((json_t *)rows, i, row) {
		const char *state = json_string_value(json_object_get(row, "state"));
		if (!state || strcmp(state, "unreachable") == 0)
			return CTL_UNREACHABLE;
		/* absent: no control plane runs that module; not a fault */
		if (strcmp(state, "up") != 0 && strcmp(state, "draining") != 0 &&
		    strcmp(state, "absent") != 0)
			code = CTL_FAILED;
	}
	return code;
}
