// SPDX-License-Identifier: GPL-2.0
/* cgnctl board: arguments to a cgn-syncd request line, and its output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cgnctl.h"
#include "fake.h"
#include "unit.h"

static char line_buf[512];

static int parse(struct cli *cli, const char *line)
{
	char *argv[32];
	int argc;

	snprintf(line_buf, sizeof(line_buf), "%s", line);
	argc = split(line_buf, argv, 32);
	cli_init(cli, stdout);
	return cli_parse(cli, argc, argv);
}

static void good(const char *args, const char *ctl)
{
	struct cli cli;

	unit_begin("board: %s", args);
	CHECK_INT(parse(&cli, args), 0);
	CHECK(cli.obj == &board_object);
	CHECK_STR(cli.ctl, ctl);
	unit_end();
}

static void bad(const char *args, const char *err)
{
	struct cli cli;

	unit_begin("board error: %s", args);
	CHECK_INT(parse(&cli, args), EXIT_USAGE);
	CHECK_STR(cli.err, err);
	unit_end();
}

static const char reply[] =
	"{\"peer_state\":\"up\",\"local\":\"10.0.0.1\",\"peer\":\"10.0.0.2\","
	"\"port\":7611,\"peer_epoch\":\"\",\"bulk_in\":{\"nat1\":\"finished\"},"
	"\"sent\":{\"user\":3,\"mapping\":0},\"bulk_in2\":{}}";

static char *print(bool json, bool pretty, const char *text, int *err)
{
	char *out = NULL;
	struct cli cli;
	size_t len;

	cli_init(&cli, open_memstream(&out, &len));
	cli.json = json;
	cli.pretty = pretty;
	*err = board_print(&cli, text);
	fclose(cli.out);
	return out;
}

static void print_cases(void)
{
	char *out;
	int err;

	unit_begin("board show: plain, nested keys flattened");
	out = print(false, false, reply, &err);
	CHECK_INT(err, 0);
	CHECK_STR(out, "peer_state up\nlocal 10.0.0.1\npeer 10.0.0.2\n"
		  "port 7611\npeer_epoch -\nbulk_in.nat1 finished\n"
		  "sent.user 3\nsent.mapping 0\n");
	free(out);
	unit_end();

	unit_begin("board show: -j wraps the object in an array");
	out = print(true, false, reply, &err);
	CHECK_INT(err, 0);
	CHECK_STR(out, "[{\"peer_state\":\"up\",\"local\":\"10.0.0.1\","
		  "\"peer\":\"10.0.0.2\",\"port\":7611,\"peer_epoch\":\"\","
		  "\"bulk_in\":{\"nat1\":\"finished\"},"
		  "\"sent\":{\"user\":3,\"mapping\":0},\"bulk_in2\":{}}]\n");
	free(out);
	unit_end();

	unit_begin("board show: garbage is refused");
	free(print(false, false, "ok", &err));
	CHECK_INT(err, -EBADMSG);
	free(print(false, false, "{\"a\":", &err));
	CHECK_INT(err, -EBADMSG);
	free(print(false, false, "{\"a\":\"b\"", &err));
	CHECK_INT(err, -EBADMSG);
	unit_end();
}

void test_board(void)
{
	good("board show", "show");
	good("board", "show");
	good("-n b1 board unpair", "unpair");
	good("board pair local 10.0.0.1 peer 10.0.0.2",
	     "pair local 10.0.0.1 peer 10.0.0.2");
	good("board pair peer fd00::2 local fd00::1 port 7000 key /etc/cgn/k",
	     "pair local fd00::1 peer fd00::2 port 7000 key /etc/cgn/k");
	bad("board pair local 10.0.0.1",
	    "missing peer ADDR, try \"cgnctl board help\"");
	bad("board pair peer 10.0.0.1",
	    "missing local ADDR, try \"cgnctl board help\"");
	bad("board pair local 10.0.0.300 peer 10.0.0.2",
	    "\"local\" expects an IPv4 or IPv6 address");
	bad("board pair local 10.0.0.1 peer",
	    "\"peer\" expects an IPv4 or IPv6 address");
	bad("board pair local 10.0.0.1 peer 10.0.0.2 port 0",
	    "\"port\" expects a number 1..65535");
	bad("board pair local 10.0.0.1 peer 10.0.0.2 port 65536",
	    "\"port\" expects a number 1..65535");
	bad("board pair local 10.0.0.1 peer 10.0.0.2 key",
	    "\"key\" expects a file name");
	bad("board pair local 10.0.0.1 peer 10.0.0.2 color red",
	    "unexpected argument \"color\"");
	bad("board show extra", "unexpected argument \"extra\"");
	bad("board bind", "unknown board command \"bind\", try \"cgnctl board help\"");
	print_cases();
}
