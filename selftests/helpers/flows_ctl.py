#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Long-lived flow driver for the cgn pool/limit/hold selftests.

One process per test script (a python start costs seconds under TCG),
started in the subscriber's netns and reaching others with "in NETNS": it
reads one command per line from the FIFO IN and answers each with exactly
one line on the FIFO OUT ("ERR ..." on failure). Plain sockets only.

  flows_ctl.py IN OUT

Address lists: "10.0.0.2", "10.0.0.10-10.0.0.40", "a,b,c"; port lists:
"40000", "40000-40099", "500,501". Results land in a namespace that "py"
and "wait" expressions can read.

  in NETNS CMD...           run CMD in /run/netns/NETNS: its sockets (servers
                            included) live there, the others stay here
  serve udp|tcp PORT        echo server: UDP replies "ADDR:PORT TOKEN" (what it
                            saw); TCP sends "ADDR:PORT\\n", then waits for EOF
                            and closes (a clean close, FIN both ways)
  udp VAR SRCS SPORTS DST DPORT [TIMEOUT]
                            one datagram from each SRC:SPORT (sockets kept
                            open, bound on first use), in order; VAR becomes
                            {"src:sport": seen or None}; answer "OK N"
  sendto SPORT DST DPORT    one datagram from a fresh socket bound to SPORT
  pending VAR SRC SPORT     datagrams queued on a udp socket, read now
  tcp VAR SRC SPORT DST DPORT close|rst|open [TIMEOUT]
                            connect, read what the server saw, then close
                            cleanly, abort with a RST, or keep it open
  icmp                      start collecting ICMP (raw socket) into "icmp"
  stream NAME SRCS SPORTS DST DPORT INTERVAL
                            background sender: one datagram per socket every
                            INTERVAL s; streams[NAME][key] = {sent, ok, last,
                            seen}; "stop NAME" ends it
  set VAR STRING            namespace variable
  cgn VAR BOARD ARGS...     VAR = JSON of "cgnctl -j -n BOARD ARGS"
  py EXPR                   evaluate, answer str(value)
  let VAR EXPR              VAR = value of EXPR
  wait SECS EXPR            poll EXPR every 0.1 s: "OK ELAPSED" or "ERR timeout"
  quit
