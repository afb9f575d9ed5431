// SPDX-License-Identifier: GPL-2.0
/* The cgnctl grammar: arguments to a request, or to an exit-2 error. */
#include <stdio.h>
#include <stdlib.h>

#include <netlink/genl/genl.h>

#include "cgnctl.h"
#include "fake.h"
#include "msg.h"
#include "unit.h"

#define CFG(a)		CGN_BIT(CGN_CONFIG_A_##a)
#define POOL(a)		CGN_BIT(CGN_POOL_A_##a)
#define SESS(a)		CGN_BIT(CGN_SESSION_A_##a)
#define USER(a)		CGN_BIT(CGN_USER_A_##a)

#define NAME_ERR(name)	"invalid instance name \"" name "\": use 1 to 15 of A-Z a-z 0-9 _ . -"
#define PORTS_ERR	"\"ports\" expects MIN-MAX with 1 <= MIN <= MAX <= 65535"
#define TIMEOUT_ERR	"\"timeout\" expects udp, tcp-est, tcp-trans or icmp"
#define BSIZE_ERR	"\"block-size\" expects a number 1..65535"
#define FILTER_ERR	"\"filtering\" expects eif, adf or apdf"
#define HAIRPIN_ERR	"\"hairpin\" expects on or off"
#define UNREACH_ERR	"\"icmp-unreach\" expects on or off"
#define HOLD_ERR	"\"hold-down\" expects a number 0..4294967295"
#define LIMIT_ERR	"\"session-limit\" expects a number 0..4294967295"
#define PORT_ERR	"\"port\" expects a number 1..65535"

static char line_buf[512];

static int parse(struct cli *cli, const char *line)
{
	char *argv[32];
	int argc;

	snprintf(line_buf, sizeof(line_buf), "%s", line);
	argc = split(line_buf, argv, 32);
	cli_init(cli, stdout);
	return cli_parse(cli, argc, argv);
}

static void check_req(const struct cgn_req *a, const struct cgn_req *b)
{
	int i;

	CHECK_INT(a->cmd, b->cmd);
	CHECK_INT(a->dump, b->dump);
	CHECK_STR(a->instance, b->instance);
	CHECK_U64(a->config.has, b->config.has);
	for (i = 0; i <= CGN_CONFIG_A_MAX; i++)
		CHECK_U64(a->config.val[i], b->config.val[i]);
	CHECK_U64(a->pool.has, b->pool.has);
	CHECK_U64(a->pool.prefix.addr, b->pool.prefix.addr);
	CHECK_INT(a->pool.prefix.len, b->pool.prefix.len);
	CHECK_INT(a->pool.port_min, b->pool.port_min);
	CHECK_INT(a->pool.port_max, b->pool.port_max);
	CHECK_INT(a->pool.block_size, b->pool.block_size);
	CHECK_U64(a->prefix.addr, b->prefix.addr);
	CHECK_INT(a->prefix.len, b->prefix.len);
	CHECK_U64(a->filter.has, b->filter.has);
	CHECK_INT(a->filter.proto, b->filter.proto);
	CHECK_U64(a->filter.in_addr, b->filter.in_addr);
	CHECK_U64(a->pass.prefix.addr, b->pass.prefix.addr);
	CHECK_INT(a->pass.prefix.len, b->pass.prefix.len);
	CHECK_INT(a->pass.port, b->pass.port);
	CHECK_U64(a->user.has, b->user.has);
	CHECK_U64(a->user.addr, b->user.addr);
	CHECK_STR(a->ifname, b->ifname);
}

