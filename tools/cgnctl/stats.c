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

/* blocks-used in hundredths of a percent of blocks-total, rounded. */
static uint64_t utilisation(const struct cgn_stats *st)
{
	uint64_t used = st->val[CGN_STATS_A_BLOCKS_USED];
	uint64_t total = st->val[CGN_STATS_A_BLOCKS_TOTAL];

	return (used * 10000 + total / 2) / total;
}

/* After blocks-total: the share of blocks in use, when there are blocks. */
static void utilisation_show(struct cli *cli, const struct cgn_stats *st)
{
	uint64_t u;

	if (!(st->has & CGN_BIT(CGN_STATS_A_BLOCKS_USED)) ||
	    !st->val[CGN_STATS_A_BLOCKS_TOTAL])
		return;
	u = utilisation(st);
	if (cli->json)
		json_decimal(&cli->js, "pool_utilisation", u, 2);
	else
		fprintf(cli->out, "pool-utilisation %" PRIu64 ".%02" PRIu64 "%%\n",
			u / 100, u % 100);
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
		if (fl->attr == CGN_STATS_A_BLOCKS_TOTAL)
			utilisation_show(cli, &st);
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
