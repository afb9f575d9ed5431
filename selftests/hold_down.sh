#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port hold-down (RFC 6888 REQ-8). With one-port blocks (so each port's
# fate is visible), timeout udp 2 and hold-down 8: once a mapping's last
# session expires its port is not given to another subscriber, nor does it
# accept inbound packets, until the hold-down is over; then it is. The same
# inside endpoint takes its held mapping, and port, up again meanwhile.
# TCP: a clean close (FIN both ways) frees the port as soon as the session
# ends, even with hold-down 60, while a connection ended by a RST is held:
# shown on a pool of one single port.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

HOLD=8

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 3 4
board_basic "$board" 198.51.100.1/32 ports 1024-1025 block-size 1
cgn "$board" instance set cgn1 max-blocks 1 timeout udp 2 hold-down $HOLD || fail "instance set"

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve tcp 8000
fl_must s set B "$board"

log "UDP: A and B each get one of the two ports"
fl_must s udp ab 10.0.0.2,10.0.0.3 40000 203.0.113.2 5000 3
fl_py s ab
fl_true s "sorted(port(v) for v in ab.values() if v) == [1024, 1025]" || fail "A and B: $(fl_py s ab)"
pa=$(fl_py s "port(ab['10.0.0.2:40000'])")
pb=$(fl_py s "port(ab['10.0.0.3:40000'])")

log "their sessions expire; the mappings are held, their ports out of use"
fl_must s wait 20 "cgnj(B, 'stats', 'cgn1')[0]['sessions'] == 0"
fl_must s let tE "now()"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['mappings'] == 2 and st[0]['users'] == 2 and st[0]['blocks_used'] == 2" ||
	fail "held mappings not kept: $(fl_py s st)"
fl_must s cgn ss "$board" session show cgn1
fl_true s "ss == []" || fail "sessions listed after expiry: $(fl_py s ss)"

log "C gets neither held port"
drops0=$(stat_of "$board" drop_no_ports)
fl_must s udp c 10.0.0.4 40000 203.0.113.2 5000 0.5
fl_true s "c['10.0.0.4:40000'] is None" ||
	fail "C got a held port $(fl_py s c) $(fl_py s "round(now() - tE, 1)")s after the expiry (hold-down $HOLD)"

log "A's same inside endpoint takes its held mapping up again: port $pa"
fl_must s udp a2 10.0.0.2 40000 203.0.113.2 5000 3
fl_true s "a2['10.0.0.2:40000'] == ab['10.0.0.2:40000']" ||
	fail "A did not get its held port back: $(fl_py s a2) (had $pa)"
fl_true s "now() - tE < $HOLD - 3" || fail "too slow: A's check ran after the hold-down"
[ "$(stat_of "$board" drop_no_ports)" -gt "$drops0" ] || fail "C's drop not counted"

log "inbound to B's held port $pb is dropped"
nomap0=$(stat_of "$board" drop_no_mapping)
fl_must s pending junk 10.0.0.3 40000
fl_must s in "$out" sendto 5009 198.51.100.1 "$pb"
fl_must s pending got 10.0.0.3 40000
fl_true s "got == []" || fail "a held port let an inbound packet in: $(fl_py s got)"
[ "$(stat_of "$board" drop_no_mapping)" -gt "$nomap0" ] || fail "inbound to a held port not counted"
fl_true s "now() - tE < $HOLD - 2" || fail "too slow: the inbound check ran after the hold-down"

log "C tries every 0.5 s: it gets B's port $pb once B's hold-down is over, not before"
fl_must s wait 20 "ctl.udp('c', '10.0.0.4', '40000', '203.0.113.2', '5000', '0.5') == 'OK 1'"
held_for=$(fl_py s "round(now() - tE, 1)")
log "C went out ${held_for}s after B's session expired (hold-down $HOLD)"
fl_true s "now() - tE >= $HOLD - 2" || fail "B's port reused after ${held_for}s, within the hold-down"
fl_true s "port(c['10.0.0.4:40000']) == $pb" || fail "C got $(fl_py s c), not B's freed port $pb"

log "TCP on a pool of one port, hold-down 60, timeout tcp-trans 2"
cgn "$board" pool del cgn1 198.51.100.1/32 || fail "pool del"
cgn "$board" pool add cgn1 198.51.100.1/32 ports 1024-1024 block-size 1 || fail "pool add"
cgn "$board" instance set cgn1 hold-down 60 timeout tcp-trans 2 || fail "instance set"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['mappings'] == 0 and st[0]['blocks_total'] == 1" || fail "pool not fresh: $(fl_py s st)"

log "A connects and closes cleanly (FIN both ways)"
seen=$(fl s tcp ta 10.0.0.2 41000 203.0.113.2 8000 close)
[ "$seen" = 198.51.100.1:1024 ] || fail "A's connection: $seen"
fl_must s let tF "now()"
log "the port is free once the closed session times out, not 60 s later"
fl_must s wait 20 "cgnj(B, 'stats', 'cgn1')[0]['mappings'] == 0"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['blocks_used'] == 0 and st[0]['users'] == 0" || fail "A's block not back: $(fl_py s st)"

log "B gets the freed port, then aborts with a RST"
seen=$(fl s tcp tb 10.0.0.3 41000 203.0.113.2 8000 rst)
[ "$seen" = 198.51.100.1:1024 ] || fail "B could not use the port A closed cleanly: $seen"
log "after a RST the mapping is held"
fl_must s wait 20 "cgnj(B, 'stats', 'cgn1')[0]['sessions'] == 0"
fl_must s cgn st "$board" stats cgn1
fl_true s "st[0]['mappings'] == 1 and st[0]['blocks_used'] == 1" || fail "mapping ended by RST not held: $(fl_py s st)"
drops0=$(stat_of "$board" drop_no_ports)
seen=$(fl s tcp tc 10.0.0.4 41000 203.0.113.2 8000 close 3)
[ "$seen" = - ] || fail "C got the port B's RST left held: $seen"
[ "$(stat_of "$board" drop_no_ports)" -gt "$drops0" ] || fail "C's SYN drop not counted"

log "B's same inside endpoint reconnects on its held port, and closes cleanly"
seen=$(fl s tcp tb2 10.0.0.3 41000 203.0.113.2 8000 close)
[ "$seen" = 198.51.100.1:1024 ] || fail "B's endpoint could not take its held mapping up: $seen"
fl_must s wait 20 "cgnj(B, 'stats', 'cgn1')[0]['mappings'] == 0"
seen=$(fl s tcp tc 10.0.0.4 41001 203.0.113.2 8000 close)
[ "$seen" = 198.51.100.1:1024 ] || fail "C did not get the port after B's clean close: $seen"

echo "PASS: held ports wait out the hold-down, own endpoint resumes them, clean TCP close frees at once"
exit $ksft_pass
