#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DS-Lite entries replicate: a bulk copy (the kernel's dump and apply, no
# agent) gives the standby board the same B4 users, mappings and sessions
# (B4 addresses included) and the same digest.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dslite.sh"
source "$(dirname "$0")/lib_sync.sh"

# tables BOARD WHAT: WHAT (user or session) of cgn1, without timers, sorted
tables() {
	json_get "$(cgn "$1" -j "$2" show cgn1)" \
		"sorted(json.dumps({k: v for k, v in x.items() if k != 'expires'}, sort_keys=True) for x in j)"
}

cgn_load
setup_ns board out b4a b4b bk
topo_dslite "$board" "$out" "$b4a" "$b4b"
cgn "$bk" instance add cgn1 softwire-len 48 role standby || fail "standby instance"
cgn "$bk" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$bk" dslite add cgn1 aftr "$AFTR" || fail "dslite aftr"
cgn "$bk" dslite add cgn1 b4 2001:db8::/32 || fail "dslite b4"

bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 120
wait_for 20 udp_listening "$out" 5000 || fail "UDP server did not start"
for b4 in "$b4a" "$b4b"; do
	ip netns exec "$b4" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
		--sport 40000 --count 1 >/dev/null || fail "no reply through $b4"
done

log "bulk copy to the standby board"
out_=$("$PY" "$SYNC_CTL" copy cgn1 "$board" "$bk") || fail "copy: $out_"
log "copy: $out_"
for what in user session; do
	a=$(tables "$board" "$what")
	b=$(tables "$bk" "$what")
	echo "$b"
	[ "$a" = "$b" ] || fail "$what tables differ: $a / $b"
done
case $b in *'"b4": "2001:db8:2::2"'*) ;; *) fail "no B4 in the standby's sessions" ;; esac
same_digest
st=$(cgn "$bk" -j stats cgn1)
[ "$(json_get "$st" "j[0]['softwires'] == 2 and j[0]['sync_refused'] == 0")" = True ] ||
	fail "standby counters: $st"

echo "PASS: DS-Lite users, mappings and sessions replicate with their B4"
exit $ksft_pass
