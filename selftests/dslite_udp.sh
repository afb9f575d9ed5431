#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two B4s whose hosts share 192.168.1.10 send UDP from the same port: each
# B4 is its own subscriber with its own mapping, replies come back
# encapsulated to the right B4, sessions and users show the B4. Only B4s of
# the B4 prefixes are served, max-softwires B4s per subscriber prefix; bad
# settings are refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dslite.sh"

cgn_load
setup_ns board out b4a b4b
topo_dslite "$board" "$out" "$b4a" "$b4b"

bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out" 5000 || fail "UDP server did not start"

log "192.168.1.10:40000 behind each B4 -> 203.0.113.2:5000"
seen_a=$(ip netns exec "$b4a" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
	--sport 40000 --count 2) || fail "no reply through B4 a: $seen_a"
seen_b=$(ip netns exec "$b4b" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
	--sport 40000 --count 2) || fail "no reply through B4 b: $seen_b"
echo "$seen_a" "$seen_b"
ext_a=$(echo "$seen_a" | sort -u)
ext_b=$(echo "$seen_b" | sort -u)
[ "$(echo "$ext_a" | wc -l)" = 1 ] || fail "mapping of B4 a changed: $seen_a"
case $ext_a in 198.51.100.*) ;; *) fail "B4 a not translated: $ext_a" ;; esac
case $ext_b in 198.51.100.*) ;; *) fail "B4 b not translated: $ext_b" ;; esac
[ "$ext_a" != "$ext_b" ] || fail "two B4s share one mapping: $ext_a"

log "sessions and users name their B4"
js=$(cgn "$board" -j session show cgn1) || fail "session show"
echo "$js"
[ "$(json_get "$js" "sorted((s['b4'], s['outside']) for s in j if s['inside']=='192.168.1.10:40000')")" = \
	"$(printf "[('2001:db8:1::2', '%s'), ('2001:db8:2::2', '%s')]" "$ext_a" "$ext_b")" ] ||
	fail "sessions do not match the B4s' mappings"
js=$(cgn "$board" -j session show cgn1 b4 2001:db8:2::2) || fail "session show b4"
[ "$(json_get "$js" "[s['outside'] for s in j]")" = "['$ext_b']" ] || fail "b4 filter: $js"
js=$(cgn "$board" -j user show cgn1) || fail "user show"
echo "$js"
[ "$(json_get "$js" "sorted(u['b4'] for u in j)")" = "['2001:db8:1::2', '2001:db8:2::2']" ] ||
	fail "users are not the two B4s"
cgn "$board" user show cgn1 | grep -q "^b4 2001:db8:1::2 -> 198.51.100" || fail "plain user line"

st=$(cgn "$board" -j stats cgn1) || fail "stats"
echo "$st"
[ "$(json_get "$st" "j[0]['decap'] >= 4 and j[0]['encap'] >= 4 and j[0]['softwires'] == 2 and j[0]['pkts_in'] >= 4")" = True ] ||
	fail "counters did not move"

log "a B4 outside the B4 prefixes is dropped and counted"
cgn "$board" dslite del cgn1 b4 2001:db8::/32 || fail "dslite del"
cgn "$board" dslite add cgn1 b4 2001:db8:1::/48 || fail "dslite add"
ip netns exec "$b4b" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40001 \
	--count 1 >/dev/null && fail "unserved B4 got through"
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['drop_b4'] >= 1 and j[0]['softwires'] == 0")" = True ] ||
	fail "drop_b4 not counted or softwires not flushed: $st"
ip netns exec "$b4a" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40002 \
	--count 1 >/dev/null || fail "served B4 cut off"
cgn "$board" dslite show cgn1 | grep -qx "b4 2001:db8:1::/48" || fail "dslite show"

log "max-softwires: a second B4 of one subscriber prefix waits for a higher limit"
cgn "$board" dslite del cgn1 b4 2001:db8:1::/48 || fail "dslite del"
cgn "$board" dslite add cgn1 b4 2001:db8::/32 || fail "dslite add"
cgn "$board" instance set cgn1 softwire-len 32 || fail "softwire-len"
ip netns exec "$b4a" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40003 \
	--count 1 >/dev/null || fail "first B4 of the subscriber refused"
ip netns exec "$b4b" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40003 \
	--count 1 >/dev/null && fail "second B4 of the subscriber got through"
st=$(cgn "$board" -j stats cgn1)
[ "$(json_get "$st" "j[0]['drop_softwires'] >= 1 and j[0]['softwires'] == 1")" = True ] ||
	fail "drop_softwires not counted: $st"
cgn "$board" instance set cgn1 max-softwires 2 || fail "max-softwires"
ip netns exec "$b4b" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --sport 40003 \
	--count 1 >/dev/null || fail "second B4 refused under max-softwires 2"
cgn "$board" instance set cgn1 softwire-len 48 max-softwires 1 || fail "instance set"
cgn "$board" dslite del cgn1 b4 2001:db8::/32 || fail "dslite del"
cgn "$board" dslite add cgn1 b4 2001:db8:1::/48 || fail "dslite add"

log "bad DS-Lite settings are refused with a reason, nothing changed"
refused() {	# refused MESSAGE CGNCTL-ARGS...: exit 1 and the kernel's MESSAGE
	local msg=$1 err

	shift
	err=$(cgn "$board" "$@" 2>&1) && fail "accepted: $*"
	case $err in *"$msg"*) ;; *) fail "\"$*\": \"$err\", not \"$msg\"" ;; esac
}
refused "instance has an AFTR address" dslite add cgn1 aftr 2001:db8:ffff::2
refused "host bits set" dslite add cgn1 b4 2001:db8:1::1/64
refused "overlaps a B4 prefix" dslite add cgn1 b4 2001:db8:1:2::/64
refused "no such B4 prefix" dslite del cgn1 b4 2001:db8:2::/48
refused "not the AFTR address" dslite del cgn1 aftr 2001:db8:ffff::2
refused "AFTR address must be IPv6 unicast" dslite add cgn1 aftr ff02::1
refused "out of range" instance set cgn1 tunnel-mtu 1000
[ "$(cgn "$board" dslite show cgn1)" = "$(printf 'aftr %s\nb4 2001:db8:1::/48' "$AFTR")" ] ||
	fail "DS-Lite settings changed"

echo "PASS: DS-Lite UDP per B4, overlapping inside addresses kept apart"
exit $ksft_pass
