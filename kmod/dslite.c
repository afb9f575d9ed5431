// SPDX-License-Identifier: GPL-2.0
/*
 * DS-Lite AFTR (RFC 6333), from the B4. IPv4 in IPv6 (next header 4) to
 * an instance's AFTR address is taken in IPv6 PRE_ROUTING, after
 * nf_defrag_ipv6 reassembled it (-400) and before conntrack (-200); any
 * other packet passes untouched. The inner packet is checked, translated
 * like a NAT44 subscriber's with the B4 as the subscriber, and sent as the
 * board's own IPv4 packet (ip_local_out: LOCAL_OUT and POST_ROUTING see its
 * pool source). One to a pool address is hairpinned: translated both ways
 * here, then routed to its NAT44 subscriber or sent to its B4.
 *
 * Inner IPv4 fragments are reassembled with ip_defrag(), their queues told
 * apart by a hash of the B4 as well: two B4s whose hosts share an address
 * and a fragment id could only mix if their B4s also share the hash.
 *
 * ICMPv6 errors to the AFTR address (Packet Too Big, unreachables about a
 * softwire packet) are left to the IPv6 stack: a Packet Too Big lowers the
 * route MTU toward the B4, which the next encapsulated packets are
 * fragmented to; nothing is relayed to IPv4 hosts.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "compat.h"
#include "cgn.h"

#define CGN_PRI_DSLITE	(NF_IP6_PRI_CONNTRACK - 50)

/*
 * Strip the IPv6 headers, @off bytes (a B4 may add a tunnel encapsulation
 * limit option); the inner header is checked. 0 or -EINVAL.
 */
static int decap(struct sk_buff *skb, unsigned int off)
{
	u8 dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	struct iphdr *iph;
	unsigned int len;

	if (!pskb_may_pull(skb, off + sizeof(*iph)))
		return -EINVAL;
	iph = (struct iphdr *)(skb->data + off);
	if (iph->version != 4 || iph->ihl < 5 ||
	    !pskb_may_pull(skb, off + iph->ihl * 4))
		return -EINVAL;
	iph = (struct iphdr *)(skb->data + off);
	len = ntohs(iph->tot_len);
	if (ip_fast_csum(iph, iph->ihl) || len < iph->ihl * 4 ||
	    len > skb->len - off)
		return -EINVAL;
	skb_pull_rcsum(skb, off);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, iph->ihl * 4);
	if (pskb_trim_rcsum(skb, len) || skb_ensure_writable(skb, sizeof(*iph)))
		return -EINVAL;
	skb->protocol = htons(ETH_P_IP);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	/* uniform model: the DSCP the tunnel carried; congestion it saw */
	ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, dsfield & ~INET_ECN_MASK);
	if (INET_ECN_is_ce(dsfield))
		IP_ECN_set_ce(ip_hdr(skb));
	return 0;
}

/* The route out for @skb; an oversize packet gets a fragmentation needed. */
static struct rtable *route_out(struct cgn_net *cn, struct sk_buff *skb,
				struct cgn_instance *inst, const struct in6_addr *b4)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = iph->daddr,
		.flowi4_mark = skb->mark,
		.flowi4_tos = RT_TOS(iph->tos),
		.flowi4_proto = iph->protocol,
	};
	struct rtable *rt;
	u32 mtu;

	rt = ip_route_output_key(cn->net, &fl4);
	if (IS_ERR(rt)) {
		cgn_encap_icmp(cn, skb, inst, b4, ICMP_DEST_UNREACH,
			       ICMP_NET_UNREACH, 0);
		return rt;
	}
	mtu = dst_mtu(&rt->dst);
	if (skb->len > mtu && (iph->frag_off & htons(IP_DF))) {
		cgn_encap_icmp(cn, skb, inst, b4, ICMP_DEST_UNREACH,
			       ICMP_FRAG_NEEDED, mtu);
		ip_rt_put(rt);
		return ERR_PTR(-EMSGSIZE);
	}
	return rt;
}

/* A B4's packet to a pool address: to its subscriber, translated twice. */
static void hairpin(struct cgn_net *cn, struct sk_buff *skb, struct cgn_pkt *p,
		    struct cgn_instance *inst, struct cgn_pool *pool)
{
	struct cgn_instance *to = pool->inst;
	unsigned int verdict;
	struct rtable *rt;

	if (!READ_ONCE(to->cfg.hairpin)) {
		cgn_count(to, drop_filtered);
		goto drop;
	}
	if (cgn_out(cn, skb, p, inst, true) != NF_ACCEPT)
		goto drop;
	verdict = cgn_in(cn, skb, p, pool, 0, NF_INET_PRE_ROUTING);
	if (verdict == NF_STOLEN) {
		cgn_count(to, hairpin);
		return;
	}
	if (verdict != NF_ACCEPT)
		goto drop;
	rt = route_out(cn, skb, inst, p->b4);	/* to a NAT44 subscriber */
	if (IS_ERR(rt))
		goto drop;
	cgn_count(to, hairpin);
	ip_decrease_ttl(ip_hdr(skb));
	skb_dst_set(skb, &rt->dst);
	ip_local_out(cn->net, NULL, skb);
	return;
drop:
	kfree_skb(skb);
}

