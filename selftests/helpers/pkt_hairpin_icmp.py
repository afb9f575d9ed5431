#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""hairpin_icmp.sh: an ICMP error between two subscribers via the hairpin."""
import socket
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_ICMP, PROTO_UDP, SUB, Cap, Counters, Pkt, Raw,  # noqa: E402
                     check, finish, in_pool, ip_udp, log, need, udp_sock)

A, B, X = "10.0.0.2", "10.0.0.3", "203.0.113.2"
cap_sub = Cap(SUB, "s0")
raw_sub = Raw(SUB)
srv = udp_sock(OUT, X, 5000)
ua = udp_sock(SUB, A, 40000)
ub = udp_sock(SUB, B, 40000)
ub.sendto(b"cgn-b-out", (X, 5000))
_, B_out = srv.recvfrom(100)
ua.sendto(b"cgn-a-out", (X, 5000))
_, A_out = srv.recvfrom(100)
need(in_pool(A_out[0]) and in_pool(B_out[0]), "mappings not from the pool")
log("A %s:40000 is %s:%d, B %s:40000 is %s:%d" % ((A,) + A_out + (B,) + B_out))
ub.close()  # B's port is closed from now on: its stack answers port unreachable

c = Counters(BOARD)
cap_sub.drain()
sent = ip_udp(A, B_out[0], 40000, B_out[1], b"cgn-to-closed-b", ident=0x4848)
raw_sub.send(sent)
hp = cap_sub.wait(lambda p: p.proto == PROTO_UDP and p.data == b"cgn-to-closed-b")
need(hp, "the hairpinned datagram did not reach B")
log("B's side got %r" % hp)
err = cap_sub.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3 and p.dst == A)
c.take()
log("counters: %s" % {k: c.delta(k) for k in ("hairpin", "icmp_err_in", "icmp_err_out",
                                               "drop_filtered", "drop_no_mapping")})
need(err, "B's port unreachable about A's hairpinned datagram never reached A "
     "(RFC 5508 section 7: hairpinned ICMP errors are translated like the flow)")
log("A got %r" % err)
check(err.src == B_out[0], "outer source %s, expected B's outside address %s"
      % (err.src, B_out[0]))
check(err.ip_ok() and err.l4_ok(), "outer checksums wrong")
i = err.inner
if check(i, "no embedded packet"):
    check((i.src, i.sport) == (A, 40000), "embedded source %s:%s, expected A's %s:40000"
          % (i.src, i.sport, A))
    check((i.dst, i.dport) == B_out, "embedded destination %s:%s, expected B's outside %s:%d"
          % ((i.dst, i.dport) + B_out))
    check(i.ip_ok(), "bad embedded IP checksum")
    check(i.l4sum == Pkt(sent).l4sum, "embedded UDP checksum %#x, A sent %#x"
          % (i.l4sum, Pkt(sent).l4sum))
ua.connect(B_out)
ua.send(b"cgn-to-closed-b-again")
ua.settimeout(2)
try:
    ua.recv(100)
    check(False, "A's socket got data from a closed port")
except ConnectionRefusedError:
    log("A's connected socket got ECONNREFUSED")
except socket.timeout:
    check(False, "A's connected socket did not get ECONNREFUSED")
finish("hairpinned ICMP error")
