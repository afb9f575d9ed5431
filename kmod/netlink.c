// SPDX-License-Identifier: GPL-2.0
/*
 * The "cgn" generic netlink family: configuration and state dumps.
 * Documented in Documentation/netlink/specs/cgn.yaml. Every refusal
 * carries an extack message and leaves the configuration as it was.
 */
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/netlink.h>

#include "cgn.h"
#include "compat.h"

#define CGN_MAX_INSTANCES	64
#define CGN_MIN_POOL_LEN	16	/* pool bitmaps stay small */
#define CGN_MAX_TIMEOUT		604800	/* a week */
#define CGN_MAX_BLOCKS		256	/* a user-get reply stays one page */

/* not const: 6.1 takes a plain pointer */
static struct netlink_range_validation cgn_timeout_range = {
	.min = 1,
	.max = CGN_MAX_TIMEOUT,
};

static struct netlink_range_validation cgn_hold_range = {
	.min = 0,
	.max = CGN_MAX_TIMEOUT,
};

static const struct nla_policy cgn_prefix_policy[CGN_PREFIX_A_MAX + 1] = {
	[CGN_PREFIX_A_ADDR] = { .type = NLA_U32 },
	[CGN_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
};

static const struct nla_policy cgn_pool_policy[CGN_POOL_A_MAX + 1] = {
	[CGN_POOL_A_PREFIX] = NLA_POLICY_NESTED(cgn_prefix_policy),
	[CGN_POOL_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_BLOCK_SIZE] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_BLOCKS] = { .type = NLA_REJECT },
	[CGN_POOL_A_BLOCKS_USED] = { .type = NLA_REJECT },
};

static const struct nla_policy cgn_config_policy[CGN_CONFIG_A_MAX + 1] = {
	[CGN_CONFIG_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_timeout_range),
	[CGN_CONFIG_A_TIMEOUT_TCP_EST] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_timeout_range),
	[CGN_CONFIG_A_TIMEOUT_TCP_TRANS] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_timeout_range),
	[CGN_CONFIG_A_TIMEOUT_ICMP] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_timeout_range),
	[CGN_CONFIG_A_MAX_SESSIONS] = NLA_POLICY_MIN(NLA_U32, 1),
	[CGN_CONFIG_A_MAX_BLOCKS] = NLA_POLICY_RANGE(NLA_U32, 1, CGN_MAX_BLOCKS),
	[CGN_CONFIG_A_FILTERING] = NLA_POLICY_MAX(NLA_U8, CGN_FILTER_APDF),
	[CGN_CONFIG_A_HAIRPIN] = NLA_POLICY_MAX(NLA_U8, 1),
	[CGN_CONFIG_A_HOLD_DOWN] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_hold_range),
	[CGN_CONFIG_A_ICMP_UNREACH] = NLA_POLICY_MAX(NLA_U8, 1),
	[CGN_CONFIG_A_SESSION_LIMIT] = { .type = NLA_U32 },
};

static const struct nla_policy cgn_pass_policy[CGN_PASS_A_MAX + 1] = {
	[CGN_PASS_A_PREFIX] = NLA_POLICY_NESTED(cgn_prefix_policy),
	[CGN_PASS_A_PORT] = { .type = NLA_U16 },
};

static const struct nla_policy cgn_user_policy[CGN_USER_A_MAX + 1] = {
	[CGN_USER_A_ADDR] = { .type = NLA_U32 },
};

static const struct nla_policy cgn_session_policy[CGN_SESSION_A_MAX + 1] = {
	[CGN_SESSION_A_PROTO] = { .type = NLA_U8 },
	[CGN_SESSION_A_IN_ADDR] = { .type = NLA_U32 },
};

