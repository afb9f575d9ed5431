#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Hot backup, failover: cgn-syncd's 1:1 and 1+1 modes between two boards,
# failure detection on two paths, takeover of roles and addresses, graceful
# switchover (kselftest-style scripts beside this file).

load ksft

@test "failover 1:1: sync link cut, switchover and back, master failure, return; flows survive" { ksft failover_1to1.sh; }
@test "failover 1+1: crossed instances, either board fails, switchback on request; flows survive" { ksft failover_1plus1.sh; }
@test "failover DS-Lite: B4 flows (TCP, UDP) and NAT44 survive the master's failure; IPv6 gateway moves" { ksft failover_dslite.sh; }
@test "failover under keepalived: VRRP moves the VIPs, cgn-role promotes, flows survive" { ksft failover_keepalived.sh; }
@test "failover partition: both paths cut, both active; healed, the owner keeps the instance, flows survive" { ksft failover_partition.sh; }
