// SPDX-License-Identifier: GPL-2.0
/*
 * NAT44 packet path.
 *
 * Outside -> inside is translated in PRE_ROUTING, after defragmentation
 * (-400) and before conntrack (-200), so routing and any conntrack or
 * nftables rules see the subscriber's inside address. Inside -> outside is
 * translated in POST_ROUTING after every other hook but conntrack's confirm,
 * so a firewall on the board sees inside addresses in both directions and
 * only forwarded traffic is translated. Hairpinned packets (a subscriber
 * to a pool address) are translated both ways in PRE_ROUTING.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>

#include "cgn.h"

#define CGN_PRI_IN	(NF_IP_PRI_CONNTRACK - 50)
#define CGN_PRI_OUT	(NF_IP_PRI_CONNTRACK_CONFIRM - 1)

/*
 * Fill @p from the headers. @out: the packet leaves towards the outside.
 * 0: translatable; -EPROTONOSUPPORT: nothing we translate; else malformed.
 */
int cgn_parse(struct sk_buff *skb, struct cgn_pkt *p, bool out)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = skb_network_offset(skb);
	struct icmphdr _ih;
	const struct icmphdr *ih;
	__be16 _ports[2];
	const __be16 *ports;

	p->proto = iph->protocol;
	p->saddr = iph->saddr;
	p->daddr = iph->daddr;
	p->thoff = iph->ihl * 4;
	p->icmp_err = false;
	p->b4 = &in6addr_any;
	if (ip_is_fragment(iph))	/* nf_defrag_ipv4 could not reassemble */
		return -EINVAL;

	switch (p->proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP:
		if (off + p->thoff + (p->proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
				      sizeof(struct udphdr)) > skb->len)
			return -EINVAL;
		ports = skb_header_pointer(skb, off + p->thoff, sizeof(_ports), _ports);
		if (!ports)
			return -EINVAL;
		p->sport = ports[0];
		p->dport = ports[1];
		return 0;
	case IPPROTO_ICMP:
		ih = skb_header_pointer(skb, off + p->thoff, sizeof(_ih), &_ih);
		if (!ih)
			return -EINVAL;
		if (icmp_is_err(ih->type)) {
			p->icmp_err = true;
			return 0;
		}
		/* queries: echo requests go out, their replies come in */
		if (ih->type != (out ? ICMP_ECHO : ICMP_ECHOREPLY))
			return -EPROTONOSUPPORT;
		p->sport = out ? ih->un.echo.id : 0;
		p->dport = out ? 0 : ih->un.echo.id;
		return 0;
	default:
		return -EPROTONOSUPPORT;
	}
}

static void *cgn_l4(struct sk_buff *skb, const struct cgn_pkt *p)
{
	return skb_network_header(skb) + p->thoff;
}

/* Out of ports or over a limit: tell the subscriber (RFC 6888 REQ-11). */
static void cgn_unreach(struct cgn_net *cn, struct sk_buff *skb,
			const struct cgn_pkt *p, struct cgn_instance *inst)
{
	if (!READ_ONCE(inst->cfg.icmp_unreach))
		return;
	if (cgn_is_b4(p->b4))
		cgn_encap_icmp(cn, skb, inst, p->b4, ICMP_DEST_UNREACH,
			       ICMP_HOST_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	cgn_count(inst, icmp_unreach_sent);	/* both rate-limited */
}

/*
 * A packet for a host behind a B4 arrived with its TTL spent: answer the
 * sender as the router in front of the softwire would, quoting the packet
 * as it was sent (to the pool address). PRE_ROUTING: route it first, as
 * icmp_send() picks its source from the input route.
 */
static void cgn_time_exceeded(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev))
		return;
	icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
}

/*
 * Translate the source of a packet from a subscriber of @inst, creating its
 * session if needed. On NF_ACCEPT @p holds the translated source.
 */
