// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path (per instance, off by default): once a session has carried
 * a packet out, its route is kept in the session, and later packets of the
 * flow are translated and sent to the neighbour straight from PRE_ROUTING,
 * as nf_flow_table does. They skip the FIB lookup, the forward and
 * post-routing hooks and conntrack: with the fast path on, a firewall on
 * the board sees only the first packets of a flow.
 *
 * Anything unusual takes the normal path: a route gone stale, TTL about to
 * expire, a packet over the MTU, a gateway of another family.
 */
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "cgn.h"
#include "compat.h"

/* Called from POST_ROUTING for a translated packet: keep its route. */
void cgn_fast_learn(struct cgn_session *s, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);

	if (!dst || dst->obsolete > 0 ||
	    ((struct rtable *)dst)->rt_gw_family == AF_INET6 ||
	    !dst_hold_safe(dst))
		return;
	if (cmpxchg(&s->dst, NULL, dst))
		dst_release(dst);	/* another CPU was first */
}

static void fast_forget(struct cgn_session *s, struct dst_entry *dst)
{
	if (cmpxchg(&s->dst, dst, NULL) == dst)
		dst_release(dst);
}

/*
 * From PRE_ROUTING: a subscriber's packet of an established flow. True
 * when the packet was sent (or dropped) here, false to go the normal way.
 */
bool cgn_fast_out(struct cgn_net *cn, struct sk_buff *skb, const struct cgn_pkt *p)
{
	struct cgn_instance *inst;
	struct cgn_session *s;
	struct cgn_mapping *m;
	struct dst_entry *dst;
	struct iphdr *iph;
	__be32 nexthop;

	inst = cgn_inside_lookup(cn, p->saddr);
	if (!inst || !READ_ONCE(inst->cfg.fastpath) || cgn_standby(inst))
		return false;
	m = cgn_mapping_find_in(cn, p->proto, &in6addr_any, p->saddr, p->sport);
	if (!m)
		return false;
	s = cgn_session_find(cn, m, p->daddr, p->dport);
	if (!s)
		return false;
	dst = READ_ONCE(s->dst);
	if (!dst)
		return false;
	if (!dst_check(dst, 0)) {
		fast_forget(s, dst);
		return false;
	}
	iph = ip_hdr(skb);
	if (iph->ttl <= 1 || skb->pkt_type != PACKET_HOST ||
	    (skb->len > dst_mtu(dst) &&
	     !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, dst_mtu(dst)))))
		return false;
	if (cgn_writable(skb, p))
		return false;

	if (cgn_session_refresh(s, &inst->cfg, p->proto,
				skb_network_header(skb) + p->thoff, CGN_DIR_OUT))
		cgn_sync_session(cn, s);
	cgn_xlate(skb, p, true, m->user->ext_addr, m->out_port);
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);
	cgn_count(inst, pkts_out);

	skb_dst_drop(skb);
	skb_dst_set_noref(skb, dst);
	skb->dev = dst->dev;
	skb->protocol = htons(ETH_P_IP);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev))) {
		kfree_skb(skb);
		return true;
	}
	nexthop = rt_nexthop((struct rtable *)dst, ip_hdr(skb)->daddr);
	neigh_xmit(NEIGH_ARP_TABLE, dst->dev, &nexthop, skb);
	return true;
}
