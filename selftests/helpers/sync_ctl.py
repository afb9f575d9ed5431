#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Drive the kernel's replication commands directly, without cgn-syncd, to
test the module's side of them: the bulk dump, apply, begin/end, events and
the digest. Netns are named as in /run/netns.

  sync_ctl.py copy INST FROM TO       bulk copy of INST: begin, dump, apply, end
  sync_ctl.py relay FROM TO STOPFILE [RCVBUF]
                                      apply FROM's events to TO until STOPFILE
                                      exists; then print counts as JSON.
                                      STOPFILE.ready appears once subscribed.
                                      With RCVBUF: a stalled reader with that
                                      buffer, reading only once STOPFILE exists
  sync_ctl.py digest INST NS          print {"digest", "count", "seq"} as JSON
  sync_ctl.py held INST NS            print INST's held ports (mappings without
                                      sessions, from its dump) as a JSON list of
                                      [proto, address, port, outside port, ms left]
  sync_ctl.py plant INST NS           apply a subscriber 10.0.0.99 with one UDP
                                      session the peer never had (drift)
  sync_ctl.py bad INST NS             malformed apply batches: each must be
                                      refused with a message, the digest
                                      unchanged; exit 1 otherwise
"""
import ctypes
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cgn_uapi as U  # noqa: E402
from nl_raw import (attr, nest, u8, u16, u32, be32, string, parse_attrs,  # noqa: E402
                    GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID,
                    CTRL_ATTR_FAMILY_NAME, NETLINK_GENERIC, SOL_NETLINK,
                    NETLINK_CAP_ACK, NETLINK_EXT_ACK, NLMSG_ERROR, NLM_F_REQUEST,
                    NLM_F_ACK, NLMSGERR_ATTR_MSG)

NLM_F_DUMP = 0x300
NLMSG_DONE = 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NETLINK_ADD_MEMBERSHIP = 1
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + ns)
    finally:
        os.close(fd)


class Board:
    """A generic netlink socket in board NS (sockets keep their netns)."""

    def __init__(self, ns, rcvbuf=None):
        enter(ns)
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)   # SO_RCVBUFFORCE
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        err, _, msgs = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                    string(CTRL_ATTR_FAMILY_NAME, U.GENL_NAME), 1)
        if err:
            raise SystemExit("cgn family not found in %s: %d" % (ns, err))
        a = parse_attrs(msgs[0][4:])
        self.family = struct.unpack("H", a[CTRL_ATTR_FAMILY_ID][:2])[0]
        self.group = None
        grps = a.get(CTRL_ATTR_MCAST_GROUPS, b"")
        while len(grps) >= 4:
            ln = struct.unpack("H", grps[:2])[0]
            g = parse_attrs(grps[4:ln])
            if g.get(CTRL_ATTR_MCAST_GRP_NAME, b"").rstrip(b"\0").decode() == U.MCGRP_SYNC:
                self.group = struct.unpack("I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
            grps = grps[(ln + 3) & ~3:]

    def request(self, family, cmd, attrs, version=U.GENL_VERSION, flags=0):
        """Returns (error, extack message, [reply payloads])."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + attrs
        self.s.send(struct.pack("IHHII", 16 + len(body), family,
                                NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0) + body)
        out = []
        while True:
            data = self.s.recv(1 << 20)
            while data:
                ln, typ, _f, seq, _pid = struct.unpack("IHHII", data[:16])
                msg = data[16:ln]
                data = data[(ln + 3) & ~3:]
                if seq != self.seq:
                    continue
                if typ == NLMSG_DONE:
                    return struct.unpack("i", msg[:4])[0], "", out
                if typ != NLMSG_ERROR:
                    out.append(msg)
                    continue
                err = struct.unpack("i", msg[:4])[0]
                tlvs = parse_attrs(msg[4 + 16:]) if len(msg) > 20 else {}
                text = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                return err, text, out

    def cgn(self, cmd, *attrs, dump=False):
        return self.request(self.family, cmd, b"".join(attrs),
                            flags=NLM_F_DUMP if dump else 0)

    def must(self, cmd, *attrs):
        err, text, out = self.cgn(cmd, *attrs)
        if err:
            raise SystemExit("command %d: error %d: %s" % (cmd, err, text))
        return out

    def subscribe(self):
        self.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, self.group)

    def digest(self, inst):
        a = parse_attrs(self.must(U.CMD_SYNC_DIGEST, string(U.A_INSTANCE, inst))[0][4:])
        return {"digest": struct.unpack("Q", a[U.A_DIGEST])[0],
                "count": struct.unpack("I", a[U.A_COUNT])[0],
                "seq": struct.unpack("I", a[U.A_SEQ])[0]}


