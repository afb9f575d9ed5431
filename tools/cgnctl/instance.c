// SPDX-License-Identifier: GPL-2.0
/* cgnctl instance: add, set, del and show NAT instances. */
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

static int instance_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show"))
		return cli_show_instances(cli, argc, argv);
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_INSTANCE_NEW;
	else if (!strcmp(verb, "set"))
		req->cmd = CGN_CMD_INSTANCE_SET;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_INSTANCE_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (cli_name(cli, argc > 1 ? argv[1] : NULL))
		return EXIT_USAGE;
	if (req->cmd == CGN_CMD_INSTANCE_DEL)
		return argc > 2 ? cli_unexpected(cli, argv[2]) : 0;
	if (settings_parse(cli, argc - 2, argv + 2))
		return EXIT_USAGE;
	if (req->cmd == CGN_CMD_INSTANCE_SET && !req->config.has)
		return cli_missing(cli, "SETTINGS");
	return 0;
}

static void instance_plain(struct cli *cli, const struct cgn_instance_info *info)
{
	char buf[CGN_PREFIX_STRLEN];
	FILE *f = cli->out;
	unsigned int i;

	if (cli->shown)
		fputc('\n', f);
	fprintf(f, "instance %s\n", info->name);
	settings_plain(f, &info->config);
	for (i = 0; i < info->n_pools; i++) {
		fputs("\tpool ", f);
		pool_plain(f, &info->pools[i]);
		fputc('\n', f);
	}
	for (i = 0; i < info->n_insides; i++)
		fprintf(f, "\tinside %s\n", cgn_fmt_prefix(&info->insides[i], buf));
	for (i = 0; i < info->n_passes; i++) {
		fputs("\tpass ", f);
		pass_plain(f, &info->passes[i]);
		fputc('\n', f);
	}
}

static void instance_json(struct json *js, const struct cgn_instance_info *info)
{
	char buf[CGN_PREFIX_STRLEN];
	unsigned int i;

	json_obj_open(js, NULL);
	json_str(js, "instance", info->name);
	settings_json(js, &info->config);
	json_arr_open(js, "pools");
	for (i = 0; i < info->n_pools; i++) {
		json_obj_open(js, NULL);
		pool_json(js, &info->pools[i]);
		json_obj_close(js);
	}
	json_arr_close(js);
	json_arr_open(js, "insides");
	for (i = 0; i < info->n_insides; i++)
		json_str(js, NULL, cgn_fmt_prefix(&info->insides[i], buf));
	json_arr_close(js);
	json_arr_open(js, "passes");
	for (i = 0; i < info->n_passes; i++) {
		json_obj_open(js, NULL);
		pass_json(js, &info->passes[i]);
		json_obj_close(js);
	}
	json_arr_close(js);
	json_obj_close(js);
}

static int instance_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_instance_info info;
	int err = cgn_instance_parse(msg, &info);

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	if (cli->json)
		instance_json(&cli->js, &info);
	else
		instance_plain(cli, &info);
	cli->shown++;
	cgn_instance_free(&info);
	return 0;
}

const struct object instance_object = {
	.name = "instance",
	.usage =
	"Usage: cgnctl instance add NAME [SETTINGS]\n"
	"       cgnctl instance set NAME SETTINGS\n"
	"       cgnctl instance del NAME\n"
	"       cgnctl instance show [NAME]\n"
	"SETTINGS := [timeout { udp | tcp-est | tcp-trans | icmp } SECS]...\n"
	"            [max-sessions N] [max-blocks N] [session-limit N]\n"
	"            [filtering { eif | adf | apdf }] [hairpin { on | off }]\n"
	"            [hold-down SECS] [icmp-unreach { on | off }]\n"
	"            [fastpath { on | off }] [role { active | standby }]\n"
	"            [sync-min-age MS]\n"
	"            [tunnel-mtu N] [max-softwires N] [softwire-len N]\n",
	.parse = instance_parse,
	.show = instance_show,
};
