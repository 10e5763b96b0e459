#!/usr/bin/env python3
"""Like media_events.py, with the media-operation fields of each event: digit, duration_ms,
op_id and interrupted. Usage: media_ops_events.py HOST:PORT SECONDS."""
import json
import sys

from media_events import events


def main():
    for ev in events(sys.argv[1], sys.argv[2], b"e2e-op"):
        print(json.dumps({"kind": ev.get(1, 0),
                          "call_id": ev.get(2, b"").decode(),
                          "leg_tag": ev.get(3, b"").decode(),
                          "digit": ev.get(4, b"").decode(),
                          "duration_ms": ev.get(5, 0),
                          "op_id": ev.get(6, 0),
                          "interrupted": bool(ev.get(7, 0))}), flush=True)


if __name__ == "__main__":
    main()
