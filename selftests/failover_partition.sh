#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A true partition, then its healing, in 1:1 (topology in
# lib_failover.sh): A master, B backup. Both heartbeat paths are cut while
# both boards live (the sync link down, the LAN heartbeats dropped by a
# firewall on B), so B takes cgn1 as after a failure and both boards are
# active: what no rule can prevent while they cannot hear each other. The
# flows, drawn to B by its announcements, go on there with their synced
# sessions. When the paths heal, the owner (A, the master) keeps cgn1 and
# announces its addresses again, B steps down and counts the conflict, B's
# tables become a copy of A's again, and the flows, back on A, kept their
# outside address and port and no TCP connection broke.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_failover.sh"

[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
fo_topo
sub_addrs "$sub" 10 20
VIPS=(l0 10.0.0.1/24 w0 203.0.113.1/24)

fo_pair_1to1 "${VIPS[@]}"

fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
for i in 10 11; do
	fl_must s tcpflow t$i 10.0.0.$i 41000 203.0.113.2 7000 0.2
done
fl_must s ustream u 10.0.0.20 42000 203.0.113.2 5000 100
FO_NCONN=2
sleep 2
fo_reset_gaps
fo_check "start"
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"

log "1. partition: sync link down, LAN heartbeats dropped; both boards alive"
fo_reset_gaps
ip -n "$A" link set sy0 down
ip netns exec "$B" nft -f - <<-EOF || fail "nft"
	table inet partition {
		chain in {
			type filter hook input priority 0; policy accept;
			ip saddr 10.0.0.252 udp dport 7611 drop
		}
		chain out {
			type filter hook output priority 0; policy accept;
			ip daddr 10.0.0.252 udp dport 7611 drop
		}
	}
EOF
fo_wait 20 B "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "B did not take cgn1"; }
[ "$(fo_role A cgn1)" = active ] || fail "A gave up cgn1 without hearing B"
log "both boards active for cgn1, as they cannot hear each other"
fo_check "partition"

log "2. the paths heal: the owner keeps cgn1, B steps down and copies A again"
fo_reset_gaps
ip netns exec "$B" nft delete table inet partition
ip -n "$A" link set sy0 up
wait_for 30 fo_exactly_one cgn1 "${VIPS[@]}" ||
	{ fo_dump_logs; fail "after healing: $(fo_exactly_one cgn1 "${VIPS[@]}")"; }
[ "$(fo_exactly_one cgn1 "${VIPS[@]}")" = A ] || fail "the owner did not keep cgn1"
fo_holds B "b['conflicts'] >= 1" || fail "conflict not counted: $(fo_show B)"
fo_wait 30 B "b['peer_state'] == 'up' and b['bulk_in'].get('cgn1') == 'finished'" ||
	{ fo_dump_logs; fail "B got no copy after healing"; }
fl_must s wait 30 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))" ||
	fail "B's sessions differ from A's after healing"
fo_check "healing"
fl_must s stopall
"$CGNCTL" -n "$B" board show
exit 0
