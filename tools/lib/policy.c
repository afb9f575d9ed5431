// SPDX-License-Identifier: GPL-2.0
/* Attribute policies, as the kernel replies; used to parse them. */
#include "msg.h"

const struct nla_policy cgn_policy[CGN_A_MAX + 1] = {
	[CGN_A_INSTANCE]	= { .type = NLA_STRING, .maxlen = CGN_NAME_LEN },
	[CGN_A_PREFIX]		= { .type = NLA_NESTED },
	[CGN_A_POOL]		= { .type = NLA_NESTED },
	[CGN_A_CONFIG]		= { .type = NLA_NESTED },
	[CGN_A_POOLS]		= { .type = NLA_NESTED },
	[CGN_A_INSIDES]		= { .type = NLA_NESTED },
	[CGN_A_SESSION]		= { .type = NLA_NESTED },
	[CGN_A_STATS]		= { .type = NLA_NESTED },
	[CGN_A_USER]		= { .type = NLA_NESTED },
	[CGN_A_PASS]		= { .type = NLA_NESTED },
	[CGN_A_PASSES]		= { .type = NLA_NESTED },
	[CGN_A_DSLITE]		= { .type = NLA_NESTED },
	[CGN_A_IFNAME]		= { .type = NLA_STRING, .maxlen = 16 },
};

const struct nla_policy cgn_dslite_policy[CGN_DSLITE_A_MAX + 1] = {
	[CGN_DSLITE_A_AFTR]	= { .minlen = 16, .maxlen = 16 },
	[CGN_DSLITE_A_B4]	= { .type = NLA_NESTED },
};

const struct nla_policy cgn_prefix6_policy[CGN_PREFIX6_A_MAX + 1] = {
	[CGN_PREFIX6_A_ADDR]	= { .minlen = 16, .maxlen = 16 },
	[CGN_PREFIX6_A_LEN]	= { .type = NLA_U8 },
};

const struct nla_policy cgn_prefix_policy[CGN_PREFIX_A_MAX + 1] = {
	[CGN_PREFIX_A_ADDR]	= { .type = NLA_U32 },
	[CGN_PREFIX_A_LEN]	= { .type = NLA_U8 },
};

const struct nla_policy cgn_pool_policy[CGN_POOL_A_MAX + 1] = {
	[CGN_POOL_A_PREFIX]	= { .type = NLA_NESTED },
	[CGN_POOL_A_PORT_MIN]	= { .type = NLA_U16 },
	[CGN_POOL_A_PORT_MAX]	= { .type = NLA_U16 },
	[CGN_POOL_A_BLOCK_SIZE]	= { .type = NLA_U16 },
	[CGN_POOL_A_BLOCKS]	= { .type = NLA_U32 },
	[CGN_POOL_A_BLOCKS_USED] = { .type = NLA_U32 },
};

const struct nla_policy cgn_config_policy[CGN_CONFIG_A_MAX + 1] = {
	[CGN_CONFIG_A_TIMEOUT_UDP]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_TIMEOUT_TCP_EST]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_TIMEOUT_TCP_TRANS] = { .type = NLA_U32 },
	[CGN_CONFIG_A_TIMEOUT_ICMP]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_MAX_SESSIONS]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_MAX_BLOCKS]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_FILTERING]	= { .type = NLA_U8 },
	[CGN_CONFIG_A_ROLE]		= { .type = NLA_U8 },
	[CGN_CONFIG_A_HAIRPIN]		= { .type = NLA_U8 },
	[CGN_CONFIG_A_HOLD_DOWN]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_ICMP_UNREACH]	= { .type = NLA_U8 },
	[CGN_CONFIG_A_SESSION_LIMIT]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_FASTPATH]		= { .type = NLA_U8 },
	[CGN_CONFIG_A_TUNNEL_MTU]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_MAX_SOFTWIRES]	= { .type = NLA_U32 },
	[CGN_CONFIG_A_SOFTWIRE_LEN]	= { .type = NLA_U8 },
	[CGN_CONFIG_A_SYNC_MIN_AGE]	= { .type = NLA_U32 },
};