Namespace helpers: cgnj(board, *args), now(), port(seen), addr(seen),
fresh(stream, t) (every flow answered since t), okcount(stream),
ipn(a) (address as int), keys(VAR), group(udp result) ({src: [seen...]}).
"""
import ctypes
import ipaddress
import json
import os
import resource
import select
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

CGNCTL = os.environ.get("CGNCTL", "cgnctl")
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    """Move the calling thread to the network namespace open as FD."""
    if _libc.setns(fd, CLONE_NEWNET):
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def addrs_of(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = (int(ipaddress.IPv4Address(x)) for x in part.split("-"))
            out += [str(ipaddress.IPv4Address(i)) for i in range(lo, hi + 1)]
        else:
            out.append(part)
    return out


def ports_of(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = (int(x) for x in part.split("-"))
            out += list(range(lo, hi + 1))
        else:
            out.append(int(part))
    return out


def group(res):
    """{"src:sport": seen} -> {src: [seen, ...]} in flow order."""
    out = {}
    for k, v in res.items():
        out.setdefault(k.rsplit(":", 1)[0], []).append(v)
    return out


def log(msg):
    sys.stderr.write("[+] %s\n" % msg)
    sys.stderr.flush()


def cgnj(board, *args):
    r = subprocess.run([CGNCTL, "-j", "-n", board] + list(args),
                       capture_output=True, text=True, timeout=60)
    if r.returncode:
        raise RuntimeError("cgnctl %s: %s" % (" ".join(args), r.stderr.strip()))
    return json.loads(r.stdout) if r.stdout.strip() else []


class Ctl:
    def __init__(self):
        self.socks = {}         # "src:sport" -> bound UDP socket
        self.tcp_open = {}
        self.icmp = []
        self.streams = {}
        self.stop = {}
        self.token = 0
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.ns = {
            "ctl": self, "icmp": self.icmp, "streams": self.streams,
            "cgnj": cgnj, "now": time.time, "json": json, "time": time,
            "port": lambda s: int(s.rsplit(":", 1)[1]),
            "addr": lambda s: s.rsplit(":", 1)[0],
            "ipn": lambda a: int(ipaddress.IPv4Address(a)),
            "keys": lambda v: list(v.keys()),
            "group": group,
            "fresh": self.fresh,
            "okcount": lambda n: sum(v["ok"] for v in self.streams[n].values()),
        }

    # servers -------------------------------------------------------------
    def serve_udp(self, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind(("0.0.0.0", port))

        def loop():
            while True:
                data, peer = s.recvfrom(2048)
                try:
                    s.sendto(b"%s:%d %s" % (peer[0].encode(), peer[1], data), peer)
                except OSError:
                    pass
        threading.Thread(target=loop, daemon=True).start()

    def serve_tcp(self, port):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("0.0.0.0", port))
        ls.listen(64)

        def conn(c, peer):
            try:
                c.settimeout(60)
                c.sendall(b"%s:%d\n" % (peer[0].encode(), peer[1]))
                while c.recv(4096):
                    pass
            except OSError:
                pass
            c.close()

        def loop():
            while True:
                c, peer = ls.accept()
                threading.Thread(target=conn, args=(c, peer), daemon=True).start()
        threading.Thread(target=loop, daemon=True).start()

    # UDP flows -----------------------------------------------------------
    def sock(self, src, sport):
        key = "%s:%d" % (src, sport)
        s = self.socks.get(key)
        if s is None:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setblocking(False)
            s.bind((src, sport))
            self.socks[key] = s
        return key, s

    @staticmethod
    def drain(s):
        got = []
        while True:
            try:
                got.append(s.recv(2048).decode(errors="replace"))
            except (BlockingIOError, InterruptedError):
                return got

    def udp(self, var, srcs, sports, dst, dport, timeout="2"):
        pairs = [(a, p) for a in addrs_of(srcs) for p in ports_of(sports)]
        want = {}
        res = {}
        for a, p in pairs:
            key, s = self.sock(a, p)
            self.drain(s)
            self.token += 1
            tok = "t%d" % self.token
            want[s.fileno()] = (key, s, tok)
            res[key] = None
            s.sendto(tok.encode(), (dst, int(dport)))
        end = time.time() + float(timeout)
        poll = select.poll()
        for fd in want:
            poll.register(fd, select.POLLIN)
        while want and time.time() < end:
            for fd, _ in poll.poll(max(0, end - time.time()) * 1000):
                if fd not in want:
                    continue
                key, s, tok = want[fd]
                for msg in self.drain(s):
                    seen, _, t = msg.partition(" ")
                    if t == tok:
                        res[key] = seen
                        want.pop(fd, None)
                        poll.unregister(fd)
        self.ns[var] = res
        return "OK %d" % sum(1 for v in res.values() if v)

    def sendto(self, sport, dst, dport):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(sport)))
        s.sendto(b"unsolicited", (dst, int(dport)))
        s.close()
        return "OK"

    def pending(self, var, src, sport):
        _, s = self.sock(src, int(sport))
        time.sleep(0.2)
        self.ns[var] = self.drain(s)
        return "OK %d" % len(self.ns[var])

    # TCP -------------------------------------------------------------------
    def tcp(self, var, src, sport, dst, dport, mode, timeout="3"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(float(timeout))
        seen = None
        try:
            s.bind((src, int(sport)))
            s.connect((dst, int(dport)))
            buf = b""
            while not buf.endswith(b"\n"):
                d = s.recv(100)
                if not d:
                    break
                buf += d
            seen = buf.decode().strip() or None
            if mode == "close":
                s.shutdown(socket.SHUT_WR)
                while s.recv(4096):
                    pass
                s.close()
            elif mode == "rst":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
                s.close()
            else:
                self.tcp_open["%s:%s" % (src, sport)] = s
        except OSError as e:
            log("tcp %s:%s -> %s:%s: %s" % (src, sport, dst, dport, e))
            s.close()
        self.ns[var] = seen
        return seen or "-"

    # ICMP ------------------------------------------------------------------
    def icmp_start(self):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)

        def loop():
            while True:
                pkt = r.recv(4096)
                ihl = (pkt[0] & 15) * 4
                t, c = pkt[ihl], pkt[ihl + 1]
                e = {"time": time.time(), "type": t, "code": c,
                     "src": socket.inet_ntoa(pkt[12:16])}
                inner = pkt[ihl + 8:]
                if t in (3, 11, 12) and len(inner) >= 20:
                    iihl = (inner[0] & 15) * 4
                    e["inner_proto"] = inner[9]
                    e["inner_src"] = socket.inet_ntoa(inner[12:16])
                    e["inner_dst"] = socket.inet_ntoa(inner[16:20])
                    if len(inner) >= iihl + 4:
                        e["inner_sport"], e["inner_dport"] = \
                            struct.unpack("!HH", inner[iihl:iihl + 4])
                self.icmp.append(e)
        threading.Thread(target=loop, daemon=True).start()
        return "OK"

    # background streams ----------------------------------------------------
    def fresh(self, name, t):
        """Has every flow of stream NAME had a reply since time T?"""
        return all(v["last"] > t for v in self.streams[name].values())

    def stream(self, name, srcs, sports, dst, dport, interval):
        st = {}
        socks = []
        for a in addrs_of(srcs):
            for p in ports_of(sports):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setblocking(False)
                s.bind((a, p))
                key = "%s:%d" % (a, p)
                st[key] = {"sent": 0, "ok": 0, "last": 0.0, "seen": None}
                socks.append((key, s))
        self.streams[name] = st
        stop = threading.Event()
        self.stop[name] = stop
        by_fd = {s.fileno(): (k, s) for k, s in socks}
        dest = (dst, int(dport))
        interval = float(interval)

        poll = select.poll()
        for fd in by_fd:
            poll.register(fd, select.POLLIN)

        def loop():
            while not stop.is_set():
                for k, s in socks:
                    try:
                        s.sendto(b"s", dest)
                        st[k]["sent"] += 1
                    except OSError:
                        pass
                end = time.time() + interval
                while True:
                    left = end - time.time()
                    for fd, _ in poll.poll(max(0, left) * 1000):
                        k, s = by_fd[fd]
                        for msg in self.drain(s):
                            st[k]["ok"] += 1
                            st[k]["last"] = time.time()
                            st[k]["seen"] = msg.partition(" ")[0]
                    if left <= 0:
                        break
            for _, s in socks:
                s.close()
        threading.Thread(target=loop, daemon=True).start()
        return "OK %d" % len(socks)

    # the command loop --------------------------------------------------------
    def handle(self, line):
        cmd, _, rest = line.partition(" ")
        a = rest.split()
        if cmd == "in":
            # sockets keep the netns they were made in: one process serves
            # (or sends from) several namespaces
            fd = os.open("/run/netns/" + a[0], os.O_RDONLY)
            try:
                setns(fd)
                return self.handle(rest.partition(" ")[2])
            finally:
                setns(self.home)
                os.close(fd)
        if cmd == "serve":
            (self.serve_udp if a[0] == "udp" else self.serve_tcp)(int(a[1]))
            return "OK"
        if cmd == "udp":
            return self.udp(*a)
        if cmd == "sendto":
            return self.sendto(*a)
        if cmd == "pending":
            return self.pending(*a)
        if cmd == "tcp":
            return self.tcp(*a)
        if cmd == "icmp":
            return self.icmp_start()
        if cmd == "stream":
            return self.stream(*a)
        if cmd == "stop":
            self.stop[a[0]].set()
            return "OK"
        if cmd == "set":
            self.ns[a[0]] = rest.partition(" ")[2]
            return "OK"
        if cmd == "cgn":
            log("%s: cgnctl -j %s" % (a[1], " ".join(a[2:])))
            self.ns[a[0]] = cgnj(a[1], *a[2:])
            return "OK"
        if cmd == "py":
            return str(eval(rest, self.ns))
        if cmd == "let":
            var, _, expr = rest.partition(" ")
            self.ns[var] = eval(expr, self.ns)
            return "OK"
        if cmd == "wait":
            secs, _, expr = rest.partition(" ")
            start = time.time()
            while True:
                if eval(expr, self.ns):
                    return "OK %.1f" % (time.time() - start)
                if time.time() - start > float(secs):
                    return "ERR timeout after %ss: %s" % (secs, expr)
                time.sleep(0.1)
        raise ValueError("unknown command %r" % cmd)


def main(argv):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    fin = open(argv[0], "r")
    fout = open(argv[1], "w")
    ctl = Ctl()
    fout.write("ready\n")
    fout.flush()
    for line in fin:
        line = line.strip()
        if line == "quit":
            break
        try:
            reply = ctl.handle(line)
        except Exception as e:  # reported to the script, which fails
            traceback.print_exc()
            reply = "ERR %s: %s" % (type(e).__name__, e)
        fout.write(reply.replace("\n", "\\n") + "\n")
        fout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
