#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cgn-syncd replicates an active board to its standby over an authenticated
# TCP link: bulk copy at connect ("finished"), then live changes; expiry
# reaches the standby; standby agent restart, active agent restart, a
# sync-link flap and kernel events lost to a stalled agent each end with
# the tables equal again and the resync counted; a wrong key is refused and
# nothing is applied; drift planted on the standby is found by the digest
# check and repaired.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"
source "$(dirname "$0")/lib_sync.sh"

[ -x "$SYNCD" ] || skip "$SYNCD not built"
cgn_load
setup_ns sub board out bk
topo_nat44 "$sub" "$board" "$out"
sub_addrs "$sub" 10 40
for b in "$board" "$bk"; do
	board_basic "$b" 198.51.100.0/28 ports 1024-65535 block-size 512
	cgn "$b" instance set cgn1 hold-down 2 || fail "hold-down"
done
cgn "$bk" instance set cgn1 role standby || fail "role standby"

# the sync link: its own veth between the boards
ip link add sy0 netns "$board" type veth peer name sy1 netns "$bk" || fail "veth"
ip -n "$board" addr add 172.31.0.1/30 dev sy0
ip -n "$bk" addr add 172.31.0.2/30 dev sy1
ip -n "$board" link set sy0 up
ip -n "$bk" link set sy1 up

key=$(mktemp)
head -c 32 /dev/urandom >"$key"
logs=$(mktemp -d)

