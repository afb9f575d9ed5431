// SPDX-License-Identifier: GPL-2.0
/* cgnctl stats: counters of one instance, or of all together. */
#include <errno.h>
#include <inttypes.h>

#include "cgnctl.h"
#include "msg.h"

static int stats_parse(struct cli *cli, int argc, char **argv)
{
	cli->req.cmd = CGN_CMD_STATS_GET;
	if (argc > 1)
		return cli_unexpected(cli, argv[1]);
	return argc ? cli_name(cli, argv[0]) : 0;
}

static int stats_show(struct cli *cli, struct nl_msg *msg)
{
	const struct cgn_field *fl;
	struct cgn_stats st;

	if (cgn_stats_parse(msg, &st))
		return -EBADMSG;
	if (cli->json) {
		json_obj_open(&cli->js, NULL);
		if (st.instance[0])
			json_str(&cli->js, "instance", st.instance);
	}
	for (fl = cgn_stats_fields; fl->word; fl++) {
		if (!(st.has & CGN_BIT(fl->attr)))
			continue;
		if (cli->json)
			json_uint(&cli->js, fl->key, st.val[fl->attr]);
		else
			fprintf(cli->out, "%s %" PRIu64 "\n", fl->word, st.val[fl->attr]);
	}
	if (cli->json)
		json_obj_close(&cli->js);
	cli->shown++;
	return 0;
}

const struct object stats_object = {
	.name = "stats",
	.usage = "Usage: cgnctl stats [NAME]\n",
	.parse = stats_parse,
	.show = stats_show,
};
