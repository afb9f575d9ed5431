// SPDX-License-Identifier: GPL-2.0
/* Reply parsers, fed replies built the way the kernel builds them. */
#include <arpa/inet.h>
#include <errno.h>

#include <netlink/genl/genl.h>

#include "fake.h"
#include "msg.h"
#include "unit.h"

static void instance_cases(void)
{
	struct cgn_instance_info info;
	struct nl_msg *msg;
	int attr;

	unit_begin("parse instance reply with pools, insides and passes");
	msg = fake_instance("cgn0", 2, 2, 2);
	CHECK_INT(cgn_instance_parse(msg, &info), 0);
	CHECK_STR(info.name, "cgn0");
	CHECK_U64(info.config.has, 0x3fffe);
	for (attr = 1; attr <= CGN_CONFIG_A_MAX; attr++)
		CHECK_U64(info.config.val[attr], fake_config[attr]);
	CHECK_INT(info.n_pools, 2);
	if (info.n_pools == 2) {
		CHECK_U64(info.pools[0].prefix.addr, ip("198.51.100.0"));
		CHECK_INT(info.pools[0].prefix.len, 24);
		CHECK_INT(info.pools[0].port_min, 1024);
		CHECK_INT(info.pools[0].port_max, 65535);
		CHECK_INT(info.pools[0].block_size, 512);
		CHECK_U64(info.pools[0].blocks, 126);
		CHECK_U64(info.pools[0].blocks_used, 3);
		CHECK_U64(info.pools[0].has, 0x7c);
		CHECK_U64(info.pools[1].prefix.addr, ip("203.0.113.8"));
		CHECK_INT(info.pools[1].prefix.len, 29);
		CHECK_INT(info.pools[1].port_min, 2000);
		CHECK_INT(info.pools[1].port_max, 3999);
		CHECK_INT(info.pools[1].block_size, 1000);
		CHECK_U64(info.pools[1].blocks, 16);
		CHECK_U64(info.pools[1].blocks_used, 0);
	}
	CHECK_INT(info.n_insides, 2);
	if (info.n_insides == 2) {
		CHECK_U64(info.insides[0].addr, ip("100.64.0.0"));
		CHECK_INT(info.insides[0].len, 10);
		CHECK_U64(info.insides[1].addr, ip("10.0.0.0"));
		CHECK_INT(info.insides[1].len, 8);
	}
	CHECK_INT(info.n_passes, 2);
	if (info.n_passes == 2) {
		CHECK_U64(info.passes[0].prefix.addr, ip("192.0.2.0"));
		CHECK_INT(info.passes[0].prefix.len, 24);
		CHECK_INT(info.passes[0].port, 53);
		/* No port attribute: any port. */
		CHECK_U64(info.passes[1].prefix.addr, ip("198.18.0.0"));
		CHECK_INT(info.passes[1].prefix.len, 15);
		CHECK_INT(info.passes[1].port, 0);
	}
	cgn_instance_free(&info);
	CHECK(!info.passes && !info.n_passes);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply with empty pools, insides and passes");
	msg = fake_instance("x", 0, 0, 0);
	CHECK_INT(cgn_instance_parse(msg, &info), 0);
	CHECK_STR(info.name, "x");
	CHECK_INT(info.n_pools, 0);
	CHECK_INT(info.n_insides, 0);
	CHECK_INT(info.n_passes, 0);
	cgn_instance_free(&info);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply without a name fails");
	msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
	nla_put_u32(msg, CGN_A_PAD, 0);
	CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply with a broken prefix fails");
	{
		struct nlattr *list, *p;

		msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
		nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
		list = nla_nest_start(msg, CGN_A_INSIDES);
		p = nla_nest_start(msg, CGN_A_PREFIX);
		nla_put_u32(msg, CGN_PREFIX_A_ADDR, 0);	/* no length */
		nla_nest_end(msg, p);
		nla_nest_end(msg, list);
		CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
		CHECK(!info.insides && !info.n_insides);
		nlmsg_free(msg);
	}
	unit_end();

	unit_begin("parse instance reply without passes (older kernel)");
	msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
	CHECK_INT(cgn_instance_parse(msg, &info), 0);
	CHECK(!info.passes && !info.n_passes && !info.config.has);
	cgn_instance_free(&info);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply with a pass without prefix fails");
	{
		struct nlattr *list, *p;

		msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
		nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
		list = nla_nest_start(msg, CGN_A_PASSES);
		p = nla_nest_start(msg, CGN_A_PASS);
		nla_put_u16(msg, CGN_PASS_A_PORT, 53);
		nla_nest_end(msg, p);
		nla_nest_end(msg, list);
		CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
		CHECK(!info.passes && !info.n_passes);
		nlmsg_free(msg);
	}
	unit_end();

	unit_begin("parse instance reply with a u8 port fails");
	{
		struct nlattr *list, *p, *pfx;

		msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
		nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
		list = nla_nest_start(msg, CGN_A_PASSES);
		p = nla_nest_start(msg, CGN_A_PASS);
		pfx = nla_nest_start(msg, CGN_PASS_A_PREFIX);
		nla_put_u32(msg, CGN_PREFIX_A_ADDR, 0);
		nla_put_u8(msg, CGN_PREFIX_A_LEN, 0);
		nla_nest_end(msg, pfx);
		nla_put_u8(msg, CGN_PASS_A_PORT, 53);
		nla_nest_end(msg, p);
		nla_nest_end(msg, list);
		CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
		nlmsg_free(msg);
	}
	unit_end();

	unit_begin("parse instance reply: u8 settings are read as u8");
	msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_CONFIG);

		nla_put_u8(msg, CGN_CONFIG_A_FILTERING, CGN_FILTER_ADF);
		nla_put_u8(msg, CGN_CONFIG_A_HAIRPIN, 0);
		nla_put_u8(msg, CGN_CONFIG_A_ICMP_UNREACH, 1);
		nla_put_u32(msg, CGN_CONFIG_A_HOLD_DOWN, 0x01020304);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_instance_parse(msg, &info), 0);
	CHECK_U64(info.config.has, CGN_BIT(CGN_CONFIG_A_FILTERING) |
		  CGN_BIT(CGN_CONFIG_A_HAIRPIN) | CGN_BIT(CGN_CONFIG_A_ICMP_UNREACH) |
		  CGN_BIT(CGN_CONFIG_A_HOLD_DOWN));
	CHECK_U64(info.config.val[CGN_CONFIG_A_FILTERING], CGN_FILTER_ADF);
	CHECK_U64(info.config.val[CGN_CONFIG_A_HAIRPIN], 0);
	CHECK_U64(info.config.val[CGN_CONFIG_A_ICMP_UNREACH], 1);
	CHECK_U64(info.config.val[CGN_CONFIG_A_HOLD_DOWN], 0x01020304);
	cgn_instance_free(&info);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply with a u8 setting sent empty fails");
	msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_CONFIG);

		nla_put(msg, CGN_CONFIG_A_HAIRPIN, 0, NULL);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse instance reply with a short u32 fails");
	msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_CONFIG);

		nla_put_u16(msg, CGN_CONFIG_A_TIMEOUT_UDP, 30);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_instance_parse(msg, &info), -EINVAL);
	nlmsg_free(msg);
	unit_end();
}

