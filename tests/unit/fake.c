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

/* As put_instance() in the kernel: every setting, pools, insides. */
struct nl_msg *fake_instance(const char *name, int n_pools, int n_insides)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_INSTANCE_GET, NLM_F_MULTI);
	struct nlattr *nest;
	int attr;

	nla_put_string(msg, CGN_A_INSTANCE, name);
	nest = nla_nest_start(msg, CGN_A_CONFIG);
	for (attr = 1; attr <= CGN_CONFIG_A_MAX; attr++)
		nla_put_u32(msg, attr, attr * 100);
	nla_nest_end(msg, nest);
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
	return msg;
}

/* As put_session() in the kernel. */
struct nl_msg *fake_session(const char *name, uint8_t proto, uint8_t state,
			    uint32_t expires)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_SESSION_GET, NLM_F_MULTI);
	struct nlattr *nest = nla_nest_start(msg, CGN_A_SESSION);

	nla_put_string(msg, CGN_SESSION_A_INSTANCE, name);
	nla_put_u8(msg, CGN_SESSION_A_PROTO, proto);
	nla_put_u32(msg, CGN_SESSION_A_IN_ADDR, ip("10.0.0.2"));
	nla_put_u16(msg, CGN_SESSION_A_IN_PORT, htons(40000));
	nla_put_u32(msg, CGN_SESSION_A_EXT_ADDR, ip("198.51.100.1"));
	nla_put_u16(msg, CGN_SESSION_A_EXT_PORT, htons(1100));
	nla_put_u32(msg, CGN_SESSION_A_REM_ADDR, ip("203.0.113.5"));
	nla_put_u16(msg, CGN_SESSION_A_REM_PORT, htons(53));
	nla_put_u8(msg, CGN_SESSION_A_STATE, state);
	nla_put_u32(msg, CGN_SESSION_A_EXPIRES, expires);
	nla_nest_end(msg, nest);
	return msg;
}

/* As cgn_stats_get_doit(): u32 gauges, then u64 counters with pads. */
struct nl_msg *fake_stats(const char *name, int *pads)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_STATS_GET, 0);
	struct nlattr *nest, *a;
	int attr, rem;

	if (name)
		nla_put_string(msg, CGN_A_INSTANCE, name);
	nest = nla_nest_start(msg, CGN_A_STATS);
	for (attr = CGN_STATS_A_SESSIONS; attr <= CGN_STATS_A_BLOCKS_USED; attr++)
		nla_put_u32(msg, attr, attr);
	for (attr = CGN_STATS_A_PKTS_OUT; attr <= CGN_STATS_A_MAX; attr++)
		fake_put_u64_64bit(msg, attr, (1ull << 40) + attr, CGN_STATS_A_PAD);
	nla_nest_end(msg, nest);
	*pads = 0;
	nla_for_each_nested(a, nest, rem)
		*pads += nla_type(a) == CGN_STATS_A_PAD;
	return msg;
}