def entries_of(payload):
    """The CGN_A_ENTRIES payload of a message, or None."""
    a = parse_attrs(payload[4:])
    return a.get(U.A_ENTRIES)


def apply(board, entries):
    return board.cgn(U.CMD_SYNC_APPLY, nest(U.A_ENTRIES, entries))


def copy(inst, src, dst):
    a, b = Board(src), Board(dst)
    name = string(U.A_INSTANCE, inst)
    b.must(U.CMD_SYNC_BEGIN, name)
    err, text, msgs = a.cgn(U.CMD_SYNC_GET, name, dump=True)
    if err:
        raise SystemExit("dump: %d %s" % (err, text))
    n = 0
    for m in msgs:
        e = entries_of(m)
        if e is None:
            continue
        n += len(split_entries(e))
        err, text, _ = apply(b, e)
        if err:
            raise SystemExit("apply: %d %s" % (err, text))
    b.must(U.CMD_SYNC_END, name)
    print(json.dumps({"entries": n, "messages": len(msgs)}))


def held(inst, ns):
    """The held ports of @inst on board @ns: its dump's mapping entries
    with HELD, as sorted [proto, inside address, port, outside port, ms left]."""
    err, text, msgs = Board(ns).cgn(U.CMD_SYNC_GET, string(U.A_INSTANCE, inst), dump=True)
    if err:
        raise SystemExit("dump: %d %s" % (err, text))
    out = []
    for m in msgs:
        for e in split_entries(entries_of(m) or b""):
            a = parse_attrs(e[4:])
            if a[U.ENTRY_A_TYPE][0] == U.ENTRY_MAPPING and U.ENTRY_A_HELD in a:
                out.append([a[U.ENTRY_A_PROTO][0], socket.inet_ntoa(a[U.ENTRY_A_ADDR]),
                            struct.unpack(">H", a[U.ENTRY_A_PORT])[0],
                            struct.unpack(">H", a[U.ENTRY_A_EXT_PORT])[0],
                            struct.unpack("I", a[U.ENTRY_A_TIMEOUT])[0]])
    return sorted(out)


def split_entries(buf):
    out = []
    while len(buf) >= 4:
        ln = struct.unpack("H", buf[:2])[0]
        out.append(buf[:ln])
        buf = buf[(ln + 3) & ~3:]
    return out


def relay(src, dst, stopfile, rcvbuf=None):
    a = Board(src, rcvbuf)
    b = Board(dst)
    a.subscribe()
    open(stopfile + ".ready", "w").close()
    if rcvbuf:
        # a stalled agent: nothing is read until the end, the queue overflows
        while not os.path.exists(stopfile):
            time.sleep(0.1)
        a.s.setblocking(False)
    else:
        a.s.settimeout(0.2)
    st = {"messages": 0, "entries": 0, "gaps": 0, "lost": 0, "enobufs": 0,
          "refused": 0, "deletes": 0}
    last = None
    while rcvbuf or not os.path.exists(stopfile):
        try:
            data = a.s.recv(1 << 20)
        except (socket.timeout, BlockingIOError):
            if rcvbuf:
                break
            continue
        except OSError as e:
            st["enobufs"] += 1
            sys.stderr.write("relay: %s\n" % e)
            continue
        while data:
            ln = struct.unpack("I", data[:4])[0]
            msg = data[16:ln]
            data = data[(ln + 3) & ~3:]
            at = parse_attrs(msg[4:])
            seq = struct.unpack("I", at[U.A_SEQ])[0]
            if last is not None and seq != (last + 1) & 0xFFFFFFFF:
                st["gaps"] += 1
            last = seq
            st["lost"] += U.A_SYNC_LOST in at
            st["messages"] += 1
            e = at.get(U.A_ENTRIES, b"")
            for one in split_entries(e):
                st["entries"] += 1
                st["deletes"] += U.ENTRY_A_DELETE in parse_attrs(one[4:])
            if e:
                err, text, _ = apply(b, e)
                if err or text:
                    st["refused"] += 1
                    sys.stderr.write("relay apply: %d %s\n" % (err, text))
    st["last_seq"] = last
    print(json.dumps(st))


