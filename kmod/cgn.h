/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgn: carrier-grade NAT. Internal definitions shared by the module's files.
 *
 * Every network namespace is an independent board (struct cgn_net). A board
 * holds instances; an instance owns pools (outside addresses cut into port
 * blocks) and inside prefixes. Translation state lives in three per-board
 * tables, all rhashtables read under RCU:
 *
 *   users     subscriber (NAT44: inside address; DS-Lite: the B4's IPv6
 *             address) -> pool address and port blocks
 *   mappings  endpoint-independent mapping, found by its inside key
 *             (proto, inside addr, inside port, B4 or zero) and by its
 *             outside key (proto, pool addr, pool port)
 *   sessions  one per remote endpoint of a mapping, keyed by
 *             (mapping, remote addr, remote port)
 *
 * Lookups and timer refreshes are lockless. Creating or destroying an
 * entry takes the board's table lock.
 */
#ifndef _CGN_H
#define _CGN_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "uapi/cgn.h"

struct cgn_stats {
	u64 pkts_out;
	u64 pkts_in;
	u64 sessions_created;
	u64 sessions_expired;
	u64 drop_no_mapping;
	u64 drop_no_ports;
	u64 drop_limit;
	u64 drop_malformed;
	u64 drop_nomem;
	u64 drop_filtered;
	u64 drop_bad_csum;
	u64 icmp_unreach_sent;
	u64 hairpin;
	u64 pass;
	u64 icmp_err_in;
	u64 icmp_err_out;
	u64 drop_standby;
	u64 sync_queued;
	u64 sync_dropped;
	u64 sync_applied;
	u64 sync_refused;
	u64 decap;
	u64 encap;
	u64 drop_b4;
	u64 drop_softwires;
	u64 drop_tunnel;
	u64 drop_ttl;
	u64 icmp_aftr_sent;
	u64 fast_out;
	u64 fast_in;
};

#define cgn_count(inst, field) this_cpu_inc((inst)->stats->field)

struct cgn_config {
	u32 timeout_udp;	/* seconds */
	u32 timeout_tcp_est;
	u32 timeout_tcp_trans;
	u32 timeout_icmp;
	u32 max_sessions;	/* per subscriber */
	u32 max_blocks;		/* per subscriber */
	u32 hold_down;		/* seconds a freed port rests */
	u32 session_limit;	/* per instance, 0: none */
	u32 tunnel_mtu;		/* DS-Lite: outer packets, IPv6 header included */
	u32 max_softwires;	/* B4s per subscriber prefix */
	u32 sync_min_age;	/* ms a session lives before the peer hears of it */
	u8 softwire_len;	/* length of a subscriber's IPv6 prefix */
	u8 filtering;		/* enum cgn_filtering */
	u8 hairpin;
	u8 icmp_unreach;
	u8 fastpath;		/* see fast.c */
	u8 role;		/* enum cgn_role */
};

/* An inside prefix, or a pass-through destination (with a port, 0: any). */
struct cgn_prefix {
	struct list_head list;	/* instance->insides or ->passes, RCU */
	struct rcu_head rcu;
	__be32 addr;
	__be32 mask;
	u8 len;
	__be16 port;
};

/* An IPv6 prefix: a DS-Lite B4 prefix, or the AFTR address (/128). */
struct cgn_prefix6 {
	struct list_head list;	/* instance->b4s or ->aftrs, RCU */
	struct rcu_head rcu;
	struct in6_addr addr;
	u8 len;
};

struct cgn_pool {
	struct list_head list;	/* instance->pools, RCU */
	struct rcu_head rcu;
	struct cgn_instance *inst;
	__be32 addr;
	__be32 mask;
	u8 len;
	u16 port_min;
	u16 port_max;
	u16 block_size;
	u32 naddrs;
	u32 blocks_per_addr;
	spinlock_t lock;	/* used, blocks_used */
	u32 blocks_used;
	bool dead;		/* being deleted: set with cgn_net.lock written */
	unsigned long *used;	/* naddrs * blocks_per_addr bits */
};

