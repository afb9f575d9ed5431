# SPDX-License-Identifier: GPL-2.0
"""Packet tools for the cgn selftests, without scapy (its import alone costs
~20 s under TCG): build and parse IPv4/UDP/TCP/ICMP with struct, compute and
check Internet checksums, capture what arrives on an interface, send raw IP
packets, and open sockets in any netns from one process (setns per socket:
a socket stays in the netns it was created in).

The netns names come from the environment (SUB, BOARD, OUT, set by
lib_pkt.sh); cgnctl is $CGNCTL. Checks print "[+] ..." while they go and
"FAIL: ..." for each failure; finish() exits 0 or 1.
"""
import ctypes
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_IP = 0x0800
PROTO_ICMP, PROTO_TCP, PROTO_UDP = 1, 6, 17
ICMP_ERRORS = (3, 4, 5, 11, 12)
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

SUB = os.environ.get("SUB", "")
BOARD = os.environ.get("BOARD", "")
OUT = os.environ.get("OUT", "")
CGNCTL = os.environ.get("CGNCTL", "cgnctl")

_libc = ctypes.CDLL(None, use_errno=True)
_home_ns = os.open("/proc/self/ns/net", os.O_RDONLY)


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "setns: " + os.strerror(e))


class netns:
    """with netns(NAME): sockets created inside belong to /run/netns/NAME."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            _setns(fd)
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        _setns(_home_ns)
        return False


# --- checks ---------------------------------------------------------------

_failures = []


def log(msg):
    print("[+] " + msg, flush=True)


def check(cond, msg):
    """Record a failure and go on; returns cond."""
    if not cond:
        print("FAIL: " + msg, flush=True)
        _failures.append(msg)
    return cond


def need(cond, msg):
    """A failure that makes the rest pointless: stop here."""
    if not cond:
        print("FAIL: " + msg, flush=True)
        sys.exit(1)
    return cond


def finish(what):
    if _failures:
        print("%d check(s) failed" % len(_failures), flush=True)
        sys.exit(1)
    print("[+] all checks passed: " + what, flush=True)
    sys.exit(0)


# --- cgnctl ---------------------------------------------------------------

def cgn(board, *args):
    r = subprocess.run([CGNCTL, "-n", board] + [str(a) for a in args],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("cgnctl %s: %s%s" % (" ".join(map(str, args)), r.stdout, r.stderr))
    return r.stdout


def stats(board, inst="cgn1"):
    js = json.loads(cgn(board, "-j", "stats", inst))
    return js[0] if js else {}


def sessions(board, *filters, inst="cgn1"):
    return json.loads(cgn(board, "-j", "session", "show", inst, *filters))


class Counters:
    """Stats deltas: c = Counters(BOARD); ...; c.delta("drop_bad_csum")."""

    def __init__(self, board, inst="cgn1"):
        self.board, self.inst = board, inst
        self.before = stats(board, inst)
        self.after = None

    def take(self):
        self.after = stats(self.board, self.inst)
        return self

    def delta(self, key):
        if self.after is None:
            self.take()
        return self.after.get(key, 0) - self.before.get(key, 0)


def nsexec(ns, *argv, check_rc=True):
    r = subprocess.run(["ip", "netns", "exec", ns] + list(argv), capture_output=True, text=True)
    if check_rc and r.returncode:
        raise RuntimeError("%s: %s%s" % (" ".join(argv), r.stdout, r.stderr))
    return r.stdout


# --- checksums and headers ------------------------------------------------

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def aton(a):
    return socket.inet_aton(a)


def pseudo(src, dst, proto, length):
    return aton(src) + aton(dst) + struct.pack("!BBH", 0, proto, length)


def ip4(src, dst, proto, payload, ttl=64, ident=None, df=False, mf=False,
        frag=0, tos=0, check=None, tot_len=None, opts=b""):
    """An IPv4 header + payload; frag: offset in bytes; opts: a multiple
    of 4 bytes of options."""
    if ident is None:
        ident = random.randint(1, 0xffff)
    fo = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag // 8)
    hl = 20 + len(opts)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, tos, tot_len or hl + len(payload), ident,
                    fo, ttl, proto, 0, aton(src), aton(dst)) + opts
    if check is None:
        check = csum(h)
    return h[:10] + struct.pack("!H", check) + h[12:] + payload


def udp(src, dst, sport, dport, payload=b"", check=None):
    h = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    if check is None:
        check = csum(pseudo(src, dst, PROTO_UDP, 8 + len(payload)) + h + payload) or 0xffff
    return h[:6] + struct.pack("!H", check) + payload


def tcp(src, dst, sport, dport, seq=0, ack=0, flags=SYN, win=65535, opts=b"",
        payload=b"", check=None):
    doff = (20 + len(opts)) // 4
    h = struct.pack("!HHIIHHHH", sport, dport, seq, ack, (doff << 12) | flags, win, 0, 0) + opts
    if check is None:
        check = csum(pseudo(src, dst, PROTO_TCP, len(h) + len(payload)) + h + payload)
    return h[:16] + struct.pack("!H", check) + h[18:] + payload


def icmp(typ, code, rest=b"\0\0\0\0", payload=b"", check=None):
    if isinstance(rest, int):
        rest = struct.pack("!I", rest)
    h = struct.pack("!BBH", typ, code, 0) + rest
    if check is None:
        check = csum(h + payload)
    return h[:2] + struct.pack("!H", check) + h[4:] + payload


def echo(typ, ident, seq, payload=b""):
    return icmp(typ, 0, struct.pack("!HH", ident, seq), payload)


def ip_udp(src, dst, sport, dport, payload=b"", **kw):
    return ip4(src, dst, PROTO_UDP, udp(src, dst, sport, dport, payload), **kw)


def ip_tcp(src, dst, sport, dport, tcpkw=None, **kw):
    return ip4(src, dst, PROTO_TCP, tcp(src, dst, sport, dport, **(tcpkw or {})), **kw)


def fragments(pkt, size):
    """Cut a whole IPv4 packet (no options) into fragments of <= size bytes."""
    p = Pkt(pkt)
    body = pkt[p.ihl:p.tot_len]
    step = (size - p.ihl) // 8 * 8
    out = []
    for off in range(0, len(body), step):
        chunk = body[off:off + step]
        out.append(ip4(p.src, p.dst, p.proto, chunk, ttl=p.ttl, ident=p.id, df=False,
                       mf=off + step < len(body), frag=off, tos=p.tos))
    return out


def with_l4_csum(pkt):
    """The same IPv4 packet with its UDP/TCP checksum computed in full
    (a captured packet may carry a partial, offloaded one)."""
    p = Pkt(pkt)
    l4 = bytearray(p.l4)
    if p.proto == PROTO_UDP:
        l4[6:8] = b"\0\0"
        c = csum(pseudo(p.src, p.dst, PROTO_UDP, len(l4)) + bytes(l4)) or 0xffff
        l4[6:8] = struct.pack("!H", c)
    elif p.proto == PROTO_TCP:
        l4[16:18] = b"\0\0"
        c = csum(pseudo(p.src, p.dst, PROTO_TCP, len(l4)) + bytes(l4))
        l4[16:18] = struct.pack("!H", c)
    return pkt[:p.ihl] + bytes(l4)


class Pkt:
    """A parsed IPv4 packet; tolerant of truncation (embedded packets)."""

    def __init__(self, raw):
        self.raw = bytes(raw)
        if len(raw) < 20:
            raise ValueError("short IPv4 packet (%d bytes)" % len(raw))
        self.version = raw[0] >> 4
        self.ihl = (raw[0] & 15) * 4
        (self.tos, self.tot_len, self.id, fo, self.ttl, self.proto,
         self.ipsum) = struct.unpack("!BHHHBBH", raw[1:12])
        self.df = bool(fo & 0x4000)
        self.mf = bool(fo & 0x2000)
        self.frag = (fo & 0x1fff) * 8
        self.src = socket.inet_ntoa(raw[12:16])
        self.dst = socket.inet_ntoa(raw[16:20])
        end = min(len(raw), self.tot_len) if self.tot_len >= self.ihl else len(raw)
        self.l4 = self.raw[self.ihl:end]
        self.truncated = len(raw) < self.tot_len
        self.sport = self.dport = None
        self.inner = None
        self.l4sum = None
        self.data = b""
        if self.frag:
            return  # no transport header in a later fragment
        l4 = self.l4
        if self.proto in (PROTO_UDP, PROTO_TCP) and len(l4) >= 4:
            self.sport, self.dport = struct.unpack("!HH", l4[:4])
        if self.proto == PROTO_UDP and len(l4) >= 8:
            self.ulen, self.l4sum = struct.unpack("!HH", l4[4:8])
            self.data = l4[8:self.ulen]
        elif self.proto == PROTO_TCP and len(l4) >= 8:
            self.seq = struct.unpack("!I", l4[4:8])[0]
            if len(l4) >= 14:
                self.ack = struct.unpack("!I", l4[8:12])[0]
                off_flags = struct.unpack("!H", l4[12:14])[0]
                self.doff = (off_flags >> 12) * 4
                self.flags = off_flags & 0x1ff
                self.data = l4[self.doff:]
            if len(l4) >= 18:
                self.l4sum = struct.unpack("!H", l4[16:18])[0]
        elif self.proto == PROTO_ICMP and len(l4) >= 4:
            self.type, self.code, self.l4sum = struct.unpack("!BBH", l4[:4])
            if len(l4) >= 8:
                self.icmp_id, self.icmp_seq = struct.unpack("!HH", l4[4:8])
                self.mtu = self.icmp_seq
            self.data = l4[8:]
            if self.type in ICMP_ERRORS and len(self.data) >= 20:
                self.inner = Pkt(self.data)

    def ip_ok(self):
        return csum(self.raw[:self.ihl]) == 0

    def l4_ok(self):
        """Transport checksum valid (needs the whole segment; a zero UDP
        checksum counts as valid)."""
        if self.proto == PROTO_ICMP:
            return csum(self.l4) == 0
        if self.truncated:
            return None
        if self.proto == PROTO_UDP and self.l4sum == 0:
            return True
        return csum(pseudo(self.src, self.dst, self.proto, len(self.l4)) + self.l4) == 0

    def __repr__(self):
        s = "%s > %s proto %d len %d id %#x ttl %d" % (self.src, self.dst, self.proto,
                                                       self.tot_len, self.id, self.ttl)
        if self.frag or self.mf:
            s += " frag %d%s" % (self.frag, " MF" if self.mf else "")
        if self.sport is not None:
            s += " ports %d > %d" % (self.sport, self.dport)
        if self.proto == PROTO_TCP and hasattr(self, "flags"):
            s += " flags %#x" % self.flags
        if self.proto == PROTO_ICMP and hasattr(self, "type"):
            s += " icmp %d/%d" % (self.type, self.code)
            if hasattr(self, "icmp_id") and self.type in (0, 8):
                s += " id %d seq %d" % (self.icmp_id, self.icmp_seq)
            if self.inner:
                s += " [%r]" % self.inner
        return s


# --- capture and raw send -------------------------------------------------

class Cap:
    """IPv4 packets arriving on one interface of a netns (AF_PACKET, bound
    to ETH_P_IP: incoming only, before the IP layer or netfilter)."""

    def __init__(self, ns, ifname):
        with netns(ns):
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            self.s.bind((ifname, ETH_P_IP))
        self.s.setblocking(False)
        self.where = "%s %s" % (ns.split("-")[0], ifname)
        self.seen = []

    def _read(self, timeout):
        r, _, _ = select.select([self.s], [], [], max(timeout, 0))
        if not r:
            return None
        data = self.s.recv(262144)
        try:
            p = Pkt(data)
        except ValueError:
            return None
        self.seen.append(p)
        return p

    def drain(self):
        """Forget what arrived so far."""
        while self._read(0) is not None:
            pass
        self.seen = []

    def wait(self, pred, timeout=3.0):
        """The first packet (from now on) matching pred, or None."""
        end = time.time() + timeout
        while True:
            p = self._read(end - time.time())
            if p is None:
                if time.time() >= end:
                    return None
                continue
            try:
                if pred(p):
                    return p
            except AttributeError:
                pass

    def collect(self, pred, timeout=1.0):
        """Every packet matching pred within timeout."""
        got = []
        end = time.time() + timeout
        while time.time() < end:
            p = self._read(end - time.time())
            if p is None:
                continue
            try:
                if pred(p):
                    got.append(p)
            except AttributeError:
                pass
        return got


class Raw:
    """Send whole IPv4 packets from a netns (IPPROTO_RAW: the kernel keeps
    the header as given but fills in its checksum and length)."""

    def __init__(self, ns):
        with netns(ns):
            self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)

    def send(self, *pkts):
        for pkt in pkts:
            self.s.sendto(pkt, (socket.inet_ntoa(pkt[16:20]), 0))


# --- sockets --------------------------------------------------------------

def udp_sock(ns, addr="0.0.0.0", port=0, timeout=2.0):
    with netns(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.settimeout(timeout)
    return s


def tcp_sock(ns, addr=None, port=0, timeout=5.0):
    with netns(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if addr is not None:
        s.bind((addr, port))
    s.settimeout(timeout)
    return s


def tcp_listen(ns, addr, port, timeout=5.0):
    s = tcp_sock(ns, addr, port, timeout)
    s.listen(8)
    return s


def recv_from(s, timeout=2.0):
    """(data, peer) or (None, None) on timeout."""
    s.settimeout(timeout)
    try:
        return s.recvfrom(65535)
    except socket.timeout:
        return None, None


def recv_all(s, timeout=20.0):
    s.settimeout(timeout)
    buf = []
    while True:
        d = s.recv(65536)
        if not d:
            return b"".join(buf)
        buf.append(d)


def in_pool(addr, prefix="198.51.100.", lo=0, hi=15):
    return addr.startswith(prefix) and lo <= int(addr.rsplit(".", 1)[1]) <= hi
