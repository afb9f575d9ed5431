#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DS-Lite subscribers through a 1:1 failover (topology in lib_failover.sh,
# plus a real B4 on the LAN): both boards are AFTRs for cgn1 with the same
# AFTR address; the B4 reaches it via the IPv6 gateway 2001:db8:1::1, a VIP
# that moves with the instance (unsolicited NA). A TCP connection and a UDP
# stream from behind the B4, and a NAT44 UDP stream beside them, run
# through A; A fails (links down, agent killed); B takes over and every
# flow goes on with the same outside address and port, no TCP reset, and
# the B4's sessions (keyed by its IPv6 address) are on B.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_failover.sh"

AFTR=2001:db8:ffff::1
[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
modprobe -q ip6_tunnel 2>/dev/null
fo_topo
sub_addrs "$sub" 10 20
setup_ns b4
fo_port "$lan" "$b4" a0 lb4
i=252
for b in "$A" "$B"; do
	ip -n "$b" addr add 2001:db8:1::$i/64 dev l0 nodad
	ip -n "$b" addr add "$AFTR/128" dev lo nodad
	cgn "$b" dslite add cgn1 aftr "$AFTR" || fail "dslite aftr"
	cgn "$b" dslite add cgn1 b4 2001:db8:1::/64 || fail "dslite b4"
	i=$((i + 1))
done
ip -n "$b4" addr add 2001:db8:1::2/64 dev a0 nodad
ip -n "$b4" -6 route add "$AFTR/128" via 2001:db8:1::1
ip -n "$b4" -6 tunnel add dsl mode ipip6 local 2001:db8:1::2 remote "$AFTR" ||
	skip "no ip6 tunnel support"
ip -n "$b4" addr add 192.168.1.10/24 dev dsl
ip -n "$b4" link set dsl up
ip -n "$b4" route add default dev dsl

VIPS=(l0 10.0.0.1/24 w0 203.0.113.1/24 l0 2001:db8:1::1/64)
fo_pair_1to1 "${VIPS[@]}"

fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
fl_must s in "$b4" tcpflow td 192.168.1.10 41000 203.0.113.2 7000 0.2
fl_must s in "$b4" ustream ud 192.168.1.10 42000 203.0.113.2 5000 100
fl_must s ustream u 10.0.0.20 42000 203.0.113.2 5000 100
FO_NCONN=1
sleep 2
fo_reset_gaps
fo_check "start"
fl_must s let seen0 "{k: set(u['seen']) for k, u in udps.items()}"
fl_true s "len(seen0['ud']) == 1 and seen0['ud'] != seen0['u']" ||
	fail "B4 and NAT44 streams: $(fl_py s "seen0")"
log "seen outside: $(fl_py s "seen0"), TCP $(fl_py s "[c['peer'] for c in echo_conns]")"

log "the B4's sessions reach the standby, keyed by its IPv6 address"
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"
fl_true s "len([x for x in cgnj('$B', 'session', 'show', 'cgn1') if x.get('b4') == '2001:db8:1::2']) == 2" ||
	fail "B4 sessions on B: $(fl_py s "cgnj('$B', 'session', 'show', 'cgn1')")"
fl_must s let synced "sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"

log "A fails: links down, agent killed"
fo_reset_gaps
fo_links A down
fo_kill A
fo_wait 20 B "b['roles'].get('cgn1') == 'active'" || { fo_dump_logs; fail "B did not take over"; }
fo_has_addr B l0 2001:db8:1::1/64 || fail "B lacks the IPv6 gateway"
fo_check "failure of A"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" ||
	fail "outside endpoint changed: $(fl_py s "{k: u['seen'] for k, u in udps.items()}")"
fl_true s "set(synced) <= set(sess_keys(cgnj('$B', 'session', 'show', 'cgn1')))" ||
	fail "sessions lost in the failover"
[ "$(stat_of "$B" decap)" -gt 0 ] && [ "$(stat_of "$B" encap)" -gt 0 ] ||
	fail "B carries no softwire traffic: $("$CGNCTL" -n "$B" stats cgn1)"
log "FAILOVER (DS-Lite): takeover $(fo_field B "b['last_switchover_ms']") ms after detection, UDP lost B4 $(fl_py s "lost('ud') - lost0['ud']"), NAT44 $(fl_py s "lost('u') - lost0['u']") (at 100 pkt/s), longest TCP gap $(fl_py s "'%.0f ms' % (flows['td']['max_gap'] * 1000)")"
fl_must s stopall
exit 0
