#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""coexist_untouched.sh: traffic that is not the module's passes as it is."""
import sys
import threading

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_ICMP, SUB, Cap, Counters, Raw, check, echo,  # noqa: E402
                     finish, in_pool, ip4, ip_udp, log, need, recv_all, recv_from, sessions,
                     tcp_listen, tcp_sock, udp_sock)

S, X, B_OUT, B_IN, N = "10.0.0.2", "203.0.113.2", "203.0.113.1", "10.0.0.1", "172.16.0.2"
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")
raw_out, raw_sub = Raw(OUT), Raw(SUB)
c = Counters(BOARD)


def udp_roundtrip(what, ns_c, caddr, cport, ns_s, saddr, sport):
    """Client -> server -> client; both must see each other's real endpoints."""
    srv = udp_sock(ns_s, saddr, sport)
    cl = udp_sock(ns_c, caddr, cport)
    cl.sendto(b"cgn-untouched", (saddr, sport))
    data, peer = recv_from(srv)
    if not check(data == b"cgn-untouched", "%s: nothing arrived" % what):
        return
    check(peer == (caddr, cport), "%s: the server saw %s:%d, expected %s:%d"
          % ((what,) + peer + (caddr, cport)))
    srv.sendto(b"cgn-untouched-back", peer)
    data, frm = recv_from(cl)
    check(data == b"cgn-untouched-back" and frm == (saddr, sport),
          "%s: the answer came as %r from %s" % (what, data, frm))
    srv.close()
    cl.close()


def ping(what, raw, cap, src, dst, ident):
    cap.drain()
    raw.send(ip4(src, dst, PROTO_ICMP, echo(8, ident, 1, b"cgn-untouched-ping")))
    rep = cap.wait(lambda p: p.proto == PROTO_ICMP and p.type == 0
                   and p.data == b"cgn-untouched-ping")
    if check(rep, "%s: no echo reply" % what):
        check((rep.src, rep.dst, rep.icmp_id) == (dst, src, ident),
              "%s: reply %s -> %s id %d, expected %s -> %s id %d"
              % (what, rep.src, rep.dst, rep.icmp_id, dst, src, ident))
        check(rep.l4_ok(), "%s: bad ICMP checksum" % what)


log("outside host <-> board's outside address")
udp_roundtrip("UDP outside -> board", OUT, X, 5555, BOARD, B_OUT, 5300)
ping("ping outside -> board", raw_out, cap_out, X, B_OUT, 77)
udp_roundtrip("UDP board -> outside", BOARD, B_OUT, 5301, OUT, X, 5000)

log("ICMP errors between the outside host and the board pass as they are")
b = udp_sock(BOARD, B_OUT, 5302)
b.connect((X, 5999))  # nothing listens there
b.send(b"cgn-to-closed")
b.settimeout(2)
try:
    b.recv(100)
    check(False, "the board's socket got data from a closed port")
except ConnectionRefusedError:
    pass
except OSError as e:
    check(False, "the board's socket did not get ECONNREFUSED from the outside: %s" % e)
cap_out.drain()
raw_out.send(ip_udp(X, B_OUT, 5556, 5999, b"cgn-to-board-closed"))
err = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3)
if check(err, "the board's port unreachable did not reach the outside"):
    check(err.src == B_OUT and err.inner and (err.inner.dst, err.inner.dport) == (B_OUT, 5999),
          "the board's port unreachable changed: %r" % err)

log("subscriber <-> board's inside address")
udp_roundtrip("UDP subscriber -> board", SUB, S, 40000, BOARD, B_IN, 5300)
ping("ping subscriber -> board", raw_sub, cap_sub, S, B_IN, 78)
ping("ping subscriber -> board's outside address", raw_sub, cap_sub, S, B_OUT, 79)

log("routed traffic from %s, not an inside prefix" % N)
udp_roundtrip("UDP routed from 172.16.0.2", SUB, N, 40001, OUT, X, 5001)
udp_roundtrip("UDP routed to 172.16.0.2", OUT, X, 5002, SUB, N, 40002)
ping("ping routed from 172.16.0.2", raw_sub, cap_sub, N, X, 80)
cap_out.drain()
raw_out.send(ip_udp(X, N, 5557, 40009, b"cgn-ttl-1-routed", ttl=1))
err = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 11)
if check(err, "no time exceeded for a routed datagram with TTL 1"):
    check(err.src == B_OUT and err.l4_ok() and err.inner
          and (err.inner.src, err.inner.dst, err.inner.dport) == (X, N, 40009),
          "the board's time exceeded about routed traffic changed: %r" % err)
lst = tcp_listen(OUT, X, 8080)
got = {}


def serve():
    conn, peer = lst.accept()
    got["peer"] = peer
    conn.sendall(recv_all(conn))
    conn.close()


t = threading.Thread(target=serve)
t.start()
cl = tcp_sock(SUB, N, 41000)
cl.connect((X, 8080))
cl.sendall(b"cgn-routed-tcp" * 1000)
cl.shutdown(1)
back = recv_all(cl)
t.join(10)
check(got.get("peer") == (N, 41000), "TCP routed: the server saw %s" % (got.get("peer"),))
check(back == b"cgn-routed-tcp" * 1000, "TCP routed: echo corrupted")

c.take()
js = sessions(BOARD)
check(js == [], "sessions created for traffic that is not the module's: %s" % js)
for k in ("sessions_created", "pkts_out", "pkts_in", "drop_no_mapping", "drop_malformed"):
    check(c.delta(k) == 0, "%s moved by %d" % (k, c.delta(k)))

log("a subscriber's flow is still translated")
srv = udp_sock(OUT, X, 5003)
cl = udp_sock(SUB, S, 40003)
cl.sendto(b"cgn-translated", (X, 5003))
data, peer = recv_from(srv)
need(data == b"cgn-translated", "the subscriber's datagram did not arrive")
check(in_pool(peer[0]), "the subscriber's datagram was not translated: %s:%d" % peer)
check(len(sessions(BOARD)) == 1, "expected exactly one session now")
finish("untouched traffic")
