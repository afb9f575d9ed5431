#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's side of replication, without the agent: a bulk copy of an
# active board's instance (dump, begin, apply, end) makes a standby board's
# users, mappings, sessions and digest equal; events (relayed by a test
# helper) keep them equal as flows come, change state and expire; a copy
# after drift removes what the active board no longer has; malformed
# batches are refused whole; the standby creates and expires nothing by
# itself and gets full timers when promoted; events lost to a full socket
# show up as ENOBUFS or a sequence gap; sync-min-age keeps short flows off
# the standby.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_sync.sh"

cgn_load
setup_ns sub board out bk
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 10 30
for b in "$board" "$bk"; do
	board_basic "$b" 198.51.100.0/28 ports 1024-65535 block-size 512
done
cgn "$bk" instance set cgn1 role standby timeout udp 600 || fail "role standby"
cgn "$board" instance set cgn1 hold-down 2 || fail "hold-down"
cgn "$bk" instance set cgn1 hold-down 2 || fail "hold-down"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve tcp 5001
sync_setup_ctl

log "55 UDP flows from 11 subscribers, 3 TCP connections kept open"
fl_must s udp r1 10.0.0.10-10.0.0.20 40000-40004 203.0.113.2 5000 5
fl_true s "all(r1.values()) and len(r1) == 55" || fail "flows without reply"
for p in 41000 41001 41002; do
	fl_must s tcp t$p 10.0.0.10 $p 203.0.113.2 5001 open
done

log "bulk copy to the standby board"
out=$("$PY" "$SYNC_CTL" copy cgn1 "$board" "$bk") || fail "copy: $out"
log "copy: $out"
same user
same session
same_digest

log "the standby created and expires nothing of its own"
[ "$(stat_of "$bk" sessions_created)" = 0 ] || fail "standby created sessions"

log "events: new flows, a TCP close, all relayed"
stop=$(mktemp -u)
rel=$(mktemp)
ip netns exec "$board" "$PY" "$SYNC_CTL" relay "$board" "$bk" "$stop" >"$rel" &
relay_pid=$!
BG_PIDS+=($relay_pid)
wait_for 30 test -e "$stop.ready" || fail "relay did not start"
fl_must s udp r2 10.0.0.21-10.0.0.30 40000-40004 203.0.113.2 5000 5
fl_must s tcp tc 10.0.0.11 41100 203.0.113.2 5001 close
fl_must s tcp tr 10.0.0.12 41101 203.0.113.2 5001 rst
sleep 1
wait_for 10 fl_true s "len(cgnj('$bk', 'session', 'show', 'cgn1')) == len(cgnj('$board', 'session', 'show', 'cgn1'))" ||
	fail "standby did not catch up"
same user
same session
same_digest

log "expiry: 11 subscribers' UDP flows get a 2 s timer and expire; held (hold-down 10 s), then freed"
cgn "$board" instance set cgn1 timeout udp 2 hold-down 10 || fail "timeout"
fl_must s udp r3 10.0.0.10-10.0.0.20 40000-40004 203.0.113.2 5000 5
fl_must s wait 20 "not [x for x in cgnj('$board', 'session', 'show', 'cgn1', 'proto', 'udp') if x['in_addr'] in ['10.0.0.%d' % i for i in range(10, 21)]]"
sleep 1
same session
same_held 50	# the standby's own hold-down is 2 s: the timers must come from events
cgn "$board" instance set cgn1 hold-down 2 || fail "hold-down"
fl_must s wait 20 "cgnj('$board', 'stats', 'cgn1')[0]['mappings'] == len(cgnj('$board', 'session', 'show', 'cgn1'))"
sleep 1
same user
same session
same_digest
log "sync-min-age 3 s: a shorter flow never reaches the standby, a longer one does once of age"
bk_ports() { echo "[x['in_port'] for x in cgnj('$bk', 'session', 'show', 'cgn1') if x['in_port'] in (44000, 44001)]"; }
cgn "$board" instance set cgn1 sync-min-age 3000 || fail "sync-min-age"
fl_must s udp r7 10.0.0.30 44000 203.0.113.2 5000 5	# udp timer 2 s: gone before 3 s
cgn "$board" instance set cgn1 timeout udp 300 || fail "timeout"
fl_must s udp r8 10.0.0.30 44001 203.0.113.2 5000 5
sleep 1
fl_true s "$(bk_ports) == []" || fail "young sessions reached the standby: $(fl_py s "$(bk_ports)")"
fl_must s wait 15 "$(bk_ports) == [44001]"
fl_must s wait 15 "not [x for x in cgnj('$board', 'session', 'show', 'cgn1') if x['in_port'] == 44000]"
sleep 2
fl_true s "$(bk_ports) == [44001]" || fail "standby: $(fl_py s "$(bk_ports)")"
cgn "$board" instance set cgn1 sync-min-age 0 timeout udp 2 || fail "sync-min-age 0"
fl_must s udp r9 10.0.0.30 44001 203.0.113.2 5000 5	# its timer is 2 s now
fl_must s wait 20 "not [x for x in cgnj('$board', 'session', 'show', 'cgn1', 'proto', 'udp') if x['in_port'] in (44000, 44001)]"
sleep 1
same session

