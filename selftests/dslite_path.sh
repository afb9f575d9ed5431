#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DS-Lite through real B4s: TCP both ways with outer IPv6 fragments toward
# the B4 (tunnel MTU 1500, inner packets of 1500; then tunnel-mtu 1280),
# an ICMP error from outside back through the softwire, a TTL expiring at
# the AFTR answered from 192.0.0.1 (from outside: to the sender),
# hairpinning B4 to B4 and B4 to a NAT44 subscriber, DSCP both ways, a
# third B4 over its port block limit, malformed softwire packets.
source "$(dirname "$0")/lib_pkt.sh"
source "$(dirname "$0")/lib_dslite.sh"

cgn_load
setup_ns board out b4a b4b b4c sub
DSLITE_POOL="block-size 16" topo_dslite "$board" "$out" "$b4a" "$b4b" "$b4c"
cgn "$board" instance set cgn1 max-blocks 1 || fail "instance set"
# and a NAT44 subscriber 10.0.0.2 of the same instance
ip link add s0 netns "$sub" type veth peer name b0 netns "$board" || fail "veth"
ip -n "$sub" addr add 10.0.0.2/24 dev s0
ip -n "$sub" link set s0 up
ip -n "$sub" route add default via 10.0.0.1
ip -n "$board" addr add 10.0.0.1/24 dev b0
ip -n "$board" link set b0 up
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"

pkt_run pkt_dslite.py "$board" "$out" "$b4a" "$b4b" "$b4c" "$sub" || fail "see above"
cgn "$board" stats cgn1
echo "PASS: DS-Lite TCP, fragments, ICMP, TTL, hairpin, malformed"
exit $ksft_pass
