#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""coexist_board_addr.sh: the board's own traffic from its inside address."""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_ICMP, Cap, Counters, Raw, check, echo,  # noqa: E402
                     finish, ip4, ip_udp, log, recv_from, sessions, udp_sock)

X, BI = "203.0.113.2", "10.0.0.1"
cap_out = Cap(OUT, "o0")
c = Counters(BOARD)

log("outside -> board %s:5353 and the board's answer" % BI)
svc = udp_sock(BOARD, BI, 5353)
cl = udp_sock(OUT, X, 5001)
cl.sendto(b"cgn-to-board", (BI, 5353))
data, peer = recv_from(svc)
check(data == b"cgn-to-board" and peer == (X, 5001), "the board got %r from %s" % (data, peer))
svc.sendto(b"cgn-board-answer", (X, 5001))
data, frm = recv_from(cl)
check(frm == (BI, 5353), "the answer came from %s, not the board's %s:5353" % (frm, BI))

log("the board sends from %s to the outside" % BI)
srv = udp_sock(OUT, X, 5000)
svc.sendto(b"cgn-from-board", (X, 5000))
data, peer = recv_from(srv)
check(peer == (BI, 5353), "the outside saw the board's datagram from %s" % (peer,))

log("the outside pings %s" % BI)
cap_out.drain()
Raw(OUT).send(ip4(X, BI, PROTO_ICMP, echo(8, 99, 1, b"cgn-ping-board")))
rep = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 0, 2)
check(rep and (rep.src, rep.icmp_id) == (BI, 99), "echo reply: %r" % rep)

log("a datagram from outside to a closed port of %s gets port unreachable" % BI)
cap_out.drain()
Raw(OUT).send(ip_udp(X, BI, 5002, 5999, b"cgn-to-board-closed"))
err = cap_out.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3, 2)
check(err and err.src == BI and err.inner and (err.inner.dst, err.inner.dport) == (BI, 5999),
      "port unreachable from the board's inside address: %r" % err)

c.take()
js = sessions(BOARD)
check(js == [], "the board's own traffic made sessions: %s" % js)
for k in ("users", "sessions_created", "pkts_out", "drop_malformed"):
    check(c.delta(k) == 0, "%s moved by %d" % (k, c.delta(k)))
finish("board's inside address")
