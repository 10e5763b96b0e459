/* Signal helpers shared by the codec unit tests: generation, tone power, alignment, SNR. */
#ifndef MC_TEST_SIGNAL_H
#define MC_TEST_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

void mc_test_sine(int16_t *out, size_t n, uint32_t rate, double hz, double amplitude);
/* Adds uniform noise of the given peak from a fixed-seed generator (reproducible). */
void mc_test_add_noise(int16_t *buf, size_t n, int peak, uint32_t *seed);
/* Goertzel power of one frequency, normalised per sample. */
double mc_test_goertzel(const int16_t *x, size_t n, uint32_t rate, double hz);
/* Mean square of the signal. */
double mc_test_power(const int16_t *x, size_t n);
/* Lag (0..max_lag) of y against x with the highest normalised correlation over n samples;
 * the correlation is written to *corr. */
size_t mc_test_best_lag(const int16_t *x, const int16_t *y, size_t n, size_t max_lag,
                        double *corr);
/* SNR in dB of y against reference x (same length, already aligned). */
double mc_test_snr_db(const int16_t *x, const int16_t *y, size_t n);

#endif
