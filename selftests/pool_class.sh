#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port class (RFC 4787 REQ-3): with a pool range that has low ports
# (ports 1-65535), a flow from an inside port below 1024 gets an outside
# port below 1024 when the subscriber's blocks have one, and a flow from a
# port >= 1024 gets one >= 1024 when they have one.
#  - block-size 2048: the first block (ports 1-2048) has both classes, half
#    each; 20 flows of each class must all keep it (a class-blind random
#    choice would not, but for a 2^-40 chance);
#  - block-size 512: block 0 (1-512) is all low, block 1 (513-1024) low but
#    for port 1024, block 2 (1025-1536) all high: each subscriber's flows
#    keep their class where its block allows, and still go out where not.
# Within a class the port is still random (RFC 6056), not the first free.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 3 4
board_basic "$board" 198.51.100.1/32 ports 1-65535 block-size 2048

fl_start s "$sub"
fl_must s in "$out" serve udp 5000

log "block-size 2048: 20 flows from ports 500-519, 20 from 40000-40019"
fl_must s udp lo 10.0.0.2 500-519 203.0.113.2 5000 5
fl_must s udp hi 10.0.0.2 40000-40019 203.0.113.2 5000 5
fl_true s "all(lo.values()) and all(hi.values())" || fail "flows without reply: $(fl_py s lo, hi)"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_py s u
fl_true s "len(u[0]['blocks']) == 1 and u[0]['blocks'][0]['first'] == 1" || fail "expected the one block 1-2048"
fl_py s "sorted(port(v) for v in lo.values()), sorted(port(v) for v in hi.values())"
fl_true s "all(port(v) < 1024 for v in lo.values())" ||
	fail "a low inside port got a high outside port: $(fl_py s lo)"
fl_true s "all(port(v) >= 1024 for v in hi.values())" ||
	fail "a high inside port got a low outside port: $(fl_py s hi)"

log "block-size 512"
cgn "$board" pool del cgn1 198.51.100.1/32 || fail "pool del"
cgn "$board" pool add cgn1 198.51.100.1/32 ports 1-65535 block-size 512 || fail "pool add"

log "A (block 0, ports 1-512): a flow from port 500 gets a port below 1024"
fl_must s udp a 10.0.0.2 500 203.0.113.2 5000 3
fl_must s cgn ua "$board" user show cgn1 10.0.0.2
fl_true s "ua[0]['blocks'][0]['first'] == 1 and a['10.0.0.2:500'] and port(a['10.0.0.2:500']) < 1024" ||
	fail "A: $(fl_py s a, ua)"

log "B (block 1, ports 513-1024): low flow below 1024, high flow on 1024, the block's only high port"
fl_must s udp bl 10.0.0.3 500 203.0.113.2 5000 3
fl_must s udp bh 10.0.0.3 40000 203.0.113.2 5000 3
fl_must s cgn ub "$board" user show cgn1 10.0.0.3
fl_py s bl, bh, ub
fl_true s "ub[0]['blocks'][0]['first'] == 513" || fail "B's block: $(fl_py s ub)"
fl_true s "bl['10.0.0.3:500'] and port(bl['10.0.0.3:500']) < 1024" || fail "B's low flow: $(fl_py s bl)"
fl_true s "bh['10.0.0.3:40000'] and port(bh['10.0.0.3:40000']) == 1024" ||
	fail "B's high flow did not get port 1024: $(fl_py s bh)"

log "C (block 2, ports 1025-1536): high flow >= 1024; a low flow still goes out, in C's block"
fl_must s udp ch 10.0.0.4 40000-40004 203.0.113.2 5000 3
fl_must s udp cl 10.0.0.4 501 203.0.113.2 5000 3
fl_must s cgn uc "$board" user show cgn1 10.0.0.4
fl_py s ch, cl, uc
fl_true s "uc[0]['blocks'][0]['first'] == 1025 and all(v and 1025 <= port(v) <= 1536 for v in ch.values())" ||
	fail "C's high flows: $(fl_py s ch, uc)"
fl_true s "cl['10.0.0.4:501'] and 1025 <= port(cl['10.0.0.4:501']) <= 1536" ||
	fail "C's low flow dropped or outside its block: $(fl_py s cl)"

# A random choice among ~1000 ports of a class hardly ever takes the class's
# first 5 ports in a row. Probing on from a random start does, whenever the
# start falls among the other class's ports (about every second flow): the
# probe walks over them to the first free port of the class.
log "block-size 2048 again: the ports were random within their class, not the lowest free one in turn"
fl_must s let runs "[next(k for k in range(21) if first + k not in set(port(v) for v in d.values())) for first, d in ((1, lo), (1024, hi))]"
log "ports 1.. taken in a row: $(fl_py s "runs[0]"), ports 1024.. in a row: $(fl_py s "runs[1]")"
fl_true s "max(runs) < 5" ||
	fail "ports are the lowest free of their class in turn, not random (RFC 6056): $(fl_py s "sorted(port(v) for v in lo.values()), sorted(port(v) for v in hi.values())")"

echo "PASS: outside ports keep the inside port's class where the blocks allow"
exit $ksft_pass
