#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Block exhaustion and release: a pool of one address and two blocks
# (198.51.100.1/32, ports 1024-2047, block-size 512) serves two subscribers;
# the third gets nothing (dropped, drop_no_ports, ICMP 3/1) for as long as
# they keep their blocks, and no live mapping is taken from them. Once their
# sessions expire (timeout udp 2 set late, to be sure of the order; hold-down
# 0) their blocks return to the pool and the third subscriber goes out.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 3 4
board_basic "$board" 198.51.100.1/32 ports 1024-2047 block-size 512
cgn "$board" instance set cgn1 timeout udp 60 hold-down 0 || fail "instance set"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s icmp
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['blocks_total'] == 2 and st[0]['blocks_used'] == 0" || fail "pool: $(fl_py s st)"

log "A and B take the two blocks"
fl_must s udp ab 10.0.0.2,10.0.0.3 40000-40001 203.0.113.2 5000 3
fl_true s "all(ab.values())" || fail "A or B got no port: $(fl_py s ab)"
fl_must s cgn users "$board" user show cgn1
fl_py s users
fl_true s "len(users) == 2 and sorted(u['blocks'][0]['first'] for u in users) == [1024, 1536]" ||
	fail "A and B do not hold one block each"
fl_true s "all(any(b['first'] <= port(v) <= b['last'] for u in users if u['addr'] == addr(k) for b in u['blocks']) for k, v in ab.items())" ||
	fail "a port outside its subscriber's block"

log "C gets no block: dropped, counted, told"
drops0=$(stat_of "$board" drop_no_ports)
fl_must s let t0 "now()"
fl_must s udp c 10.0.0.4 40000 203.0.113.2 5000 1
fl_true s "c['10.0.0.4:40000'] is None" || fail "C went out of a full pool"
[ "$(stat_of "$board" drop_no_ports)" -gt "$drops0" ] || fail "drop_no_ports did not move"
fl_must s wait 5 "[e for e in icmp if e['time'] >= t0 and e['type'] == 3 and e['code'] == 1 and e.get('inner_src') == '10.0.0.4']"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['users'] == 2 and st[0]['blocks_used'] == 2" || fail "C's failure changed the pool: $(fl_py s st)"

log "while A and B stay active C keeps failing, and A and B keep their ports"
fl_must s udp ab2 10.0.0.2,10.0.0.3 40000-40001 203.0.113.2 5000 3
fl_must s udp c 10.0.0.4 40000 203.0.113.2 5000 1
fl_true s "ab2 == ab and c['10.0.0.4:40000'] is None" || fail "no eviction expected: $(fl_py s ab2, c)"

log "A's and B's sessions expire (timeout udp 2 from their next packet): their blocks go back to the pool"
cgn "$board" instance set cgn1 timeout udp 2 || fail "instance set timeout udp 2"
fl_must s udp ab3 10.0.0.2,10.0.0.3 40000-40001 203.0.113.2 5000 3
fl_true s "ab3 == ab" || fail "A and B lost their mappings: $(fl_py s ab3)"
fl_must s wait 15 "cgnj('$board', 'stats', 'cgn1')[0]['blocks_used'] == 0"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['users'] == 0 and st[0]['mappings'] == 0 and st[0]['sessions'] == 0" ||
	fail "state left after expiry: $(fl_py s st)"

log "now C goes out from the pool address"
fl_must s udp c 10.0.0.4 40000 203.0.113.2 5000 3
fl_true s "c['10.0.0.4:40000'] and addr(c['10.0.0.4:40000']) == '198.51.100.1'" ||
	fail "C still without a port after the blocks were freed: $(fl_py s c)"
fl_must s cgn uc "$board" user show cgn1 10.0.0.4
fl_true s "len(uc) == 1 and uc[0]['blocks'][0]['first'] <= port(c['10.0.0.4:40000']) <= uc[0]['blocks'][0]['last']" ||
	fail "C's port not in its block: $(fl_py s uc)"

echo "PASS: a full pool drops and counts, frees blocks after expiry, serves the next subscriber"
exit $ksft_pass
