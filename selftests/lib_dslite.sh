# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The DS-Lite topology (dslite.bats), sourced after lib.sh:
#
#   $2.. (B4s, netns)         $1 (board, AFTR)            out
#   2001:db8:N::2/64 ------- 2001:db8:N::1/64
#   tunnel dsl: ipip6 to 2001:db8:ffff::1 (on the board's lo)
#   192.168.1.10 behind every B4
#                            203.0.113.1/24 --- veth --- 203.0.113.2/24
#                                                        198.51.100.0/24 via .1
#
# Each B4 is a real one: Linux's own ip6 tunnel, mode ipip6. B4 number N
# (from 1) sits on 2001:db8:N::/64.

AFTR=2001:db8:ffff::1

# topo_dslite BOARD OUT B4...: also configures instance cgn1 on BOARD
# (pool options from $DSLITE_POOL).
topo_dslite() {
	local board=$1 out=$2 n=0 b4

	shift 2
	modprobe -q ip6_tunnel 2>/dev/null
	ip -n "$board" addr add "$AFTR/128" dev lo nodad
	ip link add o0 netns "$out" type veth peer name bo netns "$board" || fail "veth"
	ip -n "$board" addr add 203.0.113.1/24 dev bo
	ip -n "$board" link set bo up
	ip -n "$out" addr add 203.0.113.2/24 dev o0
	ip -n "$out" link set o0 up
	ip -n "$out" route add 198.51.100.0/24 via 203.0.113.1
	ip netns exec "$board" sysctl -qw net.ipv4.ip_forward=1
	for b4 in "$@"; do
		n=$((n + 1))
		ip link add a0 netns "$b4" type veth peer name "b$n" netns "$board" || fail "veth"
		ip -n "$board" addr add "2001:db8:$n::1/64" dev "b$n" nodad
		ip -n "$board" link set "b$n" up
		ip -n "$b4" addr add "2001:db8:$n::2/64" dev a0 nodad
		ip -n "$b4" link set a0 up
		ip -n "$b4" route add "$AFTR/128" via "2001:db8:$n::1"
		ip -n "$b4" -6 tunnel add dsl mode ipip6 local "2001:db8:$n::2" \
			remote "$AFTR" tclass inherit || skip "no ip6 tunnel support"
		ip -n "$b4" addr add 192.168.1.10/24 dev dsl
		ip -n "$b4" link set dsl up
		ip -n "$b4" route add default dev dsl
	done
	cgn "$board" instance add cgn1 softwire-len 48 || fail "instance add"
	# shellcheck disable=SC2086
	cgn "$board" pool add cgn1 198.51.100.0/28 ${DSLITE_POOL:-} || fail "pool add"
	cgn "$board" dslite add cgn1 aftr "$AFTR" || fail "dslite aftr"
	cgn "$board" dslite add cgn1 b4 2001:db8::/32 || fail "dslite b4"
}
