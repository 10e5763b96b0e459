#!/usr/bin/env python3
"""DTMF helpers of the media e2e tests (8 kHz audio).

media_dtmf.py make WAV DIGITS ON_MS OFF_MS
    writes a mono 16-bit WAV: 200 ms of silence, then each digit as ON_MS of its two tones and
    OFF_MS of silence
media_dtmf.py detect RAW
    finds the in-band digits in G.711 mu-law bytes an endpoint received (Goertzel on 10 ms
    blocks): prints {"digits": "...", "ms": [length of each digit]}
"""
import json
import math
import struct
import sys
import wave

ROWS = [697, 770, 852, 941]
COLS = [1209, 1336, 1477, 1633]
KEYS = ["123A", "456B", "789C", "*0#D"]
BLOCK = 80  # 10 ms


def ulaw_decode(b):
    b = ~b & 0xFF
    sign, exp, mant = b & 0x80, (b >> 4) & 7, b & 0x0F
    v = ((mant << 3) + 0x84) << exp
    v -= 0x84
    return -v if sign else v


def make(path, digits, on_ms, off_ms):
    pcm = [0] * 1600
    for d in digits:
        r = next(i for i, row in enumerate(KEYS) if d in row)
        c = KEYS[r].index(d)
        for i in range(on_ms * 8):
            t = i / 8000.0
            pcm.append(int(6000 * math.sin(2 * math.pi * ROWS[r] * t) +
                           6000 * math.sin(2 * math.pi * COLS[c] * t)))
        pcm += [0] * (off_ms * 8)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<%dh" % len(pcm), *pcm))


def power(x, hz):
    w = 2 * math.pi * hz / 8000.0
    c, s1, s2 = 2 * math.cos(w), 0.0, 0.0
    for v in x:
        s1, s2 = v + c * s1 - s2, s1
    return s1 * s1 + s2 * s2 - c * s1 * s2


def block_digit(x):
    """The digit a block holds, or None: one row and one column tone carrying most of it."""
    energy = sum(v * v for v in x)
    if energy < len(x) * 300.0 ** 2:
        return None
    # A pure tone of any amplitude gives power / (len * energy) = 1/2 at its own frequency.
    rp = [power(x, f) / (len(x) * energy) for f in ROWS]
    cp = [power(x, f) / (len(x) * energy) for f in COLS]
    r, c = max(range(4), key=rp.__getitem__), max(range(4), key=cp.__getitem__)
    if rp[r] < 0.1 or cp[c] < 0.1 or rp[r] + cp[c] < 0.35:
        return None
    return KEYS[r][c]


def detect(raw_path):
    x = [ulaw_decode(b) for b in open(raw_path, "rb").read()]
    digits, lengths, cur, run = "", [], None, 0
    for i in range(0, len(x) - BLOCK + 1, BLOCK):
        d = block_digit(x[i:i + BLOCK])
        if d == cur:
            run += 1
            continue
        if cur is not None and run >= 3:  # at least 30 ms
            digits += cur
            lengths.append(run * 10)
        cur, run = d, 1
    if cur is not None and run >= 3:
        digits += cur
        lengths.append(run * 10)
    print(json.dumps({"digits": digits, "ms": lengths}))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) == 3 and sys.argv[1] == "detect":
        detect(sys.argv[2])
    else:
        sys.exit(__doc__)
