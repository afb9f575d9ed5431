// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors (RFC 5508): an error carries the head of the packet it is
 * about. The embedded packet, not the outer one, says which mapping the
 * error belongs to; both are rewritten. Outer and embedded checksums are
 * checked first and a bad one drops the error silently (REQ-3).
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "cgn.h"

struct cgn_inner {
	unsigned int off;	/* embedded IP header, from the network header */
	unsigned int l4off;	/* embedded transport header */
	u8 proto;
	__be32 saddr, daddr;
	__be16 sport, dport;	/* ICMP: the identifier on the subscriber's side */
};

/*
 * Check the error and find the embedded packet. @inbound: the embedded
 * packet went out from a subscriber (an error from outside), else it came
 * in to one. 0, or -EINVAL for a bad checksum or a truncated header.
 */
static int inner_parse(struct sk_buff *skb, const struct cgn_pkt *p,
		       unsigned int hook, bool inbound, struct cgn_inner *in)
{
	unsigned int noff = skb_network_offset(skb);
	const struct iphdr *iph;
	const struct icmphdr *ih;
	unsigned int ihl;

	if (nf_ip_checksum(skb, hook, noff + p->thoff, 0))
		return -EINVAL;
	in->off = p->thoff + sizeof(struct icmphdr);
	if (!pskb_may_pull(skb, noff + in->off + sizeof(struct iphdr)))
		return -EINVAL;
	iph = (struct iphdr *)(skb_network_header(skb) + in->off);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) ||
	    !pskb_may_pull(skb, noff + in->off + ihl + 8))
		return -EINVAL;
	iph = (struct iphdr *)(skb_network_header(skb) + in->off);
	if (ip_fast_csum(iph, iph->ihl))
		return -EINVAL;
	if (ip_is_fragment(iph) && (iph->frag_off & htons(IP_OFFSET)))
		return -EINVAL;	/* a later fragment: no transport header */

	in->l4off = in->off + ihl;
	in->proto = iph->protocol;
	in->saddr = iph->saddr;
	in->daddr = iph->daddr;
	switch (in->proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP: {
		const __be16 *ports = (void *)iph + ihl;

		in->sport = ports[0];
		in->dport = ports[1];
		return 0;
	}
	case IPPROTO_ICMP:
		/* about our echo request (outbound) or a reply to one (inbound) */
		ih = (void *)iph + ihl;
		if (ih->type != (inbound ? ICMP_ECHO : ICMP_ECHOREPLY))
			return -EPROTONOSUPPORT;
		in->sport = inbound ? ih->un.echo.id : 0;
		in->dport = inbound ? 0 : ih->un.echo.id;
		return 0;
	default:
		return -EPROTONOSUPPORT;
	}
}

