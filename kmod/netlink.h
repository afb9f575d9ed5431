/* SPDX-License-Identifier: GPL-2.0 */
/* The generic netlink family, shared by its files (netlink*.c). */
#ifndef _CGN_NETLINK_H
#define _CGN_NETLINK_H

#include <net/genetlink.h>
#include <net/sock.h>

#include "cgn.h"

#define CGN_MAX_INSTANCES	64
#define CGN_MIN_POOL_LEN	16	/* pool bitmaps stay small */
#define CGN_MAX_TIMEOUT		604800	/* a week */
#define CGN_MAX_BLOCKS		256	/* a user-get reply stays one page */

extern struct genl_family cgn_family;
extern const struct nla_policy cgn_prefix_policy[CGN_PREFIX_A_MAX + 1];
extern const struct nla_policy cgn_prefix6_policy[CGN_PREFIX6_A_MAX + 1];
extern const struct nla_policy cgn_dslite_policy[CGN_DSLITE_A_MAX + 1];
extern const struct nla_policy cgn_pool_policy[CGN_POOL_A_MAX + 1];
extern const struct nla_policy cgn_config_policy[CGN_CONFIG_A_MAX + 1];
extern const struct nla_policy cgn_pass_policy[CGN_PASS_A_MAX + 1];
extern const struct nla_policy cgn_user_policy[CGN_USER_A_MAX + 1];
extern const struct nla_policy cgn_session_policy[CGN_SESSION_A_MAX + 1];

/* netlink.c */
struct cgn_instance *cgn_nl_instance(struct cgn_net *cn, struct nlattr **attrs,
					 struct netlink_ext_ack *extack);
int cgn_nl_prefix(struct nlattr *nest, __be32 *addr, u8 *len,
		     struct netlink_ext_ack *extack);
int cgn_nl_put_prefix(struct sk_buff *skb, int type, __be32 addr, u8 len);

/* netlink_instance.c */
int cgn_instance_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_instance_del_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_instance_set_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_instance_get_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_instance_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink_prefix.c */
int cgn_pool_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_pool_del_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_inside_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_inside_del_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_pass_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_pass_del_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_dslite.c */
int cgn_dslite_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_dslite_del_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_fastdev.c */
int cgn_fastdev_new_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_fastdev_del_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_fastdev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int cgn_put_dslite(struct sk_buff *skb, const struct cgn_instance *inst);

/* netlink_dump.c */
int cgn_user_dump_start(struct netlink_callback *cb);
int cgn_user_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int cgn_session_dump_start(struct netlink_callback *cb);
int cgn_session_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int cgn_table_dump_done(struct netlink_callback *cb);
int cgn_stats_get_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_sync.c */
int cgn_sync_dump_start(struct netlink_callback *cb);
int cgn_sync_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int cgn_sync_dump_done(struct netlink_callback *cb);
int cgn_sync_apply_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_sync_begin_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_sync_end_doit(struct sk_buff *skb, struct genl_info *info);
int cgn_sync_digest_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _CGN_NETLINK_H */
