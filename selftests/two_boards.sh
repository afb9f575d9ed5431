#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two boards in one kernel: each netns has its own instances, pools and
# sessions; configuring or flushing one leaves the other as it was.
source "$(dirname "$0")/lib.sh"

cgn_load
setup_ns sub1 board1 out1 sub2 board2 out2
topo_nat44 "$sub1" "$board1" "$out1"
topo_nat44 "$sub2" "$board2" "$out2"

cgn "$board1" instance add east || fail "instance add"
cgn "$board1" pool add east 198.51.100.0/29 || fail "pool add"
cgn "$board1" nat44 add east inside 10.0.0.0/24 || fail "nat44 add"
cgn "$board2" instance add west || fail "instance add"
cgn "$board2" pool add west 198.51.100.8/29 block-size 1024 || fail "pool add"
cgn "$board2" nat44 add west inside 10.0.0.0/24 || fail "nat44 add"
# The same names in both boards do not collide either.
cgn "$board2" instance add east || fail "same instance name in another board"

bg "$out1" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
bg "$out2" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out1" 5000 || fail "server 1"
wait_for 20 udp_listening "$out2" 5000 || fail "server 2"

s1=$(ip netns exec "$sub1" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000) ||
	fail "board1 did not translate"
s2=$(ip netns exec "$sub2" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000) ||
	fail "board2 did not translate"
log "board1 mapped to $s1, board2 to $s2"
case $s1 in 198.51.100.[0-7]:*) ;; *) fail "board1 used $s1, not its pool" ;; esac
case $s2 in 198.51.100.[89]:* | 198.51.100.1[0-5]:*) ;; *) fail "board2 used $s2, not its pool" ;; esac

j1=$(cgn "$board1" -j instance show)
j2=$(cgn "$board2" -j instance show)
[ "$(json_get "$j1" "sorted(i['instance'] for i in j)")" = "['east']" ] || fail "board1 sees $j1"
[ "$(json_get "$j2" "sorted(i['instance'] for i in j)")" = "['east', 'west']" ] || fail "board2 sees $j2"
[ "$(json_get "$(cgn "$board1" -j session show)" "len(j)")" = 1 ] || fail "board1 sessions"
[ "$(json_get "$(cgn "$board2" -j session show)" "len(j)")" = 1 ] || fail "board2 sessions"

log "deleting board1's instance leaves board2 alone"
cgn "$board1" instance del east || fail "instance del"
[ "$(json_get "$(cgn "$board1" -j session show)" "len(j)")" = 0 ] || fail "board1 kept sessions"
[ "$(json_get "$(cgn "$board2" -j session show)" "len(j)")" = 1 ] || fail "board2 lost its session"
s2b=$(ip netns exec "$sub2" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000) ||
	fail "board2 stopped translating"
[ "$s2b" = "$s2" ] || fail "board2 mapping changed: $s2 -> $s2b"
ip netns exec "$sub1" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000 |
	grep -q '^198\.51\.100\.' && fail "board1 still translates after instance del"

echo "PASS: two boards configured and translating independently"
exit $ksft_pass
