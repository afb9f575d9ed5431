// SPDX-License-Identifier: GPL-2.0
/*
 * cgnctl board: pair this board with its peer and show the replication,
 * through the control socket of the board's cgn-syncd (not netlink).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgnctl.h"
#include "parse.h"

static bool valid_addr(const char *s)
{
	struct in6_addr a;

	return inet_pton(AF_INET, s, &a) == 1 || inet_pton(AF_INET6, s, &a) == 1;
}

static int add(struct cli *cli, const char *key, const char *val)
{
	size_t len = strlen(cli->ctl);

	if (strchr(val, ' ') || strchr(val, '\n') || !*val)
		return cli_error(cli, "invalid %s \"%s\"", key, val);
	if (len + strlen(key) + strlen(val) + 3 >= sizeof(cli->ctl))
		return cli_error(cli, "%s \"%s\" is too long", key, val);
	snprintf(cli->ctl + len, sizeof(cli->ctl) - len, " %s %s", key, val);
	return 0;
}

static int pair_parse(struct cli *cli, int argc, char **argv)
{
	const char *local = NULL, *peer = NULL, *key = NULL;
	uint32_t port = 0;
	int i;

	for (i = 0; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "local") || !strcmp(argv[i], "peer")) {
			if (!val || !valid_addr(val))
				return cli_error(cli, "\"%s\" expects an IPv4 or IPv6 address",
						 argv[i]);
			*(argv[i][0] == 'l' ? &local : &peer) = val;
		} else if (!strcmp(argv[i], "port")) {
			if (!val || cgn_parse_u32(val, &port) || !port ||
			    port > 65535)
				return cli_error(cli, "\"port\" expects a number 1..65535");
		} else if (!strcmp(argv[i], "key")) {
			if (!val)
				return cli_error(cli, "\"key\" expects a file name");
			key = val;
		} else {
			return cli_unexpected(cli, argv[i]);
		}
	}
	if (!local)
		return cli_missing(cli, "local ADDR");
	if (!peer)
		return cli_missing(cli, "peer ADDR");
	strcpy(cli->ctl, "pair");
	if (add(cli, "local", local) || add(cli, "peer", peer))
		return EXIT_USAGE;
	if (port) {
		char buf[12];

		snprintf(buf, sizeof(buf), "%u", port);
		add(cli, "port", buf);
	}
	return key ? add(cli, "key", key) : 0;
}

/* An instance name as cgn takes it: 1..15 printable characters. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == ',')
			return false;
	return n && n < 16;
}

static int mode_parse(struct cli *cli, int argc, char **argv)
{
	char buf[sizeof(cli->ctl)], *tok, *save;

	if (!argc)
		return cli_missing(cli, "1:1 { master | backup } or 1+1 own INSTANCE[,INSTANCE...]");
	if (!strcmp(argv[0], "1:1")) {
		if (argc < 2 || (strcmp(argv[1], "master") && strcmp(argv[1], "backup")))
			return cli_error(cli, "\"1:1\" expects master or backup");
		if (argc > 2)
			return cli_unexpected(cli, argv[2]);
		snprintf(cli->ctl, sizeof(cli->ctl), "mode 1:1 %s", argv[1]);
		return 0;
	}
	if (strcmp(argv[0], "1+1"))
		return cli_error(cli, "unknown mode \"%s\": 1:1 or 1+1", argv[0]);
	if (argc < 2 || strcmp(argv[1], "own"))
		return cli_missing(cli, "own INSTANCE[,INSTANCE...]");
	if (argc < 3)
		return cli_error(cli, "\"own\" expects INSTANCE[,INSTANCE...]");
	if (argc > 3)
		return cli_unexpected(cli, argv[3]);
	if (strlen(argv[2]) >= sizeof(buf) - 16)
		return cli_error(cli, "instance list too long");
	strcpy(buf, argv[2]);
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return cli_error(cli, "invalid instance list \"%s\"", argv[2]);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!valid_name(tok))
			return cli_error(cli, "invalid instance name \"%s\"", tok);
	snprintf(cli->ctl, sizeof(cli->ctl), "mode 1+1 own %s", argv[2]);
	return 0;
}

static int board_parse(struct cli *cli, int argc, char **argv)
{
	const char *verb = argc ? argv[0] : "show";

	if (!strcmp(verb, "pair"))
		return pair_parse(cli, argc - 1, argv + 1);
	if (!strcmp(verb, "mode"))
		return mode_parse(cli, argc - 1, argv + 1);
	if (!strcmp(verb, "switchover")) {
		if (argc > 2)
			return cli_unexpected(cli, argv[2]);
		if (argc == 2 && !valid_name(argv[1]))
			return cli_error(cli, "invalid instance name \"%s\"", argv[1]);
		snprintf(cli->ctl, sizeof(cli->ctl), "switchover%s%s",
			 argc == 2 ? " " : "", argc == 2 ? argv[1] : "");
		return 0;
	}
	if (strcmp(verb, "unpair") && strcmp(verb, "show"))
		return cli_unknown_verb(cli, verb);
	if (argc > 1)
		return cli_unexpected(cli, argv[1]);
	strcpy(cli->ctl, verb);
	return 0;
}

/*
 * The agent's JSON: objects, strings and unsigned numbers. Printed as
 * "key value" lines (nested keys joined by dots) or rewritten as JSON.
 */
