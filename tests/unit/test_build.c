// SPDX-License-Identifier: GPL-2.0
/* Request builders: build each command, parse it back as the kernel would. */
#include <netlink/genl/genl.h>

#include "fake.h"
#include "msg.h"
#include "unit.h"

static struct nl_msg *msg;
static struct nlattr *tb[CGN_A_MAX + 1];

/* Build @req, check the headers and parse the top-level attributes. */
static void build(const struct cgn_req *req)
{
	struct nlmsghdr *nlh;

	msg = nlmsg_alloc();
	CHECK_INT(cgn_req_build(msg, FAKE_FAMILY, req), 0);
	nlh = nlmsg_hdr(msg);
	CHECK_INT(nlh->nlmsg_type, FAKE_FAMILY);
	CHECK_INT(!!(nlh->nlmsg_flags & NLM_F_DUMP), req->dump);
	CHECK_INT(genlmsg_hdr(nlh)->cmd, req->cmd);
	CHECK_INT(genlmsg_hdr(nlh)->version, CGN_GENL_VERSION);
	CHECK_INT(genlmsg_parse(nlh, 0, tb, CGN_A_MAX, cgn_policy), 0);
}

static int count_attrs(void)
{
	int i, n = 0;

	for (i = 1; i <= CGN_A_MAX; i++)
		n += !!tb[i];
	return n;
}

static void check_name(const char *name)
{
	CHECK(tb[CGN_A_INSTANCE]);
	if (tb[CGN_A_INSTANCE]) {
		CHECK(!nla_strcmp(tb[CGN_A_INSTANCE], name));
		/* The kernel's NLA_NUL_STRING wants the NUL. */
		CHECK_INT(nla_len(tb[CGN_A_INSTANCE]), strlen(name) + 1);
	}
}

/* A prefix nest: the address as the bytes @bytes, i.e. network order. */
static void check_prefix(struct nlattr *nest, const char *bytes, int len)
{
	struct nlattr *pa[CGN_PREFIX_A_MAX + 1];

	CHECK(nest);
	if (!nest)
		return;
	CHECK_INT(nla_parse_nested(pa, CGN_PREFIX_A_MAX, nest, cgn_prefix_policy), 0);
	CHECK(pa[CGN_PREFIX_A_ADDR] && nla_len(pa[CGN_PREFIX_A_ADDR]) == 4 &&
	      !memcmp(nla_data(pa[CGN_PREFIX_A_ADDR]), bytes, 4));
	CHECK(pa[CGN_PREFIX_A_LEN] && nla_len(pa[CGN_PREFIX_A_LEN]) == 1 &&
	      nla_get_u8(pa[CGN_PREFIX_A_LEN]) == len);
}

