/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message builders and reply parsers for the cgn family. None of them does
 * I/O: they fill or read an nl_msg, so they can be tested without a kernel.
 */
#ifndef CGN_MSG_H
#define CGN_MSG_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "types.h"

extern const struct nla_policy cgn_policy[CGN_A_MAX + 1];
extern const struct nla_policy cgn_prefix_policy[CGN_PREFIX_A_MAX + 1];
extern const struct nla_policy cgn_pool_policy[CGN_POOL_A_MAX + 1];
extern const struct nla_policy cgn_config_policy[CGN_CONFIG_A_MAX + 1];
extern const struct nla_policy cgn_session_policy[CGN_SESSION_A_MAX + 1];
extern const struct nla_policy cgn_stats_policy[CGN_STATS_A_MAX + 1];
extern const struct nla_policy cgn_pass_policy[CGN_PASS_A_MAX + 1];
extern const struct nla_policy cgn_user_policy[CGN_USER_A_MAX + 1];
extern const struct nla_policy cgn_dslite_policy[CGN_DSLITE_A_MAX + 1];
extern const struct nla_policy cgn_prefix6_policy[CGN_PREFIX6_A_MAX + 1];

/* Fill @msg with @req for family @family. Returns 0 or -EMSGSIZE. */
int cgn_req_build(struct nl_msg *msg, int family, const struct cgn_req *req);

/* Parse one reply: 0, -EINVAL if it is malformed, or -ENOMEM. */
int cgn_instance_parse(struct nl_msg *msg, struct cgn_instance_info *info);
void cgn_instance_free(struct cgn_instance_info *info);
int cgn_session_parse(struct nl_msg *msg, struct cgn_session *s);
int cgn_stats_parse(struct nl_msg *msg, struct cgn_stats *st);
int cgn_user_parse(struct nl_msg *msg, struct cgn_user *u);
void cgn_user_free(struct cgn_user *u);

/* Names of values and fields, as cgnctl reads and prints them. */
enum cgn_kind {
	CGN_KIND_NUM,			/* a number */
	CGN_KIND_BOOL,			/* on or off; JSON true or false */
	CGN_KIND_FILTERING,		/* enum cgn_filtering, by name */
	CGN_KIND_ROLE,			/* enum cgn_role, by name */
};

struct cgn_field {
	int attr;
	const char *word;		/* plain text: "tcp-est", "pkts-out" */
	const char *key;		/* JSON: "timeout_tcp_est", "pkts_out" */
	enum cgn_kind kind;
};

extern const struct cgn_field cgn_config_fields[];	/* ends with NULL word */
extern const struct cgn_field cgn_stats_fields[];

const char *cgn_proto_name(uint8_t proto);	/* NULL if unknown */
int cgn_proto_parse(const char *s, uint8_t *proto);
const char *cgn_state_name(uint8_t state);	/* NULL if unknown */
const char *cgn_filtering_name(uint32_t filtering);	/* NULL if unknown */
int cgn_filtering_parse(const char *s, uint32_t *filtering);
const char *cgn_role_name(uint32_t role);	/* NULL if unknown */
int cgn_role_parse(const char *s, uint32_t *role);
int cgn_bool_parse(const char *s, uint32_t *v);	/* "on" 1, "off" 0 */

#endif /* CGN_MSG_H */
