# SPDX-License-Identifier: GPL-2.0
"""DS-Lite checks through real B4s (dslite_path.sh): a TCP transfer both
ways whose packets toward the B4 need outer fragments, a smaller tunnel-mtu,
an ICMP error back through the softwire, a TTL expiring at the AFTR
(ICMP from 192.0.0.1; from outside: time exceeded to the sender),
hairpinning between two B4s, a third B4 over its port block limit, and
malformed softwire packets.

argv: BOARD OUT B4A B4B B4C SUB (a NAT44 subscriber, 10.0.0.2)
"""
import hashlib
import socket
import struct
import sys
import threading

from pkt_lib import (Counters, cgn, check, finish, log, need, netns, recv_from,
                     tcp_listen, tcp_sock, udp_sock)

BOARD, OUT, B4A, B4B, B4C, SUB = sys.argv[1:7]
AFTR = "2001:db8:ffff::1"
HOST = "192.168.1.10"
ETH_P_ALL = 0x0003


def outer_frags(ns, ifname):
    """A capture of IPv6 fragments (next header 44) on ifname."""
    with netns(ns):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def count_frags(s):
    """(IPv6 fragments seen, their traffic classes, the largest's length)"""
    n, tc, big = 0, set(), 0
    while True:
        try:
            f = s.recv(65535)
        except BlockingIOError:
            return n, tc, big
        if len(f) > 54 and f[12:14] == b"\x86\xdd" and f[20] == 44:
            n += 1
            tc.add((struct.unpack("!I", f[14:18])[0] >> 20) & 0xff)
            big = max(big, len(f) - 14)


def tcp_transfer():
    log("TCP: 300 kB down to the B4's host and 100 kB up, payload intact")
    down = bytes(range(256)) * 1200
    up = hashlib.sha256(b"up").digest() * 3200
    srv = tcp_listen(OUT, "203.0.113.2", 6000, timeout=30)
    got = {}

    def serve():
        c, peer = srv.accept()
        c.settimeout(30)
        got["peer"] = peer
        c.sendall(down)
        buf = b""
        while len(buf) < len(up):
            d = c.recv(65536)
            if not d:
                break
            buf += d
        got["up"] = buf
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    c = tcp_sock(B4A, timeout=30)
    c.connect(("203.0.113.2", 6000))
    buf = b""
    while len(buf) < len(down):
        d = c.recv(65536)
        if not d:
            break
        buf += d
    c.sendall(up)
    t.join(40)
    c.close()
    check(buf == down, "download intact (%d of %d bytes)" % (len(buf), len(down)))
    check(got.get("up") == up, "upload intact")
    check(got.get("peer", ("",))[0].startswith("198.51.100."),
          "server saw a pool address: %s" % (got.get("peer"),))


def oversize():
    log("1500-byte IPv4 with DF toward the B4: outer fragments, intact")
    srv = udp_sock(OUT, "203.0.113.2", 5300)
    srv.setsockopt(socket.IPPROTO_IP, 10, 2)	# IP_MTU_DISCOVER: DO (DF)
    srv.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x28)
    srv.setsockopt(socket.IPPROTO_IP, 13, 1)	# IP_RECVTOS
    s = udp_sock(B4A, HOST, 41500)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0xb8)
    s.sendto(b"big?", ("203.0.113.2", 5300))
    srv.settimeout(2)
    _, anc, _, peer = srv.recvmsg(100, 64)
    tos = [d[0] for lvl, typ, d in anc if lvl == socket.IPPROTO_IP and typ == 1]
    check(tos == [0xb8], "DSCP of the B4's host kept through the softwire: %s" % tos)
    cap = outer_frags(BOARD, "b1")
    big = hashlib.sha256(b"big").digest() * 46	# 1472 bytes: 1500 inner
    c = Counters(BOARD)
    srv.sendto(big, peer)
    data, _ = recv_from(s)
    check(data == big, "1472-byte payload intact (%s bytes)" % (len(data) if data else None))
    n, tc, _ = count_frags(cap)
    check(n >= 2, "outer IPv6 fragments toward the B4 seen (%d)" % n)
    check(tc == {0x28}, "outer traffic class from the inner DSCP: %s" % tc)
    check(c.delta("encap") == 1, "encapsulated once")


