/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sync entries: what the event messages, the bulk dump and the apply
 * command carry (entry.c), and applying them to a standby instance
 * (replica.c).
 */
#ifndef _CGN_SYNC_H
#define _CGN_SYNC_H

#include <net/netlink.h>

#include "netlink.h"

#define CGN_ENTRY_MAX_BLOCKS	CGN_MAX_BLOCKS

/* The key of an entry, and for a deletion all it carries. */
struct cgn_entry_key {
	u8 type;		/* enum cgn_entry_type */
	u8 proto;
	__be16 port;
	__be32 addr;
	__be32 rem_addr;
	__be16 rem_port;
	struct in6_addr b4;	/* DS-Lite, else zero */
};

/* An entry from the peer, validated. */
struct cgn_entry {
	struct cgn_entry_key key;
	bool del;
	bool held;
	struct cgn_instance *inst;	/* not for a deletion */
	struct cgn_pool *pool;		/* a user's */
	__be32 ext_addr;
	__be16 ext_port;
	u8 state;
	u8 fin;
	u32 timeout;			/* ms */
	u32 nblocks;
	u32 blocks[CGN_ENTRY_MAX_BLOCKS];
};

/* entry.c */
int cgn_put_user_entry(struct sk_buff *skb, const struct cgn_user *u);
int cgn_put_mapping_entry(struct sk_buff *skb, const struct cgn_mapping *m);
int cgn_put_session_entry(struct sk_buff *skb, const struct cgn_session *s);
int cgn_put_entry_del(struct sk_buff *skb, const struct cgn_entry_key *key);
int cgn_entry_parse(struct cgn_net *cn, const struct nlattr *nla,
		    struct cgn_entry *e, struct netlink_ext_ack *extack);

/* replica.c */
int cgn_replica_apply(struct cgn_net *cn, const struct cgn_entry *e);
void cgn_replica_begin(struct cgn_net *cn, struct cgn_instance *inst);
void cgn_replica_end(struct cgn_net *cn, struct cgn_instance *inst);
void cgn_replica_promote(struct cgn_net *cn, struct cgn_instance *inst);

#endif /* _CGN_SYNC_H */
