#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Flow driver for the failover selftests: flows_ctl.py (same FIFO protocol,
same commands, "in NETNS" included) plus long-lived flows whose data is
checked end to end while boards fail and switch over.

  failover_ctl.py IN OUT

  echo PORT                 TCP line echo server; echo_conns lists one
                            {peer, lines, closed} per accepted connection
                            (peer: the address the server saw at accept)
  tcpflow NAME SRC SPORT DST DPORT INTERVAL
                            connect, then send "NAME N" every INTERVAL s and
                            check each echo, in order; flows[NAME] = {sent,
                            ok, bad, error, last, max_gap}
  ustream NAME SRC SPORT DST DPORT PPS
                            numbered UDP datagrams to a "serve udp" server;
                            udps[NAME] = {sent, got (set of numbers), seen
                            (set of ADDR:PORT the server saw), last, max_gap,
                            gap_at}
  stopall                   stop every tcpflow and ustream
Namespace helpers: lost(name) (datagrams unanswered, those of the last
second excepted), gap(name) (longest silence, s), tcp_ok() (every tcpflow
without error or mismatch), fresh_all(t) (every flow answered since t),
sess_keys(list) (session keys of a "session show" result), safe(fn)
(fn(), False if it raises), lostspan(name, t0) (unanswered datagrams sent
after t0: count, first and last send time after t0).
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flows_ctl import Ctl, main as flows_main  # noqa: E402
import flows_ctl  # noqa: E402


class FailoverCtl(Ctl):
    def __init__(self):
        super().__init__()
        self.flows = {}
        self.udps = {}
        self.echo_conns = []
        self.halt = threading.Event()
        self.ns.update({
            "flows": self.flows, "udps": self.udps,
            "echo_conns": self.echo_conns,
            "lost": self.lost, "gap": self.gap, "tcp_ok": self.tcp_ok,
            "fresh_all": self.fresh_all, "sess_keys": self.sess_keys,
            "lostspan": self.lostspan, "safe": self.safe,
        })

    def echo(self, port):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("0.0.0.0", int(port)))
        ls.listen(64)

        def conn(c, peer):
            rec = {"peer": "%s:%d" % peer, "lines": 0, "closed": None}
            self.echo_conns.append(rec)
            buf = b""
            try:
                while True:
                    d = c.recv(4096)
                    if not d:
                        rec["closed"] = "eof"
                        break
                    buf += d
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        c.sendall(line + b"\n")
                        rec["lines"] += 1
            except OSError as e:
                rec["closed"] = str(e)
            c.close()

        def loop():
            while True:
                c, peer = ls.accept()
                threading.Thread(target=conn, args=(c, peer), daemon=True).start()
        threading.Thread(target=loop, daemon=True).start()
        return "OK"

    def tcpflow(self, name, src, sport, dst, dport, interval):
        st = {"sent": 0, "ok": 0, "bad": 0, "error": None, "last": time.time(),
              "max_gap": 0.0}
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((src, int(sport)))
        s.settimeout(5)
        s.connect((dst, int(dport)))
        s.settimeout(None)
        self.flows[name] = st
        interval = float(interval)

        def reader():
            buf = b""
            want = 0
            while not self.halt.is_set():
                try:
                    d = s.recv(4096)
                except OSError as e:
                    if not self.halt.is_set():
                        st["error"] = str(e)
                    return
                if not d:
                    if not self.halt.is_set():
                        st["error"] = "closed by the server"
                    return
                buf += d
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if line != b"%s %d" % (name.encode(), want):
                        st["bad"] += 1
                    want += 1
                    t = time.time()
                    st["max_gap"] = max(st["max_gap"], t - st["last"])
                    st["last"] = t
                    st["ok"] += 1

        def writer():
            while not self.halt.is_set():
                try:
                    s.sendall(b"%s %d\n" % (name.encode(), st["sent"]))
                    st["sent"] += 1
                except OSError as e:
                    st["error"] = str(e)
                    return
                time.sleep(interval)
            s.close()
        threading.Thread(target=reader, daemon=True).start()
        threading.Thread(target=writer, daemon=True).start()
        return "OK"

    def ustream(self, name, src, sport, dst, dport, pps):
        st = {"sent": 0, "got": set(), "seen": set(), "last": time.time(),
              "max_gap": 0.0, "gap_at": 0.0, "times": {}}
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, int(sport)))
        s.settimeout(0.5)
        dest = (dst, int(dport))
        self.udps[name] = st
        period = 1.0 / float(pps)

        def reader():
            while not self.halt.is_set():
                try:
                    msg = s.recv(2048).decode(errors="replace")
                except socket.timeout:
                    continue
                except OSError:
                    continue
                seen, _, tok = msg.partition(" ")
                if not tok.startswith("u"):
                    continue
                n = int(tok[1:])
                t = time.time()
                if t - st["last"] > st["max_gap"]:
                    st["max_gap"] = t - st["last"]
                    st["gap_at"] = st["last"]
                st["last"] = t
                st["got"].add(n)
                st["seen"].add(seen)

        def writer():
            nxt = time.time()
            while not self.halt.is_set():
                try:
                    s.sendto(b"u%d" % st["sent"], dest)
                except OSError:
                    pass
                st["times"][st["sent"]] = time.time()
                st["sent"] += 1
                nxt += period
                time.sleep(max(0, nxt - time.time()))
        threading.Thread(target=reader, daemon=True).start()
        threading.Thread(target=writer, daemon=True).start()
        return "OK"

    def lost(self, name):
        st = self.udps[name]
        cut = time.time() - 1.0
        return sum(1 for n, t in list(st["times"].items())
                   if t < cut and n not in st["got"])

    def lostspan(self, name, t0):
        """(lost, first, last): datagrams sent after T0 and never answered,
        and when the first and the last of them were sent (s after T0)."""
        st = self.udps[name]
        cut = time.time() - 1.0
        ts = sorted(t for n, t in list(st["times"].items())
                    if t0 <= t < cut and n not in st["got"])
        return (len(ts), round(ts[0] - t0, 3), round(ts[-1] - t0, 3)) if ts else (0, 0, 0)

    @staticmethod
    def safe(fn):
        """fn(), or False if it raises (an agent not up yet, say)."""
        try:
            return fn()
        except Exception:  # noqa: BLE001
            return False

    def gap(self, name):
        return self.udps[name]["max_gap"]

    def tcp_ok(self):
        return all(f["error"] is None and f["bad"] == 0 for f in self.flows.values())

    def fresh_all(self, t):
        return all(f["last"] > t for f in self.flows.values()) and \
            all(u["last"] > t for u in self.udps.values())

    @staticmethod
    def sess_keys(lst):
        return sorted("%s %s:%s %s:%s %s:%s" % (x["proto"], x["in_addr"], x["in_port"],
                                               x["ext_addr"], x["ext_port"],
                                               x["rem_addr"], x["rem_port"])
                      for x in lst)

    def handle(self, line):
        cmd, _, rest = line.partition(" ")
        a = rest.split()
        if cmd == "echo":
            return self.echo(*a)
        if cmd == "tcpflow":
            return self.tcpflow(*a)
        if cmd == "ustream":
            return self.ustream(*a)
        if cmd == "stopall":
            self.halt.set()
            return "OK"
        return super().handle(line)


if __name__ == "__main__":
    flows_ctl.Ctl = FailoverCtl
    sys.exit(flows_main(sys.argv[1:]))
