#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Time the kernel's two ends of a bulk copy apart, without cgn-syncd:
the SYNC_GET dump of INST on board FROM, then SYNC_BEGIN, SYNC_APPLY of
every dump message (BATCH bytes of entries at most per apply, re-packed
from the dump's messages; 0: one apply per dump message) and SYNC_END on
board TO. With --clear, TO is emptied afterwards (BEGIN + END: the sweep
removes everything), so a bulk copy by the agents can follow.

  sync_parts.py INST FROM TO [--batch BYTES] [--clear]

Prints one JSON object: entries, messages, bytes, dump_s, apply_s (the
SYNC_APPLY calls only), end_s, clear_s, applies.
"""
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "selftests", "helpers"))
import cgn_uapi as U  # noqa: E402
from nl_raw import string  # noqa: E402
from sync_ctl import Board, entries_of, apply  # noqa: E402


def count(buf):
    n = 0
    while len(buf) >= 4:
        ln = struct.unpack("H", buf[:2])[0]
        if ln < 4:
            break
        n += 1
        buf = buf[(ln + 3) & ~3:]
    return n


def main():
    args = sys.argv[1:]
    batch, clear = 0, False
    if "--clear" in args:
        args.remove("--clear")
        clear = True
    if "--batch" in args:
        i = args.index("--batch")
        batch = int(args[i + 1])
        del args[i:i + 2]
    inst, src, dst = args
    a, b = Board(src), Board(dst)
    name = string(U.A_INSTANCE, inst)
    r = {}

    t = time.monotonic()
    err, text, msgs = a.cgn(U.CMD_SYNC_GET, name, dump=True)
    r["dump_s"] = round(time.monotonic() - t, 3)
    if err:
        raise SystemExit("dump: %d %s" % (err, text))
    chunks = [e for e in (entries_of(m) for m in msgs) if e]
    r["messages"] = len(chunks)
    r["bytes"] = sum(len(c) for c in chunks)
    r["entries"] = sum(count(c) for c in chunks)
    if batch:
        packed, cur = [], b""
        for c in chunks:
            if cur and len(cur) + len(c) > batch:
                packed.append(cur)
                cur = b""
            cur += c
        if cur:
            packed.append(cur)
        chunks = packed
    r["applies"] = len(chunks)

    t = time.monotonic()
    b.must(U.CMD_SYNC_BEGIN, name)
    r["begin_s"] = round(time.monotonic() - t, 3)
    t = time.monotonic()
    for c in chunks:
        err, text, _ = apply(b, c)
        if err:
            raise SystemExit("apply: %d %s" % (err, text))
    r["apply_s"] = round(time.monotonic() - t, 3)
    t = time.monotonic()
    b.must(U.CMD_SYNC_END, name)
    r["end_s"] = round(time.monotonic() - t, 3)
    if clear:
        t = time.monotonic()
        b.must(U.CMD_SYNC_BEGIN, name)
        b.must(U.CMD_SYNC_END, name)
        r["clear_s"] = round(time.monotonic() - t, 3)
    print(json.dumps(r))


if __name__ == "__main__":
    main()
