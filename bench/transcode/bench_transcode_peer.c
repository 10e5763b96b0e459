/* libavcodec peer for the transcoding benchmark (the library rtpengine transcodes with). libavcodec
 * has no G.729 encoder, so G.729 is encoded with bcg729, as rtpengine does. */
#include <bcg729/encoder.h>
#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <stdlib.h>
#include <string.h>

#include "bench_transcode_peer.h"

struct peer_transcoder {
	AVCodecContext *dec;
	AVCodecContext *enc;                    /* NULL when g729 encodes */
	bcg729EncoderChannelContextStruct *g729;
	SwrContext *swr;
	AVAudioFifo *fifo;
	AVPacket *pkt;
	AVFrame *frame;
	AVFrame *out_frame;
	int frame_size;
	int64_t next_pts;
	uint64_t bytes;
	uint8_t *conv[1];
	int conv_cap;
};

struct peer_codec {
	const char *name;
	const char *dec;
	const char *enc;
	int rate;
};

static const struct peer_codec peer_codecs[] = {
	{"PCMU", "pcm_mulaw", "pcm_mulaw", 8000},
	{"G722", "g722", "g722", 16000},
	{"opus", "opus", "libopus", 48000},
	{"G729", "g729", NULL, 8000}, /* encoder: bcg729 */
};

#define G729_FRAME 80 /* samples in one 10 ms G.729 frame */

static const struct peer_codec *peer_codec(const char *name)
{
	for (size_t i = 0; i < sizeof(peer_codecs) / sizeof(peer_codecs[0]); i++)
		if (strcmp(peer_codecs[i].name, name) == 0)
			return &peer_codecs[i];
	return NULL;
}

static int open_encoder(struct peer_transcoder *t, const AVCodec *ec, const struct peer_codec *co,
                        int complexity)
{
	AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
	t->enc = avcodec_alloc_context3(ec);
	if (!t->enc)
		return -1;
	t->enc->sample_rate = co->rate;
	t->enc->sample_fmt = AV_SAMPLE_FMT_S16;
	av_channel_layout_copy(&t->enc->ch_layout, &mono);
	t->enc->time_base = (AVRational){1, co->rate};
	if (strcmp(co->enc, "libopus") == 0) {
		t->enc->bit_rate = 24000;
		t->enc->compression_level = complexity;
		av_opt_set(t->enc->priv_data, "application", "voip", 0);
		av_opt_set_double(t->enc->priv_data, "frame_duration", 20.0, 0);
	} else if (strcmp(co->enc, "g722") == 0) {
		t->enc->bit_rate = 64000;
	}
	if (avcodec_open2(t->enc, ec, NULL) < 0)
		return -1;
	if (t->enc->frame_size > 0)
		t->frame_size = t->enc->frame_size;
	return 0;
}

struct peer_transcoder *peer_transcoder_create(const char *in, const char *out, int complexity)
{
	const struct peer_codec *ci = peer_codec(in), *co = peer_codec(out);
	if (!ci || !co)
		return NULL;
	const AVCodec *dc = avcodec_find_decoder_by_name(ci->dec);
	const AVCodec *ec = co->enc ? avcodec_find_encoder_by_name(co->enc) : NULL;
	if (!dc || (co->enc && !ec))
		return NULL;
	struct peer_transcoder *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	av_log_set_level(AV_LOG_ERROR); /* closing libopus mid-stream warns; not our business */
	AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
	t->dec = avcodec_alloc_context3(dc);
	if (!t->dec)
		goto fail;
	t->dec->sample_rate = ci->rate;
	av_channel_layout_copy(&t->dec->ch_layout, &mono);
	if (avcodec_open2(t->dec, dc, NULL) < 0)
		goto fail;
	t->frame_size = co->rate / 50;
	if (ec ? open_encoder(t, ec, co, complexity) < 0 : !(t->g729 = initBcg729EncoderChannel(0)))
		goto fail;
	if (swr_alloc_set_opts2(&t->swr, &mono, AV_SAMPLE_FMT_S16, co->rate, &t->dec->ch_layout,
	                        t->dec->sample_fmt, ci->rate, 0, NULL) < 0 || swr_init(t->swr) < 0)
		goto fail;
	t->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_S16, 1, co->rate);
	t->pkt = av_packet_alloc();
	t->frame = av_frame_alloc();
	t->out_frame = av_frame_alloc();
	t->conv_cap = co->rate; /* one second */
	t->conv[0] = malloc((size_t)t->conv_cap * 2);
	if (!t->fifo || !t->pkt || !t->frame || !t->out_frame || !t->conv[0])
		goto fail;
	t->out_frame->nb_samples = t->frame_size;
	t->out_frame->format = AV_SAMPLE_FMT_S16;
	t->out_frame->sample_rate = co->rate;
	av_channel_layout_copy(&t->out_frame->ch_layout, &mono);
	if (av_frame_get_buffer(t->out_frame, 0) < 0)
		goto fail;
	return t;
