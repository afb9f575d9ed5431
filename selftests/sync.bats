#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Hot backup, replication: the module's sync commands and events driven by
# a test helper, then cgn-syncd between two boards (kselftest-style
# scripts beside this file).

load ksft

@test "sync: bulk copy, events, drift copy, malformed batches, promotion, lost events" { ksft sync_kernel.sh; }
@test "sync: copied mappings hold their ports: a promoted board hands out only the rest" { ksft sync_ports.sh; }
@test "sync: cgn-syncd bulk and live copy; restarts, link flap, event loss, drift, wrong key" { ksft sync_agent.sh; }
