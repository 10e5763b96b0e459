#!/usr/bin/env python3
"""Sends SIP datagrams from one address and prints the first line of each answer.
usage: sip_send.py SRC_IP DST_IP:PORT FILE|- [COUNT] [WAIT_S]
The message is read from FILE (LF line ends become CRLF); COUNT copies are sent, then answers
are collected for WAIT_S seconds (bounded)."""
import socket
import sys
import time

src, dst, path = sys.argv[1], sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
wait = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
host, port = dst.rsplit(":", 1)
text = (sys.stdin.read() if path == "-" else open(path).read()).replace("\r\n", "\n")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 0))
for i in range(min(count, 100000)):
    s.sendto(text.replace("@N@", str(i)).replace("\n", "\r\n").encode(), (host, int(port)))
s.settimeout(0.1)
deadline = time.time() + min(wait, 30.0)
while time.time() < deadline:
    try:
        data, _ = s.recvfrom(65535)
    except socket.timeout:
        continue
    print(data.split(b"\r\n", 1)[0].decode(errors="replace"), flush=True)
