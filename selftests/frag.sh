#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fragmented UDP through one board: a 4000-byte datagram from the
# subscriber arrives whole at the outside with the translated source (and
# went as fragments on both links); the 4000-byte answer reaches the
# subscriber intact; fragments sent out of order still make it. Payloads
# checked end to end on real sockets.
source "$(dirname "$0")/lib_pkt.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn_std "$board"

pkt_run pkt_frag.py || fail "fragment checks"

echo "PASS: fragmented datagrams translated whole both ways"
exit $ksft_pass
