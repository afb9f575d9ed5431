#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's own inside address (10.0.0.1, inside the inside prefix) is
# the board's, not a subscriber's: its own traffic to and from the outside
# is not translated (only forwarded traffic is, kmod/nat44.c) and creates
# no subscriber, mapping or session; a ping to it from outside is answered.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
# e.g. a management network reaching the board's inside address
ip -n "$out" route add 10.0.0.1/32 via 203.0.113.1
cgn_std "$board"

pkt_run pkt_board_addr.py || fail "board address checks"

echo "PASS: the board's own inside address is left alone"
exit $ksft_pass
