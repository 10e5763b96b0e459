#!/usr/bin/env python3
"""A small SIP REGISTER client for the registrar tests where sipp falls short: it answers the
SHA-256 challenge (sipp knows only MD5), replays a used nonce-count, and can speak as the edge
proxy does (its own Via on top, the phone's Via second with received/rport, a Path header).

usage: sip_digest_client.py SERVER_IP:PORT USER PASSWORD REALM [--alg SHA-256|MD5] [--edge]
                            [--contact VALUE]
Prints one line per step: "<step> <status code>".
"""
import argparse
import hashlib
import random
import re
import socket
import sys


def h(alg, text):
    return hashlib.new("sha256" if alg == "SHA-256" else "md5", text.encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("user")
    ap.add_argument("password")
    ap.add_argument("realm")
    ap.add_argument("--alg", default="SHA-256")
    ap.add_argument("--edge", action="store_true")
    ap.add_argument("--contact", help="Contact header value as sent (default: <sip:USER@me>)")
    a = ap.parse_args()
    host, port = a.server.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(5)
    me = "%s:%d" % s.getsockname()
    call_id = "%x@e2e" % random.getrandbits(64)
    cseq = [0]

    def register(auth=None):
        cseq[0] += 1
        branch = "z9hG4bK%x" % random.getrandbits(48)
        vias = ["Via: SIP/2.0/UDP %s;branch=%s;rport" % (me, branch)]
        contact = "sip:%s@%s" % (a.user, me)
        extra = []
        if a.edge:
            # As the edge forwards it: its Via on top, the phone's below with where the
            # datagram really came from, and the Path back through the edge.
            vias = ["Via: SIP/2.0/UDP %s;branch=%s" % (me, branch),
                    "Via: SIP/2.0/UDP 192.0.2.50:5070;branch=z9hG4bKph%d;received=203.0.113.50;rport=40123" % cseq[0]]
            contact = "sip:%s@192.0.2.50:5070" % a.user
            extra.append("Path: <sip:198.51.100.1;lr>")
        if auth:
            extra.append(auth)
        msg = "\r\n".join(["REGISTER sip:%s SIP/2.0" % a.realm] + vias + [
            "Max-Forwards: 70",
            "From: <sip:%s@%s>;tag=t%d" % (a.user, a.realm, random.getrandbits(24)),
            "To: <sip:%s@%s>" % (a.user, a.realm),
            "Call-ID: " + call_id,
            "CSeq: %d REGISTER" % cseq[0],
            "Contact: " + (a.contact or "<%s>" % contact),
            "Expires: 300"] + extra + ["Content-Length: 0", "", ""])
        s.sendto(msg.encode(), (host, int(port)))
        while True:
            data = s.recv(65535).decode(errors="replace")
            m = re.search(r"^CSeq:\s*(\d+)", data, re.M | re.I)
            if m and int(m.group(1)) == cseq[0]:
                return data

    def code(resp):
        return resp.split(" ", 2)[1]

    def authorization(resp, nc, cnonce):
        chal = [l for l in resp.split("\r\n") if l.lower().startswith("www-authenticate:")
                and ("algorithm=" + a.alg) in l]
        if not chal:
            print("no %s challenge" % a.alg)
            sys.exit(1)
        nonce = re.search(r'nonce="([^"]+)"', chal[0]).group(1)
        uri = "sip:" + a.realm
        ha1 = h(a.alg, "%s:%s:%s" % (a.user, a.realm, a.password))
        ha2 = h(a.alg, "REGISTER:" + uri)
        resp_hash = h(a.alg, "%s:%s:%08x:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2))
        return ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", '
                'response="%s", algorithm=%s, cnonce="%s", qop=auth, nc=%08x'
                % (a.user, a.realm, nonce, uri, resp_hash, a.alg, cnonce, nc))

    chal = register()
    print("challenge", code(chal))
    cnonce = "%x" % random.getrandbits(64)
    auth1 = authorization(chal, 1, cnonce)
    r = register(auth1)
    print("answer", code(r))
    if a.edge:
        print("path-echoed", "yes" if "Path: <sip:198.51.100.1;lr>" in r else "no")
    # The same credentials again (a new transaction, the same nonce-count): a replay.
    r2 = register(auth1)
    print("replay", code(r2))
    r3 = register(authorization(chal, 2, cnonce))
    print("next-nc", code(r3))


if __name__ == "__main__":
    main()