struct walk {
	struct cli *cli;
	const char *p;
	char path[256];
};

static void skip(struct walk *w)
{
	while (*w->p == ' ' || *w->p == '\n' || *w->p == '\t' || *w->p == '\r')
		w->p++;
}

static int string(struct walk *w, char *buf, size_t len)
{
	size_t n = 0;

	if (*w->p != '"')
		return -1;
	for (w->p++; *w->p && *w->p != '"'; w->p++) {
		if (*w->p == '\\' && w->p[1])
			w->p++;
		if (n + 1 < len)
			buf[n++] = *w->p;
	}
	if (*w->p != '"')
		return -1;
	w->p++;
	buf[n] = '\0';
	return 0;
}

static int value(struct walk *w, const char *key);

static int object(struct walk *w, const char *key)
{
	size_t plen = strlen(w->path);
	char name[128];

	if (w->cli->json)
		json_obj_open(&w->cli->js, key);
	w->p++;
	for (skip(w); *w->p != '}'; skip(w)) {
		if (string(w, name, sizeof(name)))
			return -1;
		skip(w);
		if (*w->p++ != ':')
			return -1;
		skip(w);
		snprintf(w->path + plen, sizeof(w->path) - plen, "%s%s",
			 plen ? "." : "", name);
		if (value(w, name))
			return -1;
		w->path[plen] = '\0';
		skip(w);
		if (*w->p == ',')
			w->p++;
		else if (*w->p != '}')
			return -1;
	}
	w->p++;
	if (w->cli->json)
		json_obj_close(&w->cli->js);
	return 0;
}

static int value(struct walk *w, const char *key)
{
	char buf[256], *end;
	unsigned long long v;

	if (*w->p == '{')
		return object(w, key);
	if (*w->p == '"') {
		if (string(w, buf, sizeof(buf)))
			return -1;
		if (w->cli->json)
			json_str(&w->cli->js, key, buf);
		else
			fprintf(w->cli->out, "%s %s\n", w->path, buf[0] ? buf : "-");
		return 0;
	}
	v = strtoull(w->p, &end, 10);
	if (end == w->p)
		return -1;
	w->p = end;
	if (w->cli->json)
		json_uint(&w->cli->js, key, v);
	else
		fprintf(w->cli->out, "%s %llu\n", w->path, v);
	return 0;
}

int board_print(struct cli *cli, const char *reply)
{
	struct walk w = { .cli = cli, .p = reply };
	int err;

	skip(&w);
	if (*w.p != '{')
		return -EBADMSG;
	if (cli->json) {
		json_init(&cli->js, cli->out, cli->pretty);
		json_arr_open(&cli->js, NULL);
	}
	err = object(&w, NULL);
	if (cli->json && !err)
		json_arr_close(&cli->js);
	return err ? -EBADMSG : 0;
}

static int board_run(struct cli *cli)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *board = cli->netns ? cli->netns : "default";
	static char reply[16384];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/run/cgn/syncd-%s.sock",
		 board);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "Error: cgn-syncd is not running for board %s.\n",
			board);
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	strcat(cli->ctl, "\n");
	if (write(fd, cli->ctl, strlen(cli->ctl)) < 0)
		len = 0;
	while (len < sizeof(reply) - 1 &&
	       (n = read(fd, reply + len, sizeof(reply) - 1 - len)) > 0)
		len += n;
	close(fd);
	reply[len] = '\0';
	if (len && reply[len - 1] == '\n')
		reply[--len] = '\0';
	if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "Error: %s.\n", reply + 7);
		return EXIT_FAIL;
	}
	if (!strncmp(cli->ctl, "show", 4)) {
		if (board_print(cli, reply)) {
			fprintf(stderr, "Error: unexpected reply from cgn-syncd.\n");
			return EXIT_FAIL;
		}
	} else if (strcmp(reply, "ok")) {
		fprintf(stderr, "Error: unexpected reply from cgn-syncd.\n");
		return EXIT_FAIL;
	}
	fflush(cli->out);
	return 0;
}

const struct object board_object = {
	.name = "board",
	.usage =
	"Usage: cgnctl board pair local ADDR peer ADDR [port N] [key FILE]\n"
	"       cgnctl board unpair\n"
	"       cgnctl board show\n"
	"       cgnctl board mode 1:1 { master | backup }\n"
	"       cgnctl board mode 1+1 own INSTANCE[,INSTANCE...]\n"
	"       cgnctl board switchover [INSTANCE]\n"
	"Talks to the board's cgn-syncd (/run/cgn/syncd-<NETNS|default>.sock).\n"
	"KEY FILE: 32 bytes, or 64 hex digits, the same on both boards.\n"
	"mode: 1:1, the master is active for every instance and the backup\n"
	"standby; 1+1, each board is active for its own instances and standby\n"
	"for the peer's. Either way the survivor of a failure serves them all.\n"
	"switchover moves INSTANCE (default: every instance this board is active\n"
	"for, or if none, every instance of the peer) to the other board once\n"
	"the peer has everything; the addresses follow.\n",
	.parse = board_parse,
	.run = board_run,
};
