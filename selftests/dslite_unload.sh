#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP echoes through a softwire, 1600-byte datagrams (fragmented by the
# B4's host: inner fragments reassembled at the AFTR; the echoes, which
# the board reassembles too, go back in outer IPv6 fragments), then
# "rmmod cgn" under that traffic: no WARNING/BUG (checked by the VM
# runner), and after insmod and the same configuration they are answered
# again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dslite.sh"

ECHO='import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5400))
while True:
    d, p = s.recvfrom(65535)
    s.sendto(d, p)'

# One line per intact echo of a 1600-byte datagram, every 0.1 s.
SEND='import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
d = bytes(range(200)) * 8
while True:
    s.sendto(d, ("203.0.113.2", 5400))
    try:
        if s.recv(65535) == d:
            print("ok", flush=True)
    except OSError:
        pass
    time.sleep(0.1)'

replies() {
	grep -c ok "$1"
}

# echoed LOG N: at least N echoes so far
echoed() {
	[ "$(replies "$1")" -ge "$2" ]
}

cgn_load
setup_ns board out b4a
topo_dslite "$board" "$out" "$b4a"
big=$(mktemp)
bg "$out" "$PY" -c "$ECHO"
bg "$b4a" "$PY" -c "$SEND" >"$big"
wait_for 30 echoed "$big" 5 || fail "1600-byte datagrams not echoed"
st=$(cgn "$board" -j stats cgn1) || fail "stats"
echo "$st"
[ "$(json_get "$st" "j[0]['decap'] >= 5 and j[0]['encap'] >= 5 and j[0]['drop_tunnel'] == 0")" = True ] ||
	fail "counters did not move"

log "rmmod cgn under traffic"
rmmod cgn || fail "rmmod cgn with live softwires"
sleep 1

log "insmod and configure again: answered again"
cgn_load
cgn "$board" instance add cgn1 softwire-len 48 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 || fail "pool add"
cgn "$board" dslite add cgn1 aftr "$AFTR" || fail "dslite aftr"
cgn "$board" dslite add cgn1 b4 2001:db8::/32 || fail "dslite b4"
n=$(replies "$big")
wait_for 30 echoed "$big" $((n + 3)) || fail "not echoed after insmod"

echo "PASS: DS-Lite inner and outer fragments, rmmod under softwire traffic"
exit $ksft_pass
