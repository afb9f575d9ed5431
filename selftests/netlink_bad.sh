#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad configuration is refused with a clear extack message and changes
# nothing: through cgnctl (kernel-side checks) and with raw netlink
# messages that cgnctl would never build (types, lengths, ranges).
source "$(dirname "$0")/lib.sh"

cgn_load
setup_ns board

cgn "$board" instance add cgn1 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
cgn "$board" instance set cgn1 timeout udp 200 || fail "instance set"
before=$(cgn "$board" -j instance show) || fail "instance show"

# expect_err "MESSAGE" ARGS...: cgnctl fails with exit 1 and prints MESSAGE.
expect_err() {
	local want=$1 out rc

	shift
	out=$("$CGNCTL" -n "$board" "$@" 2>&1)
	rc=$?
	echo "[+] cgnctl $* -> $rc: $out"
	[ $rc = 1 ] || fail "cgnctl $* exited $rc, want 1"
	echo "$out" | grep -q "^Error: .*$want" || fail "cgnctl $*: missing '$want' in: $out"
}

expect_err "instance exists" instance add cgn1
expect_err "no such instance" pool add nope 198.51.100.16/28
expect_err "no such instance" instance del nope
expect_err "host bits set" pool add cgn1 198.51.100.17/28
expect_err "overlaps" pool add cgn1 198.51.100.8/29
expect_err "overlaps" nat44 add cgn1 inside 198.51.100.0/24
expect_err "overlaps" pool add cgn1 10.0.0.0/28
expect_err "/16 or longer" pool add cgn1 100.64.0.0/10
expect_err "larger than the port range" pool add cgn1 198.51.100.32/28 ports 2000-2100 block-size 512
expect_err "no such pool" pool del cgn1 198.51.100.32/28
expect_err "no such inside prefix" nat44 del cgn1 inside 10.9.0.0/24
# a refused setting leaves no half-made instance behind (compared below)
expect_err "out of range" instance add cgn2 timeout udp 0

log "raw netlink: wrong types, lengths and ranges"
ip netns exec "$board" "$PY" "$HELPERS/nl_raw.py" || fail "raw netlink checks"

after=$(cgn "$board" -j instance show)
[ "$before" = "$after" ] || fail "configuration changed by refused requests:
before: $before
after:  $after"
[ "$(cgn "$board" -j fastpath show)" = "[]" ] || fail "a refused request hooked a device"

echo "PASS: bad input refused with extack, configuration unchanged"
exit $ksft_pass
