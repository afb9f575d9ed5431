// SPDX-License-Identifier: GPL-2.0
/* What cgnctl prints for replies, plain and JSON. */
#include <errno.h>
#include <stdlib.h>

#include "cgnctl.h"
#include "fake.h"
#include "unit.h"

static char *text;
static size_t len;
static struct cli cli;

/* A cli as after "cgnctl [-j] OBJECT show [NAME]", printing to memory. */
static void begin(const struct object *obj, bool json, const char *name)
{
	free(text);
	text = NULL;
	cli_init(&cli, open_memstream(&text, &len));
	cli.obj = obj;
	cli.json = json;
	snprintf(cli.req.instance, sizeof(cli.req.instance), "%s", name);
	json_init(&cli.js, cli.out, false);
	if (json)
		json_arr_open(&cli.js, NULL);
}

/* Feed @msg to the object, then close the output. */
static void show(struct nl_msg *msg)
{
	CHECK_INT(cli.obj->show(&cli, msg), 0);
	nlmsg_free(msg);
}

static void end(void)
{
	if (cli.json)
		json_arr_close(&cli.js);
	fclose(cli.out);
}

static void session_cases(void)
{
	unit_begin("session show: plain line");
	begin(&session_object, false, "cgn0");
	show(fake_session("cgn0", 17, CGN_TCP_NONE, 297999));
	show(fake_session("cgn0", 6, CGN_TCP_SYN_OUT, 500));
	end();
	CHECK_STR(text,
		  "udp 10.0.0.2:40000 -> 198.51.100.1:1100 <-> 203.0.113.5:53 state none expires 297s\n"
		  "tcp 10.0.0.2:40000 -> 198.51.100.1:1100 <-> 203.0.113.5:53 state syn-out expires 0s\n");
	unit_end();

	unit_begin("session show: instance leads the line without NAME");
	begin(&session_object, false, "");
	show(fake_session("cgn1", 17, 9, 1000));
	end();
	CHECK_STR(text,
		  "cgn1 udp 10.0.0.2:40000 -> 198.51.100.1:1100 <-> 203.0.113.5:53 state 9 expires 1s\n");
	unit_end();

	unit_begin("session show: icmp identifiers, no remote port");
	begin(&session_object, false, "");
	show(fake_session("cgn1", 1, CGN_TCP_NONE, 59999));
	end();
	CHECK_STR(text,
		  "cgn1 icmp 10.0.0.2 id 1234 -> 198.51.100.1 id 2001 <-> 203.0.113.5 state none expires 59s\n");
	unit_end();

	unit_begin("session show: icmp json keeps the ports");
	begin(&session_object, true, "cgn1");
	show(fake_session("cgn1", 1, CGN_TCP_NONE, 59999));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn1\",\"proto\":\"icmp\",\"in_addr\":\"10.0.0.2\","
		  "\"in_port\":1234,\"ext_addr\":\"198.51.100.1\",\"ext_port\":2001,"
		  "\"rem_addr\":\"203.0.113.5\",\"rem_port\":0,"
		  "\"state\":\"none\",\"expires\":59}]\n");
	unit_end();

	unit_begin("session show: unknown proto by number, with ports");
	begin(&session_object, false, "cgn1");
	show(fake_session("cgn1", 132, CGN_TCP_NONE, 0));
	end();
	CHECK_STR(text,
		  "132 10.0.0.2:40000 -> 198.51.100.1:1100 <-> 203.0.113.5:53 state none expires 0s\n");
	unit_end();

	unit_begin("session show: every state has a name");
	{
		static const char *const names[] = {
			"none", "syn-out", "syn-in", "established", "fin", "closed",
		};
		int i;

		for (i = CGN_TCP_NONE; i <= CGN_TCP_CLOSED; i++) {
			begin(&session_object, false, "cgn0");
			show(fake_session("cgn0", 6, i, 0));
			end();
			if (!strstr(text, names[i]))
				unit_fail(__FILE__, __LINE__, "no %s in %s", names[i], text);
		}
	}
	unit_end();

	unit_begin("session show: json");
	begin(&session_object, true, "");
	show(fake_session("cgn0", 6, CGN_TCP_ESTABLISHED, 7439000));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"proto\":\"tcp\",\"in_addr\":\"10.0.0.2\","
		  "\"in_port\":40000,\"ext_addr\":\"198.51.100.1\",\"ext_port\":1100,"
		  "\"rem_addr\":\"203.0.113.5\",\"rem_port\":53,"
		  "\"state\":\"established\",\"expires\":7439}]\n");
	unit_end();
}