static void good_cases(void)
{
	const struct { const char *line; struct cgn_req req; } cases[] = {
	{ "instance add cgn0",
	  { .cmd = CGN_CMD_INSTANCE_NEW, .instance = "cgn0" } },
	{ "instance add cgn0 timeout udp 300 timeout tcp-est 7440 timeout tcp-trans 240 timeout icmp 60 max-sessions 2000 max-blocks 4",
	  { .cmd = CGN_CMD_INSTANCE_NEW, .instance = "cgn0",
	    .config = { .has = CFG(TIMEOUT_UDP) | CFG(TIMEOUT_TCP_EST) |
				CFG(TIMEOUT_TCP_TRANS) | CFG(TIMEOUT_ICMP) |
				CFG(MAX_SESSIONS) | CFG(MAX_BLOCKS),
			.val = { [CGN_CONFIG_A_TIMEOUT_UDP] = 300,
				 [CGN_CONFIG_A_TIMEOUT_TCP_EST] = 7440,
				 [CGN_CONFIG_A_TIMEOUT_TCP_TRANS] = 240,
				 [CGN_CONFIG_A_TIMEOUT_ICMP] = 60,
				 [CGN_CONFIG_A_MAX_SESSIONS] = 2000,
				 [CGN_CONFIG_A_MAX_BLOCKS] = 4 } } } },
	{ "instance add a.b-c_9 max-blocks 4 timeout icmp 0",
	  { .cmd = CGN_CMD_INSTANCE_NEW, .instance = "a.b-c_9",
	    .config = { .has = CFG(MAX_BLOCKS) | CFG(TIMEOUT_ICMP),
			.val = { [CGN_CONFIG_A_MAX_BLOCKS] = 4 } } } },
	{ "instance set cgn0 max-sessions 4294967295",
	  { .cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
	    .config = { .has = CFG(MAX_SESSIONS),
			.val = { [CGN_CONFIG_A_MAX_SESSIONS] = 4294967295u } } } },
	{ "instance add cgn0 filtering eif hairpin on hold-down 120 icmp-unreach on session-limit 0",
	  { .cmd = CGN_CMD_INSTANCE_NEW, .instance = "cgn0",
	    .config = { .has = CFG(FILTERING) | CFG(HAIRPIN) | CFG(HOLD_DOWN) |
				CFG(ICMP_UNREACH) | CFG(SESSION_LIMIT),
			.val = { [CGN_CONFIG_A_FILTERING] = CGN_FILTER_EIF,
				 [CGN_CONFIG_A_HAIRPIN] = 1,
				 [CGN_CONFIG_A_HOLD_DOWN] = 120,
				 [CGN_CONFIG_A_ICMP_UNREACH] = 1,
				 [CGN_CONFIG_A_SESSION_LIMIT] = 0 } } } },
	{ "instance set cgn0 session-limit 4294967295 icmp-unreach off timeout udp 30 filtering apdf max-blocks 2 hold-down 0 hairpin off",
	  { .cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
	    .config = { .has = CFG(SESSION_LIMIT) | CFG(ICMP_UNREACH) |
				CFG(TIMEOUT_UDP) | CFG(FILTERING) | CFG(MAX_BLOCKS) |
				CFG(HOLD_DOWN) | CFG(HAIRPIN),
			.val = { [CGN_CONFIG_A_SESSION_LIMIT] = 4294967295u,
				 [CGN_CONFIG_A_TIMEOUT_UDP] = 30,
				 [CGN_CONFIG_A_FILTERING] = CGN_FILTER_APDF,
				 [CGN_CONFIG_A_MAX_BLOCKS] = 2 } } } },
	{ "instance set cgn0 fastpath on",
	  { .cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
	    .config = { .has = CFG(FASTPATH),
			.val = { [CGN_CONFIG_A_FASTPATH] = 1 } } } },
	{ "instance set cgn0 filtering adf",
	  { .cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
	    .config = { .has = CFG(FILTERING),
			.val = { [CGN_CONFIG_A_FILTERING] = CGN_FILTER_ADF } } } },
	{ "instance set cgn0 hold-down 4294967295",
	  { .cmd = CGN_CMD_INSTANCE_SET, .instance = "cgn0",
	    .config = { .has = CFG(HOLD_DOWN),
			.val = { [CGN_CONFIG_A_HOLD_DOWN] = 4294967295u } } } },
	{ "instance del 123456789012345",
	  { .cmd = CGN_CMD_INSTANCE_DEL, .instance = "123456789012345" } },
	{ "instance show", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "instance", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "instance show cgn0",
	  { .cmd = CGN_CMD_INSTANCE_GET, .instance = "cgn0" } },
	{ "pool add cgn0 198.51.100.0/24",
	  { .cmd = CGN_CMD_POOL_NEW, .instance = "cgn0",
	    .pool = { .prefix = { ip("198.51.100.0"), 24 } } } },
	{ "pool add cgn0 198.51.100.0/24 ports 1024-65535 block-size 512",
	  { .cmd = CGN_CMD_POOL_NEW, .instance = "cgn0",
	    .pool = { .has = POOL(PORT_MIN) | POOL(PORT_MAX) | POOL(BLOCK_SIZE),
		      .prefix = { ip("198.51.100.0"), 24 },
		      .port_min = 1024, .port_max = 65535, .block_size = 512 } } },
	{ "pool add cgn0 203.0.113.7 block-size 65535 ports 1-1",
	  { .cmd = CGN_CMD_POOL_NEW, .instance = "cgn0",
	    .pool = { .has = POOL(PORT_MIN) | POOL(PORT_MAX) | POOL(BLOCK_SIZE),
		      .prefix = { ip("203.0.113.7"), 32 },
		      .port_min = 1, .port_max = 1, .block_size = 65535 } } },
	{ "pool del cgn0 198.51.100.0/24",
	  { .cmd = CGN_CMD_POOL_DEL, .instance = "cgn0",
	    .pool = { .prefix = { ip("198.51.100.0"), 24 } } } },
	{ "pool show", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "pool", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "pool show cgn0",
	  { .cmd = CGN_CMD_INSTANCE_GET, .instance = "cgn0" } },
	{ "nat44 add cgn0 inside 100.64.0.0/10",
	  { .cmd = CGN_CMD_INSIDE_NEW, .instance = "cgn0",
	    .prefix = { ip("100.64.0.0"), 10 } } },
	{ "nat44 del cgn0 inside 0.0.0.0/0",
	  { .cmd = CGN_CMD_INSIDE_DEL, .instance = "cgn0",
	    .prefix = { 0, 0 } } },
	{ "nat44 show", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "nat44 show cgn0",
	  { .cmd = CGN_CMD_INSTANCE_GET, .instance = "cgn0" } },
	{ "pass add cgn0 192.0.2.0/24",
	  { .cmd = CGN_CMD_PASS_NEW, .instance = "cgn0",
	    .pass = { .prefix = { ip("192.0.2.0"), 24 } } } },
	{ "pass add cgn0 192.0.2.0/24 port 53",
	  { .cmd = CGN_CMD_PASS_NEW, .instance = "cgn0",
	    .pass = { .prefix = { ip("192.0.2.0"), 24 }, .port = 53 } } },
	{ "pass add cgn0 203.0.113.9 port 65535",
	  { .cmd = CGN_CMD_PASS_NEW, .instance = "cgn0",
	    .pass = { .prefix = { ip("203.0.113.9"), 32 }, .port = 65535 } } },
	{ "pass add cgn0 0.0.0.0/0 port 1",
	  { .cmd = CGN_CMD_PASS_NEW, .instance = "cgn0",
	    .pass = { .prefix = { 0, 0 }, .port = 1 } } },
	{ "pass del cgn0 192.0.2.0/24",
	  { .cmd = CGN_CMD_PASS_DEL, .instance = "cgn0",
	    .pass = { .prefix = { ip("192.0.2.0"), 24 } } } },
	{ "pass del cgn0 192.0.2.0/24 port 53",
	  { .cmd = CGN_CMD_PASS_DEL, .instance = "cgn0",
	    .pass = { .prefix = { ip("192.0.2.0"), 24 }, .port = 53 } } },
	{ "pass show", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "pass", { .cmd = CGN_CMD_INSTANCE_GET, .dump = true } },
	{ "pass show cgn0",
	  { .cmd = CGN_CMD_INSTANCE_GET, .instance = "cgn0" } },
	{ "fastpath add dev b0", { .cmd = CGN_CMD_FASTDEV_NEW, .ifname = "b0" } },
	{ "fastpath del dev eth0.100", { .cmd = CGN_CMD_FASTDEV_DEL, .ifname = "eth0.100" } },
	{ "fastpath add dev 123456789012345",
	  { .cmd = CGN_CMD_FASTDEV_NEW, .ifname = "123456789012345" } },
	{ "fastpath show", { .cmd = CGN_CMD_FASTDEV_GET, .dump = true } },
	{ "fastpath", { .cmd = CGN_CMD_FASTDEV_GET, .dump = true } },
	{ "user show", { .cmd = CGN_CMD_USER_GET, .dump = true } },
	{ "user", { .cmd = CGN_CMD_USER_GET, .dump = true } },
	{ "user show cgn1",
	  { .cmd = CGN_CMD_USER_GET, .dump = true, .instance = "cgn1" } },
	{ "user show cgn1 10.0.0.2",
	  { .cmd = CGN_CMD_USER_GET, .dump = true, .instance = "cgn1",
	    .user = { .has = USER(ADDR), .addr = ip("10.0.0.2") } } },
	{ "user show 10.0.0.2",
	  { .cmd = CGN_CMD_USER_GET, .dump = true,
	    .user = { .has = USER(ADDR), .addr = ip("10.0.0.2") } } },
	{ "user show 0.0.0.0",
	  { .cmd = CGN_CMD_USER_GET, .dump = true,
	    .user = { .has = USER(ADDR), .addr = 0 } } },
	{ "user show 1.2.3.4 255.255.255.255",
	  { .cmd = CGN_CMD_USER_GET, .dump = true, .instance = "1.2.3.4",
	    .user = { .has = USER(ADDR), .addr = ip("255.255.255.255") } } },
	{ "user show 12345",
	  { .cmd = CGN_CMD_USER_GET, .dump = true, .instance = "12345" } },
	{ "user show a.b",
	  { .cmd = CGN_CMD_USER_GET, .dump = true, .instance = "a.b" } },
	{ "session show", { .cmd = CGN_CMD_SESSION_GET, .dump = true } },
	{ "session", { .cmd = CGN_CMD_SESSION_GET, .dump = true } },
	{ "session show cgn0",
	  { .cmd = CGN_CMD_SESSION_GET, .dump = true, .instance = "cgn0" } },
	{ "session show cgn0 proto tcp user 100.64.0.2",
	  { .cmd = CGN_CMD_SESSION_GET, .dump = true, .instance = "cgn0",
	    .filter = { .has = SESS(PROTO) | SESS(IN_ADDR), .proto = 6,
			.in_addr = ip("100.64.0.2") } } },
	{ "session show user 255.255.255.255 proto icmp",
	  { .cmd = CGN_CMD_SESSION_GET, .dump = true,
	    .filter = { .has = SESS(PROTO) | SESS(IN_ADDR), .proto = 1,
			.in_addr = ip("255.255.255.255") } } },
	{ "session show proto udp",
	  { .cmd = CGN_CMD_SESSION_GET, .dump = true,
	    .filter = { .has = SESS(PROTO), .proto = 17 } } },
	{ "stats", { .cmd = CGN_CMD_STATS_GET } },
	{ "stats cgn0", { .cmd = CGN_CMD_STATS_GET, .instance = "cgn0" } },
	{ "-j -p -n blue stats cgn0",
	  { .cmd = CGN_CMD_STATS_GET, .instance = "cgn0" } },
	};
	struct cli cli;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unit_begin("cli: %s", cases[i].line);
		CHECK_INT(parse(&cli, cases[i].line), 0);
		CHECK_STR(cli.err, "");
		CHECK_INT(cli.action, CLI_RUN);
		check_req(&cli.req, &cases[i].req);
		unit_end();
	}
}