unsigned int cgn_out(struct cgn_net *cn, struct sk_buff *skb,
		     struct cgn_pkt *p, struct cgn_instance *inst, bool hairpin)
{
	struct cgn_session *s = NULL;
	struct cgn_mapping *m;

	m = cgn_mapping_find_in(cn, p->proto, p->b4, p->saddr, p->sport);
	if (m)
		s = cgn_session_find(cn, m, p->daddr, p->dport);
	if (!s) {
		/* inside to inside is routed; a B4's inside is its own */
		if (!hairpin && !cgn_is_b4(p->b4) && cgn_inside_lookup(cn, p->daddr))
			return NF_ACCEPT;
		if (cgn_pass_match(inst, p->daddr, p->dport)) {
			cgn_count(inst, pass);
			return NF_ACCEPT;
		}
		s = cgn_session_create(cn, inst, p, m != NULL);
		if (IS_ERR(s)) {
			switch (PTR_ERR(s)) {
			case -ENOSPC:
				cgn_count(inst, drop_no_ports);
				fallthrough;
			case -EDQUOT:
				cgn_unreach(cn, skb, p, inst);
				break;
			case -EUSERS:
				cgn_count(inst, drop_softwires);
				break;
			default:
				cgn_count(inst, drop_nomem);
			}
			return NF_DROP;
		}
		m = s->key.m;
	}
	if (cgn_writable(skb, p)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	if (cgn_session_refresh(s, &inst->cfg, p->proto, cgn_l4(skb, p), CGN_DIR_OUT))
		cgn_sync_session(cn, s);
	cgn_xlate(skb, p, true, m->user->ext_addr, m->out_port);
	if (!hairpin && !cgn_is_b4(p->b4) && unlikely(!READ_ONCE(s->dst)) &&
	    READ_ONCE(inst->cfg.fastpath))
		cgn_fast_learn(s, skb);
	p->saddr = m->user->ext_addr;
	p->sport = m->out_port;
	cgn_count(inst, pkts_out);
	return NF_ACCEPT;
}

static unsigned int cgn_nat44_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct cgn_net *cn = cgn_pernet(state->net);
	struct cgn_instance *inst;
	struct cgn_pkt p;
	int err;

	if (!READ_ONCE(cn->ninstances))
		return NF_ACCEPT;
	err = cgn_parse(skb, &p, true);
	if (!err && p.icmp_err)	/* from a subscriber or from the board */
		return cgn_inside_lookup(cn, p.daddr) ? NF_ACCEPT :
		       cgn_icmp_err_out(cn, skb, &p, state->hook, NULL);
	/* the board's own packets keep their source, even an inside one */
	if (!(IPCB(skb)->flags & IPSKB_FORWARDED))
		return NF_ACCEPT;
	inst = cgn_inside_lookup(cn, p.saddr);
	if (!inst) {
		/* not from a subscriber; maybe to one, by a route to keep */
		if (READ_ONCE(cn->nfast) && !err)
			cgn_fast_learn_in(cn, skb, p.daddr);
		return NF_ACCEPT;
	}
	if (cgn_standby(inst)) {
		cgn_count(inst, drop_standby);
		return NF_DROP;
	}
	if (err) {
		/* what we cannot translate must not leak an inside address */
		if (cgn_inside_lookup(cn, p.daddr))
			return NF_ACCEPT;
		cgn_count(inst, drop_malformed);
		return NF_DROP;
	}
	return cgn_out(cn, skb, &p, inst, false);
}

/* A subscriber of @src sent to a pool address: translate its source first. */
static unsigned int cgn_hairpin(struct cgn_net *cn, struct sk_buff *skb,
				struct cgn_pkt *p, struct cgn_mapping *m,
				struct cgn_instance *src)
{
	struct cgn_instance *inst = m->user->inst;
	unsigned int verdict;

	if (!READ_ONCE(inst->cfg.hairpin)) {
		cgn_count(inst, drop_filtered);
		return NF_DROP;
	}
	if (cgn_standby(src)) {
		cgn_count(src, drop_standby);
		return NF_DROP;
	}
	verdict = cgn_out(cn, skb, p, src, true);
	if (verdict == NF_ACCEPT)
		cgn_count(inst, hairpin);
	return verdict;
}

