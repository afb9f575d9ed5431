// SPDX-License-Identifier: GPL-2.0
/* The board's fast-path devices (fastdev.c), by name. */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netlink.h"

/* The device named in @info, in the request's netns. Under RTNL. */
static struct net_device *req_dev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CGN_A_IFNAME];
	struct net_device *dev;

	if (NL_REQ_ATTR_CHECK(info->extack, NULL, info->attrs, CGN_A_IFNAME)) {
		NL_SET_ERR_MSG(info->extack, "device name missing");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_name(genl_info_net(info), nla_data(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

int cgn_fastdev_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct net_device *dev;
	int err;

	rtnl_lock();
	dev = req_dev(info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else if (cgn_fastdev_find(cn, dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_IFNAME],
				    "device is a fast-path device already");
		err = -EEXIST;
	} else {
		err = cgn_fastdev_add(cn, dev);
		if (err)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_IFNAME],
					    "cannot hook the device's ingress");
	}
	rtnl_unlock();
	return err;
}

int cgn_fastdev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_fastdev *fd;
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = req_dev(info);
	fd = IS_ERR(dev) ? NULL : cgn_fastdev_find(cn, dev);
	if (fd) {
		cgn_fastdev_del(cn, fd);
	} else if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_IFNAME],
				    "device is not a fast-path device");
		err = -ENOENT;
	}
	rtnl_unlock();
	return err;
}

/* One message per device; cb->args[0]: devices sent so far. */
int cgn_fastdev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cgn_net *cn = cgn_pernet(sock_net(skb->sk));
	char name[IFNAMSIZ];
	void *hdr;
	int err = 0;

	rtnl_lock();
	while (cgn_fastdev_name(cn, cb->args[0], name)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &cgn_family, NLM_F_MULTI, CGN_CMD_FASTDEV_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		if (nla_put_string(skb, CGN_A_IFNAME, name)) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	rtnl_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;	/* 0 once every device was sent */
}
