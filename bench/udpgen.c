// SPDX-License-Identifier: GPL-2.0
/*
 * udpgen: small UDP packets from many subscribers, as plain IPv4 (NAT44)
 * or as IPv4-in-IPv6 from many B4s (DS-Lite), sent on one link through
 * an AF_PACKET socket that bypasses the qdisc, in batches (sendmmsg).
 * pktgen cannot put IPv4 inside IPv6; this one generator feeds both
 * benchmarks so that they compare like with like (bench/dslite_run).
 *
 * Packet k comes from subscriber k % ADDRS and source port
 * 1024 + k % PORTS; with ADDRS odd and PORTS a power of two, ADDRS x PORTS
 * packets carry every pair once. A NAT44 subscriber is SRC + index; a
 * DS-Lite one is the B4 B4 + index (its last 32 bits), its host SRC.
 * With -f, the traffic is the replies instead: from SRC port 9 to the
 * outside endpoints listed in FILE ("ADDR PORT" lines), packet k to line
 * k % lines. Prints "packets seconds" when done.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		256
#define PAYLOAD		18	/* a 64 B frame for NAT44 (FCS excluded: 60) */
#define FRAME_MAX	(ETH_HLEN + 40 + 20 + 8 + PAYLOAD)

struct gen {
	int fd;
	int ll_len;			/* 14, or 54 with the IPv6 header */
	uint8_t mac[6];
	struct in_addr src, dst;
	struct in6_addr b4, aftr;
	int dslite;
	unsigned long count, addrs, ports;
	struct endpoint {
		struct in_addr addr;
		uint16_t port;
	} *to;				/* -f: the replies' destinations */
	unsigned long nto;
};

static void usage(void)
{
	fprintf(stderr,
		"Usage: udpgen -i DEV -m DSTMAC -s SRC { -d DST | -f FILE } -n COUNT\n"
		"              [-a ADDRS] [-p PORTS] [-6 AFTR -b B4]\n"
		"  -s SRC   first subscriber (NAT44), or the host behind each B4\n"
		"  -a ADDRS subscribers or B4s, odd (default 63)\n"
		"  -p PORTS source ports from 1024 per subscriber (default 256)\n"
		"  -6 AFTR  send IPv4-in-IPv6 to AFTR, from B4, B4 + 1, ...\n"
		"  -f FILE  replies from SRC:9 to the \"ADDR PORT\" lines of FILE\n");
	exit(2);
}

static uint32_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (; len > 1; len -= 2, b += 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (len)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* build GEN's packet number K into FRAME; returns its length */
static size_t build(const struct gen *g, unsigned long k, uint8_t *frame)
{
	uint32_t idx = k % g->addrs, sum;
	uint16_t sport = 1024 + k % g->ports, dport = 9;
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct iphdr *ip = (struct iphdr *)(frame + g->ll_len);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	size_t l4 = sizeof(*udp) + PAYLOAD;

	memcpy(eth->h_dest, g->mac, 6);
	memset(eth->h_source, 0x02, 6);
	if (g->dslite) {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)(eth + 1);

		eth->h_proto = htons(ETH_P_IPV6);
		memset(ip6, 0, sizeof(*ip6));
		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(sizeof(*ip) + l4);
		ip6->ip6_nxt = IPPROTO_IPIP;
		ip6->ip6_hlim = 64;
		ip6->ip6_src = g->b4;
		ip6->ip6_src.s6_addr32[3] = htonl(ntohl(g->b4.s6_addr32[3]) + idx);
		ip6->ip6_dst = g->aftr;
	} else {
		eth->h_proto = htons(ETH_P_IP);
	}
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + l4);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = g->dslite ? g->src.s_addr : htonl(ntohl(g->src.s_addr) + idx);
	ip->daddr = g->dst.s_addr;
	if (g->nto) {
		const struct endpoint *to = &g->to[k % g->nto];

		ip->saddr = g->src.s_addr;
		ip->daddr = to->addr.s_addr;
		sport = 9;
		dport = to->port;
	}
	ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));

	udp->source = htons(sport);
	udp->dest = htons(dport);
	udp->len = htons(l4);
	udp->check = 0;
	memset(udp + 1, 0, PAYLOAD);
	sum = csum_add(0, &ip->saddr, 8);
	sum += IPPROTO_UDP + l4;
	sum = csum_add(sum, udp, l4);
	udp->check = csum_fold(sum) ?: 0xffff;
	return g->ll_len + sizeof(*ip) + l4;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
		      &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || !v || v > max)
		usage();
	return v;
}

