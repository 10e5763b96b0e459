#!/usr/bin/env python3
"""Tones for the baresip end-to-end tests, and the check of what a phone heard.

  baresip_audio.py tone FILE HZ RATE SECONDS
      writes a mono 16-bit WAV: a sine of HZ at half scale, RATE samples per second.
  baresip_audio.py heard FILE HZ MIN_SECONDS
      succeeds when FILE (a mono 16-bit WAV a phone recorded) holds at least MIN_SECONDS of
      100 ms blocks whose energy is mostly (> 60 %) at HZ, measured with the Goertzel
      algorithm; silence, noise or another tone fail. Prints what it found either way.
"""
import math
import struct
import sys
import wave

BLOCK_S = 0.1        # analysis block: 10 Hz resolution, 4 ms of jitter cannot smear it
MIN_RMS = 300        # below this a block is silence (full scale is 32767)
MIN_SHARE = 0.6      # share of the block's energy at the tone for the block to count


def write_tone(path, hz, rate, seconds):
    n = int(rate * seconds)
    step = 2 * math.pi * hz / rate
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(step * i))) for i in range(n)))


def read_samples(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: want mono 16-bit, got {w.getnchannels()} channels, "
                             f"{8 * w.getsampwidth()} bits")
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    return rate, struct.unpack(f"<{len(raw) // 2}h", raw)


def goertzel_power(block, hz, rate):
    """|X(hz)|^2 of the block: a sine of amplitude A over N samples gives (A N / 2)^2."""
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in block:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def tone_share(block, hz, rate):
    """Fraction of the block's energy at hz: 1.0 for a pure sine there, near 0 for noise."""
    energy = sum(x * x for x in block)
    if energy == 0:
        return 0.0, 0.0
    rms = math.sqrt(energy / len(block))
    return 2 * goertzel_power(block, hz, rate) / (len(block) * energy), rms


def dominant(block, rate):
    """The strongest frequency of the block on a 10 Hz grid from 100 Hz to 4 kHz."""
    best = max(range(100, min(4000, rate // 2), 10), key=lambda f: goertzel_power(block, f, rate))
    return best


def heard(path, hz, min_seconds):
    rate, samples = read_samples(path)
    n = int(rate * BLOCK_S)
    blocks = [samples[i:i + n] for i in range(0, len(samples) - n + 1, n)]
    good = silent = 0
    loudest = None
    for b in blocks:
        share, rms = tone_share(b, hz, rate)
        if rms < MIN_RMS:
            silent += 1
            continue
        if share > MIN_SHARE:
            good += 1
        if loudest is None or rms > loudest[1]:
            loudest = (b, rms)
    found = f"dominant {dominant(loudest[0], rate)} Hz in the loudest block" if loudest else "no sound"
    print(f"{path}: {len(blocks) * BLOCK_S:.1f} s at {rate} Hz, {good * BLOCK_S:.1f} s of {hz:g} Hz, "
          f"{silent * BLOCK_S:.1f} s silent, {found}")
    return good * BLOCK_S >= min_seconds


def main(argv):
    if len(argv) == 6 and argv[1] == "tone":
        write_tone(argv[2], float(argv[3]), int(argv[4]), float(argv[5]))
        return 0
    if len(argv) == 5 and argv[1] == "heard":
        return 0 if heard(argv[2], float(argv[3]), float(argv[4])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
