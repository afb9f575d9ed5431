# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the pool, limit, hold-down, pass-through and stress selftests
# (pool.bats), sourced after lib.sh. Flows are driven by one long-lived
# helpers/flows_ctl.py per test (python starts are slow under TCG), started
# in the subscriber netns, spoken to over two FIFOs: one command line in,
# one answer line out. Its "in NETNS CMD" runs servers in other netns.

FLOWS_CTL=$HELPERS/flows_ctl.py

# fl_start NAME NS [NAME NS]...: start a flow controller in each NS,
# addressed as NAME (all at once: python starts are slow).
fl_start() {
	local name ns dir fdw fdr line names=() dirs=()

	while [ $# -ge 2 ]; do
		name=$1 ns=$2
		shift 2
		dir=$(mktemp -d)
		mkfifo "$dir/in" "$dir/out" || fail "mkfifo"
		# read-write opens never block, whoever comes first
		exec {fdw}<>"$dir/in" {fdr}<>"$dir/out"
		bg "$ns" env CGNCTL="$CGNCTL" "$PY" "$FLOWS_CTL" "$dir/in" "$dir/out"
		declare -g "FLW_$name=$fdw" "FLR_$name=$fdr"
		names+=("$name")
		dirs+=("$dir")
	done
	for name in "${names[@]}"; do
		fdr=FLR_$name
		read -r -t 90 line <&"${!fdr}" || fail "flow controller $name did not start"
		[ "$line" = ready ] || fail "flow controller $name: $line"
	done
	rm -rf "${dirs[@]}"	# both ends are open: the names can go
}

# fl NAME CMD...: one command; its answer on stdout; status 1 on "ERR".
fl() {
	local name=$1 w r line

	shift
	w=FLW_$name
	r=FLR_$name
	printf '%s\n' "$*" >&"${!w}"
	if ! read -r -t 300 line <&"${!r}"; then
		echo "ERR no answer from $name to: $*"
		return 1
	fi
	echo "$line"
	[[ $line != ERR* ]]
}

# fl_py NAME EXPR: the value of a python expression in NAME's namespace.
fl_py() {
	local name=$1

	shift
	fl "$name" py "$*"
}

# fl_true NAME EXPR: succeeds when EXPR is true in NAME's namespace.
fl_true() {
	[ "$(fl_py "$@")" = True ]
}

# fl_must NAME CMD...: run a controller command, fail the test on ERR;
# print its answer unless a bare "OK". Not in $(...): fail would only end
# the subshell.
fl_must() {
	local out

	out=$(fl "$@") || fail "$1: ${*:2}: $out"
	[ "$out" = OK ] || echo "$out"
}

# stat_of BOARD FIELD: one counter of instance cgn1 (plain cgnctl, no python).
stat_of() {
	"$CGNCTL" -j -n "$1" stats cgn1 | grep -o "\"$2\":[0-9]*" | cut -d: -f2
}

# sub_addrs NS FIRST LAST: add 10.0.0.FIRST..10.0.0.LAST to the subscriber.
sub_addrs() {
	local i

	for i in $(seq "$2" "$3"); do
		echo "addr add 10.0.0.$i/24 dev s0"
	done | ip -n "$1" -batch - || fail "adding subscriber addresses"
}

# board_basic BOARD [POOL ARGS...]: instance cgn1, inside 10.0.0.0/24, a pool.
board_basic() {
	local board=$1

	shift
	cgn "$board" instance add cgn1 || fail "instance add"
	cgn "$board" pool add cgn1 "$@" || fail "pool add $*"
	cgn "$board" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44 add"
}
