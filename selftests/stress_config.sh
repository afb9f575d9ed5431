#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration changes under traffic: 12 UDP flows of 4 subscribers run
# without pause (plus 1200 idle mappings, so flushes take a while) while the
# instance settings change (timeouts, limits, filtering, hairpin, hold-down,
# icmp-unreach, max-blocks), a second pool and a second inside prefix come
# and go, the inside prefix of the flows is removed and put back, and the
# active pool is deleted, with the second pool present (the flows move to
# it) and without (they stop: no subscriber or mapping may survive on the
# deleted pool), then added back. No crash, no WARNING (the VM runner
# checks dmesg), and the flows recover each time.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

P1=198.51.100.0/28
P2=198.51.100.64/28
CYCLES=${CYCLES:-3}

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 3 5
board_basic "$board" $P1
cgn "$board" instance set cgn1 timeout udp 30 || fail "instance set"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve udp 5001
fl_must s set B "$board"

idle() {
	fl_must s udp idle 10.0.0.2-10.0.0.5 43000-43299 203.0.113.2 5001 10
}

# recovered WHAT LO HI: every flow answered again, from pool addresses LO-HI
recovered() {
	fl_must s let t "now()"
	fl s wait 20 "fresh('st', t)" || fail "flows did not recover ($1): $(fl_py s "streams['st']")"
	fl_true s "all(ipn('$2') <= ipn(addr(v['seen'])) <= ipn('$3') for v in streams['st'].values())" ||
		fail "flows not through $2-$3 ($1): $(fl_py s "[v['seen'] for v in streams['st'].values()]")"
}

log "12 flows without pause, 1200 idle mappings"
fl_must s stream st 10.0.0.2-10.0.0.5 42000-42002 203.0.113.2 5000 0.005
idle
recovered "start" 198.51.100.0 198.51.100.15

filt=(eif adf apdf)
onoff=(on off)
for i in $(seq 1 "$CYCLES"); do
	log "cycle $i/$CYCLES: instance settings"
	cgn "$board" instance set cgn1 timeout udp $((20 + i)) timeout tcp-est $((3000 + i)) \
		timeout tcp-trans $((100 + i)) timeout icmp $((30 + i)) || fail "instance set timeouts"
	cgn "$board" instance set cgn1 filtering "${filt[i % 3]}" hairpin "${onoff[i % 2]}" \
		icmp-unreach "${onoff[(i + 1) % 2]}" hold-down $(((i % 2) * 5)) || fail "instance set flags"
	cgn "$board" instance set cgn1 max-sessions $((1000 + i)) session-limit $((5000 + i)) \
		max-blocks $((2 + i % 3)) || fail "instance set limits"

	log "cycle $i: a second inside prefix and a second pool come and go"
	cgn "$board" nat44 add cgn1 inside 10.1.0.0/24 || fail "nat44 add 10.1.0.0/24"
	cgn "$board" pool add cgn1 $P2 block-size 256 || fail "pool add $P2"
	cgn "$board" nat44 del cgn1 inside 10.1.0.0/24 || fail "nat44 del 10.1.0.0/24"
	cgn "$board" pool del cgn1 $P2 || fail "pool del $P2"

	log "cycle $i: the flows' inside prefix removed and put back"
	cgn "$board" nat44 del cgn1 inside 10.0.0.0/24 || fail "nat44 del 10.0.0.0/24"
	cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add 10.0.0.0/24"
	recovered "inside prefix back" 198.51.100.0 198.51.100.15

	log "cycle $i: the active pool deleted while a second pool exists: flows move"
	cgn "$board" pool add cgn1 $P2 || fail "pool add $P2"
	cgn "$board" pool del cgn1 $P1 || fail "pool del $P1 (active)"
	recovered "moved to $P2" 198.51.100.64 198.51.100.79
	fl_must s cgn users "$board" user show cgn1
	fl_true s "all(ipn('198.51.100.64') <= ipn(u['ext_addr']) <= ipn('198.51.100.79') for u in users)" ||
		fail "a subscriber still on the deleted pool $P1: $(fl_py s "[(u['addr'], u['ext_addr'], u['mappings']) for u in users]")"
	cgn "$board" pool add cgn1 $P1 || fail "pool add $P1"
	cgn "$board" pool del cgn1 $P2 || fail "pool del $P2 (active)"
	recovered "back on $P1" 198.51.100.0 198.51.100.15
	idle

	log "cycle $i: the only pool deleted under traffic: nothing may survive on it"
	cgn "$board" pool del cgn1 $P1 || fail "pool del $P1 (only pool)"
	sleep 0.5
	fl_must s let n0 "okcount('st')"
	fl_must s cgn st "$board" stats cgn1
	fl_must s cgn users "$board" user show cgn1
	fl_true s "st[0]['users'] == 0 and st[0]['mappings'] == 0 and users == []" ||
		fail "state survived the deletion of the only pool: $(fl_py s "st[0]['users'], st[0]['mappings'], [(u['addr'], u['ext_addr'], u['mappings']) for u in users]")"
	sleep 1
	fl_true s "okcount('st') == n0" ||
		fail "flows still answered with no pool: $(fl_py s "[v['seen'] for v in streams['st'].values()]")"
	cgn "$board" pool add cgn1 $P1 || fail "pool add $P1 again"
	recovered "pool back" 198.51.100.0 198.51.100.15
	idle
done

fl_must s stop st
fl_must s cgn st "$board" stats cgn1
fl_py s st
log "flows sent $(fl_py s "sum(v['sent'] for v in streams['st'].values())"), answered $(fl_py s "okcount('st')")"

log "deleting the instance under the idle mappings"
cgn "$board" instance del cgn1 || fail "instance del"
echo "PASS: configuration changes under traffic: no crash, flows recover"
exit $ksft_pass
