#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_err_in.sh: ICMP errors from outside about subscribers' flows."""
import socket
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (ACK, BOARD, OUT, PROTO_ICMP, PROTO_UDP, PSH, SUB,  # noqa: E402
                     Cap, Counters, Pkt, Raw, check, echo, finish, icmp, in_pool, ip4,
                     ip_tcp, ip_udp, log, need, sessions, tcp, tcp_listen, tcp_sock,
                     udp, udp_sock)

S, X, R = "10.0.0.2", "203.0.113.2", "203.0.113.254"
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")
raw_sub, raw_out = Raw(SUB), Raw(OUT)
IP_MTU = 14


def is_err(typ, code):
    return lambda p: p.proto == PROTO_ICMP and p.type == typ and p.code == code


def deliver(what, pkt, typ, code):
    """Send an error from outside; the one the subscriber got, or None."""
    cap_sub.drain()
    raw_out.send(pkt)
    got = cap_sub.wait(is_err(typ, code), 3)
    check(got, "%s: nothing reached the subscriber" % what)
    if got:
        log("%s: subscriber got %r" % (what, got))
    return got


def check_err(what, got, src, typ, code, inner_src, inner_sport, inner_dst, inner_dport,
              sent_inner, want_l4sum=None, want_mtu=None):
    """The outer packet and the embedded one as the subscriber must see them."""
    if not got:
        return
    check(got.src == src and got.dst == S, "%s: outer %s -> %s, expected %s -> %s"
          % (what, got.src, got.dst, src, S))
    check(got.ip_ok(), "%s: bad outer IP checksum" % what)
    check(got.l4_ok(), "%s: bad ICMP checksum %#x" % (what, got.l4sum))
    check((got.type, got.code) == (typ, code), "%s: type/code changed" % what)
    if want_mtu is not None:
        check(got.mtu == want_mtu, "%s: next-hop MTU %d, sent %d" % (what, got.mtu, want_mtu))
    i = got.inner
    if not check(i, "%s: no embedded packet" % what):
        return
    check(len(got.data) == len(sent_inner), "%s: embedded packet %d bytes, sent %d"
          % (what, len(got.data), len(sent_inner)))
    check(i.src == inner_src and i.dst == inner_dst, "%s: embedded %s -> %s, expected %s -> %s"
          % (what, i.src, i.dst, inner_src, inner_dst))
    if i.proto == PROTO_ICMP:
        check(i.icmp_id == inner_sport, "%s: embedded echo id %d, expected %d"
              % (what, i.icmp_id, inner_sport))
    else:
        check((i.sport, i.dport) == (inner_sport, inner_dport),
              "%s: embedded ports %d -> %d, expected %d -> %d"
              % (what, i.sport, i.dport, inner_sport, inner_dport))
    check(i.ip_ok(), "%s: bad embedded IP checksum %#x" % (what, i.ipsum))
    sent = Pkt(sent_inner)
    check((i.id, i.ttl, i.proto) == (sent.id, sent.ttl, sent.proto),
          "%s: embedded IP header changed beyond the address" % what)
    if want_l4sum is not None:
        check(i.l4sum == want_l4sum, "%s: embedded %s checksum %#x, expected %#x"
              % (what, {6: "TCP", 17: "UDP", 1: "ICMP"}[i.proto], i.l4sum, want_l4sum))
    if not i.truncated:
        check(i.l4_ok(), "%s: embedded transport checksum invalid for the inside addresses"
              % what)


def expect_dropped(what, pkt, counter):
    c = Counters(BOARD)
    cap_sub.drain()
    raw_out.send(pkt)
    leak = cap_sub.collect(lambda p: p.proto == PROTO_ICMP, 0.6)
    check(not leak, "%s: reached the subscriber: %s" % (what, leak))
    check(c.delta(counter) == 1, "%s: %s moved by %d, expected 1" % (what, counter,
                                                                    c.delta(counter)))
    check(c.delta("icmp_err_in") == 0, "%s: counted as translated" % what)


# --- a UDP flow ------------------------------------------------------------

srv = udp_sock(OUT, X, 5000)      # so the outside host's own stack stays quiet
us = udp_sock(SUB, S, 40000)
us.connect((X, 5000))
PAYLOAD = b"cgn-udp-flow-for-errors"
cap_out.drain()
us.send(PAYLOAD)
orig = cap_out.wait(lambda p: p.proto == PROTO_UDP and p.dport == 5000 and p.data == PAYLOAD)
need(orig, "the UDP flow did not get through")
E, P = orig.src, orig.sport
need(in_pool(E), "UDP flow leaves as %s, not a pool address" % E)
log("UDP flow %s:40000 -> %s:5000 leaves as %s:%d" % (S, X, E, P))

