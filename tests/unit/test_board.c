// SPDX-License-Identifier: GPL-2.0
/* cgnctl board: arguments to a cgn-syncd request line, and its output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "cgnctl.h"
#include "fake.h"
#include "frame.h"
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

/* cgn-syncd's STATUS and HANDOVER frames (failover), encoded and decoded. */
static void status_cases(void)
{
	uint8_t p[STATUS_MAX_LEN + 64], buf[FRAME_MAX_LEN];
	const char *why = NULL;
	char name[FRAME_NAME_LEN];
	struct frame f;
	size_t len, total;
	unsigned int i;

	unit_begin("status: round trip");
	len = frame_status(p, 0x1122334455667788ull, 7, 1, 0);
	len = frame_status_add(p, len, "cgn1", STATUS_ACTIVE | STATUS_OWNER);
	len = frame_status_add(p, len, "cgn2", 0);
	CHECK_INT(len, STATUS_HDR_LEN + 2 * STATUS_REC_LEN);
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK(f.epoch == 0x1122334455667788ull);
	CHECK_INT(f.version, 7);
	CHECK_INT(f.ready, 1);
	CHECK_INT(f.bulk_done, 0);
	CHECK_INT(f.n_inst, 2);
	CHECK_INT(frame_status_inst(&f, 0, name), STATUS_ACTIVE | STATUS_OWNER);
	CHECK_STR(name, "cgn1");
	CHECK_INT(frame_status_inst(&f, 1, name), 0);
	CHECK_STR(name, "cgn2");
	unit_end();

	unit_begin("status: malformed refused");
	p[STATUS_HDR_LEN + FRAME_NAME_LEN] = 0x80;	/* unknown flag */
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "malformed status");
	p[STATUS_HDR_LEN + FRAME_NAME_LEN] = 0;
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, len - 1);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	p[12] = 2;					/* ready is 0 or 1 */
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	p[12] = 1;
	memset(p + STATUS_HDR_LEN, 0, FRAME_NAME_LEN);	/* empty name */
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 3, p, 8);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	unit_end();

	unit_begin("status: at most 64 instances");
	len = frame_status(p, 1, 1, 0, 1);
	for (i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "i%u", i);
		len = frame_status_add(p, len, name, STATUS_ACTIVE);
	}
	CHECK_INT(len, STATUS_MAX_LEN);
	total = frame_encode(buf, sizeof(buf), FRAME_STATUS, 0, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_INT(f.n_inst, STATUS_MAX_INST);
	unit_end();

	unit_begin("handover and take request");
	len = frame_handover(p, "cgn2", 0xdeadbeefcafef00dull, 42, 17);
	total = frame_encode(buf, sizeof(buf), FRAME_HANDOVER, 9, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "cgn2");
	CHECK(f.digest == 0xdeadbeefcafef00dull);
	CHECK_INT(f.count, 42);
	CHECK_INT(f.elapsed, 17);
	total = frame_encode(buf, sizeof(buf), FRAME_HANDOVER, 9, p, len - 4);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	len = frame_name(p, "cgn1");
	total = frame_encode(buf, sizeof(buf), FRAME_TAKE_REQ, 9, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "cgn1");
	len = frame_name(p, "");
	total = frame_encode(buf, sizeof(buf), FRAME_TAKE_REQ, 9, p, len);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "empty instance name");
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
	good("board mode 1:1 master", "mode 1:1 master");
	good("-n b2 board mode 1:1 backup", "mode 1:1 backup");
	good("board mode 1+1 own cgn1", "mode 1+1 own cgn1");
	good("board mode 1+1 own cgn1,cgn2", "mode 1+1 own cgn1,cgn2");
	good("board switchover", "switchover");
	good("board switchover cgn2", "switchover cgn2");
	bad("board mode", "missing 1:1 { master | backup } or 1+1 own INSTANCE[,INSTANCE...], try \"cgnctl board help\"");
	bad("board mode 1:1", "\"1:1\" expects master or backup");
	bad("board mode 1:1 leader", "\"1:1\" expects master or backup");
	bad("board mode 1:1 master now", "unexpected argument \"now\"");
	bad("board mode 2:1", "unknown mode \"2:1\": 1:1 or 1+1");
	bad("board mode 1+1", "missing own INSTANCE[,INSTANCE...], try \"cgnctl board help\"");
	bad("board mode 1+1 own", "\"own\" expects INSTANCE[,INSTANCE...]");
	bad("board mode 1+1 own a,,b", "invalid instance list \"a,,b\"");
	bad("board mode 1+1 own a,", "invalid instance list \"a,\"");
	bad("board mode 1+1 own a,0123456789abcdef", "invalid instance name \"0123456789abcdef\"");
	bad("board switchover a b", "unexpected argument \"b\"");
	bad("board switchover 0123456789abcdef", "invalid instance name \"0123456789abcdef\"");
	print_cases();
	status_cases();
}
