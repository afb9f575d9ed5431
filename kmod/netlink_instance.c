// SPDX-License-Identifier: GPL-2.0
/*
 * Instances: create, delete, configure, show.
 */
#include <linux/slab.h>

#include "sync.h"

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
		{ CGN_CONFIG_A_TUNNEL_MTU, offsetof(struct cgn_config, tunnel_mtu) },
		{ CGN_CONFIG_A_MAX_SOFTWIRES, offsetof(struct cgn_config, max_softwires) },
		{ CGN_CONFIG_A_SYNC_MIN_AGE, offsetof(struct cgn_config, sync_min_age) },
	};
	static const struct {
		int type;
		size_t off;
	} flags[] = {
		{ CGN_CONFIG_A_FILTERING, offsetof(struct cgn_config, filtering) },
		{ CGN_CONFIG_A_HAIRPIN, offsetof(struct cgn_config, hairpin) },
		{ CGN_CONFIG_A_ICMP_UNREACH, offsetof(struct cgn_config, icmp_unreach) },
		{ CGN_CONFIG_A_FASTPATH, offsetof(struct cgn_config, fastpath) },
		{ CGN_CONFIG_A_ROLE, offsetof(struct cgn_config, role) },
		{ CGN_CONFIG_A_SOFTWIRE_LEN, offsetof(struct cgn_config, softwire_len) },
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
	    nla_put_u8(skb, CGN_CONFIG_A_ICMP_UNREACH, READ_ONCE(cfg->icmp_unreach)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_FASTPATH, READ_ONCE(cfg->fastpath)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_ROLE, READ_ONCE(cfg->role)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_TUNNEL_MTU, READ_ONCE(cfg->tunnel_mtu)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_MAX_SOFTWIRES, READ_ONCE(cfg->max_softwires)) ||
	    nla_put_u8(skb, CGN_CONFIG_A_SOFTWIRE_LEN, READ_ONCE(cfg->softwire_len)) ||
	    nla_put_u32(skb, CGN_CONFIG_A_SYNC_MIN_AGE, READ_ONCE(cfg->sync_min_age)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Instances. */

int cgn_instance_new_doit(struct sk_buff *skb, struct genl_info *info)
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
	/* settings first: the instance goes live with them */
	cgn_config_init(&cfg);
	if (info->attrs[CGN_A_CONFIG]) {
		err = config_apply(&cfg, info->attrs[CGN_A_CONFIG], info->extack);
		if (err)
			return err;
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
	inst = cgn_instance_new(cn, name, &cfg);
	if (!inst) {
		err = -ENOMEM;
		goto out;
	}
	cgn_net_count_fast(cn);
out:
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_instance_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;

	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	if (!IS_ERR(inst))
		cgn_instance_del(cn, inst);
	mutex_unlock(&cn->cfg_mutex);
	return PTR_ERR_OR_ZERO(inst);
}

int cgn_instance_set_doit(struct sk_buff *skb, struct genl_info *info)
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
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (err)
		goto out;
	cfg = inst->cfg;
	err = config_apply(&cfg, info->attrs[CGN_A_CONFIG], info->extack);
	if (err)
		goto out;
	cfg = inst->cfg;	/* as it was */
	config_apply(&inst->cfg, info->attrs[CGN_A_CONFIG], NULL);
	/* promoted: the copy of the peer's entries is live from now on */
	if (cfg.role == CGN_ROLE_STANDBY && !cgn_standby(inst))
		cgn_replica_promote(cn, inst);
	cgn_net_count_fast(cn);
out:
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

static int put_pool(struct sk_buff *skb, const struct cgn_pool *pool)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_POOL);

	if (!nest ||
	    cgn_nl_put_prefix(skb, CGN_POOL_A_PREFIX, pool->addr, pool->len) ||
	    nla_put_u16(skb, CGN_POOL_A_PORT_MIN, pool->port_min) ||
	    nla_put_u16(skb, CGN_POOL_A_PORT_MAX, pool->port_max) ||
	    nla_put_u16(skb, CGN_POOL_A_BLOCK_SIZE, pool->block_size) ||
	    nla_put_u32(skb, CGN_POOL_A_BLOCKS, pool->naddrs * pool->blocks_per_addr) ||
	    nla_put_u32(skb, CGN_POOL_A_BLOCKS_USED, READ_ONCE(pool->blocks_used)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_pass(struct sk_buff *skb, const struct cgn_prefix *pass)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_PASS);

	if (!nest ||
	    cgn_nl_put_prefix(skb, CGN_PASS_A_PREFIX, pass->addr, pass->len) ||
	    (pass->port && nla_put_u16(skb, CGN_PASS_A_PORT, ntohs(pass->port))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_instance(struct sk_buff *skb, const struct cgn_instance *inst,
			u32 portid, u32 seq, int flags)
{
	struct nlattr *pools, *insides, *passes;
	const struct cgn_prefix *pass;
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
		if (cgn_nl_put_prefix(skb, CGN_A_PREFIX, p->addr, p->len))
			goto cancel;
	nla_nest_end(skb, insides);
	passes = nla_nest_start(skb, CGN_A_PASSES);
	if (!passes)
		goto cancel;
	list_for_each_entry(pass, &inst->passes, list)
		if (put_pass(skb, pass))
			goto cancel;
	nla_nest_end(skb, passes);
	if (cgn_put_dslite(skb, inst))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int cgn_instance_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
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

int cgn_instance_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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
