#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send malformed cgn generic netlink requests that cgnctl never builds;
each must fail with an error and an extack message. Expects an instance
"cgn1" to exist in the current netns. Exit 0 when all are refused."""
import errno
import socket
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import cgn_uapi as U  # noqa: E402

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b"".join(attrs))


def u8(t, v):
    return attr(t, struct.pack("B", v))


def u16(t, v):
    return attr(t, struct.pack("H", v))


def u32(t, v):
    return attr(t, struct.pack("I", v))


def be32(t, a):
    return attr(t, socket.inet_aton(a))


def string(t, s):
    return attr(t, s.encode() + b"\0")


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        ln, t = struct.unpack("HH", buf[:4])
        if ln < 4:
            break
        out[t & 0x3FFF] = buf[4:ln]
        buf = buf[(ln + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        err, _, payload = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                       string(CTRL_ATTR_FAMILY_NAME, U.GENL_NAME))
        if err:
            raise SystemExit("cgn family not found: %d" % err)
        self.family = struct.unpack("H", parse_attrs(payload[4:])[CTRL_ATTR_FAMILY_ID][:2])[0]

    def request(self, family, cmd, version, attrs):
        """Returns (error, extack message, reply payload)."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + attrs
        hdr = struct.pack("IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK,
                          self.seq, 0)
        self.s.send(hdr + body)
        payload = b""
        while True:
            data = self.s.recv(65536)
            while data:
                ln, typ, _flags, _seq, _pid = struct.unpack("IHHII", data[:16])
                msg = data[16:ln]
                data = data[(ln + 3) & ~3:]
                if typ != NLMSG_ERROR:
                    payload = msg
                    continue
                err = struct.unpack("i", msg[:4])[0]
                tlvs = parse_attrs(msg[4 + 16:])
                text = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                return err, text, payload

    def cgn(self, cmd, *attrs):
        return self.request(self.family, cmd, U.GENL_VERSION, b"".join(attrs))


def main():
    g = Genl()
    inst = string(U.A_INSTANCE, "cgn1")
    prefix = lambda a, n: nest(U.A_PREFIX, be32(U.PREFIX_A_ADDR, a), u8(U.PREFIX_A_LEN, n))  # noqa
    pool = lambda *x: nest(U.A_POOL, *x)  # noqa
    pool_prefix = lambda a, n: nest(U.POOL_A_PREFIX, be32(U.PREFIX_A_ADDR, a),  # noqa
                                    u8(U.PREFIX_A_LEN, n))
    cases = [
        ("timeout as u16", U.CMD_INSTANCE_SET,
         [inst, nest(U.A_CONFIG, u16(U.CONFIG_A_TIMEOUT_UDP, 30))]),
        ("timeout 0", U.CMD_INSTANCE_SET, [inst, nest(U.A_CONFIG, u32(U.CONFIG_A_TIMEOUT_UDP, 0))]),
        ("timeout too long", U.CMD_INSTANCE_SET,
         [inst, nest(U.A_CONFIG, u32(U.CONFIG_A_TIMEOUT_TCP_EST, 10 ** 9))]),
        ("max-blocks 0", U.CMD_INSTANCE_SET, [inst, nest(U.A_CONFIG, u32(U.CONFIG_A_MAX_BLOCKS, 0))]),
        ("set with nothing", U.CMD_INSTANCE_SET, [inst]),
        ("prefix length 33", U.CMD_INSIDE_NEW, [inst, prefix("10.1.0.0", 33)]),
        ("prefix without length", U.CMD_INSIDE_NEW,
         [inst, nest(U.A_PREFIX, be32(U.PREFIX_A_ADDR, "10.1.0.0"))]),
        ("address as u16", U.CMD_INSIDE_NEW,
         [inst, nest(U.A_PREFIX, u16(U.PREFIX_A_ADDR, 10), u8(U.PREFIX_A_LEN, 24))]),
        ("ports min > max", U.CMD_POOL_NEW,
         [inst, pool(pool_prefix("198.51.100.32", 28), u16(U.POOL_A_PORT_MIN, 2000),
                     u16(U.POOL_A_PORT_MAX, 1000))]),
        ("port 0", U.CMD_POOL_NEW,
         [inst, pool(pool_prefix("198.51.100.32", 28), u16(U.POOL_A_PORT_MIN, 0))]),
        ("pool without prefix", U.CMD_POOL_NEW, [inst, pool(u16(U.POOL_A_BLOCK_SIZE, 64))]),
        ("read-only attribute", U.CMD_POOL_NEW,
         [inst, pool(pool_prefix("198.51.100.32", 28), u32(U.POOL_A_BLOCKS, 5))]),
        ("name too long", U.CMD_INSTANCE_NEW, [string(U.A_INSTANCE, "x" * 20)]),
        ("empty name", U.CMD_INSTANCE_NEW, [string(U.A_INSTANCE, "")]),
        ("name missing", U.CMD_INSTANCE_NEW, []),
        ("unknown attribute", U.CMD_INSTANCE_NEW, [string(U.A_INSTANCE, "cgn9"), u32(99, 1)]),
        ("stats of unknown instance", U.CMD_STATS_GET, [string(U.A_INSTANCE, "nope")]),
        ("fast-path device name missing", U.CMD_FASTDEV_NEW, []),
        ("fast-path device name too long", U.CMD_FASTDEV_NEW, [string(U.A_IFNAME, "x" * 16)]),
        ("fast-path device name without NUL", U.CMD_FASTDEV_NEW, [attr(U.A_IFNAME, b"lo")]),
        ("unknown fast-path device", U.CMD_FASTDEV_DEL, [string(U.A_IFNAME, "nosuch0")]),
    ]
    bad = 0
    for name, cmd, attrs in cases:
        err, text, _ = g.cgn(cmd, *attrs)
        ok = err < 0 and text != ""
        print("%s %s: error %s, \"%s\"" % ("ok  " if ok else "FAIL", name,
                                          errno.errorcode.get(-err, err), text))
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