static const struct nla_policy cgn_policy[CGN_A_MAX + 1] = {
	[CGN_A_INSTANCE] = { .type = NLA_NUL_STRING, .len = CGN_NAME_LEN - 1 },
	[CGN_A_PREFIX] = NLA_POLICY_NESTED(cgn_prefix_policy),
	[CGN_A_POOL] = NLA_POLICY_NESTED(cgn_pool_policy),
	[CGN_A_CONFIG] = NLA_POLICY_NESTED(cgn_config_policy),
	[CGN_A_POOLS] = { .type = NLA_REJECT },
	[CGN_A_INSIDES] = { .type = NLA_REJECT },
	[CGN_A_SESSION] = NLA_POLICY_NESTED(cgn_session_policy),
	[CGN_A_STATS] = { .type = NLA_REJECT },
	[CGN_A_USER] = NLA_POLICY_NESTED(cgn_user_policy),
	[CGN_A_PASS] = NLA_POLICY_NESTED(cgn_pass_policy),
	[CGN_A_PASSES] = { .type = NLA_REJECT },
};

static struct genl_family cgn_family;

/* Attribute helpers. */

static struct cgn_instance *instance_from_attrs(struct cgn_net *cn,
						struct nlattr **attrs,
						struct netlink_ext_ack *extack)
{
	struct cgn_instance *inst;

	if (NL_REQ_ATTR_CHECK(extack, NULL, attrs, CGN_A_INSTANCE)) {
		NL_SET_ERR_MSG(extack, "instance name missing");
		return ERR_PTR(-EINVAL);
	}
	inst = cgn_instance_find(cn, nla_data(attrs[CGN_A_INSTANCE]));
	if (!inst) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CGN_A_INSTANCE], "no such instance");
		return ERR_PTR(-ENOENT);
	}
	return inst;
}

static int prefix_from_attr(struct nlattr *nest, __be32 *addr, u8 *len,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CGN_PREFIX_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CGN_PREFIX_A_MAX, nest, cgn_prefix_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, CGN_PREFIX_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CGN_PREFIX_A_LEN)) {
		NL_SET_ERR_MSG(extack, "prefix needs an address and a length");
		return -EINVAL;
	}
	*addr = nla_get_in_addr(tb[CGN_PREFIX_A_ADDR]);
	*len = nla_get_u8(tb[CGN_PREFIX_A_LEN]);
	if (*addr & ~inet_make_mask(*len)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

static int put_prefix(struct sk_buff *skb, int type, __be32 addr, u8 len)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_in_addr(skb, CGN_PREFIX_A_ADDR, addr) ||
	    nla_put_u8(skb, CGN_PREFIX_A_LEN, len))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Validate all of a config nest first, then apply: all or nothing. */
