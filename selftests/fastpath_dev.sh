#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fast-path devices: on a device named with `cgnctl fastpath add dev`,
# established flows of `fastpath on` instances are translated at the
# device's ingress, before the IPv4 stack: a PRE_ROUTING counter (placed
# before every other hook) sees only their first packet, where the
# PRE_ROUTING fast path shows it every packet; on the subscriber side (b0)
# for packets out, on the outside (b1) for replies. Payloads stay intact
# (TCP with GSO). The list refuses
# bad requests, and a device leaves it when deleted or moved to another
# netns; deleting the netns or unloading the module with a hooked device
# leaves nothing behind.
source "$(dirname "$0")/lib.sh"

checktool nft
checktool socat
cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn "$board" instance add cgn1 fastpath on || fail "instance add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
ip netns exec "$board" nft -f - <<'NFT' || fail "nft"
table inet t {
	counter pre_41 {
	}
	counter pre_42 {
	}
	counter pre_back {
	}
	chain pre {
		type filter hook prerouting priority -500; policy accept;
		ip saddr 10.0.0.2 udp sport 40001 counter name "pre_41"
		ip saddr 10.0.0.2 udp sport 40002 counter name "pre_42"
		ip saddr 203.0.113.2 udp sport 5000 counter name "pre_back"
	}
}
NFT
pre_count() { nft_packets "$board" inet t "$1"; }
devs() { cgn "$board" -j fastpath show | "$PY" -c 'import json,sys; print(" ".join(d["dev"] for d in json.load(sys.stdin)))'; }

# send SPORT COUNT: COUNT datagrams, every reply checked
send() {
	local seen
	seen=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
		--sport "$1" --count "$2" | sort -u) || fail "sport $1: a reply is missing"
	[ "$(echo "$seen" | wc -l)" = 1 ] || fail "sport $1: mapping changed: $seen"
	case $seen in 198.51.100.*) ;; *) fail "sport $1: not translated: $seen" ;; esac
}

bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out" 5000 || fail "server did not start"

log "PRE_ROUTING fast path: the prerouting counter sees every packet"
send 40001 10
n=$(pre_count pre_41)
[ "$n" = 10 ] || fail "prerouting saw $n of 10 without a fast-path device"

log "fastpath add dev b0: established packets leave from b0's ingress"
cgn "$board" fastpath add dev b0 || fail "fastpath add dev b0"
[ "$(devs)" = b0 ] || fail "fastpath show: '$(devs)', not b0"
back=$(pre_count pre_back)
send 40002 20
n=$(pre_count pre_42)
log "20 datagrams of a new flow, prerouting saw $n"
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "prerouting saw $n of 20: ingress fast path not taken"
n=$(($(pre_count pre_back) - back))
[ "$n" = 20 ] || fail "prerouting saw $n of 20 replies on b1, not a fast-path device"

log "fastpath add dev b1: replies are translated at b1's ingress"
cgn "$board" fastpath add dev b1 || fail "fastpath add dev b1"
back=$(pre_count pre_back)
send 40003 20
n=$(($(pre_count pre_back) - back))
log "20 replies of a new flow, prerouting saw $n"
[ "$n" -le 2 ] || fail "prerouting saw $n of 20 replies: ingress fast path not taken inbound"
before=$(pre_count pre_41)
send 40001 10
n=$(($(pre_count pre_41) - before))
[ "$n" = 0 ] || fail "an established flow: prerouting saw $n of 10"
log "TCP through the ingress fast path: 2 MiB intact"
upload_intact "$sub" "$out" 8082
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['pkts_out'] >= 60 and j[0]['pkts_in'] >= 60")" = True ] ||
	fail "packets through the devices' ingress not counted: $st"

log "bad requests are refused with a reason, and change nothing"
expect_err() {
	local want=$1 out
	shift
	out=$("$CGNCTL" -n "$board" "$@" 2>&1) && fail "'$*' was accepted"
	case $out in *"$want"*) ;; *) fail "'$*': '$out', expected '$want'" ;; esac
}
expect_err "no such device" fastpath add dev nosuch0
expect_err "fast-path device already" fastpath add dev b0
expect_err "not a fast-path device" fastpath del dev lo
expect_err "no such device" fastpath del dev nosuch0
[ "$(devs)" = "b0 b1" ] || fail "after refusals: '$(devs)'"

log "a device leaves the list when deleted or moved to another netns"
ip -n "$board" link add d0 type dummy || fail "dummy d0"
ip -n "$board" link add d1 type dummy || fail "dummy d1"
cgn "$board" fastpath add dev d0 || fail "fastpath add dev d0"
cgn "$board" fastpath add dev d1 || fail "fastpath add dev d1"
[ "$(devs)" = "b0 b1 d0 d1" ] || fail "fastpath show: '$(devs)'"
ip -n "$board" link del d0
ip -n "$board" link set d1 netns "$out"
[ "$(devs)" = "b0 b1" ] || fail "after d0 deleted and d1 moved: '$(devs)'"
[ -z "$(cgn "$out" fastpath show)" ] || fail "d1 is a fast-path device of its new netns"

log "fastpath del dev b0 and b1: every packet through PRE_ROUTING again"
cgn "$board" fastpath del dev b0 || fail "fastpath del dev b0"
cgn "$board" fastpath del dev b1 || fail "fastpath del dev b1"
[ -z "$(devs)" ] || fail "fastpath show after del: '$(devs)'"
before=$(pre_count pre_42)
back=$(pre_count pre_back)
send 40002 10
n=$(($(pre_count pre_42) - before))
[ "$n" = 10 ] || fail "after del, prerouting saw $n of 10"
n=$(($(pre_count pre_back) - back))
[ "$n" = 10 ] || fail "after del, prerouting saw $n of 10 replies"

log "a board deleted, then the module unloaded, with hooked devices"
setup_ns b2
ip -n "$b2" link add e0 type dummy || fail "dummy e0"
cgn "$b2" fastpath add dev e0 || fail "fastpath add dev e0"
ip netns del "$b2"
cgn "$board" fastpath add dev b0 || fail "fastpath add dev b0 again"
cgn "$board" fastpath add dev b1 || fail "fastpath add dev b1"
send 40002 5
cgn_unload || fail "rmmod with hooked devices"
echo "PASS: ingress fast path taken and intact, device list kept, nothing left behind"
exit $ksft_pass
