#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tcp_open.sh: simultaneous open and unsolicited SYNs."""
import errno
import select
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (ACK, BOARD, OUT, PROTO_ICMP, PROTO_TCP, SUB, SYN, Cap,  # noqa: E402
                     Counters, check, finish, in_pool, log, need, sessions, tcp_sock)

S, X = "10.0.0.2", "203.0.113.2"
cap_out, cap_sub = Cap(OUT, "o0"), Cap(SUB, "s0")

log("simultaneous open: %s:41000 and %s:42000 both send a SYN" % (S, X))
a = tcp_sock(SUB, S, 41000)
a.setblocking(False)
cap_out.drain()
rc = a.connect_ex((X, 42000))
need(rc == errno.EINPROGRESS, "connect from inside: %s" % errno.errorcode.get(rc, rc))
syn = cap_out.wait(lambda p: p.proto == PROTO_TCP and p.dport == 42000 and p.flags & SYN)
need(syn, "the subscriber's SYN did not get out")
E, P = syn.src, syn.sport
need(in_pool(E), "SYN leaves from %s, not a pool address" % E)
log("the subscriber's SYN left as %s:%d (the outside host ignored it)" % (E, P))

cap_sub.drain()
o = tcp_sock(OUT, X, 42000)
o.setblocking(False)
rc = o.connect_ex((E, P))
need(rc == errno.EINPROGRESS, "connect from outside: %s" % errno.errorcode.get(rc, rc))
pending = {a: "inside", o: "outside"}
end = time.time() + 10
while pending and time.time() < end:
    _, w, _ = select.select([], list(pending), [], 0.5)
    for s in w:
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        check(err == 0, "%s end: connect failed: %s" % (pending[s], errno.errorcode.get(err, err)))
        del pending[s]
need(not pending, "simultaneous open did not complete: %s still connecting"
     % ", ".join(pending.values()))
# both ends really sent a SYN: the subscriber got a plain one from X:42000
# and answered it with a SYN-ACK (its side of a simultaneous open)
cap_sub.collect(lambda p: False, 0.1)  # take in what arrived
insyn = [p for p in cap_sub.seen if p.proto == PROTO_TCP and p.sport == 42000
         and p.flags & (SYN | ACK) == SYN]
check(insyn and (insyn[0].src, insyn[0].dst, insyn[0].dport) == (X, S, 41000),
      "the subscriber did not get the outside host's SYN as %s:42000 -> %s:41000: %s"
      % (X, S, insyn))
cap_out.collect(lambda p: False, 0.1)
synack = [p for p in cap_out.seen if p.proto == PROTO_TCP and p.sport == P
          and p.flags & (SYN | ACK) == SYN | ACK]
check(synack and synack[0].src == E, "no SYN-ACK from %s:%d outside: %s" % (E, P, synack))
a.setblocking(True)
o.setblocking(True)
a.settimeout(5)
o.settimeout(5)
check(o.getpeername() == (E, P), "outside end connected to %s:%d" % o.getpeername())
check(a.getpeername() == (X, 42000), "inside end connected to %s:%d" % a.getpeername())
a.sendall(b"cgn-from-inside")
check(o.recv(100) == b"cgn-from-inside", "data inside -> outside lost")
o.sendall(b"cgn-from-outside")
check(a.recv(100) == b"cgn-from-outside", "data outside -> inside lost")
js = [x for x in sessions(BOARD, "proto", "tcp") if x["in_port"] == 41000]
check(len(js) == 1 and js[0]["rem_port"] == 42000 and js[0]["ext_port"] == P
      and js[0]["state"] == "established", "session after simultaneous open: %s" % js)
a.close()
o.close()

log("unsolicited SYNs from outside to pool addresses get no answer")
used = {x["ext_port"] for x in sessions(BOARD) if x["ext_addr"] == E}
Q = next(q for q in range(2000, 65536) if q not in used)
U = "198.51.100.%d" % (9 if E != "198.51.100.9" else 10)
c = Counters(BOARD)
cap_out.drain()
cap_sub.drain()
probes = []
for dst in ((E, Q), (U, 80)):
    s = tcp_sock(OUT, X, 0)
    s.setblocking(False)
    s.connect_ex(dst)
    probes.append((s, dst))
# RFC 5382 REQ-4: no answer for at least 6 s; a RST would show at once
time.sleep(2.0)
for s, dst in probes:
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    _, w, _ = select.select([], [s], [], 0)
    check(not w and err == 0, "the SYN to %s:%d got an answer: %s"
          % (dst + (errno.errorcode.get(err, "connected" if w else err),)))
ports = {s.getsockname()[1] for s, _ in probes}
cap_out.collect(lambda p: False, 0.1)  # take in what arrived
back = [p for p in cap_out.seen if p.proto == PROTO_ICMP
        or (p.proto == PROTO_TCP and p.dport in ports)]
check(not back, "the board answered unsolicited SYNs: %s" % back)
cap_sub.collect(lambda p: False, 0.1)
leak = [p for p in cap_sub.seen if p.proto == PROTO_TCP and p.flags & SYN]
check(not leak, "unsolicited SYNs reached the subscriber: %s" % leak)
check(c.delta("drop_no_mapping") >= 2, "drop_no_mapping moved by %d"
      % c.delta("drop_no_mapping"))
for s, _ in probes:
    s.close()
finish("TCP open")
