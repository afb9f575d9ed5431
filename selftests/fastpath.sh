#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fast path: with `fastpath on`, established flows leave from
# PRE_ROUTING with the session's cached route (out) or the subscriber's
# (in), so a forward-chain counter sees only their first packets either
# way; payloads stay intact (TCP with GSO too); a route change takes effect
# at once, both ways; `fastpath off` restores the normal path.
source "$(dirname "$0")/lib.sh"

checktool nft
cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"

cgn "$board" instance add cgn1 fastpath on || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
ip netns exec "$board" nft -f - <<'NFT' || fail "nft"
table inet t {
	counter fwd_udp {
	}
	counter fwd_in {
	}
	chain fw {
		type filter hook forward priority 0; policy accept;
		ip saddr 10.0.0.2 udp sport 40000 counter name "fwd_udp"
		ip daddr 10.0.0.2 udp dport 40000 counter name "fwd_in"
	}
}
NFT
fwd_count() { nft_packets "$board" inet t fwd_udp; }

bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out" 5000 || fail "server did not start"
seen=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
	--sport 40000 --count 20 | sort -u) || fail "no replies"
[ "$(echo "$seen" | wc -l)" = 1 ] || fail "mapping changed: $seen"
case $seen in 198.51.100.*) ;; *) fail "not translated: $seen" ;; esac
fwd=$(fwd_count)
fwd_in=$(nft_packets "$board" inet t fwd_in)
log "20 datagrams out and 20 replies in, the forward chain saw $fwd and $fwd_in"
[ "$fwd" -ge 1 ] && [ "$fwd" -le 2 ] || fail "forward chain saw $fwd of 20: fast path not taken"
[ "$fwd_in" -ge 1 ] && [ "$fwd_in" -le 2 ] ||
	fail "forward chain saw $fwd_in of 20 replies: fast path not taken inbound"
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['pkts_out'] >= 20")" = True ] || fail "fast path packets not counted"
[ "$(json_get "$st" "j[0]['pkts_in'] >= 20")" = True ] || fail "fast path replies not counted"
[ "$(json_get "$st" "18 <= j[0]['fast_out'] <= 19 and 18 <= j[0]['fast_in'] <= 19")" = True ] ||
	fail "fast_out / fast_in do not count the 18-19 fast packets each way: $st"

log "TCP through the fast path: 2 MiB intact (GSO)"
upload_intact "$sub" "$out" 8081

# blackhole ADDR WHAT: with a blackhole route to ADDR on the board, the
# flow's next exchange fails at once; without it, it works again.
blackhole() {
	ip -n "$board" route add blackhole "$1/32"
	ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000 \
		--count 1 >/dev/null && fail "the cached route $2 outlived a route change"
	ip -n "$board" route del blackhole "$1/32"
	ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000 \
		--count 1 >/dev/null || fail "the flow did not come back after the route $2 returned"
}

log "a route change applies to established flows at once, both ways"
blackhole 203.0.113.2 "to the remote"
blackhole 10.0.0.2 "to the subscriber"

log "fastpath off: every packet goes through forward again"
cgn "$board" instance set cgn1 fastpath off || fail "instance set"
fast0=$(cgn "$board" -j stats cgn1)
before=$(fwd_count)
before_in=$(nft_packets "$board" inet t fwd_in)
ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40000 \
	--count 10 >/dev/null || fail "no replies with fastpath off"
after=$(fwd_count)
after_in=$(nft_packets "$board" inet t fwd_in)
[ $((after - before)) = 10 ] || fail "forward chain saw $((after - before)) of 10 with fastpath off"
[ $((after_in - before_in)) = 10 ] ||
	fail "forward chain saw $((after_in - before_in)) of 10 replies with fastpath off"
fast1=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$fast0" "(j[0]['fast_out'], j[0]['fast_in'])")" = \
  "$(json_get "$fast1" "(j[0]['fast_out'], j[0]['fast_in'])")" ] ||
	fail "fast counters moved with fastpath off: $fast0 -> $fast1"
echo "PASS: fast path taken both ways, intact, follows route changes, switchable"
exit $ksft_pass
