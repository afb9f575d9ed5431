# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh plus what the packet-level tests share: one board configured the
# usual way, and a runner for a python helper (helpers/pkt_*.py) that does
# all of a test's packet work in ONE process (python starts are slow under
# TCG), switching netns per socket; the netns names reach it as $SUB,
# $BOARD and $OUT.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# cgn_std BOARD: instance cgn1, pool 198.51.100.0/28, inside 10.0.0.0/24.
cgn_std() {
	cgn "$1" instance add cgn1 || fail "instance add"
	cgn "$1" pool add cgn1 198.51.100.0/28 ports 1024-65535 block-size 512 || fail "pool add"
	cgn "$1" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
}

# pkt_run HELPER [ARGS...]: run helpers/HELPER (from the root netns) with
# the test's netns names; its exit status is returned.
pkt_run() {
	local h=$1

	shift
	SUB=${sub:-} BOARD=${board:-} OUT=${out:-} CGNCTL=$CGNCTL \
		timeout 240 "$PY" "$HELPERS/$h" "$@"
}
