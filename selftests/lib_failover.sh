# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the failover selftests (failover.bats) and demo/failover.sh,
# sourced after lib.sh and lib_pool.sh. Two boards A and B, each its own
# netns, behind one LAN and in front of one WAN:
#
#   sub  10.0.0.10-.. /24, default via 10.0.0.1 (VIP of cgn1) --+
#   sub2 10.0.1.10-.. /24, default via 10.0.1.1 (VIP of cgn2) --+-- lan: br0
#        A l0 10.0.0.252/24 ------------------------------------+
#        B l0 10.0.0.253/24 ------------------------------------+
#
#   out  203.0.113.2/24 -----------------------------------------+-- wan: br0
#        198.51.100.0/28 via 203.0.113.1 (VIP of cgn1)           |
#        198.51.100.16/28 via 203.0.113.3 (VIP of cgn2)          |
#        A w0 203.0.113.252/24 ----------------------------------+
#        B w0 203.0.113.253/24 ----------------------------------+
#
#   A sy0 172.31.0.1/30 --- veth --- B sy0 172.31.0.2/30   (sync link)
#
# The second heartbeat path runs over the LAN (10.0.0.252 <-> 10.0.0.253).
# Both boards get the same cgn config: cgn1 (pool 198.51.100.0/28, inside
# 10.0.0.0/24) and, with "two", cgn2 (198.51.100.16/28, 10.0.1.0/24). The
# VIPs are on no board until an agent takes them.

FAILOVER_CTL=$HELPERS/failover_ctl.py
FLOWS_CTL=$FAILOVER_CTL		# fl_start runs this one
SYNCD=${SYNCD:-$TOP/tools/syncd/cgn-syncd}
HB_MS=${HB_MS:-100}
HB_MISS=${HB_MISS:-8}

# fo_topo [two]: namespaces sub sub2 lan wan out A B, links, addresses.
fo_topo() {
	local b i

	setup_ns sub sub2 lan wan out A B
	ip -n "$lan" link add br0 type bridge || fail "bridge"
	ip -n "$wan" link add br0 type bridge || fail "bridge"
	ip -n "$lan" link set br0 up
	ip -n "$wan" link set br0 up
	fo_port "$lan" "$sub" s0 ls
	fo_port "$lan" "$sub2" s0 ls2
	fo_port "$lan" "$A" l0 la
	fo_port "$lan" "$B" l0 lb
	fo_port "$wan" "$out" o0 wo
	fo_port "$wan" "$A" w0 wa
	fo_port "$wan" "$B" w0 wb
	ip -n "$sub" addr add 10.0.0.2/24 dev s0
	ip -n "$sub" route add default via 10.0.0.1
	ip -n "$sub2" addr add 10.0.1.10/24 dev s0
	ip -n "$sub2" route add default via 10.0.1.1
	ip -n "$out" addr add 203.0.113.2/24 dev o0
	ip -n "$out" route add 198.51.100.0/28 via 203.0.113.1
	ip -n "$out" route add 198.51.100.16/28 via 203.0.113.3
	i=252
	for b in "$A" "$B"; do
		ip -n "$b" addr add 10.0.0.$i/24 dev l0
		ip -n "$b" addr add 203.0.113.$i/24 dev w0
		ip netns exec "$b" sysctl -qw net.ipv4.ip_forward=1
		i=$((i + 1))
	done
	ip link add sy0 netns "$A" type veth peer name sy0 netns "$B" || fail "veth"
	ip -n "$A" addr add 172.31.0.1/30 dev sy0
	ip -n "$B" addr add 172.31.0.2/30 dev sy0
	ip -n "$A" link set sy0 up
	ip -n "$B" link set sy0 up
	for b in "$A" "$B"; do
		fo_config "$b" "$1"
	done
	FO_KEY=$(mktemp)
	head -c 32 /dev/urandom >"$FO_KEY"
	FO_LOGS=$(mktemp -d)
	export FAILOVER_HOOK_LOG=$FO_LOGS/hook.log
}

# fo_port BRIDGE-NS NS DEV BRIDGE-PORT: a veth from NS into the bridge.
fo_port() {
	ip link add "$3" netns "$2" type veth peer name "$4" netns "$1" || fail "veth"
	ip -n "$1" link set "$4" master br0 up
	ip -n "$2" link set "$3" up
}

fo_config() {	# fo_config BOARD [two]
	cgn "$1" instance add cgn1 || fail "instance add"
	cgn "$1" pool add cgn1 198.51.100.0/28 ports 1024-65535 block-size 512 || fail "pool"
	cgn "$1" nat44 add cgn1 inside 10.0.0.0/24 || fail "nat44"
	[ "$2" = two ] || return 0
	cgn "$1" instance add cgn2 || fail "instance add"
	cgn "$1" pool add cgn2 198.51.100.16/28 ports 1024-65535 block-size 512 || fail "pool"
	cgn "$1" nat44 add cgn2 inside 10.0.1.0/24 || fail "nat44"
}

declare -A FO_PIDS

# fo_agent A|B ARGS...: start the board's agent (sync link, path 2, hook).
fo_agent() {
	local which=$1 ns local peer hl hp

	shift
	if [ "$which" = A ]; then
		ns=$A local=172.31.0.1 peer=172.31.0.2 hl=10.0.0.252 hp=10.0.0.253
	else
		ns=$B local=172.31.0.2 peer=172.31.0.1 hl=10.0.0.253 hp=10.0.0.252
	fi
	echo "[+] $which: cgn-syncd $*" >&2
	"$SYNCD" -n "$ns" --local "$local" --peer "$peer" --key "$FO_KEY" \
		--hb-interval "$HB_MS" --hb-miss "$HB_MISS" \
		--hb2-local "$hl" --hb2-peer "$hp" \
		--hook "$HELPERS/failover_hook.sh" "$@" 2>>"$FO_LOGS/$which.log" &
	BG_PIDS+=($!)
	FO_PIDS[$which]=$!
}

