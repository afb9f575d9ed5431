// SPDX-License-Identifier: GPL-2.0
/* Names of protocols, TCP states, settings and counters. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "msg.h"

const struct cgn_field cgn_config_fields[] = {
	{ CGN_CONFIG_A_TIMEOUT_UDP,	"udp",		"timeout_udp" },
	{ CGN_CONFIG_A_TIMEOUT_TCP_EST,	"tcp-est",	"timeout_tcp_est" },
	{ CGN_CONFIG_A_TIMEOUT_TCP_TRANS, "tcp-trans",	"timeout_tcp_trans" },
	{ CGN_CONFIG_A_TIMEOUT_ICMP,	"icmp",		"timeout_icmp" },
	{ CGN_CONFIG_A_MAX_SESSIONS,	"max-sessions",	"max_sessions" },
	{ CGN_CONFIG_A_MAX_BLOCKS,	"max-blocks",	"max_blocks" },
	{ 0, NULL, NULL }
};

const struct cgn_field cgn_stats_fields[] = {
	{ CGN_STATS_A_SESSIONS,		"sessions",		"sessions" },
	{ CGN_STATS_A_MAPPINGS,		"mappings",		"mappings" },
	{ CGN_STATS_A_USERS,		"users",		"users" },
	{ CGN_STATS_A_BLOCKS_USED,	"blocks-used",		"blocks_used" },
	{ CGN_STATS_A_PKTS_OUT,		"pkts-out",		"pkts_out" },
	{ CGN_STATS_A_PKTS_IN,		"pkts-in",		"pkts_in" },
	{ CGN_STATS_A_SESSIONS_CREATED,	"sessions-created",	"sessions_created" },
	{ CGN_STATS_A_SESSIONS_EXPIRED,	"sessions-expired",	"sessions_expired" },
	{ CGN_STATS_A_DROP_NO_MAPPING,	"drop-no-mapping",	"drop_no_mapping" },
	{ CGN_STATS_A_DROP_NO_PORTS,	"drop-no-ports",	"drop_no_ports" },
	{ CGN_STATS_A_DROP_LIMIT,	"drop-limit",		"drop_limit" },
	{ CGN_STATS_A_DROP_MALFORMED,	"drop-malformed",	"drop_malformed" },
	{ CGN_STATS_A_DROP_NOMEM,	"drop-nomem",		"drop_nomem" },
	{ 0, NULL, NULL }
};

static const char *const proto_names[] = {
	[IPPROTO_ICMP]	= "icmp",
	[IPPROTO_TCP]	= "tcp",
	[IPPROTO_UDP]	= "udp",
};

static const char *const state_names[] = {
	[CGN_TCP_NONE]		= "none",
	[CGN_TCP_SYN_OUT]	= "syn-out",
	[CGN_TCP_SYN_IN]	= "syn-in",
	[CGN_TCP_ESTABLISHED]	= "established",
	[CGN_TCP_FIN]		= "fin",
	[CGN_TCP_CLOSED]	= "closed",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *cgn_proto_name(uint8_t proto)
{
	return proto < ARRAY_SIZE(proto_names) ? proto_names[proto] : NULL;
}

int cgn_proto_parse(const char *s, uint8_t *proto)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(proto_names); i++) {
		if (proto_names[i] && !strcmp(s, proto_names[i])) {
			*proto = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *cgn_state_name(uint8_t state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}
