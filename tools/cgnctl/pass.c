// SPDX-License-Identifier: GPL-2.0
/* cgnctl pass: destinations an instance leaves untranslated. */
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

/* [port N], N in 1..65535; without it, any port. */
static int parse_port(struct cli *cli, int argc, char **argv)
{
	struct cgn_pass *pass = &cli->req.pass;
	uint32_t v;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "port"))
			return cli_unexpected(cli, argv[0]);
		if (pass->port)
			return cli_error(cli, "\"port\" given twice");
		if (argc < 2 || cgn_parse_u32(argv[1], &v) || !v || v > 65535)
			return cli_error(cli, "\"port\" expects a number 1..65535");
		pass->port = v;
	}
	return 0;
}

static int pass_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show"))
		return cli_show_instances(cli, argc, argv);
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_PASS_NEW;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_PASS_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (cli_name(cli, argc > 1 ? argv[1] : NULL) ||
	    cli_prefix(cli, argc > 2 ? argv[2] : NULL, &req->pass.prefix))
		return EXIT_USAGE;
	return parse_port(cli, argc - 3, argv + 3);
}

void pass_plain(FILE *f, const struct cgn_pass *pass)
{
	char buf[CGN_PREFIX_STRLEN];

	fputs(cgn_fmt_prefix(&pass->prefix, buf), f);
	if (pass->port)
		fprintf(f, " port %u", pass->port);
}

void pass_json(struct json *js, const struct cgn_pass *pass)
{
	char buf[CGN_PREFIX_STRLEN];

	json_str(js, "prefix", cgn_fmt_prefix(&pass->prefix, buf));
	json_uint(js, "port", pass->port);
}

static int pass_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_instance_info info;
	int err = cgn_instance_parse(msg, &info);
	unsigned int i;

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	for (i = 0; i < info.n_passes; i++, cli->shown++) {
		if (cli->json) {
			json_obj_open(&cli->js, NULL);
			json_str(&cli->js, "instance", info.name);
			pass_json(&cli->js, &info.passes[i]);
			json_obj_close(&cli->js);
			continue;
		}
		/* The instance leads the line unless it was asked for. */
		if (!cli->req.instance[0])
			fprintf(cli->out, "%s ", info.name);
		fputs("pass ", cli->out);
		pass_plain(cli->out, &info.passes[i]);
		fputc('\n', cli->out);
	}
	cgn_instance_free(&info);
	return 0;
}

const struct object pass_object = {
	.name = "pass",
	.usage =
	"Usage: cgnctl pass add NAME PREFIX [port N]\n"
	"       cgnctl pass del NAME PREFIX [port N]\n"
	"       cgnctl pass show [NAME]\n",
	.parse = pass_parse,
	.show = pass_show,
};
