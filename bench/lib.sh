# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the benchmarks (bench/run, bench/sync_run), sourced
# after selftests/lib.sh. The caller sets, before calling them: VCPUS,
# THREADS (pktgen threads), PORTS (source ports per subscriber), POOL,
# POOL_RANGE, INSIDE, UDP_TIMEOUT.

# lib.sh's log, with the time since the start
log() { printf '[+] %4ss %s\n' "$SECONDS" "$*"; }

# Results: R[peer.key] = value, keys kept in insertion order for the JSON.
declare -A R NS_SUB NS_BOARD NS_OUT MAC
KEYS=()
res() {
	[ -n "${R[$1.$2]+x}" ] || KEYS+=("$1.$2")
	R[$1.$2]=$3
}

now() { date +%s.%N; }
# calc EXPR: awk arithmetic, integers printed as such, else 3 decimals.
calc() { awk "BEGIN { x = $1; if (x == int(x)) printf \"%d\n\", x; else printf \"%.3f\n\", x }"; }
isnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
# ratio A B: A/B with 2 decimals, n/a unless both are numbers.
ratio() {
	isnum "${1:-}" && isnum "${2:-}" || { echo n/a; return; }
	awk "BEGIN { if ($2 == 0) print \"n/a\"; else printf \"%.2f\n\", $1 / $2 }"
}
# median VALUE...: of the numeric ones (lower middle), n/a if none.
median() {
	printf '%s\n' "$@" | grep -E '^[0-9]+(\.[0-9]+)?$' | sort -n |
		awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "n/a" }'
}