/*
 * A packet to @pool's address (@err: cgn_parse() failed): translate its
 * destination to the subscriber's, or hand it to the subscriber's B4.
 */
unsigned int cgn_in(struct cgn_net *cn, struct sk_buff *skb, struct cgn_pkt *p,
		    struct cgn_pool *pool, int err, unsigned int hook)
{
	struct cgn_instance *inst;
	struct cgn_session *s;
	struct cgn_mapping *m;
	unsigned int verdict;

	if (cgn_standby(pool->inst)) {
		cgn_count(pool->inst, drop_standby);
		return NF_DROP;
	}
	if (err)
		goto not_mapped;
	if (p->icmp_err)
		return cgn_icmp_err_in(cn, skb, pool, p, hook);

	m = cgn_mapping_find_out(cn, p->proto, p->daddr, p->dport);
	if (!m || cgn_mapping_held(m))
		goto not_mapped;
	inst = m->user->inst;
	if (cgn_is_b4(&m->user->b4) && ip_hdr(skb)->ttl <= 1) {
		cgn_time_exceeded(skb);
		cgn_count(inst, drop_ttl);
		return NF_DROP;
	}
	s = cgn_session_find(cn, m, p->saddr, p->sport);
	if (!s) {
		struct cgn_instance *src = cgn_inside_lookup(cn, p->saddr);

		if (src) {
			verdict = cgn_hairpin(cn, skb, p, m, src);
			if (verdict != NF_ACCEPT)
				return verdict;
			s = cgn_session_find(cn, m, p->saddr, p->sport);
		}
	}
	if (!s) {
		s = cgn_session_add(cn, m, p->saddr, p->sport);
		if (IS_ERR(s)) {
			switch (PTR_ERR(s)) {
			case -EPERM:
				cgn_count(inst, drop_filtered);
				break;
			case -ENOENT:
				cgn_count(inst, drop_no_mapping);
				break;
			case -ENOMEM:
				cgn_count(inst, drop_nomem);
				break;
			}
			return NF_DROP;
		}
	}
	if (cgn_writable(skb, p)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	if (cgn_session_refresh(s, &inst->cfg, p->proto, cgn_l4(skb, p), CGN_DIR_IN))
		cgn_sync_session(cn, s);
	cgn_xlate(skb, p, false, m->in_addr, m->in_port);
	cgn_count(inst, pkts_in);
	if (cgn_is_b4(&m->user->b4))
		return cgn_encap(cn, skb, m->user);
	skb_dst_drop(skb);	/* route again, to the subscriber */
	return NF_ACCEPT;

not_mapped:
	/* to one of our addresses but nothing to translate it with */
	if (err && err != -EPROTONOSUPPORT)
		cgn_count(pool->inst, drop_malformed);
	else
		cgn_count(pool->inst, drop_no_mapping);
	return NF_DROP;
}

static unsigned int cgn_nat44_in(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct cgn_net *cn = cgn_pernet(state->net);
	struct cgn_pool *pool;
	struct cgn_pkt p;
	bool fast;
	int err;

	if (!READ_ONCE(cn->ninstances))
		return NF_ACCEPT;
	err = cgn_parse(skb, &p, false);
	/* not what a fast-path device's hook already turned down */
	fast = READ_ONCE(cn->nfast) && !err && !p.icmp_err && !cgn_fastdev_rx(cn, skb);
	if (fast && cgn_fast_out(cn, skb, &p))
		return NF_STOLEN;
	pool = cgn_pool_lookup(cn, p.daddr);
	if (!pool)
		return NF_ACCEPT;	/* not to an address of ours */
	if (fast && cgn_fast_in(cn, skb, &p, pool))
		return NF_STOLEN;
	return cgn_in(cn, skb, &p, pool, err, state->hook);
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
