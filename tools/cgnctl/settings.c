// SPDX-License-Identifier: GPL-2.0
/* Instance settings: SETTINGS arguments, and the config of replies. */
#include <string.h>

#include "cgnctl.h"
#include "msg.h"

enum group {
	GROUP_TIMEOUT,		/* timeout udp 300 ... */
	GROUP_LIMIT,		/* max-sessions 2000 max-blocks 4 */
	GROUP_BEHAVIOUR,	/* filtering eif hairpin on ... */
	GROUP_DSLITE,		/* tunnel-mtu 1500 max-softwires 1 ... */
};

static enum group group_of(int attr)
{
	if (attr <= CGN_CONFIG_A_TIMEOUT_ICMP)
		return GROUP_TIMEOUT;
	if (attr <= CGN_CONFIG_A_MAX_BLOCKS)
		return GROUP_LIMIT;
	if (attr == CGN_CONFIG_A_SYNC_MIN_AGE)
		return GROUP_BEHAVIOUR;
	if (attr >= CGN_CONFIG_A_TUNNEL_MTU)
		return GROUP_DSLITE;
	return GROUP_BEHAVIOUR;
}

static const struct cgn_field *find_setting(const char *word, bool timeout)
{
	const struct cgn_field *f;

	for (f = cgn_config_fields; f->word; f++)
		if ((group_of(f->attr) == GROUP_TIMEOUT) == timeout &&
		    !strcmp(word, f->word))
			return f;
	return NULL;
}

/* The value of setting @f, named @key in messages. */
static int parse_value(struct cli *cli, const struct cgn_field *f,
		       const char *key, const char *arg, uint32_t *v)
{
	switch (f->kind) {
	case CGN_KIND_BOOL:
		if (!arg || cgn_bool_parse(arg, v))
			return cli_error(cli, "\"%s\" expects on or off", key);
		return 0;
	case CGN_KIND_FILTERING:
		if (!arg || cgn_filtering_parse(arg, v))
			return cli_error(cli, "\"%s\" expects eif, adf or apdf", key);
		return 0;
	case CGN_KIND_ROLE:
		if (!arg || cgn_role_parse(arg, v))
			return cli_error(cli, "\"%s\" expects active or standby", key);
		return 0;
	case CGN_KIND_NUM:
		break;
	}
	return cli_u32(cli, key, arg, v);
}

/* SETTINGS, in any order, each at most once. */
int settings_parse(struct cli *cli, int argc, char **argv)
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
		if (parse_value(cli, f, key, argc > 1 ? argv[1] : NULL,
				&cfg->val[f->attr]))
			return EXIT_USAGE;
		cfg->has |= CGN_BIT(f->attr);
		argc -= 2, argv += 2;
	}
	return 0;
}

static void value_plain(FILE *f, const struct cgn_field *fl, uint32_t v)
{
	const char *name = NULL;

	if (fl->kind == CGN_KIND_BOOL && v <= 1)
		name = v ? "on" : "off";
	else if (fl->kind == CGN_KIND_FILTERING)
		name = cgn_filtering_name(v);
	else if (fl->kind == CGN_KIND_ROLE)
		name = cgn_role_name(v);
	if (name)
		fprintf(f, "%s %s", fl->word, name);
	else
		fprintf(f, "%s %u", fl->word, v);
}

/* One line of a group of settings, if the reply has any of them. */
static void group_plain(FILE *f, const struct cgn_config *cfg, enum group g)
{
	const char *sep = g == GROUP_TIMEOUT ? "\ttimeout " : "\t";
	const struct cgn_field *fl;

	for (fl = cgn_config_fields; fl->word; fl++) {
		if (group_of(fl->attr) != g || !(cfg->has & CGN_BIT(fl->attr)))
			continue;
		fputs(sep, f);
		value_plain(f, fl, cfg->val[fl->attr]);
		sep = " ";
	}
	if (sep[0] == ' ')
		fputc('\n', f);
}

void settings_plain(FILE *f, const struct cgn_config *cfg)
{
	group_plain(f, cfg, GROUP_TIMEOUT);
	group_plain(f, cfg, GROUP_LIMIT);
	group_plain(f, cfg, GROUP_BEHAVIOUR);
	group_plain(f, cfg, GROUP_DSLITE);
}

void settings_json(struct json *js, const struct cgn_config *cfg)
{
	const struct cgn_field *fl;
	const char *name;
	uint32_t v;

	for (fl = cgn_config_fields; fl->word; fl++) {
		if (!(cfg->has & CGN_BIT(fl->attr)))
			continue;
		v = cfg->val[fl->attr];
		name = fl->kind == CGN_KIND_FILTERING ? cgn_filtering_name(v) :
		       fl->kind == CGN_KIND_ROLE ? cgn_role_name(v) : NULL;
		if (fl->kind == CGN_KIND_BOOL)
			json_bool(js, fl->key, v);
		else if (name)
			json_str(js, fl->key, name);
		else
			json_uint(js, fl->key, v);
	}
}