# median_of KEY N: res KEY as the median of KEY_round1..N, for every peer
# in PEERS.
median_of() {
	local kind r v

	for kind in "${PEERS[@]}"; do
		v=()
		for ((r = 1; r <= $2; r++)); do
			[ -z "${R[$kind.$1_round$r]+x}" ] || v+=("${R[$kind.$1_round$r]}")
		done
		[ ${#v[@]} = 0 ] || res "$kind" "$1" "$(median "${v[@]}")"
	done
}

# mem_kb: "SUnreclaim Vmalloc Percpu MemAvailable" in kB.
mem_kb() {
	awk '$1 == "SUnreclaim:" { u = $2 } $1 == "VmallocUsed:" { v = $2 }
	     $1 == "Percpu:" { p = $2 } $1 == "MemAvailable:" { a = $2 }
	     END { print u, v, p, a }' /proc/meminfo
}
kmem_kb() { mem_kb | awk '{ print $1 + $2 + $3 }'; }

# settle: wait until freed memory (netns teardown, RCU) stops moving.
settle() {
	local prev cur n

	prev=$(kmem_kb)
	for ((n = 0; n < 90; n++)); do
		sleep 1
		cur=$(kmem_kb)
		[ $((cur > prev ? cur - prev : prev - cur)) -lt 256 ] && return 0
		prev=$cur
	done
	log "note: kernel memory still moving after 90 s ($cur kB)"
}

# cpu_busy SECS: percent of all CPUs not idle over SECS.
cpu_busy() {
	local a b

	a=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	sleep "$1"
	b=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	echo "$a $b" | awk '{ busy = $3 - $1; all = busy + $4 - $2; printf "%.1f\n", all ? 100 * busy / all : 0 }'
}

# slab_snap FILE: "cache bytes" per slab cache; slab_top A B: biggest growth.
slab_snap() { awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo | sort >"$1"; }
slab_top() {
	local d name sep=

	join "$1" "$2" | awk '{ d = $3 - $2; if (d > 0) print d, $1 }' | sort -rn | head -n 4 |
		while read -r d name; do
			printf '%s%s +%.1f MiB' "$sep" "$(slab_name "$name")" "$((d * 10 / 1048576))e-1"
			sep=", "
		done
}

# slab_name CACHE: CACHE, or with SLUB merging the caches sharing it that
# belong to the NATs (cgn*, nf_*), e.g. "Acpi-State=cgn_mapping".
slab_name() {
	local t l n=

	t=$(readlink -f "/sys/kernel/slab/$1" 2>/dev/null) || { echo "$1"; return; }
	for l in /sys/kernel/slab/cgn* /sys/kernel/slab/nf_*; do
		[ -L "$l" ] && [ "$(readlink -f "$l")" = "$t" ] && n+="=${l##*/}"
	done
	echo "$1$n"
}

# --- pktgen, injecting into the board's inside port ------------------------------
#
# pktgen runs in the board netns with xmit_mode netif_receive on b0: each
# packet is received on b0 as if from the subscriber link and forwarded
# synchronously, in the pktgen thread. The generator is thus self-clocked
# (no backlog between generator and NAT to overrun and drop) and pktgen
# times each run in the kernel, which matters as pktgen threads on every
# vCPU starve the shell of this script.

# pg_flows KIND SECOND_OCTET NADDRS COUNT [THREADS]: thread t sends from
# NADDRS subscribers 10.(SECOND_OCTET + t).0.1... x $PORTS source ports,
# address and port both stepping per packet, so NADDRS x $PORTS packets
# (NADDRS odd) carry every pair once. COUNT packets per thread.
pg_flows() {
	local kind=$1 oct=$2 naddrs=$3 count=$4 n=${5:-$THREADS} t d

	{
		for ((t = 0; t < VCPUS; t++)); do
			echo "kpktgend_$t rem_device_all"
		done
		for ((t = 0; t < n; t++)); do
			d=b0@$t
			echo "kpktgend_$t add_device $d"
			# the last address is 10.x.0.1 + naddrs - 1
			pg_udp "$d" "$count" "${MAC[$kind]}" "10.$((oct + t)).0.1" \
				"10.$((oct + t)).$((naddrs >> 8)).$((naddrs & 255))" 1024 $((1024 + PORTS))
			echo "$d flag UDPCSUM"
		done
	} | pg "${NS_BOARD[$kind]}" || fail "pktgen setup"
}

pg_ctl() { ip netns exec "${NS_BOARD[$1]}" bash -c "echo $2 >/proc/net/pktgen/pgctrl"; }

# pg_result KIND: "packets seconds" of the last run, all threads: packets
# summed, the time of the longest thread (they start together).
pg_result() {
	ip netns exec "${NS_BOARD[$1]}" bash -c 'cat /proc/net/pktgen/b0@*' |
		sed -n 's/^Result: OK: \([0-9]*\)(.*usec, \([0-9]*\) .*/\1 \2/p' |
		awk '{ n += $2; if ($1 > us) us = $1 } END { printf "%d %.6f\n", n, us / 1e6 }'
}

# --- bench/udpgen, from the subscriber netns ---------------------------------------
#
# A packet socket's skbs are neither shared nor cloned, as a NIC's are;
# pktgen's (above) are shared, so ip_rcv() clones them and the first write
# to a packet copies its head. udpgen sends through s0 and the veth to b0,
# bypassing the qdisc; b0's backlog is drained when the send returns, in
# the sender's context (self-clocked again), but the sender's own cost is
# in every peer's time.

# gen_sub KIND ADDRS COUNT [BASE]: one udpgen per thread in KIND's
# subscriber netns, pinned; generator t sends from subscriber block
# BASE + t (default 16): 10.(BASE + t).0.1 on, or with the udpgen options
# that gen_src KIND BLOCK prints if the caller defines it (DS-Lite). Prints
# "packets seconds": packets summed, the slowest generator's time.
gen_sub() {
	local kind=$1 addrs=$2 count=$3 base=${4:-16} t args pids=() f

	f=$(mktemp)
	for ((t = 0; t < THREADS; t++)); do
		if declare -F gen_src >/dev/null; then
			read -ra args <<<"$(gen_src "$kind" $((base + t)))"
		else
			args=(-s "10.$((base + t)).0.1")
		fi
		ip netns exec "${NS_SUB[$kind]}" taskset -c $((t % VCPUS)) "$BENCH/udpgen" -i s0 \
			-m "${MAC[$kind]}" -d 203.0.113.2 -a "$addrs" -p "$PORTS" -n "$count" \
			"${args[@]}" >>"$f" &
		pids+=($!)
	done
	wait "${pids[@]}" || fail "udpgen"
	awk '{ n += $1; if ($2 > s) s = $2 } END { printf "%d %.6f\n", n, s }' "$f"
	rm -f "$f"
}

# --- replies, from the outside netns ------------------------------------------------

# bench_replies KIND: replies reach every subscriber: the board routes
# 10.0.0.0/8 to the subscriber netns without ARP; there s0's ingress counts
# them ("back": IPv4 from the outside host, DS-Lite's IPv4-in-IPv6) and
# drops them.
bench_replies() {
	local kind=$1 board=${NS_BOARD[$1]} smac

	smac=$(ip -n "${NS_SUB[$kind]}" -br link show s0 | awk '{ print $3 }')
	ip -n "$board" route replace 10.0.0.0/8 via 10.0.0.2 dev b0
	ip -n "$board" neigh replace 10.0.0.2 lladdr "$smac" dev b0 nud permanent
	ip netns exec "${NS_SUB[$kind]}" nft -f - <<-EOF || fail "subscriber sink"
		table netdev sink {
			counter back { }
			chain in {
				type filter hook ingress device s0 priority 0; policy accept;
				ip saddr 203.0.113.2 counter name back drop
				ip6 nexthdr 4 counter name back drop
			}
		}
	EOF
}

# back KIND: the replies' counter on the subscriber link.
back() {
	ip netns exec "${NS_SUB[$1]}" nft list counter netdev sink back |
		awk '$1 == "packets" { print $2 }'
}

# endpoints KIND FILE: every flow's outside "ADDR PORT" into FILE (cgn: its
# sessions; nftables, flowtable: conntrack's reply tuples); prints how many.
endpoints() {
	case $1 in
	cgn*)
		"$CGNCTL" -n "${NS_BOARD[$1]}" -j session show bench | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["ext_addr"], s["ext_port"])' ;;
	*)
		ip netns exec "${NS_BOARD[$1]}" conntrack -L -p udp 2>/dev/null | python3 -c '