/* Rewrite one endpoint of the embedded packet, its checksums included. */
static void inner_xlate(struct sk_buff *skb, const struct cgn_inner *in,
			bool src, __be32 addr, __be16 port)
{
	struct iphdr *iph = (struct iphdr *)(skb_network_header(skb) + in->off);
	void *l4 = skb_network_header(skb) + in->l4off;
	unsigned int have = skb->len - skb_network_offset(skb) - in->l4off;
	__be32 *a = src ? &iph->saddr : &iph->daddr;
	__sum16 *check = NULL;
	__be16 *pp;

	switch (in->proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = l4;

		pp = src ? &uh->source : &uh->dest;
		if (uh->check)
			check = &uh->check;
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;

		pp = src ? &th->source : &th->dest;
		/* the error may carry only the first 8 bytes */
		if (have >= offsetofend(struct tcphdr, check))
			check = &th->check;
		break;
	}
	default: {
		struct icmphdr *ih = l4;

		pp = &ih->un.echo.id;
		csum_replace2(&ih->checksum, *pp, port);
		break;
	}
	}
	if (check) {
		csum_replace4(check, *a, addr);
		csum_replace2(check, *pp, port);
		if (in->proto == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	*pp = port;
	csum_replace4(&iph->check, *a, addr);
	*a = addr;
}

/* The ICMP checksum covers the embedded packet: compute it again. */
static void icmp_csum(struct sk_buff *skb, const struct cgn_pkt *p)
{
	unsigned int off = skb_network_offset(skb) + p->thoff;
	struct icmphdr *ih = (struct icmphdr *)(skb->data + off);

	ih->checksum = 0;
	ih->checksum = csum_fold(skb_checksum(skb, off, skb->len - off, 0));
	skb->ip_summed = CHECKSUM_NONE;
}

static void outer_xlate(struct sk_buff *skb, bool src, __be32 addr)
{
	struct iphdr *iph = ip_hdr(skb);
	__be32 *a = src ? &iph->saddr : &iph->daddr;

	csum_replace4(&iph->check, *a, addr);
	*a = addr;
}

/* An error from outside about a packet a subscriber sent: to the subscriber. */
unsigned int cgn_icmp_err_in(struct cgn_net *cn, struct sk_buff *skb,
			     const struct cgn_pool *pool, const struct cgn_pkt *p,
			     unsigned int hook)
{
	struct cgn_instance *inst = pool->inst;
	struct cgn_mapping *m;
	struct cgn_inner in;
	int err;

	err = inner_parse(skb, p, hook, true, &in);
	if (err) {
		if (err == -EINVAL)
			cgn_count(inst, drop_bad_csum);
		else
			cgn_count(inst, drop_no_mapping);
		return NF_DROP;
	}
	if (skb_ensure_writable(skb, skb->len)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	/*
	 * From a subscriber about a packet hairpinned to it (RFC 5508
	 * section 7): its own side is seen from outside first.
	 */
	if (cgn_inside_lookup(cn, p->saddr)) {
		m = cgn_mapping_find_in(cn, in.proto, &in6addr_any, in.daddr, in.dport);
		if (m && !cgn_mapping_held(m)) {
			inner_xlate(skb, &in, false, m->user->ext_addr, m->out_port);
			outer_xlate(skb, true, m->user->ext_addr);
			in.daddr = m->user->ext_addr;
			in.dport = m->out_port;
		}
	}
	m = cgn_mapping_find_out(cn, in.proto, in.saddr, in.sport);
	if (!m || cgn_mapping_held(m)) {
		cgn_count(inst, drop_no_mapping);
		return NF_DROP;
	}
	inst = m->user->inst;
	/* only about a flow the subscriber has: never a way in (REQ-1) */
	if (!cgn_session_find(cn, m, in.daddr, in.dport)) {
		cgn_count(inst, drop_filtered);
		return NF_DROP;
	}
	inner_xlate(skb, &in, true, m->in_addr, m->in_port);
	outer_xlate(skb, false, m->in_addr);
	icmp_csum(skb, p);
	cgn_count(inst, icmp_err_in);
	if (cgn_is_b4(&m->user->b4))
		return cgn_encap(cn, skb, m->user);
	skb_dst_drop(skb);	/* route again, to the subscriber */
	return NF_ACCEPT;
}

/*
 * An error about a packet that came in to a subscriber (from the
 * subscriber, or from the board itself): the remote must see the outside
 * address and port the packet was sent to. @inst: the instance of the
 * B4 the error came from (DS-Lite), else NULL.
 */
unsigned int cgn_icmp_err_out(struct cgn_net *cn, struct sk_buff *skb,
			      const struct cgn_pkt *p, unsigned int hook,
			      struct cgn_instance *inst)
{
	bool fwd = inst || IPCB(skb)->flags & IPSKB_FORWARDED;
	bool from_sub = inst;
	struct cgn_mapping *m;
	struct cgn_inner in;
	int err;

	/* a subscriber's error, or the board's own (from any address) */
	if (!inst && fwd) {
		inst = cgn_inside_lookup(cn, p->saddr);
		from_sub = inst;
	}
	err = inner_parse(skb, p, hook, false, &in);
	if (err)
		goto drop_inside;
	m = cgn_mapping_find_in(cn, in.proto, p->b4, in.daddr, in.dport);
	if (!m || cgn_mapping_held(m))
		goto drop_inside;
	inst = m->user->inst;
	if (cgn_standby(inst)) {
		cgn_count(inst, drop_standby);
		return NF_DROP;
	}
	if (!cgn_session_find(cn, m, in.saddr, in.sport)) {
		cgn_count(inst, drop_filtered);
		return NF_DROP;
	}
	if (skb_ensure_writable(skb, skb->len)) {
		cgn_count(inst, drop_nomem);
		return NF_DROP;
	}
	inner_xlate(skb, &in, false, m->user->ext_addr, m->out_port);
	if (from_sub)
		outer_xlate(skb, true, m->user->ext_addr);
	icmp_csum(skb, p);
	cgn_count(inst, icmp_err_out);
	return NF_ACCEPT;

drop_inside:
	/* nothing of ours: let it be, unless it would leak an inside address */
	if (!inst)
		return NF_ACCEPT;
	if (err == -EINVAL)
		cgn_count(inst, drop_bad_csum);
	else
		cgn_count(inst, drop_no_mapping);
	return NF_DROP;
}
