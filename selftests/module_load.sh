#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload: the family appears and goes; unloading with boards
# configured, live sessions and their netns still alive is clean (the VM
# runner fails the run on any WARNING/BUG in dmesg); loading again works.
source "$(dirname "$0")/lib.sh"

cgn_unload || fail "rmmod before the test"
cgn_load
"$CGNCTL" stats >/dev/null || fail "family not usable after insmod"

setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn "$board" instance add cgn1 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 60
wait_for 20 udp_listening "$out" 5000 || fail "UDP server did not start"
ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 --count 2 ||
	fail "no translated flow before unload"
[ "$(json_get "$(cgn "$board" -j stats)" "j[0]['sessions']")" -ge 1 ] || fail "no live session"

log "rmmod with live sessions and the board netns alive"
rmmod cgn || fail "rmmod"
grep -q '^cgn ' /proc/modules && fail "module still loaded"
out_msg=$("$CGNCTL" stats 2>&1) && fail "cgnctl worked without the module"
echo "$out_msg" | grep -q "not loaded" || fail "unhelpful error without module: $out_msg"

log "load again: boards start empty"
cgn_load
js=$(cgn "$board" -j instance show) || fail "instance show"
[ "$(json_get "$js" "len(j)")" = 0 ] || fail "state survived the reload: $js"

log "netns deleted while configured, then unload"
cgn "$board" instance add cgn1 || fail "instance add after reload"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add after reload"
ip netns del "$board"
sleep 1
rmmod cgn || fail "rmmod after netns deletion"
echo "PASS: load, unload with live state, reload"
exit $ksft_pass
