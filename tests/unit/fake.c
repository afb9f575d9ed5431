// SPDX-License-Identifier: GPL-2.0
/* Fakes of what the kernel would send, and other test helpers. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include <cgn.h>

#include "fake.h"

uint32_t ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a.s_addr;
}

struct nl_msg *fake_reply(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 1234, 1, FAKE_FAMILY, 0, flags, cmd,
				 CGN_GENL_VERSION))
		abort();
	return msg;
}

int fake_put_u64_64bit(struct nl_msg *msg, int type, uint64_t v, int pad)
{
	if ((nlmsg_hdr(msg)->nlmsg_len + NLA_HDRLEN) % 8 &&
	    nla_put(msg, pad, 0, NULL))
		return -1;
	return nla_put_u64(msg, type, v);
}

int split(char *s, char **argv, int max)
{
	int argc = 0;
	char *tok;

	for (tok = strtok(s, " "); tok && argc < max; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	return argc;
}

static void put_prefix(struct nl_msg *msg, int type, const char *addr, int len)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	nla_put_u32(msg, CGN_PREFIX_A_ADDR, ip(addr));
	nla_put_u8(msg, CGN_PREFIX_A_LEN, len);
	nla_nest_end(msg, nest);
}

static void put_pool(struct nl_msg *msg, const char *addr, int len,
		     uint16_t min, uint16_t max, uint16_t bsize,
		     uint32_t blocks, uint32_t used)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_POOL);

	put_prefix(msg, CGN_POOL_A_PREFIX, addr, len);
	nla_put_u16(msg, CGN_POOL_A_PORT_MIN, min);
	nla_put_u16(msg, CGN_POOL_A_PORT_MAX, max);
	nla_put_u16(msg, CGN_POOL_A_BLOCK_SIZE, bsize);
	nla_put_u32(msg, CGN_POOL_A_BLOCKS, blocks);
	nla_put_u32(msg, CGN_POOL_A_BLOCKS_USED, used);
	nla_nest_end(msg, nest);
}

static void put_pass(struct nl_msg *msg, const char *addr, int len,
		     uint16_t port)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_PASS);

	put_prefix(msg, CGN_PASS_A_PREFIX, addr, len);
	if (port)
		nla_put_u16(msg, CGN_PASS_A_PORT, port);
	nla_nest_end(msg, nest);
}

const uint32_t fake_config[CGN_CONFIG_A_MAX + 1] = {
	[CGN_CONFIG_A_TIMEOUT_UDP]	= 100,
	[CGN_CONFIG_A_TIMEOUT_TCP_EST]	= 200,
	[CGN_CONFIG_A_TIMEOUT_TCP_TRANS] = 300,
	[CGN_CONFIG_A_TIMEOUT_ICMP]	= 400,
	[CGN_CONFIG_A_MAX_SESSIONS]	= 500,
	[CGN_CONFIG_A_MAX_BLOCKS]	= 600,
	[CGN_CONFIG_A_FILTERING]	= CGN_FILTER_APDF,
	[CGN_CONFIG_A_HAIRPIN]		= 1,
	[CGN_CONFIG_A_HOLD_DOWN]	= 120,
	[CGN_CONFIG_A_ICMP_UNREACH]	= 0,
	[CGN_CONFIG_A_SESSION_LIMIT]	= 0,
	[CGN_CONFIG_A_ROLE]		= CGN_ROLE_STANDBY,
	[CGN_CONFIG_A_TUNNEL_MTU]	= 1500,
	[CGN_CONFIG_A_MAX_SOFTWIRES]	= 2,
	[CGN_CONFIG_A_SOFTWIRE_LEN]	= 56,
	[CGN_CONFIG_A_SYNC_MIN_AGE]	= 2000,
};

static void put_config(struct nl_msg *msg)
{
	struct nlattr *nest = nla_nest_start(msg, CGN_A_CONFIG);
	int attr;

	for (attr = 1; attr <= CGN_CONFIG_A_MAX; attr++) {
		if (attr == CGN_CONFIG_A_FILTERING || attr == CGN_CONFIG_A_HAIRPIN ||
		    attr == CGN_CONFIG_A_ICMP_UNREACH)
			nla_put_u8(msg, attr, fake_config[attr]);
		else
			nla_put_u32(msg, attr, fake_config[attr]);
	}
	nla_nest_end(msg, nest);
}

/* As put_instance() in the kernel: every setting, pools, insides, passes. */
struct nl_msg *fake_instance(const char *name, int n_pools, int n_insides,
			     int n_passes)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_INSTANCE_GET, NLM_F_MULTI);
	struct nlattr *nest;

	nla_put_string(msg, CGN_A_INSTANCE, name);
	put_config(msg);
	nest = nla_nest_start(msg, CGN_A_POOLS);
	if (n_pools > 0)
		put_pool(msg, "198.51.100.0", 24, 1024, 65535, 512, 126, 3);
	if (n_pools > 1)
		put_pool(msg, "203.0.113.8", 29, 2000, 3999, 1000, 16, 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, CGN_A_INSIDES);
	if (n_insides > 0)
		put_prefix(msg, CGN_A_PREFIX, "100.64.0.0", 10);
	if (n_insides > 1)
		put_prefix(msg, CGN_A_PREFIX, "10.0.0.0", 8);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, CGN_A_PASSES);
	if (n_passes > 0)
		put_pass(msg, "192.0.2.0", 24, 53);
	if (n_passes > 1)
		put_pass(msg, "198.18.0.0", 15, 0);
	nla_nest_end(msg, nest);
	return msg;
}

