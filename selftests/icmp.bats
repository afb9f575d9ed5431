#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Packet-level behaviour of the NAT44 path (ICMP, hairpinning, filtering,
# TCP opening, fragments, coexistence), checked on the wire: drives the
# kselftest-style scripts beside this file; exit 0 passes, 4 skips,
# anything else fails (their output is shown on failure).

load ksft

@test "icmp: echo translated both ways, listed, inbound requests dropped" { ksft icmp_echo.sh; }
@test "icmp: inbound errors rewritten with their embedded packet, bad ones dropped" { ksft icmp_err_in.sh; }
@test "icmp: outbound errors show the pool endpoint, never the inside one" { ksft icmp_err_out.sh; }
@test "hairpin: UDP and TCP between subscribers via outside endpoints, off drops" { ksft hairpin.sh; }
@test "hairpin: the same with the fast path on and b0 a fast-path device" { ksft hairpin.sh fast; }
@test "hairpin: an ICMP error between subscribers is translated (RFC 5508 sec. 7)" { ksft hairpin_icmp.sh; }
@test "filtering: EIF, ADF and APDF admit exactly what they should" { ksft filter.sh; }
@test "tcp: simultaneous open works, unsolicited SYN dropped without RST" { ksft tcp_open.sh; }
@test "fragments: 4000-byte datagrams translated whole both ways" { ksft frag.sh; }
@test "coexist: traffic the module does not own passes untouched" { ksft coexist_untouched.sh; }
@test "coexist: the board's own inside address is not translated" { ksft coexist_board_addr.sh; }
@test "coexist: nftables and conntrack on the board see inside addresses" { ksft coexist_nft.sh; }