agent() {	# agent BOARD LOCAL PEER KEY [ARGS...]: start, store its pid
	local ns=$1 local=$2 peer=$3 k=$4

	shift 4
	"$SYNCD" -n "$ns" --local "$local" --peer "$peer" --key "$k" \
		--hb-miss 25 --digest-interval 2 "$@" 2>>"$logs/$ns.log" &
	BG_PIDS+=($!)
	PIDS[$ns]=$!
}
declare -A PIDS
pid_of() { echo "${PIDS[$1]}"; }
show() { "$CGNCTL" -j -n "$1" board show; }
field() {	# field BOARD PYTHON-EXPR over the board show object 'b'
	json_get "$(show "$1")" "(lambda b: ($2))(j[0])"
}
finished() {	# both agents up, bulk copies done both ways
	[ "$(field "$board" "b['peer_state'], b['bulk']")" = "('up', 'finished')" ] &&
		[ "$(field "$bk" "b['peer_state'], b['bulk_in'].get('cgn1')")" = "('up', 'finished')" ]
}
holds() { [ "$(field "$1" "$2")" = True ]; }	# holds BOARD EXPR
dump_logs() { tail -n 20 "$logs"/*.log; }

fl_start s "$sub"
fl_must s in "$out" serve udp 5000
fl_must s in "$out" serve tcp 5001
sync_setup_ctl

log "flows before the agents start: 21 subscribers, 105 UDP flows, 2 TCP"
fl_must s udp r1 10.0.0.10-10.0.0.30 40000-40004 203.0.113.2 5000 5
fl_must s tcp t1 10.0.0.10 41000 203.0.113.2 5001 open
fl_must s tcp t2 10.0.0.11 41000 203.0.113.2 5001 open

agent "$board" 172.31.0.1 172.31.0.2 "$key"
agent "$bk" 172.31.0.2 172.31.0.1 "$key"
wait_for 20 finished || { dump_logs; fail "no bulk copy: $(show "$board") $(show "$bk")"; }
show "$board"
show "$bk"
converge 10
same_digest

log "live: new flows and a TCP close reach the standby"
fl_must s udp r2 10.0.0.31-10.0.0.40 40000-40004 203.0.113.2 5000 5
fl_must s tcp t3 10.0.0.12 41000 203.0.113.2 5001 close
converge 10
same session
[ "$(field "$bk" "b['applied']['session'] > 0")" = True ] || fail "nothing counted as applied"

log "expiry on the active board reaches the standby"
cgn "$board" instance set cgn1 timeout udp 2 || fail "timeout"
fl_must s udp r3 10.0.0.31-10.0.0.40 40000-40004 203.0.113.2 5000 5
fl_must s wait 20 "len(cgnj('$board', 'session', 'show', 'cgn1', 'proto', 'udp')) == 105"
converge 15
cgn "$board" instance set cgn1 timeout udp 300 || fail "timeout"

log "standby agent restart: a fresh bulk copy, no duplicates"
kill "$(pid_of "$bk")"
fl_must s udp r4 10.0.0.31-10.0.0.40 40010-40011 203.0.113.2 5000 5
agent "$bk" 172.31.0.2 172.31.0.1 "$key"
wait_for 20 finished || { dump_logs; fail "no bulk copy after standby restart"; }
converge 10
same_digest

log "active agent restart: changes made meanwhile arrive with the bulk copy"
r=$(field "$board" "b['epoch']")
kill "$(pid_of "$board")"
fl_must s udp r5 10.0.0.20-10.0.0.25 40020 203.0.113.2 5000 5
agent "$board" 172.31.0.1 172.31.0.2 "$key"
wait_for 20 finished || { dump_logs; fail "no bulk copy after active restart"; }
[ "$(field "$bk" "b['peer_epoch']")" != "$r" ] || fail "peer epoch did not change"
converge 10
same_digest

log "sync link flap: down long enough to be noticed, changes meanwhile"
ip -n "$board" link set sy0 down
wait_for 15 holds "$board" "b['peer_state'] != 'up'" || fail "link loss not noticed"
fl_must s udp r6 10.0.0.26-10.0.0.29 40030 203.0.113.2 5000 5
ip -n "$board" link set sy0 up
wait_for 30 finished || { dump_logs; fail "no bulk copy after the flap"; }
converge 10
same_digest

log "kernel events lost: the active agent stalls with a tiny buffer"
kill "$(pid_of "$board")"
wait_for 10 holds "$bk" "b['peer_state'] != 'up'"
agent "$board" 172.31.0.1 172.31.0.2 "$key" --rcvbuf 1024
wait_for 20 finished || { dump_logs; fail "no bulk copy with rcvbuf 1024"; }
kill -STOP "$(pid_of "$board")"
fl_must s udp r7 10.0.0.10-10.0.0.40 40040-40043 203.0.113.2 5000 5
kill -CONT "$(pid_of "$board")"
wait_for 20 holds "$board" "b['events_lost'] > 0 and b['resyncs'] > 0" ||
	{ dump_logs; fail "lost events not noticed: $(show "$board")"; }
wait_for 20 finished || fail "no bulk copy after the loss"
converge 15
same_digest

log "drift planted on the standby: the digest check finds and repairs it"
m0=$(field "$bk" "b['digest_mismatches']")
"$PY" "$SYNC_CTL" plant cgn1 "$bk" || fail "plant"
wait_for 20 holds "$bk" "b['digest_mismatches'] > $m0" || { dump_logs; fail "drift not found"; }
converge 20
same_digest
[ "$("$CGNCTL" -n "$bk" user show cgn1 10.0.0.99)" = "" ] || fail "the planted subscriber is still there"

log "wrong key: refused, logged, nothing applied"
kill "$(pid_of "$bk")"
bad=$(mktemp)
head -c 32 /dev/urandom >"$bad"
before=$(digest_of "$bk")
agent "$bk" 172.31.0.2 172.31.0.1 "$bad"
fl_must s udp r9 10.0.0.30-10.0.0.35 40060 203.0.113.2 5000 5
wait_for 15 holds "$bk" "b['auth_failures'] > 0" ||
	wait_for 5 holds "$board" "b['auth_failures'] > 0" ||
	{ dump_logs; fail "wrong key not refused"; }
[ "$(field "$bk" "b['peer_state']")" != up ] || fail "link up with a wrong key"
[ "$(digest_of "$bk")" = "$before" ] || fail "entries applied without authentication"
grep -qi "auth" "$logs"/*.log || fail "no log line about the refused key"
kill "$(pid_of "$bk")"
agent "$bk" 172.31.0.2 172.31.0.1 "$key"
wait_for 20 finished || fail "no reconnect with the right key"
converge 15
same_digest
show "$bk"
exit 0
