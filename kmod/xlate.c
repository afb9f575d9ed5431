// SPDX-License-Identifier: GPL-2.0
/*
 * Rewriting one endpoint (source or destination) of a packet, with its IP
 * and transport checksums. The caller made the headers writable.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "cgn.h"

static unsigned int l4_len(const struct cgn_pkt *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	default:
		return sizeof(struct icmphdr);
	}
}

/* Make the headers cgn_xlate() touches writable. */
int cgn_writable(struct sk_buff *skb, const struct cgn_pkt *p)
{
	return skb_ensure_writable(skb, skb_network_offset(skb) + p->thoff + l4_len(p));
}

void cgn_xlate(struct sk_buff *skb, const struct cgn_pkt *p, bool src,
	       __be32 addr, __be16 port)
{
	struct iphdr *iph = ip_hdr(skb);
	void *l4 = skb_network_header(skb) + p->thoff;
	__be32 *a = src ? &iph->saddr : &iph->daddr;
	__sum16 *check = NULL;
	__be16 *pp;

	switch (p->proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = l4;

		pp = src ? &uh->source : &uh->dest;
		/* a zero UDP checksum means none: keep it that way */
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL)
			check = &uh->check;
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;

		pp = src ? &th->source : &th->dest;
		check = &th->check;
		break;
	}
	default: {	/* ICMP query: the identifier, no pseudo-header */
		struct icmphdr *ih = l4;

		pp = &ih->un.echo.id;
		inet_proto_csum_replace2(&ih->checksum, skb, *pp, port, false);
		break;
	}
	}
	if (check) {
		inet_proto_csum_replace4(check, skb, *a, addr, true);
		inet_proto_csum_replace2(check, skb, *pp, port, false);
		if (p->proto == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	*pp = port;
	csum_replace4(&iph->check, *a, addr);
	*a = addr;
}
