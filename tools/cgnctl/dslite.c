// SPDX-License-Identifier: GPL-2.0
/* cgnctl dslite: the AFTR address of an instance and the B4s it serves. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgnctl.h"
#include "msg.h"
#include "parse.h"

/* "ADDR6" for aftr, "ADDR6[/LEN]" for b4; host bits are the kernel's call. */
static int dslite_addr(struct cli *cli, const char *arg, bool prefix)
{
	struct cgn_prefix6 *p = &cli->req.dslite;
	char buf[INET6_ADDRSTRLEN];
	const char *slash;
	uint32_t len = 128;
	size_t n;

	if (!arg)
		return cli_missing(cli, prefix ? "a B4 prefix" : "an AFTR address");
	slash = prefix ? strchr(arg, '/') : NULL;
	n = slash ? (size_t)(slash - arg) : strlen(arg);
	if (n >= sizeof(buf))
		return cli_error(cli, "invalid IPv6 address \"%s\"", arg);
	memcpy(buf, arg, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, p->addr) != 1)
		return cli_error(cli, "invalid IPv6 address \"%s\"", arg);
	if (slash && (cgn_parse_u32(slash + 1, &len) || len > 128))
		return cli_error(cli, "invalid prefix length in \"%s\"", arg);
	p->len = len;
	return 0;
}

static int dslite_parse(struct cli *cli, int argc, char **argv)
{
	struct cgn_req *req = &cli->req;
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "show"))
		return cli_show_instances(cli, argc, argv);
	if (!strcmp(verb, "add"))
		req->cmd = CGN_CMD_DSLITE_NEW;
	else if (!strcmp(verb, "del"))
		req->cmd = CGN_CMD_DSLITE_DEL;
	else
		return cli_unknown_verb(cli, verb);

	if (cli_name(cli, argc > 1 ? argv[1] : NULL))
		return EXIT_USAGE;
	if (argc < 3)
		return cli_missing(cli, "\"aftr ADDR6\" or \"b4 PREFIX6\"");
	if (!strcmp(argv[2], "aftr"))
		req->aftr = true;
	else if (strcmp(argv[2], "b4"))
		return cli_error(cli, "expected \"aftr\" or \"b4\", not \"%s\"", argv[2]);
	if (dslite_addr(cli, argc > 3 ? argv[3] : NULL, !req->aftr))
		return EXIT_USAGE;
	return argc > 4 ? cli_unexpected(cli, argv[4]) : 0;
}

static void dslite_line(struct cli *cli, const char *inst, const char *what,
			const struct cgn_prefix6 *p)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, p->addr, buf, sizeof(buf));
	if (cli->json) {
		json_obj_open(&cli->js, NULL);
		json_str(&cli->js, "instance", inst);
		json_str(&cli->js, what, buf);
		if (strcmp(what, "aftr"))
			json_uint(&cli->js, "len", p->len);
		json_obj_close(&cli->js);
		return;
	}
	if (!cli->req.instance[0])
		fprintf(cli->out, "%s ", inst);
	if (strcmp(what, "aftr"))
		fprintf(cli->out, "%s %s/%u\n", what, buf, p->len);
	else
		fprintf(cli->out, "%s %s\n", what, buf);
}

static int dslite_show(struct cli *cli, struct nl_msg *msg)
{
	struct cgn_instance_info info;
	int err = cgn_instance_parse(msg, &info);
	unsigned int i;

	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	if (info.aftr.len) {
		dslite_line(cli, info.name, "aftr", &info.aftr);
		cli->shown++;
	}
	for (i = 0; i < info.n_b4s; i++, cli->shown++)
		dslite_line(cli, info.name, "b4", &info.b4s[i]);
	cgn_instance_free(&info);
	return 0;
}

const struct object dslite_object = {
	.name = "dslite",
	.usage =
	"Usage: cgnctl dslite add NAME { aftr ADDR6 | b4 PREFIX6 }\n"
	"       cgnctl dslite del NAME { aftr ADDR6 | b4 PREFIX6 }\n"
	"       cgnctl dslite show [NAME]\n",
	.parse = dslite_parse,
	.show = dslite_show,
};
