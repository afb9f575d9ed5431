#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A UDP flow through one board: the outside peer sees the pool address and
# a pool port, always the same for one inside endpoint (endpoint-independent
# mapping); replies reach the subscriber; the session is listed; counters
# move; the session expires on its timer.
source "$(dirname "$0")/lib.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"

cgn "$board" instance add cgn1 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 ports 1024-65535 block-size 512 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"

bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5001 120
wait_for 20 udp_listening "$out" 5000 || fail "UDP server did not start"
wait_for 20 udp_listening "$out" 5001 || fail "UDP server did not start"

log "subscriber 10.0.0.2:40000 -> 203.0.113.2:5000 and :5001"
seen=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
	--sport 40000 --count 3) || fail "no UDP reply through the NAT: $seen"
seen2=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5001 \
	--sport 40000 --count 2 | sort -u) || fail "no UDP reply through the NAT (second remote)"
# the first remote again, now that the mapping has two sessions
seen3=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
	--sport 40000 --count 2 | sort -u) || fail "no UDP reply through the NAT (first remote again)"
echo "$seen" "$seen2" "$seen3"

ext=$(echo "$seen" | sort -u)
[ "$(echo "$ext" | wc -l)" = 1 ] || fail "mapping changed between packets: $seen"
[ "$seen2" = "$ext" ] || fail "mapping not endpoint-independent: $ext vs $seen2"
[ "$seen3" = "$ext" ] || fail "mapping changed on the first remote: $ext vs $seen3"
ext_ip=${ext%:*}
ext_port=${ext#*:}
case $ext_ip in
198.51.100.[0-9] | 198.51.100.1[0-5]) ;;
*) fail "outside source $ext_ip is not from the pool" ;;
esac
[ "$ext_port" -ge 1024 ] && [ "$ext_port" -le 65535 ] || fail "port $ext_port outside range"
[ "$ext_port" != 40000 ] || log "note: port kept by chance"

log "session table lists the flow with what the peer saw"
js=$(cgn "$board" -j session show cgn1) || fail "session show"
echo "$js"
n=$(json_get "$js" "len([s for s in j if s['proto']=='udp' and s['inside']=='10.0.0.2:40000' and s['outside']=='$ext' and s['remote'] in ('203.0.113.2:5000','203.0.113.2:5001')])")
[ "$n" = 2 ] || fail "expected 2 sessions for 10.0.0.2:40000 -> $ext, found $n"

st=$(cgn "$board" -j stats cgn1) || fail "stats"
echo "$st"
[ "$(json_get "$st" "j[0]['pkts_out'] >= 7 and j[0]['pkts_in'] >= 7 and j[0]['sessions'] == 2")" = True ] ||
	fail "counters did not move as expected"

log "packets to a pool address without a mapping are dropped and counted"
ip netns exec "$out" "$PY" "$HELPERS/udp_peer.py" send 198.51.100.3 9 --count 1 >/dev/null &&
	fail "unsolicited packet got an answer"
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['drop_no_mapping'] >= 1")" = True ] || fail "drop_no_mapping not counted"

log "sessions expire on the UDP timer"
cgn "$board" instance set cgn1 timeout udp 2 || fail "instance set"
ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40001 \
	--count 1 >/dev/null || fail "no reply for the short-lived flow"
js=$(cgn "$board" -j session show cgn1 user 10.0.0.2 proto udp)
[ "$(json_get "$js" "len([s for s in j if s['inside']=='10.0.0.2:40001'])")" = 1 ] ||
	fail "short-lived session not listed"
sleep 5
js=$(cgn "$board" -j session show cgn1)
[ "$(json_get "$js" "len([s for s in j if s['inside']=='10.0.0.2:40001'])")" = 0 ] ||
	fail "session did not expire: $js"
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['sessions_expired'] >= 1")" = True ] || fail "expiry not counted"

echo "PASS: UDP translated both ways, EIM, listed, counted, expired"
exit $ksft_pass
