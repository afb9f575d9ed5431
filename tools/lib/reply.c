// SPDX-License-Identifier: GPL-2.0
/* Reply parsers: an nl_msg from the kernel to plain structs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "msg.h"

static int parse_top(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, CGN_A_MAX, cgn_policy) ?
	       -EINVAL : 0;
}

static int get_prefix(struct nlattr *nest, struct cgn_prefix *p)
{
	struct nlattr *tb[CGN_PREFIX_A_MAX + 1];

	if (nla_parse_nested(tb, CGN_PREFIX_A_MAX, nest, cgn_prefix_policy) ||
	    !tb[CGN_PREFIX_A_ADDR] || !tb[CGN_PREFIX_A_LEN])
		return -EINVAL;
	p->addr = nla_get_u32(tb[CGN_PREFIX_A_ADDR]);
	p->len = nla_get_u8(tb[CGN_PREFIX_A_LEN]);
	return 0;
}

static int get_config(struct nlattr *nest, struct cgn_config *cfg)
{
	struct nlattr *tb[CGN_CONFIG_A_MAX + 1];
	int attr;

	if (nla_parse_nested(tb, CGN_CONFIG_A_MAX, nest, cgn_config_policy))
		return -EINVAL;
	for (attr = 1; attr <= CGN_CONFIG_A_MAX; attr++) {
		if (!tb[attr])
			continue;
		cfg->has |= CGN_BIT(attr);
		cfg->val[attr] = cgn_config_policy[attr].type == NLA_U8 ?
				 nla_get_u8(tb[attr]) : nla_get_u32(tb[attr]);
	}
	return 0;
}

static int get_pool(struct nlattr *nest, struct cgn_pool *pool)
{
	struct nlattr *tb[CGN_POOL_A_MAX + 1];
	int attr;

	if (nla_parse_nested(tb, CGN_POOL_A_MAX, nest, cgn_pool_policy) ||
	    !tb[CGN_POOL_A_PREFIX] ||
	    get_prefix(tb[CGN_POOL_A_PREFIX], &pool->prefix))
		return -EINVAL;
	for (attr = CGN_POOL_A_PORT_MIN; attr <= CGN_POOL_A_MAX; attr++)
		if (tb[attr])
			pool->has |= CGN_BIT(attr);
	if (tb[CGN_POOL_A_PORT_MIN])
		pool->port_min = nla_get_u16(tb[CGN_POOL_A_PORT_MIN]);
	if (tb[CGN_POOL_A_PORT_MAX])
		pool->port_max = nla_get_u16(tb[CGN_POOL_A_PORT_MAX]);
	if (tb[CGN_POOL_A_BLOCK_SIZE])
		pool->block_size = nla_get_u16(tb[CGN_POOL_A_BLOCK_SIZE]);
	if (tb[CGN_POOL_A_BLOCKS])
		pool->blocks = nla_get_u32(tb[CGN_POOL_A_BLOCKS]);
	if (tb[CGN_POOL_A_BLOCKS_USED])
		pool->blocks_used = nla_get_u32(tb[CGN_POOL_A_BLOCKS_USED]);
	return 0;
}

/* Grow *@arr by one zeroed element of @size; NULL when out of memory. */
static void *push(void **arr, unsigned int *n, size_t size)
{
	char *p = realloc(*arr, (*n + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	p += (*n)++ * size;
	memset(p, 0, size);
	return p;
}

static int get_pools(struct nlattr *list, struct cgn_instance_info *info)
{
	struct cgn_pool *pool;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != CGN_A_POOL)
			continue;
		pool = push((void **)&info->pools, &info->n_pools, sizeof(*pool));
		if (!pool)
			return -ENOMEM;
		if (get_pool(a, pool))
			return -EINVAL;
	}
	return 0;
}

static int get_insides(struct nlattr *list, struct cgn_instance_info *info)
{
	struct cgn_prefix *p;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != CGN_A_PREFIX)
			continue;
		p = push((void **)&info->insides, &info->n_insides, sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (get_prefix(a, p))
			return -EINVAL;
	}
	return 0;
}

static int get_pass(struct nlattr *nest, struct cgn_pass *pass)
{
	struct nlattr *tb[CGN_PASS_A_MAX + 1];

	if (nla_parse_nested(tb, CGN_PASS_A_MAX, nest, cgn_pass_policy) ||
	    !tb[CGN_PASS_A_PREFIX] ||
	    get_prefix(tb[CGN_PASS_A_PREFIX], &pass->prefix))
		return -EINVAL;
	if (tb[CGN_PASS_A_PORT])
		pass->port = nla_get_u16(tb[CGN_PASS_A_PORT]);
	return 0;
}

static int get_passes(struct nlattr *list, struct cgn_instance_info *info)
{
	struct cgn_pass *pass;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != CGN_A_PASS)
			continue;
		pass = push((void **)&info->passes, &info->n_passes, sizeof(*pass));
		if (!pass)
			return -ENOMEM;
		if (get_pass(a, pass))
			return -EINVAL;
	}
	return 0;
}

static int get_prefix6(struct nlattr *nest, struct cgn_prefix6 *p)
{
	struct nlattr *tb[CGN_PREFIX6_A_MAX + 1];

	if (nla_parse_nested(tb, CGN_PREFIX6_A_MAX, nest, cgn_prefix6_policy) ||
	    !tb[CGN_PREFIX6_A_ADDR] || !tb[CGN_PREFIX6_A_LEN])
		return -EINVAL;
	nla_memcpy(p->addr, tb[CGN_PREFIX6_A_ADDR], sizeof(p->addr));
	p->len = nla_get_u8(tb[CGN_PREFIX6_A_LEN]);
	return 0;
}

