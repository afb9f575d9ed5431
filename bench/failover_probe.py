#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Flow driver of bench/failover_run: selftests/helpers/failover_ctl.py
(same FIFO protocol and commands: tcpflow, ustream, echo, serve, in, py,
wait...) plus a packet capture at the outside host and the failure itself,
so that the failure instant and every packet's arrival are in one clock
(CLOCK_REALTIME: time.time() here, the kernel's receive timestamps of the
capture).

  capture DEV               (use as "in NETNS capture DEV") record every
                            IPv4 UDP/TCP packet on DEV, both directions,
                            with the kernel's timestamp and source MAC
  capclear                  forget what was captured; tclear = now
  pstream SRC SPORT DST DPORT PPS
                            numbered datagrams "uN" at PPS, never in a burst
                            (a late sender skips ahead); sent[N] = its time
  failnow NETNS PID...      set sy0 of NETNS down, tfail = now, set l0 and
                            w0 down (rtnetlink, no exec), SIGKILL each PID;
                            answers "OK tfail seconds-it-took"
Namespace helpers: recovered(tfail, mac) (UDP and new
TCP bytes both seen from MAC after tfail), result(tfail, oldmac, newmac)
(the run's metrics, a dict; "disturbed" if,
between capclear and the failure, a datagram was lost, a packet came from
another board than OLDMAC or no TCP data came, or the capture dropped
packets).
"""
import os
import signal
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "selftests", "helpers"))
import flows_ctl  # noqa: E402
from failover_ctl import FailoverCtl  # noqa: E402
from flows_ctl import main as flows_main, setns  # noqa: E402

SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
SOL_PACKET, PACKET_STATISTICS = 263, 6
ETH_P_ALL = 3
RTM_NEWLINK = 16
POOL = "198.51.100."
UDP_PORT, TCP_PORT = 5000, 7000


class ProbeCtl(FailoverCtl):
    def __init__(self):
        super().__init__()
        self.cap = []
        self.sent = {}
        self.ns.update({"recovered": self.recovered,
                        "result": self.result, "cap": self.cap})

    # capture -------------------------------------------------------------
    def capture(self, dev):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        # beyond rmem_max: this thread may not run for seconds on a busy host
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 25)
        s.bind((dev, 0))
        self.capsock = s

        def loop():
            while True:
                pkt, anc, _, _ = s.recvmsg(256, 64)
                ts = time.time()
                for lvl, typ, data in anc:
                    if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                        sec, nsec = struct.unpack("qq", data[:16])
                        ts = sec + nsec / 1e9
                if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
                    continue
                ip = pkt[14:]
                ihl = (ip[0] & 15) * 4
                proto = ip[9]
                if proto not in (6, 17) or len(ip) < ihl + 8:
                    continue
                tot = struct.unpack("!H", ip[2:4])[0]
                src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
                sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
                e = {"ts": ts, "mac": pkt[6:12].hex(":"), "proto": proto,
                     "src": src, "sport": sport, "dst": dst, "dport": dport}
                if proto == 6 and len(ip) >= ihl + 14:
                    seq = struct.unpack("!I", ip[ihl + 4:ihl + 8])[0]
                    off = (ip[ihl + 12] >> 4) * 4
                    e["flags"] = ip[ihl + 13]
                    e["seq"] = seq
                    e["len"] = tot - ihl - off
                elif proto == 17:
                    pl = ip[ihl + 8:]
                    if pl[:1] == b"u" and pl[1:].isdigit():
                        e["useq"] = int(pl[1:])
                self.cap.append(e)
        threading.Thread(target=loop, daemon=True).start()
        return "OK"

    def pstream(self, src, sport, dst, dport, pps):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, int(sport)))
        dest = (dst, int(dport))
        period = 1.0 / float(pps)

        def writer():
            n, nxt = 0, time.time()
            while not self.halt.is_set():
                try:
                    s.sendto(b"u%d" % n, dest)
                except OSError:
                    pass
                self.sent[n] = time.time()
                n += 1
                nxt = max(nxt + period, time.time())
                time.sleep(max(0, nxt - time.time()))
        threading.Thread(target=writer, daemon=True).start()
        return "OK"

    def cap_drops(self):
        """packets the capture socket dropped since the last call"""
        return struct.unpack("II", self.capsock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))[1]

    # the failure ---------------------------------------------------------
    def failnow(self, netns, *pids):
        fd = os.open("/run/netns/" + netns, os.O_RDONLY)
        try:
            setns(fd)
            rt = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            idx = [socket.if_nametoindex(d) for d in ("l0", "w0", "sy0")]
        finally:
            setns(self.home)
            os.close(fd)
        msgs = [struct.pack("=IHHII", 32, RTM_NEWLINK, 5, i + 1, 0) +
                struct.pack("=BxHiII", 0, 0, x, 0, 1) for i, x in enumerate(idx)]
        # Each link down waits for an RCU grace period (tens of ms under
        # TCG). The sync link first: alone, it is no failure (path 2 is
        # alive); the failure is the LAN link (subscribers, path 2), then
        # the WAN link and the daemons.
        rt.send(msgs[2])
        t = time.time()
        for m in msgs[:2]:
            rt.send(m)
        for p in pids:
            os.kill(int(p), signal.SIGKILL)
        took = time.time() - t
        errs = []
        for _ in msgs:
            a = rt.recv(4096)
            err = struct.unpack("=i", a[16:20])[0]
            if err:
                errs.append(os.strerror(-err))
        rt.close()
        if errs:
            return "ERR link down: %s" % errs
        self.ns["tfail"] = t
        return "OK %.6f %.6f" % (t, took)

    # results ---------------------------------------------------------------
    def _data(self, proto, port):
        return [e for e in list(self.cap) if e["proto"] == proto and
                e["dport"] == port and e["src"].startswith(POOL)]

    def _first_new(self, tfail, newmac):
        """first UDP and first new-TCP-byte arrival from NEWMAC after tfail"""
        fu = next((e["ts"] for e in self._data(17, UDP_PORT)
                   if e["ts"] > tfail and e["mac"] == newmac), None)
        tcp = [e for e in self._data(6, TCP_PORT) if e.get("len", 0) > 0]
        top = None
        for e in tcp:
            if e["ts"] <= tfail:
                end = (e["seq"] + e["len"]) & 0xffffffff
                if top is None or 0 < (end - top) & 0xffffffff < 1 << 31:
                    top = end
        ft = None
        for e in tcp:
            if e["ts"] > tfail and e["mac"] == newmac:
                end = (e["seq"] + e["len"]) & 0xffffffff
                if top is None or 0 < (end - top) & 0xffffffff < 1 << 31:
                    ft = e["ts"]
                    break
        return fu, ft

    def recovered(self, tfail, newmac):
        fu, ft = self._first_new(tfail, newmac)
        return fu is not None and ft is not None

    def result(self, tfail, oldmac, newmac):
        fu, ft = self._first_new(tfail, newmac)
        udp = self._data(17, UDP_PORT)
        tcp = self._data(6, TCP_PORT)
        now = time.time()
        got = {e["useq"] for e in udp if "useq" in e}
        times = dict(self.sent)
        sent = sorted(n for n, t in times.items() if tfail - 0.05 <= t < now - 0.5)
        lost = [n for n in sent if n not in got]
        pre = [n for n, t in times.items()
               if self.ns.get("tclear", 0) + 0.3 <= t < tfail - 0.05 and n not in got]
        other = [e for e in udp + tcp if e["ts"] <= tfail and e["mac"] != oldmac]
        tcp_pre = [e for e in tcp if e["ts"] <= tfail and e.get("len", 0) > 0]
        drops = self.cap_drops()

        def ends(lst, after):
            return sorted({"%s:%d" % (e["src"], e["sport"]) for e in lst
                           if (e["ts"] > tfail) == after and e["ts"] > tfail - 5})
        rst = [e for e in self.cap if e["proto"] == 6 and e.get("flags", 0) & 4 and
               TCP_PORT in (e["sport"], e["dport"])]
        untrans = [e for e in self.cap if e["src"].startswith("10.0.")]
        r = {
            "failover_ms": round((fu - tfail) * 1000, 1) if fu else None,
            "udp_lost": len(lost),
            "udp_sent": len(sent),
            "udp_lost_first_ms": round((times[lost[0]] - tfail) * 1000) if lost else None,
            "udp_lost_last_ms": round((times[lost[-1]] - tfail) * 1000) if lost else None,
            "disturbed": bool(pre or other or not tcp_pre or drops),
            "cap_drops": drops,
            "pre_lost": len(pre), "pre_other_mac": len(other),
            "tcp_ms": round((ft - tfail) * 1000, 1) if ft else None,
            "udp_before": ends(udp, False), "udp_after": ends(udp, True),
            "tcp_before": ends(tcp, False), "tcp_after": ends(tcp, True),
            "rst": len(rst),
            "tcp_error": [f["error"] for f in self.flows.values() if f["error"]] +
                         [c["closed"] for c in self.echo_conns if c["closed"]],
            "tcp_bad": sum(f["bad"] for f in self.flows.values()),
            "untranslated": len(untrans),
            "via_old_after": sum(1 for e in udp + tcp if e["ts"] > tfail and e["mac"] == oldmac),
        }
        r["same_endpoint"] = (len(r["udp_before"]) == 1 and r["udp_before"] == r["udp_after"] and
                              len(r["tcp_before"]) == 1 and r["tcp_before"] == r["tcp_after"])
        return r

    def handle(self, line):
        cmd, _, rest = line.partition(" ")
        a = rest.split()
        if cmd == "capture":
            return self.capture(*a)
        if cmd == "capclear":
            del self.cap[:]
            self.cap_drops()
            self.ns["tclear"] = time.time()
            return "OK"
        if cmd == "pstream":
            return self.pstream(*a)
        if cmd == "failnow":
            return self.failnow(*a)
        return super().handle(line)


if __name__ == "__main__":
    flows_ctl.Ctl = ProbeCtl
    sys.exit(flows_main(sys.argv[1:]))
