#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pings through a softwire, small and 1600 bytes (fragmented by the B4's
# host: inner fragments reassembled at the AFTR; the replies, reassembled
# too, go back in outer IPv6 fragments), then "rmmod cgn" under that
# traffic: no WARNING/BUG (checked by the VM runner), and after insmod and
# the same configuration the pings are answered again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dslite.sh"

# replies PING_LOG: how many echo replies it shows so far
replies() {
	grep -c "bytes from 203.0.113.2" "$1"
}

cgn_load
setup_ns board out b4a
topo_dslite "$board" "$out" "$b4a"
small=$(mktemp)
big=$(mktemp)
bg "$b4a" ping -i 0.05 -W 1 203.0.113.2 >"$small"
bg "$b4a" ping -i 0.2 -W 1 -s 1600 203.0.113.2 >"$big"
wait_for 20 test "$(replies "$big")" -ge 3 || fail "1600-byte pings not answered"
wait_for 20 test "$(replies "$small")" -ge 10 || fail "pings not answered"
st=$(cgn "$board" -j stats cgn1) || fail "stats"
echo "$st"
[ "$(json_get "$st" "j[0]['decap'] > 10 and j[0]['encap'] > 10 and j[0]['drop_tunnel'] == 0")" = True ] ||
	fail "counters did not move"

log "rmmod cgn under traffic"
rmmod cgn || fail "rmmod cgn with live softwires"
sleep 1

log "insmod and configure again: answered again"
cgn_load
cgn "$board" instance add cgn1 softwire-len 48 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" dslite add cgn1 aftr "$AFTR" || fail "dslite aftr"
cgn "$board" dslite add cgn1 b4 2001:db8::/32 || fail "dslite b4"
n=$(replies "$big")
wait_for 20 test "$(replies "$big")" -ge $((n + 3)) || fail "1600-byte pings not answered after insmod"

echo "PASS: DS-Lite inner and outer fragments, rmmod under softwire traffic"
exit $ksft_pass
