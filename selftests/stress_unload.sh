#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload under traffic: with UDP flows running without pause (and 400 idle
# mappings), "rmmod cgn" succeeds; the board goes on routing, untranslated
# (the outside host, routed back to 10.0.0.0/24, sees inside addresses);
# after insmod and the same configuration again translation resumes for the
# very same flows. No WARNING/BUG (checked by the VM runner).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

configure() {
	board_basic "$board" 198.51.100.0/28
	cgn "$board" instance set cgn1 timeout udp 30 || fail "instance set"
}

cgn_load
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
ip -n "$out" route add 10.0.0.0/24 via 203.0.113.1 || fail "route back to the inside"
sub_addrs "$sub" 3 3
configure

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve udp 5001

log "6 flows without pause, 400 idle mappings, all translated"
fl_must s stream st 10.0.0.2-10.0.0.3 42000-42002 203.0.113.2 5000 0.01
fl_must s udp idle 10.0.0.2-10.0.0.3 43000-43199 203.0.113.2 5001 10
fl_true s "all(v and addr(v).startswith('198.51.100.') for v in idle.values())" || fail "idle flows not translated"
fl_must s let t "now()"
fl_must s wait 20 "fresh('st', t) and all(addr(v['seen']).startswith('198.51.100.') for v in streams['st'].values())"
[ "$(stat_of "$board" mappings)" = 406 ] || fail "expected 406 mappings, got $(stat_of "$board" mappings)"

log "rmmod cgn under traffic"
rmmod cgn || fail "rmmod cgn with live flows"
grep -q '^cgn ' /proc/modules && fail "module still loaded"

log "the board routes on, untranslated: the server sees the inside addresses"
fl_must s let t "now()"
fl s wait 20 "fresh('st', t) and all(v['seen'] == k for k, v in streams['st'].items())" ||
	fail "flows not routed untranslated after rmmod: $(fl_py s "[v['seen'] for v in streams['st'].values()]")"

log "insmod and configure again: the same flows are translated again"
cgn_load
configure
fl_must s let t "now()"
fl s wait 20 "all(v['last'] > t and addr(v['seen']).startswith('198.51.100.') for v in streams['st'].values())" ||
	fail "translation did not resume: $(fl_py s "[v['seen'] for v in streams['st'].values()]")"
fl_must s cgn ss "$board" session show cgn1
fl_true s "len(ss) == 6 and sorted('%s:%d' % (x['ext_addr'], x['ext_port']) for x in ss) == sorted(v['seen'] for v in streams['st'].values())" ||
	fail "sessions do not match the flows: $(fl_py s ss)"

fl_must s stop st
echo "PASS: rmmod under traffic, untranslated routing meanwhile, translation resumes after insmod"
exit $ksft_pass
