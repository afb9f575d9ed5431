#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port blocks on demand, up to max-blocks (block-size 64, max-blocks 2): a
# subscriber gets a second block when its first is full and never a third;
# with 128 mappings live, flow 129 is dropped and counted (drop_no_ports),
# nothing is evicted (the first 128 keep working with their ports), and the
# subscriber is told with ICMP destination unreachable, host unreachable
# (RFC 6888 REQ-11); with icmp-unreach off the drop is silent but counted.
# Ports freed in full blocks are found again: once all but one mapping
# expired, 127 new flows fit in the same two blocks (a block counted full
# after its ports were freed would drop them). With UDP's ports all taken a
# TCP connection still gets a port of the same blocks.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
board_basic "$board" 198.51.100.0/28 ports 1024-65535 block-size 64
cgn "$board" instance set cgn1 max-blocks 2 || fail "instance set max-blocks"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve tcp 8000
fl_must s icmp

log "64 flows fit in one block"
fl_must s udp a 10.0.0.2 40000-40063 203.0.113.2 5000 5
fl_true s "all(a.values())" || fail "a flow of the first 64 got no reply"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "len(u) == 1 and len(u[0]['blocks']) == 1 and u[0]['mappings'] == 64" ||
	fail "after 64 flows: $(fl_py s u)"

log "flows 65-100 take a second block of the same address"
fl_must s udp b 10.0.0.2 40064-40099 203.0.113.2 5000 5
fl_true s "all(b.values())" || fail "a flow of 65-100 got no reply"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_py s u
fl_true s "len(u[0]['blocks']) == 2 and u[0]['mappings'] == 100" || fail "no second block: $(fl_py s u)"
fl_true s "len(set(addr(v) for v in list(a.values()) + list(b.values()))) == 1" ||
	fail "the second block is on another address"
fl_true s "all(any(x['first'] <= port(v) <= x['last'] for x in u[0]['blocks']) for v in list(a.values()) + list(b.values()))" ||
	fail "a port outside the subscriber's two blocks"

log "flows 101-128 fill both blocks"
fl_must s udp c 10.0.0.2 40100-40127 203.0.113.2 5000 5
fl_true s "all(c.values())" || fail "a flow of 101-128 got no reply (both blocks hold 128 ports)"
fl_must s let all128 "dict(list(a.items()) + list(b.items()) + list(c.items()))"
fl_true s "len(set(all128.values())) == 128" || fail "128 flows do not have 128 distinct ports"
drops0=$(stat_of "$board" drop_no_ports)
unr0=$(stat_of "$board" icmp_unreach_sent)
[ "$drops0" = 0 ] || fail "drops before the blocks were full: $drops0"

log "flow 129 is dropped: no third block, no eviction"
fl_must s let t0 "now()"
fl_must s udp d 10.0.0.2 40128 203.0.113.2 5000 1
fl_true s "d['10.0.0.2:40128'] is None" || fail "flow 129 went out: $(fl_py s d)"
[ "$(stat_of "$board" drop_no_ports)" -gt "$drops0" ] || fail "drop_no_ports did not move"
[ "$(stat_of "$board" icmp_unreach_sent)" -gt "$unr0" ] || fail "icmp_unreach_sent did not move"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "len(u[0]['blocks']) == 2 and u[0]['mappings'] == 128" || fail "blocks/mappings changed: $(fl_py s u)"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['blocks_used'] == 2 and st[0]['mappings'] == 128" || fail "stats: $(fl_py s st)"

log "the subscriber got ICMP 3/1 quoting flow 129"
fl_must s wait 5 "[e for e in icmp if e['time'] >= t0 and e['type'] == 3 and e['code'] == 1 and e.get('inner_sport') == 40128 and e.get('inner_src') == '10.0.0.2' and e.get('inner_dport') == 5000]"
fl_py s "icmp"

log "the first 128 flows still work, with the same outside ports"
fl_must s udp again 10.0.0.2 40000-40127 203.0.113.2 5000 5
fl_true s "again == all128" || fail "a live mapping was lost or changed: $(fl_py s "[(k, all128[k], again[k]) for k in all128 if all128[k] != again[k]][:5]")"

log "icmp-unreach off: still dropped and counted, no ICMP"
cgn "$board" instance set cgn1 icmp-unreach off || fail "instance set icmp-unreach off"
drops1=$(stat_of "$board" drop_no_ports)
unr1=$(stat_of "$board" icmp_unreach_sent)
fl_must s let t1 "now()"
fl_must s udp e 10.0.0.2 40129 203.0.113.2 5000 1
fl_true s "e['10.0.0.2:40129'] is None" || fail "flow 130 went out"
[ "$(stat_of "$board" drop_no_ports)" -gt "$drops1" ] || fail "silent drop not counted"
[ "$(stat_of "$board" icmp_unreach_sent)" = "$unr1" ] || fail "icmp_unreach_sent moved with icmp-unreach off"
fl_true s "not [e for e in icmp if e['time'] >= t1]" || fail "ICMP arrived with icmp-unreach off: $(fl_py s icmp)"

log "icmp-unreach on again: ICMP 3/1 comes back"
cgn "$board" instance set cgn1 icmp-unreach on || fail "instance set icmp-unreach on"
fl_must s let t2 "now()"
fl_must s udp f 10.0.0.2 40130 203.0.113.2 5000 1
fl_must s wait 5 "[e for e in icmp if e['time'] >= t2 and e['type'] == 3 and e['code'] == 1 and e.get('inner_sport') == 40130]"

log "all but flow 1 expire (timeout udp 3, hold-down 0): 127 new flows fit in the two blocks"
cgn "$board" instance set cgn1 timeout udp 3 hold-down 0 || fail "instance set timeout udp 3"
fl_must s udp again 10.0.0.2 40000-40127 203.0.113.2 5000 5	# the new timeout from now
for _ in 1 2 3 4 5 6 7; do
	fl_must s udp k 10.0.0.2 40000 203.0.113.2 5000 1
	fl_true s "k['10.0.0.2:40000'] == all128['10.0.0.2:40000']" || fail "flow 1 lost its port"
	sleep 1
done
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "u[0]['mappings'] == 1" || fail "not all other mappings expired: $(fl_py s u)"
fl_must s udp g 10.0.0.2 41000-41126 203.0.113.2 5000 5
fl_true s "all(g.values())" ||
	fail "$(fl_py s "sum(v is None for v in g.values())") of 127 new flows got no port in freed blocks"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "len(u[0]['blocks']) == 2 and u[0]['mappings'] == 128" || fail "after refill: $(fl_py s u)"
fl_true s "len(set(list(g.values()) + [k['10.0.0.2:40000']])) == 128" || fail "refilled ports not distinct"

log "full for UDP is not full for TCP: each protocol has the blocks' ports to itself"
seen=$(fl s tcp t1 10.0.0.2 40128 203.0.113.2 8000 close) || fail "tcp: $seen"
fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "t1 is not None and addr(t1) == addr(k['10.0.0.2:40000']) and any(x['first'] <= port(t1) <= x['last'] for x in u[0]['blocks'])" ||
	fail "TCP from a subscriber with full UDP blocks: $(fl_py s t1)"
fl_true s "len(u[0]['blocks']) == 2" || fail "TCP took a third block: $(fl_py s u)"

echo "PASS: blocks on demand up to max-blocks, drop counted, no eviction, ICMP 3/1 switchable, freed ports found again"
exit $ksft_pass
