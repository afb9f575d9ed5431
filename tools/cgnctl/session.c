// SPDX-License-Identifier: GPL-2.0
/* cgnctl session: the translations in use, one line each. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

/* show [NAME] [proto udp|tcp|icmp] [user ADDR] [b4 ADDR6] */
static int session_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_session *f = &cli->req.filter;

	if (argc && strcmp(argv[0], "show"))
		return cli_unknown_verb(cli, argv[0]);
	cli->req.cmd = CGN_CMD_SESSION_GET;
	cli->req.dump = true;
	if (argc)
		argc--, argv++;
	if (argc && strcmp(argv[0], "proto") && strcmp(argv[0], "user") &&
	    strcmp(argv[0], "b4")) {
		if (cli_name(cli, argv[0]))
			return EXIT_USAGE;
		argc--, argv++;
	}
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "proto")) {
			if (f->has & CGN_BIT(CGN_SESSION_A_PROTO))
				return cli_error(cli, "\"proto\" given twice");
			if (argc < 2 || cgn_proto_parse(argv[1], &f->proto))
				return cli_error(cli, "\"proto\" expects udp, tcp or icmp");
			f->has |= CGN_BIT(CGN_SESSION_A_PROTO);
		} else if (!strcmp(argv[0], "user")) {
			if (f->has & CGN_BIT(CGN_SESSION_A_IN_ADDR))
				return cli_error(cli, "\"user\" given twice");
			if (argc < 2)
				return cli_error(cli, "\"user\" expects an address");
			if (cgn_parse_addr(argv[1], &f->in_addr))
				return cli_error(cli, "invalid address \"%s\"", argv[1]);
			f->has |= CGN_BIT(CGN_SESSION_A_IN_ADDR);
		} else if (!strcmp(argv[0], "b4")) {
			if (f->has & CGN_BIT(CGN_SESSION_A_B4))
				return cli_error(cli, "\"b4\" given twice");
			if (argc < 2 || inet_pton(AF_INET6, argv[1], f->b4) != 1)
				return cli_error(cli, "\"b4\" expects an IPv6 address");
			f->has |= CGN_BIT(CGN_SESSION_A_B4);
		} else {
			return cli_unexpected(cli, argv[0]);
		}
	}
	return 0;
}

/* A name, or the number when it has none. */
static const char *name_or_num(const char *name, uint8_t v, char buf[4])
{
	if (name)
		return name;
	snprintf(buf, 4, "%u", v);
	return buf;
}

/* ICMP has identifiers, not ports, and no remote one. */
static void session_plain(struct cli *cli, const struct cgn_session *s)
{
	char in[INET_ADDRSTRLEN], ext[INET_ADDRSTRLEN], rem[INET_ADDRSTRLEN];
	char b4[INET6_ADDRSTRLEN];
	char proto[4], state[4];
	FILE *f = cli->out;

	/* The instance leads the line unless it was asked for. */
	if (!cli->req.instance[0])
		fprintf(f, "%s ", s->instance);
	cgn_fmt_addr(s->in_addr, in);
	cgn_fmt_addr(s->ext_addr, ext);
	cgn_fmt_addr(s->rem_addr, rem);
	fprintf(f, "%s ", name_or_num(cgn_proto_name(s->proto), s->proto, proto));
	if (s->proto == IPPROTO_ICMP)
		fprintf(f, "%s id %u", in, ntohs(s->in_port));
	else
		fprintf(f, "%s:%u", in, ntohs(s->in_port));
	if (s->has & CGN_BIT(CGN_SESSION_A_B4))
		fprintf(f, " b4 %s", inet_ntop(AF_INET6, s->b4, b4, sizeof(b4)));
	if (s->proto == IPPROTO_ICMP)
		fprintf(f, " -> %s id %u <-> %s", ext, ntohs(s->ext_port), rem);
	else
		fprintf(f, " -> %s:%u <-> %s:%u", ext, ntohs(s->ext_port), rem,
			ntohs(s->rem_port));
	fprintf(f, " state %s expires %us\n",
		name_or_num(cgn_state_name(s->state), s->state, state),
		s->expires / 1000);
}

static void session_json(struct json *js, const struct cgn_session *s)
{
	char buf[INET6_ADDRSTRLEN], num[4];

	json_obj_open(js, NULL);
	json_str(js, "instance", s->instance);
	json_str(js, "proto", name_or_num(cgn_proto_name(s->proto), s->proto, num));
	json_str(js, "in_addr", cgn_fmt_addr(s->in_addr, buf));
	json_uint(js, "in_port", ntohs(s->in_port));
	if (s->has & CGN_BIT(CGN_SESSION_A_B4))
		json_str(js, "b4", inet_ntop(AF_INET6, s->b4, buf, sizeof(buf)));
	json_str(js, "ext_addr", cgn_fmt_addr(s->ext_addr, buf));
	json_uint(js, "ext_port", ntohs(s->ext_port));
	json_str(js, "rem_addr", cgn_fmt_addr(s->rem_addr, buf));
	json_uint(js, "rem_port", ntohs(s->rem_port));
	json_str(js, "state", name_or_num(cgn_state_name(s->state), s->state, num));
	json_uint(js, "expires", s->expires / 1000);
	json_obj_close(js);
}

static int session_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_session s;

	if (cgn_session_parse(msg, &s))
		return -EBADMSG;
	if (cli->json)
		session_json(&cli->js, &s);
	else
		session_plain(cli, &s);
	cli->shown++;
	return 0;
}

const struct object session_object = {
	.name = "session",
	.usage =
	"Usage: cgnctl session show [NAME] [proto { udp | tcp | icmp }] [user ADDR]\n"
	"                           [b4 ADDR6]\n",
	.parse = session_parse,
	.show = session_show,
};