struct cgn_instance {
	struct list_head list;	/* cgn_net.instances, RCU */
	struct rcu_head rcu;
	char name[CGN_NAME_LEN];
	struct cgn_config cfg;	/* fields read with READ_ONCE */
	struct list_head pools;
	struct list_head insides;
	struct list_head passes;
	struct list_head aftrs;	/* at most one: the AFTR address */
	struct list_head b4s;	/* B4 prefixes served */
	struct cgn_stats __percpu *stats;
	/* gauges, changed with the table locks held (cgn_lock_user) */
	atomic_t nusers;
	atomic_t nmappings;
	atomic_t nsessions;
	atomic_t nsoftwires;
	atomic64_t digest;	/* of its entries, a sum: see sync.c */
	u8 sync_gen;		/* bulk copy generation, see replica.c */
};

static inline bool cgn_standby(const struct cgn_instance *inst)
{
	return READ_ONCE(inst->cfg.role) == CGN_ROLE_STANDBY;
}

struct cgn_user {
	struct rhash_head node;
	struct in6_addr b4;	/* key, with addr: a DS-Lite B4, or zero */
	__be32 addr;		/* NAT44: inside address; DS-Lite: 0 */
	bool dead;
	u8 queued;		/* a sync event is pending, see sync.c */
	u8 gen;			/* see replica.c */
	u8 shard;		/* its lock, cgn_net.shards[], from the key */
	u16 nblocks;
	u16 max_blocks;		/* size of blocks[] */
	struct rcu_head rcu;
	struct cgn_instance *inst;
	struct cgn_pool *pool;
	struct cgn_sub *sub;	/* DS-Lite: its subscriber prefix */
	struct dst_cache dst_cache;	/* DS-Lite: route to the B4, encap.c */
	struct dst_entry *dst;		/* NAT44: route to it, for fast.c */
	unsigned long *ports;	/* ports in use, per block: table.c */
	u32 addr_idx;		/* index of ext_addr in pool */
	__be32 ext_addr;
	u32 nmappings;
	u32 nsessions;
	u32 blocks[];		/* block numbers within ext_addr */
};

#define CGN_NPROTO	3	/* TCP, UDP, ICMP */

/*
 * A subscriber's inside address and port (ICMP: identifier) bound to an
 * outside port of its address, user->ext_addr. 64 bytes: the keys of both
 * tables are completed from the user (its B4 inside, ext_addr outside).
 */
struct cgn_mapping {
	struct rhash_head in_node;	/* proto, in_addr, in_port, user->b4 */
	struct rhash_head out_node;	/* proto, user->ext_addr, out_port */
	struct cgn_user *user;
	struct hlist_head sessions;	/* RCU, changed under the user's lock */
	struct rcu_head rcu;
	__be32 in_addr;
	__be16 in_port;
	__be16 out_port;
	u8 proto;
	u8 flags;			/* CGN_MAP_*, under the user's lock */
	u8 queued;
	u8 gen;
	u32 expires;			/* jiffies: end of hold-down, when held */
};

enum {
	CGN_MAP_HELD = 1,		/* no session: the port rests */
	CGN_MAP_DEAD = 2,		/* out of the tables */
};

static inline bool cgn_mapping_held(const struct cgn_mapping *m)
{
	return READ_ONCE(m->flags) & CGN_MAP_HELD;
}

static inline bool cgn_mapping_dead(const struct cgn_mapping *m)
{
	return READ_ONCE(m->flags) & CGN_MAP_DEAD;
}

/* Under the user's lock. */
static inline void cgn_mapping_set(struct cgn_mapping *m, u8 flag, bool on)
{
	WRITE_ONCE(m->flags, on ? m->flags | flag : m->flags & ~flag);
}

