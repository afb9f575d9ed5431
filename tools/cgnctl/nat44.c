// SPDX-License-Identifier: GPL-2.0
/* cgnctl nat44: the inside prefixes an instance translates. */
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

static int nat44_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show"))
		return cli_show_instances(cli, argc, argv);
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_INSIDE_NEW;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_INSIDE_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (cli_name(cli, argc > 1 ? argv[1] : NULL))
		return EXIT_USAGE;
	if (argc < 3)
		return cli_missing(cli, "\"inside PREFIX\"");
	if (strcmp(argv[2], "inside"))
		return cli_error(cli, "expected \"inside\", not \"%s\"", argv[2]);
	if (cli_prefix(cli, argc > 3 ? argv[3] : NULL, &req->prefix))
		return EXIT_USAGE;
	return argc > 4 ? cli_unexpected(cli, argv[4]) : 0;
}

static int nat44_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_instance_info info;
	char buf[CGN_PREFIX_STRLEN];
	int err = cgn_instance_parse(msg, &info);
	unsigned int i;

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	for (i = 0; i < info.n_insides; i++, cli->shown++) {
		cgn_fmt_prefix(&info.insides[i], buf);
		if (cli->json) {
			json_obj_open(&cli->js, NULL);
			json_str(&cli->js, "instance", info.name);
			json_str(&cli->js, "inside", buf);
			json_obj_close(&cli->js);
		} else if (!cli->req.instance[0]) {
			fprintf(cli->out, "%s inside %s\n", info.name, buf);
		} else {
			fprintf(cli->out, "inside %s\n", buf);
		}
	}
	cgn_instance_free(&info);
	return 0;
}

const struct object nat44_object = {
	.name = "nat44",
	.usage =
	"Usage: cgnctl nat44 add NAME inside PREFIX\n"
	"       cgnctl nat44 del NAME inside PREFIX\n"
	"       cgnctl nat44 show [NAME]\n",
	.parse = nat44_parse,
	.show = nat44_show,
};