touch "$stop"
wait $relay_pid
log "relay: $(cat "$rel")"
[ "$(json_get "$(cat "$rel")" "j['gaps'], j['lost'], j['refused'], j['enobufs']")" = "(0, 0, 0, 0)" ] ||
	fail "relay saw gaps, losses or refusals: $(cat "$rel")"
[ "$(json_get "$(cat "$rel")" "j['deletes'] > 0 and j['entries'] > 100")" = True ] ||
	fail "relay carried too little: $(cat "$rel")"

log "drift: the rest expire while nothing is relayed, their ports held (hold-down 60 s); a copy removes the sessions and carries the held ports"
cgn "$board" instance set cgn1 hold-down 60 || fail "hold-down"
fl_must s udp r4 10.0.0.21-10.0.0.30 40000-40004 203.0.113.2 5000 5
fl_must s wait 20 "not cgnj('$board', 'session', 'show', 'cgn1', 'proto', 'udp')"
held=$(($(stat_of "$board" mappings) - $(stat_of "$board" sessions)))
[ "$held" -ge 50 ] || fail "$held held ports on the active board, not 50"
n=$(stat_of "$bk" sessions)
[ "$n" -gt "$(stat_of "$board" sessions)" ] || fail "standby expired entries by itself ($n)"
out=$("$PY" "$SYNC_CTL" copy cgn1 "$board" "$bk") || fail "copy: $out"
same user
same session
same_digest
same_held 50
cgn "$board" instance set cgn1 hold-down 2 || fail "hold-down"

log "malformed batches are refused whole, with a message"
"$PY" "$SYNC_CTL" bad cgn1 "$bk" || fail "a malformed batch was taken"

log "an active instance takes no copy"
out=$("$PY" "$SYNC_CTL" copy cgn1 "$bk" "$board" 2>&1) && fail "active board took a copy"
echo "$out" | grep -q "active" || fail "no clear message: $out"

log "promotion: the standby's sessions get full timers (its own udp 600 s) and live on"
cgn "$board" instance set cgn1 timeout udp 300 || fail "timeout"
fl_must s udp r6 10.0.0.10-10.0.0.12 43000 203.0.113.2 5000 5
out=$("$PY" "$SYNC_CTL" copy cgn1 "$board" "$bk") || fail "copy: $out"
fl_must s cgn b "$bk" session show cgn1 proto udp
fl_true s "len(b) == 3 and all(x['expires'] <= 300 for x in b)" || fail "copied timers: $(fl_py s "b")"
cgn "$bk" instance set cgn1 role active || fail "promote"
fl_must s cgn b "$bk" session show cgn1
fl_true s "all(x['expires'] > 500 for x in b if x['proto'] == 'udp')" ||
	fail "promoted UDP sessions lack full timers: $(fl_py s "[x['expires'] for x in b]")"
sleep 2
[ "$(stat_of "$bk" sessions)" = "$(fl_py s "len(b)")" ] || fail "promoted sessions expired"

log "lost events: a tiny socket buffer overflows; the relay notices"
cgn "$bk" instance set cgn1 role standby || fail "demote"
rm -f "$stop"
rm -f "$stop.ready"
ip netns exec "$board" "$PY" "$SYNC_CTL" relay "$board" "$bk" "$stop" 1024 >"$rel" &
relay_pid=$!
BG_PIDS+=($relay_pid)
wait_for 30 test -e "$stop.ready" || fail "relay did not start"
fl_must s udp r5 10.0.0.10-10.0.0.30 42000-42009 203.0.113.2 5000 5
sleep 1
touch "$stop"
wait $relay_pid
log "relay: $(cat "$rel")"
[ "$(json_get "$(cat "$rel")" "j['gaps'] + j['enobufs'] + j['lost'] > 0")" = True ] ||
	fail "loss went unnoticed: $(cat "$rel")"
[ "$(stat_of "$board" sync_queued)" -gt 0 ] || fail "nothing counted as queued"
exit 0
