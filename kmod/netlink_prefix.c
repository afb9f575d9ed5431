// SPDX-License-Identifier: GPL-2.0
/*
 * Pools, inside prefixes and pass-through destinations of an instance.
 */
#include <linux/inetdevice.h>
#include <linux/slab.h>

#include "netlink.h"

/* Pools and inside prefixes. */

static struct cgn_pool *pool_find(struct cgn_instance *inst, __be32 addr, u8 len)
{
	struct cgn_pool *pool;

	list_for_each_entry(pool, &inst->pools, list)
		if (pool->addr == addr && pool->len == len)
			return pool;
	return NULL;
}

static int pool_from_attrs(struct genl_info *info, struct nlattr **tb,
			   __be32 *addr, u8 *len)
{
	struct netlink_ext_ack *extack = info->extack;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_POOL)) {
		NL_SET_ERR_MSG(extack, "pool attributes missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, CGN_POOL_A_MAX, info->attrs[CGN_A_POOL],
			       cgn_pool_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[CGN_A_POOL], tb, CGN_POOL_A_PREFIX)) {
		NL_SET_ERR_MSG(extack, "pool prefix missing");
		return -EINVAL;
	}
	return cgn_nl_prefix(tb[CGN_POOL_A_PREFIX], addr, len, extack);
}

static int pool_add(struct cgn_net *cn, struct cgn_instance *inst, __be32 addr,
		    u8 len, struct nlattr **tb, struct netlink_ext_ack *extack)
{
	u16 port_min = 1024, port_max = 65535, bsize = 512;
	struct cgn_pool *pool;

	if (len < CGN_MIN_POOL_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_POOL_A_PREFIX],
				    "pool prefix must be /16 or longer");
		return -EINVAL;
	}
	if (tb[CGN_POOL_A_PORT_MIN])
		port_min = nla_get_u16(tb[CGN_POOL_A_PORT_MIN]);
	if (tb[CGN_POOL_A_PORT_MAX])
		port_max = nla_get_u16(tb[CGN_POOL_A_PORT_MAX]);
	if (tb[CGN_POOL_A_BLOCK_SIZE])
		bsize = nla_get_u16(tb[CGN_POOL_A_BLOCK_SIZE]);
	if (port_min > port_max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_POOL_A_PORT_MIN],
				    "port range is empty (min > max)");
		return -EINVAL;
	}
	if (bsize > port_max - port_min + 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_POOL_A_BLOCK_SIZE],
				    "block size larger than the port range");
		return -EINVAL;
	}
	if (cgn_prefix_overlaps(cn, addr, inet_make_mask(len))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_POOL_A_PREFIX],
				    "prefix overlaps a pool or inside prefix");
		return -EEXIST;
	}
	pool = cgn_pool_new(inst, addr, len, port_min, port_max, bsize);
	if (!pool)
		return -ENOMEM;
	list_add_tail_rcu(&pool->list, &inst->pools);
	return 0;
}

static void pool_free_rcu(struct rcu_head *rcu)
{
	cgn_pool_free(container_of(rcu, struct cgn_pool, rcu));
}

static int pool_del(struct cgn_net *cn, struct cgn_instance *inst, __be32 addr,
		    u8 len, struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct cgn_pool *pool = pool_find(inst, addr, len);

	if (!pool) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_POOL_A_PREFIX], "no such pool");
		return -ENOENT;
	}
	/* No new subscriber lands on it after this; then drop the old ones. */
	list_del_rcu(&pool->list);
	synchronize_rcu();
	cgn_pool_kill(cn, pool);
	cgn_flush(cn, NULL, pool, 0, 0);
	call_rcu(&pool->rcu, pool_free_rcu);
	return 0;
}

static int pool_change(struct genl_info *info, bool add)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct nlattr *tb[CGN_POOL_A_MAX + 1];
	struct cgn_instance *inst;
	__be32 addr;
	u8 len;
	int err;

	err = pool_from_attrs(info, tb, &addr, &len);
	if (err)
		return err;
	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? pool_add(cn, inst, addr, len, tb, info->extack) :
			    pool_del(cn, inst, addr, len, tb, info->extack);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_pool_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pool_change(info, true);
}

int cgn_pool_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pool_change(info, false);
}

