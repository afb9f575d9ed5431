#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP opening through one board (RFC 5382): a simultaneous open (both ends
# send a SYN, neither listens) connects and carries data both ways; an
# unsolicited inbound SYN to a pool address is dropped silently, with no
# RST (REQ-4) nor anything else sent back, and reaches nobody inside.
source "$(dirname "$0")/lib_pkt.sh"

checktool nft
cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn_std "$board"

# The subscriber's first SYN must not meet the outside host's stack (it
# would answer with a RST): the outside host drops plain SYNs to port 42000.
ip netns exec "$out" nft -f - <<'NFT' || fail "nft"
table ip simopen {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 42000 tcp flags & (syn | ack) == syn counter drop
	}
}
NFT

pkt_run pkt_tcp_open.py || fail "TCP open checks"

echo "PASS: simultaneous open works, unsolicited SYNs dropped without RST"
exit $ksft_pass