def b4_flow(out_port, b4_port):
    """A UDP flow from B4 a's host to the outside: (outside socket, B4 host
    socket, the flow's pool endpoint as the outside sees it)."""
    srv = udp_sock(OUT, "203.0.113.2", out_port)
    s = udp_sock(B4A, HOST, b4_port)
    s.sendto(b"map", ("203.0.113.2", out_port))
    srv.settimeout(2)
    _, peer = srv.recvfrom(100)
    return srv, s, peer


def tunnel_mtu():
    log("tunnel-mtu 1280: a 1348-byte IPv6 packet toward the B4 leaves in fragments of <= 1280")
    srv, s, peer = b4_flow(5301, 41501)
    payload = hashlib.sha256(b"mtu").digest() * 40	# 1280: inner 1308, outer 1348
    for mtu, frags in ((1500, False), (1280, True)):
        cgn(BOARD, "instance", "set", "cgn1", "tunnel-mtu", mtu)
        cap = outer_frags(BOARD, "b1")
        srv.sendto(payload, peer)
        data, _ = recv_from(s)
        check(data == payload, "tunnel-mtu %d: payload intact (%s bytes)"
              % (mtu, len(data) if data else None))
        n, _, big = count_frags(cap)
        if frags:
            check(n >= 2 and big <= 1280,
                  "tunnel-mtu %d: %d outer fragments, the largest %d bytes" % (mtu, n, big))
        else:
            check(n == 0, "tunnel-mtu %d: not fragmented (%d fragments)" % (mtu, n))
    cgn(BOARD, "instance", "set", "cgn1", "tunnel-mtu", 1500)


def icmp_error():
    log("ICMP port unreachable from outside reaches the B4's host")
    c = Counters(BOARD)
    s = udp_sock(B4A, HOST, 41000)
    s.connect(("203.0.113.2", 9))
    s.send(b"x")
    try:
        s.recv(100)
        refused = False
    except ConnectionRefusedError:
        refused = True
    except socket.timeout:
        refused = False
    check(refused, "connected UDP socket got ECONNREFUSED")
    check(c.delta("icmp_err_in") >= 1 and c.delta("encap") >= 1,
          "icmp_err_in and encap counted")


def ttl_expired():
    log("TTL 1 expires at the AFTR: time exceeded from 192.0.0.1")
    with netns(B4A):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.settimeout(3)
    s = udp_sock(B4A, HOST, 41001)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
    c = Counters(BOARD)
    s.sendto(b"ttl", ("203.0.113.2", 5000))
    seen = False
    try:
        while not seen:
            d, peer = r.recvfrom(2048)
            seen = peer[0] == "192.0.0.1" and d[20] == 11
    except socket.timeout:
        pass
    check(seen, "ICMP time exceeded from 192.0.0.1")
    check(c.delta("drop_ttl") >= 1 and c.delta("icmp_aftr_sent") >= 1,
          "drop_ttl and icmp_aftr_sent counted")


def ttl_expired_in():
    log("TTL 1 from outside toward a B4's host: time exceeded to the sender, quoting the pool endpoint")
    srv, s, peer = b4_flow(5001, 41002)
    with netns(OUT):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.settimeout(3)
    srv.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
    c = Counters(BOARD)
    srv.sendto(b"ttl", peer)
    quote = None
    try:
        while quote is None:
            d, src = r.recvfrom(2048)
            if d[20] == 11 and src[0] == "203.0.113.1":
                q = d[28:]
                quote = (socket.inet_ntoa(q[16:20]), struct.unpack("!H", q[22:24])[0])
    except socket.timeout:
        pass
    check(quote == peer, "time exceeded from the board quotes %s (sent to %s)" % (quote, peer))
    s.settimeout(0.5)
    try:
        got = s.recv(100)
    except socket.timeout:
        got = None
    check(got is None, "nothing reached the B4's host")
    check(c.delta("drop_ttl") == 1 and c.delta("encap") == 0,
          "drop_ttl counted, nothing encapsulated")
    srv.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 64)


