#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""coexist_nft.sh: the NAT under a stateful nftables forward chain."""
import json
import os
import shutil
import sys
import threading

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pkt_lib import (BOARD, OUT, PROTO_ICMP, SUB, Cap, Counters, Raw, check, finish,  # noqa: E402
                     icmp, in_pool, ip4, ip_udp, log, need, nsexec, recv_all, recv_from,
                     tcp_listen, tcp_sock, udp_sock)

S, X = "10.0.0.2", "203.0.113.2"
cap_sub = Cap(SUB, "s0")
raw_out = Raw(OUT)
c = Counters(BOARD)


def nft_counters():
    js = json.loads(nsexec(BOARD, "nft", "-j", "list", "counters"))
    return {o["counter"]["name"]: o["counter"]["packets"]
            for o in js["nftables"] if "counter" in o}


log("UDP %s:40000 <-> %s:5000 through the firewall" % (S, X))
srv = udp_sock(OUT, X, 5000)
us = udp_sock(SUB, S, 40000)
for i in range(3):
    us.sendto(b"cgn-fw-%d" % i, (X, 5000))
    data, peer = recv_from(srv)
    need(data == b"cgn-fw-%d" % i, "UDP datagram %d did not get out" % i)
    srv.sendto(data + b"-back", peer)
    data, _ = recv_from(us)
    need(data == b"cgn-fw-%d-back" % i, "UDP answer %d did not get in" % i)
E, P = peer
check(in_pool(E), "the server saw %s:%d, not a pool address" % peer)

log("an ICMP error about the flow gets in as related")
emb = ip_udp(E, X, P, 5000, b"cgn-fw-2", ttl=63)
cap_sub.drain()
raw_out.send(ip4(X, E, PROTO_ICMP, icmp(3, 3, 0, emb)))
got = cap_sub.wait(lambda p: p.proto == PROTO_ICMP and p.type == 3)
if check(got, "the port unreachable about the flow did not reach the subscriber"):
    check(got.inner and (got.inner.src, got.inner.sport) == (S, 40000),
          "embedded source %r" % got.inner)

log("TCP %s:41000 -> %s:8080, 256 KiB each way" % (S, X))
lst = tcp_listen(OUT, X, 8080)
blob = os.urandom(256 * 1024)
res = {}


def serve():
    conn, peer = lst.accept()
    res["peer"] = peer
    d = recv_all(conn)
    res["ok"] = d == blob
    conn.sendall(d[::-1])
    conn.close()


t = threading.Thread(target=serve)
t.start()
ts = tcp_sock(SUB, S, 41000, timeout=30)
ts.connect((X, 8080))
ts.sendall(blob)
ts.shutdown(1)
back = recv_all(ts, 60)
t.join(30)
check(res.get("ok"), "upload corrupted through the firewall")
check(back == blob[::-1], "download corrupted through the firewall (%d bytes)" % len(back))
check(res.get("peer") and in_pool(res["peer"][0]), "TCP peer %s" % (res.get("peer"),))

log("a new flow from outside to the mapping is the firewall's to refuse")
n0 = nft_counters()
other = udp_sock(OUT, X, 5001)
other.sendto(b"cgn-fw-new-inbound", (E, P))
data, _ = recv_from(us, 1.0)
check(data is None, "a new inbound flow got through a firewall that refuses them")
n1 = nft_counters()
check(n1["fw_dropped"] - n0["fw_dropped"] == 1, "fw_dropped moved by %d"
      % (n1["fw_dropped"] - n0["fw_dropped"]))

n = nft_counters()
print(n)
for k in ("fwd_out_inside", "fwd_in_inside", "ct_inside", "fw_est", "pre_in_inside",
          "post_out_inside"):
    check(n[k] > 0, "counter %s did not move: the firewall did not see inside addresses" % k)
check(n["fw_new_inside"] >= 2, "fw_new_inside is %d, expected >= 2 (UDP, TCP)"
      % n["fw_new_inside"])
for k in ("fwd_pool", "ct_pool", "pre_pool", "post_pool"):
    check(n[k] == 0, "counter %s is %d: a hook or conntrack saw a pool address" % (k, n[k]))

if shutil.which("conntrack"):
    ct = nsexec(BOARD, "conntrack", "-L")
    print(ct)
    check("src=10.0.0.2 dst=203.0.113.2 sport=40000 dport=5000 src=203.0.113.2 dst=10.0.0.2 "
          "sport=5000 dport=40000" in ct, "conntrack -L does not show the UDP flow inside")
    check("198.51.100." not in ct, "conntrack -L shows a pool address")
else:
    log("conntrack(8) not installed (Debian package: conntrack): conntrack's tuples "
        "checked through nft 'ct original/reply' counters only")

c.take()
check(c.delta("pkts_out") >= 4 and c.delta("pkts_in") >= 4, "module counters did not move")
finish("nftables and conntrack coexistence")
