// SPDX-License-Identifier: GPL-2.0
/* Names of protocols, TCP states, filterings, settings and counters. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "msg.h"

#define NUM	CGN_KIND_NUM
#define BOOL	CGN_KIND_BOOL

const struct cgn_field cgn_config_fields[] = {
	{ CGN_CONFIG_A_TIMEOUT_UDP,	"udp",		"timeout_udp",		NUM },
	{ CGN_CONFIG_A_TIMEOUT_TCP_EST,	"tcp-est",	"timeout_tcp_est",	NUM },
	{ CGN_CONFIG_A_TIMEOUT_TCP_TRANS, "tcp-trans",	"timeout_tcp_trans",	NUM },
	{ CGN_CONFIG_A_TIMEOUT_ICMP,	"icmp",		"timeout_icmp",		NUM },
	{ CGN_CONFIG_A_MAX_SESSIONS,	"max-sessions",	"max_sessions",		NUM },
	{ CGN_CONFIG_A_MAX_BLOCKS,	"max-blocks",	"max_blocks",		NUM },
	{ CGN_CONFIG_A_FILTERING,	"filtering",	"filtering",	CGN_KIND_FILTERING },
	{ CGN_CONFIG_A_HAIRPIN,		"hairpin",	"hairpin",		BOOL },
	{ CGN_CONFIG_A_HOLD_DOWN,	"hold-down",	"hold_down",		NUM },
	{ CGN_CONFIG_A_ICMP_UNREACH,	"icmp-unreach",	"icmp_unreach",		BOOL },
	{ CGN_CONFIG_A_SESSION_LIMIT,	"session-limit", "session_limit",	NUM },
	{ CGN_CONFIG_A_FASTPATH,	"fastpath",	"fastpath",		BOOL },
	{ CGN_CONFIG_A_ROLE,		"role",		"role",		CGN_KIND_ROLE },
	{ CGN_CONFIG_A_TUNNEL_MTU,	"tunnel-mtu",	"tunnel_mtu",		NUM },
	{ CGN_CONFIG_A_MAX_SOFTWIRES,	"max-softwires", "max_softwires",	NUM },
	{ CGN_CONFIG_A_SOFTWIRE_LEN,	"softwire-len",	"softwire_len",		NUM },
	{ CGN_CONFIG_A_SYNC_MIN_AGE,	"sync-min-age",	"sync_min_age",		NUM },
	{ 0, NULL, NULL, NUM }
};

/* In the order printed: blocks-total follows blocks-used. */
const struct cgn_field cgn_stats_fields[] = {
	{ CGN_STATS_A_SESSIONS,		"sessions",		"sessions",		NUM },
	{ CGN_STATS_A_MAPPINGS,		"mappings",		"mappings",		NUM },
	{ CGN_STATS_A_USERS,		"users",		"users",		NUM },
	{ CGN_STATS_A_BLOCKS_USED,	"blocks-used",		"blocks_used",		NUM },
	{ CGN_STATS_A_BLOCKS_TOTAL,	"blocks-total",		"blocks_total",		NUM },
	{ CGN_STATS_A_PKTS_OUT,		"pkts-out",		"pkts_out",		NUM },
	{ CGN_STATS_A_PKTS_IN,		"pkts-in",		"pkts_in",		NUM },
	{ CGN_STATS_A_FAST_OUT,		"fast-out",		"fast_out",		NUM },
	{ CGN_STATS_A_FAST_IN,		"fast-in",		"fast_in",		NUM },
	{ CGN_STATS_A_SESSIONS_CREATED,	"sessions-created",	"sessions_created",	NUM },
	{ CGN_STATS_A_SESSIONS_EXPIRED,	"sessions-expired",	"sessions_expired",	NUM },
	{ CGN_STATS_A_DROP_NO_MAPPING,	"drop-no-mapping",	"drop_no_mapping",	NUM },
	{ CGN_STATS_A_DROP_NO_PORTS,	"drop-no-ports",	"drop_no_ports",	NUM },
	{ CGN_STATS_A_DROP_LIMIT,	"drop-limit",		"drop_limit",		NUM },
	{ CGN_STATS_A_DROP_MALFORMED,	"drop-malformed",	"drop_malformed",	NUM },
	{ CGN_STATS_A_DROP_NOMEM,	"drop-nomem",		"drop_nomem",		NUM },
	{ CGN_STATS_A_DROP_FILTERED,	"drop-filtered",	"drop_filtered",	NUM },
	{ CGN_STATS_A_DROP_BAD_CSUM,	"drop-bad-csum",	"drop_bad_csum",	NUM },
	{ CGN_STATS_A_ICMP_UNREACH_SENT, "icmp-unreach-sent",	"icmp_unreach_sent",	NUM },
	{ CGN_STATS_A_HAIRPIN,		"hairpin",		"hairpin",		NUM },
	{ CGN_STATS_A_PASS,		"pass",			"pass",			NUM },
	{ CGN_STATS_A_ICMP_ERR_IN,	"icmp-err-in",		"icmp_err_in",		NUM },
	{ CGN_STATS_A_ICMP_ERR_OUT,	"icmp-err-out",		"icmp_err_out",		NUM },
	{ CGN_STATS_A_DROP_STANDBY,	"drop-standby",		"drop_standby",		NUM },
	{ CGN_STATS_A_SYNC_QUEUED,	"sync-queued",		"sync_queued",		NUM },
	{ CGN_STATS_A_SYNC_DROPPED,	"sync-dropped",		"sync_dropped",		NUM },
	{ CGN_STATS_A_SYNC_APPLIED,	"sync-applied",		"sync_applied",		NUM },
	{ CGN_STATS_A_SYNC_REFUSED,	"sync-refused",		"sync_refused",		NUM },
	{ CGN_STATS_A_SOFTWIRES,	"softwires",		"softwires",		NUM },
	{ CGN_STATS_A_DECAP,		"decap",		"decap",		NUM },
	{ CGN_STATS_A_ENCAP,		"encap",		"encap",		NUM },
	{ CGN_STATS_A_DROP_B4,		"drop-b4",		"drop_b4",		NUM },
	{ CGN_STATS_A_DROP_SOFTWIRES,	"drop-softwires",	"drop_softwires",	NUM },
	{ CGN_STATS_A_DROP_TUNNEL,	"drop-tunnel",		"drop_tunnel",		NUM },
	{ CGN_STATS_A_DROP_TTL,		"drop-ttl",		"drop_ttl",		NUM },
	{ CGN_STATS_A_ICMP_AFTR_SENT,	"icmp-aftr-sent",	"icmp_aftr_sent",	NUM },
	{ 0, NULL, NULL, NUM }
};

