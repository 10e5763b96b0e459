#!/usr/bin/env python3
"""Helpers of the media-operation e2e tests.

media_ops_prompt.py make WAV SECONDS   writes an 8 kHz mono 16-bit test prompt (two tones and a
                                       slow sweep, so a shifted or reordered packet shows)
media_ops_prompt.py compare WAV RAW    compares the G.711 mu-law bytes an endpoint received with
                                       the prompt: prints {"samples","offset","snr_db","corr"}
media_ops_prompt.py compare-wav WAV REC CHANNEL
                                       the same for channel CHANNEL (0, 1) of a recording, plus
                                       "channels" and "rate"
media_ops_prompt.py tones RAW SKIP_MS HZ...
                                       the power (dB) at each frequency in received mu-law
                                       bytes, after the first SKIP_MS: {"HZ": dB, ...}
"""
import json
import math
import struct
import sys
import wave


def ulaw_decode(b):
    b = ~b & 0xFF
    sign, exp, mant = b & 0x80, (b >> 4) & 7, b & 0x0F
    v = ((mant << 3) + 0x84) << exp
    v -= 0x84
    return -v if sign else v


def make(path, seconds):
    n = int(8000 * seconds)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        frames = bytearray()
        for i in range(n):
            t = i / 8000.0
            v = (5000 * math.sin(2 * math.pi * 440 * t) +
                 3000 * math.sin(2 * math.pi * (300 + 400 * t / seconds) * t))
            frames += struct.pack("<h", int(v))
        w.writeframes(bytes(frames))


def read_wav(path):
    with wave.open(path, "rb") as w:
        data = w.readframes(w.getnframes())
        return list(struct.unpack("<%dh" % (len(data) // 2), data)), w.getnchannels(), w.getframerate()


def compare(wav_path, raw_path):
    ref = read_wav(wav_path)[0]
    got = [ulaw_decode(b) for b in open(raw_path, "rb").read()]
    print(json.dumps(similarity(ref, got)))


def compare_wav(wav_path, rec_path, channel):
    ref = read_wav(wav_path)[0]
    rec, channels, rate = read_wav(rec_path)
    out = similarity(ref, rec[channel::channels])
    out.update({"channels": channels, "rate": rate})
    print(json.dumps(out))


def goertzel_db(x, hz):
    w = 2 * math.pi * hz / 8000.0
    c, s1, s2 = 2 * math.cos(w), 0.0, 0.0
    for v in x:
        s1, s2 = v + c * s1 - s2, s1
    p = s1 * s1 + s2 * s2 - c * s1 * s2
    return round(10 * math.log10(p / max(len(x), 1) + 1e-9), 1)


def tones(raw_path, skip_ms, freqs):
    x = [ulaw_decode(b) for b in open(raw_path, "rb").read()][int(skip_ms) * 8:]
    print(json.dumps({"samples": len(x), **{str(f): goertzel_db(x, float(f)) for f in freqs}}))


def similarity(ref, got):
    best = (-1.0, 0)
    # The stream starts with the prompt; allow a few samples of slack, no more.
    for off in range(0, min(8, len(got))):
        n = min(len(ref), len(got) - off)
        if n <= 0:
            break
        num = sum(ref[i] * got[i + off] for i in range(n))
        den = math.sqrt(sum(r * r for r in ref[:n]) * sum(g * g for g in got[off:off + n])) or 1
        if num / den > best[0]:
            best = (num / den, off)
    corr, off = best
    n = min(len(ref), len(got) - off)
    if n <= 0:
        return {"samples": len(got), "offset": off, "corr": 0, "snr_db": -99}
    sig = sum(r * r for r in ref[:n]) or 1
    noise = sum((ref[i] - got[i + off]) ** 2 for i in range(n)) or 1e-9
    return {"samples": len(got), "offset": off, "corr": round(corr, 4),
            "snr_db": round(10 * math.log10(sig / noise), 2)}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "make":
        make(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "tones":
        tones(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "compare-wav":
        compare_wav(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
