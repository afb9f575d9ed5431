// SPDX-License-Identifier: GPL-2.0
/* cgnctl instance: add, set, del and show NAT instances. */
#include <errno.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

static bool is_timeout(int attr)
{
	return attr <= CGN_CONFIG_A_TIMEOUT_ICMP;
}

static const struct cgn_field *find_setting(const char *word, bool timeout)
{
	const struct cgn_field *f;

	for (f = cgn_config_fields; f->word; f++)
		if (is_timeout(f->attr) == timeout && !strcmp(word, f->word))
			return f;
	return NULL;
}

/* SETTINGS: [timeout KIND SECS]... [max-sessions N] [max-blocks N] */
static int parse_settings(struct cli *cli, int argc, char **argv)
{
	struct cgn_config *cfg = &cli->req.config;
	const struct cgn_field *f;
	bool timeout;
	char key[32];

	while (argc > 0) {
		timeout = !strcmp(argv[0], "timeout");
		if (timeout) {
			argc--, argv++;
			f = argc ? find_setting(argv[0], true) : NULL;
			if (!f)
				return cli_error(cli, "\"timeout\" expects udp, tcp-est, tcp-trans or icmp");
		} else {
			f = find_setting(argv[0], false);
			if (!f)
				return cli_error(cli, "unknown setting \"%s\"", argv[0]);
		}
		snprintf(key, sizeof(key), "%s%s", timeout ? "timeout " : "", f->word);
		if (cfg->has & CGN_BIT(f->attr))
			return cli_error(cli, "\"%s\" given twice", key);
		if (cli_u32(cli, key, argc > 1 ? argv[1] : NULL, &cfg->val[f->attr]))
			return EXIT_USAGE;
		cfg->has |= CGN_BIT(f->attr);
		argc -= 2, argv += 2;
	}
	return 0;
}

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
	if (parse_settings(cli, argc - 2, argv + 2))
		return EXIT_USAGE;
	if (req->cmd == CGN_CMD_INSTANCE_SET && !req->config.has)
		return cli_missing(cli, "SETTINGS");
	return 0;
}

/* One line of settings: the timeouts, or the limits. */
static void config_plain(FILE *f, const struct cgn_config *cfg, bool timeouts)
{
	const struct cgn_field *fl;
	const char *sep = timeouts ? "\ttimeout " : "\t";

	for (fl = cgn_config_fields; fl->word; fl++) {
		if (is_timeout(fl->attr) != timeouts || !(cfg->has & CGN_BIT(fl->attr)))
			continue;
		fprintf(f, "%s%s %u", sep, fl->word, cfg->val[fl->attr]);
		sep = " ";
	}
	if (sep[0] == ' ')
		fputc('\n', f);
}

static void instance_plain(struct cli *cli, const struct cgn_instance_info *info)
{
	char buf[CGN_PREFIX_STRLEN];
	FILE *f = cli->out;
	unsigned int i;

	if (cli->shown)
		fputc('\n', f);
	fprintf(f, "instance %s\n", info->name);
	config_plain(f, &info->config, true);
	config_plain(f, &info->config, false);
	for (i = 0; i < info->n_pools; i++) {
		fputs("\tpool ", f);
		pool_plain(f, &info->pools[i]);
		fputc('\n', f);
	}
	for (i = 0; i < info->n_insides; i++)
		fprintf(f, "\tinside %s\n", cgn_fmt_prefix(&info->insides[i], buf));
}

static void instance_json(struct json *js, const struct cgn_instance_info *info)
{
	const struct cgn_config *cfg = &info->config;
	char buf[CGN_PREFIX_STRLEN];
	const struct cgn_field *fl;
	unsigned int i;

	json_obj_open(js, NULL);
	json_str(js, "instance", info->name);
	for (fl = cgn_config_fields; fl->word; fl++)
		if (cfg->has & CGN_BIT(fl->attr))
			json_uint(js, fl->key, cfg->val[fl->attr]);
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
	"            [max-sessions N] [max-blocks N]\n",
	.parse = instance_parse,
	.show = instance_show,
};