#undef NUM
#undef BOOL

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

static const char *const filtering_names[] = {
	[CGN_FILTER_EIF]	= "eif",
	[CGN_FILTER_ADF]	= "adf",
	[CGN_FILTER_APDF]	= "apdf",
};

static const char *const role_names[] = {
	[CGN_ROLE_ACTIVE]	= "active",
	[CGN_ROLE_STANDBY]	= "standby",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Index of @s in @names, or -1. */
static int lookup(const char *const *names, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
}

const char *cgn_proto_name(uint8_t proto)
{
	return proto < ARRAY_SIZE(proto_names) ? proto_names[proto] : NULL;
}

int cgn_proto_parse(const char *s, uint8_t *proto)
{
	int i = lookup(proto_names, ARRAY_SIZE(proto_names), s);

	if (i < 0)
		return -EINVAL;
	*proto = i;
	return 0;
}

const char *cgn_state_name(uint8_t state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}

const char *cgn_filtering_name(uint32_t filtering)
{
	return filtering < ARRAY_SIZE(filtering_names) ?
	       filtering_names[filtering] : NULL;
}

int cgn_filtering_parse(const char *s, uint32_t *filtering)
{
	int i = lookup(filtering_names, ARRAY_SIZE(filtering_names), s);

	if (i < 0)
		return -EINVAL;
	*filtering = i;
	return 0;
}

const char *cgn_role_name(uint32_t role)
{
	return role < ARRAY_SIZE(role_names) ? role_names[role] : NULL;
}

int cgn_role_parse(const char *s, uint32_t *role)
{
	int i = lookup(role_names, ARRAY_SIZE(role_names), s);

	if (i < 0)
		return -EINVAL;
	*role = i;
	return 0;
}

int cgn_bool_parse(const char *s, uint32_t *v)
{
	static const char *const names[] = { "off", "on" };
	int i = lookup(names, ARRAY_SIZE(names), s);

	if (i < 0)
		return -EINVAL;
	*v = i;
	return 0;
}
