# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the replication selftests, sourced after lib.sh and
# lib_pool.sh. Two boards, "$board" (serving) and "$bk" (its peer); flows
# from "$sub" through "$board"; a flow controller "s" (fl_start).

SYNC_CTL=$HELPERS/sync_ctl.py
SYNCD=${SYNCD:-$TOP/tools/syncd/cgn-syncd}

# Tables without timers, sorted: what must be equal on both boards.
sync_setup_ctl() {
	fl_must s let strip "lambda l: sorted(json.dumps({k: v for k, v in x.items() if k != 'expires'}, sort_keys=True) for x in l)"
}

# same WHAT: both boards hold the same WHAT (user or session) of cgn1.
same() {
	fl_must s cgn a "$board" "$1" show cgn1
	fl_must s cgn b "$bk" "$1" show cgn1
	fl_true s "strip(a) == strip(b)" ||
		fail "$1 tables differ: active only $(fl_py s "sorted(set(strip(a)) - set(strip(b)))[:3]"), standby only $(fl_py s "sorted(set(strip(b)) - set(strip(a)))[:3]")"
}

# converge SECS: wait until both boards' session and user tables agree.
converge() {
	fl_must s wait "$1" "strip(cgnj('$board', 'session', 'show', 'cgn1')) == strip(cgnj('$bk', 'session', 'show', 'cgn1')) and strip(cgnj('$board', 'user', 'show', 'cgn1')) == strip(cgnj('$bk', 'user', 'show', 'cgn1'))"
}

# same_held MIN: both boards hold the same ports of cgn1, at least MIN,
# with timers within 3 s of each other (sync_ctl.py held, from the dumps).
same_held() {
	local ha hb

	ha=$("$PY" "$SYNC_CTL" held cgn1 "$board") || fail "held ports of $board"
	hb=$("$PY" "$SYNC_CTL" held cgn1 "$bk") || fail "held ports of $bk"
	"$PY" - "$ha" "$hb" "$1" <<'PYEOF' || fail "held ports differ (above)"
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
ok = (len(a) >= int(sys.argv[3]) and [x[:4] for x in a] == [x[:4] for x in b] and
      all(abs(x[4] - y[4]) < 3000 for x, y in zip(a, b)))
if not ok:
    print("held: active %d, standby %d; first %s / %s" % (len(a), len(b), a[:1], b[:1]))
sys.exit(0 if ok else 1)
PYEOF
	log "held ports equal: $(json_get "$ha" "len(j)")"
}

digest_of() {	# digest_of BOARD: "digest count" of cgn1
	local d

	d=$("$PY" "$SYNC_CTL" digest cgn1 "$1") || fail "digest of $1"
	json_get "$d" "j['digest'], j['count']"
}

same_digest() {
	local da db

	da=$(digest_of "$board")
	db=$(digest_of "$bk")
	[ "$da" = "$db" ] || fail "digests differ: $da / $db"
	log "digests equal: $da"
}