struct cgn_skey {
	struct cgn_mapping *m;
	__be32 addr;		/* remote */
	__be16 port;
	u16 pad;
};

/*
 * A flow: a mapping and a remote endpoint. 64 bytes: once the session is
 * out of its lists, its rcu_head takes the place of what no reader looks
 * at any more (list.pprev, born, gen); RCU readers may still follow
 * list.next and read the rest.
 */
struct cgn_session {
	struct rhash_head node;
	struct cgn_skey key;
	union {
		struct {
			struct hlist_node list;	/* mapping->sessions */
			u32 born;		/* jiffies, for sync-min-age */
			u8 gen;			/* see replica.c */
		};
		struct {
			struct hlist_node *list_next;
			struct rcu_head rcu;
		};
	};
	struct dst_entry *dst;		/* outbound route, for the fast path */
	u32 expires;			/* jiffies, READ_ONCE/WRITE_ONCE */
	u8 state;			/* enum cgn_tcp_state */
	u8 fin;				/* CGN_DIR_* bits that sent FIN */
	u8 queued;			/* CGN_SYNC_* bits */
	u8 hashed;			/* in cgn_net.sessions, see table.c */
};

enum { CGN_DIR_OUT = 1, CGN_DIR_IN = 2 };

/* The "queued" byte of users, mappings and sessions (sync.c). */
enum { CGN_SYNC_QUEUED = 1, CGN_SYNC_SENT = 2 };

struct cgn_net {
	struct net *net;
	struct mutex cfg_mutex;		/* configuration changes */
	struct list_head instances;	/* RCU */
	unsigned int ninstances;
	unsigned int nfast;		/* instances with the fast path on */
	unsigned int ndslite;		/* instances with an AFTR address */
	rwlock_t lock;			/* read: with a shard; write: all */
	struct cgn_shard *shards;	/* CGN_SHARDS, by user key */
	spinlock_t sub_lock;		/* softwire counts, see softwire.c */
	struct rhashtable users;
	struct rhashtable map_in;
	struct rhashtable map_out;
	struct rhashtable sessions;
	struct rhashtable subs;		/* see softwire.c */
	struct delayed_work gc_work;
	struct rhashtable_iter gc_iter;	/* a pass in slices, see table.c */
	bool gc_walking;
	bool defrag;
	struct cgn_sync *sync;		/* event queue, see sync.c */
	struct list_head fastdevs;	/* see fastdev.c */
};

extern unsigned int cgn_net_id;

/*
 * Table locking. Every change to one subscriber's entries (its user entry,
 * port blocks, mappings and their sessions) is made with cgn_net.lock held
 * for reading and the subscriber's shard lock, chosen by its user key: new
 * sessions of different subscribers are made in parallel. What concerns
 * the whole board (a batch of the peer's entries, the digest, a pool going
 * away) holds cgn_net.lock for writing, which waits for every shard.
 * Counters and digests shared by subscribers are atomic; pools have their
 * own lock for their block bitmaps.
 */
#define CGN_SHARDS	128

struct cgn_shard {
	spinlock_t lock;
} ____cacheline_aligned_in_smp;

u8 cgn_shard_of(const struct in6_addr *b4, __be32 addr);

static inline void cgn_lock_shard(struct cgn_net *cn, u8 shard)
{
	read_lock_bh(&cn->lock);
	spin_lock(&cn->shards[shard].lock);
}

static inline void cgn_unlock_shard(struct cgn_net *cn, u8 shard)
{
	spin_unlock(&cn->shards[shard].lock);
	read_unlock_bh(&cn->lock);
}

static inline void cgn_lock_user(struct cgn_net *cn, const struct cgn_user *u)
{
	cgn_lock_shard(cn, u->shard);
}

static inline void cgn_unlock_user(struct cgn_net *cn, const struct cgn_user *u)
{
	cgn_unlock_shard(cn, u->shard);
}