/*
 * Inside prefixes and pass-through destinations: RCU lists of
 * struct cgn_prefix, changed under cfg_mutex.
 */
static struct cgn_prefix *prefix_find(struct list_head *list, __be32 addr, u8 len,
				      __be16 port)
{
	struct cgn_prefix *p;

	list_for_each_entry(p, list, list)
		if (p->addr == addr && p->len == len && p->port == port)
			return p;
	return NULL;
}

static int prefix_add(struct list_head *list, __be32 addr, u8 len, __be16 port)
{
	struct cgn_prefix *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->addr = addr;
	p->mask = inet_make_mask(len);
	p->len = len;
	p->port = port;
	list_add_tail_rcu(&p->list, list);
	return 0;
}

static int inside_add(struct cgn_net *cn, struct cgn_instance *inst, __be32 addr,
		      u8 len, struct genl_info *info)
{
	if (cgn_prefix_overlaps(cn, addr, inet_make_mask(len))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PREFIX],
				    "prefix overlaps a pool or inside prefix");
		return -EEXIST;
	}
	return prefix_add(&inst->insides, addr, len, 0);
}

static int inside_del(struct cgn_net *cn, struct cgn_instance *inst,
		      __be32 addr, u8 len, struct genl_info *info)
{
	struct cgn_prefix *p = prefix_find(&inst->insides, addr, len, 0);

	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PREFIX],
				    "no such inside prefix");
		return -ENOENT;
	}
	/* no new session after this; then drop the old ones */
	list_del_rcu(&p->list);
	synchronize_rcu();
	cgn_flush(cn, inst, NULL, p->addr, p->mask);
	kfree_rcu(p, rcu);
	return 0;
}

static int inside_change(struct genl_info *info, bool add)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	__be32 addr;
	u8 len;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_PREFIX)) {
		NL_SET_ERR_MSG(info->extack, "inside prefix missing");
		return -EINVAL;
	}
	err = cgn_nl_prefix(info->attrs[CGN_A_PREFIX], &addr, &len, info->extack);
	if (err)
		return err;

	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? inside_add(cn, inst, addr, len, info) :
			    inside_del(cn, inst, addr, len, info);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_inside_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return inside_change(info, true);
}

int cgn_inside_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return inside_change(info, false);
}

/* Pass-through destinations. */

static int pass_from_attrs(struct genl_info *info, __be32 *addr, u8 *len,
			   __be16 *port)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[CGN_PASS_A_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_PASS)) {
		NL_SET_ERR_MSG(extack, "pass-through attributes missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, CGN_PASS_A_MAX, info->attrs[CGN_A_PASS],
			       cgn_pass_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[CGN_A_PASS], tb, CGN_PASS_A_PREFIX)) {
		NL_SET_ERR_MSG(extack, "pass-through prefix missing");
		return -EINVAL;
	}
	*port = tb[CGN_PASS_A_PORT] ? htons(nla_get_u16(tb[CGN_PASS_A_PORT])) : 0;
	return cgn_nl_prefix(tb[CGN_PASS_A_PREFIX], addr, len, extack);
}

static int pass_add(struct cgn_instance *inst, __be32 addr, u8 len, __be16 port,
		    struct genl_info *info)
{
	if (prefix_find(&inst->passes, addr, len, port)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PASS],
				    "pass-through exists");
		return -EEXIST;
	}
	return prefix_add(&inst->passes, addr, len, port);
}

static int pass_del(struct cgn_instance *inst, __be32 addr, u8 len, __be16 port,
		    struct genl_info *info)
{
	struct cgn_prefix *p = prefix_find(&inst->passes, addr, len, port);

	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PASS],
				    "no such pass-through");
		return -ENOENT;
	}
	list_del_rcu(&p->list);
	kfree_rcu(p, rcu);
	return 0;
}

static int pass_change(struct genl_info *info, bool add)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	__be16 port;
	__be32 addr;
	u8 len;
	int err;

	err = pass_from_attrs(info, &addr, &len, &port);
	if (err)
		return err;
	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? pass_add(inst, addr, len, port, info) :
			    pass_del(inst, addr, len, port, info);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_pass_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pass_change(info, true);
}

int cgn_pass_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pass_change(info, false);
}
