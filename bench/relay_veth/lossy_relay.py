#!/usr/bin/env python3
"""A slow, deliberately imperfect RTP relay for check_generator.sh: forwards what side A sends to
the first port of a call to side B and what B sends to the second to A, like the relays under
test, but drops every packet whose number (payload bytes 4-7, rtp-streams' layout) is 3 mod 10
and holds those that are 5 mod 10 for HOLD_MS before sending them. Stops after SECONDS.
  lossy_relay.py RELAY_IP PORTS_FILE CALLS A_IP:PORT B_IP:PORT HOLD_MS SECONDS"""
import heapq, selectors, socket, struct, sys, time

relay_ip, ports_file, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
def addr(s):
    h, p = s.rsplit(":", 1)
    return (h, int(p))
side_a, side_b = addr(sys.argv[4]), addr(sys.argv[5])
hold_s, stop_at = int(sys.argv[6]) / 1000.0, time.monotonic() + float(sys.argv[7])

sel = selectors.DefaultSelector()
with open(ports_file) as f:
    pairs = [tuple(int(x) for x in line.split()) for line in f if line.strip()][:calls]
for to_b, to_a in pairs:  # "PORT_FOR_A PORT_FOR_B": A sends to the first, B to the second
    for port, dest in ((to_b, side_b), (to_a, side_a)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind((relay_ip, port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, (s, dest))
held = []  # (due, seq, sock, data, dest)
seq = 0
while time.monotonic() < stop_at:
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, _, s, data, dest = heapq.heappop(held)
        s.sendto(data, dest)
    timeout = max(0.0, held[0][0] - now) if held else 0.05
    for key, _ in sel.select(min(timeout, 0.05)):
        s, dest = key.data
        while True:
            try:
                data = s.recv(2048)
            except BlockingIOError:
                break
            n = struct.unpack_from("!I", data, 16)[0] if len(data) >= 20 else 0
            if n and n % 10 == 3:
                continue
            if n and n % 10 == 5:
                seq += 1
                heapq.heappush(held, (time.monotonic() + hold_s, seq, s, data, dest))
                continue
            s.sendto(data, dest)
