/* WAV prompts and recordings through libsndfile. A prompt is read whole at set-up into memory at
 * the leg's rate and then played by per-leg cursors without I/O; a recorder writes 16-bit PCM.
 * Creators return a pointer or NULL (with a message in err); reads return a sample count; the
 * rest return 0 or a negative errno. */
#ifndef MC_WAV_H
#define MC_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest prompt accepted, to bound the memory one file can take. */
#define MC_PROMPT_MAX_SECONDS 600

/* Decoded prompt audio; read-only once loaded, shared by any number of cursors. */
struct mc_prompt {
	uint32_t rate;    /* the leg rate it was converted to */
	size_t samples;   /* mono samples */
	int16_t *pcm;
};

/* Playback position of one leg in a prompt; written by that leg's worker. */
struct mc_prompt_cursor {
	const struct mc_prompt *prompt;
	size_t pos;
};

struct mc_recorder;

/* Reads any rate, mono or stereo (mixed down), 8/16/24-bit PCM, A-law or mu-law WAV. */
struct mc_prompt *mc_prompt_load(const char *path, uint32_t rate, char *err, size_t errlen);
void mc_prompt_free(struct mc_prompt *p);

void mc_prompt_cursor_init(struct mc_prompt_cursor *c, const struct mc_prompt *p);
/* Copies up to n samples and advances; returns how many (0 at the end). */
size_t mc_prompt_read(struct mc_prompt_cursor *c, int16_t *pcm, size_t n);
bool mc_prompt_done(const struct mc_prompt_cursor *c);

/* Recording does file I/O, so a worker core never calls these: it hands the leg's audio over a
 * ring to the thread that owns the recorder. */
/* Opens a 16-bit PCM WAV for writing: one channel, or two (one leg on each). */
struct mc_recorder *mc_recorder_open(const char *path, uint32_t rate, unsigned channels,
                                     char *err, size_t errlen);
/* Appends n samples per channel; b is the second leg (NULL is silence) and is ignored for mono. */
int mc_recorder_write(struct mc_recorder *r, const int16_t *a, const int16_t *b, size_t n);
/* Finishes the header and closes; returns 0 or -EIO. */
int mc_recorder_close(struct mc_recorder *r);

#endif