# What the outside host sent back an error about: the datagram as it left
# the board, with its UDP checksum computed in full (the capture may hold an
# offloaded, partial one). Inside, the embedded checksum must be the one of
# the same datagram between the inside addresses.
emb = ip_udp(E, X, P, 5000, PAYLOAD, ttl=orig.ttl, ident=orig.id, df=orig.df)
want_udp = struct.unpack("!H", udp(S, X, 40000, 5000, PAYLOAD)[6:8])[0]

c = Counters(BOARD)
what = "UDP port unreachable, whole datagram embedded"
got = deliver(what, ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, emb)), 3, 3)
check_err(what, got, X, 3, 3, S, 40000, X, 5000, emb, want_udp)
us.settimeout(1)
try:
    us.recv(100)
    check(False, "%s: the subscriber's socket saw no error" % what)
except ConnectionRefusedError:
    log("%s: the subscriber's connected socket got ECONNREFUSED" % what)
except socket.timeout:
    check(False, "%s: the subscriber's socket did not get ECONNREFUSED" % what)

what = "UDP time exceeded from a router, IP header + 8 bytes"
got = deliver(what, ip4(R, E, PROTO_ICMP, icmp(11, 0, 0, emb[:28])), 11, 0)
check_err(what, got, R, 11, 0, S, 40000, X, 5000, emb[:28], want_udp)

what = "UDP fragmentation needed, MTU 1400"
got = deliver(what, ip4(R, E, PROTO_ICMP, icmp(3, 4, 1400, emb)), 3, 4)
check_err(what, got, R, 3, 4, S, 40000, X, 5000, emb, want_udp, want_mtu=1400)
mtu = us.getsockopt(socket.IPPROTO_IP, IP_MTU)
check(mtu == 1400, "%s: the subscriber's path MTU is %d, not 1400" % (what, mtu))

zero = ip4(E, X, PROTO_UDP, udp(E, X, P, 5000, PAYLOAD, check=0), ttl=orig.ttl, ident=orig.id)
what = "UDP port unreachable about a datagram without checksum"
got = deliver(what, ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, zero)), 3, 3)
check_err(what, got, X, 3, 3, S, 40000, X, 5000, zero, 0)

# --- a TCP connection ------------------------------------------------------

lst = tcp_listen(OUT, X, 8080)
ts = tcp_sock(SUB, S, 41000)
cap_out.drain()
ts.connect((X, 8080))
conn, peer = lst.accept()
E2, PT = peer
need(in_pool(E2), "TCP connection arrives from %s, not a pool address" % E2)
log("TCP %s:41000 -> %s:8080 arrives from %s:%d" % (S, X, E2, PT))
ts.sendall(b"cgn")
need(conn.recv(10) == b"cgn", "no data over the TCP connection")

seg_payload = b"cgn-tcp-segment"
seg = dict(seq=1000, ack=2000, flags=PSH | ACK, win=502, payload=seg_payload)
emb_t = ip_tcp(E2, X, PT, 8080, tcpkw=seg, ttl=63, ident=0x5151, df=True)
want_tcp = struct.unpack("!H", tcp(S, X, 41000, 8080, **seg)[16:18])[0]

what = "TCP host unreachable, whole segment embedded"
got = deliver(what, ip4(X, E2, PROTO_ICMP, icmp(3, 1, 0, emb_t)), 3, 1)
check_err(what, got, X, 3, 1, S, 41000, X, 8080, emb_t, want_tcp)

what = "TCP time exceeded, IP header + 8 bytes of TCP"
got = deliver(what, ip4(R, E2, PROTO_ICMP, icmp(11, 0, 0, emb_t[:28])), 11, 0)
check_err(what, got, R, 11, 0, S, 41000, X, 8080, emb_t[:28])
if got and got.inner:
    check(len(got.inner.l4) == 8, "%s: embedded TCP part is %d bytes"
          % (what, len(got.inner.l4)))
    check(got.inner.seq == 1000, "%s: embedded sequence number changed" % what)

what = "TCP fragmentation needed, IP header + 20 bytes of TCP"
got = deliver(what, ip4(R, E2, PROTO_ICMP, icmp(3, 4, 1280, emb_t[:40])), 3, 4)
check_err(what, got, R, 3, 4, S, 41000, X, 8080, emb_t[:40], want_tcp, want_mtu=1280)