static void session_cases(void)
{
	struct cgn_session s;
	struct nl_msg *msg;

	unit_begin("parse session reply");
	msg = fake_session("cgn0", 6, CGN_TCP_ESTABLISHED, 297500);
	CHECK_INT(cgn_session_parse(msg, &s), 0);
	CHECK_STR(s.instance, "cgn0");
	CHECK_INT(s.proto, 6);
	CHECK_INT(s.state, CGN_TCP_ESTABLISHED);
	CHECK_U64(s.in_addr, ip("10.0.0.2"));
	CHECK_INT(ntohs(s.in_port), 40000);
	CHECK_U64(s.ext_addr, ip("198.51.100.1"));
	CHECK_INT(ntohs(s.ext_port), 1100);
	CHECK_U64(s.rem_addr, ip("203.0.113.5"));
	CHECK_INT(ntohs(s.rem_port), 53);
	CHECK_U64(s.expires, 297500);
	CHECK_U64(s.has, 0x7fe);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse session reply without the nest fails");
	msg = fake_reply(CGN_CMD_SESSION_GET, NLM_F_MULTI);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn0");
	CHECK_INT(cgn_session_parse(msg, &s), -EINVAL);
	nlmsg_free(msg);
	unit_end();
}

static void stats_cases(void)
{
	struct cgn_stats st;
	struct nl_msg *msg;
	int attr, pads;

	unit_begin("parse stats reply with u64 counters and pads");
	msg = fake_stats("cgn0", &pads);
	CHECK(pads > 0);
	CHECK_INT(cgn_stats_parse(msg, &st), 0);
	CHECK_STR(st.instance, "cgn0");
	CHECK_U64(st.has, 0x3ffffffffcull);
	for (attr = CGN_STATS_A_SESSIONS; attr <= CGN_STATS_A_MAX; attr++)
		CHECK_U64(st.val[attr], fake_stats_u32(attr) ? (uint64_t)attr :
					(1ull << 40) + attr);
	CHECK_U64(st.val[CGN_STATS_A_BLOCKS_TOTAL], CGN_STATS_A_BLOCKS_TOTAL);
	CHECK_U64(st.val[CGN_STATS_A_ICMP_ERR_OUT],
		  (1ull << 40) + CGN_STATS_A_ICMP_ERR_OUT);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse stats reply for all instances");
	msg = fake_stats(NULL, &pads);
	CHECK_INT(cgn_stats_parse(msg, &st), 0);
	CHECK_STR(st.instance, "");
	CHECK_U64(st.val[CGN_STATS_A_DROP_NOMEM], (1ull << 40) + CGN_STATS_A_DROP_NOMEM);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse stats reply with a u32 counter fails");
	msg = fake_reply(CGN_CMD_STATS_GET, 0);
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_STATS);

		nla_put_u32(msg, CGN_STATS_A_PKTS_IN, 1);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_stats_parse(msg, &st), -EINVAL);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse stats reply with a u64 new counter sent as u32 fails");
	msg = fake_reply(CGN_CMD_STATS_GET, 0);
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_STATS);

		nla_put_u32(msg, CGN_STATS_A_HAIRPIN, 1);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_stats_parse(msg, &st), -EINVAL);
	nlmsg_free(msg);
	unit_end();
}

