// SPDX-License-Identifier: GPL-2.0
/*
 * DS-Lite toward the B4: an IPv4 packet for a host behind a B4 leaves in
 * an IPv6 packet from the AFTR address to the B4 (RFC 6333), hop limit 64,
 * traffic class from the inner DSCP and ECN (uniform model, RFC 6040
 * normal mode). A packet too large for the tunnel MTU is not dropped: the
 * IPv6 packet is fragmented to it, or to a smaller path MTU the stack
 * learned from an ICMPv6 Packet Too Big (RFC 6333 5.3).
 *
 * The AFTR's own ICMPv4 messages to a host behind a B4 come from 192.0.0.1
 * (RFC 6333 5.7) and go to it through its softwire.
 *
 * The route to a B4 is kept in its user entry, as ip6_tunnel keeps its
 * own: a dst_cache (per CPU, 40 bytes each) checked with the route's
 * cookie at every use, so a route change or a learned path MTU takes
 * effect at the next packet. Per B4 user, as the B4 address is the
 * route's key: B4s of one softwire prefix may be routed apart.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ratelimit.h>
#include <net/dsfield.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "compat.h"
#include "cgn.h"

#define CGN_AFTR_ADDR4	htonl(0xc0000001)	/* 192.0.0.1 */
#define CGN_HOP_LIMIT	64
#define CGN_ICMP_QUOTE	(576 - sizeof(struct iphdr) - sizeof(struct icmphdr))

static DEFINE_RATELIMIT_STATE(cgn_icmp_rs, HZ, 100);

/*
 * The route of @fl6, from @dc if it has it (NULL: no cache). Not cached
 * for a marked packet: the mark may choose another route. BH off.
 */
static struct dst_entry *b4_route(struct net *net, struct dst_cache *dc,
				  struct flowi6 *fl6)
{
	struct in6_addr saddr;
	struct dst_entry *dst;

	if (fl6->flowi6_mark)
		dc = NULL;
	if (dc) {
		dst = dst_cache_get_ip6(dc, &saddr);
		if (dst && ipv6_addr_equal(&saddr, &fl6->saddr))
			return dst;
		dst_release(dst);	/* NULL, or from an older AFTR address */
	}
	dst = ip6_route_output(net, NULL, fl6);
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	if (dc)
		dst_cache_set_ip6(dc, dst, &fl6->saddr);
	return dst;
}

/* Encapsulate and send @skb, an IPv4 packet; consumes it. RCU, BH off. */
static int encap_one(struct cgn_net *cn, struct sk_buff *skb,
		     const struct in6_addr *aftr, const struct in6_addr *b4,
		     u32 tmtu, struct dst_cache *dc)
{
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_IPIP,
		.flowi6_mark = skb->mark,
		.daddr = *b4,
		.saddr = *aftr,
	};
	u8 dsfield = ipv4_get_dsfield(ip_hdr(skb));
	unsigned int len = skb->len;
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;

	dst = b4_route(cn->net, dc, &fl6);
	if (!dst) {
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + sizeof(*ip6h))) {
		dst_release(dst);
		kfree_skb(skb);
		return -ENOMEM;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	nf_reset_ct(skb);
	skb_clear_tstamp(skb);
	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, dsfield, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_IPIP;
	ip6h->hop_limit = CGN_HOP_LIMIT;
	ip6h->saddr = *aftr;
	ip6h->daddr = *b4;
	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	/* fragment the IPv6 packet, never ask the inner sender (5.3) */
	IP6CB(skb)->frag_max_size = min_t(u32, tmtu, dst_mtu(dst));
	skb->ignore_df = 1;
	return ip6_local_out(cn->net, NULL, skb);
}

static const struct in6_addr *aftr_addr(struct cgn_instance *inst)
{
	struct cgn_prefix6 *aftr;

	aftr = list_first_or_null_rcu(&inst->aftrs, struct cgn_prefix6, list);
	return aftr ? &aftr->addr : NULL;
}

struct encap_args {
	struct cgn_net *cn;
	struct cgn_instance *inst;
	const struct in6_addr *aftr, *b4;
	u32 tmtu;
	struct dst_cache *dc;
};