what = "TCP time exceeded, IP header + 16 bytes of TCP (no checksum field)"
got = deliver(what, ip4(R, E2, PROTO_ICMP, icmp(11, 0, 0, emb_t[:36])), 11, 0)
check_err(what, got, R, 11, 0, S, 41000, X, 8080, emb_t[:36])
if got and got.inner:
    check(got.inner.l4[8:16] == emb_t[28:36], "%s: TCP bytes 8-15 changed" % what)

# --- IP options, outer and embedded -----------------------------------------

NOPS = b"\x01\x01\x01\x00"
emb_opt = ip4(E, X, PROTO_UDP, udp(E, X, P, 5000, PAYLOAD), ttl=orig.ttl, ident=orig.id,
              opts=NOPS)
what = "UDP port unreachable, IP options outside and in the embedded header"
got = deliver(what, ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, emb_opt), opts=NOPS), 3, 3)
check_err(what, got, X, 3, 3, S, 40000, X, 5000, emb_opt, want_udp)
if got:
    check(got.ihl == 24 and got.inner and got.inner.ihl == 24, "%s: options lost" % what)

# --- an echo ---------------------------------------------------------------

cap_out.drain()
raw_sub.send(ip4(S, X, PROTO_ICMP, echo(8, 77, 1, b"cgn-ping"), ident=0x7777))
req = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 8 and p.data == b"cgn-ping")
need(req, "echo request did not get out")
emb_e = ip4(req.src, X, PROTO_ICMP, echo(8, req.icmp_id, 1, b"cgn-ping"), ttl=req.ttl,
            ident=req.id)
what = "time exceeded about an echo request"
got = deliver(what, ip4(R, req.src, PROTO_ICMP, icmp(11, 0, 0, emb_e)), 11, 0)
check_err(what, got, R, 11, 0, S, 77, X, 0, emb_e)
if got and got.inner:
    check(got.inner.l4_ok(), "%s: embedded echo checksum not updated" % what)

c.take()
check(c.delta("icmp_err_in") == 10, "icmp_err_in moved by %d, expected 10"
      % c.delta("icmp_err_in"))
check(c.delta("drop_bad_csum") == 0, "good errors counted as bad checksums")

# --- the board's own error to a subscriber ------------------------------------

log("traceroute's first hop: the board's time exceeded reaches the subscriber as it is")
c = Counters(BOARD)
ttl1 = ip_udp(S, X, 40003, 5000, b"cgn-first-hop", ttl=1, ident=0x7171)
raw_sub.send(ttl1)
got = cap_sub.wait(is_err(11, 0), 3)
check(got, "no time exceeded from the board")
want1 = Pkt(ttl1).l4sum
check_err("board's time exceeded", got, "10.0.0.1", 11, 0, S, 40003, X, 5000, ttl1, want1)
c.take()
check(c.delta("sessions_created") == 0, "a packet that died on the board created a session")

# --- errors that must be dropped -------------------------------------------

log("an error with a bad ICMP checksum is dropped")
good = icmp(3, 3, 0, emb)
bad = good[:2] + struct.pack("!H", struct.unpack("!H", good[2:4])[0] ^ 0x0f0f) + good[4:]
expect_dropped("bad ICMP checksum", ip4(X, E, PROTO_ICMP, bad), "drop_bad_csum")

log("an error whose embedded IP header has a bad checksum is dropped")
bad_emb = emb[:10] + struct.pack("!H", Pkt(emb).ipsum ^ 0x0f0f) + emb[12:]
expect_dropped("bad embedded IP checksum", ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, bad_emb)),
               "drop_bad_csum")

log("an error about a pool port without a mapping is dropped")
used = {s["ext_port"] for s in sessions(BOARD) if s["ext_addr"] == E}
Q = next(q for q in range(1024, 65536) if q not in used and q != P)
emb_q = ip_udp(E, X, Q, 5000, PAYLOAD, ttl=63)
expect_dropped("error about no mapping", ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, emb_q)),
               "drop_no_mapping")
U = "198.51.100.%d" % (9 if E != "198.51.100.9" else 10)
emb_o = ip_udp(U, X, P, 5000, PAYLOAD, ttl=63)
expect_dropped("error about an unused pool address",
               ip4(X, U, PROTO_ICMP, icmp(3, 3, 0, emb_o)), "drop_no_mapping")

log("an error about the mapping but a remote it never talked to is dropped")
emb_r = ip_udp(E, X, P, 5999, PAYLOAD, ttl=63)
expect_dropped("error about another remote", ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, emb_r)),
               "drop_filtered")

for s in (us, srv, ts, conn, lst):
    s.close()
finish("inbound ICMP errors")