static void bad_cases(void)
{
	static const struct { const char *line, *err; } cases[] = {
	{ "", "missing OBJECT, try \"cgnctl help\"" },
	{ "frob", "unknown object \"frob\", try \"cgnctl help\"" },
	{ "-x instance show", "unknown option \"-x\", try \"cgnctl help\"" },
	{ "-j", "missing OBJECT, try \"cgnctl help\"" },
	{ "-n", "\"-n\" expects a network namespace name" },
	{ "-n a/b stats", "invalid network namespace name \"a/b\"" },
	{ "-n .. stats", "invalid network namespace name \"..\"" },
	{ "instance frob", "unknown instance command \"frob\", try \"cgnctl instance help\"" },
	{ "instance add", "missing NAME, try \"cgnctl instance help\"" },
	{ "instance add cgn0!", NAME_ERR("cgn0!") },
	{ "instance add 1234567890123456", NAME_ERR("1234567890123456") },
	{ "instance add cgn0 timeout", TIMEOUT_ERR },
	{ "instance add cgn0 timeout tcp 5", TIMEOUT_ERR },
	{ "instance add cgn0 timeout max-sessions 5", TIMEOUT_ERR },
	{ "instance add cgn0 timeout udp", "\"timeout udp\" expects a number 0..4294967295" },
	{ "instance add cgn0 timeout tcp-est 4294967296", "\"timeout tcp-est\" expects a number 0..4294967295" },
	{ "instance add cgn0 timeout tcp-trans -1", "\"timeout tcp-trans\" expects a number 0..4294967295" },
	{ "instance add cgn0 max-sessions x", "\"max-sessions\" expects a number 0..4294967295" },
	{ "instance set cgn0 max-blocks", "\"max-blocks\" expects a number 0..4294967295" },
	{ "instance add cgn0 timeout udp 1 timeout udp 2", "\"timeout udp\" given twice" },
	{ "instance set cgn0 max-blocks 1 max-blocks 1", "\"max-blocks\" given twice" },
	{ "instance add cgn0 mtu 1500", "unknown setting \"mtu\"" },
	{ "instance add cgn0 udp 30", "unknown setting \"udp\"" },
	{ "instance set cgn0", "missing SETTINGS, try \"cgnctl instance help\"" },
	{ "dslite add cgn0", "missing \"aftr ADDR6\" or \"b4 PREFIX6\", try \"cgnctl dslite help\"" },
	{ "dslite add cgn0 pool 2001:db8::1", "expected \"aftr\" or \"b4\", not \"pool\"" },
	{ "dslite add cgn0 aftr 10.0.0.1", "invalid IPv6 address \"10.0.0.1\"" },
	{ "dslite add cgn0 aftr 2001:db8::1/128", "invalid IPv6 address \"2001:db8::1/128\"" },
	{ "dslite del cgn0 b4 2001:db8::/129", "invalid prefix length in \"2001:db8::/129\"" },
	{ "dslite add cgn0 b4 2001:db8::/32 x", "unexpected argument \"x\"" },
	{ "session show cgn0 b4 10.0.0.1", "\"b4\" expects an IPv6 address" },
	{ "instance set", "missing NAME, try \"cgnctl instance help\"" },
	{ "instance del", "missing NAME, try \"cgnctl instance help\"" },
	{ "instance del cgn0 now", "unexpected argument \"now\"" },
	{ "instance show cgn0 extra", "unexpected argument \"extra\"" },
	{ "instance show bad/name", NAME_ERR("bad/name") },
	{ "instance add cgn0 filtering foo", FILTER_ERR },
	{ "instance add cgn0 filtering", FILTER_ERR },
	{ "instance add cgn0 filtering EIF", FILTER_ERR },
	{ "instance add cgn0 filtering 0", FILTER_ERR },
	{ "instance set cgn0 filtering eif filtering adf", "\"filtering\" given twice" },
	{ "instance add cgn0 hairpin maybe", HAIRPIN_ERR },
	{ "instance add cgn0 hairpin", HAIRPIN_ERR },
	{ "instance add cgn0 hairpin 1", HAIRPIN_ERR },
	{ "instance set cgn0 hairpin on hairpin on", "\"hairpin\" given twice" },
	{ "instance add cgn0 icmp-unreach yes", UNREACH_ERR },
	{ "instance set cgn0 fastpath yes", "\"fastpath\" expects on or off" },
	{ "instance add cgn0 icmp-unreach", UNREACH_ERR },
	{ "instance set cgn0 icmp-unreach off icmp-unreach on", "\"icmp-unreach\" given twice" },
	{ "instance add cgn0 hold-down -1", HOLD_ERR },
	{ "instance add cgn0 hold-down", HOLD_ERR },
	{ "instance add cgn0 hold-down 4294967296", HOLD_ERR },
	{ "instance add cgn0 hold-down 2m", HOLD_ERR },
	{ "instance set cgn0 hold-down 1 hold-down 2", "\"hold-down\" given twice" },
	{ "instance add cgn0 session-limit -5", LIMIT_ERR },
	{ "instance add cgn0 session-limit", LIMIT_ERR },
	{ "instance set cgn0 session-limit 1 session-limit 1", "\"session-limit\" given twice" },
	{ "instance add cgn0 timeout filtering eif", TIMEOUT_ERR },
	{ "instance add cgn0 timeout hold-down 5", TIMEOUT_ERR },
	{ "instance add cgn0 hold_down 5", "unknown setting \"hold_down\"" },
	{ "instance add cgn0 filter eif", "unknown setting \"filter\"" },
	{ "instance add cgn0 hairpin on off", "unknown setting \"off\"" },
	{ "pool frob", "unknown pool command \"frob\", try \"cgnctl pool help\"" },
	{ "pool add", "missing NAME, try \"cgnctl pool help\"" },
	{ "pool add cgn0", "missing PREFIX, try \"cgnctl pool help\"" },
	{ "pool add cgn0 10.0.0.300/24", "invalid prefix \"10.0.0.300/24\"" },
	{ "pool add cgn0 1.2.3.4/33", "invalid prefix \"1.2.3.4/33\"" },
	{ "pool add cgn0 1.2.3/24", "invalid prefix \"1.2.3/24\"" },
	{ "pool add cgn0 198.51.100.0/24 ports 0-10", PORTS_ERR },
	{ "pool add cgn0 198.51.100.0/24 ports 10-5", PORTS_ERR },
	{ "pool add cgn0 198.51.100.0/24 ports 1-65536", PORTS_ERR },
	{ "pool add cgn0 198.51.100.0/24 ports 1024", PORTS_ERR },
	{ "pool add cgn0 198.51.100.0/24 ports", PORTS_ERR },
	{ "pool add cgn0 198.51.100.0/24 ports 1-2 ports 1-2", "\"ports\" given twice" },
	{ "pool add cgn0 198.51.100.0/24 block-size 0", BSIZE_ERR },
	{ "pool add cgn0 198.51.100.0/24 block-size 65536", BSIZE_ERR },
	{ "pool add cgn0 198.51.100.0/24 block-size 4294967296", BSIZE_ERR },
	{ "pool add cgn0 198.51.100.0/24 block-size", BSIZE_ERR },
	{ "pool add cgn0 198.51.100.0/24 block-size 8 block-size 8", "\"block-size\" given twice" },
	{ "pool add cgn0 198.51.100.0/24 frob", "unexpected argument \"frob\"" },
	{ "pool del cgn0", "missing PREFIX, try \"cgnctl pool help\"" },
	{ "pool del cgn0 198.51.100.0/24 ports 1-2", "unexpected argument \"ports\"" },
	{ "pool show cgn0 198.51.100.0/24", "unexpected argument \"198.51.100.0/24\"" },
	{ "nat44 frob", "unknown nat44 command \"frob\", try \"cgnctl nat44 help\"" },
	{ "nat44 add", "missing NAME, try \"cgnctl nat44 help\"" },
	{ "nat44 add cgn0", "missing \"inside PREFIX\", try \"cgnctl nat44 help\"" },
	{ "nat44 add cgn0 outside 1.2.3.0/24", "expected \"inside\", not \"outside\"" },
	{ "nat44 add cgn0 100.64.0.0/10", "expected \"inside\", not \"100.64.0.0/10\"" },
	{ "nat44 add cgn0 inside", "missing PREFIX, try \"cgnctl nat44 help\"" },
	{ "nat44 add cgn0 inside 100.64.0.0/33", "invalid prefix \"100.64.0.0/33\"" },
	{ "nat44 del cgn0 inside 100.64.0.0/10 now", "unexpected argument \"now\"" },
	{ "pass frob", "unknown pass command \"frob\", try \"cgnctl pass help\"" },
	{ "pass add", "missing NAME, try \"cgnctl pass help\"" },
	{ "pass add bad!", NAME_ERR("bad!") },
	{ "pass add cgn1", "missing PREFIX, try \"cgnctl pass help\"" },
	{ "pass add cgn1 1.2.3/24", "invalid prefix \"1.2.3/24\"" },
	{ "pass add cgn1 1.2.3.0/33", "invalid prefix \"1.2.3.0/33\"" },
	{ "pass add cgn1 1.2.3.0/24 port 0", PORT_ERR },
	{ "pass add cgn1 1.2.3.0/24 port 65536", PORT_ERR },
	{ "pass add cgn1 1.2.3.0/24 port -1", PORT_ERR },
	{ "pass add cgn1 1.2.3.0/24 port 0x35", PORT_ERR },
	{ "pass add cgn1 1.2.3.0/24 port", PORT_ERR },
	{ "pass add cgn1 1.2.3.0/24 port 53 port 53", "\"port\" given twice" },
	{ "pass add cgn1 1.2.3.0/24 ports 53", "unexpected argument \"ports\"" },
	{ "pass add cgn1 1.2.3.0/24 53", "unexpected argument \"53\"" },
	{ "pass del cgn1", "missing PREFIX, try \"cgnctl pass help\"" },
	{ "pass del cgn1 1.2.3.0/24 port 0", PORT_ERR },
	{ "pass del cgn1 1.2.3.0/24 now", "unexpected argument \"now\"" },
	{ "pass show cgn1 1.2.3.0/24", "unexpected argument \"1.2.3.0/24\"" },
	{ "pass show bad!", NAME_ERR("bad!") },
	{ "fastpath add", "missing dev DEV, try \"cgnctl fastpath help\"" },
	{ "fastpath add dev", "missing DEV, try \"cgnctl fastpath help\"" },
	{ "fastpath add b0", "unexpected argument \"b0\"" },
	{ "fastpath del dev b0 b1", "unexpected argument \"b1\"" },
	{ "fastpath add dev 1234567890123456", "invalid device name \"1234567890123456\"" },
	{ "fastpath add dev a/b", "invalid device name \"a/b\"" },
	{ "fastpath show b0", "unexpected argument \"b0\"" },
	{ "fastpath list", "unknown fastpath command \"list\", try \"cgnctl fastpath help\"" },
	{ "user list", "unknown user command \"list\", try \"cgnctl user help\"" },
	{ "user show cgn1 1.2.3", "invalid address \"1.2.3\"" },
	{ "user show cgn1 10.0.0.1/32", "invalid address \"10.0.0.1/32\"" },
	{ "user show cgn1 cgn2", "invalid address \"cgn2\"" },
	{ "user show 1.2.3", "invalid address \"1.2.3\"" },
	{ "user show 10.0.0.256", "invalid address \"10.0.0.256\"" },
	{ "user show bad!name", NAME_ERR("bad!name") },
	{ "user show bad! 10.0.0.2", NAME_ERR("bad!") },
	{ "user show cgn1 10.0.0.2 extra", "unexpected argument \"extra\"" },
	{ "session list", "unknown session command \"list\", try \"cgnctl session help\"" },
	{ "session show cgn0 proto sctp", "\"proto\" expects udp, tcp or icmp" },
	{ "session show proto", "\"proto\" expects udp, tcp or icmp" },
	{ "session show proto udp proto tcp", "\"proto\" given twice" },
	{ "session show user", "\"user\" expects an address" },
	{ "session show user 1.2.3", "invalid address \"1.2.3\"" },
	{ "session show user 10.0.0.1/32", "invalid address \"10.0.0.1/32\"" },
	{ "session show user 10.0.0.1 user 10.0.0.2", "\"user\" given twice" },
	{ "session show cgn0 frob", "unexpected argument \"frob\"" },
	{ "session show cgn0 cgn1", "unexpected argument \"cgn1\"" },
	{ "session show bad!name", NAME_ERR("bad!name") },
	{ "stats cgn0 extra", "unexpected argument \"extra\"" },
	{ "stats bad!", NAME_ERR("bad!") },
	};
	struct cli cli;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unit_begin("cli rejects: %s", cases[i].line);
		CHECK_INT(parse(&cli, cases[i].line), EXIT_USAGE);
		CHECK_STR(cli.err, cases[i].err);
		unit_end();
	}
}

