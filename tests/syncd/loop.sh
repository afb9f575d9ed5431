#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cgn-syncd's peer link on this host, without the kernel module: two agents
# on 127.0.0.1 and 127.0.0.2 (--no-kernel) must authenticate, refuse a
# wrong key, notice a silent peer, reconnect, and stop cleanly. Needs root
# (control sockets in /run/cgn). Run after "make -C tools".
set -u
cd "$(dirname "$0")/../.."
SYNCD=tools/syncd/cgn-syncd
CGNCTL=tools/cgnctl/cgnctl
PORT=${PORT:-17611}
TMP=$(mktemp -d)
A= B=
fail=0

cleanup() {
	[ -n "$A" ] && kill "$A" 2>/dev/null
	[ -n "$B" ] && kill -CONT "$B" 2>/dev/null && kill "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() { echo "ok - $1"; }
ko() { echo "not ok - $1"; fail=1; }
field() { $CGNCTL -n "$1" board show | awk -v k="$2" '$1 == k { print $2 }'; }
# wait_for BOARD KEY VALUE: up to 5 s
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		[ "$(field "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
agent() {	# NAME LOCAL PEER KEY
	$SYNCD --no-kernel -S /run/cgn/syncd-$1.sock --local "$2" --peer "$3" \
		--port "$PORT" --key "$4" --hb-interval 50 --hb-miss 4 \
		2>>"$TMP/$1.log" &
}

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/good.hex"
echo >>"$TMP/good.hex"
head -c 32 /dev/urandom >"$TMP/bad.key"
head -c 31 /dev/urandom >"$TMP/short.key"

out=$($CGNCTL -n loop-none board show 2>&1)
[ $? -eq 1 ] && [ "$out" = "Error: cgn-syncd is not running for board loop-none." ] &&
	ok "cgnctl without an agent" || ko "cgnctl without an agent: $out"

agent loop-a 127.0.0.1 127.0.0.2 "$TMP/good.hex"; A=$!
agent loop-b 127.0.0.2 127.0.0.1 "$TMP/good.hex"; B=$!
wait_for loop-a peer_state up && wait_for loop-b peer_state up &&
	ok "handshake" || ko "handshake"
[ "$(field loop-a peer_epoch)" = "$(field loop-b epoch)" ] &&
	ok "epochs exchanged" || ko "epochs exchanged"
wait_for loop-a bulk finished && ok "bulk finished" || ko "bulk finished"

out=$($CGNCTL -n loop-b board pair local 127.0.0.2 peer 127.0.0.1 key "$TMP/short.key" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "not 32 bytes" &&
	[ "$(field loop-b peer_state)" = up ] &&
	ok "bad key file refused, nothing changed" || ko "bad key file: $out"

$CGNCTL -n loop-b board pair local 127.0.0.2 peer 127.0.0.1 port "$PORT" \
	key "$TMP/bad.key" || ko "re-pair"
sleep 1
[ "$(field loop-a peer_state)" != up ] && [ "$(field loop-a auth_failures)" -gt 0 ] &&
	grep -q "auth failed" "$TMP/loop-a.log" &&
	ok "wrong key refused" || ko "wrong key refused"

$CGNCTL -n loop-b board pair local 127.0.0.2 peer 127.0.0.1 port "$PORT" \
	key "$TMP/good.hex" || ko "re-pair"
wait_for loop-a peer_state up && ok "right key again" || ko "right key again"

# A stranger, then garbage from the peer's address: refused, link kept.
python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for src, data in (("127.0.0.3", b"hi"), ("127.0.0.1", b"XXXX" + bytes(60))):
    s = socket.socket()
    s.bind((src, 0))
    s.connect(("127.0.0.2", port))
    try:
        s.sendall(data)
        time.sleep(0.2)
    except OSError:
        pass
    s.close()
PY
sleep 0.2
grep -q "refused connection from 127.0.0.3" "$TMP/loop-b.log" &&
	ok "stranger refused" || ko "stranger refused"
[ "$(field loop-b bad_frames)" = 1 ] && grep -q "bad frame: bad magic" "$TMP/loop-b.log" &&
	[ "$(field loop-b peer_state)" = up ] &&
	ok "bad frame refused, link kept" || ko "bad frame refused"

# silent for the detection time (200 ms): still up; the link is closed
# after 2 s at the least (peer.c, LINK_DEAD_MIN_MS)
kill -STOP "$B"
sleep 0.5
[ "$(field loop-a peer_state)" = up ] &&
	ok "short silence: link kept" || ko "short silence: link kept"
sleep 2
[ "$(field loop-a peer_state)" != up ] && grep -q "peer down" "$TMP/loop-a.log" &&
	ok "heartbeat loss detected" || ko "heartbeat loss detected"
kill -CONT "$B"
wait_for loop-a peer_state up && wait_for loop-b peer_state up &&
	ok "reconnected" || ko "reconnected"

$CGNCTL -n loop-a board unpair && [ "$(field loop-a peer_state)" = down ] &&
	ok "unpair" || ko "unpair"

kill "$A"; wait "$A"; rc=$?; A=
[ $rc -eq 0 ] && ok "SIGTERM exits 0" || ko "SIGTERM exits $rc"
[ $fail -eq 0 ] || { echo "--- loop-a"; cat "$TMP/loop-a.log"; echo "--- loop-b"; cat "$TMP/loop-b.log"; }
exit $fail
