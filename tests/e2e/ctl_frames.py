#!/usr/bin/env python3
"""Sends hand-made control-channel frames to a data plane and reports what came back.

Frames are built byte by byte here on purpose, independently of the project's own codecs, so a
bug shared by the encoder and the decoder cannot hide. Usage: ctl_frames.py HOST:PORT CASE
Prints one line: "closed", "silent" (still open, nothing received within the wait) or
"response status=N" for a decoded response envelope. Exit 0 unless the connection failed.
"""
import socket
import struct
import sys

from pb_wire import field_bytes, field_varint, fields, frame


def envelope(request_id, kind, method, payload=b""):
    return field_varint(1, request_id) + field_varint(2, kind) + field_varint(3, method) + (
        field_bytes(6, payload) if payload else b"")


def decode_status(env):
    """Envelope.kind (field 2) and status (field 4) of an encoded envelope; 0 when absent
    (proto3 default)."""
    f = fields(env)
    return f.get(2, 0), f.get(4, 0)


CASES = {
    # A heartbeat (method 1) with an empty request: must be answered with status OK.
    "heartbeat": frame(envelope(7, 1, 1)),
    # A method number the service does not have: answered with UNIMPLEMENTED (12).
    "unknown_method": frame(envelope(8, 1, 99)),
    # Compressed-flag frames are not supported: the connection is closed.
    "bad_flag": frame(envelope(9, 1, 1), flag=1),
    # A length far above the limit: closed without waiting for the bytes.
    "oversized": frame(b"", length=0x7FFFFFF0),
    # Not protobuf at all inside a well-formed frame.
    "undecodable": frame(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
    # Random bytes instead of a frame header.
    "garbage": b"\x47\x45\x54\x20\x2f\x20\x48\x54\x54\x50\x2f\x31\x2e\x31\r\n\r\n",
    # A header that promises 100 bytes, then only 10 and a half-close.
    "truncated": frame(b"\x08\x01" * 5, length=100),
}


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    case = sys.argv[2]
    s = socket.create_connection((host, int(port)), timeout=5)
    s.sendall(CASES[case])
    if case == "truncated":
        s.shutdown(socket.SHUT_WR)
    s.settimeout(2)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if len(data) >= 5:
                (ln,) = struct.unpack(">I", data[1:5])
                if len(data) >= 5 + ln:
                    kind, status = decode_status(data[5:5 + ln])
                    print("response kind=%d status=%d" % (kind, status))
                    return 0
    except socket.timeout:
        print("silent" if not data else "partial")
        return 0
    except ConnectionResetError:
        pass
    print("closed" if not data else "closed-after-%d-bytes" % len(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
