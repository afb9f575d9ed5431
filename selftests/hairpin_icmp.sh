#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hairpinned ICMP error (RFC 5508 section 7): subscriber A sends a
# datagram to B's outside endpoint, B's port is closed and B's stack answers
# A's outside endpoint with port unreachable. A must get it as if from
# B's outside address, with the embedded datagram the one A sent (A's inside
# source, B's outside destination), every checksum right.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addr_add "$sub" 10.0.0.3
cgn_std "$board"

pkt_run pkt_hairpin_icmp.py || fail "hairpinned ICMP error checks"

echo "PASS: a hairpinned ICMP error reaches the sender translated"
exit $ksft_pass
