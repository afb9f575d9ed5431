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

#define NAME_ERR(name)	"invalid instance name \"" name "\": use 1 to 15 of A-Z a-z 0-9 _ . -"
#define PORTS_ERR	"\"ports\" expects MIN-MAX with 1 <= MIN <= MAX <= 65535"
#define TIMEOUT_ERR	"\"timeout\" expects udp, tcp-est, tcp-trans or icmp"
#define BSIZE_ERR	"\"block-size\" expects a number 1..65535"

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
	{ "instance set", "missing NAME, try \"cgnctl instance help\"" },
	{ "instance del", "missing NAME, try \"cgnctl instance help\"" },
	{ "instance del cgn0 now", "unexpected argument \"now\"" },
	{ "instance show cgn0 extra", "unexpected argument \"extra\"" },
	{ "instance show bad/name", NAME_ERR("bad/name") },
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

void test_cli(void)
{
	good_cases();
	bad_cases();
	option_cases();
	usage_cases();
	message_cases();
}
