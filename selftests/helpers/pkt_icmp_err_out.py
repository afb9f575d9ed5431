#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_err_out.sh: ICMP errors about inbound packets, seen outside."""
import socket
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_ICMP, PROTO_UDP, SUB, Cap, Counters, Pkt,  # noqa: E402
                     Raw, check, finish, icmp, in_pool, ip4, ip_udp, log, need, nsexec,
                     udp_sock)

S, X, B1 = "10.0.0.2", "203.0.113.2", "203.0.113.1"
INSIDE = socket.inet_aton(S)
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")
raw_sub, raw_out = Raw(SUB), Raw(OUT)


def no_inside_leak(what, pkts):
    for p in pkts:
        check(INSIDE not in p.raw, "%s: inside address %s on the wire outside: %r"
              % (what, S, p))


def check_err(what, got, src, typ, code, sent, E, P, mtu=None):
    """An error seen outside about `sent` (what X sent to E:P)."""
    if not check(got, "%s: no error reached the outside host" % what):
        return
    log("%s: outside got %r" % (what, got))
    check(got.src == src and got.dst == X, "%s: outer %s -> %s, expected %s -> %s"
          % (what, got.src, got.dst, src, X))
    check(got.ip_ok(), "%s: bad outer IP checksum" % what)
    check(got.l4_ok(), "%s: bad ICMP checksum %#x" % (what, got.l4sum))
    check((got.type, got.code) == (typ, code), "%s: type/code %d/%d" % (what, got.type, got.code))
    if mtu is not None:
        check(got.mtu == mtu, "%s: next-hop MTU %d, expected %d" % (what, got.mtu, mtu))
    i = got.inner
    if not check(i, "%s: no embedded packet" % what):
        return
    check((i.src, i.sport) == (X, 5000), "%s: embedded source %s:%s" % (what, i.src, i.sport))
    check((i.dst, i.dport) == (E, P), "%s: embedded destination %s:%s, expected the pool's %s:%d"
          % (what, i.dst, i.dport, E, P))
    check(i.ip_ok(), "%s: bad embedded IP checksum %#x" % (what, i.ipsum))
    s = Pkt(sent)
    check(i.id == s.id, "%s: embedded IP id %#x, sent %#x" % (what, i.id, s.id))
    check(i.l4sum == s.l4sum, "%s: embedded UDP checksum %#x, sent %#x (it must be the "
          "original datagram's again)" % (what, i.l4sum, s.l4sum))
    check(i.data == s.data[:len(i.data)], "%s: embedded payload changed" % what)
    no_inside_leak(what, [got])


srv = udp_sock(OUT, X, 5000)

log("the subscriber answers an inbound datagram with port unreachable")
us = udp_sock(SUB, S, 40001)
us.sendto(b"cgn-open-mapping", (X, 5000))
data, peer = srv.recvfrom(100)
E, P = peer
need(in_pool(E), "mapping %s:%d is not from the pool" % peer)
log("mapping %s:40001 <-> %s:%d" % (S, E, P))
us.close()  # nothing listens on 10.0.0.2:40001 any more

c = Counters(BOARD)
cap_out.drain()
cap_sub.drain()
knock = ip_udp(X, E, 5000, P, b"cgn-knock-knock", ident=0x4242)
raw_out.send(knock)
got_in = cap_sub.wait(lambda p: p.proto == PROTO_UDP and p.data == b"cgn-knock-knock")
need(got_in, "the inbound datagram did not reach the subscriber")
check((got_in.dst, got_in.dport) == (S, 40001), "inbound datagram went to %s:%s"
      % (got_in.dst, got_in.dport))
what = "subscriber's port unreachable"
got = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3)
check_err(what, got, E, 3, 3, knock, E, P)
no_inside_leak(what, cap_out.collect(lambda p: True, 0.3))
check(c.delta("icmp_err_out") == 1, "icmp_err_out moved by %d" % c.delta("icmp_err_out"))

log("an error from the subscriber about no mapping does not leak out")
c = Counters(BOARD)
cap_out.drain()
stray = ip_udp(X, S, 5000, 45555, b"cgn-never-sent", ttl=63)
raw_sub.send(ip4(S, X, PROTO_ICMP, icmp(3, 3, 0, stray)))
leak = cap_out.collect(lambda p: True, 0.6)
check(not leak, "an error about no mapping got out: %s" % leak)
check(c.delta("drop_no_mapping") == 1, "drop_no_mapping moved by %d"
      % c.delta("drop_no_mapping"))

log("the board's time exceeded about a translated datagram with TTL 1")
keep = udp_sock(SUB, S, 40002)  # a live mapping with a listener this time
keep.sendto(b"cgn-open-2", (X, 5000))
data, (E2, P2) = srv.recvfrom(100)
need(in_pool(E2), "second mapping %s:%d not from the pool" % (E2, P2))
c = Counters(BOARD)
cap_out.drain()
cap_sub.drain()
ttl1 = ip_udp(X, E2, 5000, P2, b"cgn-ttl-1", ident=0x1111, ttl=1)
raw_out.send(ttl1)
got = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 11)
check_err("board time exceeded", got, B1, 11, 0, ttl1, E2, P2)
check(not cap_sub.collect(lambda p: p.proto == PROTO_UDP, 0.3),
      "the datagram with TTL 1 was forwarded to the subscriber")

log("the board's fragmentation needed about a translated datagram too big inside")
nsexec(BOARD, "ip", "link", "set", "b0", "mtu", "1280")
cap_out.drain()
big = ip_udp(X, E2, 5000, P2, b"cgn-big-" + bytes(1392), ident=0x2222, df=True)
raw_out.send(big)
got = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3)
check_err("board fragmentation needed", got, B1, 3, 4, big, E2, P2, mtu=1280)
keep.settimeout(0.3)
try:
    keep.recv(2000)
    check(False, "the datagram too big with DF was delivered")
except socket.timeout:
    pass
c.take()
check(c.delta("icmp_err_out") == 2, "icmp_err_out moved by %d, expected 2"
      % c.delta("icmp_err_out"))
finish("outbound ICMP errors")