const struct nla_policy cgn_session_policy[CGN_SESSION_A_MAX + 1] = {
	[CGN_SESSION_A_INSTANCE]	= { .type = NLA_STRING, .maxlen = CGN_NAME_LEN },
	[CGN_SESSION_A_PROTO]		= { .type = NLA_U8 },
	[CGN_SESSION_A_IN_ADDR]		= { .type = NLA_U32 },
	[CGN_SESSION_A_IN_PORT]		= { .type = NLA_U16 },
	[CGN_SESSION_A_EXT_ADDR]	= { .type = NLA_U32 },
	[CGN_SESSION_A_EXT_PORT]	= { .type = NLA_U16 },
	[CGN_SESSION_A_REM_ADDR]	= { .type = NLA_U32 },
	[CGN_SESSION_A_REM_PORT]	= { .type = NLA_U16 },
	[CGN_SESSION_A_STATE]		= { .type = NLA_U8 },
	[CGN_SESSION_A_EXPIRES]		= { .type = NLA_U32 },
	[CGN_SESSION_A_B4]		= { .minlen = 16, .maxlen = 16 },
};

const struct nla_policy cgn_stats_policy[CGN_STATS_A_MAX + 1] = {
	[CGN_STATS_A_SESSIONS]		= { .type = NLA_U32 },
	[CGN_STATS_A_MAPPINGS]		= { .type = NLA_U32 },
	[CGN_STATS_A_USERS]		= { .type = NLA_U32 },
	[CGN_STATS_A_BLOCKS_USED]	= { .type = NLA_U32 },
	[CGN_STATS_A_PKTS_OUT]		= { .type = NLA_U64 },
	[CGN_STATS_A_PKTS_IN]		= { .type = NLA_U64 },
	[CGN_STATS_A_SESSIONS_CREATED]	= { .type = NLA_U64 },
	[CGN_STATS_A_SESSIONS_EXPIRED]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_NO_MAPPING]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_NO_PORTS]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_LIMIT]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_MALFORMED]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_NOMEM]	= { .type = NLA_U64 },
	[CGN_STATS_A_BLOCKS_TOTAL]	= { .type = NLA_U32 },
	[CGN_STATS_A_DROP_FILTERED]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_BAD_CSUM]	= { .type = NLA_U64 },
	[CGN_STATS_A_ICMP_UNREACH_SENT]	= { .type = NLA_U64 },
	[CGN_STATS_A_HAIRPIN]		= { .type = NLA_U64 },
	[CGN_STATS_A_PASS]		= { .type = NLA_U64 },
	[CGN_STATS_A_ICMP_ERR_IN]	= { .type = NLA_U64 },
	[CGN_STATS_A_ICMP_ERR_OUT]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_STANDBY]	= { .type = NLA_U64 },
	[CGN_STATS_A_SYNC_QUEUED]	= { .type = NLA_U64 },
	[CGN_STATS_A_SYNC_DROPPED]	= { .type = NLA_U64 },
	[CGN_STATS_A_SYNC_APPLIED]	= { .type = NLA_U64 },
	[CGN_STATS_A_SYNC_REFUSED]	= { .type = NLA_U64 },
	[CGN_STATS_A_SOFTWIRES]		= { .type = NLA_U32 },
	[CGN_STATS_A_DECAP]		= { .type = NLA_U64 },
	[CGN_STATS_A_ENCAP]		= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_B4]		= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_SOFTWIRES]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_TUNNEL]	= { .type = NLA_U64 },
	[CGN_STATS_A_DROP_TTL]		= { .type = NLA_U64 },
	[CGN_STATS_A_ICMP_AFTR_SENT]	= { .type = NLA_U64 },
	[CGN_STATS_A_FAST_OUT]		= { .type = NLA_U64 },
	[CGN_STATS_A_FAST_IN]		= { .type = NLA_U64 },
};

const struct nla_policy cgn_pass_policy[CGN_PASS_A_MAX + 1] = {
	[CGN_PASS_A_PREFIX]	= { .type = NLA_NESTED },
	[CGN_PASS_A_PORT]	= { .type = NLA_U16 },
};

const struct nla_policy cgn_user_policy[CGN_USER_A_MAX + 1] = {
	[CGN_USER_A_INSTANCE]	= { .type = NLA_STRING, .maxlen = CGN_NAME_LEN },
	[CGN_USER_A_ADDR]	= { .type = NLA_U32 },
	[CGN_USER_A_EXT_ADDR]	= { .type = NLA_U32 },
	[CGN_USER_A_BLOCK]	= { .type = NLA_U16 },
	[CGN_USER_A_BLOCK_SIZE]	= { .type = NLA_U16 },
	[CGN_USER_A_MAPPINGS]	= { .type = NLA_U32 },
	[CGN_USER_A_SESSIONS]	= { .type = NLA_U32 },
	[CGN_USER_A_B4]		= { .minlen = 16, .maxlen = 16 },
};
