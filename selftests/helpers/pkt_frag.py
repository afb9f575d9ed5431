#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""frag.sh: fragmented UDP both ways through the NAT."""
import os
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_UDP, SUB, Cap, Counters, Pkt, Raw, check,  # noqa: E402
                     csum, finish, fragments, in_pool, ip4, ip_udp, log, need, nsexec,
                     pseudo, recv_from, udp, udp_sock)

S, X = "10.0.0.2", "203.0.113.2"
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")
raw_out = Raw(OUT)
srv = udp_sock(OUT, X, 5000)
us = udp_sock(SUB, S, 40000)


def frags(cap, src, dst):
    cap.collect(lambda p: False, 0.2)  # take in what arrived
    return [p for p in cap.seen if p.proto == PROTO_UDP and p.src == src and p.dst == dst
            and (p.mf or p.frag)]


c = Counters(BOARD)
log("the subscriber sends 4000 bytes in one datagram")
up = os.urandom(4000)
cap_out.drain()
us.sendto(up, (X, 5000))
data, peer = recv_from(srv, 5)
need(data is not None, "the 4000-byte datagram did not arrive outside")
check(data == up, "the datagram arrived with %d bytes, corrupted or cut" % len(data))
E, P = peer
check(in_pool(E), "it arrived from %s, not a pool address" % E)
f = frags(cap_out, E, X)
log("outside: %d fragments from %s" % (len(f), E))
check(len(f) >= 3, "expected >= 3 fragments of the translated datagram outside, saw %d" % len(f))
check(all(p.ip_ok() for p in f), "fragment with a bad IP checksum outside")
check(not [p for p in cap_out.seen if p.src == S], "untranslated fragments outside")

log("the server answers with 4000 bytes")
down = os.urandom(4000)
cap_sub.drain()
srv.sendto(down, peer)
data, frm = recv_from(us, 5)
need(data is not None, "the 4000-byte answer did not reach the subscriber")
check(data == down, "the answer arrived with %d bytes, corrupted or cut" % len(data))
check(frm == (X, 5000), "the answer came from %s:%d" % frm)
f = frags(cap_sub, X, S)
log("inside: %d fragments to %s" % (len(f), S))
check(len(f) >= 3, "expected >= 3 fragments of the answer inside, saw %d" % len(f))
check(all(p.ip_ok() for p in f), "fragment with a bad IP checksum inside")

log("fragments sent out of order, last first")
late = os.urandom(3000)
pieces = fragments(ip_udp(X, E, 5000, P, late, ident=0x6666), 1000)
check(len(pieces) == 4, "expected 4 fragments, made %d" % len(pieces))
raw_out.send(*reversed(pieces))
data, frm = recv_from(us, 5)
check(data == late, "out-of-order fragments: got %s" % (len(data) if data else None))

log("the board cuts a 6000-byte answer again for a 1280-byte inside link")
nsexec(BOARD, "ip", "link", "set", "b0", "mtu", "1280")
nsexec(SUB, "ip", "link", "set", "s0", "mtu", "1280")
cap_sub.drain()
down2 = os.urandom(6000)
srv.sendto(down2, peer)
data, frm = recv_from(us, 5)
check(data == down2, "6000-byte answer: got %s" % (len(data) if data else None))
f = frags(cap_sub, X, S)
log("inside: %d fragments of at most %d bytes" % (len(f), max([p.tot_len for p in f] or [0])))
check(len(f) >= 5 and all(p.tot_len <= 1280 for p in f),
      "expected >= 5 fragments of <= 1280 bytes inside: %s" % f)

log("UDP checksums: none stays none, one that folds to zero is sent as 0xffff")
raw_sub, raw_out = Raw(SUB), Raw(OUT)


def ffff_payload(src, dst, sport, dport):
    """A payload whose UDP checksum between these endpoints is 0xffff: its
    last 16-bit word brings the one's complement sum to 0xffff."""
    base = b"cgn-csum-0xffff"[:14]
    s0 = ~csum(pseudo(src, dst, PROTO_UDP, 8 + len(base) + 2)
               + udp(src, dst, sport, dport, base + b"\0\0", check=0)[:8] + base) & 0xffff
    return base + struct.pack("!H", 0xffff - s0)


for what, raw, cap, pkt, want in (
        ("outbound without checksum", raw_sub, cap_out,
         ip4(S, X, PROTO_UDP, udp(S, X, 40000, 5000, b"cgn-nocsum-out", check=0)), 0),
        ("inbound without checksum", raw_out, cap_sub,
         ip4(X, E, PROTO_UDP, udp(X, E, 5000, P, b"cgn-nocsum-in", check=0)), 0),
        ("outbound folding to zero", raw_sub, cap_out,
         ip_udp(S, X, 40000, 5000, ffff_payload(E, X, P, 5000)), 0xffff),
        ("inbound folding to zero", raw_out, cap_sub,
         ip_udp(X, E, 5000, P, ffff_payload(X, S, 5000, 40000)), 0xffff)):
    sent = Pkt(pkt)
    cap.drain()
    raw.send(pkt)
    got = cap.wait(lambda p: p.proto == PROTO_UDP and p.data == sent.data)
    if check(got, "%s: the datagram did not get through" % what):
        check(got.l4sum == want, "%s: UDP checksum %#06x on the far side, expected %#06x"
              % (what, got.l4sum, want))
        check(got.l4_ok(), "%s: UDP checksum invalid on the far side" % what)
    rcv = srv if cap is cap_out else us
    data, _ = recv_from(rcv, 2)
    check(data == sent.data, "%s: the receiving socket did not take it" % what)

c.take()
check(c.delta("drop_malformed") == 0, "drop_malformed moved by %d" % c.delta("drop_malformed"))
check(c.delta("pkts_in") == 5 and c.delta("pkts_out") == 3,
      "translated whole, each datagram counts once: pkts_in %d pkts_out %d"
      % (c.delta("pkts_in"), c.delta("pkts_out")))
finish("fragments")