static void user_cases(void)
{
	struct cgn_user u;
	struct nl_msg *msg;

	unit_begin("parse user reply with repeated blocks, in order");
	msg = fake_user("cgn1", "10.0.0.2", 3);
	CHECK_INT(cgn_user_parse(msg, &u), 0);
	CHECK_STR(u.instance, "cgn1");
	CHECK_U64(u.addr, ip("10.0.0.2"));
	CHECK_U64(u.ext_addr, ip("198.51.100.7"));
	CHECK_INT(u.n_blocks, 3);
	if (u.n_blocks == 3) {
		CHECK_INT(u.blocks[0], 1536);
		CHECK_INT(u.blocks[1], 4096);
		CHECK_INT(u.blocks[2], 6656);
	}
	CHECK_INT(u.block_size, 512);
	CHECK_U64(u.mappings, 3);
	CHECK_U64(u.sessions, 5);
	CHECK_U64(u.has, 0xfe);
	cgn_user_free(&u);
	CHECK(!u.blocks && !u.n_blocks);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse user reply without blocks");
	msg = fake_user("cgn1", "10.0.0.3", 0);
	CHECK_INT(cgn_user_parse(msg, &u), 0);
	CHECK_INT(u.n_blocks, 0);
	CHECK(!u.blocks);
	CHECK_U64(u.has & CGN_BIT(CGN_USER_A_BLOCK), 0);
	cgn_user_free(&u);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse user reply with many blocks");
	msg = fake_user("cgn1", "10.0.0.4", 25);
	CHECK_INT(cgn_user_parse(msg, &u), 0);
	CHECK_INT(u.n_blocks, 25);
	if (u.n_blocks == 25)
		CHECK_INT(u.blocks[24], 1536 + 2560 * 24);
	cgn_user_free(&u);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse user reply with a u32 block fails");
	msg = fake_reply(CGN_CMD_USER_GET, NLM_F_MULTI);
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_USER);

		nla_put_u32(msg, CGN_USER_A_ADDR, ip("10.0.0.2"));
		nla_put_u16(msg, CGN_USER_A_BLOCK, 1024);
		nla_put_u8(msg, CGN_USER_A_BLOCK, 4);
		nla_put_u16(msg, CGN_USER_A_BLOCK, 2048);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_user_parse(msg, &u), -EINVAL);
	CHECK(!u.blocks);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse user reply without an address fails");
	msg = fake_reply(CGN_CMD_USER_GET, NLM_F_MULTI);
	{
		struct nlattr *nest = nla_nest_start(msg, CGN_A_USER);

		nla_put_string(msg, CGN_USER_A_INSTANCE, "cgn1");
		nla_put_u16(msg, CGN_USER_A_BLOCK, 1024);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(cgn_user_parse(msg, &u), -EINVAL);
	nlmsg_free(msg);
	unit_end();

	unit_begin("parse user reply without the nest fails");
	msg = fake_reply(CGN_CMD_USER_GET, NLM_F_MULTI);
	nla_put_string(msg, CGN_A_INSTANCE, "cgn1");
	CHECK_INT(cgn_user_parse(msg, &u), -EINVAL);
	nlmsg_free(msg);
	unit_end();
}

void test_reply(void)
{
	instance_cases();
	session_cases();
	stats_cases();
	user_cases();
}
