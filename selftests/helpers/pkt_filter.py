#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""filter.sh: who may send to a mapping under each filtering mode."""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, SUB, Counters, cgn, check, finish, in_pool, log,  # noqa: E402
                     need, recv_from, sessions, udp_sock)

S, X, Y = "10.0.0.2", "203.0.113.2", "203.0.113.3"
remote = {(a, p): udp_sock(OUT, a, p) for a in (X, Y) for p in (5000, 5001, 5002, 6000)}


def mapping(sport):
    """A fresh mapping: the subscriber sends from sport to X:5000."""
    s = udp_sock(SUB, S, sport)
    s.sendto(b"cgn-open", (X, 5000))
    _, ext = remote[(X, 5000)].recvfrom(100)
    need(in_pool(ext[0]), "mapping %s:%d not from the pool" % ext)
    log("%s:%d is %s:%d outside" % ((S, sport) + ext))
    return s, ext


def probe(s, ext, frm, allowed, mode):
    c = Counters(BOARD)
    msg = b"cgn-from-%s:%d" % (frm[0].encode(), frm[1])
    remote[frm].sendto(msg, ext)
    data, peer = recv_from(s, 2.0 if allowed else 0.6)
    if allowed:
        check(data == msg and peer == frm, "%s: a datagram from %s:%d did not reach the "
              "subscriber (got %r from %s)" % ((mode,) + frm + (data, peer)))
        check(c.delta("drop_filtered") == 0, "%s: drop_filtered moved for %s:%d"
              % ((mode,) + frm))
    else:
        check(data is None, "%s: a datagram from %s:%d reached the subscriber"
              % ((mode,) + frm))
        check(c.delta("drop_filtered") == 1, "%s: drop_filtered moved by %d for %s:%d"
              % ((mode, c.delta("drop_filtered")) + frm))
        check(c.delta("pkts_in") == 0, "%s: refused datagram counted as translated" % mode)


def remotes(sport):
    return sorted("%s:%d" % (x["rem_addr"], x["rem_port"])
                  for x in sessions(BOARD, "proto", "udp", "user", S) if x["in_port"] == sport)


log("EIF (default): any remote reaches the mapping")
s, ext = mapping(40000)
probe(s, ext, (X, 5000), True, "eif")
probe(s, ext, (X, 5001), True, "eif")
probe(s, ext, (Y, 6000), True, "eif")

log("ADF: the same address from another port reaches, another address does not")
cgn(BOARD, "instance", "set", "cgn1", "filtering", "adf")
s, ext = mapping(40100)
probe(s, ext, (X, 5000), True, "adf")
probe(s, ext, (X, 5001), True, "adf")
probe(s, ext, (Y, 5000), False, "adf")
probe(s, ext, (Y, 6000), False, "adf")
r = remotes(40100)
check(r == ["%s:5000" % X, "%s:5001" % X], "adf: sessions %s" % r)
s.sendto(b"cgn-open-y", (Y, 6000))
remote[(Y, 6000)].recvfrom(100)
probe(s, ext, (Y, 5002), True, "adf after sending to Y")

log("APDF: only the exact remote endpoints reach")
cgn(BOARD, "instance", "set", "cgn1", "filtering", "apdf")
s, ext = mapping(40200)
probe(s, ext, (X, 5000), True, "apdf")
probe(s, ext, (X, 5001), False, "apdf")
probe(s, ext, (Y, 5000), False, "apdf")
r = remotes(40200)
check(r == ["%s:5000" % X], "apdf: sessions %s" % r)
s.sendto(b"cgn-open-x5001", (X, 5001))
remote[(X, 5001)].recvfrom(100)
probe(s, ext, (X, 5001), True, "apdf after sending to X:5001")
probe(s, ext, (X, 5002), False, "apdf")

log("back to EIF: the APDF mapping accepts new remotes again")
cgn(BOARD, "instance", "set", "cgn1", "filtering", "eif")
probe(s, ext, (Y, 6000), True, "eif again")
finish("filtering")
