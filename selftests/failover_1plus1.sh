#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 1+1 hot backup with cgn-syncd: two instances crossed over the boards
# (A owns cgn1, B owns cgn2; topology in lib_failover.sh), TCP and UDP
# flows through both. B fails: A serves everything, the flows continue
# with the same outside endpoints. B returns: it takes nothing back by
# itself (non-preemptive); "board switchover cgn2" on B takes its own
# instance back gracefully. Then A fails: B serves everything.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_failover.sh"

[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
fo_topo two
sub_addrs "$sub" 10 12
ip -n "$sub2" addr add 10.0.1.11/24 dev s0
V1=(l0 10.0.0.1/24 w0 203.0.113.1/24)
V2=(l0 10.0.1.1/24 w0 203.0.113.3/24)
vipargs=(--vip l0 10.0.0.1/24@cgn1 --vip w0 203.0.113.1/24@cgn1
	 --vip l0 10.0.1.1/24@cgn2 --vip w0 203.0.113.3/24@cgn2)

fo_agent A --mode 1+1 --own cgn1 "${vipargs[@]}"
fo_agent B --mode 1+1 --own cgn2 "${vipargs[@]}"
wait_for 30 fo_exactly_one cgn1 "${V1[@]}" && wait_for 10 fo_exactly_one cgn2 "${V2[@]}" ||
	{ fo_dump_logs; fail "roles: $(fo_exactly_one cgn1 "${V1[@]}") $(fo_exactly_one cgn2 "${V2[@]}")"; }
[ "$(fo_exactly_one cgn1 "${V1[@]}")" = A ] && [ "$(fo_exactly_one cgn2 "${V2[@]}")" = B ] ||
	fail "each board should serve its own instance"
fo_show A

fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
fl_must s tcpflow a10 10.0.0.10 41000 203.0.113.2 7000 0.2
fl_must s tcpflow a11 10.0.0.11 41000 203.0.113.2 7000 0.2
fl_must s in "$sub2" tcpflow b10 10.0.1.10 41000 203.0.113.2 7000 0.2
fl_must s in "$sub2" tcpflow b11 10.0.1.11 41000 203.0.113.2 7000 0.2
fl_must s ustream u1 10.0.0.12 42000 203.0.113.2 5000 100
fl_must s in "$sub2" ustream u2 10.0.1.10 42000 203.0.113.2 5000 100
FO_NCONN=4
sleep 2
fo_reset_gaps
fo_check "start"
fl_true s "addr(list(udps['u1']['seen'])[0]).startswith('198.51.100.') and ipn(addr(list(udps['u1']['seen'])[0])) < ipn('198.51.100.16') <= ipn(addr(list(udps['u2']['seen'])[0]))" ||
	fail "each subnet should leave through its own pool: $(fl_py s "{k: u['seen'] for k, u in udps.items()}")"
fl_must s let seen0 "{k: set(u['seen']) for k, u in udps.items()}"
log "seen outside: $(fl_py s "seen0")"

synced() {	# synced: both instances' sessions equal on both boards
	fl_must s wait 20 "all(sess_keys(cgnj('$A', 'session', 'show', i)) == sess_keys(cgnj('$B', 'session', 'show', i)) for i in ('cgn1', 'cgn2'))"
	fl_must s let synced "{i: sess_keys(cgnj('$A', 'session', 'show', i)) for i in ('cgn1', 'cgn2')}"
}
kept() {	# kept BOARD: every synced session is on BOARD
	fl_true s "all(set(synced[i]) <= set(sess_keys(cgnj('$1', 'session', 'show', i))) for i in ('cgn1', 'cgn2'))" ||
		fail "sessions lost in the failover"
	log "all $(fl_py s "sum(len(v) for v in synced.values())") synced sessions kept"
}

log "1. B fails (it serves cgn2): A serves both"
fo_reset_gaps
synced
fl_must s let tfail "now()"
fo_links B down
fo_kill B
fo_wait 20 A "b['roles'] == {'cgn1': 'active', 'cgn2': 'active'}" || { fo_dump_logs; fail "A did not take cgn2"; }
for v in 10.0.0.1/24 10.0.1.1/24; do fo_has_addr A l0 $v || fail "A lacks $v"; done
for v in 203.0.113.1/24 203.0.113.3/24; do fo_has_addr A w0 $v || fail "A lacks $v"; done
fo_check "failure of B"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "outside endpoints changed"
kept "$A"
log "FAILOVER of B: takeover $(fo_field A "b['last_switchover_ms']") ms after detection (detect ${HB_MS}x${HB_MISS} ms), UDP gap cgn2 $(fl_py s "'%.0f ms' % (gap('u2') * 1000)"), lost $(fl_py s "lostspan('u2', tfail)") (packets, first, last s after links down)"
"$CGNCTL" -n "$A" board show | grep -E "^(mode|roles|vips|switchovers|last_switchover|peer_health|heartbeat\.(sync|path2)\.state)"

log "2. B returns: standby for everything, then takes cgn2 back on request"
fo_links B up
fo_agent B --mode 1+1 --own cgn2 "${vipargs[@]}"
fo_wait 30 B "b['ha_state'] == 'ready' and b['bulk_in'].get('cgn2') == 'finished'" ||
	{ fo_dump_logs; fail "B got no bulk copy"; }
sleep 1
[ "$(fo_exactly_one cgn2 "${V2[@]}")" = A ] || fail "B took cgn2 back by itself"
fo_reset_gaps
fo_wait 20 B "b['bulk'] == 'finished'"
cgn "$B" board switchover cgn2 || fail "switchover"
fo_wait 20 B "b['roles'].get('cgn2') == 'active'" || { fo_dump_logs; fail "B did not take cgn2"; }
wait_for 10 fo_exactly_one cgn2 "${V2[@]}" || fail "cgn2: $(fo_exactly_one cgn2 "${V2[@]}")"
[ "$(fo_exactly_one cgn1 "${V1[@]}")" = A ] || fail "cgn1 moved"
log "switchover of cgn2 to B: $(fo_field B "b['last_switchover_ms']") ms"
fo_check "cgn2 back on B"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "outside endpoints changed"

log "3. A fails (it serves cgn1): B serves both"
fo_reset_gaps
synced
fl_must s let tfail "now()"
fo_links A down
fo_kill A
fo_wait 20 B "b['roles'] == {'cgn1': 'active', 'cgn2': 'active'}" || { fo_dump_logs; fail "B did not take cgn1"; }
fo_check "failure of A"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "outside endpoints changed"
kept "$B"
log "FAILOVER of A: takeover $(fo_field B "b['last_switchover_ms']") ms after detection, UDP gap cgn1 $(fl_py s "'%.0f ms' % (gap('u1') * 1000)"), lost $(fl_py s "lostspan('u1', tfail)") (packets, first, last s after links down)"
fl_must s stopall
cat "$FAILOVER_HOOK_LOG"
exit 0