static inline void cgn_digest_add(struct cgn_instance *inst, u64 d)
{
	atomic64_add((s64)d, &inst->digest);
}

static inline void cgn_digest_sub(struct cgn_instance *inst, u64 d)
{
	atomic64_sub((s64)d, &inst->digest);
}

static inline struct cgn_net *cgn_pernet(const struct net *net)
{
	return net_generic(net, cgn_net_id);
}

/* instance.c */
struct cgn_instance *cgn_instance_find(struct cgn_net *cn, const char *name);
void cgn_config_init(struct cgn_config *cfg);
struct cgn_instance *cgn_instance_new(struct cgn_net *cn, const char *name,
				      const struct cgn_config *cfg);
void cgn_instance_del(struct cgn_net *cn, struct cgn_instance *inst);
void cgn_instance_stats(const struct cgn_instance *inst, struct cgn_stats *sum);
struct cgn_instance *cgn_inside_lookup(struct cgn_net *cn, __be32 addr);
struct cgn_pool *cgn_pool_lookup(struct cgn_net *cn, __be32 addr);
bool cgn_pass_match(const struct cgn_instance *inst, __be32 addr, __be16 port);
bool cgn_prefix_overlaps(struct cgn_net *cn, __be32 addr, __be32 mask);
void cgn_net_flush(struct cgn_net *cn);
struct cgn_instance *cgn_aftr_lookup(struct cgn_net *cn, const struct in6_addr *addr);
bool cgn_b4_match(const struct cgn_instance *inst, const struct in6_addr *addr);
bool cgn_b4_overlaps(struct cgn_net *cn, const struct in6_addr *addr, u8 len);
void cgn_net_count_fast(struct cgn_net *cn);

/* pool.c */
struct cgn_pool *cgn_pool_new(struct cgn_instance *inst, __be32 addr, u8 len,
			      u16 port_min, u16 port_max, u16 block_size);
void cgn_pool_free(struct cgn_pool *pool);
int cgn_pool_alloc_block(struct cgn_pool *pool, u32 addr_idx, u32 *block);
void cgn_pool_free_block(struct cgn_pool *pool, u32 addr_idx, u32 block);
int cgn_pool_alloc_addr(struct cgn_pool *pool, u32 user, u32 *addr_idx,
			u32 *block);
int cgn_pool_take_block(struct cgn_pool *pool, u32 addr_idx, u32 block);

/* table.c */
int cgn_table_cache_init(void);
void cgn_table_cache_exit(void);
int cgn_tables_init(struct cgn_net *cn);
void cgn_tables_destroy(struct cgn_net *cn);
struct cgn_user *cgn_user_find(struct cgn_net *cn, const struct in6_addr *b4,
			       __be32 addr);
struct cgn_mapping *cgn_mapping_find_in(struct cgn_net *cn, u8 proto,
					const struct in6_addr *b4,
					__be32 addr, __be16 port);
struct cgn_mapping *cgn_mapping_find_out(struct cgn_net *cn, u8 proto,
					 __be32 addr, __be16 port);
struct cgn_session *cgn_session_find(struct cgn_net *cn, struct cgn_mapping *m,
				     __be32 addr, __be16 port);
struct cgn_pkt;
struct cgn_session *cgn_session_create(struct cgn_net *cn,
				       struct cgn_instance *inst,
				       const struct cgn_pkt *p, bool mapped);
struct cgn_session *cgn_session_add(struct cgn_net *cn, struct cgn_mapping *m,
				    __be32 rem_addr, __be16 rem_port);
/* table.c, for replica.c: under the user's lock or cgn_net.lock written */
struct cgn_user *cgn_user_insert(struct cgn_net *cn, struct cgn_instance *inst,
				 struct cgn_pool *pool, const struct in6_addr *b4,
				 __be32 addr, u32 idx, u32 max_blocks);
