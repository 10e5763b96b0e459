#!/usr/bin/env python3
"""Like media_events.py, with the media-operation fields of each event: digit, duration_ms,
op_id and interrupted. Usage: media_ops_events.py HOST:PORT SECONDS."""
import json
import socket
import struct
import sys
import time

from media_events import fields, varint


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    deadline = time.monotonic() + float(sys.argv[2])
    sub = b"\x0a\x06e2e-op"                   # SubscribeRequest.node = "e2e-op"
    env = (b"\x08\x01" + b"\x10\x01" + b"\x18" + varint(17) +
           b"\x32" + varint(len(sub)) + sub)  # request_id 1, KIND_REQUEST, METHOD_SUBSCRIBE
    s = socket.create_connection((host, int(port)), timeout=5)
    s.sendall(b"\x00" + struct.pack(">I", len(env)) + env)
    buf = b""
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
        while len(buf) >= 5:
            n = struct.unpack(">I", buf[1:5])[0]
            if len(buf) < 5 + n:
                break
            e, buf = fields(buf[5:5 + n]), buf[5 + n:]
            if e.get(2) != 3:                 # only KIND_EVENT
                continue
            ev = fields(e.get(6, b""))
            print(json.dumps({"kind": ev.get(1, 0),
                              "call_id": ev.get(2, b"").decode(),
                              "leg_tag": ev.get(3, b"").decode(),
                              "digit": ev.get(4, b"").decode(),
                              "duration_ms": ev.get(5, 0),
                              "op_id": ev.get(6, 0),
                              "interrupted": bool(ev.get(7, 0))}), flush=True)


if __name__ == "__main__":
    main()