static void instance_cases(void)
{
	unit_begin("instance show: plain block");
	begin(&instance_object, false, "");
	show(fake_instance("cgn0", 2, 1, 2));
	show(fake_instance("cgn1", 0, 0, 0));
	end();
	CHECK_STR(text,
		  "instance cgn0\n"
		  "\ttimeout udp 100 tcp-est 200 tcp-trans 300 icmp 400\n"
		  "\tmax-sessions 500 max-blocks 600\n"
		  "\tfiltering apdf hairpin on hold-down 120 icmp-unreach off session-limit 0 fastpath off role standby sync-min-age 2000\n"
		  "\ttunnel-mtu 1500 max-softwires 2 softwire-len 56\n"
		  "\tpool 198.51.100.0/24 ports 1024-65535 block-size 512 blocks 126 blocks-used 3\n"
		  "\tpool 203.0.113.8/29 ports 2000-3999 block-size 1000 blocks 16 blocks-used 0\n"
		  "\tinside 100.64.0.0/10\n"
		  "\tpass 192.0.2.0/24 port 53\n"
		  "\tpass 198.18.0.0/15\n"
		  "\n"
		  "instance cgn1\n"
		  "\ttimeout udp 100 tcp-est 200 tcp-trans 300 icmp 400\n"
		  "\tmax-sessions 500 max-blocks 600\n"
		  "\tfiltering apdf hairpin on hold-down 120 icmp-unreach off session-limit 0 fastpath off role standby sync-min-age 2000\n"
		  "\ttunnel-mtu 1500 max-softwires 2 softwire-len 56\n");
	unit_end();

	unit_begin("instance show: json");
	begin(&instance_object, true, "");
	show(fake_instance("cgn0", 1, 2, 2));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"timeout_udp\":100,\"timeout_tcp_est\":200,"
		  "\"timeout_tcp_trans\":300,\"timeout_icmp\":400,\"max_sessions\":500,"
		  "\"max_blocks\":600,\"filtering\":\"apdf\",\"hairpin\":true,"
		  "\"hold_down\":120,\"icmp_unreach\":false,\"session_limit\":0,\"fastpath\":false,"
		  "\"role\":\"standby\",\"tunnel_mtu\":1500,\"max_softwires\":2,"
		  "\"softwire_len\":56,\"sync_min_age\":2000,"
		  "\"pools\":[{\"prefix\":\"198.51.100.0/24\","
		  "\"port_min\":1024,\"port_max\":65535,\"block_size\":512,"
		  "\"blocks\":126,\"blocks_used\":3}],"
		  "\"insides\":[\"100.64.0.0/10\",\"10.0.0.0/8\"],"
		  "\"passes\":[{\"prefix\":\"192.0.2.0/24\",\"port\":53},"
		  "{\"prefix\":\"198.18.0.0/15\",\"port\":0}]}]\n");
	unit_end();

	unit_begin("instance show: every filtering, on and off, unknown values");
	{
		static const struct { uint8_t filtering, hairpin, unreach;
				      const char *plain, *json; } cases[] = {
		{ CGN_FILTER_EIF, 1, 1,
		  "\tfiltering eif hairpin on icmp-unreach on\n",
		  "\"filtering\":\"eif\",\"hairpin\":true,\"icmp_unreach\":true" },
		{ CGN_FILTER_ADF, 0, 0,
		  "\tfiltering adf hairpin off icmp-unreach off\n",
		  "\"filtering\":\"adf\",\"hairpin\":false,\"icmp_unreach\":false" },
		{ 7, 2, 0,
		  "\tfiltering 7 hairpin 2 icmp-unreach off\n",
		  "\"filtering\":7,\"hairpin\":true,\"icmp_unreach\":false" },
		};
		struct nlattr *nest;
		struct nl_msg *msg;
		unsigned int i, json;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			for (json = 0; json <= 1; json++) {
				msg = fake_reply(CGN_CMD_INSTANCE_GET, 0);
				nla_put_string(msg, CGN_A_INSTANCE, "x");
				nest = nla_nest_start(msg, CGN_A_CONFIG);
				nla_put_u8(msg, CGN_CONFIG_A_FILTERING, cases[i].filtering);
				nla_put_u8(msg, CGN_CONFIG_A_HAIRPIN, cases[i].hairpin);
				nla_put_u8(msg, CGN_CONFIG_A_ICMP_UNREACH, cases[i].unreach);
				nla_nest_end(msg, nest);
				begin(&instance_object, json, "x");
				show(msg);
				end();
				if (!strstr(text, json ? cases[i].json : cases[i].plain))
					unit_fail(__FILE__, __LINE__, "case %u: %s", i, text);
			}
		}
	}
	unit_end();
}