/* load_to: the -f FILE of "ADDR PORT" lines */
static void load_to(struct gen *g, const char *path)
{
	char addr[64];
	unsigned int port;
	unsigned long cap = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		exit(1);
	}
	while (fscanf(f, "%63s %u", addr, &port) == 2) {
		if (g->nto == cap) {
			cap = cap ? 2 * cap : 4096;
			g->to = realloc(g->to, cap * sizeof(*g->to));
			if (!g->to)
				exit(1);
		}
		if (!inet_pton(AF_INET, addr, &g->to[g->nto].addr) || !port || port > 65535) {
			fprintf(stderr, "udpgen: %s: bad line \"%s %u\"\n", path, addr, port);
			exit(2);
		}
		g->to[g->nto++].port = port;
	}
	fclose(f);
	if (!g->nto) {
		fprintf(stderr, "udpgen: %s: no endpoints\n", path);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_MAX];
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct gen g = { .addrs = 63, .ports = 256, .ll_len = ETH_HLEN };
	const char *dev = NULL;
	unsigned long sent = 0;
	int c, one = 1, have = 0;
	double t0;

	while ((c = getopt(argc, argv, "i:m:s:d:n:a:p:6:b:f:")) != -1) {
		switch (c) {
		case 'i': dev = optarg; break;
		case 'm': if (parse_mac(optarg, g.mac)) usage(); have |= 1; break;
		case 's': if (!inet_pton(AF_INET, optarg, &g.src)) usage(); have |= 2; break;
		case 'd': if (!inet_pton(AF_INET, optarg, &g.dst)) usage(); have |= 4; break;
		case 'n': g.count = parse_num(optarg, ~0UL); break;
		case 'a': g.addrs = parse_num(optarg, 1UL << 24); break;
		case 'p': g.ports = parse_num(optarg, 64512); break;
		case '6': if (!inet_pton(AF_INET6, optarg, &g.aftr)) usage(); g.dslite |= 1; break;
		case 'b': if (!inet_pton(AF_INET6, optarg, &g.b4)) usage(); g.dslite |= 2; break;
		case 'f': load_to(&g, optarg); break;
		default: usage();
		}
	}
	if (!dev || (have & 3) != 3 || !(have & 4 || g.nto) || !g.count || optind != argc || (g.dslite && g.dslite != 3) ||
	    (g.dslite && g.nto))
		usage();
	if (g.dslite)
		g.ll_len = ETH_HLEN + sizeof(struct ip6_hdr);

	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "udpgen: %s: no such device\n", dev);
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_ALL);
	g.fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (g.fd < 0 || bind(g.fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("udpgen: packet socket");
		return 1;
	}
	/* straight to the driver: no qdisc between generator and NAT */
	setsockopt(g.fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));

	memset(msg, 0, sizeof(msg));
	for (c = 0; c < BATCH; c++) {
		iov[c].iov_base = frames[c];
		msg[c].msg_hdr.msg_iov = &iov[c];
		msg[c].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	while (sent < g.count) {
		unsigned long n = g.count - sent < BATCH ? g.count - sent : BATCH;
		int i, r;

		for (i = 0; i < (int)n; i++)
			iov[i].iov_len = build(&g, sent + i, frames[i]);
		r = sendmmsg(g.fd, msg, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			perror("udpgen: sendmmsg");
			return 1;
		}
		sent += r;
	}
	printf("%lu %.6f\n", sent, now() - t0);
	return 0;
}