int cgn_user_add_block(struct cgn_net *cn, struct cgn_user *u, u32 block);
int cgn_user_has_block(const struct cgn_user *u, u32 block);
int cgn_user_block(const struct cgn_user *u, __be16 port);
bool cgn_user_port_taken(const struct cgn_user *u, u8 proto, __be16 port);
void cgn_user_release(struct cgn_net *cn, struct cgn_user *u);
struct cgn_mapping *cgn_mapping_insert(struct cgn_net *cn, struct cgn_user *u,
				       u8 proto, __be32 in_addr, __be16 in_port,
				       __be16 port);
void cgn_mapping_release(struct cgn_net *cn, struct cgn_mapping *m, bool clean);
void cgn_mapping_del(struct cgn_net *cn, struct cgn_mapping *m);
struct cgn_session *cgn_session_insert(struct cgn_net *cn, struct cgn_mapping *m,
				       __be32 rem_addr, __be16 rem_port);
void cgn_session_unlink(struct cgn_net *cn, struct cgn_session *s);
void cgn_session_del(struct cgn_net *cn, struct cgn_session *s);
/* process context, no lock */
unsigned int cgn_walk_mappings(struct cgn_net *cn,
			       bool (*fn)(struct cgn_net *cn, struct cgn_mapping *m,
					  const void *arg),
			       const void *arg);
void cgn_flush(struct cgn_net *cn, const struct cgn_instance *inst,
	       const struct cgn_pool *pool, __be32 addr, __be32 mask);
void cgn_flush_b4(struct cgn_net *cn, const struct cgn_instance *inst,
		  const struct in6_addr *b4, u8 len);
void cgn_pool_kill(struct cgn_net *cn, struct cgn_pool *pool);
void cgn_gc_start(struct cgn_net *cn);
void cgn_gc_stop(struct cgn_net *cn);

/* softwire.c, under the user's lock */
int cgn_softwires_init(struct cgn_net *cn);
void cgn_softwires_destroy(struct cgn_net *cn);
bool cgn_softwire_full(struct cgn_net *cn, const struct cgn_instance *inst,
		       const struct in6_addr *b4);
int cgn_softwire_get(struct cgn_net *cn, struct cgn_user *u);
void cgn_softwire_put(struct cgn_net *cn, struct cgn_user *u);

/* state.c */
bool cgn_session_refresh(struct cgn_session *s, const struct cgn_config *cfg,
			 u8 proto, const void *l4, int dir);
u32 cgn_timeout(const struct cgn_config *cfg, u8 proto, u8 state);

/* sync.c */
int cgn_sync_init(struct cgn_net *cn);
void cgn_sync_exit(struct cgn_net *cn);
int cgn_sync_wq_init(void);
void cgn_sync_wq_exit(void);
void cgn_sync_user(struct cgn_net *cn, struct cgn_user *u);
void cgn_sync_mapping(struct cgn_net *cn, struct cgn_mapping *m);
void cgn_sync_session(struct cgn_net *cn, struct cgn_session *s);
void cgn_sync_aged(struct cgn_net *cn, struct cgn_session *s);
int cgn_sync_flush(struct cgn_net *cn);
int cgn_sync_digest(struct cgn_net *cn, const struct cgn_instance *inst,
		    u64 *digest, u32 *count, u32 *seq);
void cgn_sync_wq_stop(void);
u64 cgn_digest_user(const struct cgn_user *u);
u64 cgn_digest_block(const struct cgn_user *u, u32 block);
u64 cgn_digest_mapping(const struct cgn_mapping *m);
u64 cgn_digest_session(const struct cgn_session *s);

/*
 * A packet's translation key. For ICMP queries the identifier is the port
 * on the subscriber's side and 0 on the remote's.
 */