static int config_apply(struct cgn_config *cfg, struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	static const struct {
		int type;
		size_t off;
	} fields[] = {
		{ CGN_CONFIG_A_TIMEOUT_UDP, offsetof(struct cgn_config, timeout_udp) },
		{ CGN_CONFIG_A_TIMEOUT_TCP_EST, offsetof(struct cgn_config, timeout_tcp_est) },
		{ CGN_CONFIG_A_TIMEOUT_TCP_TRANS,
		  offsetof(struct cgn_config, timeout_tcp_trans) },
		{ CGN_CONFIG_A_TIMEOUT_ICMP, offsetof(struct cgn_config, timeout_icmp) },
		{ CGN_CONFIG_A_MAX_SESSIONS, offsetof(struct cgn_config, max_sessions) },
		{ CGN_CONFIG_A_MAX_BLOCKS, offsetof(struct cgn_config, max_blocks) },
		{ CGN_CONFIG_A_HOLD_DOWN, offsetof(struct cgn_config, hold_down) },
		{ CGN_CONFIG_A_SESSION_LIMIT, offsetof(struct cgn_config, session_limit) },
	};
	static const struct {
		int type;
		size_t off;
	} flags[] = {
		{ CGN_CONFIG_A_FILTERING, offsetof(struct cgn_config, filtering) },
		{ CGN_CONFIG_A_HAIRPIN, offsetof(struct cgn_config, hairpin) },
		{ CGN_CONFIG_A_ICMP_UNREACH, offsetof(struct cgn_config, icmp_unreach) },
	};
	struct nlattr *tb[CGN_CONFIG_A_MAX + 1];
	unsigned int i;
	int err;

	err = nla_parse_nested(tb, CGN_CONFIG_A_MAX, nest, cgn_config_policy, extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (tb[fields[i].type])
			WRITE_ONCE(*(u32 *)((u8 *)cfg + fields[i].off),
				   nla_get_u32(tb[fields[i].type]));
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		if (tb[flags[i].type])
			WRITE_ONCE(*((u8 *)cfg + flags[i].off), nla_get_u8(tb[flags[i].type]));
	return 0;
}

static int put_config(struct sk_buff *skb, const struct cgn_config *cfg)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_CONFIG);

	if (!nest ||
	    nla_put_u32(skb, CGN_CONFIG_A_TIMEOUT_UDP, READ_ONCE(cfg->timeout_udp)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_TIMEOUT_TCP_EST, READ_ONCE(cfg->timeout_tcp_est)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_TIMEOUT_TCP_TRANS,
			READ_ONCE(cfg->timeout_tcp_trans)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_TIMEOUT_ICMP, READ_ONCE(cfg->timeout_icmp)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_MAX_SESSIONS, READ_ONCE(cfg->max_sessions)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_MAX_BLOCKS, READ_ONCE(cfg->max_blocks)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_HOLD_DOWN, READ_ONCE(cfg->hold_down)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_SESSION_LIMIT, READ_ONCE(cfg->session_limit)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_FILTERING, READ_ONCE(cfg->filtering)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_HAIRPIN, READ_ONCE(cfg->hairpin)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_ICMP_UNREACH, READ_ONCE(cfg->icmp_unreach)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Instances. */

static int cgn_instance_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_config cfg;
	struct cgn_instance *inst;
	const char *name;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_INSTANCE)) {
		NL_SET_ERR_MSG(info->extack, "instance name missing");
		return -EINVAL;
	}
	name = nla_data(info->attrs[CGN_A_INSTANCE]);
	if (!name[0]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_INSTANCE],
				    "instance name is empty");
		return -EINVAL;
	}

	mutex_lock(&cn->cfg_mutex);
	if (cgn_instance_find(cn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_INSTANCE],
				    "instance exists");
		err = -EEXIST;
		goto out;
	}
	if (cn->ninstances >= CGN_MAX_INSTANCES) {
		NL_SET_ERR_MSG(info->extack, "too many instances");
		err = -ENOSPC;
		goto out;
	}
	inst = cgn_instance_new(cn, name);
	if (!inst) {
		err = -ENOMEM;
		goto out;
	}
	if (info->attrs[CGN_A_CONFIG]) {
		cfg = inst->cfg;
		err = config_apply(&cfg, info->attrs[CGN_A_CONFIG], info->extack);
		if (err)
			cgn_instance_del(cn, inst);
		else
			inst->cfg = cfg;
	}
out:
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int cgn_instance_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;

	mutex_lock(&cn->cfg_mutex);
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	if (!IS_ERR(inst))
		cgn_instance_del(cn, inst);
	mutex_unlock(&cn->cfg_mutex);
	return PTR_ERR_OR_ZERO(inst);
}

static int cgn_instance_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	struct cgn_config cfg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_CONFIG)) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	mutex_lock(&cn->cfg_mutex);
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (err)
		goto out;
	cfg = inst->cfg;
	err = config_apply(&cfg, info->attrs[CGN_A_CONFIG], info->extack);
	if (!err)
		config_apply(&inst->cfg, info->attrs[CGN_A_CONFIG], NULL);
