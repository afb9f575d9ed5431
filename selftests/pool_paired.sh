#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Paired pooling and port blocks (RFC 6888 REQ-2, RFC 7422): 31 subscribers
# open 5 UDP flows each. Every flow of a subscriber leaves from one pool
# address, the one "user show" lists; its port lies inside the subscriber's
# blocks; no two flows share an outside address:port; ports inside a block
# are random, not handed out in order (RFC 6056); subscribers spread over
# the pool addresses; blocks_used matches the blocks listed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 10 40
board_basic "$board" 198.51.100.0/28 ports 1024-65535 block-size 512

fl_start s "$sub"
fl_must s in "$out" serve udp 5000

log "31 subscribers 10.0.0.10-40, 5 flows each from ports 40000-40004"
fl_must s udp r 10.0.0.10-10.0.0.40 40000-40004 203.0.113.2 5000 5
fl_true s "all(r.values()) and len(r) == 155" ||
	fail "flows without a reply: $(fl_py s "[k for k, v in r.items() if not v]")"
log "again: the same outside endpoint for every flow (EIM)"
fl_must s udp r2 10.0.0.10-10.0.0.40 40000-40004 203.0.113.2 5000 5
fl_true s "r2 == r" || fail "mappings changed: $(fl_py s "[(k, r[k], r2[k]) for k in r if r[k] != r2[k]]")"

fl_must s cgn users "$board" user show cgn1
fl_must s cgn st "$board" stats cgn1
fl_must s cgn ss "$board" session show cgn1
fl_py s "users[:3]"

# subscriber -> the outside endpoints its flows were seen from, in order
fl_must s let by "group(r)"
fl_true s "len(by) == 31 and len(users) == 31 and st[0]['users'] == 31" ||
	fail "expected 31 subscribers: $(fl_py s "len(by), len(users), st[0]['users']")"

log "all flows of a subscriber leave from one pool address, the one listed"
fl_true s "all(len(set(addr(v) for v in by[u['addr']])) == 1 and addr(by[u['addr']][0]) == u['ext_addr'] for u in users)" ||
	fail "a subscriber's flows left from several addresses or not its own: $(fl_py s "[(u['addr'], u['ext_addr'], sorted(set(by[u['addr']]))) for u in users if set(addr(v) for v in by[u['addr']]) != {u['ext_addr']}][:5]")"
fl_true s "all(ipn('198.51.100.0') <= ipn(u['ext_addr']) <= ipn('198.51.100.15') for u in users)" ||
	fail "outside address not from the pool"

log "every port lies inside one of its subscriber's blocks"
fl_true s "all(u['block_size'] == 512 and u['blocks'] and all(b['last'] - b['first'] == 511 and (b['first'] - 1024) % 512 == 0 for b in u['blocks']) for u in users)" ||
	fail "blocks not aligned 512-port blocks: $(fl_py s "[u['blocks'] for u in users][:5]")"
fl_true s "all(any(b['first'] <= port(v) <= b['last'] for b in u['blocks']) for u in users for v in by[u['addr']])" ||
	fail "a port outside its subscriber's blocks: $(fl_py s "[(u['addr'], u['blocks'], by[u['addr']]) for u in users if not all(any(b['first'] <= port(v) <= b['last'] for b in u['blocks']) for v in by[u['addr']])][:3]")"

log "no two flows share an outside address:port"
fl_true s "len(set(r.values())) == 155" || fail "an outside endpoint was shared"

log "blocks of two subscribers on one address never overlap"
fl_true s "len(set((u['ext_addr'], b['first']) for u in users for b in u['blocks'])) == sum(len(u['blocks']) for u in users)" ||
	fail "a block given to two subscribers"

log "blocks_used equals the blocks listed; blocks_total is the pool's"
fl_py s "st[0]['blocks_used'], sum(len(u['blocks']) for u in users), st[0]['blocks_total']"
fl_true s "st[0]['blocks_used'] == sum(len(u['blocks']) for u in users) == 31" ||
	fail "blocks_used does not match the listed blocks"
fl_true s "st[0]['blocks_total'] == 16 * 126" || fail "blocks_total is not 16 addresses x 126 blocks"
fl_true s "all(u['mappings'] == 5 and u['sessions'] == 5 for u in users)" ||
	fail "per-subscriber mapping/session counts wrong"

log "ports are random inside the blocks, not sequential"
# a sequential allocator gives block start + i to the i-th flow and
# consecutive ports; random choice among 512 almost never does either
seq_hits=$(fl_py s "sum(1 for u in users for i, v in enumerate(by[u['addr']]) if port(v) - u['blocks'][0]['first'] == i)")
adjacent=$(fl_py s "sum(1 for u in users for a, b in zip(by[u['addr']], by[u['addr']][1:]) if port(b) - port(a) == 1)")
spread=$(fl_py s "len(set(port(v) % 512 for v in r.values()))")
log "flows at block start + i: $seq_hits/155, consecutive pairs: $adjacent/124, distinct offsets: $spread"
[ "$seq_hits" -le 10 ] || fail "ports look sequential from the block start ($seq_hits/155)"
[ "$adjacent" -le 10 ] || fail "ports look consecutive ($adjacent/124 pairs)"
[ "$spread" -ge 80 ] || fail "ports cluster on few offsets ($spread distinct of 155)"

log "subscribers spread over the pool addresses"
naddr=$(fl_py s "len(set(u['ext_addr'] for u in users))")
log "$naddr distinct pool addresses for 31 subscribers"
[ "$naddr" -ge 4 ] || fail "subscribers piled on $naddr pool addresses"

# Last, as it needs a session dump over several netlink messages.
log "the session table lists every flow with what the server saw"
fl_true s "all(r['%s:%d' % (x['in_addr'], x['in_port'])] == '%s:%d' % (x['ext_addr'], x['ext_port']) for x in ss)" ||
	fail "session inside/outside pairs differ from the flows"
fl_true s "len(ss) == st[0]['sessions'] == 155" ||
	fail "session show listed $(fl_py s "len(ss)") of $(fl_py s "st[0]['sessions']") sessions; missing: $(fl_py s "sorted(set(r) - set('%s:%d' % (x['in_addr'], x['in_port']) for x in ss))")"

echo "PASS: paired pooling, ports random inside the subscriber's blocks, no sharing, blocks counted"
exit $ksft_pass
