#!/usr/bin/env python3
"""One command to a baresip UA through its ctrl_tcp module (netstring-framed JSON).

  baresip_ctl.py PORT COMMAND [PARAMS]
      connects to 127.0.0.1:PORT, sends {"command", "params", "token"}, waits (5 s at most)
      for the response with that token, skipping event messages, prints its data and exits 0
      when baresip says ok, 1 when it says not ok, 2 on a protocol or connection error.
"""
import json
import socket
import sys

TIMEOUT_S = 5


def netstring(payload):
    return str(len(payload)).encode() + b":" + payload + b","


def read_netstring(sock, buf):
    """One netstring off the socket: (payload, rest of the buffer)."""
    while True:
        head, colon, rest = buf.partition(b":")
        if colon:
            if not head.isdigit():
                raise ValueError(f"bad netstring length {head[:20]!r}")
            size = int(head)
            if len(rest) >= size + 1:
                if rest[size:size + 1] != b",":
                    raise ValueError("netstring without its comma")
                return rest[:size], rest[size + 1:]
        chunk = sock.recv(4096)
        if not chunk:
            raise ValueError("connection closed before the response")
        buf += chunk


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    port, command = int(argv[1]), argv[2]
    params = argv[3] if len(argv) == 4 else ""
    token = f"e2e-{command}"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as sock:
            request = json.dumps({"command": command, "params": params, "token": token})
            sock.sendall(netstring(request.encode()))
            buf = b""
            while True:
                payload, buf = read_netstring(sock, buf)
                msg = json.loads(payload)
                if msg.get("response") and msg.get("token") == token:
                    print(msg.get("data", ""))
                    return 0 if msg.get("ok") else 1
    except (OSError, ValueError) as err:
        print(f"baresip_ctl: {command}: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
