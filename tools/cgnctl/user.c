// SPDX-License-Identifier: GPL-2.0
/* cgnctl user: subscribers, their pool address and port blocks. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

/* An IPv4 address (digits and dots) or a B4's IPv6 one (a colon). */
static bool looks_like_addr(const char *s)
{
	return (strchr(s, '.') && !s[strspn(s, "0123456789.")]) || strchr(s, ':');
}

static int user_addr(struct cli *cli, const char *arg)
{
	struct cgn_user *f = &cli->req.user;

	if (strchr(arg, ':')) {
		if (inet_pton(AF_INET6, arg, f->b4) != 1)
			return cli_error(cli, "invalid address \"%s\"", arg);
		f->has |= CGN_BIT(CGN_USER_A_B4);
		return 0;
	}
	if (cgn_parse_addr(arg, &f->addr))
		return cli_error(cli, "invalid address \"%s\"", arg);
	f->has |= CGN_BIT(CGN_USER_A_ADDR);
	return 0;
}

/* show [NAME] [ADDR]; a lone argument that looks like an address is ADDR. */
static int user_parse(struct cli *cli, int argc, char **argv)
{
	if (argc && strcmp(argv[0], "show"))
		return cli_unknown_verb(cli, argv[0]);
	cli->req.cmd = CGN_CMD_USER_GET;
	cli->req.dump = true;
	if (argc)
		argc--, argv++;
	if (argc > 2)
		return cli_unexpected(cli, argv[2]);
	if (argc == 2)
		return cli_name(cli, argv[0]) ? EXIT_USAGE : user_addr(cli, argv[1]);
	if (argc == 1)
		return looks_like_addr(argv[0]) ? user_addr(cli, argv[0]) :
						  cli_name(cli, argv[0]);
	return 0;
}

/* The last port of the block starting at @first. */
static unsigned int block_last(const struct cgn_user *u, uint16_t first)
{
	unsigned int last = first + (u->block_size ? u->block_size - 1 : 0);

	return last > 65535 ? 65535 : last;
}

static void user_plain(struct cli *cli, const struct cgn_user *u)
{
	char addr[INET6_ADDRSTRLEN], ext[INET_ADDRSTRLEN];
	FILE *f = cli->out;
	unsigned int i;

	/* The instance leads the line unless it was asked for. */
	if (!cli->req.instance[0])
		fprintf(f, "%s ", u->instance);
	if (u->has & CGN_BIT(CGN_USER_A_B4))
		fprintf(f, "b4 %s", inet_ntop(AF_INET6, u->b4, addr, sizeof(addr)));
	else
		fputs(cgn_fmt_addr(u->addr, addr), f);
	fprintf(f, " -> %s blocks ", cgn_fmt_addr(u->ext_addr, ext));
	if (!u->n_blocks)
		fputs("none", f);
	for (i = 0; i < u->n_blocks; i++)
		fprintf(f, "%s%u-%u", i ? "," : "", u->blocks[i],
			block_last(u, u->blocks[i]));
	fprintf(f, " mappings %u sessions %u\n", u->mappings, u->sessions);
}

static void user_json(struct json *js, const struct cgn_user *u)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	json_obj_open(js, NULL);
	json_str(js, "instance", u->instance);
	json_str(js, "addr", cgn_fmt_addr(u->addr, buf));
	if (u->has & CGN_BIT(CGN_USER_A_B4))
		json_str(js, "b4", inet_ntop(AF_INET6, u->b4, buf, sizeof(buf)));
	json_str(js, "ext_addr", cgn_fmt_addr(u->ext_addr, buf));
	json_arr_open(js, "blocks");
	for (i = 0; i < u->n_blocks; i++) {
		json_obj_open(js, NULL);
		json_uint(js, "first", u->blocks[i]);
		json_uint(js, "last", block_last(u, u->blocks[i]));
		json_obj_close(js);
	}
	json_arr_close(js);
	json_uint(js, "block_size", u->block_size);
	json_uint(js, "mappings", u->mappings);
	json_uint(js, "sessions", u->sessions);
	json_obj_close(js);
}

static int user_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_user u;
	int err = cgn_user_parse(msg, &u);

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	if (cli->json)
		user_json(&cli->js, &u);
	else
		user_plain(cli, &u);
	cli->shown++;
	cgn_user_free(&u);
	return 0;
}

const struct object user_object = {
	.name = "user",
	.usage = "Usage: cgnctl user show [NAME] [ADDR | B4ADDR]\n",
	.parse = user_parse,
	.show = user_show,
};
