#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: two boards in 1:1 hot backup (runs inside the VM). Subscribers
# keep TCP connections and a UDP stream open through the master board A;
# A is killed (links down, agent gone); B takes over and the same flows
# carry on with the same outside address and port.
#
#   subscribers 10.0.0.x --- LAN --- A 10.0.0.252 / B 10.0.0.253 (VIP 10.0.0.1)
#   A 203.0.113.252 / B 203.0.113.253 (VIP 203.0.113.1) --- WAN --- 203.0.113.2
#   A and B: sync link 172.31.0.0/30, second heartbeat path over the LAN
source "$(dirname "$0")/../selftests/lib.sh"
source "$(dirname "$0")/../selftests/lib_pool.sh"
source "$(dirname "$0")/../selftests/lib_failover.sh"

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }

[ -x "$SYNCD" ] || fail "$SYNCD not built"
cgn_load
say "Two boards, the same cgn config on both (instance cgn1, pool 198.51.100.0/28)"
fo_topo
sub_addrs "$sub" 10 13
vipargs=(--vip l0 10.0.0.1/24 --vip w0 203.0.113.1/24)
fo_agent A --mode 1:1 --master "${vipargs[@]}"
fo_agent B --mode 1:1 --backup "${vipargs[@]}"
wait_for 30 fo_exactly_one cgn1 l0 10.0.0.1/24 w0 203.0.113.1/24 || fail "no active board"
echo "  active board: $(fo_exactly_one cgn1 l0 10.0.0.1/24 w0 203.0.113.1/24)"
echo "  cgn-syncd -n BOARD --local .. --peer .. --key .. --mode 1:1 --master|--backup \\"
echo "            --vip l0 10.0.0.1/24 --vip w0 203.0.113.1/24 --hb2-local .. --hb2-peer .."

say "Three TCP connections (echoed lines, checked) and 100 UDP datagrams/s"
fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
for i in 10 11 12; do
	fl_must s tcpflow t$i 10.0.0.$i 41000 203.0.113.2 7000 0.2
done
fl_must s ustream u 10.0.0.13 42000 203.0.113.2 5000 100
FO_NCONN=3
sleep 3
fo_reset_gaps
echo "  the server sees: TCP $(fl_py s "[c['peer'] for c in echo_conns]"), UDP $(fl_py s "udps['u']['seen']")"
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
echo "  sessions on A: $(fl_py s "len(cgnj('$A', 'session', 'show', 'cgn1'))"), replicated to B: $(fl_py s "len(cgnj('$B', 'session', 'show', 'cgn1'))")"
"$CGNCTL" -n "$B" board show | grep -E "^(mode|roles|peer_roles|bulk_in|heartbeat\.(sync|path2)\.state)"

say "Kill board A: its links go down and its agent dies"
fl_must s let tfail "now()"
fo_links A down
fo_kill A
fo_wait 20 B "b['roles'].get('cgn1') == 'active'" || fail "B did not take over"
fo_check "after the failover"
echo "  the server still sees: TCP $(fl_py s "[c['peer'] for c in echo_conns]"), UDP $(fl_py s "udps['u']['seen']")"
echo "  TCP lines echoed: $(fl_py s "{k: f['ok'] for k, f in flows.items()}"), no connection reset"
echo "  UDP: $(fl_py s "lostspan('u', tfail)[0]") datagrams lost, traffic gap $(fl_py s "'%.0f ms' % (gap('u') * 1000)")"

say "cgnctl board show on the survivor"
"$CGNCTL" -n "$B" board show | grep -vE "^(sent|applied|acked|epoch|peer_epoch|port|local|peer)[ .]"
fl_must s stopall
