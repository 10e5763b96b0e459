/* Codec names as an SDP rtpmap writes them ("PCMU", "opus", "telephone-event") and the control
 * channel's Codec enum: one table for the call controller's offers and for buglectl.
 * Return convention: the codec, or CODEC_UNSPECIFIED for a name the data plane does not know;
 * the name, or NULL for a codec without one. */
#ifndef BUGLE_DP_CODEC_NAMES_H
#define BUGLE_DP_CODEC_NAMES_H

#include "dataplane.pb-c.h"

/* Case does not matter, as in SDP. */
Bugle__Dp__Codec dp_codec_from_name(const char *name);
const char *dp_codec_name(Bugle__Dp__Codec codec);

#endif