static void pass_cases(void)
{
	unit_begin("pass show: plain lines, instance first");
	begin(&pass_object, false, "");
	show(fake_instance("cgn0", 1, 1, 2));
	show(fake_instance("cgn1", 1, 1, 0));
	show(fake_instance("cgn2", 0, 0, 1));
	end();
	CHECK_STR(text,
		  "cgn0 pass 192.0.2.0/24 port 53\n"
		  "cgn0 pass 198.18.0.0/15\n"
		  "cgn2 pass 192.0.2.0/24 port 53\n");
	unit_end();

	unit_begin("pass show NAME: plain lines");
	begin(&pass_object, false, "cgn0");
	show(fake_instance("cgn0", 1, 1, 2));
	end();
	CHECK_STR(text, "pass 192.0.2.0/24 port 53\npass 198.18.0.0/15\n");
	unit_end();

	unit_begin("pass show: json");
	begin(&pass_object, true, "");
	show(fake_instance("cgn0", 1, 1, 2));
	show(fake_instance("cgn1", 0, 0, 0));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"prefix\":\"192.0.2.0/24\",\"port\":53},"
		  "{\"instance\":\"cgn0\",\"prefix\":\"198.18.0.0/15\",\"port\":0}]\n");
	unit_end();

	unit_begin("pass show: none is an empty array");
	begin(&pass_object, true, "cgn1");
	show(fake_instance("cgn1", 2, 2, 0));
	end();
	CHECK_STR(text, "[]\n");
	unit_end();
}