import re, sys
for line in sys.stdin:
    dst, dport = re.findall(r"dst=(\S+)", line), re.findall(r"dport=(\d+)", line)
    if len(dst) > 1 and len(dport) > 1:
        print(dst[1], dport[1])' ;;
	esac >"$2" || fail "endpoints of $1"
	wc -l <"$2"
}

# gen_in KIND COUNT FILE: replies from 203.0.113.2:9 to the endpoints in
# FILE, one udpgen per thread in the outside netns; "packets seconds".
gen_in() {
	local kind=$1 count=$2 t pids=() f omac

	f=$(mktemp)
	omac=$(ip -n "${NS_BOARD[$kind]}" -br link show b1 | awk '{ print $3 }')
	for ((t = 0; t < THREADS; t++)); do
		ip netns exec "${NS_OUT[$kind]}" taskset -c $((t % VCPUS)) "$BENCH/udpgen" -i o0 \
			-m "$omac" -s 203.0.113.2 -f "$3" -n "$count" >>"$f" &
		pids+=($!)
	done
	wait "${pids[@]}" || fail "udpgen"
	awk '{ n += $1; if ($2 > s) s = $2 } END { printf "%d %.6f\n", n, s }' "$f"
	rm -f "$f"
}

# --- topologies -------------------------------------------------------------------

# bench_cgn NS: instance "bench" on the board NS, the cgn peers' config.
bench_cgn() {
	cgn "$1" instance add bench || fail "cgn instance add"
	cgn "$1" pool add bench "$POOL" ports 1024-65535 block-size 512 ||
		fail "cgn pool add"
	cgn "$1" nat44 add bench inside "$INSIDE" || fail "cgn nat44 add"
	cgn "$1" instance set bench timeout udp "$UDP_TIMEOUT" \
		max-sessions 65536 max-blocks 16 || fail "cgn instance set"
}