static void instance_cases(void)
{
	struct nlattr *ca[CGN_CONFIG_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_INSTANCE_NEW, .instance = "cgn0",
		.config = {
			.has = CGN_BIT(CGN_CONFIG_A_TIMEOUT_UDP) |
			       CGN_BIT(CGN_CONFIG_A_MAX_BLOCKS),
			.val = { [CGN_CONFIG_A_TIMEOUT_UDP] = 0x01020304,
				 [CGN_CONFIG_A_MAX_BLOCKS] = 4,
				 [CGN_CONFIG_A_MAX_SESSIONS] = 99 },
		},
	};

	unit_begin("build instance-new with settings");
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	CHECK(tb[CGN_A_CONFIG]);
	if (tb[CGN_A_CONFIG]) {
		CHECK_INT(nla_parse_nested(ca, CGN_CONFIG_A_MAX, tb[CGN_A_CONFIG],
					   cgn_config_policy), 0);
		/* Host order, and only what was given. */
		CHECK(ca[CGN_CONFIG_A_TIMEOUT_UDP] &&
		      nla_get_u32(ca[CGN_CONFIG_A_TIMEOUT_UDP]) == 0x01020304);
		CHECK(ca[CGN_CONFIG_A_MAX_BLOCKS] &&
		      nla_get_u32(ca[CGN_CONFIG_A_MAX_BLOCKS]) == 4);
		CHECK(!ca[CGN_CONFIG_A_MAX_SESSIONS]);
		CHECK(!ca[CGN_CONFIG_A_TIMEOUT_TCP_EST]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build instance-new without settings");
	req.config.has = 0;
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 1);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build instance-set");
	req.cmd = CGN_CMD_INSTANCE_SET;
	req.config.has = CGN_BIT(CGN_CONFIG_A_MAX_SESSIONS);
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	if (tb[CGN_A_CONFIG]) {
		nla_parse_nested(ca, CGN_CONFIG_A_MAX, tb[CGN_A_CONFIG],
				 cgn_config_policy);
		CHECK(ca[CGN_CONFIG_A_MAX_SESSIONS] &&
		      nla_get_u32(ca[CGN_CONFIG_A_MAX_SESSIONS]) == 99);
		CHECK(!ca[CGN_CONFIG_A_TIMEOUT_UDP]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build instance-del");
	req.cmd = CGN_CMD_INSTANCE_DEL;
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 1);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build instance-get by name");
	req.cmd = CGN_CMD_INSTANCE_GET;
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 1);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build instance-get dump");
	build(&(struct cgn_req){ .cmd = CGN_CMD_INSTANCE_GET, .dump = true });
	CHECK_INT(count_attrs(), 0);
	nlmsg_free(msg);
	unit_end();
}

static void pool_cases(void)
{
	struct nlattr *pa[CGN_POOL_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_POOL_NEW, .instance = "cgn0",
		.pool = {
			.has = CGN_BIT(CGN_POOL_A_PORT_MIN) |
			       CGN_BIT(CGN_POOL_A_PORT_MAX) |
			       CGN_BIT(CGN_POOL_A_BLOCK_SIZE),
			.prefix = { ip("198.51.100.0"), 24 },
			.port_min = 1024, .port_max = 0x1234, .block_size = 512,
		},
	};

	unit_begin("build pool-new with ports and block size");
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	CHECK(tb[CGN_A_POOL]);
	if (tb[CGN_A_POOL]) {
		CHECK_INT(nla_parse_nested(pa, CGN_POOL_A_MAX, tb[CGN_A_POOL],
					   cgn_pool_policy), 0);
		check_prefix(pa[CGN_POOL_A_PREFIX], "\xc6\x33\x64\x00", 24);
		/* Pool ports are numbers: host order. */
		CHECK(pa[CGN_POOL_A_PORT_MIN] && nla_len(pa[CGN_POOL_A_PORT_MIN]) == 2 &&
		      nla_get_u16(pa[CGN_POOL_A_PORT_MIN]) == 1024);
		CHECK(pa[CGN_POOL_A_PORT_MAX] &&
		      nla_get_u16(pa[CGN_POOL_A_PORT_MAX]) == 0x1234);
		CHECK(pa[CGN_POOL_A_BLOCK_SIZE] &&
		      nla_get_u16(pa[CGN_POOL_A_BLOCK_SIZE]) == 512);
		CHECK(!pa[CGN_POOL_A_BLOCKS] && !pa[CGN_POOL_A_BLOCKS_USED]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build pool-new with defaults");
	req.pool.has = 0;
	build(&req);
	if (tb[CGN_A_POOL]) {
		nla_parse_nested(pa, CGN_POOL_A_MAX, tb[CGN_A_POOL], cgn_pool_policy);
		check_prefix(pa[CGN_POOL_A_PREFIX], "\xc6\x33\x64\x00", 24);
		CHECK(!pa[CGN_POOL_A_PORT_MIN] && !pa[CGN_POOL_A_PORT_MAX] &&
		      !pa[CGN_POOL_A_BLOCK_SIZE]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build pool-del");
	req.cmd = CGN_CMD_POOL_DEL;
	req.pool.prefix = (struct cgn_prefix){ ip("255.255.255.255"), 32 };
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	if (tb[CGN_A_POOL]) {
		nla_parse_nested(pa, CGN_POOL_A_MAX, tb[CGN_A_POOL], cgn_pool_policy);
		check_prefix(pa[CGN_POOL_A_PREFIX], "\xff\xff\xff\xff", 32);
		CHECK(!pa[CGN_POOL_A_PORT_MIN]);
	}
	nlmsg_free(msg);
	unit_end();
}

static void inside_cases(void)
{
	struct cgn_req req = {
		.cmd = CGN_CMD_INSIDE_NEW, .instance = "cgn0",
		.prefix = { ip("100.64.0.0"), 10 },
	};

	unit_begin("build inside-new");
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	check_prefix(tb[CGN_A_PREFIX], "\x64\x40\x00\x00", 10);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build inside-del 0.0.0.0/0");
	req.cmd = CGN_CMD_INSIDE_DEL;
	req.prefix = (struct cgn_prefix){ 0, 0 };
	build(&req);
	CHECK_INT(count_attrs(), 2);
	check_prefix(tb[CGN_A_PREFIX], "\0\0\0\0", 0);
	nlmsg_free(msg);
	unit_end();
}

static void session_stats_cases(void)
{
	struct nlattr *sa[CGN_SESSION_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_SESSION_GET, .dump = true,
		.filter = { .has = CGN_BIT(CGN_SESSION_A_IN_ADDR),
			    .in_addr = ip("10.0.0.2"), .proto = 17 },
	};

	unit_begin("build session-get with a user filter");
	build(&req);
	CHECK(!tb[CGN_A_INSTANCE]);
	CHECK_INT(count_attrs(), 1);
	if (tb[CGN_A_SESSION]) {
		nla_parse_nested(sa, CGN_SESSION_A_MAX, tb[CGN_A_SESSION],
				 cgn_session_policy);
		CHECK(sa[CGN_SESSION_A_IN_ADDR] &&
		      !memcmp(nla_data(sa[CGN_SESSION_A_IN_ADDR]), "\x0a\0\0\x02", 4));
		CHECK(!sa[CGN_SESSION_A_PROTO]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build session-get without filters");
	req.filter.has = 0;
	build(&req);
	CHECK_INT(count_attrs(), 0);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build stats-get");
	build(&(struct cgn_req){ .cmd = CGN_CMD_STATS_GET, .instance = "x" });
	check_name("x");
	CHECK_INT(count_attrs(), 1);
	nlmsg_free(msg);
	build(&(struct cgn_req){ .cmd = CGN_CMD_STATS_GET });
	CHECK_INT(count_attrs(), 0);
	nlmsg_free(msg);
	unit_end();
}

static void config_width_cases(void)
{
	struct nlattr *ca[CGN_CONFIG_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
		.config = {
			.has = CGN_BIT(CGN_CONFIG_A_FILTERING) |
			       CGN_BIT(CGN_CONFIG_A_HAIRPIN) |
			       CGN_BIT(CGN_CONFIG_A_HOLD_DOWN) |
			       CGN_BIT(CGN_CONFIG_A_ICMP_UNREACH) |
			       CGN_BIT(CGN_CONFIG_A_SESSION_LIMIT),
			.val = { [CGN_CONFIG_A_FILTERING] = CGN_FILTER_APDF,
				 [CGN_CONFIG_A_HAIRPIN] = 0,
				 [CGN_CONFIG_A_HOLD_DOWN] = 0,
				 [CGN_CONFIG_A_ICMP_UNREACH] = 1,
				 [CGN_CONFIG_A_SESSION_LIMIT] = 0xfffffffe },
		},
	};
	static const struct { int attr, len; uint32_t v; } want[] = {
		{ CGN_CONFIG_A_FILTERING, 1, CGN_FILTER_APDF },
		{ CGN_CONFIG_A_HAIRPIN, 1, 0 },
		{ CGN_CONFIG_A_HOLD_DOWN, 4, 0 },
		{ CGN_CONFIG_A_ICMP_UNREACH, 1, 1 },
		{ CGN_CONFIG_A_SESSION_LIMIT, 4, 0xfffffffe },
	};
	unsigned int i;

	unit_begin("build instance-set: u8 and u32 settings, zeros kept");
	build(&req);
	check_name("cgn0");
	CHECK_INT(count_attrs(), 2);
	CHECK(tb[CGN_A_CONFIG]);
	if (tb[CGN_A_CONFIG]) {
		CHECK_INT(nla_parse_nested(ca, CGN_CONFIG_A_MAX, tb[CGN_A_CONFIG],
					   cgn_config_policy), 0);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			struct nlattr *a = ca[want[i].attr];

			CHECK(a);
			if (!a)
				continue;
			CHECK_INT(nla_len(a), want[i].len);
			CHECK_U64(want[i].len == 1 ? nla_get_u8(a) : nla_get_u32(a),
				  want[i].v);
		}
		CHECK(!ca[CGN_CONFIG_A_TIMEOUT_UDP] && !ca[CGN_CONFIG_A_MAX_BLOCKS]);
	}
	nlmsg_free(msg);
	unit_end();
}

static void pass_cases(void)
{
	struct nlattr *pa[CGN_PASS_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_PASS_NEW, .instance = "cgn1",
		.pass = { .prefix = { ip("192.0.2.0"), 24 }, .port = 0x1234 },
		.prefix = { ip("10.0.0.0"), 8 },	/* not for this command */
	};

	unit_begin("build pass-new with a port");
	build(&req);
	check_name("cgn1");
	CHECK_INT(count_attrs(), 2);
	CHECK(tb[CGN_A_PASS] && !tb[CGN_A_PREFIX]);
	if (tb[CGN_A_PASS]) {
		CHECK_INT(nla_parse_nested(pa, CGN_PASS_A_MAX, tb[CGN_A_PASS],
					   cgn_pass_policy), 0);
		check_prefix(pa[CGN_PASS_A_PREFIX], "\xc0\x00\x02\x00", 24);
		CHECK(pa[CGN_PASS_A_PORT] && nla_len(pa[CGN_PASS_A_PORT]) == 2 &&
		      nla_get_u16(pa[CGN_PASS_A_PORT]) == 0x1234);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build pass-new without a port omits it");
	req.pass.port = 0;
	build(&req);
	if (tb[CGN_A_PASS]) {
		nla_parse_nested(pa, CGN_PASS_A_MAX, tb[CGN_A_PASS], cgn_pass_policy);
		check_prefix(pa[CGN_PASS_A_PREFIX], "\xc0\x00\x02\x00", 24);
		CHECK(!pa[CGN_PASS_A_PORT]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build pass-del");
	req.cmd = CGN_CMD_PASS_DEL;
	req.pass = (struct cgn_pass){ { ip("203.0.113.9"), 32 }, 53 };
	build(&req);
	check_name("cgn1");
	CHECK_INT(count_attrs(), 2);
	if (tb[CGN_A_PASS]) {
		nla_parse_nested(pa, CGN_PASS_A_MAX, tb[CGN_A_PASS], cgn_pass_policy);
		check_prefix(pa[CGN_PASS_A_PREFIX], "\xcb\x00\x71\x09", 32);
		CHECK(pa[CGN_PASS_A_PORT] && nla_get_u16(pa[CGN_PASS_A_PORT]) == 53);
	}
	nlmsg_free(msg);
	unit_end();
}

static void user_cases(void)
{
	struct nlattr *ua[CGN_USER_A_MAX + 1];
	struct cgn_req req = {
		.cmd = CGN_CMD_USER_GET, .dump = true, .instance = "cgn1",
		.user = { .has = CGN_BIT(CGN_USER_A_ADDR), .addr = ip("10.0.0.2"),
			  .ext_addr = ip("198.51.100.7"), .mappings = 3 },
	};

	unit_begin("build user-get with an instance and an address");
	build(&req);
	check_name("cgn1");
	CHECK_INT(count_attrs(), 2);
	CHECK(tb[CGN_A_USER]);
	if (tb[CGN_A_USER]) {
		CHECK_INT(nla_parse_nested(ua, CGN_USER_A_MAX, tb[CGN_A_USER],
					   cgn_user_policy), 0);
		CHECK(ua[CGN_USER_A_ADDR] && nla_len(ua[CGN_USER_A_ADDR]) == 4 &&
		      !memcmp(nla_data(ua[CGN_USER_A_ADDR]), "\x0a\0\0\x02", 4));
		/* Only the address filters. */
		CHECK(!ua[CGN_USER_A_EXT_ADDR] && !ua[CGN_USER_A_MAPPINGS] &&
		      !ua[CGN_USER_A_INSTANCE]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("build user-get without filters");
	build(&(struct cgn_req){ .cmd = CGN_CMD_USER_GET, .dump = true });
	CHECK_INT(count_attrs(), 0);
	nlmsg_free(msg);
	unit_end();

	unit_begin("build user-get for address 0.0.0.0");
	build(&(struct cgn_req){ .cmd = CGN_CMD_USER_GET, .dump = true,
				 .user = { .has = CGN_BIT(CGN_USER_A_ADDR) } });
	CHECK_INT(count_attrs(), 1);
	if (tb[CGN_A_USER]) {
		nla_parse_nested(ua, CGN_USER_A_MAX, tb[CGN_A_USER], cgn_user_policy);
		CHECK(ua[CGN_USER_A_ADDR] && nla_get_u32(ua[CGN_USER_A_ADDR]) == 0);
	}
	nlmsg_free(msg);
	unit_end();
}

void test_build(void)
{
	instance_cases();
	pool_cases();
	inside_cases();
	session_stats_cases();
	config_width_cases();
	pass_cases();
	user_cases();
}
