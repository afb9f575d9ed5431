// SPDX-License-Identifier: GPL-2.0
/*
 * The "cgn" generic netlink family: policies, operations, attribute
 * helpers. Documented in Documentation/netlink/specs/cgn.yaml. Every
 * refusal carries an extack message and leaves the configuration as it was.
 */
#include <linux/inetdevice.h>
#include <net/netlink.h>

#include "netlink.h"

/* not const: 6.1 takes a plain pointer */
static struct netlink_range_validation cgn_timeout_range = {
	.min = 1,
	.max = CGN_MAX_TIMEOUT,
};

static struct netlink_range_validation cgn_min_age_range = {
	.min = 0,
	.max = 3600 * 1000,	/* an hour */
};

static struct netlink_range_validation cgn_hold_range = {
	.min = 0,
	.max = CGN_MAX_TIMEOUT,
};

static struct netlink_range_validation cgn_mtu_range = {
	.min = IPV6_MIN_MTU,
	.max = 65535,
};

const struct nla_policy cgn_prefix6_policy[CGN_PREFIX6_A_MAX + 1] = {
	[CGN_PREFIX6_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CGN_PREFIX6_A_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy cgn_dslite_policy[CGN_DSLITE_A_MAX + 1] = {
	[CGN_DSLITE_A_AFTR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CGN_DSLITE_A_B4] = NLA_POLICY_NESTED(cgn_prefix6_policy),
};

const struct nla_policy cgn_prefix_policy[CGN_PREFIX_A_MAX + 1] = {
	[CGN_PREFIX_A_ADDR] = { .type = NLA_U32 },
	[CGN_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
};

const struct nla_policy cgn_pool_policy[CGN_POOL_A_MAX + 1] = {
	[CGN_POOL_A_PREFIX] = NLA_POLICY_NESTED(cgn_prefix_policy),
	[CGN_POOL_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_BLOCK_SIZE] = NLA_POLICY_MIN(NLA_U16, 1),
	[CGN_POOL_A_BLOCKS] = { .type = NLA_REJECT },
	[CGN_POOL_A_BLOCKS_USED] = { .type = NLA_REJECT },
};

const struct nla_policy cgn_config_policy[CGN_CONFIG_A_MAX + 1] = {
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
	[CGN_CONFIG_A_FASTPATH] = NLA_POLICY_MAX(NLA_U8, 1),
	[CGN_CONFIG_A_ROLE] = NLA_POLICY_MAX(NLA_U8, CGN_ROLE_STANDBY),
	[CGN_CONFIG_A_TUNNEL_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_mtu_range),
	[CGN_CONFIG_A_MAX_SOFTWIRES] = NLA_POLICY_MIN(NLA_U32, 1),
	[CGN_CONFIG_A_SOFTWIRE_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[CGN_CONFIG_A_SYNC_MIN_AGE] = NLA_POLICY_FULL_RANGE(NLA_U32, &cgn_min_age_range),
};

const struct nla_policy cgn_pass_policy[CGN_PASS_A_MAX + 1] = {
	[CGN_PASS_A_PREFIX] = NLA_POLICY_NESTED(cgn_prefix_policy),
	[CGN_PASS_A_PORT] = { .type = NLA_U16 },
};

const struct nla_policy cgn_user_policy[CGN_USER_A_MAX + 1] = {
	[CGN_USER_A_ADDR] = { .type = NLA_U32 },
	[CGN_USER_A_B4] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

const struct nla_policy cgn_session_policy[CGN_SESSION_A_MAX + 1] = {
	[CGN_SESSION_A_PROTO] = { .type = NLA_U8 },
	[CGN_SESSION_A_IN_ADDR] = { .type = NLA_U32 },
	[CGN_SESSION_A_B4] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
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
	[CGN_A_SEQ] = { .type = NLA_REJECT },
	[CGN_A_ENTRIES] = { .type = NLA_NESTED },	/* checked entry by entry */
	[CGN_A_ENTRY] = { .type = NLA_REJECT },
	[CGN_A_DIGEST] = { .type = NLA_REJECT },
	[CGN_A_SYNC_LOST] = { .type = NLA_REJECT },
	[CGN_A_COUNT] = { .type = NLA_REJECT },
	[CGN_A_DSLITE] = NLA_POLICY_NESTED(cgn_dslite_policy),
	[CGN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};


/* Attribute helpers. */

struct cgn_instance *cgn_nl_instance(struct cgn_net *cn,
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

int cgn_nl_prefix(struct nlattr *nest, __be32 *addr, u8 *len,
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

int cgn_nl_put_prefix(struct sk_buff *skb, int type, __be32 addr, u8 len)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_in_addr(skb, CGN_PREFIX_A_ADDR, addr) ||
	    nla_put_u8(skb, CGN_PREFIX_A_LEN, len))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
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
		.done = cgn_table_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_STATS_GET,
		.doit = cgn_stats_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_USER_GET,
		.start = cgn_user_dump_start,
		.dumpit = cgn_user_dumpit,
		.done = cgn_table_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_PASS_NEW,
		.doit = cgn_pass_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_PASS_DEL,
		.doit = cgn_pass_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SYNC_GET,
		.start = cgn_sync_dump_start,
		.dumpit = cgn_sync_dumpit,
		.done = cgn_sync_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SYNC_APPLY,
		.doit = cgn_sync_apply_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SYNC_BEGIN,
		.doit = cgn_sync_begin_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SYNC_END,
		.doit = cgn_sync_end_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_SYNC_DIGEST,
		.doit = cgn_sync_digest_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_DSLITE_NEW,
		.doit = cgn_dslite_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_DSLITE_DEL,
		.doit = cgn_dslite_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_FASTDEV_NEW,
		.doit = cgn_fastdev_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_FASTDEV_DEL,
		.doit = cgn_fastdev_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CGN_CMD_FASTDEV_GET,
		.dumpit = cgn_fastdev_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group cgn_mcgrps[] = {
	{ .name = CGN_MCGRP_SYNC },
};

struct genl_family cgn_family __ro_after_init = {
	.name = CGN_GENL_NAME,
	.version = CGN_GENL_VERSION,
	.maxattr = CGN_A_MAX,
	.policy = cgn_policy,
	.netnsok = true,
	/* every handler takes cfg_mutex or reads under RCU: no genl_mutex */
	.parallel_ops = true,
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
