#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DS-Lite through real B4s: TCP both ways with outer IPv6 fragments toward
# the B4 (tunnel MTU 1500, inner packets of 1500), an ICMP error from
# outside back through the softwire, a TTL expiring at the AFTR answered
# from 192.0.0.1, hairpinning B4 to B4, a third B4 over its port block
# limit, malformed softwire packets.
source "$(dirname "$0")/lib_pkt.sh"
source "$(dirname "$0")/lib_dslite.sh"

cgn_load
setup_ns board out b4a b4b b4c
DSLITE_POOL="block-size 16" topo_dslite "$board" "$out" "$b4a" "$b4b" "$b4c"
cgn "$board" instance set cgn1 max-blocks 1 || fail "instance set"

pkt_run pkt_dslite.py "$board" "$out" "$b4a" "$b4b" "$b4c" || fail "see above"
cgn "$board" stats cgn1
echo "PASS: DS-Lite TCP, fragments, ICMP, TTL, hairpin, malformed"
exit $ksft_pass
