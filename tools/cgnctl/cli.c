// SPDX-License-Identifier: GPL-2.0
/* Command line: global options, objects, and helpers for their parsers. */
#include <stdarg.h>
#include <string.h>

#include "cgnctl.h"
#include "parse.h"

static const struct object *const objects[] = {
	&instance_object,
	&pool_object,
	&nat44_object,
	&pass_object,
	&dslite_object,
	&user_object,
	&session_object,
	&stats_object,
	&fastpath_object,
	&board_object,
};

#define N_OBJECTS	(sizeof(objects) / sizeof(objects[0]))

void cli_init(struct cli *cli, FILE *out)
{
	memset(cli, 0, sizeof(*cli));
	cli->out = out;
}

int cli_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cli->err, sizeof(cli->err), fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_missing(struct cli *cli, const char *what)
{
	return cli_error(cli, "missing %s, try \"cgnctl %s help\"", what,
			 cli->obj->name);
}

int cli_unexpected(struct cli *cli, const char *arg)
{
	return cli_error(cli, "unexpected argument \"%s\"", arg);
}

int cli_unknown_verb(struct cli *cli, const char *verb)
{
	return cli_error(cli, "unknown %s command \"%s\", try \"cgnctl %s help\"",
			 cli->obj->name, verb, cli->obj->name);
}

int cli_name(struct cli *cli, const char *arg)
{
	if (!arg)
		return cli_missing(cli, "NAME");
	if (cgn_parse_name(arg, cli->req.instance))
		return cli_error(cli, "invalid instance name \"%s\": use 1 to %d of A-Z a-z 0-9 _ . -",
				 arg, CGN_NAME_LEN - 1);
	return 0;
}

int cli_prefix(struct cli *cli, const char *arg, struct cgn_prefix *p)
{
	if (!arg)
		return cli_missing(cli, "PREFIX");
	if (cgn_parse_prefix(arg, p))
		return cli_error(cli, "invalid prefix \"%s\"", arg);
	return 0;
}

int cli_u32(struct cli *cli, const char *key, const char *arg, uint32_t *v)
{
	if (!arg || cgn_parse_u32(arg, v))
		return cli_error(cli, "\"%s\" expects a number 0..%u", key, UINT32_MAX);
	return 0;
}

/* "show [NAME]" of the objects read from instance replies. */
int cli_show_instances(struct cli *cli, int argc, char **argv)
{
	cli->req.cmd = CGN_CMD_INSTANCE_GET;
	if (argc > 2)
		return cli_unexpected(cli, argv[2]);
	if (argc == 2)
		return cli_name(cli, argv[1]);
	cli->req.dump = true;
	return 0;
}

bool cli_is_get(const struct cli *cli)
{
	return cli->req.cmd == CGN_CMD_INSTANCE_GET ||
	       cli->req.cmd == CGN_CMD_SESSION_GET ||
	       cli->req.cmd == CGN_CMD_USER_GET ||
	       cli->req.cmd == CGN_CMD_STATS_GET ||
	       cli->req.cmd == CGN_CMD_FASTDEV_GET;
}

static bool is(const char *arg, const char *s, const char *l)
{
	return !strcmp(arg, s) || !strcmp(arg, l);
}

static int parse_netns(struct cli *cli, const char *arg)
{
	if (!arg)
		return cli_error(cli, "\"-n\" expects a network namespace name");
	if (!*arg || strchr(arg, '/') || !strcmp(arg, ".") || !strcmp(arg, ".."))
		return cli_error(cli, "invalid network namespace name \"%s\"", arg);
	cli->netns = arg;
	return 0;
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
	unsigned int i;

	for (; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "--")) {
			argc--, argv++;
			break;
		} else if (is(argv[0], "-j", "--json")) {
			cli->json = true;
		} else if (is(argv[0], "-p", "--pretty")) {
			cli->pretty = true;
		} else if (is(argv[0], "-n", "--netns")) {
			if (parse_netns(cli, argc > 1 ? argv[1] : NULL))
				return EXIT_USAGE;
			argc--, argv++;
		} else if (is(argv[0], "-V", "--version")) {
			cli->action = CLI_VERSION;
			return 0;
		} else if (is(argv[0], "-h", "--help")) {
			cli->action = CLI_HELP;
			return 0;
		} else {
			return cli_error(cli, "unknown option \"%s\", try \"cgnctl help\"",
					 argv[0]);
		}
	}
	if (!argc)
		return cli_error(cli, "missing OBJECT, try \"cgnctl help\"");
	if (!strcmp(argv[0], "help")) {
		cli->action = CLI_HELP;
		return 0;
	}
	for (i = 0; i < N_OBJECTS; i++)
		if (!strcmp(argv[0], objects[i]->name))
			cli->obj = objects[i];
	if (!cli->obj)
		return cli_error(cli, "unknown object \"%s\", try \"cgnctl help\"",
				 argv[0]);
	if (argc > 1 && !strcmp(argv[1], "help")) {
		cli->action = CLI_HELP;
		return 0;
	}
	return cli->obj->parse(cli, argc - 1, argv + 1);
}

void cli_usage(FILE *f, const struct object *obj)
{
	unsigned int i;

	if (obj) {
		fputs(obj->usage, f);
		return;
	}
	fputs("Usage: cgnctl [-j] [-p] [-n NETNS] OBJECT VERB [ARGS]\n"
	      "       cgnctl OBJECT help | cgnctl help | cgnctl -V\n"
	      "  -j, --json           JSON output\n"
	      "  -p, --pretty         indented JSON (with -j)\n"
	      "  -n, --netns NETNS    work in network namespace /run/netns/NETNS\n"
	      "  -V, --version        print the version\n"
	      "  -h, --help           print this help\n"
	      "OBJECT := { instance | pool | nat44 | pass | dslite | user | session |\n"
	      "            stats | fastpath | board }\n", f);
	for (i = 0; i < N_OBJECTS; i++) {
		fputc('\n', f);
		fputs(objects[i]->usage, f);
	}
}
