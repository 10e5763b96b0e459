"""Protobuf wire format by hand, for the tests that talk to the control channel without the
project's generated code (so a bug shared by its encoder and decoder cannot hide): varints,
varint and length-delimited fields, the frame header, and a message's fields decoded to a dict."""
import struct


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def read_varint(buf, i):
    """The varint at buf[i:] and the index after it."""
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def field_varint(num, value):
    return varint(num << 3) + varint(value)


def field_bytes(num, data):
    return varint((num << 3) | 2) + varint(len(data)) + data


def frame(payload, flag=0, length=None):
    """A frame: the compressed flag, the big-endian length (the payload's unless given), the
    payload."""
    return bytes([flag]) + struct.pack(">I", len(payload) if length is None else length) + payload


def fields(buf):
    """{field number: value} of a message with varint and length-delimited fields only; a
    repeated field keeps its last value. Any other wire type raises ValueError."""
    i, out = 0, {}
    while i < len(buf):
        key, i = read_varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = read_varint(buf, i)
        elif wt == 2:
            n, i = read_varint(buf, i)
            v, i = bytes(buf[i:i + n]), i + n
        else:
            raise ValueError("unexpected wire type %d" % wt)
        out[num] = v
    return out