def bad(inst, ns):
    b = Board(ns)
    before = b.digest(inst)
    i = string(U.ENTRY_A_INSTANCE, inst)
    T = U.ENTRY_A_TYPE

    def user(*extra):
        return nest(U.A_ENTRY, u8(T, U.ENTRY_USER), i, *extra)

    def sess(*extra):
        return nest(U.A_ENTRY, u8(T, U.ENTRY_SESSION), i, u8(U.ENTRY_A_PROTO, 17),
                    be32(U.ENTRY_A_ADDR, "10.0.0.99"), attr(U.ENTRY_A_PORT, struct.pack(">H", 5)),
                    attr(U.ENTRY_A_EXT_PORT, struct.pack(">H", 1030)),
                    be32(U.ENTRY_A_REM_ADDR, "203.0.113.9"),
                    attr(U.ENTRY_A_REM_PORT, struct.pack(">H", 53)), *extra)
    good_user = user(be32(U.ENTRY_A_ADDR, "10.0.0.99"), be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                     u16(U.ENTRY_A_BLOCK, 1024))
    good_sess = sess(u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0), u32(U.ENTRY_A_TIMEOUT, 1000))
    cases = [
        ("no type", nest(U.A_ENTRY, i, be32(U.ENTRY_A_ADDR, "10.0.0.99"))),
        ("type 9", nest(U.A_ENTRY, u8(T, 9), i)),
        ("user without blocks", user(be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                     be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"))),
        ("user outside the inside prefixes", user(be32(U.ENTRY_A_ADDR, "192.0.2.1"),
                                                  be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                                  u16(U.ENTRY_A_BLOCK, 1024))),
        ("user on no pool address", user(be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                         be32(U.ENTRY_A_EXT_ADDR, "192.0.2.1"),
                                         u16(U.ENTRY_A_BLOCK, 1024))),
        ("misaligned block", user(be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                  be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                  u16(U.ENTRY_A_BLOCK, 1025))),
        ("unknown instance", nest(U.A_ENTRY, u8(T, U.ENTRY_USER),
                                  string(U.ENTRY_A_INSTANCE, "nope"),
                                  be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                  be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                  u16(U.ENTRY_A_BLOCK, 1024))),
        ("session without timeout", sess(u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0))),
        ("tcp state on udp", sess(u8(U.ENTRY_A_STATE, 3), u8(U.ENTRY_A_FIN, 0),
                                  u32(U.ENTRY_A_TIMEOUT, 1000))),
        ("state 9", sess(u8(U.ENTRY_A_STATE, 9), u8(U.ENTRY_A_FIN, 0),
                         u32(U.ENTRY_A_TIMEOUT, 1000))),
        ("timeout of a month", sess(u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0),
                                   u32(U.ENTRY_A_TIMEOUT, 30 * 86400 * 1000))),
        ("address as u16", user(u16(U.ENTRY_A_ADDR, 1), be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                u16(U.ENTRY_A_BLOCK, 1024))),
        ("not an entry", u32(U.A_SEQ, 1)),
        # the kernel's fast reader checks these itself; each must be refused
        # by the attribute policy, with its message, whatever comes after
        # (kmod/entry.c: parse_fast must stay in step with entry_policy)
        ("type 0", nest(U.A_ENTRY, u8(T, 0), i), "integer out of range"),
        ("fin 4", sess(u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 4),
                       u32(U.ENTRY_A_TIMEOUT, 1000)), "integer out of range"),
        ("timeout a week + 1 ms", sess(u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0),
                                       u32(U.ENTRY_A_TIMEOUT, 604800 * 1000 + 1)), "integer out of range"),
        ("state as u16", sess(u16(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0),
                              u32(U.ENTRY_A_TIMEOUT, 1000)), "invalid attribute length"),
        ("port as u32", user(be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                             be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                             u32(U.ENTRY_A_BLOCK, 1024)), "invalid attribute length"),
        ("b4 of 8 bytes", user(be32(U.ENTRY_A_ADDR, "0.0.0.0"), attr(U.ENTRY_A_B4, b"\1" * 8),
                               be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                               u16(U.ENTRY_A_BLOCK, 1024)), "binary attribute size out of range"),
        ("delete flag with data", nest(U.A_ENTRY, u8(T, U.ENTRY_USER), i,
                                       u32(U.ENTRY_A_DELETE, 1), be32(U.ENTRY_A_ADDR, "10.0.0.99")), "failed policy validation"),
        ("name without its NUL", nest(U.A_ENTRY, u8(T, U.ENTRY_USER),
                                      attr(U.ENTRY_A_INSTANCE, inst.encode()),
                                      be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                      be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                      u16(U.ENTRY_A_BLOCK, 1024)), "failed policy validation"),
        ("name of 16 bytes", nest(U.A_ENTRY, u8(T, U.ENTRY_USER),
                                  string(U.ENTRY_A_INSTANCE, "x" * 16),
                                  be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                  be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                  u16(U.ENTRY_A_BLOCK, 1024)), "failed policy validation"),
        ("unknown attribute", user(be32(U.ENTRY_A_ADDR, "10.0.0.99"),
                                   be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1"),
                                   u16(U.ENTRY_A_BLOCK, 1024), u32(U.ENTRY_A_MAX + 1, 0)), "Unknown attribute type"),
        ("entry without NLA_F_NESTED", attr(U.A_ENTRY, u8(T, U.ENTRY_USER) + i +
                                             be32(U.ENTRY_A_ADDR, "10.0.0.99") +
                                             be32(U.ENTRY_A_EXT_ADDR, "198.51.100.1") +
                                             u16(U.ENTRY_A_BLOCK, 1024)), "NLA_F_NESTED is missing"),
    ]
    fails = 0
    for name, e, *want in cases:
        # a good user and session first: the bad one must undo nothing, as
        # nothing of the batch may be applied at all
        err, text, _ = apply(b, good_user + good_sess + e)
        ok = err < 0 and text != "" and all(w in text for w in want)
        print("%s %s: error %d \"%s\"" % ("ok  " if ok else "FAIL", name, err, text))
        fails += not ok
    err, text, _ = b.cgn(U.CMD_SYNC_APPLY, string(U.A_INSTANCE, inst))
    print("%s no entries: error %d \"%s\"" % ("ok  " if err < 0 and text else "FAIL", err, text))
    fails += not (err < 0 and text)
    after = b.digest(inst)
    if after["digest"] != before["digest"] or after["count"] != before["count"]:
        print("FAIL digest changed: %s -> %s" % (before, after))
        fails += 1
    return 1 if fails else 0


