/* The flow's own answer and prompts toward the caller (callflow `answer` and `play`, as KAZOO
 * over FreeSWITCH): the caller's INVITE gets our 200 from a data-plane session that holds only
 * its leg ("a"), and a prompt is a MediaOp PLAY of "<media id>.wav" (the data plane's
 * media.directory) on that leg, done when the data plane reports it finished. A bridge that
 * follows adds the callee's leg to the same session without a second 200 (call-bridge.c).
 * Return convention: every operation completes once through its cf_op_done; 0 or a negative
 * errno otherwise.
 *
 * One operation at a time per call (the engine runs one module at a time).
 */
#ifndef CALL_PLAY_H
#define CALL_PLAY_H

#include "call-t.h"
#include "dataplane.pb-c.h"

#include <stddef.h>

/* The file a media id plays: "<id>.wav" ("<id>" when it already ends in .wav); -EINVAL when
 * the id is not a plain name (letters, digits, '-', '_', '.', not starting with '.'). */
int call_play_file(const char *media_id, char *out, size_t cap);
/* Our answer toward the caller's offer (offer/len): its first codec the data plane knows and
 * its telephone-event, at ip/port. -EINVAL when it offered no codec the data plane knows. */
int call_play_answer_sdp(const char *offer, size_t len, const struct call_sdp_audio *a,
			 const char *ip, uint16_t port, char *out, size_t cap);

/* cf_call_ops.answer and .play (media_id names the prompt). */
void call_play_answer(void *callp, cf_op_done done, void *done_arg);
void call_play_media(void *callp, const char *media_id, cf_op_done done, void *done_arg);
/* The data plane's events: a finished prompt completes its play. */
void call_play_event(struct call_ctl *ctl, const Bugle__Dp__Event *ev);
/* The caller left or the call ended: the answer or prompt in progress completes with
 * CF_HANGUP. */
void call_play_abort(struct call *call);

#endif
