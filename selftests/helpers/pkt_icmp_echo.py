#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_echo.sh: ICMP echo through the NAT, checked on the wire."""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, SUB, Cap, Counters, Raw, check, echo, finish,  # noqa: E402
                     in_pool, ip4, log, need, sessions)

S, S2, X = "10.0.0.2", "10.0.0.3", "203.0.113.2"
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")
raw_sub, raw_out = Raw(SUB), Raw(OUT)


def ping(ident, seq, payload):
    """Echo request from the subscriber: (request seen outside, reply seen inside)."""
    cap_out.drain()
    cap_sub.drain()
    raw_sub.send(ip4(S, X, 1, echo(8, ident, seq, payload), ident=0x4000 + seq))
    req = cap_out.wait(lambda p: p.proto == 1 and p.type == 8 and p.data == payload)
    rep = cap_sub.wait(lambda p: p.proto == 1 and p.type == 0 and p.data == payload)
    return req, rep


c = Counters(BOARD)
log("subscriber %s pings %s with identifier 77" % (S, X))
req, rep = ping(77, 1, b"cgn-echo-1")
need(req, "the echo request did not reach the outside host")
log("outside saw %r" % req)
E, Y = req.src, req.icmp_id
check(in_pool(E), "outside source %s is not a pool address" % E)
check(req.dst == X, "destination changed to %s" % req.dst)
check(Y != 77 and 1024 <= Y <= 65535,
      "identifier %d not translated into the pool's range (ports 1024-65535)" % Y)
check(req.icmp_seq == 1, "sequence number changed to %d" % req.icmp_seq)
check(req.ip_ok(), "bad IP checksum on the translated request %#x" % req.ipsum)
check(req.l4_ok(), "bad ICMP checksum on the translated request %#x" % req.l4sum)
need(rep, "the echo reply did not come back to the subscriber")
log("subscriber got %r" % rep)
check(rep.src == X and rep.dst == S, "reply %s -> %s, expected %s -> %s" % (rep.src, rep.dst, X, S))
check(rep.icmp_id == 77, "reply identifier %d, expected the original 77" % rep.icmp_id)
check(rep.icmp_seq == 1, "reply sequence %d" % rep.icmp_seq)
check(rep.ip_ok(), "bad IP checksum on the reply inside")
check(rep.l4_ok(), "bad ICMP checksum on the reply inside %#x" % rep.l4sum)

log("a second request with the same identifier uses the same mapping")
req2, rep2 = ping(77, 2, b"cgn-echo-2-odd-len")
need(req2 and rep2, "second echo exchange failed")
check((req2.src, req2.icmp_id) == (E, Y), "mapping changed: %s id %d then %s id %d"
      % (E, Y, req2.src, req2.icmp_id))
check(req2.l4_ok() and rep2.l4_ok(), "ICMP checksum wrong with an odd-length payload")
check(rep2.icmp_id == 77, "second reply identifier %d" % rep2.icmp_id)

log("another identifier gets another outside identifier")
req3, rep3 = ping(78, 1, b"cgn-echo-3")
need(req3 and rep3, "echo with identifier 78 failed")
check(req3.icmp_id != Y, "identifiers 77 and 78 share outside identifier %d" % Y)
check(rep3.icmp_id == 78, "reply for 78 came back as %d" % rep3.icmp_id)

log("another subscriber %s with the same identifier 77 gets its own mapping" % S2)
cap_out.drain()
cap_sub.drain()
raw_sub.send(ip4(S2, X, 1, echo(8, 77, 1, b"cgn-echo-s2"), ident=0x4100))
req4 = cap_out.wait(lambda p: p.proto == 1 and p.type == 8 and p.data == b"cgn-echo-s2")
rep4 = cap_sub.wait(lambda p: p.proto == 1 and p.type == 0 and p.data == b"cgn-echo-s2")
need(req4 and rep4, "echo from %s failed" % S2)
check((req4.src, req4.icmp_id) != (E, Y), "%s id 77 and %s id 77 share %s id %d"
      % (S, S2, E, Y))
check(rep4.dst == S2 and rep4.icmp_id == 77, "reply for %s went to %s id %d"
      % (S2, rep4.dst, rep4.icmp_id))
req5, rep5 = ping(77, 3, b"cgn-echo-5")
check(rep5 and rep5.dst == S and (req5.src, req5.icmp_id) == (E, Y),
      "%s's mapping disturbed by %s's" % (S, S2))

c.take()
check(c.delta("pkts_out") >= 3 and c.delta("pkts_in") >= 3, "pkts_out/pkts_in did not move")

js = sessions(BOARD, "proto", "icmp")
print(js)
mine = [s for s in js if s["in_addr"] == S and s["in_port"] == 77]
check(len(mine) == 1, "expected one ICMP session for %s id 77, got %s" % (S, mine))
if mine:
    s = mine[0]
    check(s["proto"] == "icmp", "proto %s" % s["proto"])
    check((s["ext_addr"], s["ext_port"]) == (E, Y),
          "listed outside %s id %s, the wire said %s id %d" % (s["ext_addr"], s["ext_port"], E, Y))
    check(s["rem_addr"] == X, "listed remote %s" % s["rem_addr"])

log("echo requests from outside to pool addresses are dropped")
c = Counters(BOARD)
cap_out.drain()
cap_sub.drain()
for dst, ident in ((E, Y), (E, 4242), ("198.51.100.9", 1234)):
    raw_out.send(ip4(X, dst, 1, echo(8, ident, 1, b"cgn-inbound-echo")))
leak = cap_sub.collect(lambda p: True, 0.8)
check(not leak, "inbound echo requests reached the subscriber side: %s" % leak)
back = cap_out.collect(lambda p: p.proto == 1, 0.1)
check(not back, "something answered the inbound echo requests: %s" % back)
check(c.delta("drop_no_mapping") >= 3, "drop_no_mapping moved by %d, expected 3"
      % c.delta("drop_no_mapping"))
check(c.delta("pkts_in") == 0, "an inbound echo request was translated")
finish("ICMP echo")
