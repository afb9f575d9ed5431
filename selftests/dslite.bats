#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# DS-Lite AFTR (RFC 6333): real B4s (Linux ip6 tunnels) through one board.

load ksft

@test "dslite: UDP per B4, overlapping inside addresses, B4 prefixes, limits" { ksft dslite_udp.sh; }
@test "dslite: TCP, outer fragments, DSCP, ICMP, TTL, hairpin (B4, NAT44), port limit, malformed" { ksft dslite_path.sh; }
@test "dslite: replies follow the route to the B4 as it changes (cached route)" { ksft dslite_route.sh; }
@test "dslite: inner and outer fragments, unload under traffic" { ksft dslite_unload.sh; }
@test "dslite: entries replicate to a standby with their B4" { ksft dslite_sync.sh; }