out:
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int put_pool(struct sk_buff *skb, const struct cgn_pool *pool)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_POOL);

	if (!nest ||
	    put_prefix(skb, CGN_POOL_A_PREFIX, pool->addr, pool->len) ||
	    nla_put_u16(skb, CGN_POOL_A_PORT_MIN, pool->port_min) ||
	    nla_put_u16(skb, CGN_POOL_A_PORT_MAX, pool->port_max) ||
	    nla_put_u16(skb, CGN_POOL_A_BLOCK_SIZE, pool->block_size) ||
	    nla_put_u32(skb, CGN_POOL_A_BLOCKS, pool->naddrs * pool->blocks_per_addr) ||
	    nla_put_u32(skb, CGN_POOL_A_BLOCKS_USED, READ_ONCE(pool->blocks_used)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_pass(struct sk_buff *skb, const struct cgn_pass *pass)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_PASS);

	if (!nest ||
	    put_prefix(skb, CGN_PASS_A_PREFIX, pass->addr, pass->len) ||
	    (pass->port && nla_put_u16(skb, CGN_PASS_A_PORT, ntohs(pass->port))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_instance(struct sk_buff *skb, const struct cgn_instance *inst,
			u32 portid, u32 seq, int flags)
{
	struct nlattr *pools, *insides, *passes;
	const struct cgn_pass *pass;
	const struct cgn_prefix *p;
	const struct cgn_pool *pool;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cgn_family, flags, CGN_CMD_INSTANCE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, CGN_A_INSTANCE, inst->name) ||
	    put_config(skb, &inst->cfg))
		goto cancel;
	pools = nla_nest_start(skb, CGN_A_POOLS);
	if (!pools)
		goto cancel;
	list_for_each_entry(pool, &inst->pools, list)
		if (put_pool(skb, pool))
			goto cancel;
	nla_nest_end(skb, pools);
	insides = nla_nest_start(skb, CGN_A_INSIDES);
	if (!insides)
		goto cancel;
	list_for_each_entry(p, &inst->insides, list)
		if (put_prefix(skb, CGN_A_PREFIX, p->addr, p->len))
			goto cancel;
	nla_nest_end(skb, insides);
	passes = nla_nest_start(skb, CGN_A_PASSES);
	if (!passes)
		goto cancel;
	list_for_each_entry(pass, &inst->passes, list)
		if (put_pass(skb, pass))
			goto cancel;
	nla_nest_end(skb, passes);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int cgn_instance_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->cfg_mutex);
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = put_instance(msg, inst, info->snd_portid, info->snd_seq, 0);
	mutex_unlock(&cn->cfg_mutex);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int cgn_instance_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cgn_net *cn = cgn_pernet(sock_net(skb->sk));
	struct cgn_instance *inst;
	long idx = 0;

	mutex_lock(&cn->cfg_mutex);
	list_for_each_entry(inst, &cn->instances, list) {
		if (idx++ < cb->args[0])
			continue;
		if (put_instance(skb, inst, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			idx--;
			break;
		}
	}
	mutex_unlock(&cn->cfg_mutex);
	cb->args[0] = idx;
	return skb->len;
}

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
	return prefix_from_attr(tb[CGN_POOL_A_PREFIX], addr, len, extack);
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
	cgn_flush(cn, NULL, pool);
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
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? pool_add(cn, inst, addr, len, tb, info->extack) :
			    pool_del(cn, inst, addr, len, tb, info->extack);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int cgn_pool_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pool_change(info, true);
}

static int cgn_pool_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pool_change(info, false);
}

static int inside_add(struct cgn_net *cn, struct cgn_instance *inst, __be32 addr,
		      u8 len, struct genl_info *info)
{
	struct cgn_prefix *p;

	if (cgn_prefix_overlaps(cn, addr, inet_make_mask(len))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PREFIX],
				    "prefix overlaps a pool or inside prefix");
		return -EEXIST;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->addr = addr;
	p->mask = inet_make_mask(len);
	p->len = len;
	list_add_tail_rcu(&p->list, &inst->insides);
	return 0;
}