static void option_cases(void)
{
	static const struct {
		const char *line;
		enum cli_action action;
		const char *obj;
	} actions[] = {
		{ "help", CLI_HELP, NULL },
		{ "-h", CLI_HELP, NULL },
		{ "--help", CLI_HELP, NULL },
		{ "-j help", CLI_HELP, NULL },
		{ "-V", CLI_VERSION, NULL },
		{ "--version", CLI_VERSION, NULL },
		{ "instance help", CLI_HELP, "instance" },
		{ "pool help", CLI_HELP, "pool" },
		{ "nat44 help", CLI_HELP, "nat44" },
		{ "pass help", CLI_HELP, "pass" },
		{ "user help", CLI_HELP, "user" },
		{ "session help", CLI_HELP, "session" },
		{ "stats help", CLI_HELP, "stats" },
	};
	struct cli cli;
	unsigned int i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		unit_begin("cli: %s", actions[i].line);
		CHECK_INT(parse(&cli, actions[i].line), 0);
		CHECK_INT(cli.action, actions[i].action);
		if (actions[i].obj)
			CHECK(cli.obj && !strcmp(cli.obj->name, actions[i].obj));
		else
			CHECK(!cli.obj);
		unit_end();
	}

	unit_begin("cli options: -j -p -n blue");
	CHECK_INT(parse(&cli, "-j -p -n blue session show"), 0);
	CHECK(cli.json && cli.pretty);
	CHECK_STR(cli.netns, "blue");
	CHECK(cli.obj == &session_object);
	unit_end();

	unit_begin("cli options: --json --netns red --pretty -- stats");
	CHECK_INT(parse(&cli, "--json --netns red --pretty -- stats"), 0);
	CHECK(cli.json && cli.pretty);
	CHECK_STR(cli.netns, "red");
	CHECK(cli.obj == &stats_object);
	unit_end();

	unit_begin("cli options: none");
	CHECK_INT(parse(&cli, "stats"), 0);
	CHECK(!cli.json && !cli.pretty && !cli.netns);
	unit_end();
}

