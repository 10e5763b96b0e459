/* The codec name table (see dp-codec-names.h). */
#include "dp-codec-names.h"

#include <stddef.h>
#include <strings.h>

static const struct {
	const char *name;
	Bugle__Dp__Codec codec;
} codec_names[] = {
	{ "PCMU", BUGLE__DP__CODEC__CODEC_PCMU },
	{ "PCMA", BUGLE__DP__CODEC__CODEC_PCMA },
	{ "G722", BUGLE__DP__CODEC__CODEC_G722 },
	{ "G729", BUGLE__DP__CODEC__CODEC_G729 },
	{ "opus", BUGLE__DP__CODEC__CODEC_OPUS },
	{ "telephone-event", BUGLE__DP__CODEC__CODEC_TELEPHONE_EVENT },
};
#define N_CODEC_NAMES (sizeof(codec_names) / sizeof(codec_names[0]))

Bugle__Dp__Codec dp_codec_from_name(const char *name)
{
	for (size_t i = 0; name && i < N_CODEC_NAMES; i++)
		if (strcasecmp(codec_names[i].name, name) == 0)
			return codec_names[i].codec;
	return BUGLE__DP__CODEC__CODEC_UNSPECIFIED;
}

const char *dp_codec_name(Bugle__Dp__Codec codec)
{
	for (size_t i = 0; i < N_CODEC_NAMES; i++)
		if (codec_names[i].codec == codec)
			return codec_names[i].name;
	return NULL;
}
