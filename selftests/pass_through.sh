#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pass-through destinations: with "pass add cgn1 203.0.113.0/24 port 7000"
# a subscriber's traffic to 203.0.113.2:7000 leaves with its inside source
# (the outside host, routed back to 10.0.0.0/24, sees 10.0.0.2) and creates
# no state, while traffic to port 5000 is translated; the "pass" counter
# moves; a pass-through without port covers every port; "pass del" brings
# translation back (with the subscriber's existing mapping: EIM).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
ip -n "$out" route add 10.0.0.0/24 via 203.0.113.1 || fail "route back to the inside"
board_basic "$board" 198.51.100.0/28

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve udp 7000
fl_must s in "$out" serve udp 7001

cgn "$board" pass add cgn1 203.0.113.0/24 port 7000 || fail "pass add"
fl_must s cgn passes "$board" pass show cgn1
fl_py s passes
fl_true s "[(p['prefix'], p['port']) for p in passes] == [('203.0.113.0/24', 7000)]" ||
	fail "pass show: $(fl_py s passes)"

log "to port 7000: untranslated; to 7001 and 5000: translated"
fl_must s udp p7000 10.0.0.2 40000-40002 203.0.113.2 7000 3
fl_must s udp p7001 10.0.0.2 40003 203.0.113.2 7001 3
fl_must s udp p5000 10.0.0.2 40000-40002 203.0.113.2 5000 3
fl_py s p7000, p7001, p5000
fl_true s "list(p7000.values()) == ['10.0.0.2:40000', '10.0.0.2:40001', '10.0.0.2:40002']" ||
	fail "pass-through traffic was translated: $(fl_py s p7000)"
fl_true s "all(v and addr(v).startswith('198.51.100.') for v in list(p7001.values()) + list(p5000.values()))" ||
	fail "traffic to other ports not translated: $(fl_py s p7001, p5000)"

fl_must s cgn st "$board" stats cgn1
fl_py s "st[0]['pass'], st[0]['sessions']"
fl_true s "st[0]['pass'] >= 3 and st[0]['sessions'] == 4" ||
	fail "pass not counted or pass-through traffic made sessions: $(fl_py s st)"
fl_must s cgn ss "$board" session show cgn1
fl_true s "not [x for x in ss if x['rem_port'] == 7000]" || fail "a session for pass-through traffic"

log "pass without a port: every port of the prefix passes"
cgn "$board" pass add cgn1 203.0.113.2/32 || fail "pass add without port"
fl_must s udp q 10.0.0.2 40010 203.0.113.2 7001 3
fl_true s "q['10.0.0.2:40010'] == '10.0.0.2:40010'" || fail "portless pass-through translated: $(fl_py s q)"
cgn "$board" pass del cgn1 203.0.113.2/32 || fail "pass del without port"

log "pass del: port 7000 is translated again, on the existing mappings (EIM)"
pass0=$(stat_of "$board" pass)
cgn "$board" pass del cgn1 203.0.113.0/24 port 7000 || fail "pass del"
fl_must s cgn passes "$board" pass show cgn1
fl_true s "passes == []" || fail "pass-through still listed: $(fl_py s passes)"
fl_must s udp p7000b 10.0.0.2 40000-40002 203.0.113.2 7000 3
fl_py s p7000b
fl_true s "p7000b == p5000" || fail "after pass del: $(fl_py s p7000b), expected $(fl_py s p5000)"
[ "$(stat_of "$board" pass)" = "$pass0" ] || fail "pass counted after pass del"
"$CGNCTL" -n "$board" pass del cgn1 203.0.113.0/24 port 7000 2>/dev/null &&
	fail "deleting a missing pass-through succeeded"

echo "PASS: pass-through leaves untranslated, counted, stateless; pass del restores translation"
exit $ksft_pass
