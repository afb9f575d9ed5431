// SPDX-License-Identifier: GPL-2.0
/*
 * DS-Lite settings of an instance: its AFTR address and the B4 prefixes
 * it serves.
 */
#include <linux/slab.h>

#include "netlink.h"

static int prefix6_parse(struct nlattr *nest, struct in6_addr *addr, u8 *len,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CGN_PREFIX6_A_MAX + 1];
	struct in6_addr net;
	int err;

	err = nla_parse_nested(tb, CGN_PREFIX6_A_MAX, nest, cgn_prefix6_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, CGN_PREFIX6_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CGN_PREFIX6_A_LEN)) {
		NL_SET_ERR_MSG(extack, "prefix needs an address and a length");
		return -EINVAL;
	}
	nla_memcpy(addr, tb[CGN_PREFIX6_A_ADDR], sizeof(*addr));
	*len = nla_get_u8(tb[CGN_PREFIX6_A_LEN]);
	ipv6_addr_prefix(&net, addr, *len);
	if (!ipv6_addr_equal(&net, addr)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

static struct cgn_prefix6 *prefix6_find(struct list_head *list,
					const struct in6_addr *addr, u8 len)
{
	struct cgn_prefix6 *p;

	list_for_each_entry(p, list, list)
		if (p->len == len && ipv6_addr_equal(&p->addr, addr))
			return p;
	return NULL;
}

static int aftr_add(struct cgn_net *cn, struct cgn_instance *inst,
		    const struct in6_addr *addr, struct nlattr *attr,
		    struct netlink_ext_ack *extack)
{
	int type = ipv6_addr_type(addr);
	struct cgn_prefix6 *p;
	bool taken;

	if (!(type & IPV6_ADDR_UNICAST) || (type & IPV6_ADDR_MAPPED)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "AFTR address must be IPv6 unicast");
		return -EINVAL;
	}
	if (!list_empty(&inst->aftrs)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "instance has an AFTR address");
		return -EEXIST;
	}
	rcu_read_lock();
	taken = cgn_aftr_lookup(cn, addr);
	rcu_read_unlock();
	if (taken) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "AFTR address of another instance");
		return -EEXIST;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->addr = *addr;
	p->len = 128;
	list_add_tail_rcu(&p->list, &inst->aftrs);
	WRITE_ONCE(cn->ndslite, cn->ndslite + 1);
	return 0;
}

static int aftr_del(struct cgn_net *cn, struct cgn_instance *inst,
		    const struct in6_addr *addr, struct nlattr *attr,
		    struct netlink_ext_ack *extack)
{
	struct cgn_prefix6 *p = prefix6_find(&inst->aftrs, addr, 128);

	if (!p) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not the AFTR address of the instance");
		return -ENOENT;
	}
	list_del_rcu(&p->list);
	WRITE_ONCE(cn->ndslite, cn->ndslite - 1);
	kfree_rcu(p, rcu);
	return 0;
}

static int b4_add(struct cgn_net *cn, struct cgn_instance *inst,
		  const struct in6_addr *addr, u8 len, struct nlattr *attr,
		  struct netlink_ext_ack *extack)
{
	struct cgn_prefix6 *p;

	if (cgn_b4_overlaps(cn, addr, len)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "prefix overlaps a B4 prefix");
		return -EEXIST;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->addr = *addr;
	p->len = len;
	list_add_tail_rcu(&p->list, &inst->b4s);
	return 0;
}

static int b4_del(struct cgn_net *cn, struct cgn_instance *inst,
		  const struct in6_addr *addr, u8 len, struct nlattr *attr,
		  struct netlink_ext_ack *extack)
{
	struct cgn_prefix6 *p = prefix6_find(&inst->b4s, addr, len);

	if (!p) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such B4 prefix");
		return -ENOENT;
	}
	/* no new softwire after this; then drop the old ones */
	list_del_rcu(&p->list);
	synchronize_rcu();
	cgn_flush_b4(cn, inst, &p->addr, p->len);
	kfree_rcu(p, rcu);
	return 0;
}

static int dslite_change(struct genl_info *info, bool add)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[CGN_DSLITE_A_MAX + 1];
	struct cgn_instance *inst;
	struct in6_addr addr;
	struct nlattr *attr;
	u8 len = 128;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_DSLITE)) {
		NL_SET_ERR_MSG(extack, "DS-Lite attributes missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, CGN_DSLITE_A_MAX, info->attrs[CGN_A_DSLITE],
			       cgn_dslite_policy, extack);
	if (err)
		return err;
	if (!tb[CGN_DSLITE_A_AFTR] == !tb[CGN_DSLITE_A_B4]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[CGN_A_DSLITE],
				    "give an AFTR address or a B4 prefix");
		return -EINVAL;
	}
	attr = tb[CGN_DSLITE_A_AFTR] ?: tb[CGN_DSLITE_A_B4];
	if (tb[CGN_DSLITE_A_AFTR])
		nla_memcpy(&addr, attr, sizeof(addr));
	else
		err = prefix6_parse(attr, &addr, &len, extack);
	if (err)
		return err;

	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (err)
		goto out;
	if (tb[CGN_DSLITE_A_AFTR])
		err = add ? aftr_add(cn, inst, &addr, attr, extack) :
			    aftr_del(cn, inst, &addr, attr, extack);
	else
		err = add ? b4_add(cn, inst, &addr, len, attr, extack) :
			    b4_del(cn, inst, &addr, len, attr, extack);
out:
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_dslite_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return dslite_change(info, true);
}

int cgn_dslite_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return dslite_change(info, false);
}

/* In instance replies, under cfg_mutex. */
int cgn_put_dslite(struct sk_buff *skb, const struct cgn_instance *inst)
{
	const struct cgn_prefix6 *p;
	struct nlattr *nest, *b4;

	nest = nla_nest_start(skb, CGN_A_DSLITE);
	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry(p, &inst->aftrs, list)
		if (nla_put_in6_addr(skb, CGN_DSLITE_A_AFTR, &p->addr))
			return -EMSGSIZE;
	list_for_each_entry(p, &inst->b4s, list) {
		b4 = nla_nest_start(skb, CGN_DSLITE_A_B4);
		if (!b4 ||
		    nla_put_in6_addr(skb, CGN_PREFIX6_A_ADDR, &p->addr) ||
		    nla_put_u8(skb, CGN_PREFIX6_A_LEN, p->len))
			return -EMSGSIZE;
		nla_nest_end(skb, b4);
	}
	nla_nest_end(skb, nest);
	return 0;
}
