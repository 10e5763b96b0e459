/* Speech-like synthetic signal for the transcoding benchmark. */
#include <math.h>

#include "bench_transcode_signal.h"

void bench_speech_like(int16_t *out, size_t n, uint32_t rate)
{
	double phase = 0;
	uint32_t seed = 1;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate;
		double pitch = 150 + 40 * sin(2 * M_PI * 0.7 * t);          /* intonation */
		double env = 0.5 + 0.5 * sin(2 * M_PI * 4.0 * t);            /* ~4 syllables/s */
		phase += 2 * M_PI * pitch / rate;
		double v = 0;
		for (int h = 1; h <= 12 && h * pitch < rate / 2.0; h++)    /* formant-ish roll-off */
			v += sin(h * phase) / h;
		seed = seed * 1664525u + 1013904223u;
		double noise = ((double)(seed >> 16) / 65536.0 - 0.5) * 0.05; /* breath */
		out[i] = (int16_t)lrint(6000 * (env * v + noise));
	}
}
