// SPDX-License-Identifier: GPL-2.0
/*
 * cgnctl: configure and inspect the cgn carrier-grade NAT module.
 *
 *	cgnctl [-j] [-p] [-n NETNS] OBJECT VERB [ARGS]
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgnctl.h"
#include "msg.h"
#include "nl.h"
#include "netns.h"

/* iproute2 style: "Error: <extack or strerror>." and exit 1. */
static int report(const struct cgn_nl *nl, int err)
{
	const char *msg = nl->msg[0] ? nl->msg : strerror(-err);
	size_t len = strlen(msg);

	if (!err && !nl->msg[0])
		return 0;
	fprintf(stderr, "%s: %s%s\n", err ? "Error" : "Warning", msg,
		len && msg[len - 1] == '.' ? "" : ".");
	return err ? EXIT_FAIL : 0;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct cli *cli = arg;

	return cli->obj->show(cli, msg);
}

static int run(struct cli *cli)
{
	bool get = cli_is_get(cli);
	struct nl_msg *msg;
	struct cgn_nl nl;
	int err;

	err = cgn_nl_open(&nl);
	if (err == -ENOENT) {
		fprintf(stderr, "Error: cgn module not loaded (generic netlink family \"%s\" not found).\n",
			CGN_GENL_NAME);
		return EXIT_FAIL;
	}
	if (err)
		return report(&nl, err);

	msg = nlmsg_alloc();
	err = msg ? cgn_req_build(msg, nl.family, &cli->req) : -ENOMEM;
	if (!err) {
		json_init(&cli->js, cli->out, cli->pretty);
		if (get && cli->json)
			json_arr_open(&cli->js, NULL);
		err = cgn_nl_request(&nl, msg, get ? on_reply : NULL, cli);
		if (get && cli->json)
			json_arr_close(&cli->js);
	}
	nlmsg_free(msg);
	cgn_nl_close(&nl);
	fflush(cli->out);
	return report(&nl, err);
}

int main(int argc, char **argv)
{
	struct cli cli;

	cli_init(&cli, stdout);
	if (cli_parse(&cli, argc - 1, argv + 1)) {
		fprintf(stderr, "cgnctl: %s\n", cli.err);
		return EXIT_USAGE;
	}
	switch (cli.action) {
	case CLI_HELP:
		cli_usage(stdout, cli.obj);
		return 0;
	case CLI_VERSION:
		printf("cgnctl %s (cgn netlink version %d)\n", CGNCTL_VERSION,
		       CGN_GENL_VERSION);
		return 0;
	case CLI_RUN:
		break;
	}
	if (cli.obj->run)
		return cli.obj->run(&cli);
	if (cli.netns && cgn_netns_enter("cgnctl", cli.netns))
		return EXIT_FAIL;
	return run(&cli);
}
