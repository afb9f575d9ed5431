#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""hairpin.sh: two subscribers reach each other through their mappings."""
import os
import socket
import sys
import threading

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_TCP, PROTO_UDP, SUB, SYN, Cap, Counters, Raw,  # noqa: E402
                     cgn, check, finish, in_pool, ip_tcp, ip_udp, log, need, recv_all,
                     recv_from, sessions, tcp_listen, tcp_sock, udp_sock)

A, B, X = "10.0.0.2", "10.0.0.3", "203.0.113.2"
cap_sub, cap_out = Cap(SUB, "s0"), Cap(OUT, "o0")
raw_sub = Raw(SUB)

srv = udp_sock(OUT, X, 5000)
ua = udp_sock(SUB, A, 40000)
ub = udp_sock(SUB, B, 40000)

ub.sendto(b"cgn-b-out", (X, 5000))
_, B_out = srv.recvfrom(100)
ua.sendto(b"cgn-a-out", (X, 5000))
_, A_out = srv.recvfrom(100)
need(in_pool(A_out[0]) and in_pool(B_out[0]), "mappings %s %s not from the pool" % (A_out, B_out))
log("A %s:40000 is %s:%d outside, B %s:40000 is %s:%d" % ((A,) + A_out + (B,) + B_out))

c = Counters(BOARD)
log("A sends to B's outside endpoint")
ua.sendto(b"cgn-hairpin-1", B_out)
data, peer = recv_from(ub)
need(data == b"cgn-hairpin-1", "B did not get A's hairpinned datagram (got %r)" % data)
check(peer == A_out, "B sees the datagram from %s:%d, expected A's outside %s:%d"
      % (peer + A_out))
log("B replies to %s:%d" % peer)
ub.sendto(b"cgn-hairpin-reply", peer)
data, peer2 = recv_from(ua)
need(data == b"cgn-hairpin-reply", "A did not get B's reply (got %r)" % data)
check(peer2 == B_out, "A sees the reply from %s:%d, expected B's outside %s:%d"
      % (peer2 + B_out))
check(c.delta("hairpin") >= 2, "hairpin counter moved by %d" % c.delta("hairpin"))

log("on the wire: a hairpinned datagram with full checksums")
cap_sub.drain()
raw_sub.send(ip_udp(A, B_out[0], 40000, B_out[1], b"cgn-wire-check", ident=0x3333))
got = cap_sub.wait(lambda p: p.proto == PROTO_UDP and p.data == b"cgn-wire-check")
if check(got, "the crafted hairpin datagram did not come back"):
    log("B's side got %r" % got)
    check((got.src, got.sport) == A_out and (got.dst, got.dport) == (B, 40000),
          "hairpinned %s:%d -> %s:%d" % (got.src, got.sport, got.dst, got.dport))
    check(got.ip_ok(), "bad IP checksum after the hairpin")
    check(got.l4_ok(), "bad UDP checksum after the hairpin %#x" % got.l4sum)
    data, _ = recv_from(ub, 1)
    check(data == b"cgn-wire-check", "B's socket did not accept the crafted datagram")
check(not cap_out.collect(lambda p: p.proto == PROTO_UDP and p.dport == B_out[1], 0.2),
      "the hairpinned datagram leaked to the outside")

log("TCP: B listens on 7000 and has a mapping for it")
lst = tcp_listen(SUB, B, 7000)
cap_out.drain()
# a SYN from B:7000 out, the outside refuses it: the mapping stays
raw_sub.send(ip_tcp(B, X, 7000, 8081, tcpkw=dict(seq=1, flags=SYN)))
syn = cap_out.wait(lambda p: p.proto == PROTO_TCP and p.dport == 8081)
need(syn, "B's SYN did not get out")
BT = (syn.src, syn.sport)
log("B %s:7000 is %s:%d outside for TCP" % ((B,) + BT))

blob = os.urandom(96 * 1024)
result = {}


def serve():
    try:
        conn, peer = lst.accept()
        result["peer"] = peer
        got = recv_all(conn)
        result["got"] = got
        conn.sendall(got[::-1])
        conn.close()
    except OSError as e:
        result["err"] = e


t = threading.Thread(target=serve)
t.start()
ta = tcp_sock(SUB, A, 41000)
try:
    ta.connect(BT)
    ta.sendall(blob)
    ta.shutdown(socket.SHUT_WR)
    back = recv_all(ta)
except OSError as e:
    back = None
    check(False, "TCP through the hairpin failed: %s" % e)
t.join(30)
check(result.get("got") == blob, "B got %d bytes, A sent %d (intact: %s)"
      % (len(result.get("got") or b""), len(blob), result.get("got") == blob))
check(back == blob[::-1], "A got %d bytes back, not B's answer" % len(back or b""))
peer = result.get("peer")
js = sessions(BOARD, "proto", "tcp", "user", A)
amap = [(s["ext_addr"], s["ext_port"]) for s in js if s["in_port"] == 41000]
check(peer and amap and peer == amap[0], "B saw the connection from %s, A's TCP mapping is %s"
      % (peer, amap))
ta.close()

log("hairpin off: the datagram is dropped and counted")
cgn(BOARD, "instance", "set", "cgn1", "hairpin", "off")
c = Counters(BOARD)
ua.sendto(b"cgn-hairpin-off", B_out)
data, _ = recv_from(ub, 0.6)
check(data is None, "B still got a hairpinned datagram with hairpin off: %r" % data)
check(c.delta("drop_filtered") >= 1, "drop_filtered moved by %d" % c.delta("drop_filtered"))
check(c.delta("hairpin") == 0, "hairpin counted with hairpin off")
tb = tcp_sock(SUB, A, 41001, timeout=1.0)
try:
    tb.connect(BT)
    check(False, "a TCP connection got through the hairpin with hairpin off")
except (socket.timeout, OSError):
    pass

log("hairpin on again")
cgn(BOARD, "instance", "set", "cgn1", "hairpin", "on")
ua.sendto(b"cgn-hairpin-on", B_out)
data, peer = recv_from(ub)
check(data == b"cgn-hairpin-on" and peer == A_out, "hairpin on again: B got %r from %s"
      % (data, peer))
finish("hairpinning")
