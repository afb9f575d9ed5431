#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inbound filtering (RFC 4787 section 5, REQ-8): endpoint-independent by
# default (any remote reaches a mapping), address-dependent (only the
# addresses the subscriber sent to), address-and-port-dependent (only the
# exact remote endpoints). Refused packets reach nobody and are counted.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
ip -n "$out" addr add 203.0.113.3/24 dev o0
cgn_std "$board"

js=$(cgn "$board" -j instance show cgn1) || fail "instance show"
echo "$js"
[ "$(json_get "$js" "j[0].get('filtering')")" = eif ] || fail "default filtering is not eif"

pkt_run pkt_filter.py || fail "filtering checks"

echo "PASS: EIF, ADF and APDF filter inbound packets as specified"
exit $ksft_pass
