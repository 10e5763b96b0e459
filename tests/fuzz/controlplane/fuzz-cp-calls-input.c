/* What the calls module reads from outside: call events and channel announcements from other
 * nodes on the bus, and webhook documents from the store (then turned into a request). The
 * first byte picks the reader; the rest is the JSON. */
#include "calls-channels.h"
#include "calls-payload.h"
#include "calls-wh-doc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	json_t *doc = json_loadb((const char *)data + 1, size - 1, 0, NULL);
	if (!doc)
		return 0;
	struct calls_channels *c = calls_channels_new("fuzz-node", 1000);
	switch (data[0] % 3) {
	case 0:
		calls_channels_remote(c, doc, 1);
		break;
	case 1:
		calls_channels_announced(c, doc, 1);
		break;
	default: {
		char err[128];
		struct calls_webhook *w = calls_wh_from_json("0123456789abcdef0123456789abcdef",
							     "wh", doc, err, sizeof(err));
		if (w) {
			struct calls_wh_request r;
			json_t *p = json_pack("{s:s, s:i}", "call_id", "x y", "n", 1);
			if (calls_wh_request_build(w, p, &r) == 0)
				calls_wh_request_clear(&r);
			json_decref(p);
			calls_wh_free(w);
		}
	}
	}
	/* Whatever went in, listing and expiring must hold together. */
	json_decref(calls_channels_list(c, "0123456789abcdef0123456789abcdef"));
	json_decref(calls_channels_announcement(c));
	calls_channels_expire(c, 1000000);
	calls_channels_free(c);
	json_decref(doc);
	return 0;
}
