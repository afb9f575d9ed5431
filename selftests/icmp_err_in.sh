#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors from outside about a subscriber's flow (RFC 5508): port
# unreachable, time exceeded from a router, fragmentation needed with its
# MTU, about UDP, TCP (8 bytes of header or all of it) and echo flows. The
# subscriber gets them with the outer destination and the embedded source
# back to its inside address and port, every checksum right. Errors with a
# bad ICMP or embedded IP checksum, or about no flow, reach nobody.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
# a router on the way, seen from the board as one more outside neighbour
ip -n "$out" addr add 203.0.113.254/24 dev o0
cgn_std "$board"

pkt_run pkt_icmp_err_in.py || fail "inbound ICMP error checks"

echo "PASS: inbound ICMP errors translated with their embedded packet, bad ones dropped"
exit $ksft_pass