# bench_topo KIND: a subscriber / board / outside netns triple for KIND
# (forward, cgn, cgnfast, nftables or flowtable). The outside end counts and drops all IPv4:
# counter "nat" what comes from the pool, "other" the rest.
bench_topo() {
	local kind=$1 omac

	setup_ns sub board out
	# shellcheck disable=SC2154 # set by setup_ns
	NS_SUB[$kind]=$sub NS_BOARD[$kind]=$board NS_OUT[$kind]=$out
	topo_nat44 "$sub" "$board" "$out"
	ip -n "$board" route add "$INSIDE" dev b0
	omac=$(ip -n "$out" -br link show o0 | awk '{ print $3 }')
	MAC[$kind]=$(ip -n "$board" -br link show b0 | awk '{ print $3 }')
	# no ARP on the data path
	ip -n "$board" neigh replace 203.0.113.2 lladdr "$omac" dev b1 nud permanent
	ip netns exec "$out" nft -f - <<-EOF || fail "outside sink"
		table netdev sink {
			counter nat { }
			counter other { }
			chain in {
				type filter hook ingress device o0 priority 0; policy accept;
				meta protocol ip ip saddr $POOL counter name nat drop
				meta protocol ip counter name other drop
			}
		}
	EOF

	case $kind in
	cgn | cgnfast)
		bench_cgn "$board"
		if [ "$kind" = cgnfast ]; then
			cgn "$board" instance set bench fastpath on || fail "cgn fastpath on"
			cgn "$board" fastpath add dev b0 || fail "cgn fastpath add dev b0"
			cgn "$board" fastpath add dev b1 || fail "cgn fastpath add dev b1"
			# counts what still takes the routed path
			ip netns exec "$board" nft -f - <<-EOF || fail "forward counter"
				table ip probe {
					chain routed {
						type filter hook forward priority 0; policy accept;
						counter
					}
				}
			EOF
		fi
		;;
	nftables | flowtable)
		log "$board: nft snat to $POOL_RANGE, conntrack"
		ip netns exec "$board" nft -f - <<-EOF || fail "nft ruleset"
			table ip bench {
				chain post {
					type nat hook postrouting priority srcnat; policy accept;
					oif "b1" ip saddr $INSIDE snat to $POOL_RANGE
				}
			}
		EOF
		ip netns exec "$board" sysctl -qw \
			net.netfilter.nf_conntrack_udp_timeout=$UDP_TIMEOUT \
			net.netfilter.nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT ||
			fail "conntrack timeouts"
		[ "$kind" = flowtable ] || return 0
		# nf_flow_table: established flows leave from b0's ingress
		ip netns exec "$board" nft -f - <<-EOF || fail "nft flowtable"
			table ip bench_ft {
				flowtable ft {
					hook ingress priority 0
					devices = { b0, b1 }
				}
				chain fc {
					type filter hook forward priority 0; policy accept;
					meta l4proto udp flow add @ft
					counter
				}
			}
		EOF
		;;
	esac
}

# cgn_stat KIND FIELD: one counter of KIND's cgn board.
cgn_stat() {
	"$CGNCTL" -n "${NS_BOARD[$1]}" -j stats bench | tr ',{}[]' '\n' |
		awk -F: -v k="\"$2\"" '$1 == k { print $2 }'
}

# bench_topo_del KIND: delete KIND's netns.
bench_topo_del() {
	local ns

	for ns in "${NS_SUB[$1]}" "${NS_BOARD[$1]}" "${NS_OUT[$1]}"; do
		ip netns del "$ns"
	done
}

# sink KIND NAME: packets counted by the outside sink's counter NAME.
sink() {
	ip netns exec "${NS_OUT[$1]}" nft list counter netdev sink "$2" |
		awk '$1 == "packets" { print $2 }'
}

# sessions KIND: live sessions on the board.
sessions() {
	case $1 in
	cgn*) cgn_stat "$1" sessions ;;
	nftables | flowtable) ip netns exec "${NS_BOARD[$1]}" cat /proc/sys/net/netfilter/nf_conntrack_count ;;
	*) echo 0 ;;
	esac
}

# nat_drops KIND: packets the NAT dropped (cgn: its drop counters;
# conntrack: insert_failed + drop + early_drop).
nat_drops() {
	case $1 in
	cgn*)
		"$CGNCTL" -n "${NS_BOARD[$1]}" -j stats bench | tr ',{}[]' '\n' |
			awk -F: '$1 ~ /^"drop_/ { n += $2 } END { print n + 0 }'
		;;
	nftables | flowtable)
		ip netns exec "${NS_BOARD[$1]}" cat /proc/net/stat/nf_conntrack | awk '
			NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ print $c["insert_failed"], $c["drop"], $c["early_drop"] }' |
			while read -r a b c; do echo $((16#$a + 16#$b + 16#$c)); done |
			awk '{ n += $1 } END { print n + 0 }'
		;;
	*) echo 0 ;;
	esac
}

# human N: 1000000 -> 1M, 100000 -> 100k
human() {
	if [ $(($1 % 1000000)) = 0 ]; then echo "$(($1 / 1000000))M"
	elif [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"
	else echo "$1"; fi
}
