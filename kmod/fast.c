// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path (per instance, off by default), as nf_flow_table does it:
 * once a flow has carried a packet out, its route is kept in its session,
 * and once a subscriber has received a packet, the route to it is kept in
 * its user entry. Later packets of established flows, both ways, are then
 * translated and handed to the neighbour straight from PRE_ROUTING (or a
 * fast-path device's ingress, fastdev.c). They skip the FIB lookup, the
 * forward and post-routing hooks and conntrack: with the fast path on, a
 * firewall on the board sees only the first packets of a flow.
 *
 * Anything unusual takes the normal path: a route gone stale, TTL about to
 * expire, a packet over the MTU, a gateway of another family, DS-Lite.
 */
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "cgn.h"
#include "compat.h"

/* Keep @skb's route in *@slot, unless one is there already. */
static void fast_keep(struct dst_entry **slot, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);

	if (!dst || dst->obsolete > 0 ||
	    ((struct rtable *)dst)->rt_gw_family == AF_INET6 ||
	    !dst_hold_safe(dst))
		return;
	if (cmpxchg(slot, NULL, dst))
		dst_release(dst);	/* another CPU was first */
}

/* Called from POST_ROUTING for a packet translated out. */
void cgn_fast_learn(struct cgn_session *s, struct sk_buff *skb)
{
	fast_keep(&s->dst, skb);
}

/*
 * Called from POST_ROUTING for a forwarded packet not from a subscriber:
 * if it goes to one whose instance has the fast path on, keep the route.
 */
void cgn_fast_learn_in(struct cgn_net *cn, struct sk_buff *skb, __be32 daddr)
{
	struct cgn_instance *inst = cgn_inside_lookup(cn, daddr);
	struct cgn_user *u;

	if (!inst || !READ_ONCE(inst->cfg.fastpath))
		return;
	u = cgn_user_find(cn, &in6addr_any, daddr);
	if (u && !READ_ONCE(u->dst))
		fast_keep(&u->dst, skb);
}

/* The route in *@slot if it is still good; a stale one is dropped. */
static struct dst_entry *fast_route(struct dst_entry **slot)
{
	struct dst_entry *dst = READ_ONCE(*slot);

	if (dst && !dst_check(dst, 0)) {
		if (cmpxchg(slot, dst, NULL) == dst)
			dst_release(dst);
		return NULL;
	}
	return dst;
}

/* Can @skb leave by @dst without the stack's help, and be written to? */
static bool fast_fits(struct sk_buff *skb, const struct cgn_pkt *p,
		      struct dst_entry *dst)
{
	unsigned int mtu = dst_mtu(dst);

	return ip_hdr(skb)->ttl > 1 && skb->pkt_type == PACKET_HOST &&
	       (skb->len <= mtu ||
		(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))) &&
	       !cgn_writable(skb, p);
}

/*
 * Send @skb of session @s, going @dir, by the route in *@slot: translated
 * and handed to the route's neighbour, counted, the session refreshed.
 * False, and the packet as it was, when it cannot go without the stack.
 */
static bool fast_send(struct cgn_net *cn, struct cgn_instance *inst,
		      struct cgn_session *s, struct dst_entry **slot,
		      struct sk_buff *skb, const struct cgn_pkt *p, int dir)
{
	struct dst_entry *dst = fast_route(slot);
	struct cgn_mapping *m = s->key.m;
	__be32 nexthop;

	if (!dst || !fast_fits(skb, p, dst))
		return false;
	if (cgn_session_refresh(s, &inst->cfg, p->proto,
				skb_network_header(skb) + p->thoff, dir))
		cgn_sync_session(cn, s);
	if (dir == CGN_DIR_OUT) {
		cgn_count(inst, pkts_out);
		cgn_count(inst, fast_out);
		cgn_xlate(skb, p, true, m->user->ext_addr, m->out_port);
	} else {
		cgn_count(inst, pkts_in);
		cgn_count(inst, fast_in);
		cgn_xlate(skb, p, false, m->in_addr, m->in_port);
	}
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);

	skb_dst_drop(skb);
	skb_dst_set_noref(skb, dst);
	skb->dev = dst->dev;
	skb->protocol = htons(ETH_P_IP);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev))) {
		cgn_count(inst, drop_nomem);
		kfree_skb(skb);
		return true;
	}
	nexthop = rt_nexthop((struct rtable *)dst, ip_hdr(skb)->daddr);
	neigh_xmit(NEIGH_ARP_TABLE, dst->dev, &nexthop, skb);
	return true;
}

/*
 * A subscriber's packet of an established flow. True when the packet was
 * sent (or dropped) here, false to go the normal way.
 */
bool cgn_fast_out(struct cgn_net *cn, struct sk_buff *skb, const struct cgn_pkt *p)
{
	struct cgn_instance *inst;
	struct cgn_session *s;
	struct cgn_mapping *m;

	inst = cgn_inside_lookup(cn, p->saddr);
	if (!inst || !READ_ONCE(inst->cfg.fastpath) || cgn_standby(inst))
		return false;
	m = cgn_mapping_find_in(cn, p->proto, &in6addr_any, p->saddr, p->sport);
	if (!m)
		return false;
	s = cgn_session_find(cn, m, p->daddr, p->dport);
	return s && fast_send(cn, inst, s, &s->dst, skb, p, CGN_DIR_OUT);
}

/*
 * A packet to @pool's address, of an established flow of a NAT44
 * subscriber. A hairpinned packet (from another subscriber, source not yet
 * translated) finds no session and goes the normal way.
 */
bool cgn_fast_in(struct cgn_net *cn, struct sk_buff *skb, const struct cgn_pkt *p,
		 struct cgn_pool *pool)
{
	struct cgn_instance *inst = pool->inst;
	struct cgn_session *s;
	struct cgn_mapping *m;

	if (!READ_ONCE(inst->cfg.fastpath) || cgn_standby(inst))
		return false;
	m = cgn_mapping_find_out(cn, p->proto, p->daddr, p->dport);
	if (!m || cgn_mapping_held(m) || cgn_is_b4(&m->user->b4))
		return false;
	s = cgn_session_find(cn, m, p->saddr, p->sport);
	return s && fast_send(cn, inst, s, &m->user->dst, skb, p, CGN_DIR_IN);
}
