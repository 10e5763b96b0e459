#!/usr/bin/env python3
"""Subscribes to a data plane's events and prints each one as a JSON line until the wait ends.

Usage: media_events.py HOST:PORT SECONDS. The protobuf is decoded by hand (pb_wire.py),
independent of the project's generated code.
"""
import json
import socket
import struct
import sys
import time

from pb_wire import fields, frame, varint


def events(host_port, seconds, node):
    """Subscribes as node and yields each event's decoded fields until the wait ends."""
    host, port = host_port.rsplit(":", 1)
    deadline = time.monotonic() + float(seconds)
    sub = b"\x0a" + varint(len(node)) + node  # SubscribeRequest.node
    env = (b"\x08\x01" + b"\x10\x01" + b"\x18" + varint(17) +
           b"\x32" + varint(len(sub)) + sub)  # request_id 1, KIND_REQUEST, METHOD_SUBSCRIBE
    s = socket.create_connection((host, int(port)), timeout=5)
    s.sendall(frame(env))
    buf = b""
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = s.recv(65536)
        except socket.timeout:
            return
        if not data:
            return
        buf += data
        while len(buf) >= 5:
            n = struct.unpack(">I", buf[1:5])[0]
            if len(buf) < 5 + n:
                break
            e, buf = fields(buf[5:5 + n]), buf[5 + n:]
            if e.get(2) == 3:                 # only KIND_EVENT
                yield fields(e.get(6, b""))


def main():
    for ev in events(sys.argv[1], sys.argv[2], b"e2e"):
        print(json.dumps({"kind": ev.get(1, 0),
                          "call_id": ev.get(2, b"").decode(),
                          "leg_tag": ev.get(3, b"").decode()}), flush=True)


if __name__ == "__main__":
    main()
