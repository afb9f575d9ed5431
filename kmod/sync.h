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

/*
 * An entry from the peer, validated. A user's port blocks stay in its
 * attribute (@nla), checked: cgn_entry_block() reads them.
 */
struct cgn_entry {
	struct cgn_entry_key key;
	bool del;
	bool held;
	u8 state;
	u8 fin;
	__be16 ext_port;
	__be32 ext_addr;
	u32 timeout;			/* ms */
	u32 nblocks;
	int err;			/* of applying it */
	struct cgn_instance *inst;	/* not for a deletion */
	struct cgn_pool *pool;		/* a user's */
	const struct nlattr *nla;
};

/* The block a checked CGN_ENTRY_A_BLOCK of a user entry names. */
static inline u32 cgn_entry_block(const struct cgn_entry *e, const struct nlattr *a)
{
	return (nla_get_u16(a) - e->pool->port_min) / e->pool->block_size;
}

/* entry.c */
int cgn_put_user_entry(struct sk_buff *skb, const struct cgn_user *u);
int cgn_put_mapping_entry(struct sk_buff *skb, const struct cgn_mapping *m);
int cgn_put_session_entry(struct sk_buff *skb, const struct cgn_session *s);
int cgn_put_entry_del(struct sk_buff *skb, const struct cgn_entry_key *key);
int cgn_entry_parse(struct cgn_net *cn, const struct nlattr *nla,
		    struct cgn_entry *e, const struct cgn_entry *prev,
		    struct netlink_ext_ack *extack);

/* replica.c */
void cgn_replica_apply(struct cgn_net *cn, struct cgn_entry *es, unsigned int n);
void cgn_replica_begin(struct cgn_net *cn, struct cgn_instance *inst);
void cgn_replica_end(struct cgn_net *cn, struct cgn_instance *inst);
void cgn_replica_promote(struct cgn_net *cn, struct cgn_instance *inst);

#endif /* _CGN_SYNC_H */