static int inside_del(struct cgn_instance *inst, __be32 addr, u8 len,
		      struct genl_info *info)
{
	struct cgn_prefix *p;

	list_for_each_entry(p, &inst->insides, list) {
		if (p->addr == addr && p->len == len) {
			/* live sessions run out on their own timers */
			list_del_rcu(&p->list);
			kfree_rcu(p, rcu);
			return 0;
		}
	}
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PREFIX],
			    "no such inside prefix");
	return -ENOENT;
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
	err = prefix_from_attr(info->attrs[CGN_A_PREFIX], &addr, &len, info->extack);
	if (err)
		return err;

	mutex_lock(&cn->cfg_mutex);
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? inside_add(cn, inst, addr, len, info) :
			    inside_del(inst, addr, len, info);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int cgn_inside_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return inside_change(info, true);
}

static int cgn_inside_del_doit(struct sk_buff *skb, struct genl_info *info)
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
	return prefix_from_attr(tb[CGN_PASS_A_PREFIX], addr, len, extack);
}

static struct cgn_pass *pass_find(struct cgn_instance *inst, __be32 addr, u8 len,
				  __be16 port)
{
	struct cgn_pass *pass;

	list_for_each_entry(pass, &inst->passes, list)
		if (pass->addr == addr && pass->len == len && pass->port == port)
			return pass;
	return NULL;
}

static int pass_add(struct cgn_instance *inst, __be32 addr, u8 len, __be16 port,
		    struct genl_info *info)
{
	struct cgn_pass *pass;

	if (pass_find(inst, addr, len, port)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PASS],
				    "pass-through exists");
		return -EEXIST;
	}
	pass = kzalloc(sizeof(*pass), GFP_KERNEL);
	if (!pass)
		return -ENOMEM;
	pass->addr = addr;
	pass->mask = inet_make_mask(len);
	pass->len = len;
	pass->port = port;
	list_add_tail_rcu(&pass->list, &inst->passes);
	return 0;
}

static int pass_del(struct cgn_instance *inst, __be32 addr, u8 len, __be16 port,
		    struct genl_info *info)
{
	struct cgn_pass *pass = pass_find(inst, addr, len, port);

	if (!pass) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_PASS],
				    "no such pass-through");
		return -ENOENT;
	}
	list_del_rcu(&pass->list);
	kfree_rcu(pass, rcu);
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
	inst = instance_from_attrs(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err)
		err = add ? pass_add(inst, addr, len, port, info) :
			    pass_del(inst, addr, len, port, info);
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int cgn_pass_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pass_change(info, true);
}

static int cgn_pass_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pass_change(info, false);
}

/*
 * Dumps of the user and mapping tables: a walk that goes on from one
 * dump message to the next, with optional filters from the request.
 */
struct table_dump {
	struct rhashtable_iter iter;
	const struct cgn_instance *inst;	/* filter, compared only */
	u8 proto;				/* filter, 0: any */
	__be32 in_addr;				/* filter */
	bool has_addr;
};

static int table_dump_filters(struct table_dump *d, struct nlattr **attrs,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *stb[CGN_SESSION_A_MAX + 1];
	struct nlattr *utb[CGN_USER_A_MAX + 1];
	int err;

	if (attrs[CGN_A_SESSION]) {
		err = nla_parse_nested(stb, CGN_SESSION_A_MAX, attrs[CGN_A_SESSION],
				       cgn_session_policy, extack);
		if (err)
			return err;
		if (stb[CGN_SESSION_A_PROTO])
			d->proto = nla_get_u8(stb[CGN_SESSION_A_PROTO]);
		if (stb[CGN_SESSION_A_IN_ADDR]) {
			d->in_addr = nla_get_in_addr(stb[CGN_SESSION_A_IN_ADDR]);
			d->has_addr = true;
		}
	}
	if (attrs[CGN_A_USER]) {
		err = nla_parse_nested(utb, CGN_USER_A_MAX, attrs[CGN_A_USER],
				       cgn_user_policy, extack);
		if (err)
			return err;
		if (utb[CGN_USER_A_ADDR]) {
			d->in_addr = nla_get_in_addr(utb[CGN_USER_A_ADDR]);
			d->has_addr = true;
		}
	}
	return 0;
}

