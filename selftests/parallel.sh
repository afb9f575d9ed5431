#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Subscribers' entries are made in parallel (one lock per shard of
# subscribers, kmod/cgn.h): pktgen on every vCPU sends flows of the same
# 255 subscribers (64 source ports each per vCPU), pass after pass, while the sessions expire (UDP timeout
# 1 s), their ports are held and freed (hold-down 1 s), users go with
# their last mapping and blocks return to the pool, and cgnctl reads the
# tables. Then, frozen by the standby role (a standby makes and expires
# nothing):
#   - the instance's gauges equal what the dumps list (users, sessions,
#     mappings, blocks in use), and every user's own counts add up;
#   - no outside port serves two inside endpoints, no port block two users,
#     every session leaves from its user's address and one of its blocks;
# and once active again and idle, every gauge is back to 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pool.sh"

THREADS=$(nproc)
NADDRS=255	# subscribers 10.16.0.1 ..., the same for every thread
PORTS=64	# source ports per subscriber and thread: a block's worth

cgn_load
modprobe pktgen 2>/dev/null || skip "no pktgen"
setup_ns sub board out
topo_nat44 "$sub" "$board" "$out"
cgn "$board" instance add cgn1 || fail "instance add"
cgn "$board" pool add cgn1 198.51.100.0/28 ports 1024-65535 block-size 64 || fail "pool add"
cgn "$board" nat44 add cgn1 inside 10.0.0.0/8 || fail "nat44 add"
cgn "$board" instance set cgn1 timeout udp 1 hold-down 1 max-blocks 4 || fail "instance set"
# the outside drops what it gets: no ICMP back
ip netns exec "$out" nft -f - <<EOF || fail "nft"
table netdev sink {
	chain in { type filter hook ingress device o0 priority 0; meta protocol ip drop; }
}
EOF

mac=$(ip -n "$board" -br link show b0 | awk '{ print $3 }')
{
	for ((t = 0; t < THREADS; t++)); do
		echo "kpktgend_$t rem_device_all"
		echo "kpktgend_$t add_device b0@$t"
		pg_udp "b0@$t" $((NADDRS * PORTS)) "$mac" 10.16.0.1 "10.16.0.$NADDRS" \
			$((2000 + t * PORTS)) $((2000 + (t + 1) * PORTS))
	done
} | pg "$board" || fail "pktgen setup"

flows=$((THREADS * NADDRS * PORTS))
log "$THREADS pktgen threads: $flows flows of $NADDRS subscribers, pass after pass"
while true; do	# the tables are read all along
	"$CGNCTL" -n "$board" -j session show cgn1 >/dev/null || echo "session show failed" >&2
	"$CGNCTL" -n "$board" -j user show cgn1 >/dev/null || echo "user show failed" >&2
done &
BG_PIDS+=($!)
# until every flow's session was made at least twice (it expired between)
end=$((SECONDS + 120))
while [ "$(stat_of "$board" sessions_created)" -lt $((2 * flows)) ]; do
	[ $SECONDS -lt $end ] || fail "sessions do not expire and come back"
	ip netns exec "$board" bash -c 'echo start >/proc/net/pktgen/pgctrl' || fail "pktgen"
	sleep 1.5	# a fast pass would refresh every session before it expires
done
kill "${BG_PIDS[-1]}"
# a last pass, frozen right after it (a standby makes and expires
# nothing): its sessions are still live, the pause above outlived the
# others
ip netns exec "$board" bash -c 'echo start >/proc/net/pktgen/pgctrl' || fail "pktgen"
cgn "$board" instance set cgn1 role standby || fail "role standby"
log "sessions created $(stat_of "$board" sessions_created), expired $(stat_of "$board" sessions_expired)"
tmp=$(mktemp -d)
"$CGNCTL" -n "$board" -j stats cgn1 >"$tmp/st.json" || fail "stats"
"$CGNCTL" -n "$board" -j user show cgn1 >"$tmp/u.json" || fail "user show"
"$CGNCTL" -n "$board" -j session show cgn1 >"$tmp/s.json" || fail "session show"
"$CGNCTL" -n "$board" -j instance show cgn1 >"$tmp/i.json" || fail "instance show"
"$PY" - "$tmp" <<'PYEOF' || fail "the tables do not add up (above)"
import json, sys, os
d = sys.argv[1]
st, us, ss, inst = (json.load(open(os.path.join(d, f)))
                    for f in ("st.json", "u.json", "s.json", "i.json"))
st = st[0]
bad = []
def check(ok, what):
    if not ok:
        bad.append(what)
print("stats: users %d mappings %d sessions %d blocks_used %d; dumped: %d users, %d sessions"
      % (st["users"], st["mappings"], st["sessions"], st["blocks_used"], len(us), len(ss)))
check(st["users"] > 0 and st["sessions"] > 0, "nothing left to check: the flows expired too soon")
check(st["users"] == len(us), "users: stats %d, dump %d" % (st["users"], len(us)))
check(st["sessions"] == len(ss), "sessions: stats %d, dump %d" % (st["sessions"], len(ss)))
check(st["mappings"] == sum(u["mappings"] for u in us), "mappings: stats vs users' sum")
check(st["sessions"] == sum(u["sessions"] for u in us), "sessions: stats vs users' sum")
nblocks = sum(len(u["blocks"]) for u in us)
check(st["blocks_used"] == nblocks, "blocks: stats %d, users hold %d" % (st["blocks_used"], nblocks))
pools = [p for i in (inst if isinstance(inst, list) else [inst]) for p in i.get("pools", [])]
check(sum(p.get("blocks_used", 0) for p in pools) == nblocks, "pool blocks_used vs users' blocks")
blocks = {}
for u in us:
    for b in u["blocks"]:
        k = (u["ext_addr"], b["first"])
        check(k not in blocks, "block %s:%d of %s and %s" % (k[0], k[1], blocks.get(k), u["addr"]))
        blocks[k] = u["addr"]
byaddr = {u["addr"]: u for u in us}
out, inside = {}, {}
for s in ss:
    u = byaddr.get(s["in_addr"])
    check(u is not None, "session of %s without its user" % s["in_addr"])
    if u is None:
        continue
    check(s["ext_addr"] == u["ext_addr"], "%s leaves from %s, its user has %s"
          % (s["in_addr"], s["ext_addr"], u["ext_addr"]))
    check(any(b["first"] <= s["ext_port"] <= b["last"] for b in u["blocks"]),
          "%s:%d outside its user's blocks" % (s["ext_addr"], s["ext_port"]))
    o = (s["proto"], s["ext_addr"], s["ext_port"])
    i = (s["proto"], s["in_addr"], s["in_port"])
    check(out.setdefault(o, i) == i, "outside %s for %s and %s" % (o, out[o], i))
    check(inside.setdefault(i, o) == o, "inside %s on %s and %s" % (i, inside[i], o))
for b in bad[:20]:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PYEOF

log "active again: every entry expires, every gauge goes back to 0"
cgn "$board" instance set cgn1 role active || fail "role active"
idle() {
	[ "$(stat_of "$board" sessions)$(stat_of "$board" mappings)" = 00 ] &&
		[ "$(stat_of "$board" users)$(stat_of "$board" blocks_used)" = 00 ]
}
wait_for 30 idle || fail "not idle: $("$CGNCTL" -n "$board" -j stats cgn1)"
rm -rf "$tmp"
exit 0
