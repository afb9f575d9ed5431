// SPDX-License-Identifier: GPL-2.0
/* Reply parser of user-get: a subscriber and its port blocks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "msg.h"

/* The BLOCK attributes of @nest, in order; nla_parse() keeps only the last. */
static int get_blocks(struct nlattr *nest, struct cgn_user *u)
{
	unsigned int n = 0;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		n += nla_type(a) == CGN_USER_A_BLOCK;
	if (!n)
		return 0;
	u->blocks = calloc(n, sizeof(*u->blocks));
	if (!u->blocks)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == CGN_USER_A_BLOCK)
			u->blocks[u->n_blocks++] = nla_get_u16(a);
	return 0;
}

int cgn_user_parse(struct nl_msg *msg, struct cgn_user *u)
{
	struct nlattr *tb[CGN_A_MAX + 1], *ua[CGN_USER_A_MAX + 1];
	int attr;

	memset(u, 0, sizeof(*u));
	/* Validates every attribute of the nest, each BLOCK included. */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CGN_A_MAX, cgn_policy) ||
	    !tb[CGN_A_USER] ||
	    nla_parse_nested(ua, CGN_USER_A_MAX, tb[CGN_A_USER], cgn_user_policy) ||
	    !ua[CGN_USER_A_ADDR])
		return -EINVAL;
	for (attr = 1; attr <= CGN_USER_A_MAX; attr++)
		if (ua[attr])
			u->has |= CGN_BIT(attr);
	if (ua[CGN_USER_A_INSTANCE])
		nla_strlcpy(u->instance, ua[CGN_USER_A_INSTANCE],
			    sizeof(u->instance));
	u->addr = nla_get_u32(ua[CGN_USER_A_ADDR]);
	if (ua[CGN_USER_A_EXT_ADDR])
		u->ext_addr = nla_get_u32(ua[CGN_USER_A_EXT_ADDR]);
	if (ua[CGN_USER_A_BLOCK_SIZE])
		u->block_size = nla_get_u16(ua[CGN_USER_A_BLOCK_SIZE]);
	if (ua[CGN_USER_A_MAPPINGS])
		u->mappings = nla_get_u32(ua[CGN_USER_A_MAPPINGS]);
	if (ua[CGN_USER_A_SESSIONS])
		u->sessions = nla_get_u32(ua[CGN_USER_A_SESSIONS]);
	if (ua[CGN_USER_A_B4])
		nla_memcpy(u->b4, ua[CGN_USER_A_B4], sizeof(u->b4));
	return get_blocks(tb[CGN_A_USER], u);
}

void cgn_user_free(struct cgn_user *u)
{
	free(u->blocks);
	u->blocks = NULL;
	u->n_blocks = 0;
}