static int table_dump_start(struct netlink_callback *cb,
			    struct rhashtable *(*table)(struct cgn_net *cn))
{
	struct cgn_net *cn = cgn_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = cgn_dump_attrs(cb);
	struct table_dump *d;
	int err = 0;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (attrs) {
		err = table_dump_filters(d, attrs, cb->extack);
		if (err)
			goto err_free;
	}
	if (attrs && attrs[CGN_A_INSTANCE]) {
		mutex_lock(&cn->cfg_mutex);
		d->inst = instance_from_attrs(cn, attrs, cb->extack);
		mutex_unlock(&cn->cfg_mutex);
		if (IS_ERR(d->inst)) {
			err = PTR_ERR(d->inst);
			goto err_free;
		}
	}
	rhashtable_walk_enter(table(cn), &d->iter);
	cb->args[0] = (long)d;
	return 0;

err_free:
	kfree(d);
	return err;
}

static int table_dump_done(struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->iter);
		kfree(d);
	}
	return 0;
}

static struct rhashtable *users_table(struct cgn_net *cn)
{
	return &cn->users;
}

static struct rhashtable *mappings_table(struct cgn_net *cn)
{
	return &cn->map_in;
}

static int cgn_user_dump_start(struct netlink_callback *cb)
{
	return table_dump_start(cb, users_table);
}

static int cgn_session_dump_start(struct netlink_callback *cb)
{
	return table_dump_start(cb, mappings_table);
}

/* Subscribers: a walk of the user table. */

static int put_subscriber(struct sk_buff *skb, struct netlink_callback *cb,
		    const struct cgn_user *u)
{
	u16 bsize = u->pool->block_size;
	struct nlattr *nest;
	void *hdr;
	u16 i, n;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cgn_family, NLM_F_MULTI, CGN_CMD_USER_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CGN_A_USER);
	if (!nest ||
	    nla_put_string(skb, CGN_USER_A_INSTANCE, u->inst->name) ||
	    nla_put_in_addr(skb, CGN_USER_A_ADDR, u->addr) ||
	    nla_put_in_addr(skb, CGN_USER_A_EXT_ADDR, u->ext_addr) ||
	    nla_put_u16(skb, CGN_USER_A_BLOCK_SIZE, bsize) ||
	    nla_put_u32(skb, CGN_USER_A_MAPPINGS, READ_ONCE(u->nmappings)) ||
	    nla_put_u32(skb, CGN_USER_A_SESSIONS, READ_ONCE(u->nsessions)))
		goto cancel;
	n = READ_ONCE(u->nblocks);
	for (i = 0; i < n; i++)
		if (nla_put_u16(skb, CGN_USER_A_BLOCK,
				u->pool->port_min + READ_ONCE(u->blocks[i]) * bsize))
			goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* cb->args[1] set: the last user did not fit, send it first (peek). */
static int cgn_user_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];
	struct cgn_user *u;

	rhashtable_walk_start(&d->iter);
	u = cb->args[1] ? rhashtable_walk_peek(&d->iter) : rhashtable_walk_next(&d->iter);
	cb->args[1] = 0;
	for (; u; u = rhashtable_walk_next(&d->iter)) {
		if (IS_ERR(u)) {
			if (PTR_ERR(u) == -EAGAIN)
				continue;
			break;
		}
		if ((d->inst && u->inst != d->inst) ||
		    (d->has_addr && u->addr != d->in_addr))
			continue;
		if (put_subscriber(skb, cb, u)) {
			cb->args[1] = 1;
			break;
		}
	}
	rhashtable_walk_stop(&d->iter);
	return skb->len;
}