def hairpin(peer_ns=B4B, peer_addr=HOST, port=5100):
    log("hairpin: B4 a's host reaches %s through its pool address" % peer_ns)
    echo = udp_sock(OUT, "203.0.113.2", port)
    b = udp_sock(peer_ns, peer_addr, 7000)
    b.sendto(b"hello", ("203.0.113.2", port))
    _, bpeer = recv_from(echo)
    need(bpeer, "B4 b's packet reached outside")
    a = udp_sock(B4A, HOST, 7001)
    c = Counters(BOARD)
    a.sendto(b"hairpin", bpeer)
    data, apeer = recv_from(b)
    check(data == b"hairpin", "the peer got the hairpinned packet")
    check(apeer and apeer[0].startswith("198.51.100."),
          "it came from B4 a's pool address: %s" % (apeer,))
    if apeer:
        b.sendto(b"back", apeer)
        data, _ = recv_from(a)
        check(data == b"back", "the answer went back to B4 a")
    a.close()
    check(c.delta("hairpin") >= 2, "hairpin counted")


def port_limit():
    log("B4 c: one block of 16 ports; the 17th flow is refused")
    srv = udp_sock(OUT, "203.0.113.2", 5200)
    with netns(B4C):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.settimeout(3)
    socks = [udp_sock(B4C, HOST, 42000 + i) for i in range(17)]
    seen = set()
    for s in socks[:16]:
        s.sendto(b"p", ("203.0.113.2", 5200))
        _, peer = recv_from(srv)
        if peer:
            seen.add(peer)
    check(len(seen) == 16, "16 flows through 16 ports (%d)" % len(seen))
    c = Counters(BOARD)
    socks[16].sendto(b"p", ("203.0.113.2", 5200))
    _, peer = recv_from(srv, 1.0)
    check(peer is None, "the 17th flow got through: %s" % (peer,))
    check(c.delta("drop_no_ports") == 1, "drop_no_ports counted")
    unreach = False
    try:
        while not unreach:
            d, p = r.recvfrom(2048)
            unreach = p[0] == "192.0.0.1" and d[20] == 3 and d[21] == 1
    except socket.timeout:
        pass
    check(unreach, "host unreachable from 192.0.0.1")


def ip4hdr(tot, proto=17, ver=4):
    h = struct.pack("!BBHHHBBH4s4s", ver << 4 | 5, 0, tot, 0, 0, 64, proto, 0,
                    socket.inet_aton(HOST), socket.inet_aton("203.0.113.2"))
    c = sum(struct.unpack("!10H", h))
    c = (c & 0xffff) + (c >> 16)
    c = (c & 0xffff) + (c >> 16)
    return h[:10] + struct.pack("!H", ~c & 0xffff) + h[12:]


def malformed():
    log("malformed softwire packets: dropped and counted, no crash")
    with netns(B4A):
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)

    def send(nexthdr, payload):
        h = struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 64,
                        socket.inet_pton(socket.AF_INET6, "2001:db8:1::2"),
                        socket.inet_pton(socket.AF_INET6, AFTR))
        s.sendto(h + payload, (AFTR, 0))

    udp = struct.pack("!HHHH", 1000, 9, 8, 0)
    c = Counters(BOARD)
    send(4, ip4hdr(28)[:10])			# truncated inner header
    send(4, ip4hdr(28, ver=6)[:20] + udp)	# not IPv4 inside
    send(4, ip4hdr(200) + udp)			# inner length lies
    c.take()
    check(c.delta("drop_tunnel") == 3, "drop_tunnel counted 3 (%d)" % c.delta("drop_tunnel"))
    c = Counters(BOARD)
    send(17, udp)				# not a softwire: untouched
    c.take()
    check(c.delta("drop_tunnel") == 0 and c.delta("decap") == 0,
          "UDP to the AFTR address left alone")


def main():
    tcp_transfer()
    oversize()
    tunnel_mtu()
    icmp_error()
    ttl_expired()
    ttl_expired_in()
    hairpin()
    hairpin(SUB, "10.0.0.2", 5101)
    port_limit()
    malformed()
    finish("DS-Lite TCP with outer fragments, ICMP, TTL, hairpin, malformed")


main()
