#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors about packets that came in to a subscriber (RFC 5508): the
# subscriber's own port unreachable, and the board's time exceeded and
# fragmentation needed about a packet it translated inward. The remote must
# see the pool address as the outer source (subscriber's error) and as the
# embedded destination with the pool port, never an inside address; an
# error about no mapping must not leak out.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn_std "$board"

pkt_run pkt_icmp_err_out.py || fail "outbound ICMP error checks"

echo "PASS: outbound ICMP errors show the pool endpoint, never the inside one"
exit $ksft_pass