struct cgn_pkt {
	u8 proto;
	bool icmp_err;		/* an ICMP error: the embedded packet is the key */
	unsigned int thoff;	/* transport header, from the network header */
	__be32 saddr, daddr;
	__be16 sport, dport;
	const struct in6_addr *b4;	/* DS-Lite: from this B4; else zero */
};

/* A DS-Lite B4 address, not the zero of a NAT44 key. */
static inline bool cgn_is_b4(const struct in6_addr *b4)
{
	return !ipv6_addr_any(b4);
}

/* xlate.c */
int cgn_writable(struct sk_buff *skb, const struct cgn_pkt *p);
void cgn_xlate(struct sk_buff *skb, const struct cgn_pkt *p, bool src,
	       __be32 addr, __be16 port);

/* icmp.c */
unsigned int cgn_icmp_err_in(struct cgn_net *cn, struct sk_buff *skb,
			     const struct cgn_pool *pool, const struct cgn_pkt *p,
			     unsigned int hook);
unsigned int cgn_icmp_err_out(struct cgn_net *cn, struct sk_buff *skb,
			      const struct cgn_pkt *p, unsigned int hook,
			      struct cgn_instance *inst);

/* fast.c */
bool cgn_fast_out(struct cgn_net *cn, struct sk_buff *skb, const struct cgn_pkt *p);
bool cgn_fast_in(struct cgn_net *cn, struct sk_buff *skb, const struct cgn_pkt *p,
		 struct cgn_pool *pool);
void cgn_fast_learn(struct cgn_session *s, struct sk_buff *skb);
void cgn_fast_learn_in(struct cgn_net *cn, struct sk_buff *skb, __be32 daddr);

/* fastdev.c */
struct cgn_fastdev;
struct cgn_fastdev *cgn_fastdev_find(struct cgn_net *cn, const struct net_device *dev);
int cgn_fastdev_add(struct cgn_net *cn, struct net_device *dev);
void cgn_fastdev_del(struct cgn_net *cn, struct cgn_fastdev *fd);
bool cgn_fastdev_name(struct cgn_net *cn, unsigned long i, char *name);
void cgn_fastdev_flush(struct cgn_net *cn);
bool cgn_fastdev_rx(struct cgn_net *cn, const struct sk_buff *skb);
int cgn_fastdev_init(void);
void cgn_fastdev_exit(void);

/* nat44.c */
int cgn_parse(struct sk_buff *skb, struct cgn_pkt *p, bool out);
unsigned int cgn_out(struct cgn_net *cn, struct sk_buff *skb,
		     struct cgn_pkt *p, struct cgn_instance *inst, bool hairpin);
unsigned int cgn_in(struct cgn_net *cn, struct sk_buff *skb, struct cgn_pkt *p,
		    struct cgn_pool *pool, int err, unsigned int hook);
int cgn_nat44_init(struct net *net);
void cgn_nat44_exit(struct net *net);

/* dslite.c */
int cgn_dslite_init(struct net *net);
void cgn_dslite_exit(struct net *net);

/*
 * Pass @skb to @fn(skb, @arg), or if it is GSO (from a local tunnel
 * device or veth) each of its segments; @fn consumes what it gets. False,
 * with @skb left to the caller, if it could not be segmented. Inline, so
 * that @fn is called directly.
 */
static inline bool cgn_each_segment(struct sk_buff *skb,
				    void (*fn)(struct sk_buff *skb, void *arg), void *arg)
{
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb)) {
		fn(skb, arg);
		return true;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		return false;
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		fn(skb, arg);
	}
	return true;
}

/* encap.c */
unsigned int cgn_encap(struct cgn_net *cn, struct sk_buff *skb,
		       struct cgn_user *u);
void cgn_encap_icmp(struct cgn_net *cn, struct sk_buff *skb,
		    struct cgn_instance *inst, const struct in6_addr *b4,
		    u8 type, u8 code, u32 info);

/* netlink.c */
int cgn_genl_init(void);
void cgn_genl_exit(void);

#endif /* _CGN_H */