/* As put_session() in the kernel; ICMP: identifiers 1234, 2001, no remote. */
struct nl_msg *fake_session(const char *name, uint8_t proto, uint8_t state,
			    uint32_t expires)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_SESSION_GET, NLM_F_MULTI);
	struct nlattr *nest = nla_nest_start(msg, CGN_A_SESSION);
	bool icmp = proto == IPPROTO_ICMP;

	nla_put_string(msg, CGN_SESSION_A_INSTANCE, name);
	nla_put_u8(msg, CGN_SESSION_A_PROTO, proto);
	nla_put_u32(msg, CGN_SESSION_A_IN_ADDR, ip("10.0.0.2"));
	nla_put_u16(msg, CGN_SESSION_A_IN_PORT, htons(icmp ? 1234 : 40000));
	nla_put_u32(msg, CGN_SESSION_A_EXT_ADDR, ip("198.51.100.1"));
	nla_put_u16(msg, CGN_SESSION_A_EXT_PORT, htons(icmp ? 2001 : 1100));
	nla_put_u32(msg, CGN_SESSION_A_REM_ADDR, ip("203.0.113.5"));
	nla_put_u16(msg, CGN_SESSION_A_REM_PORT, htons(icmp ? 0 : 53));
	nla_put_u8(msg, CGN_SESSION_A_STATE, state);
	nla_put_u32(msg, CGN_SESSION_A_EXPIRES, expires);
	nla_nest_end(msg, nest);
	return msg;
}

bool fake_stats_u32(int attr)
{
	return (attr >= CGN_STATS_A_SESSIONS && attr <= CGN_STATS_A_BLOCKS_USED) ||
	       attr == CGN_STATS_A_BLOCKS_TOTAL || attr == CGN_STATS_A_SOFTWIRES;
}

/*
 * As cgn_stats_get_doit(): every attribute, in order; u32 gauges hold
 * their attribute number, u64 counters 2^40 + it, with pads.
 */
struct nl_msg *fake_stats(const char *name, int *pads)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_STATS_GET, 0);
	struct nlattr *nest, *a;
	int attr, rem;

	if (name)
		nla_put_string(msg, CGN_A_INSTANCE, name);
	nest = nla_nest_start(msg, CGN_A_STATS);
	for (attr = CGN_STATS_A_SESSIONS; attr <= CGN_STATS_A_MAX; attr++) {
		if (fake_stats_u32(attr))
			nla_put_u32(msg, attr, attr);
		else
			fake_put_u64_64bit(msg, attr, (1ull << 40) + attr,
					   CGN_STATS_A_PAD);
	}
	nla_nest_end(msg, nest);
	*pads = 0;
	nla_for_each_nested(a, nest, rem)
		*pads += nla_type(a) == CGN_STATS_A_PAD;
	return msg;
}

/* As put_user(): one subscriber per message, its blocks in order. */
struct nl_msg *fake_user(const char *name, const char *addr, int n_blocks)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_USER_GET, NLM_F_MULTI);
	struct nlattr *nest = nla_nest_start(msg, CGN_A_USER);
	int i;

	nla_put_string(msg, CGN_USER_A_INSTANCE, name);
	nla_put_u32(msg, CGN_USER_A_ADDR, ip(addr));
	nla_put_u32(msg, CGN_USER_A_EXT_ADDR, ip("198.51.100.7"));
	for (i = 0; i < n_blocks; i++)
		nla_put_u16(msg, CGN_USER_A_BLOCK, 1536 + 2560 * i);
	nla_put_u16(msg, CGN_USER_A_BLOCK_SIZE, 512);
	nla_put_u32(msg, CGN_USER_A_MAPPINGS, 3);
	nla_put_u32(msg, CGN_USER_A_SESSIONS, 5);
	nla_nest_end(msg, nest);
	return msg;
}