/* Sessions: a walk of the mapping table, each mapping's sessions in turn. */

static int put_session(struct sk_buff *skb, struct netlink_callback *cb,
		       const struct cgn_session *s)
{
	const struct cgn_mapping *m = s->key.m;
	long left = (long)READ_ONCE(s->expires) - (long)jiffies;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cgn_family, NLM_F_MULTI, CGN_CMD_SESSION_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CGN_A_SESSION);
	if (!nest ||
	    nla_put_string(skb, CGN_SESSION_A_INSTANCE, m->user->inst->name) ||
	    nla_put_u8(skb, CGN_SESSION_A_PROTO, m->in.proto) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_IN_ADDR, m->in.addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_IN_PORT, m->in.port) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_EXT_ADDR, m->out.addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_EXT_PORT, m->out.port) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_REM_ADDR, s->key.addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_REM_PORT, s->key.port) ||
	    nla_put_u8(skb, CGN_SESSION_A_STATE, READ_ONCE(s->state)) ||
	    nla_put_u32(skb, CGN_SESSION_A_EXPIRES,
			left > 0 ? jiffies_to_msecs(left) : 0)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static bool session_dump_match(const struct table_dump *d,
			       const struct cgn_mapping *m)
{
	return (!d->inst || m->user->inst == d->inst) &&
	       (!d->proto || m->in.proto == d->proto) &&
	       (!d->has_addr || m->in.addr == d->in_addr);
}

/*
 * cb->args[1] counts the sessions of the current mapping already sent:
 * when it is set the walk resumes at the same mapping (peek).
 */
static int cgn_session_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];
	struct cgn_session *s;
	struct cgn_mapping *m;
	long idx;

	rhashtable_walk_start(&d->iter);
	m = cb->args[1] ? rhashtable_walk_peek(&d->iter) : rhashtable_walk_next(&d->iter);
	for (; m; m = rhashtable_walk_next(&d->iter)) {
		if (IS_ERR(m)) {
			if (PTR_ERR(m) == -EAGAIN)
				continue;
			break;
		}
		if (!session_dump_match(d, m)) {
			cb->args[1] = 0;
			continue;
		}
		idx = 0;
		hlist_for_each_entry_rcu(s, &m->sessions, list) {
			if (idx++ < cb->args[1])
				continue;
			if (put_session(skb, cb, s)) {
				cb->args[1] = idx - 1;
				goto out;
			}
		}
		cb->args[1] = 0;
	}
out:
	rhashtable_walk_stop(&d->iter);
	return skb->len;
}

/* Counters. */