/* Translate @skb, decapsulated, and send it on. Consumes it. */
static void xmit(struct cgn_net *cn, struct sk_buff *skb,
		 struct cgn_instance *inst, const struct in6_addr *b4)
{
	struct cgn_pool *pool;
	unsigned int verdict;
	struct rtable *rt;
	struct cgn_pkt p;

	if (cgn_parse(skb, &p, true)) {
		cgn_count(inst, drop_malformed);
		goto drop;
	}
	p.b4 = b4;
	if (ip_hdr(skb)->ttl <= 1) {
		cgn_encap_icmp(cn, skb, inst, b4, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		cgn_count(inst, drop_ttl);
		goto drop;
	}
	pool = p.icmp_err ? NULL : cgn_pool_lookup(cn, p.daddr);
	if (pool) {
		hairpin(cn, skb, &p, inst, pool);
		return;
	}
	rt = route_out(cn, skb, inst, b4);
	if (IS_ERR(rt))
		goto drop;
	if (p.icmp_err)
		verdict = cgn_icmp_err_out(cn, skb, &p, NF_INET_PRE_ROUTING, inst);
	else
		verdict = cgn_out(cn, skb, &p, inst, false);
	if (verdict != NF_ACCEPT) {
		ip_rt_put(rt);
		goto drop;
	}
	ip_decrease_ttl(ip_hdr(skb));
	skb_dst_set(skb, &rt->dst);
	ip_local_out(cn->net, NULL, skb);
	return;
drop:
	kfree_skb(skb);
}

/* Inner fragments: the whole packet, or NULL while it is incomplete. */
static struct sk_buff *defrag(struct cgn_net *cn, struct sk_buff *skb,
			      const struct in6_addr *b4)
{
	u32 user = IP_DEFRAG_CONNTRACK_BRIDGE_IN + (ipv6_addr_hash(b4) & 0xffff);

	if (!ip_is_fragment(ip_hdr(skb)))
		return skb;
	return ip_defrag(cn->net, skb, user) ? NULL : skb;
}

/* The inner IPv4 header, from the network header; 0: not IPv4 in IPv6. */
static unsigned int inner_off(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int off;

	if (nexthdr == IPPROTO_IPIP)
		return sizeof(struct ipv6hdr);
	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(struct ipv6hdr),
			       &nexthdr, &frag_off);
	if (off < 0 || nexthdr != IPPROTO_IPIP || frag_off)
		return 0;
	return off - skb_network_offset(skb);
}

struct from_b4_args {
	struct cgn_net *cn;
	struct cgn_instance *inst;
	const struct in6_addr *b4;
};

static void from_b4(struct sk_buff *skb, void *arg)
{
	const struct from_b4_args *a = arg;
	unsigned int off = inner_off(skb);

	if (!off || decap(skb, skb_network_offset(skb) + off)) {
		cgn_count(a->inst, drop_tunnel);
		kfree_skb(skb);
		return;
	}
	cgn_count(a->inst, decap);
	skb = defrag(a->cn, skb, a->b4);
	if (skb)
		xmit(a->cn, skb, a->inst, a->b4);
}

static unsigned int cgn_dslite_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct from_b4_args a = { .cn = cgn_pernet(state->net) };
	struct in6_addr b4;

	if (!READ_ONCE(a.cn->ndslite))
		return NF_ACCEPT;
	a.inst = cgn_aftr_lookup(a.cn, &ipv6_hdr(skb)->daddr);
	if (!a.inst || !inner_off(skb))
		return NF_ACCEPT;	/* not for a softwire */
	if (cgn_standby(a.inst)) {
		cgn_count(a.inst, drop_standby);
		return NF_DROP;
	}
	b4 = ipv6_hdr(skb)->saddr;
	a.b4 = &b4;
	if (!cgn_b4_match(a.inst, &b4)) {
		cgn_count(a.inst, drop_b4);
		return NF_DROP;
	}
	if (!cgn_each_segment(skb, from_b4, &a)) {
		cgn_count(a.inst, drop_nomem);
		return NF_DROP;
	}
	return NF_STOLEN;
}

static const struct nf_hook_ops cgn_dslite_ops[] = {
	{
		.hook = cgn_dslite_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = CGN_PRI_DSLITE,
	},
};

int cgn_dslite_init(struct net *net)
{
	int err;

	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, cgn_dslite_ops, ARRAY_SIZE(cgn_dslite_ops));
	if (err)
		nf_defrag_ipv6_disable(net);
	return err;
}

void cgn_dslite_exit(struct net *net)
{
	nf_unregister_net_hooks(net, cgn_dslite_ops, ARRAY_SIZE(cgn_dslite_ops));
	nf_defrag_ipv6_disable(net);
}