static int get_dslite(struct nlattr *nest, struct cgn_instance_info *info)
{
	struct cgn_prefix6 *p;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == CGN_DSLITE_A_AFTR) {
			if (nla_len(a) != sizeof(info->aftr.addr))
				return -EINVAL;
			nla_memcpy(info->aftr.addr, a, sizeof(info->aftr.addr));
			info->aftr.len = 128;
			continue;
		}
		if (nla_type(a) != CGN_DSLITE_A_B4)
			continue;
		p = push((void **)&info->b4s, &info->n_b4s, sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (get_prefix6(a, p))
			return -EINVAL;
	}
	return 0;
}

int cgn_instance_parse(struct nl_msg *msg, struct cgn_instance_info *info)
{
	struct nlattr *tb[CGN_A_MAX + 1];
	int err;

	memset(info, 0, sizeof(*info));
	if (parse_top(msg, tb) || !tb[CGN_A_INSTANCE])
		return -EINVAL;
	nla_strlcpy(info->name, tb[CGN_A_INSTANCE], sizeof(info->name));
	err = tb[CGN_A_CONFIG] ? get_config(tb[CGN_A_CONFIG], &info->config) : 0;
	if (!err && tb[CGN_A_POOLS])
		err = get_pools(tb[CGN_A_POOLS], info);
	if (!err && tb[CGN_A_INSIDES])
		err = get_insides(tb[CGN_A_INSIDES], info);
	if (!err && tb[CGN_A_PASSES])
		err = get_passes(tb[CGN_A_PASSES], info);
	if (!err && tb[CGN_A_DSLITE])
		err = get_dslite(tb[CGN_A_DSLITE], info);
	if (err)
		cgn_instance_free(info);
	return err;
}

void cgn_instance_free(struct cgn_instance_info *info)
{
	free(info->pools);
	free(info->insides);
	free(info->passes);
	free(info->b4s);
	info->b4s = NULL;
	info->n_b4s = 0;
	info->pools = NULL;
	info->insides = NULL;
	info->passes = NULL;
	info->n_pools = 0;
	info->n_insides = 0;
	info->n_passes = 0;
}

int cgn_session_parse(struct nl_msg *msg, struct cgn_session *s)
{
	struct nlattr *tb[CGN_A_MAX + 1], *sa[CGN_SESSION_A_MAX + 1];
	int attr;

	memset(s, 0, sizeof(*s));
	if (parse_top(msg, tb) || !tb[CGN_A_SESSION] ||
	    nla_parse_nested(sa, CGN_SESSION_A_MAX, tb[CGN_A_SESSION],
			     cgn_session_policy))
		return -EINVAL;
	for (attr = 1; attr <= CGN_SESSION_A_MAX; attr++)
		if (sa[attr])
			s->has |= CGN_BIT(attr);
	if (sa[CGN_SESSION_A_INSTANCE])
		nla_strlcpy(s->instance, sa[CGN_SESSION_A_INSTANCE],
			    sizeof(s->instance));
	if (sa[CGN_SESSION_A_PROTO])
		s->proto = nla_get_u8(sa[CGN_SESSION_A_PROTO]);
	if (sa[CGN_SESSION_A_STATE])
		s->state = nla_get_u8(sa[CGN_SESSION_A_STATE]);
	if (sa[CGN_SESSION_A_IN_ADDR])
		s->in_addr = nla_get_u32(sa[CGN_SESSION_A_IN_ADDR]);
	if (sa[CGN_SESSION_A_EXT_ADDR])
		s->ext_addr = nla_get_u32(sa[CGN_SESSION_A_EXT_ADDR]);
	if (sa[CGN_SESSION_A_REM_ADDR])
		s->rem_addr = nla_get_u32(sa[CGN_SESSION_A_REM_ADDR]);
	if (sa[CGN_SESSION_A_IN_PORT])
		s->in_port = nla_get_u16(sa[CGN_SESSION_A_IN_PORT]);
	if (sa[CGN_SESSION_A_EXT_PORT])
		s->ext_port = nla_get_u16(sa[CGN_SESSION_A_EXT_PORT]);
	if (sa[CGN_SESSION_A_REM_PORT])
		s->rem_port = nla_get_u16(sa[CGN_SESSION_A_REM_PORT]);
	if (sa[CGN_SESSION_A_EXPIRES])
		s->expires = nla_get_u32(sa[CGN_SESSION_A_EXPIRES]);
	if (sa[CGN_SESSION_A_B4])
		nla_memcpy(s->b4, sa[CGN_SESSION_A_B4], sizeof(s->b4));
	return 0;
}

int cgn_stats_parse(struct nl_msg *msg, struct cgn_stats *st)
{
	struct nlattr *tb[CGN_A_MAX + 1], *sa[CGN_STATS_A_MAX + 1];
	int attr;

	memset(st, 0, sizeof(*st));
	if (parse_top(msg, tb) || !tb[CGN_A_STATS] ||
	    nla_parse_nested(sa, CGN_STATS_A_MAX, tb[CGN_A_STATS],
			     cgn_stats_policy))
		return -EINVAL;
	if (tb[CGN_A_INSTANCE])
		nla_strlcpy(st->instance, tb[CGN_A_INSTANCE], sizeof(st->instance));
	for (attr = CGN_STATS_A_PAD + 1; attr <= CGN_STATS_A_MAX; attr++) {
		if (!sa[attr])
			continue;
		st->has |= CGN_BIT(attr);
		st->val[attr] = cgn_stats_policy[attr].type == NLA_U64 ?
				nla_get_u64(sa[attr]) : nla_get_u32(sa[attr]);
	}
	return 0;
}
