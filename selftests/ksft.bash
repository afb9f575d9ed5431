# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Loaded by the .bats files (`load ksft`): ksft SCRIPT runs a kselftest-style
# script beside them; exit 0 passes, 4 skips, anything else fails (its
# output is shown on failure).

ksft() {
	run timeout 600 "$BATS_TEST_DIRNAME/$1" "${@:2}"
	echo "$output"
	[ "$status" -ne 4 ] || skip "$(echo "$output" | grep '^SKIP:' | tail -n1)"
	[ "$status" -eq 0 ]
}