# fo_pair_1to1 DEV ADDR/LEN...: agents in 1:1, A master, B backup, with
# these VIPs; returns once A is active holding them all and B is ready.
fo_pair_1to1() {
	local vips=("$@") vipargs=()

	while [ $# -ge 2 ]; do
		vipargs+=(--vip "$1" "$2")
		shift 2
	done
	fo_agent A --mode 1:1 --master "${vipargs[@]}"
	fo_agent B --mode 1:1 --backup "${vipargs[@]}"
	wait_for 30 fo_exactly_one cgn1 "${vips[@]}" ||
		{ fo_dump_logs; fail "no board took cgn1: $(fo_exactly_one cgn1 "${vips[@]}")"; }
	[ "$(fo_exactly_one cgn1 "${vips[@]}")" = A ] || fail "the master is not active"
	wait_for 20 fo_holds B "b['ha_state'] == 'ready'" || { fo_dump_logs; fail "B not ready"; }
}

fo_ns() { [ "$1" = A ] && echo "$A" || echo "$B"; }

fo_show() { "$CGNCTL" -j -n "$(fo_ns "$1")" board show; }

# fo_field A|B PYTHON-EXPR over the board show object 'b'
fo_field() { json_get "$(fo_show "$1")" "(lambda b: ($2))(j[0])"; }

fo_holds() { [ "$(fo_field "$1" "$2")" = True ]; }

# fo_wait SECS A|B EXPR: wait in controller "s" (no python start per poll)
# until EXPR holds over the board show object 'b'.
fo_wait() {
	fl s wait "$1" "safe(lambda: (lambda b: $3)(cgnj('$(fo_ns "$2")', 'board', 'show')[0]))" >/dev/null
}

fo_role() {	# fo_role A|B INSTANCE: active or standby, from the kernel
	"$CGNCTL" -j -n "$(fo_ns "$1")" instance show "$2" |
		grep -o '"role":"[a-z]*"' | cut -d'"' -f4
}

fo_has_addr() {	# fo_has_addr A|B DEV ADDR/LEN
	ip -n "$(fo_ns "$1")" -o addr show dev "$2" | grep -q " $3 "
}

fo_dump_logs() { tail -n 30 "$FO_LOGS"/*.log; }

# fo_kill A|B: the agent dies at once (SIGKILL: nothing released).
fo_kill() {
	kill -9 "${FO_PIDS[$1]}" 2>/dev/null
	wait "${FO_PIDS[$1]}" 2>/dev/null
}

# fo_links A|B up|down: every link of the board (LAN, WAN, sync).
fo_links() {
	local d ns

	ns=$(fo_ns "$1")
	for d in l0 w0 sy0; do
		ip -n "$ns" link set "$d" "$2"
	done
}

# fo_exactly_one INSTANCE DEV ADDR/LEN...: one board active for INSTANCE,
# and it holds every ADDR; the other none of them.
fo_exactly_one() {
	local inst=$1 ra rb act oth a

	shift
	ra=$(fo_role A "$inst")
	rb=$(fo_role B "$inst")
	if [ "$ra" = active ] && [ "$rb" = standby ]; then
		act=A oth=B
	elif [ "$rb" = active ] && [ "$ra" = standby ]; then
		act=B oth=A
	else
		echo "$inst: A $ra, B $rb"
		return 1
	fi
	while [ $# -ge 2 ]; do
		fo_has_addr "$act" "$1" "$2" || { echo "$act lacks $2"; return 1; }
		fo_has_addr "$oth" "$1" "$2" && { echo "$oth holds $2 too"; return 1; }
		shift 2
	done
	echo "$act"
}

# fo_check LABEL: after an event, every flow of controller "s" answers
# again, no TCP connection broke or lost a line, the server still has its
# $FO_NCONN connections, each UDP stream is seen from one outside address
# and port; print the losses and gaps measured since fo_reset_gaps.
fo_check() {
	local t

	t=$(fl_py s "now()")
	fl s wait 30 "fresh_all($t)" >/dev/null
	fl_true s "fresh_all($t)" || { fo_dump_logs; fail "$1: flows stalled: $(fl_py s "{k: (v['ok'], v['error']) for k, v in flows.items()}") $(fl_py s "{k: (len(v['got']), v['sent']) for k, v in udps.items()}")"; }
	fl_true s "tcp_ok()" || fail "$1: TCP broken: $(fl_py s "{k: (v['error'], v['bad']) for k, v in flows.items()}")"
	fl_true s "all(len(u['seen']) == 1 for u in udps.values())" ||
		fail "$1: UDP outside endpoint changed: $(fl_py s "{k: u['seen'] for k, u in udps.items()}")"
	fl_true s "len(echo_conns) == $FO_NCONN and all(c['closed'] is None for c in echo_conns)" ||
		fail "$1: server connections: $(fl_py s "echo_conns")"
	log "$1: UDP lost $(fl_py s "{k: lost(k) - lost0.get(k, 0) for k in udps}") (at 100 pkt/s), longest UDP gap $(fl_py s "{k: '%.0f ms' % (gap(k) * 1000) for k in udps}"), longest TCP echo gap $(fl_py s "'%.0f ms' % (max(f['max_gap'] for f in flows.values()) * 1000)")"
}

# fo_reset_gaps: measure the next event alone.
fo_reset_gaps() {
	fl_must s py "[u.update(max_gap=0.0) for u in udps.values()] and None"
	fl_must s py "[f.update(max_gap=0.0) for f in flows.values()] and None"
	fl_must s let lost0 "{k: lost(k) for k in udps}"
}