fail:
	peer_transcoder_destroy(t);
	return NULL;
}

void peer_transcoder_destroy(struct peer_transcoder *t)
{
	if (!t)
		return;
	avcodec_free_context(&t->dec);
	avcodec_free_context(&t->enc);
	if (t->g729)
		closeBcg729EncoderChannel(t->g729);
	swr_free(&t->swr);
	if (t->fifo)
		av_audio_fifo_free(t->fifo);
	av_packet_free(&t->pkt);
	av_frame_free(&t->frame);
	av_frame_free(&t->out_frame);
	free(t->conv[0]);
	free(t);
}

uint64_t peer_transcoder_bytes(const struct peer_transcoder *t)
{
	return t->bytes;
}

/* One 20 ms frame through bcg729: two 10 ms G.729 frames. */
static int encode_g729(struct peer_transcoder *t)
{
	const int16_t *pcm = (const int16_t *)t->out_frame->data[0];
	uint8_t bits[10], len;
	for (int i = 0; i + G729_FRAME <= t->frame_size; i += G729_FRAME) {
		bcg729Encoder(t->g729, pcm + i, bits, &len);
		t->bytes += len;
	}
	return 1;
}

static int drain_encoder(struct peer_transcoder *t)
{
	int made = 0;
	while (avcodec_receive_packet(t->enc, t->pkt) == 0) {
		t->bytes += (uint64_t)t->pkt->size;
		av_packet_unref(t->pkt);
		made++;
	}
	return made;
}

int peer_transcoder_push(struct peer_transcoder *t, const uint8_t *payload, size_t len,
                         int64_t pts)
{
	int made = 0;
	t->pkt->data = (uint8_t *)payload;
	t->pkt->size = (int)len;
	t->pkt->pts = pts;
	if (avcodec_send_packet(t->dec, t->pkt) < 0)
		return -1;
	t->pkt->data = NULL;
	t->pkt->size = 0;
	while (avcodec_receive_frame(t->dec, t->frame) == 0) {
		int n = swr_convert(t->swr, t->conv, t->conv_cap, (const uint8_t **)t->frame->extended_data,
		                    t->frame->nb_samples);
		av_frame_unref(t->frame);
		if (n < 0)
			return -1;
		av_audio_fifo_write(t->fifo, (void **)t->conv, n);
		while (av_audio_fifo_size(t->fifo) >= t->frame_size) {
			if (av_frame_make_writable(t->out_frame) < 0)
				return -1;
			av_audio_fifo_read(t->fifo, (void **)t->out_frame->data, t->frame_size);
			t->out_frame->pts = t->next_pts;
			t->next_pts += t->frame_size;
			if (t->g729) {
				made += encode_g729(t);
				continue;
			}
			if (avcodec_send_frame(t->enc, t->out_frame) < 0)
				return -1;
			made += drain_encoder(t);
		}
	}
	return made;
}
