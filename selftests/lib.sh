# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the cgn selftests, in the manner of the kernel's netfilter
# selftests: each test builds its own netns topology, prints what it does,
# and exits 0 (pass), 1 (fail) or 4 (skip).

ksft_pass=0
ksft_fail=1
ksft_skip=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CGNCTL=${CGNCTL:-$TOP/tools/cgnctl/cgnctl}
CGN_KO=${CGN_KO:-$TOP/kmod/cgn.ko}
PY=${PY:-/usr/bin/python3}
HELPERS=$TOP/selftests/helpers

ALL_NS=()
BG_PIDS=()

log() { echo "[+] $*"; }

fail() {
	echo "FAIL: $*"
	exit $ksft_fail
}

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

checktool() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not available"
}

cleanup_all() {
	local p ns

	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for ns in "${ALL_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup_all EXIT

# setup_ns VAR...: create a fresh netns per VAR, store its name in VAR.
setup_ns() {
	local var name

	for var in "$@"; do
		name="$var-$$-$RANDOM"
		ip netns add "$name" || fail "ip netns add $name"
		ip -n "$name" link set lo up
		ALL_NS+=("$name")
		eval "$var=$name"
	done
}

cgn_load() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -f "$CGN_KO" ] || skip "$CGN_KO not built"
	[ -x "$CGNCTL" ] || skip "$CGNCTL not built"
	grep -q '^cgn ' /proc/modules && return 0
	modprobe nf_defrag_ipv4 || fail "modprobe nf_defrag_ipv4"
	modprobe nf_defrag_ipv6 || fail "modprobe nf_defrag_ipv6"
	insmod "$CGN_KO" || fail "insmod $CGN_KO"
}

cgn_unload() {
	grep -q '^cgn ' /proc/modules || return 0
	rmmod cgn
}

# cgn NS ARGS...: cgnctl in a board netns, echoed.
cgn() {
	local ns=$1

	shift
	echo "[+] $ns: cgnctl $*" >&2
	"$CGNCTL" -n "$ns" "$@"
}

# Background process in a netns, killed at exit.
bg() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@" &
	BG_PIDS+=($!)
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
wait_for() {
	local end=$((SECONDS + $1))

	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

udp_listening() {
	ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q .
}

tcp_listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

# jq-less JSON access: json_get JSON PYTHON-EXPR (the JSON is bound to 'j').
# Sessions also get "inside", "outside" and "remote" as "addr:port".
json_get() {
	"$PY" - "$1" "$2" <<'PYEOF'
import json, sys
j = json.loads(sys.argv[1])
for s in j if isinstance(j, list) else []:
    if isinstance(s, dict) and "in_addr" in s:
        for k, a in (("inside", "in"), ("outside", "ext"), ("remote", "rem")):
            s[k] = "%s:%s" % (s[a + "_addr"], s[a + "_port"])
print(eval(sys.argv[2]))
PYEOF
}

#
# The NAT44 topology, one board:
#
#   $1 (subscriber)          $2 (board)                 $3 (outside)
#   10.0.0.2/24 --- veth --- 10.0.0.1/24
#                            203.0.113.1/24 --- veth --- 203.0.113.2/24
#                                                        198.51.100.0/24 via .1
#
# The pool (198.51.100.0/24 or part of it) is routed to the board and is
# not configured on any interface.
topo_nat44() {
	local sub=$1 board=$2 out=$3 sub_ip=${4:-10.0.0.2}

	ip link add s0 netns "$sub" type veth peer name b0 netns "$board" || fail "veth"
	ip link add o0 netns "$out" type veth peer name b1 netns "$board" || fail "veth"
	ip -n "$sub" addr add "$sub_ip/24" dev s0
	ip -n "$sub" link set s0 up
	ip -n "$sub" route add default via 10.0.0.1
	ip -n "$board" addr add 10.0.0.1/24 dev b0
	ip -n "$board" addr add 203.0.113.1/24 dev b1
	ip -n "$board" link set b0 up
	ip -n "$board" link set b1 up
	ip netns exec "$board" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$out" addr add 203.0.113.2/24 dev o0
	ip -n "$out" link set o0 up
	ip -n "$out" route add 198.51.100.0/24 via 203.0.113.1
}

# pg NS: apply "FILE COMMAND..." lines from stdin to /proc/net/pktgen in NS.
pg() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	ip netns exec "$1" bash -c '
		while read -r f cmd; do
			echo "$cmd" >"/proc/net/pktgen/$f" || { echo "pktgen $f: $cmd" >&2; exit 1; }
		done'
}

# pg_udp DEV COUNT MAC SRC_MIN SRC_MAX SPORT_MIN SPORT_MAX: pg lines for
# COUNT 64 B UDP packets to 203.0.113.2:9 (topo_nat44's outside), received
# on DEV as if from its link (xmit_mode netif_receive) and forwarded in the
# pktgen thread; source address and port step per packet.
pg_udp() {
	local d=$1

	echo "$d xmit_mode netif_receive"
	echo "$d count $2"
	echo "$d clone_skb 0"
	echo "$d pkt_size 64"
	echo "$d delay 0"
	echo "$d dst_mac $3"
	echo "$d dst 203.0.113.2"
	echo "$d src_min $4"
	echo "$d src_max $5"
	echo "$d udp_src_min $6"
	echo "$d udp_src_max $7"
	echo "$d udp_dst_min 9"
	echo "$d udp_dst_max 9"
}

# upload_intact SUB OUT PORT: 2 MiB over TCP from SUB to 203.0.113.2:PORT
# in OUT (topo_nat44's outside); fails unless they arrive unchanged.
upload_intact() {
	local tmp

	tmp=$(mktemp -d)
	head -c 2097152 /dev/urandom >"$tmp/blob"
	bg "$2" socat -u "TCP-LISTEN:$3,reuseaddr" "CREATE:$tmp/up"
	wait_for 20 tcp_listening "$2" "$3" || fail "TCP server on port $3 did not start"
	ip netns exec "$1" timeout 60 socat -u "OPEN:$tmp/blob" "TCP:203.0.113.2:$3" ||
		fail "upload to port $3"
	wait_for 10 sh -c "cmp -s $tmp/blob $tmp/up" || fail "upload to port $3 corrupted"
	rm -rf "$tmp"
}

# nft_packets NS FAMILY TABLE COUNTER: packets of a named nft counter.
nft_packets() {
	ip netns exec "$1" nft list counter "$2" "$3" "$4" | awk '$1 == "packets" { print $2 }'
}

# Add a second subscriber address to the subscriber netns.
sub_addr_add() {
	ip -n "$1" addr add "$2/24" dev s0
}
