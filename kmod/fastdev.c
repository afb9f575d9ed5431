// SPDX-License-Identifier: GPL-2.0
/*
 * Fast-path devices: the devices a board's traffic arrives on (subscriber
 * side, outside, or both), named by the operator. On them the fast path
 * (fast.c) runs from the device's netfilter ingress hook, as nf_flow_table
 * does, before IPv4 receive and every PRE_ROUTING hook: a packet of an
 * established flow, either way, is checked, translated and handed to its
 * neighbour there. Anything else, and everything on other devices, goes on
 * as before.
 *
 * The list is changed under RTNL and read under RCU by PRE_ROUTING, which
 * leaves what arrived on these devices to the hook that already tried it.
 * A device that goes away or leaves the netns leaves the list
 * (NETDEV_UNREGISTER covers both).
 */
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ip.h>

#include "cgn.h"

/*
 * After netdev filter chains of the default priority (0): a board's
 * ingress policers and ACLs see the packet first.
 */
#define CGN_PRI_INGRESS	10

struct cgn_fastdev {
	struct list_head list;		/* cgn_net.fastdevs */
	struct nf_hook_ops ops;		/* ops.dev: the device */
	struct rcu_head rcu;
};

/*
 * What ip_rcv() would check before PRE_ROUTING, for the packets the fast
 * path may take: an IPv4 header that is whole, valid and unfragmented, no
 * VLAN tag left for a VLAN device (fast.c checks the rest). Trims
 * link-layer padding. False leaves the packet to the stack, which drops
 * and counts what is broken.
 */
static bool fast_ipv4(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len;

	if (skb->protocol != htons(ETH_P_IP) || skb_vlan_tag_present(skb) ||
	    !pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (iph->ihl < 5 || iph->version != 4 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = ip_hdr(skb);
	len = ntohs(iph->tot_len);
	if (ip_fast_csum(iph, iph->ihl) || skb->len < len || len < iph->ihl * 4 ||
	    ip_is_fragment(iph))
		return false;
	if (pskb_trim_rcsum(skb, len))
		return false;
	skb_set_transport_header(skb, iph->ihl * 4);
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	return true;
}

static unsigned int cgn_fast_ingress(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct cgn_net *cn = priv;
	struct cgn_pool *pool;
	struct cgn_pkt p;
	bool sent;

	if (!READ_ONCE(cn->nfast) || !fast_ipv4(skb) ||
	    cgn_parse(skb, &p, false) || p.icmp_err)
		return NF_ACCEPT;
	pool = cgn_pool_lookup(cn, p.daddr);
	sent = pool ? cgn_fast_in(cn, skb, &p, pool) : cgn_fast_out(cn, skb, &p);
	return sent ? NF_STOLEN : NF_ACCEPT;
}

struct cgn_fastdev *cgn_fastdev_find(struct cgn_net *cn, const struct net_device *dev)
{
	struct cgn_fastdev *fd;

	ASSERT_RTNL();
	list_for_each_entry(fd, &cn->fastdevs, list)
		if (fd->ops.dev == dev)
			return fd;
	return NULL;
}

/* Hook @dev of @cn's netns. Under RTNL. */
int cgn_fastdev_add(struct cgn_net *cn, struct net_device *dev)
{
	struct cgn_fastdev *fd;
	int err;

	ASSERT_RTNL();
	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	fd->ops.hook = cgn_fast_ingress;
	fd->ops.pf = NFPROTO_NETDEV;
	fd->ops.hooknum = NF_NETDEV_INGRESS;
	fd->ops.priority = CGN_PRI_INGRESS;
	fd->ops.dev = dev;
	fd->ops.priv = cn;
	err = nf_register_net_hook(cn->net, &fd->ops);
	if (err) {
		kfree(fd);
		return err;
	}
	list_add_tail_rcu(&fd->list, &cn->fastdevs);
	return 0;
}

/* Unhook and forget @fd; packets in the hook may still read it. RTNL. */
void cgn_fastdev_del(struct cgn_net *cn, struct cgn_fastdev *fd)
{
	ASSERT_RTNL();
	nf_unregister_net_hook(cn->net, &fd->ops);
	list_del_rcu(&fd->list);
	kfree_rcu(fd, rcu);
}

/* Did @skb arrive on a fast-path device (whose hook tried it)? RCU. */
bool cgn_fastdev_rx(struct cgn_net *cn, const struct sk_buff *skb)
{
	struct cgn_fastdev *fd;

	list_for_each_entry_rcu(fd, &cn->fastdevs, list)
		if (fd->ops.dev->ifindex == skb->skb_iif)
			return true;
	return false;
}

/* Name of the @i-th fast-path device into @name; false past the end. RTNL. */
bool cgn_fastdev_name(struct cgn_net *cn, unsigned long i, char *name)
{
	struct cgn_fastdev *fd;

	ASSERT_RTNL();
	list_for_each_entry(fd, &cn->fastdevs, list)
		if (!i--) {
			strscpy(name, fd->ops.dev->name, IFNAMSIZ);
			return true;
		}
	return false;
}

void cgn_fastdev_flush(struct cgn_net *cn)
{
	struct cgn_fastdev *fd, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(fd, tmp, &cn->fastdevs, list)
		cgn_fastdev_del(cn, fd);
	rtnl_unlock();
}

static int cgn_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct cgn_net *cn;
	struct cgn_fastdev *fd;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	cn = cgn_pernet(dev_net(dev));
	fd = cgn_fastdev_find(cn, dev);
	if (fd)
		cgn_fastdev_del(cn, fd);
	return NOTIFY_DONE;
}

static struct notifier_block cgn_netdev_notifier = {
	.notifier_call = cgn_netdev_event,
};

int __init cgn_fastdev_init(void)
{
	return register_netdevice_notifier(&cgn_netdev_notifier);
}

/* Unregistering replays NETDEV_UNREGISTER: every device is unhooked. */
void cgn_fastdev_exit(void)
{
	unregister_netdevice_notifier(&cgn_netdev_notifier);
}
