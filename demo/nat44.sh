#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: one board translating subscribers' traffic (runs inside the VM).
#
#   subscribers             board                       internet
#   10.0.0.2-4 --- veth --- 10.0.0.1 | 203.0.113.1 --- veth --- 203.0.113.2
#                           pool 198.51.100.0/28, routed to the board
source "$(dirname "$0")/../selftests/lib.sh"

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addr_add "$sub" 10.0.0.3
sub_addr_add "$sub" 10.0.0.4

say "Configure the board with cgnctl"
cgn "$board" instance add cgn1
cgn "$board" pool add cgn1 198.51.100.0/28 ports 1024-65535 block-size 512
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24
cgn "$board" instance show

say "Three subscribers talk to a UDP echo server that reports what it sees"
bg "$out" "$PY" "$HELPERS/udp_peer.py" serve 5000 60
wait_for 20 udp_listening "$out" 5000 || fail "server did not start"
for a in 10.0.0.2 10.0.0.3 10.0.0.4; do
	seen=$(ip netns exec "$sub" "$PY" "$HELPERS/udp_peer.py" send 203.0.113.2 5000 \
		--src $a --sport 40000 --count 2 | tail -n 1) || fail "no reply for $a"
	echo "  $a:40000 is seen outside as $seen"
done

say "And one TCP download"
head -c 1048576 /dev/urandom >/tmp/demo.blob
bg "$out" socat -u OPEN:/tmp/demo.blob TCP-LISTEN:8080,reuseaddr
wait_for 20 tcp_listening "$out" 8080 || fail "server did not start"
got=$(ip netns exec "$sub" socat -u TCP:203.0.113.2:8080 STDOUT | sha256sum)
[ "$got" = "$(sha256sum </tmp/demo.blob)" ] && echo "  1 MiB received intact" ||
	fail "download corrupted"

say "The board's session table"
cgn "$board" session show
say "Subscribers and their port blocks (paired pooling: one address each)"
cgn "$board" user show cgn1
say "Per-subscriber view, as JSON"
cgn "$board" -j -p session show cgn1 user 10.0.0.3
say "Counters"
cgn "$board" stats cgn1
echo
echo "demo: done"