static void user_cases(void)
{
	unit_begin("user show: plain lines, instance first");
	begin(&user_object, false, "");
	show(fake_user("cgn1", "10.0.0.2", 2));
	show(fake_user("cgn2", "100.64.0.9", 1));
	end();
	CHECK_STR(text,
		  "cgn1 10.0.0.2 -> 198.51.100.7 blocks 1536-2047,4096-4607 mappings 3 sessions 5\n"
		  "cgn2 100.64.0.9 -> 198.51.100.7 blocks 1536-2047 mappings 3 sessions 5\n");
	unit_end();

	unit_begin("user show NAME: plain line, no blocks");
	begin(&user_object, false, "cgn1");
	show(fake_user("cgn1", "10.0.0.2", 0));
	end();
	CHECK_STR(text, "10.0.0.2 -> 198.51.100.7 blocks none mappings 3 sessions 5\n");
	unit_end();

	unit_begin("user show: json");
	begin(&user_object, true, "");
	show(fake_user("cgn1", "10.0.0.2", 2));
	show(fake_user("cgn1", "10.0.0.3", 0));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn1\",\"addr\":\"10.0.0.2\",\"ext_addr\":\"198.51.100.7\","
		  "\"blocks\":[{\"first\":1536,\"last\":2047},{\"first\":4096,\"last\":4607}],"
		  "\"block_size\":512,\"mappings\":3,\"sessions\":5},"
		  "{\"instance\":\"cgn1\",\"addr\":\"10.0.0.3\",\"ext_addr\":\"198.51.100.7\","
		  "\"blocks\":[],\"block_size\":512,\"mappings\":3,\"sessions\":5}]\n");
	unit_end();

	unit_begin("user show: a block at the top ends at 65535");
	{
		struct nl_msg *msg = fake_reply(CGN_CMD_USER_GET, NLM_F_MULTI);
		struct nlattr *nest = nla_nest_start(msg, CGN_A_USER);

		nla_put_string(msg, CGN_USER_A_INSTANCE, "cgn1");
		nla_put_u32(msg, CGN_USER_A_ADDR, ip("10.0.0.2"));
		nla_put_u32(msg, CGN_USER_A_EXT_ADDR, ip("198.51.100.7"));
		nla_put_u16(msg, CGN_USER_A_BLOCK, 65024);
		nla_put_u16(msg, CGN_USER_A_BLOCK, 65500);
		nla_put_u16(msg, CGN_USER_A_BLOCK_SIZE, 512);
		nla_put_u32(msg, CGN_USER_A_MAPPINGS, 0);
		nla_put_u32(msg, CGN_USER_A_SESSIONS, 0);
		nla_nest_end(msg, nest);
		begin(&user_object, false, "cgn1");
		show(msg);
		end();
		CHECK_STR(text, "10.0.0.2 -> 198.51.100.7 blocks 65024-65535,65500-65535 mappings 0 sessions 0\n");
	}
	unit_end();
}

static void pool_nat44_cases(void)
{
	unit_begin("pool show: plain lines");
	begin(&pool_object, false, "");
	show(fake_instance("cgn0", 2, 1, 0));
	end();
	CHECK_STR(text,
		  "cgn0 198.51.100.0/24 ports 1024-65535 block-size 512 blocks 126 blocks-used 3\n"
		  "cgn0 203.0.113.8/29 ports 2000-3999 block-size 1000 blocks 16 blocks-used 0\n");
	unit_end();

	unit_begin("pool show NAME: json");
	begin(&pool_object, true, "cgn0");
	show(fake_instance("cgn0", 1, 0, 0));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"prefix\":\"198.51.100.0/24\",\"port_min\":1024,"
		  "\"port_max\":65535,\"block_size\":512,\"blocks\":126,\"blocks_used\":3}]\n");
	unit_end();

	unit_begin("nat44 show: plain lines");
	begin(&nat44_object, false, "");
	show(fake_instance("cgn0", 1, 2, 0));
	show(fake_instance("cgn1", 0, 0, 0));
	end();
	CHECK_STR(text, "cgn0 inside 100.64.0.0/10\ncgn0 inside 10.0.0.0/8\n");
	unit_end();

	unit_begin("nat44 show NAME: plain and json");
	begin(&nat44_object, false, "cgn0");
	show(fake_instance("cgn0", 0, 1, 0));
	end();
	CHECK_STR(text, "inside 100.64.0.0/10\n");
	begin(&nat44_object, true, "cgn0");
	show(fake_instance("cgn0", 0, 1, 0));
	end();
	CHECK_STR(text, "[{\"instance\":\"cgn0\",\"inside\":\"100.64.0.0/10\"}]\n");
	unit_end();
}

