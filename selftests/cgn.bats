#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Drives the kselftest-style scripts beside this file: exit 0 passes,
# 4 skips, anything else fails (their output is shown on failure).

load ksft

@test "module: load, unload with live state, reload" { ksft module_load.sh; }
@test "nat44: UDP translated both ways, EIM, listed, expires" { ksft nat44_udp.sh; }
@test "nat44: TCP transfer intact both ways, states tracked" { ksft nat44_tcp.sh; }
@test "boards: two netns boards independent in one kernel" { ksft two_boards.sh; }
@test "netlink: bad input refused with extack, nothing changed" { ksft netlink_bad.sh; }
@test "fastpath: established flows bypass forward, intact, follow routes" { ksft fastpath.sh; }
@test "fastpath: devices translate at ingress, list kept, unhooked on exit" { ksft fastpath_dev.sh; }
