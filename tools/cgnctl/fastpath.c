// SPDX-License-Identifier: GPL-2.0
/* cgnctl fastpath: the board's fast-path devices. */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cgnctl.h"
#include "msg.h"

static int fastpath_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show")) {
		if (argc > 1)
			return cli_unexpected(cli, argv[1]);
		req->cmd = CGN_CMD_FASTDEV_GET;
		req->dump = true;
		return 0;
	}
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_FASTDEV_NEW;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_FASTDEV_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (argc < 2 || strcmp(argv[1], "dev"))
		return argc < 2 ? cli_missing(cli, "dev DEV") : cli_unexpected(cli, argv[1]);
	if (argc < 3)
		return cli_missing(cli, "DEV");
	if (!argv[2][0] || strlen(argv[2]) >= sizeof(req->ifname) ||
	    strpbrk(argv[2], "/: \t\n"))
		return cli_error(cli, "invalid device name \"%s\"", argv[2]);
	strcpy(req->ifname, argv[2]);
	if (argc > 3)
		return cli_unexpected(cli, argv[3]);
	return 0;
}

static int fastpath_show(struct cli *cli, struct nl_msg *msg)
{
	struct nlattr *tb[CGN_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CGN_A_MAX, cgn_policy) ||
	    !tb[CGN_A_IFNAME])
		return -EBADMSG;
	if (cli->json) {
		json_obj_open(&cli->js, NULL);
		json_str(&cli->js, "dev", nla_get_string(tb[CGN_A_IFNAME]));
		json_obj_close(&cli->js);
	} else {
		fprintf(cli->out, "dev %s\n", nla_get_string(tb[CGN_A_IFNAME]));
	}
	cli->shown++;
	return 0;
}

const struct object fastpath_object = {
	.name = "fastpath",
	.usage =
	"Usage: cgnctl fastpath add dev DEV\n"
	"       cgnctl fastpath del dev DEV\n"
	"       cgnctl fastpath show\n"
	"Instances with \"fastpath on\" forward established flows from DEV's\n"
	"ingress, before the IPv4 stack (as an nftables flowtable does);\n"
	"elsewhere from PRE_ROUTING. A device leaves the list when it goes.\n",
	.parse = fastpath_parse,
	.show = fastpath_show,
};