static void stats_cases(void)
{
	int pads;

	unit_begin("stats: plain lines");
	begin(&stats_object, false, "cgn0");
	show(fake_stats("cgn0", &pads));
	end();
	CHECK_STR(text,
		  "sessions 2\nmappings 3\nusers 4\nblocks-used 5\nblocks-total 15\n"
		  "pool-utilisation 33.33%\n"
		  "pkts-out 1099511627782\npkts-in 1099511627783\n"
		  "fast-out 1099511627812\nfast-in 1099511627813\n"
		  "sessions-created 1099511627784\nsessions-expired 1099511627785\n"
		  "drop-no-mapping 1099511627786\ndrop-no-ports 1099511627787\n"
		  "drop-limit 1099511627788\ndrop-malformed 1099511627789\n"
		  "drop-nomem 1099511627790\ndrop-filtered 1099511627792\n"
		  "drop-bad-csum 1099511627793\nicmp-unreach-sent 1099511627794\n"
		  "hairpin 1099511627795\npass 1099511627796\n"
		  "icmp-err-in 1099511627797\nicmp-err-out 1099511627798\n"
		  "drop-standby 1099511627799\nsync-queued 1099511627800\n"
		  "sync-dropped 1099511627801\nsync-applied 1099511627802\n"
		  "sync-refused 1099511627803\n"
		  "softwires 28\ndecap 1099511627805\nencap 1099511627806\n"
		  "drop-b4 1099511627807\ndrop-softwires 1099511627808\n"
		  "drop-tunnel 1099511627809\ndrop-ttl 1099511627810\n"
		  "icmp-aftr-sent 1099511627811\n");
	unit_end();

	unit_begin("stats: json");
	begin(&stats_object, true, "");
	show(fake_stats(NULL, &pads));
	end();
	CHECK_STR(text,
		  "[{\"sessions\":2,\"mappings\":3,\"users\":4,\"blocks_used\":5,"
		  "\"blocks_total\":15,\"pool_utilisation\":33.33,"
		  "\"pkts_out\":1099511627782,\"pkts_in\":1099511627783,"
		  "\"fast_out\":1099511627812,\"fast_in\":1099511627813,"
		  "\"sessions_created\":1099511627784,\"sessions_expired\":1099511627785,"
		  "\"drop_no_mapping\":1099511627786,\"drop_no_ports\":1099511627787,"
		  "\"drop_limit\":1099511627788,\"drop_malformed\":1099511627789,"
		  "\"drop_nomem\":1099511627790,\"drop_filtered\":1099511627792,"
		  "\"drop_bad_csum\":1099511627793,\"icmp_unreach_sent\":1099511627794,"
		  "\"hairpin\":1099511627795,\"pass\":1099511627796,"
		  "\"icmp_err_in\":1099511627797,\"icmp_err_out\":1099511627798,"
		  "\"drop_standby\":1099511627799,\"sync_queued\":1099511627800,"
		  "\"sync_dropped\":1099511627801,\"sync_applied\":1099511627802,"
		  "\"sync_refused\":1099511627803,\"softwires\":28,"
		  "\"decap\":1099511627805,\"encap\":1099511627806,"
		  "\"drop_b4\":1099511627807,\"drop_softwires\":1099511627808,"
		  "\"drop_tunnel\":1099511627809,\"drop_ttl\":1099511627810,"
		  "\"icmp_aftr_sent\":1099511627811}]\n");
	unit_end();
}

/* A stats reply with only the two block gauges. */
static struct nl_msg *blocks_stats(uint32_t used, uint32_t total)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_STATS_GET, 0);
	struct nlattr *nest = nla_nest_start(msg, CGN_A_STATS);

	nla_put_u32(msg, CGN_STATS_A_BLOCKS_USED, used);
	nla_put_u32(msg, CGN_STATS_A_BLOCKS_TOTAL, total);
	nla_nest_end(msg, nest);
	return msg;
}

