/* Signal helpers for the codec unit tests. */
#include <math.h>

#include "mc_test_signal.h"

void mc_test_sine(int16_t *out, size_t n, uint32_t rate, double hz, double amplitude)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (int16_t)lrint(amplitude * sin(2.0 * M_PI * hz * (double)i / rate));
}

void mc_test_add_noise(int16_t *buf, size_t n, int peak, uint32_t *seed)
{
	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 1664525u + 1013904223u;
		int v = (int)((*seed >> 16) % (uint32_t)(2 * peak + 1)) - peak;
		int s = buf[i] + v;
		buf[i] = (int16_t)(s > 32767 ? 32767 : (s < -32768 ? -32768 : s));
	}
}

double mc_test_goertzel(const int16_t *x, size_t n, uint32_t rate, double hz)
{
	double coeff = 2.0 * cos(2.0 * M_PI * hz / rate);
	double s1 = 0, s2 = 0;
	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + coeff * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
	/* A full-length sine of amplitude A gives (A n / 2)^2; normalise to A^2 / 4 per sample^2. */
	return p / ((double)n * (double)n);
}

double mc_test_power(const int16_t *x, size_t n)
{
	double p = 0;
	for (size_t i = 0; i < n; i++)
		p += (double)x[i] * x[i];
	return n ? p / (double)n : 0;
}

size_t mc_test_best_lag(const int16_t *x, const int16_t *y, size_t n, size_t max_lag,
                        double *corr)
{
	size_t best = 0;
	double best_c = -2;
	for (size_t lag = 0; lag <= max_lag; lag++) {
		double xy = 0, xx = 0, yy = 0;
		for (size_t i = 0; i < n; i++) {
			xy += (double)x[i] * y[i + lag];
			xx += (double)x[i] * x[i];
			yy += (double)y[i + lag] * y[i + lag];
		}
		double c = (xx > 0 && yy > 0) ? xy / sqrt(xx * yy) : 0;
		if (c > best_c) {
			best_c = c;
			best = lag;
		}
	}
	*corr = best_c;
	return best;
}

double mc_test_snr_db(const int16_t *x, const int16_t *y, size_t n)
{
	double sig = 0, err = 0;
	for (size_t i = 0; i < n; i++) {
		double e = (double)y[i] - x[i];
		sig += (double)x[i] * x[i];
		err += e * e;
	}
	if (err == 0)
		return 200.0;
	return 10.0 * log10(sig / err);
}