def plant(inst, ns):
    b = Board(ns)
    i = string(U.ENTRY_A_INSTANCE, inst)
    be16 = lambda t, v: attr(t, struct.pack(">H", v))  # noqa: E731
    key = (u8(U.ENTRY_A_PROTO, 17), be32(U.ENTRY_A_ADDR, "10.0.0.99"), be16(U.ENTRY_A_PORT, 5),
           be16(U.ENTRY_A_EXT_PORT, 65030))
    e = (nest(U.A_ENTRY, u8(U.ENTRY_A_TYPE, U.ENTRY_USER), i, be32(U.ENTRY_A_ADDR, "10.0.0.99"),
              be32(U.ENTRY_A_EXT_ADDR, "198.51.100.15"), u16(U.ENTRY_A_BLOCK, 65024)) +
         nest(U.A_ENTRY, u8(U.ENTRY_A_TYPE, U.ENTRY_MAPPING), i, *key) +
         nest(U.A_ENTRY, u8(U.ENTRY_A_TYPE, U.ENTRY_SESSION), i, *key,
              be32(U.ENTRY_A_REM_ADDR, "203.0.113.9"), be16(U.ENTRY_A_REM_PORT, 53),
              u8(U.ENTRY_A_STATE, 0), u8(U.ENTRY_A_FIN, 0), u32(U.ENTRY_A_TIMEOUT, 60000)))
    err, text, _ = apply(b, e)
    if err or text:
        raise SystemExit("plant: %d %s" % (err, text))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == "copy":
        copy(*sys.argv[2:5])
    elif cmd == "relay":
        rcvbuf = int(sys.argv[5]) if len(sys.argv) > 5 else None
        relay(sys.argv[2], sys.argv[3], sys.argv[4], rcvbuf)
    elif cmd == "digest":
        print(json.dumps(Board(sys.argv[3]).digest(sys.argv[2])))
    elif cmd == "held":
        print(json.dumps(held(sys.argv[2], sys.argv[3])))
    elif cmd == "plant":
        return plant(sys.argv[2], sys.argv[3])
    elif cmd == "bad":
        return bad(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
