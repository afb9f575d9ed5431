// SPDX-License-Identifier: GPL-2.0
/* cgnctl pool: the outside addresses and ports an instance hands out. */
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

/* [ports MIN-MAX] [block-size N] */
static int parse_options(struct cli *cli, int argc, char **argv)
{
	struct cgn_pool *pool = &cli->req.pool;
	uint32_t v;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "ports")) {
			if (pool->has & CGN_BIT(CGN_POOL_A_PORT_MIN))
				return cli_error(cli, "\"ports\" given twice");
			if (argc < 2 || cgn_parse_ports(argv[1], &pool->port_min,
							&pool->port_max))
				return cli_error(cli, "\"ports\" expects MIN-MAX with 1 <= MIN <= MAX <= 65535");
			pool->has |= CGN_BIT(CGN_POOL_A_PORT_MIN) |
				     CGN_BIT(CGN_POOL_A_PORT_MAX);
		} else if (!strcmp(argv[0], "block-size")) {
			if (pool->has & CGN_BIT(CGN_POOL_A_BLOCK_SIZE))
				return cli_error(cli, "\"block-size\" given twice");
			if (argc < 2 || cgn_parse_u32(argv[1], &v) || !v || v > 65535)
				return cli_error(cli, "\"block-size\" expects a number 1..65535");
			pool->block_size = v;
			pool->has |= CGN_BIT(CGN_POOL_A_BLOCK_SIZE);
		} else {
			return cli_unexpected(cli, argv[0]);
		}
	}
	return 0;
}

static int pool_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show"))
		return cli_show_instances(cli, argc, argv);
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_POOL_NEW;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_POOL_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (cli_name(cli, argc > 1 ? argv[1] : NULL) ||
	    cli_prefix(cli, argc > 2 ? argv[2] : NULL, &req->pool.prefix))
		return EXIT_USAGE;
	if (req->cmd == CGN_CMD_POOL_DEL)
		return argc > 3 ? cli_unexpected(cli, argv[3]) : 0;
	return parse_options(cli, argc - 3, argv + 3);
}

void pool_plain(FILE *f, const struct cgn_pool *pool)
{
	char buf[CGN_PREFIX_STRLEN];

	fputs(cgn_fmt_prefix(&pool->prefix, buf), f);
	if (pool->has & CGN_BIT(CGN_POOL_A_PORT_MIN))
		fprintf(f, " ports %u-%u", pool->port_min, pool->port_max);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCK_SIZE))
		fprintf(f, " block-size %u", pool->block_size);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCKS))
		fprintf(f, " blocks %u", pool->blocks);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCKS_USED))
		fprintf(f, " blocks-used %u", pool->blocks_used);
}

void pool_json(struct json *js, const struct cgn_pool *pool)
{
	char buf[CGN_PREFIX_STRLEN];

	json_str(js, "prefix", cgn_fmt_prefix(&pool->prefix, buf));
	if (pool->has & CGN_BIT(CGN_POOL_A_PORT_MIN))
		json_uint(js, "port_min", pool->port_min);
	if (pool->has & CGN_BIT(CGN_POOL_A_PORT_MAX))
		json_uint(js, "port_max", pool->port_max);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCK_SIZE))
		json_uint(js, "block_size", pool->block_size);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCKS))
		json_uint(js, "blocks", pool->blocks);
	if (pool->has & CGN_BIT(CGN_POOL_A_BLOCKS_USED))
		json_uint(js, "blocks_used", pool->blocks_used);
}

static int pool_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_instance_info info;
	int err = cgn_instance_parse(msg, &info);
	unsigned int i;

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	for (i = 0; i < info.n_pools; i++, cli->shown++) {
		if (cli->json) {
			json_obj_open(&cli->js, NULL);
			json_str(&cli->js, "instance", info.name);
			pool_json(&cli->js, &info.pools[i]);
			json_obj_close(&cli->js);
			continue;
		}
		/* The instance leads the line unless it was asked for. */
		if (!cli->req.instance[0])
			fprintf(cli->out, "%s ", info.name);
		pool_plain(cli->out, &info.pools[i]);
		fputc('\n', cli->out);
	}
	cgn_instance_free(&info);
	return 0;
}

const struct object pool_object = {
	.name = "pool",
	.usage =
	"Usage: cgnctl pool add NAME PREFIX [ports MIN-MAX] [block-size N]\n"
	"       cgnctl pool del NAME PREFIX\n"
	"       cgnctl pool show [NAME]\n",
	.parse = pool_parse,
	.show = pool_show,
};
