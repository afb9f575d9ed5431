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
	show(fake_session("cgn1", 1, 9, 1000));
	end();
	CHECK_STR(text,
		  "cgn1 icmp 10.0.0.2:40000 -> 198.51.100.1:1100 <-> 203.0.113.5:53 state 9 expires 1s\n");
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
	show(fake_instance("cgn0", 2, 1));
	show(fake_instance("cgn1", 0, 0));
	end();
	CHECK_STR(text,
		  "instance cgn0\n"
		  "\ttimeout udp 100 tcp-est 200 tcp-trans 300 icmp 400\n"
		  "\tmax-sessions 500 max-blocks 600\n"
		  "\tpool 198.51.100.0/24 ports 1024-65535 block-size 512 blocks 126 blocks-used 3\n"
		  "\tpool 203.0.113.8/29 ports 2000-3999 block-size 1000 blocks 16 blocks-used 0\n"
		  "\tinside 100.64.0.0/10\n"
		  "\n"
		  "instance cgn1\n"
		  "\ttimeout udp 100 tcp-est 200 tcp-trans 300 icmp 400\n"
		  "\tmax-sessions 500 max-blocks 600\n");
	unit_end();

	unit_begin("instance show: json");
	begin(&instance_object, true, "");
	show(fake_instance("cgn0", 1, 2));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"timeout_udp\":100,\"timeout_tcp_est\":200,"
		  "\"timeout_tcp_trans\":300,\"timeout_icmp\":400,\"max_sessions\":500,"
		  "\"max_blocks\":600,\"pools\":[{\"prefix\":\"198.51.100.0/24\","
		  "\"port_min\":1024,\"port_max\":65535,\"block_size\":512,"
		  "\"blocks\":126,\"blocks_used\":3}],"
		  "\"insides\":[\"100.64.0.0/10\",\"10.0.0.0/8\"]}]\n");
	unit_end();
}

static void pool_nat44_cases(void)
{
	unit_begin("pool show: plain lines");
	begin(&pool_object, false, "");
	show(fake_instance("cgn0", 2, 1));
	end();
	CHECK_STR(text,
		  "cgn0 198.51.100.0/24 ports 1024-65535 block-size 512 blocks 126 blocks-used 3\n"
		  "cgn0 203.0.113.8/29 ports 2000-3999 block-size 1000 blocks 16 blocks-used 0\n");
	unit_end();

	unit_begin("pool show NAME: json");
	begin(&pool_object, true, "cgn0");
	show(fake_instance("cgn0", 1, 0));
	end();
	CHECK_STR(text,
		  "[{\"instance\":\"cgn0\",\"prefix\":\"198.51.100.0/24\",\"port_min\":1024,"
		  "\"port_max\":65535,\"block_size\":512,\"blocks\":126,\"blocks_used\":3}]\n");
	unit_end();

	unit_begin("nat44 show: plain lines");
	begin(&nat44_object, false, "");
	show(fake_instance("cgn0", 1, 2));
	show(fake_instance("cgn1", 0, 0));
	end();
	CHECK_STR(text, "cgn0 inside 100.64.0.0/10\ncgn0 inside 10.0.0.0/8\n");
	unit_end();

	unit_begin("nat44 show NAME: plain and json");
	begin(&nat44_object, false, "cgn0");
	show(fake_instance("cgn0", 0, 1));
	end();
	CHECK_STR(text, "inside 100.64.0.0/10\n");
	begin(&nat44_object, true, "cgn0");
	show(fake_instance("cgn0", 0, 1));
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
		  "sessions 2\nmappings 3\nusers 4\nblocks-used 5\n"
		  "pkts-out 1099511627782\npkts-in 1099511627783\n"
		  "sessions-created 1099511627784\nsessions-expired 1099511627785\n"
		  "drop-no-mapping 1099511627786\ndrop-no-ports 1099511627787\n"
		  "drop-limit 1099511627788\ndrop-malformed 1099511627789\n"
		  "drop-nomem 1099511627790\n");
	unit_end();

	unit_begin("stats: json");
	begin(&stats_object, true, "");
	show(fake_stats(NULL, &pads));
	end();
	CHECK_STR(text,
		  "[{\"sessions\":2,\"mappings\":3,\"users\":4,\"blocks_used\":5,"
		  "\"pkts_out\":1099511627782,\"pkts_in\":1099511627783,"
		  "\"sessions_created\":1099511627784,\"sessions_expired\":1099511627785,"
		  "\"drop_no_mapping\":1099511627786,\"drop_no_ports\":1099511627787,"
		  "\"drop_limit\":1099511627788,\"drop_malformed\":1099511627789,"
		  "\"drop_nomem\":1099511627790}]\n");
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
	stats_cases();
	malformed_cases();
	free(text);
	text = NULL;
}
