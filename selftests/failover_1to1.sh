#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 1:1 hot backup with cgn-syncd: A master, B backup (topology in
# lib_failover.sh). Long-lived TCP connections (numbered lines echoed and
# checked) and a 100 pkt/s UDP stream run through the active board while:
#   1. the sync link is cut with both boards alive: no dual-active;
#   2. a graceful "board switchover" moves cgn1 to B, then back to A;
#   3. A fails (links down, agent SIGKILLed): B takes over.
# Each time the flows keep the same outside address and port, no TCP
# connection breaks, and the lost datagrams and the failover time are
# printed; every session synced before the failure is on B after it.
# Then A returns: it gets a bulk copy and stays standby (non-preemptive);
# restarted with --revertive, it takes cgn1 back gracefully.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_failover.sh"

[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
fo_topo
sub_addrs "$sub" 10 20
VIPS=(l0 10.0.0.1/24 w0 203.0.113.1/24)
vipargs=(--vip l0 10.0.0.1/24 --vip w0 203.0.113.1/24)

fo_pair_1to1 "${VIPS[@]}"
fo_show A

fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
for i in 10 11 12 13; do
	fl_must s tcpflow t$i 10.0.0.$i 41000 203.0.113.2 7000 0.2
done
fl_must s ustream u 10.0.0.20 42000 203.0.113.2 5000 100
FO_NCONN=4
sleep 2

fo_reset_gaps
fo_check "start"
fl_must s let seen0 "{k: set(u['seen']) for k, u in udps.items()}"
log "seen outside: UDP $(fl_py s "udps['u']['seen']"), TCP $(fl_py s "[c['peer'] for c in echo_conns]")"

log "1. sync link cut, both boards alive: no dual-active"
fo_reset_gaps
ip -n "$A" link set sy0 down
fo_wait 15 B "b['sync_link_losses'] > 0" || { fo_dump_logs; fail "sync link loss not counted"; }
sleep 2
fo_exactly_one cgn1 "${VIPS[@]}" || { fo_dump_logs; fail "dual or no active after the sync link cut"; }
[ "$(fo_exactly_one cgn1 "${VIPS[@]}")" = A ] || fail "cgn1 moved on a sync link cut"
fo_holds B "b['heartbeat']['path2']['state'] == 'up' and b['heartbeat']['sync']['state'] == 'down'" ||
	fail "path state wrong: $(fo_show B)"
ip -n "$A" link set sy0 up
fo_wait 30 B "b['peer_state'] == 'up' and b['bulk_in'].get('cgn1') == 'finished'" ||
	{ fo_dump_logs; fail "no resync after the sync link returned"; }
fo_check "sync link cut"

log "2. graceful switchover to B under traffic, then back to A"
fo_reset_gaps
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
cgn "$A" board switchover || fail "switchover"
fo_wait 20 B "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "B did not take cgn1"; }
wait_for 10 fo_exactly_one cgn1 "${VIPS[@]}" || fail "switchover: $(fo_exactly_one cgn1 "${VIPS[@]}")"
[ "$(fo_exactly_one cgn1 "${VIPS[@]}")" = B ] || fail "switchover: cgn1 not on B"
log "switchover A -> B: $(fo_field B "b['last_switchover_ms']") ms (request to addresses announced)"
fo_check "switchover to B"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "UDP outside endpoint changed"
fo_reset_gaps
fo_wait 20 A "b['bulk_in'].get('cgn1') == 'finished' and b['bulk'] == 'finished'" || true
cgn "$A" board switchover cgn1 || fail "switchback"
fo_wait 20 A "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "A did not take cgn1 back"; }
wait_for 10 fo_exactly_one cgn1 "${VIPS[@]}" || fail "switchback: $(fo_exactly_one cgn1 "${VIPS[@]}")"
log "switchback B -> A: $(fo_field A "b['last_switchover_ms']") ms"
fo_check "switchback to A"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "UDP outside endpoint changed"

log "3. A fails: links down, agent killed"
fo_reset_gaps
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
fl_must s let synced "sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
log "sessions synced to B before the failure: $(fl_py s "len(synced)")"
fl_must s let tfail "now()"
fo_links A down
fo_kill A
fo_wait 20 B "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "B did not take over"; }
fo_has_addr B l0 10.0.0.1/24 && fo_has_addr B w0 203.0.113.1/24 || fail "B lacks the VIPs"
fo_check "failure of A"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "UDP outside endpoint changed after the failover"
fl_must s let after "sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
fl_true s "set(synced) <= set(after)" ||
	fail "sessions lost in the failover: $(fl_py s "sorted(set(synced) - set(after))[:5]")"
log "sessions on B after the failure: $(fl_py s "len(after)"), all $(fl_py s "len(synced)") synced ones kept"
log "FAILOVER: detection + takeover $(fo_field B "b['last_switchover_ms']") ms after detection (detect ${HB_MS}x${HB_MISS} ms), traffic gap UDP $(fl_py s "'%.0f ms' % (gap('u') * 1000)"), UDP lost $(fl_py s "lost('u') - lost0['u']") packets (at 100 pkt/s)"
log "UDP datagrams lost after the failure (count, first, last sent, s after links down): $(fl_py s "lostspan('u', tfail)")"
grep -q "takeover cgn1" "$FAILOVER_HOOK_LOG" || fail "hook not run: $(cat "$FAILOVER_HOOK_LOG")"
"$CGNCTL" -n "$B" board show

log "4. A returns: bulk copy, then standby (non-preemptive)"
fo_links A up
fo_agent A --mode 1:1 --master "${vipargs[@]}"
fo_wait 30 A "b['ha_state'] == 'ready' and b['bulk_in'].get('cgn1') == 'finished'" ||
	{ fo_dump_logs; fail "A got no bulk copy"; }
sleep 1
[ "$(fo_exactly_one cgn1 "${VIPS[@]}")" = B ] || fail "not non-preemptive: $(fo_exactly_one cgn1 "${VIPS[@]}")"
fo_check "return of A"

log "5. revertive: A's agent, restarted with --revertive 2, takes cgn1 back gracefully"
fo_reset_gaps
kill "${FO_PIDS[A]}"
wait "${FO_PIDS[A]}" 2>/dev/null
fo_agent A --mode 1:1 --master --revertive 2 "${vipargs[@]}"
fo_wait 40 A "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "A did not take cgn1 back"; }
wait_for 10 fo_exactly_one cgn1 "${VIPS[@]}" || fail "revert: $(fo_exactly_one cgn1 "${VIPS[@]}")"
[ "$(fo_exactly_one cgn1 "${VIPS[@]}")" = A ] || fail "revert: cgn1 not on A"
fo_check "revert to A"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "UDP outside endpoint changed"
fl_must s stopall
cat "$FAILOVER_HOOK_LOG"
exit 0
