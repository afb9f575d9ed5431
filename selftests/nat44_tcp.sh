#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP through one board: a 2 MiB download and a 2 MiB upload with default
# veth offloads (GSO, CHECKSUM_PARTIAL), payload checked end to end; the
# session is listed with the outside endpoint the server saw and its TCP
# state followed.
source "$(dirname "$0")/lib.sh"

checktool socat
cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"

cgn "$board" instance add cgn1 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"

tmp=$(mktemp -d)
head -c 2097152 /dev/urandom >"$tmp/blob"
want=$(sha256sum <"$tmp/blob" | cut -d' ' -f1)

log "download: server on 203.0.113.2:8080 sends 2 MiB"
bg "$out" socat -u "OPEN:$tmp/blob" "TCP-LISTEN:8080,reuseaddr"
wait_for 20 tcp_listening "$out" 8080 || fail "server did not start"
got=$(ip netns exec "$sub" timeout 60 socat -u TCP:203.0.113.2:8080,sourceport=41000 STDOUT |
	sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "download corrupted or cut: $got != $want"

log "upload: subscriber sends 2 MiB, server records its peer"
printf '#!/bin/sh\necho "$SOCAT_PEERADDR:$SOCAT_PEERPORT" >%s/peer\ncat >%s/up\n' "$tmp" "$tmp" >"$tmp/srv"
chmod +x "$tmp/srv"
bg "$out" socat -u "TCP-LISTEN:8081,reuseaddr" "EXEC:$tmp/srv"
wait_for 20 tcp_listening "$out" 8081 || fail "server did not start"
ip netns exec "$sub" timeout 60 socat -u "OPEN:$tmp/blob" TCP:203.0.113.2:8081,sourceport=41001 ||
	fail "upload failed"
wait_for 10 test -s "$tmp/peer" || fail "server saw no peer"
wait_for 10 sh -c "[ \"\$(sha256sum <$tmp/up | cut -d' ' -f1)\" = $want ]" ||
	fail "upload corrupted"
peer=$(cat "$tmp/peer")
log "server saw $peer"

js=$(cgn "$board" -j session show cgn1 proto tcp) || fail "session show"
echo "$js"
n=$(json_get "$js" "len([s for s in j if s['inside']=='10.0.0.2:41001' and s['outside']=='$peer' and s['remote']=='203.0.113.2:8081'])")
[ "$n" = 1 ] || fail "upload session with outside $peer not listed"
case $peer in 198.51.100.*) ;; *) fail "server saw $peer, not a pool address" ;; esac

# Both connections were closed with FINs: transitory state, short timer.
st=$(json_get "$js" "sorted(set(s['state'] for s in j))")
log "states: $st"
json_get "$js" "all(s['state'] in ('fin','closed') for s in j)" | grep -q True ||
	fail "closed connections not tracked as closing: $st"

log "a connection held open is established with the long timer"
bg "$out" socat -u "TCP-LISTEN:8082,reuseaddr" "OPEN:/dev/null"
wait_for 20 tcp_listening "$out" 8082 || fail "server did not start"
bg "$sub" sh -c "sleep 30 | socat -u STDIN TCP:203.0.113.2:8082,sourceport=41002"
wait_for 20 sh -c "$CGNCTL -n $board -j session show cgn1 proto tcp | grep -q '\"in_port\":41002'" ||
	fail "held connection not listed"
sleep 1
js=$(cgn "$board" -j session show cgn1 proto tcp)
[ "$(json_get "$js" "[s['state'] for s in j if s['inside']=='10.0.0.2:41002'][0]")" = established ] ||
	fail "open connection not established: $js"
[ "$(json_get "$js" "[s['expires'] for s in j if s['inside']=='10.0.0.2:41002'][0] > 7000")" = True ] ||
	fail "established session without the long timer"

rm -rf "$tmp"
echo "PASS: TCP download and upload intact through the NAT, states tracked"
exit $ksft_pass
