// SPDX-License-Identifier: GPL-2.0
/*
 * NAT44 packet path.
 *
 * Outside -> inside is translated in PRE_ROUTING, after defragmentation
 * (-400) and before conntrack (-200), so routing and any conntrack or
 * nftables rules see the subscriber's inside address. Inside -> outside is
 * translated in POST_ROUTING after every other hook but conntrack's confirm,
 * so a firewall on the board sees inside addresses in both directions and
 * only forwarded traffic is translated.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>

#include "cgn.h"

#define CGN_PRI_IN	(NF_IP_PRI_CONNTRACK - 50)
#define CGN_PRI_OUT	(NF_IP_PRI_CONNTRACK_CONFIRM - 1)

struct cgn_pkt {
	u8 proto;
	unsigned int thoff;	/* from the network header */
	unsigned int hdrlen;	/* transport header bytes we touch */
	__be32 saddr, daddr;
	__be16 sport, dport;
};

/* 0: translatable; -EPROTONOSUPPORT: not ours to touch; else malformed. */
static int cgn_parse(struct sk_buff *skb, struct cgn_pkt *p)
{
	const struct iphdr *iph = ip_hdr(skb);
	__be16 _ports[2];
	const __be16 *ports;

	p->proto = iph->protocol;
	p->saddr = iph->saddr;
	p->daddr = iph->daddr;
	p->thoff = iph->ihl * 4;
	switch (p->proto) {
	case IPPROTO_UDP:
		p->hdrlen = sizeof(struct udphdr);
		break;
	case IPPROTO_TCP:
		p->hdrlen = sizeof(struct tcphdr);
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	if (ip_is_fragment(iph))	/* nf_defrag_ipv4 failed to reassemble */
		return -EINVAL;
	if (skb_network_offset(skb) + p->thoff + p->hdrlen > skb->len)
		return -EINVAL;
	ports = skb_header_pointer(skb, skb_network_offset(skb) + p->thoff,
				   sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	p->sport = ports[0];
	p->dport = ports[1];
	return 0;
}

/* Rewrite one endpoint (source or destination) with its checksums. */
static void cgn_rewrite(struct sk_buff *skb, const struct cgn_pkt *p, bool src,
			__be32 addr, __be16 port)
{
	struct iphdr *iph = ip_hdr(skb);
	void *l4 = skb_network_header(skb) + p->thoff;
	__be32 *a = src ? &iph->saddr : &iph->daddr;
	__sum16 *check;
	__be16 *pp;

	if (p->proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		pp = src ? &uh->source : &uh->dest;
		check = &uh->check;
		/* a zero UDP checksum means none: keep it that way */
		if (!*check && skb->ip_summed != CHECKSUM_PARTIAL)
			check = NULL;
	} else {
		struct tcphdr *th = l4;

		pp = src ? &th->source : &th->dest;
		check = &th->check;
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

static int cgn_make_writable(struct sk_buff *skb, const struct cgn_pkt *p)
{
	return skb_ensure_writable(skb, skb_network_offset(skb) + p->thoff + p->hdrlen);
}

static void *cgn_l4(struct sk_buff *skb, const struct cgn_pkt *p)
{
	return skb_network_header(skb) + p->thoff;
}

static unsigned int cgn_nat44_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct cgn_net *cn = cgn_pernet(state->net);
	struct cgn_instance *inst;
	struct cgn_session *s = NULL;
	struct cgn_mapping *m;
	struct cgn_pkt p;
	int err;

	if (!READ_ONCE(cn->ninstances))
		return NF_ACCEPT;
	err = cgn_parse(skb, &p);
	if (err)
		return NF_ACCEPT;	/* not from a subscriber we know yet */

	m = cgn_mapping_find_in(cn, p.proto, p.saddr, p.sport);
	if (m)
		s = cgn_session_find(cn, m, p.daddr, p.dport);
	if (!s) {
		inst = m ? m->user->inst : cgn_inside_lookup(cn, p.saddr);
		if (!inst || cgn_inside_lookup(cn, p.daddr))
			return NF_ACCEPT;	/* not a subscriber, or inside to inside */
		s = cgn_session_create(cn, inst, p.proto, p.saddr, p.sport,
				       p.daddr, p.dport);
		if (IS_ERR(s)) {
			if (PTR_ERR(s) == -ENOSPC)
				cgn_count(inst, drop_no_ports);
			else if (PTR_ERR(s) == -ENOMEM)
				cgn_count(inst, drop_nomem);
			return NF_DROP;
		}
		m = s->key.m;
	}
	inst = m->user->inst;
	if (cgn_make_writable(skb, &p)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	cgn_session_refresh(s, &inst->cfg, p.proto, cgn_l4(skb, &p), CGN_DIR_OUT);
	cgn_rewrite(skb, &p, true, m->out.addr, m->out.port);
	cgn_count(inst, pkts_out);
	return NF_ACCEPT;
}

static unsigned int cgn_nat44_in(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct cgn_net *cn = cgn_pernet(state->net);
	struct cgn_instance *inst;
	struct cgn_session *s;
	struct cgn_mapping *m;
	struct cgn_pool *pool;
	struct cgn_pkt p;
	int err;

	if (!READ_ONCE(cn->ninstances))
		return NF_ACCEPT;
	err = cgn_parse(skb, &p);
	if (err) {
		if (err == -EPROTONOSUPPORT)
			return NF_ACCEPT;
		pool = cgn_pool_lookup(cn, p.daddr);
		if (!pool)
			return NF_ACCEPT;
		cgn_count(pool->inst, drop_malformed);
		return NF_DROP;
	}

	m = cgn_mapping_find_out(cn, p.proto, p.daddr, p.dport);
	if (!m) {
		pool = cgn_pool_lookup(cn, p.daddr);
		if (!pool)
			return NF_ACCEPT;	/* not an address of ours */
		cgn_count(pool->inst, drop_no_mapping);
		return NF_DROP;
	}
	inst = m->user->inst;
	s = cgn_session_find(cn, m, p.saddr, p.sport);
	if (!s) {
		/* endpoint-independent filtering: any remote may use the mapping */
		s = cgn_session_add(cn, m, p.saddr, p.sport);
		if (IS_ERR(s)) {
			if (PTR_ERR(s) == -ENOMEM)
				cgn_count(inst, drop_nomem);
			else if (PTR_ERR(s) == -ENOENT)
				cgn_count(inst, drop_no_mapping);
			return NF_DROP;
		}
	}
	if (cgn_make_writable(skb, &p)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	cgn_session_refresh(s, &inst->cfg, p.proto, cgn_l4(skb, &p), CGN_DIR_IN);
	cgn_rewrite(skb, &p, false, m->in.addr, m->in.port);
	skb_dst_drop(skb);	/* route again, to the subscriber */
	cgn_count(inst, pkts_in);
	return NF_ACCEPT;
}

static const struct nf_hook_ops cgn_nat44_ops[] = {
	{
		.hook = cgn_nat44_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = CGN_PRI_IN,
	},
	{
		.hook = cgn_nat44_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = CGN_PRI_OUT,
	},
};

int cgn_nat44_init(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, cgn_nat44_ops, ARRAY_SIZE(cgn_nat44_ops));
	if (err)
		nf_defrag_ipv4_disable(net);
	return err;
}

void cgn_nat44_exit(struct net *net)
{
	nf_unregister_net_hooks(net, cgn_nat44_ops, ARRAY_SIZE(cgn_nat44_ops));
	nf_defrag_ipv4_disable(net);
}
