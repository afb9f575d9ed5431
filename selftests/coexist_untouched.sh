#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the module does not own passes untouched: traffic between the
# outside host and the board's own address, between a subscriber and the
# board, and routed traffic from a prefix that is not an inside one keep
# their addresses, ports and identifiers, and create no session. A
# subscriber's flow afterwards is still translated.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
# a routed prefix behind the board that is not an inside one
ip -n "$sub" addr add 172.16.0.2/24 dev s0
ip -n "$board" addr add 172.16.0.1/24 dev b0
ip -n "$out" route add 172.16.0.0/24 via 203.0.113.1
cgn_std "$board"

pkt_run pkt_untouched.py || fail "untouched traffic checks"

echo "PASS: traffic the module does not own passes untouched, no sessions"
exit $ksft_pass