static void usage_cases(void)
{
	static const char *const words[] = {
		"instance add NAME", "pool add NAME PREFIX", "nat44 add NAME inside",
		"session show", "stats [NAME]", "-n, --netns NETNS",
		"OBJECT := { instance | pool | nat44 | pass | dslite | user | session |\n"
		"            stats | fastpath | board }", "cgnctl fastpath add dev DEV",
		"cgnctl fastpath del dev DEV", "cgnctl fastpath show",
		"[filtering { eif | adf | apdf }]", "[hairpin { on | off }]",
		"[hold-down SECS]", "[icmp-unreach { on | off }]", "[session-limit N]",
		"cgnctl pass add NAME PREFIX [port N]",
		"cgnctl pass del NAME PREFIX [port N]", "cgnctl pass show [NAME]",
		"cgnctl user show [NAME] [ADDR | B4ADDR]",
	};
	char *text = NULL;
	unsigned int i;
	size_t len;
	FILE *f;

	unit_begin("help lists every object");
	f = open_memstream(&text, &len);
	cli_usage(f, NULL);
	fclose(f);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strstr(text, words[i]))
			unit_fail(__FILE__, __LINE__, "no \"%s\" in help", words[i]);
	free(text);
	unit_end();

	unit_begin("OBJECT help is its grammar only");
	text = NULL;
	f = open_memstream(&text, &len);
	cli_usage(f, &pass_object);
	fclose(f);
	CHECK_STR(text, "Usage: cgnctl pass add NAME PREFIX [port N]\n"
			"       cgnctl pass del NAME PREFIX [port N]\n"
			"       cgnctl pass show [NAME]\n");
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	cli_usage(f, &user_object);
	fclose(f);
	CHECK_STR(text, "Usage: cgnctl user show [NAME] [ADDR | B4ADDR]\n");
	free(text);
	unit_end();
}