static void encap_counted(struct sk_buff *skb, void *arg)
{
	const struct encap_args *a = arg;

	if (!encap_one(a->cn, skb, a->aftr, a->b4, a->tmtu, a->dc))
		cgn_count(a->inst, encap);
}

/*
 * Send @skb, translated, to the host behind @u's B4. Consumes it: the
 * verdict is NF_STOLEN, or NF_DROP with the packet still there.
 */
unsigned int cgn_encap(struct cgn_net *cn, struct sk_buff *skb,
		       struct cgn_user *u)
{
	struct encap_args a = {
		.cn = cn,
		.inst = u->inst,
		.aftr = aftr_addr(u->inst),
		.b4 = &u->b4,
		.tmtu = READ_ONCE(u->inst->cfg.tunnel_mtu),
		.dc = &u->dst_cache,
	};

	if (!a.aftr) {
		cgn_count(a.inst, drop_no_mapping);
		return NF_DROP;
	}
	if (ip_hdr(skb)->ttl <= 1) {
		cgn_count(a.inst, drop_ttl);
		return NF_DROP;
	}
	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		cgn_count(a.inst, drop_nomem);
		return NF_DROP;
	}
	ip_decrease_ttl(ip_hdr(skb));
	/* each segment is fragmented on its own if need be */
	if (!cgn_each_segment(skb, encap_counted, &a)) {
		cgn_count(a.inst, drop_nomem);
		return NF_DROP;
	}
	return NF_STOLEN;
}

/* Never an error about an ICMP error, or about a later fragment. */
static bool may_answer(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct icmphdr _ih;
	const struct icmphdr *ih;

	if (iph->frag_off & htons(IP_OFFSET))
		return false;
	if (iph->protocol != IPPROTO_ICMP)
		return true;
	ih = skb_header_pointer(skb, skb_network_offset(skb) + iph->ihl * 4,
				sizeof(_ih), &_ih);
	return ih && !icmp_is_err(ih->type);
}

/*
 * An ICMPv4 error from 192.0.0.1 about @skb, an IPv4 packet from the host
 * behind @b4 (not translated yet), sent back through its softwire.
 * @info: the next-hop MTU of a fragmentation needed. Rate-limited.
 */
void cgn_encap_icmp(struct cgn_net *cn, struct sk_buff *skb,
		    struct cgn_instance *inst, const struct in6_addr *b4,
		    u8 type, u8 code, u32 info)
{
	unsigned int qlen = min_t(unsigned int, skb->len - skb_network_offset(skb),
				  CGN_ICMP_QUOTE);
	const struct in6_addr *aftr = aftr_addr(inst);
	struct sk_buff *nskb;
	struct icmphdr *ih;
	struct iphdr *iph;

	if (!aftr || !may_answer(skb) || !__ratelimit(&cgn_icmp_rs))
		return;
	nskb = alloc_skb(MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(*iph) +
			 sizeof(*ih) + qlen, GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, MAX_HEADER + sizeof(struct ipv6hdr));
	skb_reset_network_header(nskb);
	iph = skb_put_zero(nskb, sizeof(*iph));
	ih = skb_put_zero(nskb, sizeof(*ih));
	if (skb_copy_bits(skb, skb_network_offset(skb), skb_put(nskb, qlen), qlen)) {
		kfree_skb(nskb);
		return;
	}
	ih->type = type;
	ih->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		ih->un.frag.mtu = htons(info);
	ih->checksum = ip_compute_csum(ih, sizeof(*ih) + qlen);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = IPTOS_PREC_INTERNETCONTROL;
	iph->tot_len = htons(nskb->len);
	iph->ttl = CGN_HOP_LIMIT;
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = CGN_AFTR_ADDR4;
	iph->daddr = ip_hdr(skb)->saddr;
	ip_send_check(iph);
	nskb->protocol = htons(ETH_P_IP);
	nskb->mark = skb->mark;
	/* rare (rate-limited): the uncached route will do */
	if (!encap_one(cn, nskb, aftr, b4, READ_ONCE(inst->cfg.tunnel_mtu), NULL))
		cgn_count(inst, icmp_aftr_sent);
}
