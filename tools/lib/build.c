// SPDX-License-Identifier: GPL-2.0
/* Request builders: struct cgn_req to an nl_msg. */
#include <errno.h>

#include <netlink/genl/genl.h>

#include "msg.h"

static int put_prefix(struct nl_msg *msg, int type, const struct cgn_prefix *p)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    nla_put_u32(msg, CGN_PREFIX_A_ADDR, p->addr) ||
	    nla_put_u8(msg, CGN_PREFIX_A_LEN, p->len))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* A setting, as wide as its policy says. */
static int put_setting(struct nl_msg *msg, int attr, uint32_t v)
{
	if (cgn_config_policy[attr].type == NLA_U8)
		return nla_put_u8(msg, attr, v);
	return nla_put_u32(msg, attr, v);
}

static int put_config(struct nl_msg *msg, const struct cgn_config *cfg)
{
	struct nlattr *nest;
	int attr;

	if (!cfg->has)
		return 0;
	nest = nla_nest_start(msg, CGN_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	for (attr = 1; attr <= CGN_CONFIG_A_MAX; attr++)
		if ((cfg->has & CGN_BIT(attr)) &&
		    put_setting(msg, attr, cfg->val[attr]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_u16_opt(struct nl_msg *msg, uint32_t has, int attr, uint16_t v)
{
	return (has & CGN_BIT(attr)) && nla_put_u16(msg, attr, v);
}

static int put_pool(struct nl_msg *msg, const struct cgn_pool *pool)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_POOL);

	if (!nest ||
	    put_prefix(msg, CGN_POOL_A_PREFIX, &pool->prefix) ||
	    put_u16_opt(msg, pool->has, CGN_POOL_A_PORT_MIN, pool->port_min) ||
	    put_u16_opt(msg, pool->has, CGN_POOL_A_PORT_MAX, pool->port_max) ||
	    put_u16_opt(msg, pool->has, CGN_POOL_A_BLOCK_SIZE, pool->block_size))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_filter(struct nl_msg *msg, const struct cgn_session *f)
{
	struct nlattr *nest;

	if (!f->has)
		return 0;
	nest = nla_nest_start(msg, CGN_A_SESSION);
	if (!nest ||
	    ((f->has & CGN_BIT(CGN_SESSION_A_PROTO)) &&
	     nla_put_u8(msg, CGN_SESSION_A_PROTO, f->proto)) ||
	    ((f->has & CGN_BIT(CGN_SESSION_A_IN_ADDR)) &&
	     nla_put_u32(msg, CGN_SESSION_A_IN_ADDR, f->in_addr)) ||
	    ((f->has & CGN_BIT(CGN_SESSION_A_B4)) &&
	     nla_put(msg, CGN_SESSION_A_B4, sizeof(f->b4), f->b4)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The port only when there is one: absent means any. */
static int put_pass(struct nl_msg *msg, const struct cgn_pass *pass)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_PASS);

	if (!nest ||
	    put_prefix(msg, CGN_PASS_A_PREFIX, &pass->prefix) ||
	    (pass->port && nla_put_u16(msg, CGN_PASS_A_PORT, pass->port)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_user_filter(struct nl_msg *msg, const struct cgn_user *f)
{
	struct nlattr *nest;

	if (!(f->has & (CGN_BIT(CGN_USER_A_ADDR) | CGN_BIT(CGN_USER_A_B4))))
		return 0;
	nest = nla_nest_start(msg, CGN_A_USER);
	if (!nest ||
	    ((f->has & CGN_BIT(CGN_USER_A_ADDR)) &&
	     nla_put_u32(msg, CGN_USER_A_ADDR, f->addr)) ||
	    ((f->has & CGN_BIT(CGN_USER_A_B4)) &&
	     nla_put(msg, CGN_USER_A_B4, sizeof(f->b4), f->b4)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* An AFTR address, or a B4 prefix. */
static int put_dslite(struct nl_msg *msg, const struct cgn_req *req)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_DSLITE);
	struct nlattr *b4;

	if (!nest)
		return -EMSGSIZE;
	if (req->aftr) {
		if (nla_put(msg, CGN_DSLITE_A_AFTR, 16, req->dslite.addr))
			return -EMSGSIZE;
	} else {
		b4 = nla_nest_start(msg, CGN_DSLITE_A_B4);
		if (!b4 ||
		    nla_put(msg, CGN_PREFIX6_A_ADDR, 16, req->dslite.addr) ||
		    nla_put_u8(msg, CGN_PREFIX6_A_LEN, req->dslite.len))
			return -EMSGSIZE;
		nla_nest_end(msg, b4);
	}
	nla_nest_end(msg, nest);
	return 0;
}

int cgn_req_build(struct nl_msg *msg, int family, const struct cgn_req *req)
{
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 req->dump ? NLM_F_DUMP : 0, req->cmd, CGN_GENL_VERSION))
		return -EMSGSIZE;
	if (req->instance[0] && nla_put_string(msg, CGN_A_INSTANCE, req->instance))
		return -EMSGSIZE;

	switch (req->cmd) {
	case CGN_CMD_INSTANCE_NEW:
	case CGN_CMD_INSTANCE_SET:
		return put_config(msg, &req->config);
	case CGN_CMD_POOL_NEW:
	case CGN_CMD_POOL_DEL:
		return put_pool(msg, &req->pool);
	case CGN_CMD_INSIDE_NEW:
	case CGN_CMD_INSIDE_DEL:
		return put_prefix(msg, CGN_A_PREFIX, &req->prefix);
	case CGN_CMD_SESSION_GET:
		return put_filter(msg, &req->filter);
	case CGN_CMD_PASS_NEW:
	case CGN_CMD_PASS_DEL:
		return put_pass(msg, &req->pass);
	case CGN_CMD_USER_GET:
		return put_user_filter(msg, &req->user);
	case CGN_CMD_DSLITE_NEW:
	case CGN_CMD_DSLITE_DEL:
		return put_dslite(msg, req);
	case CGN_CMD_FASTDEV_NEW:
	case CGN_CMD_FASTDEV_DEL:
		return nla_put_string(msg, CGN_A_IFNAME, req->ifname) ? -EMSGSIZE : 0;
	}
	return 0;
}