/* From arguments to the bytes on the wire. */
static void message_cases(void)
{
	struct nlattr *tb[CGN_A_MAX + 1], *sa[CGN_SESSION_A_MAX + 1];
	struct nlmsghdr *nlh;
	struct nl_msg *msg;
	struct cli cli;

	unit_begin("cli to message: session show cgn0 proto tcp user 100.64.0.2");
	CHECK_INT(parse(&cli, "session show cgn0 proto tcp user 100.64.0.2"), 0);
	msg = nlmsg_alloc();
	CHECK_INT(cgn_req_build(msg, FAKE_FAMILY, &cli.req), 0);
	nlh = nlmsg_hdr(msg);
	CHECK_INT(nlh->nlmsg_type, FAKE_FAMILY);
	CHECK(nlh->nlmsg_flags & NLM_F_DUMP);
	CHECK_INT(genlmsg_hdr(nlh)->cmd, CGN_CMD_SESSION_GET);
	CHECK_INT(genlmsg_parse(nlh, 0, tb, CGN_A_MAX, cgn_policy), 0);
	CHECK(tb[CGN_A_INSTANCE] && !nla_strcmp(tb[CGN_A_INSTANCE], "cgn0"));
	CHECK(tb[CGN_A_SESSION]);
	if (tb[CGN_A_SESSION]) {
		CHECK_INT(nla_parse_nested(sa, CGN_SESSION_A_MAX, tb[CGN_A_SESSION],
					   cgn_session_policy), 0);
		CHECK(sa[CGN_SESSION_A_PROTO] && nla_get_u8(sa[CGN_SESSION_A_PROTO]) == 6);
		CHECK(sa[CGN_SESSION_A_IN_ADDR] &&
		      !memcmp(nla_data(sa[CGN_SESSION_A_IN_ADDR]), "\x64\x40\x00\x02", 4));
		CHECK(!sa[CGN_SESSION_A_IN_PORT]);
	}
	nlmsg_free(msg);
	unit_end();
}

