#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The peer's mappings hold their ports on the standby: a board promoted
# after a copy hands out only the ports no copied mapping has. One pool
# address with one block of 8 ports (1024-1031); 6 UDP flows of 10.0.0.2
# through the active board, a bulk copy to the standby, which has its own
# subscriber side with a 10.0.0.2 too. Promoted, it gives that subscriber's
# new flows the 2 ports left, then drops the next one (drop_no_ports),
# while the copied mappings keep theirs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_sync.sh"

cgn_load
setup_ns sub board out sub2 bk out2
topo_nat44 "$sub" "$board" "$out"
topo_nat44 "$sub2" "$bk" "$out2"
for b in "$board" "$bk"; do
	board_basic "$b" 198.51.100.1/32 ports 1024-1031 block-size 8
	cgn "$b" instance set cgn1 max-blocks 1 hold-down 0 || fail "instance set"
done
cgn "$bk" instance set cgn1 role standby || fail "role standby"

fl_start s "$sub" t "$sub2"
fl_must s in "$out" serve udp 5000
fl_must t in "$out2" serve udp 5000
sync_setup_ctl

log "6 flows through the active board take 6 of the block's 8 ports"
fl_must s udp a 10.0.0.2 40000-40005 203.0.113.2 5000 5
fl_true s "all(a.values()) and len(set(port(v) for v in a.values())) == 6" ||
	fail "6 flows, 6 ports expected: $(fl_py s a)"

log "bulk copy to the standby, then promotion"
out=$("$PY" "$SYNC_CTL" copy cgn1 "$board" "$bk") || fail "copy: $out"
same user
same session
cgn "$bk" instance set cgn1 role active || fail "promote"
fl_must t cgn m "$bk" session show cgn1
fl_must t let copied "sorted(x['ext_port'] for x in m)"
fl_true t "len(copied) == 6" || fail "copied sessions: $(fl_py t m)"

log "the promoted board gives new flows the 2 ports left"
fl_must t udp n 10.0.0.2 41000-41001 203.0.113.2 5000 5
fl_true t "all(n.values())" || fail "a new flow got no reply: $(fl_py t n)"
fl_true t "sorted(port(v) for v in n.values()) == sorted(set(range(1024, 1032)) - set(copied))" ||
	fail "new flows took a copied mapping's port: new $(fl_py t "sorted(port(v) for v in n.values())"), copied $(fl_py t copied)"

log "and drops the next: the block is full"
drops0=$(stat_of "$bk" drop_no_ports)
fl_must t udp x 10.0.0.2 41002 203.0.113.2 5000 1
fl_true t "x['10.0.0.2:41002'] is None" || fail "a ninth port was handed out: $(fl_py t x)"
[ "$(stat_of "$bk" drop_no_ports)" -gt "$drops0" ] || fail "drop_no_ports did not move"
fl_must t cgn u "$bk" user show cgn1 10.0.0.2
fl_true t "u[0]['mappings'] == 8" || fail "promoted board's user: $(fl_py t u)"

echo "PASS: copied mappings hold their ports; a promoted board hands out only the rest"
exit $ksft_pass
