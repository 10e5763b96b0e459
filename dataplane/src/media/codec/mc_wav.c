/* WAV prompts (load, convert, play by cursor) and recordings, through libsndfile. */
#include <errno.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_resample.h"
#include "mc_wav.h"

/* Offline conversion can afford a better filter than the per-packet path. */
#define PROMPT_RESAMPLE_QUALITY 6
#define RECORD_CHUNK 512

static void set_err(char *err, size_t errlen, const char *path, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", path ? path : "(null)", what);
}

/* Reads the whole file as mono at its own rate. */
static int16_t *read_mono(SNDFILE *f, const SF_INFO *info, size_t *frames)
{
	size_t n = (size_t)info->frames;
	int16_t *buf = malloc((n ? n : 1) * (size_t)info->channels * sizeof(*buf));
	if (!buf)
		return NULL;
	sf_count_t got = sf_readf_short(f, buf, (sf_count_t)n);
	if (got < 0)
		got = 0;
	n = (size_t)got;
	if (info->channels == 2)
		for (size_t i = 0; i < n; i++)
			buf[i] = (int16_t)(((int32_t)buf[2 * i] + buf[2 * i + 1]) / 2);
	*frames = n;
	return buf;
}

/* Converts the whole buffer, dropping the filter delay at the start and flushing it at the end
 * so the prompt keeps its exact length and alignment. */
static int16_t *convert(const int16_t *in, size_t n, uint32_t from, uint32_t to, size_t *out_n)
{
	struct mc_resampler *rs = mc_resampler_create(from, to, PROMPT_RESAMPLE_QUALITY);
	if (!rs)
		return NULL;
	size_t want = (size_t)((uint64_t)n * to / from);
	size_t lat = mc_resampler_latency(rs);
	size_t cap = mc_resampler_out_max(rs, n + lat) + 16;
	int16_t *out = malloc(cap * sizeof(*out));
	int16_t *zeros = calloc(lat + 1, sizeof(*zeros));
	size_t got = 0;
	if (out && zeros) {
		mc_resampler_skip_latency(rs);
		int r = mc_resampler_process(rs, in, n, out, cap);
		got = r > 0 ? (size_t)r : 0;
		r = mc_resampler_process(rs, zeros, lat, out + got, cap - got);
		got += r > 0 ? (size_t)r : 0;
	}
	free(zeros);
	mc_resampler_destroy(rs);
	if (!out)
		return NULL;
	if (got > want)
		got = want;
	for (; got < want; got++) /* rounding can leave the last sample or so unfilled */
		out[got] = got ? out[got - 1] : 0;
	*out_n = want;
	return out;
}

struct mc_prompt *mc_prompt_load(const char *path, uint32_t rate, char *err, size_t errlen)
{
	SF_INFO info = {0};
	if (!path || rate == 0 || rate > 192000) {
		set_err(err, errlen, path, "bad arguments");
		return NULL;
	}
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f) {
		set_err(err, errlen, path, sf_strerror(NULL));
		return NULL;
	}
	struct mc_prompt *p = NULL;
	if (info.channels < 1 || info.channels > 2) {
		set_err(err, errlen, path, "only mono or stereo files are supported");
	} else if (info.samplerate <= 0 || info.samplerate > 192000) {
		set_err(err, errlen, path, "unsupported sample rate");
	} else if (info.frames > (sf_count_t)info.samplerate * MC_PROMPT_MAX_SECONDS) {
		set_err(err, errlen, path, "longer than the prompt limit");
	} else if (!(p = calloc(1, sizeof(*p)))) {
		set_err(err, errlen, path, "out of memory");
	} else {
		size_t n = 0;
		int16_t *mono = read_mono(f, &info, &n);
		p->rate = rate;
		if (mono && (uint32_t)info.samplerate != rate) {
			p->pcm = convert(mono, n, (uint32_t)info.samplerate, rate, &p->samples);
			free(mono);
		} else {
			p->pcm = mono;
			p->samples = n;
		}
		if (!p->pcm) {
			set_err(err, errlen, path, "out of memory");
			free(p);
			p = NULL;
		}
	}
	sf_close(f);
	return p;
}

void mc_prompt_free(struct mc_prompt *p)
{
	if (!p)
		return;
	free(p->pcm);
	free(p);
}

void mc_prompt_cursor_init(struct mc_prompt_cursor *c, const struct mc_prompt *p)
{
	c->prompt = p;
	c->pos = 0;
}

size_t mc_prompt_read(struct mc_prompt_cursor *c, int16_t *pcm, size_t n)
{
	size_t left = c->prompt->samples - c->pos;
	if (n > left)
		n = left;
	memcpy(pcm, c->prompt->pcm + c->pos, n * sizeof(*pcm));
	c->pos += n;
	return n;
}

bool mc_prompt_done(const struct mc_prompt_cursor *c)
{
	return c->pos >= c->prompt->samples;
}

struct mc_recorder {
	SNDFILE *f;
	unsigned channels;
	int16_t frame[RECORD_CHUNK * 2];
};

struct mc_recorder *mc_recorder_open(const char *path, uint32_t rate, unsigned channels,
                                     char *err, size_t errlen)
{
	if (!path || rate == 0 || channels < 1 || channels > 2) {
		set_err(err, errlen, path, "bad arguments");
		return NULL;
	}
	SF_INFO info = {
		.samplerate = (int)rate, .channels = (int)channels,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	struct mc_recorder *r = calloc(1, sizeof(*r));
	if (!r) {
		set_err(err, errlen, path, "out of memory");
		return NULL;
	}
	r->f = sf_open(path, SFM_WRITE, &info);
	if (!r->f) {
		set_err(err, errlen, path, sf_strerror(NULL));
		free(r);
		return NULL;
	}
	r->channels = channels;
	return r;
}

int mc_recorder_write(struct mc_recorder *r, const int16_t *a, const int16_t *b, size_t n)
{
	if (!r || (!a && n))
		return -EINVAL;
	if (r->channels == 1)
		return sf_writef_short(r->f, a, (sf_count_t)n) == (sf_count_t)n ? 0 : -EIO;
	for (size_t off = 0; off < n; off += RECORD_CHUNK) {
		size_t len = n - off < RECORD_CHUNK ? n - off : RECORD_CHUNK;
		for (size_t i = 0; i < len; i++) {
			r->frame[2 * i] = a[off + i];
			r->frame[2 * i + 1] = b ? b[off + i] : 0;
		}
		if (sf_writef_short(r->f, r->frame, (sf_count_t)len) != (sf_count_t)len)
			return -EIO;
	}
	return 0;
}

int mc_recorder_close(struct mc_recorder *r)
{
	if (!r)
		return -EINVAL;
	int rc = sf_close(r->f) == 0 ? 0 : -EIO;
	free(r);
	return rc;
}
