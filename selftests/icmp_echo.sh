#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP echo through one board: the outside host sees the pool address and a
# translated identifier, the reply comes back to the subscriber with its
# own identifier (checksums checked on the wire), two subscribers using one
# identifier get distinct mappings, the session is listed;
# echo requests from outside to pool addresses reach nobody.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addr_add "$sub" 10.0.0.3
cgn_std "$board"

pkt_run pkt_icmp_echo.py || fail "ICMP echo checks"

echo "PASS: ICMP echo translated both ways and listed, inbound requests dropped"
exit $ksft_pass
