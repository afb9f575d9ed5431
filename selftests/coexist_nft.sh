#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module with nftables and conntrack on the board: a stateful forward
# chain (established/related accepted, new only from the inside interface,
# policy drop) lets UDP and TCP flows through the NAT both ways and an ICMP
# error in as related, and refuses a new inbound flow; every hook and the
# conntrack entries see the subscriber's inside address, never a pool one
# (outside -> inside is translated before conntrack, inside -> outside
# after it).
source "$(dirname "$0")/lib_pkt.sh"

checktool nft
cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn_std "$board"

ip netns exec "$board" nft -f - <<'NFT' || fail "nft ruleset"
table inet cgnfw {
	counter fw_est { }
	counter fw_new_inside { }
	counter fw_dropped { }
	counter fwd_out_inside { }
	counter fwd_in_inside { }
	counter fwd_pool { }
	counter ct_inside { }
	counter ct_pool { }
	counter pre_in_inside { }
	counter pre_pool { }
	counter post_out_inside { }
	counter post_pool { }

	chain forward_f {
		type filter hook forward priority filter; policy drop;
		ip saddr 10.0.0.2 ip daddr 203.0.113.2 counter name "fwd_out_inside"
		ip saddr 203.0.113.2 ip daddr 10.0.0.2 counter name "fwd_in_inside"
		ip saddr 198.51.100.0/24 counter name "fwd_pool"
		ip daddr 198.51.100.0/24 counter name "fwd_pool"
		ct original ip saddr 10.0.0.2 ct reply ip daddr 10.0.0.2 counter name "ct_inside"
		ct original ip saddr 198.51.100.0/24 counter name "ct_pool"
		ct reply ip daddr 198.51.100.0/24 counter name "ct_pool"
		ct state established,related counter name "fw_est" accept
		ct state new iifname "b0" counter name "fw_new_inside" accept
		counter name "fw_dropped"
	}
	chain pre_f {
		type filter hook prerouting priority -150; policy accept;
		iifname "b1" ip daddr 10.0.0.2 counter name "pre_in_inside"
		iifname "b1" ip daddr 198.51.100.0/24 counter name "pre_pool"
	}
	chain post_f {
		type filter hook postrouting priority srcnat; policy accept;
		oifname "b1" ip saddr 10.0.0.2 counter name "post_out_inside"
		oifname "b1" ip saddr 198.51.100.0/24 counter name "post_pool"
	}
}
NFT

pkt_run pkt_nft.py || fail "nftables/conntrack coexistence checks"

echo "PASS: flows work through the NAT under a stateful nftables firewall on inside addresses"
exit $ksft_pass