static int put_stats(struct sk_buff *skb, struct cgn_net *cn,
		     const struct cgn_instance *only)
{
	static const struct {
		int type;
		size_t off;
	} counters[] = {
#define C(attr, field) { CGN_STATS_A_##attr, offsetof(struct cgn_stats, field) }
		C(PKTS_OUT, pkts_out),
		C(PKTS_IN, pkts_in),
		C(SESSIONS_CREATED, sessions_created),
		C(SESSIONS_EXPIRED, sessions_expired),
		C(DROP_NO_MAPPING, drop_no_mapping),
		C(DROP_NO_PORTS, drop_no_ports),
		C(DROP_LIMIT, drop_limit),
		C(DROP_MALFORMED, drop_malformed),
		C(DROP_NOMEM, drop_nomem),
		C(DROP_FILTERED, drop_filtered),
		C(DROP_BAD_CSUM, drop_bad_csum),
		C(ICMP_UNREACH_SENT, icmp_unreach_sent),
		C(HAIRPIN, hairpin),
		C(PASS, pass),
		C(ICMP_ERR_IN, icmp_err_in),
		C(ICMP_ERR_OUT, icmp_err_out),
#undef C
	};
	u32 users = 0, mappings = 0, sessions = 0, blocks = 0, total = 0;
	const struct cgn_instance *inst;
	const struct cgn_pool *pool;
	struct cgn_stats st = {};
	struct nlattr *nest;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(counters) != sizeof(st) / sizeof(u64));
	list_for_each_entry(inst, &cn->instances, list) {
		if (only && inst != only)
			continue;
		cgn_instance_stats(inst, &st);
		users += READ_ONCE(inst->nusers);
		mappings += READ_ONCE(inst->nmappings);
		sessions += READ_ONCE(inst->nsessions);
		list_for_each_entry(pool, &inst->pools, list) {
			blocks += READ_ONCE(pool->blocks_used);
			total += pool->naddrs * pool->blocks_per_addr;
		}
	}
	nest = nla_nest_start(skb, CGN_A_STATS);
	if (!nest ||
	    nla_put_u32(skb, CGN_STATS_A_SESSIONS, sessions) ||
	    nla_put_u32(skb, CGN_STATS_A_MAPPINGS, mappings) ||
	    nla_put_u32(skb, CGN_STATS_A_USERS, users) ||
	    nla_put_u32(skb, CGN_STATS_A_BLOCKS_USED, blocks) ||
	    nla_put_u32(skb, CGN_STATS_A_BLOCKS_TOTAL, total))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].type,
				      *(u64 *)((u8 *)&st + counters[i].off), CGN_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int cgn_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst = NULL;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cgn_family, 0, CGN_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&cn->cfg_mutex);
	if (info->attrs[CGN_A_INSTANCE]) {
		inst = instance_from_attrs(cn, info->attrs, info->extack);
		err = PTR_ERR_OR_ZERO(inst);
		if (!err)
			err = nla_put_string(msg, CGN_A_INSTANCE, inst->name);
	} else {
		err = 0;
	}
	if (!err)
		err = put_stats(msg, cn, inst);
	mutex_unlock(&cn->cfg_mutex);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static const struct genl_ops cgn_ops[] = {
	{
		.cmd = CGN_CMD_INSTANCE_NEW,
		.doit = cgn_instance_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_INSTANCE_DEL,
		.doit = cgn_instance_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_INSTANCE_SET,
		.doit = cgn_instance_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_INSTANCE_GET,
		.doit = cgn_instance_get_doit,
		.dumpit = cgn_instance_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_POOL_NEW,
		.doit = cgn_pool_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_POOL_DEL,
		.doit = cgn_pool_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_INSIDE_NEW,
		.doit = cgn_inside_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_INSIDE_DEL,
		.doit = cgn_inside_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SESSION_GET,
		.start = cgn_session_dump_start,
		.dumpit = cgn_session_dumpit,
		.done = table_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_STATS_GET,
		.doit = cgn_stats_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_USER_GET,
		.start = cgn_user_dump_start,
		.dumpit = cgn_user_dumpit,
		.done = table_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_PASS_NEW,
		.doit = cgn_pass_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_PASS_DEL,
		.doit = cgn_pass_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group cgn_mcgrps[] = {
	{ .name = CGN_MCGRP_SYNC },
};

static struct genl_family cgn_family __ro_after_init = {
	.name = CGN_GENL_NAME,
	.version = CGN_GENL_VERSION,
	.maxattr = CGN_A_MAX,
	.policy = cgn_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = cgn_ops,
	.n_ops = ARRAY_SIZE(cgn_ops),
	.resv_start_op = CGN_CMD_MAX + 1,
	.mcgrps = cgn_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cgn_mcgrps),
};

int __init cgn_genl_init(void)
{
	return genl_register_family(&cgn_family);
}

void cgn_genl_exit(void)
{
	genl_unregister_family(&cgn_family);
}