static void utilisation_cases(void)
{
	static const struct { uint32_t used, total; const char *pct; } cases[] = {
		{ 1, 1008, "0.10" },		/* 0.0992: rounded */
		{ 0, 1008, "0.00" },
		{ 1008, 1008, "100.00" },
		{ 2, 3, "66.67" },
		{ 1, 20000, "0.01" },		/* 0.005: half up */
		{ 1, 20001, "0.00" },
		{ 4294967295u, 4294967295u, "100.00" },
		{ 126, 4032, "3.13" },
	};
	char want[128];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unit_begin("stats: pool-utilisation of %u/%u", cases[i].used,
			   cases[i].total);
		begin(&stats_object, false, "cgn0");
		show(blocks_stats(cases[i].used, cases[i].total));
		end();
		snprintf(want, sizeof(want),
			 "blocks-used %u\nblocks-total %u\npool-utilisation %s%%\n",
			 cases[i].used, cases[i].total, cases[i].pct);
		CHECK_STR(text, want);
		begin(&stats_object, true, "cgn0");
		show(blocks_stats(cases[i].used, cases[i].total));
		end();
		snprintf(want, sizeof(want),
			 "[{\"blocks_used\":%u,\"blocks_total\":%u,\"pool_utilisation\":%s}]\n",
			 cases[i].used, cases[i].total, cases[i].pct);
		CHECK_STR(text, want);
		unit_end();
	}

	unit_begin("stats: no pool-utilisation without blocks");
	begin(&stats_object, false, "cgn0");
	show(blocks_stats(0, 0));
	end();
	CHECK_STR(text, "blocks-used 0\nblocks-total 0\n");
	begin(&stats_object, true, "cgn0");
	show(blocks_stats(0, 0));
	end();
	CHECK_STR(text, "[{\"blocks_used\":0,\"blocks_total\":0}]\n");
	unit_end();

	unit_begin("stats: no pool-utilisation from an older kernel");
	begin(&stats_object, false, "cgn0");
	{
		struct nl_msg *msg = fake_reply(CGN_CMD_STATS_GET, 0);
		struct nlattr *nest = nla_nest_start(msg, CGN_A_STATS);

		nla_put_u32(msg, CGN_STATS_A_BLOCKS_USED, 3);
		nla_nest_end(msg, nest);
		show(msg);
	}
	end();
	CHECK_STR(text, "blocks-used 3\n");
	unit_end();
}

static struct nl_msg *fake_dev(const char *name)
{
	struct nl_msg *msg = fake_reply(CGN_CMD_FASTDEV_GET, NLM_F_MULTI);

	CHECK_INT(nla_put_string(msg, CGN_A_IFNAME, name), 0);
	return msg;
}

static void fastpath_cases(void)
{
	unit_begin("fastpath show: plain lines");
	begin(&fastpath_object, false, "");
	show(fake_dev("b0"));
	show(fake_dev("eth0.100"));
	end();
	CHECK_STR(text, "dev b0\ndev eth0.100\n");
	unit_end();

	unit_begin("fastpath show: json");
	begin(&fastpath_object, true, "");
	show(fake_dev("b0"));
	show(fake_dev("b1"));
	end();
	CHECK_STR(text, "[{\"dev\":\"b0\"},{\"dev\":\"b1\"}]\n");
	unit_end();
}

static void malformed_cases(void)
{
	struct nl_msg *msg;

	unit_begin("show: malformed replies are -EBADMSG");
	begin(&session_object, false, "");
	msg = fake_reply(CGN_CMD_SESSION_GET, 0);
	CHECK_INT(session_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(stats_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(instance_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(pool_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(nat44_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(pass_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(user_object.show(&cli, msg), -EBADMSG);
	CHECK_INT(fastpath_object.show(&cli, msg), -EBADMSG);
	nlmsg_free(msg);
	end();
	CHECK_STR(text, "");
	unit_end();
}

void test_show(void)
{
	session_cases();
	instance_cases();
	pool_nat44_cases();
	pass_cases();
	user_cases();
	stats_cases();
	utilisation_cases();
	fastpath_cases();
	malformed_cases();
	free(text);
	text = NULL;
}
