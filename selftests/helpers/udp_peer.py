#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP test peer for the cgn selftests (plain sockets, no scapy).

  udp_peer.py serve PORT [SECONDS]
      Echo every datagram back with the source address and port the
      server saw ("a.b.c.d:port") as the payload, padded with NULs to the
      datagram's size when that is over 64 bytes.
  udp_peer.py send DST PORT [--src ADDR] [--sport N] [--count N] [--size N]
      Send COUNT datagrams (of SIZE bytes), print one line per reply: what
      the server saw. Exit 1 when a reply does not arrive within 2 s.
"""
import socket
import sys
import time


def serve(port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.settimeout(1.0)
    end = time.time() + seconds
    while time.time() < end:
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        reply = ("%s:%d" % peer).encode()
        if len(data) > 64:
            reply = reply.ljust(len(data), b"\0")
        s.sendto(reply, peer)


def send(dst, port, src, sport, count, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, sport))
    s.settimeout(2.0)
    for i in range(count):
        s.sendto((b"cgn-test-%d" % i).ljust(size, b"."), (dst, port))
        try:
            data, _ = s.recvfrom(65536)
        except socket.timeout:
            print("timeout", flush=True)
            return 1
        print(data.rstrip(b"\0").decode(), flush=True)
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "serve":
        serve(int(argv[1]), float(argv[2]) if len(argv) > 2 else 120)
        return 0
    if len(argv) >= 3 and argv[0] == "send":
        opts = {"--src": "0.0.0.0", "--sport": "0", "--count": "1", "--size": "0"}
        rest = argv[3:]
        while rest:
            opts[rest[0]] = rest[1]
            rest = rest[2:]
        return send(argv[1], int(argv[2]), opts["--src"], int(opts["--sport"]),
                    int(opts["--count"]), int(opts["--size"]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
