#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hairpinning (RFC 4787 REQ-9, RFC 5382 REQ-8): subscriber A sends to
# subscriber B's outside address and port; B sees A's outside endpoint as
# the source, its reply reaches A from B's outside endpoint; checksums
# right on the wire; a TCP transfer through the hairpin is intact. With
# hairpin off the packet is dropped and counted as filtered. "hairpin.sh
# fast": the same with the fast path on and b0 (both subscribers' link) a
# fast-path device; hairpinned packets must keep taking the normal path.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addr_add "$sub" 10.0.0.3
cgn_std "$board"
if [ "${1:-}" = fast ]; then
	cgn "$board" instance set cgn1 fastpath on || fail "fastpath on"
	cgn "$board" fastpath add dev b0 || fail "fastpath add dev b0"
fi

pkt_run pkt_hairpin.py || fail "hairpin checks"

echo "PASS: UDP and TCP hairpinned with outside endpoints, refused when off"
exit $ksft_pass
