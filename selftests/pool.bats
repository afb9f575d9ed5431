#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Pools, port blocks, limits, hold-down, pass-through, and configuration
# changes or unloading under traffic: kselftest-style scripts beside this
# file (exit 0 passes, 4 skips, anything else fails; output shown on
# failure), flows driven by helpers/flows_ctl.py.

load ksft

@test "pool: paired pooling, random ports inside blocks, blocks counted" { ksft pool_paired.sh; }
@test "pool: blocks on demand up to max-blocks, drop, ICMP 3/1, no eviction, freed ports reused" { ksft pool_blocks.sh; }
@test "pool: exhausted pool drops, blocks return after expiry" { ksft pool_exhaust.sh; }
@test "pool: outside port keeps the inside port's class" { ksft pool_class.sh; }
@test "limit: max-sessions and session-limit drop and count, spare live sessions" { ksft limit_sessions.sh; }
@test "hold: hold-down keeps freed ports, own endpoint resumes, clean TCP close frees" { ksft hold_down.sh; }
@test "pass: pass-through leaves untranslated, counted, pass del translates again" { ksft pass_through.sh; }
@test "stress: configuration changes under traffic, flows recover" { ksft stress_config.sh; }
@test "stress: rmmod under traffic, routing goes on, translation resumes" { ksft stress_unload.sh; }
@test "parallel: subscribers made and expired on every vCPU at once, tables add up" { ksft parallel.sh; }
