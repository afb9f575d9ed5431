#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The route toward a B4 is cached per B4 (encap.c); the replies of one
# running flow must follow it as it changes. B4 a gets a second link to
# the board; then, between bursts of the flow: a /128 route over the new
# link, an MTU of 1280 on that route (large replies leave in fragments),
# the route deleted, added again, and the link itself deleted (its
# device must not be held by the cache).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dslite.sh"

B4A=2001:db8:1::2

cgn_load
setup_ns board out b4a
topo_dslite "$board" "$out" "$b4a"
ip link add a1 netns "$b4a" type veth peer name c1 netns "$board" || fail "veth"
ip -n "$board" addr add 2001:db8:101::1/64 dev c1 nodad
ip -n "$board" link set c1 up
ip -n "$b4a" addr add 2001:db8:101::2/64 dev a1 nodad
ip -n "$b4a" link set a1 up

# one CPU sends every reply, so every encapsulation meets one CPU's cache
bg "$out" taskset -c 0 "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out" 5000 || fail "UDP server did not start"

tx() {
	ip netns exec "$board" cat "/sys/class/net/$1/statistics/tx_packets"
}

# via DEV OTHER N SIZE WHAT: N requests of the flow (SIZE bytes) answered,
# the replies left the board by DEV (at least PER packets each), not OTHER.
via() {
	local dev=$1 other=$2 n=$3 size=$4 what=$5 per=${6:-1} t o

	t=$(tx "$dev")
	o=$(tx "$other")
	ip netns exec "$b4a" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
		--sport 40000 --count "$n" --size "$size" >/dev/null ||
		fail "$what: replies lost"
	t=$(($(tx "$dev") - t))
	o=$(($(tx "$other") - o))
	echo "$what: $t packets out $dev, $o out $other"
	[ "$t" -ge $((n * per)) ] || fail "$what: replies did not leave by $dev"
	[ "$o" -lt "$n" ] || fail "$what: replies left by $other (stale route)"
}

log "the connected route: replies by b1"
via b1 c1 10 0 "connected"
log "a /128 over the second link: replies by c1"
ip -n "$board" -6 route add "$B4A/128" via 2001:db8:101::2 dev c1 || fail "route add"
via c1 b1 10 0 "/128 added"
log "MTU 1280 on it: 1468-byte IPv6 replies leave in two fragments"
ip -n "$board" -6 route change "$B4A/128" via 2001:db8:101::2 dev c1 mtu 1280 ||
	fail "route change"
via c1 b1 5 1400 "mtu 1280" 2
log "the /128 deleted, then added again"
ip -n "$board" -6 route del "$B4A/128" || fail "route del"
via b1 c1 10 0 "/128 deleted"
ip -n "$board" -6 route add "$B4A/128" via 2001:db8:101::2 dev c1 || fail "route add"
via c1 b1 10 0 "/128 added again"
log "the second link deleted: back to b1, its device freed"
timeout 30 ip -n "$board" link del c1 || fail "link del c1 hangs"
via b1 lo 10 0 "c1 deleted"

st=$(cgn "$board" -j stats cgn1) || fail "stats"
[ "$(json_get "$st" "j[0]['encap'] >= 55")" = True ] || fail "encap not counted: $st"
echo "PASS: replies toward a B4 follow its route as it changes"
exit $ksft_pass
