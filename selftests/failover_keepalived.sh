#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Under keepalived instead of cgn-syncd's own failover (tools/syncd/README,
# "Under keepalived instead"): keepalived (VRRP over the LAN) owns the VIPs
# and calls tools/syncd/cgn-role from its notify scripts; cgn-syncd only
# replicates. A long-lived TCP connection and a UDP stream run through A;
# A fails (links down, keepalived and agent killed); B becomes VRRP master,
# its instance active, and the flows go on with the same outside address
# and port. The losses are printed: VRRP detection takes about 3 adverts.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_failover.sh"

KEEPALIVED=$(command -v keepalived) || skip "keepalived not installed"
[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
fo_topo
sub_addrs "$sub" 10 20
ROLE=$TOP/tools/syncd/cgn-role
declare -A KA_PIDS

keepalived_on() {	# keepalived_on A|B PRIORITY
	local ns dir

	ns=$(fo_ns "$1")
	dir=$FO_LOGS/ka-$1
	mkdir -p "$dir"
	cat >"$dir/conf" <<-EOC
		global_defs {
			script_user root
			vrrp_garp_master_delay 0
		}
		vrrp_instance cgn1 {
			state BACKUP
			nopreempt
			interface l0
			virtual_router_id 51
			priority $2
			advert_int 1
			virtual_ipaddress {
				10.0.0.1/24 dev l0
				203.0.113.1/24 dev w0
			}
			notify_master "/usr/bin/env CGNCTL=$CGNCTL $ROLE active $ns"
			notify_backup "/usr/bin/env CGNCTL=$CGNCTL $ROLE standby $ns"
			notify_fault "/usr/bin/env CGNCTL=$CGNCTL $ROLE standby $ns"
		}
	EOC
	ip netns exec "$ns" "$KEEPALIVED" -n -l -D --vrrp -f "$dir/conf" \
		-p "$dir/keepalived.pid" -r "$dir/vrrp.pid" >>"$dir/log" 2>&1 &
	BG_PIDS+=($!)
	KA_PIDS[$1]=$!
}

# both standby until keepalived says otherwise; agents only replicate
for b in A B; do
	cgn "$(fo_ns $b)" instance set cgn1 role standby || fail "standby"
done
"$SYNCD" -n "$A" --local 172.31.0.1 --peer 172.31.0.2 --key "$FO_KEY" 2>>"$FO_LOGS/A.log" &
BG_PIDS+=($!)
agent_a=$!
"$SYNCD" -n "$B" --local 172.31.0.2 --peer 172.31.0.1 --key "$FO_KEY" 2>>"$FO_LOGS/B.log" &
BG_PIDS+=($!)
# B starts once A is master: with nopreempt the first master stays, and
# on a busy host A's keepalived may start later than B's
keepalived_on A 150
a_active() { [ "$(fo_role A cgn1)" = active ]; }
wait_for 30 a_active || { tail -n 20 "$FO_LOGS"/ka-A/log; fail "A did not become VRRP master"; }
keepalived_on B 100
VIPS=(l0 10.0.0.1/24 w0 203.0.113.1/24)
wait_for 30 fo_exactly_one cgn1 "${VIPS[@]}" ||
	{ tail -n 20 "$FO_LOGS"/ka-*/log; fail "keepalived: $(fo_exactly_one cgn1 "${VIPS[@]}")"; }
act=$(fo_exactly_one cgn1 "${VIPS[@]}")
log "VRRP master and active board: $act"
[ "$act" = A ] || fail "A (priority 150) should be master"

fl_start s "$sub"
fl_must s in "$out" echo 7000
fl_must s in "$out" serve udp 5000
fl_must s tcpflow t 10.0.0.10 41000 203.0.113.2 7000 0.2
fl_must s ustream u 10.0.0.20 42000 203.0.113.2 5000 100
FO_NCONN=1
sleep 2
fo_reset_gaps
fo_check "start"
fl_must s let seen0 "{k: set(u['seen']) for k, u in udps.items()}"
fl_must s wait 20 "sess_keys(cgnj('$A', 'session', 'show', 'cgn1')) == sess_keys(cgnj('$B', 'session', 'show', 'cgn1'))"

log "A fails: links down, keepalived and agent killed"
fo_reset_gaps
fo_links A down
kill -9 "${KA_PIDS[A]}" "$agent_a" 2>/dev/null
b_active() { [ "$(fo_role B cgn1)" = active ]; }
wait_for 20 b_active || { grep -i "script\|notify\|warn\|error" "$FO_LOGS"/ka-*/log | head -20; fail "B not active"; }
fo_has_addr B l0 10.0.0.1/24 && fo_has_addr B w0 203.0.113.1/24 || fail "B lacks the VIPs"
fo_check "failure of A under keepalived"
fl_true s "{k: u['seen'] for k, u in udps.items()} == seen0" || fail "outside endpoint changed"
log "KEEPALIVED: UDP lost $(fl_py s "lost('u') - lost0['u']") (at 100 pkt/s, advert_int 1), longest UDP gap $(fl_py s "'%.0f ms' % (gap('u') * 1000)"), longest TCP gap $(fl_py s "'%.0f ms' % (flows['t']['max_gap'] * 1000)")"
fl_must s stopall
exit 0
