#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Session limits (RFC 6888 REQ-4): with max-sessions 10 a subscriber's 11th
# session is dropped and counted (drop_limit), with ICMP 3/1; so is a new
# remote endpoint on an existing mapping, inbound or outbound; its 10
# sessions keep working and another subscriber is unaffected; a refused
# flow leaves no mapping behind. The instance-wide session-limit caps the
# sum the same way, and a subscriber refused outright holds no block.
# Raising or lifting a limit applies at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 3 5
board_basic "$board" 198.51.100.0/28
cgn "$board" instance set cgn1 max-sessions 10 || fail "instance set max-sessions"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve udp 5001
fl_must s icmp

log "subscriber A opens 10 sessions"
fl_must s udp a 10.0.0.2 40000-40009 203.0.113.2 5000 5
fl_true s "all(a.values())" || fail "A's first 10 flows: $(fl_py s a)"
lim0=$(stat_of "$board" drop_limit)
unr0=$(stat_of "$board" icmp_unreach_sent)
[ "$lim0" = 0 ] || fail "drop_limit $lim0 before any limit was hit"

log "A's 11th session is dropped, counted, and answered with ICMP 3/1"
fl_must s let t0 "now()"
fl_must s udp a11 10.0.0.2 40010 203.0.113.2 5000 1
fl_true s "a11['10.0.0.2:40010'] is None" || fail "11th session went out"
[ "$(stat_of "$board" drop_limit)" = $((lim0 + 1)) ] || fail "drop_limit did not count the 11th session"
[ "$(stat_of "$board" icmp_unreach_sent)" -gt "$unr0" ] || fail "no ICMP sent for the 11th session"
fl_must s wait 5 "[e for e in icmp if e['time'] >= t0 and e['type'] == 3 and e['code'] == 1 and e.get('inner_sport') == 40010]"

log "a second remote endpoint on an existing mapping is a session too: dropped"
fl_must s udp a12 10.0.0.2 40000 203.0.113.2 5001 1
fl_true s "a12['10.0.0.2:40000'] is None" || fail "12th session (new remote) went out"
[ "$(stat_of "$board" drop_limit)" = $((lim0 + 2)) ] || fail "drop_limit did not count it"

log "inbound from a new remote endpoint to A's mapping: over the limit, dropped"
ext=$(fl_py s "a['10.0.0.2:40001']")
fl_must s pending junk 10.0.0.2 40001
fl_must s in "$out" sendto 5009 "${ext%:*}" "${ext#*:}"
fl_must s pending got 10.0.0.2 40001
fl_true s "got == []" || fail "inbound over the limit reached the subscriber: $(fl_py s got)"
[ "$(stat_of "$board" drop_limit)" = $((lim0 + 3)) ] || fail "inbound refusal not counted in drop_limit"

fl_must s cgn u "$board" user show cgn1 10.0.0.2
fl_true s "u[0]['sessions'] == 10 and u[0]['mappings'] == 10" ||
	fail "refused flows left state: $(fl_py s u)"

log "A's 10 sessions keep working with their ports"
fl_must s udp a2 10.0.0.2 40000-40009 203.0.113.2 5000 5
fl_true s "a2 == a" || fail "A's sessions changed: $(fl_py s a2)"

log "subscriber B is unaffected: 10 sessions of its own"
fl_must s udp b 10.0.0.3 40000-40009 203.0.113.2 5000 5
fl_true s "all(b.values())" || fail "B's flows were limited: $(fl_py s b)"

log "max-sessions 11: A's 11th now goes out"
cgn "$board" instance set cgn1 max-sessions 11 || fail "instance set"
fl_must s udp a11 10.0.0.2 40010 203.0.113.2 5000 3
fl_true s "a11['10.0.0.2:40010'] is not None" || fail "11th session refused under max-sessions 11"

log "session-limit 25 for the instance: 21 live, C gets 4 of 10"
cgn "$board" instance set cgn1 max-sessions 2000 session-limit 25 || fail "instance set session-limit"
lim1=$(stat_of "$board" drop_limit)
fl_must s udp c 10.0.0.4 40000-40009 203.0.113.2 5000 1.5
fl_py s c
fl_true s "sum(1 for v in c.values() if v) == 4" || fail "C got $(fl_py s "sum(1 for v in c.values() if v)") sessions, not 4"
[ "$(stat_of "$board" drop_limit)" = $((lim1 + 6)) ] || fail "drop_limit did not count C's 6 refused sessions"
[ "$(stat_of "$board" sessions)" = 25 ] || fail "instance has $(stat_of "$board" sessions) sessions, not 25"
blocks=$(stat_of "$board" blocks_used)
[ "$blocks" = 3 ] || fail "blocks_used $blocks, not 3"

log "D, refused outright, holds no block and no mapping"
fl_must s udp d 10.0.0.5 40000 203.0.113.2 5000 1
fl_true s "d['10.0.0.5:40000'] is None" || fail "D went out over the session-limit"
fl_must s cgn ud "$board" user show cgn1 10.0.0.5
fl_true s "ud == []" || fail "refused D is a subscriber: $(fl_py s ud)"
[ "$(stat_of "$board" blocks_used)" = 3 ] || fail "D's refusal took a block"

log "everyone's live sessions keep working"
fl_must s udp a3 10.0.0.2 40000-40010 203.0.113.2 5000 5
fl_must s udp b2 10.0.0.3 40000-40009 203.0.113.2 5000 5
fl_true s "all(a3.values()) and b2 == b" || fail "live sessions broke under the instance limit"
fl_must s udp c2 10.0.0.4 40000-40009 203.0.113.2 5000 1.5
fl_true s "[k for k, v in c2.items() if v] == [k for k, v in c.items() if v]" ||
	fail "C's live sessions changed: $(fl_py s c2)"

log "session-limit 0 lifts it: D goes out"
cgn "$board" instance set cgn1 session-limit 0 || fail "instance set session-limit 0"
fl_must s udp d 10.0.0.5 40000 203.0.113.2 5000 3
fl_true s "d['10.0.0.5:40000'] is not None" || fail "D still refused with no limit"

echo "PASS: per-subscriber and per-instance session limits drop, count and spare live sessions"
exit $ksft_pass
