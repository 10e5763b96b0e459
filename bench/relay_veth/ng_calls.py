#!/usr/bin/env python3
"""Sets up (or deletes) N PCMU calls on rtpengine over its ng control protocol (bencode over UDP).

  ng_calls.py setup NG_ADDR FIRST N A_IP:PORT B_IP:PORT PORTS_FILE
  ng_calls.py delete NG_ADDR N

Calls FIRST .. N-1, each an offer from side A (SDP c=A, m=audio A_PORT, PCMU) and the answer
from side B. Appends one line per call to PORTS_FILE, "PORT_FOR_A PORT_FOR_B": the ports rtpengine put in the answer
(where A sends) and in the offer (where B sends), the format bench/relay_veth's rtp-streams reads.
Every request has a 2 s timeout and one retry; the first failure ends the run with status 1.
"""
import os
import re
import socket
import sys


def benc(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(benc(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(benc(k) + benc(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(type(v))


def bdec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i += 1
        items = []
        while b[i:i + 1] != b"e":
            x, i = bdec(b, i)
            items.append(x)
        if c == b"l":
            return items, i + 1
        return dict(zip(items[0::2], items[1::2])), i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


class Ng:
    def __init__(self, addr):
        host, port = addr.rsplit(":", 1)
        self.dst = (host, int(port))
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(2.0)
        self.seq = 0

    def call(self, msg):
        self.seq += 1
        cookie = b"%d_%d" % (os.getpid(), self.seq)
        for _ in range(2):
            self.s.sendto(cookie + b" " + benc(msg), self.dst)
            try:
                while True:
                    data = self.s.recv(65536)
                    if data.startswith(cookie + b" "):
                        reply, _ = bdec(data, len(cookie) + 1)
                        if reply.get(b"result") != b"ok":
                            raise RuntimeError("%s: %r" % (msg["command"], reply))
                        return reply
            except socket.timeout:
                continue
        raise RuntimeError("%s: no answer from rtpengine" % msg["command"])


def sdp(ip, port, sess):
    return ("v=0\r\no=- %d 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n"
            % (sess, ip, ip, port))


def media_port(reply):
    m = re.search(rb"m=audio (\d+) ", reply[b"sdp"])
    if not m:
        raise RuntimeError("no m=audio line in rtpengine's SDP")
    return int(m.group(1))


def main():
    if len(sys.argv) == 8 and sys.argv[1] == "setup":
        ng, first, n = Ng(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        a_ip, a_port = sys.argv[5].rsplit(":", 1)
        b_ip, b_port = sys.argv[6].rsplit(":", 1)
        with open(sys.argv[7], "a") as out:
            for i in range(first, n):
                cid = "bench-%d" % i
                off = ng.call({"command": "offer", "call-id": cid, "from-tag": "a%d" % i,
                               "sdp": sdp(a_ip, int(a_port), i)})
                ans = ng.call({"command": "answer", "call-id": cid, "from-tag": "a%d" % i,
                               "to-tag": "b%d" % i, "sdp": sdp(b_ip, int(b_port), i)})
                out.write("%d %d\n" % (media_port(ans), media_port(off)))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "delete":
        ng, n = Ng(sys.argv[2]), int(sys.argv[3])
        for i in range(n):
            ng.call({"command": "delete", "call-id": "bench-%d" % i, "from-tag": "a%d" % i})
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError) as e:
        sys.stderr.write("ng_calls: %s\n" % e)
        sys.exit(1)