static void dslite_cases(void);

/* Parse @line, build it, check the header and parse the top level. */
static struct nl_msg *wire(const char *line, struct nlattr **tb, int flags)
{
	struct nlmsghdr *nlh;
	struct nl_msg *msg;
	struct cli cli;

	CHECK_INT(parse(&cli, line), 0);
	msg = nlmsg_alloc();
	CHECK_INT(cgn_req_build(msg, FAKE_FAMILY, &cli.req), 0);
	nlh = nlmsg_hdr(msg);
	CHECK_INT(nlh->nlmsg_flags & NLM_F_DUMP, flags);
	CHECK_INT(genlmsg_hdr(nlh)->cmd, cli.req.cmd);
	CHECK_INT(genlmsg_parse(nlh, 0, tb, CGN_A_MAX, cgn_policy), 0);
	return msg;
}

static void new_message_cases(void)
{
	struct nlattr *tb[CGN_A_MAX + 1], *ca[CGN_CONFIG_A_MAX + 1];
	struct nlattr *pa[CGN_PASS_A_MAX + 1], *ua[CGN_USER_A_MAX + 1];
	struct nl_msg *msg;

	unit_begin("cli to message: instance set cgn0 filtering adf hairpin on hold-down 9");
	msg = wire("instance set cgn0 filtering adf hairpin on hold-down 9", tb, 0);
	CHECK(tb[CGN_A_CONFIG] &&
	      !nla_parse_nested(ca, CGN_CONFIG_A_MAX, tb[CGN_A_CONFIG],
				cgn_config_policy));
	if (tb[CGN_A_CONFIG]) {
		CHECK(ca[CGN_CONFIG_A_FILTERING] &&
		      nla_len(ca[CGN_CONFIG_A_FILTERING]) == 1 &&
		      nla_get_u8(ca[CGN_CONFIG_A_FILTERING]) == CGN_FILTER_ADF);
		CHECK(ca[CGN_CONFIG_A_HAIRPIN] && nla_len(ca[CGN_CONFIG_A_HAIRPIN]) == 1 &&
		      nla_get_u8(ca[CGN_CONFIG_A_HAIRPIN]) == 1);
		CHECK(ca[CGN_CONFIG_A_HOLD_DOWN] &&
		      nla_len(ca[CGN_CONFIG_A_HOLD_DOWN]) == 4 &&
		      nla_get_u32(ca[CGN_CONFIG_A_HOLD_DOWN]) == 9);
		CHECK(!ca[CGN_CONFIG_A_ICMP_UNREACH] && !ca[CGN_CONFIG_A_SESSION_LIMIT]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("cli to message: pass add cgn1 192.0.2.0/24 port 53");
	msg = wire("pass add cgn1 192.0.2.0/24 port 53", tb, 0);
	CHECK(tb[CGN_A_INSTANCE] && !nla_strcmp(tb[CGN_A_INSTANCE], "cgn1"));
	CHECK(tb[CGN_A_PASS] &&
	      !nla_parse_nested(pa, CGN_PASS_A_MAX, tb[CGN_A_PASS], cgn_pass_policy));
	if (tb[CGN_A_PASS]) {
		CHECK(pa[CGN_PASS_A_PREFIX]);
		/* A port number: host order, like pool ports. */
		CHECK(pa[CGN_PASS_A_PORT] && nla_len(pa[CGN_PASS_A_PORT]) == 2 &&
		      nla_get_u16(pa[CGN_PASS_A_PORT]) == 53);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("cli to message: user show cgn1 10.0.0.2");
	msg = wire("user show cgn1 10.0.0.2", tb, NLM_F_DUMP);
	CHECK(tb[CGN_A_INSTANCE] && !nla_strcmp(tb[CGN_A_INSTANCE], "cgn1"));
	CHECK(tb[CGN_A_USER] &&
	      !nla_parse_nested(ua, CGN_USER_A_MAX, tb[CGN_A_USER], cgn_user_policy));
	if (tb[CGN_A_USER]) {
		CHECK(ua[CGN_USER_A_ADDR] &&
		      !memcmp(nla_data(ua[CGN_USER_A_ADDR]), "\x0a\0\0\x02", 4));
		CHECK(!ua[CGN_USER_A_INSTANCE] && !ua[CGN_USER_A_BLOCK]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("cli to message: user show");
	msg = wire("user show", tb, NLM_F_DUMP);
	CHECK(!tb[CGN_A_INSTANCE] && !tb[CGN_A_USER]);
	nlmsg_free(msg);
	unit_end();

	unit_begin("cli to message: user show cgn1 2001:db8::2");
	msg = wire("user show cgn1 2001:db8::2", tb, NLM_F_DUMP);
	CHECK(tb[CGN_A_USER] &&
	      !nla_parse_nested(ua, CGN_USER_A_MAX, tb[CGN_A_USER], cgn_user_policy));
	if (tb[CGN_A_USER]) {
		CHECK(ua[CGN_USER_A_B4] && nla_len(ua[CGN_USER_A_B4]) == 16 &&
		      !memcmp(nla_data(ua[CGN_USER_A_B4]),
			      "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16));
		CHECK(!ua[CGN_USER_A_ADDR]);
	}
	nlmsg_free(msg);
	unit_end();
	dslite_cases();

	unit_begin("cli to message: fastpath add dev b0");
	msg = wire("fastpath add dev b0", tb, 0);
	CHECK(tb[CGN_A_IFNAME] && !strcmp(nla_get_string(tb[CGN_A_IFNAME]), "b0"));
	CHECK(!tb[CGN_A_INSTANCE]);
	nlmsg_free(msg);
	unit_end();
}

void test_cli(void)
{
	good_cases();
	bad_cases();
	option_cases();
	usage_cases();
	message_cases();
	new_message_cases();
}

static void dslite_cases(void)
{
	struct nlattr *tb[CGN_A_MAX + 1], *da[CGN_DSLITE_A_MAX + 1];
	struct nlattr *pa[CGN_PREFIX6_A_MAX + 1];
	struct nl_msg *msg;

	unit_begin("cli to message: dslite add cgn1 aftr 2001:db8::1");
	msg = wire("dslite add cgn1 aftr 2001:db8::1", tb, 0);
	CHECK(tb[CGN_A_DSLITE] &&
	      !nla_parse_nested(da, CGN_DSLITE_A_MAX, tb[CGN_A_DSLITE], cgn_dslite_policy));
	if (tb[CGN_A_DSLITE]) {
		CHECK(da[CGN_DSLITE_A_AFTR] && nla_len(da[CGN_DSLITE_A_AFTR]) == 16 &&
		      !memcmp(nla_data(da[CGN_DSLITE_A_AFTR]),
			      "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16));
		CHECK(!da[CGN_DSLITE_A_B4]);
	}
	nlmsg_free(msg);
	unit_end();

	unit_begin("cli to message: dslite del cgn1 b4 2001:db8:100::/40");
	msg = wire("dslite del cgn1 b4 2001:db8:100::/40", tb, 0);
	CHECK(tb[CGN_A_DSLITE] &&
	      !nla_parse_nested(da, CGN_DSLITE_A_MAX, tb[CGN_A_DSLITE], cgn_dslite_policy));
	if (tb[CGN_A_DSLITE]) {
		CHECK(!da[CGN_DSLITE_A_AFTR]);
		CHECK(da[CGN_DSLITE_A_B4] &&
		      !nla_parse_nested(pa, CGN_PREFIX6_A_MAX, da[CGN_DSLITE_A_B4],
					cgn_prefix6_policy));
		if (da[CGN_DSLITE_A_B4]) {
			CHECK(pa[CGN_PREFIX6_A_LEN] && nla_get_u8(pa[CGN_PREFIX6_A_LEN]) == 40);
			CHECK(pa[CGN_PREFIX6_A_ADDR] &&
			      !memcmp(nla_data(pa[CGN_PREFIX6_A_ADDR]),
				      "\x20\x01\x0d\xb8\x01\0\0\0\0\0\0\0\0\0\0\0", 16));
		}
	}
	nlmsg_free(msg);
	unit_end();
}
