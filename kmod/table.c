// SPDX-License-Identifier: GPL-2.0
/*
 * The user, mapping and session tables of a board: lookups under RCU,
 * creation and removal under the subscriber's lock (cgn.h), expiry by a
 * periodic worker.
 */
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <net/dst.h>

#include "cgn.h"

#define CGN_GC_INTERVAL		HZ		/* between passes over the table */
#define CGN_GC_STEP		(HZ / 10)	/* between slices of one pass */
#define CGN_GC_BUDGET		8192		/* mappings per slice */

/* Exact-size caches: 64 bytes each (cgn.h). */
static struct kmem_cache *mapping_cache __read_mostly;
static struct kmem_cache *session_cache __read_mostly;

int __init cgn_table_cache_init(void)
{
	BUILD_BUG_ON(sizeof(struct cgn_mapping) > 64);
	BUILD_BUG_ON(sizeof(struct cgn_session) > 64);
	BUILD_BUG_ON(offsetof(struct cgn_session, rcu) <=
		     offsetof(struct cgn_session, list.next));
	mapping_cache = KMEM_CACHE(cgn_mapping, 0);
	session_cache = KMEM_CACHE(cgn_session, 0);
	if (!mapping_cache || !session_cache) {
		cgn_table_cache_exit();
		return -ENOMEM;
	}
	return 0;
}

/* After rcu_barrier(): every call_rcu() free has run. */
void cgn_table_cache_exit(void)
{
	kmem_cache_destroy(session_cache);
	kmem_cache_destroy(mapping_cache);
}

static void mapping_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(mapping_cache, container_of(rcu, struct cgn_mapping, rcu));
}

static void user_free_rcu(struct rcu_head *rcu)
{
	struct cgn_user *u = container_of(rcu, struct cgn_user, rcu);

	kfree(u->ports);
	dst_cache_destroy(&u->dst_cache);	/* none: fine */
	dst_release(u->dst);	/* NULL is fine */
	kfree(u);
}

static void session_free_rcu(struct rcu_head *rcu)
{
	struct cgn_session *s = container_of(rcu, struct cgn_session, rcu);

	dst_release(s->dst);	/* NULL is fine */
	kmem_cache_free(session_cache, s);
}
#define CGN_WALK_BATCH		256

/* The user key is b4 and addr. */
struct cgn_ukey {
	struct in6_addr b4;
	__be32 addr;
};

static const struct rhashtable_params user_params = {
	.key_len = sizeof(struct cgn_ukey),
	.key_offset = offsetof(struct cgn_user, b4),
	.head_offset = offsetof(struct cgn_user, node),
	.automatic_shrinking = true,
};

/*
 * A mapping's keys: inside, proto, in_addr, in_port and the user's B4;
 * outside, proto, the user's ext_addr and out_port. A mapping holds only
 * its own part of them, so both tables hash and compare by hand.
 */
struct cgn_mkey {
	struct in6_addr b4;	/* inside key only */
	__be32 addr;
	__be16 port;
	u8 proto;
	u8 pad;
};

#define CGN_MKEY_IN_WORDS	(sizeof(struct cgn_mkey) / sizeof(u32))
#define CGN_MKEY_OUT_WORDS	2	/* from addr on: no B4 */

static const u32 *mkey_out_words(const struct cgn_mkey *k)
{
	return (const u32 *)&k->addr;
}

static u32 map_in_hash(const void *data, u32 len, u32 seed)
{
	return jhash2(data, CGN_MKEY_IN_WORDS, seed);
}

static u32 map_out_hash(const void *data, u32 len, u32 seed)
{
	return jhash2(mkey_out_words(data), CGN_MKEY_OUT_WORDS, seed);
}

static void mkey_in(struct cgn_mkey *k, const struct cgn_mapping *m)
{
	k->b4 = m->user->b4;
	k->addr = m->in_addr;
	k->port = m->in_port;
	k->proto = m->proto;
	k->pad = 0;
}

static u32 map_in_obj_hash(const void *data, u32 len, u32 seed)
{
	struct cgn_mkey k;

	mkey_in(&k, data);
	return map_in_hash(&k, len, seed);
}

static u32 map_out_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct cgn_mapping *m = data;
	struct cgn_mkey k = {
		.addr = m->user->ext_addr, .port = m->out_port, .proto = m->proto,
	};

	return map_out_hash(&k, len, seed);
}

static int map_in_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct cgn_mkey *k = arg->key;
	const struct cgn_mapping *m = obj;

	return m->in_addr != k->addr || m->in_port != k->port ||
	       m->proto != k->proto || !ipv6_addr_equal(&m->user->b4, &k->b4);
}

static int map_out_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct cgn_mkey *k = arg->key;
	const struct cgn_mapping *m = obj;

	return m->out_port != k->port || m->proto != k->proto ||
	       m->user->ext_addr != k->addr;
}

static const struct rhashtable_params map_in_params = {
	.head_offset = offsetof(struct cgn_mapping, in_node),
	.hashfn = map_in_hash,
	.obj_hashfn = map_in_obj_hash,
	.obj_cmpfn = map_in_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params map_out_params = {
	.head_offset = offsetof(struct cgn_mapping, out_node),
	.hashfn = map_out_hash,
	.obj_hashfn = map_out_obj_hash,
	.obj_cmpfn = map_out_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params session_params = {
	.key_len = sizeof(struct cgn_skey),
	.key_offset = offsetof(struct cgn_session, key),
	.head_offset = offsetof(struct cgn_session, node),
	.automatic_shrinking = true,
};

/* A user key in 32 bits: for a B4 its address, else the inside address. */
static u32 user_word(const struct in6_addr *b4, __be32 addr)
{
	return cgn_is_b4(b4) ? ipv6_addr_hash(b4) : (__force u32)addr;
}

u8 cgn_shard_of(const struct in6_addr *b4, __be32 addr)
{
	BUILD_BUG_ON(!is_power_of_2(CGN_SHARDS) || CGN_SHARDS > 256);
	return hash_32(user_word(b4, addr), ilog2(CGN_SHARDS));
}

int cgn_tables_init(struct cgn_net *cn)
{
	unsigned int i;
	int err;

	BUILD_BUG_ON(offsetof(struct cgn_user, addr) !=
		     offsetof(struct cgn_user, b4) + offsetof(struct cgn_ukey, addr));
	BUILD_BUG_ON(sizeof(struct cgn_mkey) % sizeof(u32) ||
		     offsetof(struct cgn_mkey, addr) + CGN_MKEY_OUT_WORDS * sizeof(u32) !=
		     sizeof(struct cgn_mkey));

	rwlock_init(&cn->lock);
	spin_lock_init(&cn->sub_lock);
	cn->shards = kcalloc(CGN_SHARDS, sizeof(*cn->shards), GFP_KERNEL);
	if (!cn->shards)
		return -ENOMEM;
	for (i = 0; i < CGN_SHARDS; i++)
		spin_lock_init(&cn->shards[i].lock);
	err = rhashtable_init(&cn->users, &user_params);
	if (err)
		goto err_shards;
	err = rhashtable_init(&cn->map_in, &map_in_params);
	if (err)
		goto err_users;
	err = rhashtable_init(&cn->map_out, &map_out_params);
	if (err)
		goto err_in;
	err = rhashtable_init(&cn->sessions, &session_params);
	if (err)
		goto err_out;
	err = cgn_softwires_init(cn);
	if (err)
		goto err_sessions;
	return 0;

err_sessions:
	rhashtable_destroy(&cn->sessions);
err_out:
	rhashtable_destroy(&cn->map_out);
err_in:
	rhashtable_destroy(&cn->map_in);
err_users:
	rhashtable_destroy(&cn->users);
err_shards:
	kfree(cn->shards);
	return err;
}

/* Called once every entry is gone (cgn_flush of every instance). */
void cgn_tables_destroy(struct cgn_net *cn)
{
	WARN_ON(atomic_read(&cn->sessions.nelems));
	WARN_ON(atomic_read(&cn->map_in.nelems));
	WARN_ON(atomic_read(&cn->users.nelems));
	cgn_softwires_destroy(cn);
	rhashtable_destroy(&cn->sessions);
	rhashtable_destroy(&cn->map_out);
	rhashtable_destroy(&cn->map_in);
	rhashtable_destroy(&cn->users);
	kfree(cn->shards);
}

static void mkey_set(struct cgn_mkey *k, u8 proto, __be32 addr, __be16 port)
{
	memset(k, 0, sizeof(*k));
	k->addr = addr;
	k->port = port;
	k->proto = proto;
}

struct cgn_user *cgn_user_find(struct cgn_net *cn, const struct in6_addr *b4,
			       __be32 addr)
{
	struct cgn_ukey k = { .b4 = *b4, .addr = addr };

	return rhashtable_lookup(&cn->users, &k, user_params);
}

struct cgn_mapping *cgn_mapping_find_in(struct cgn_net *cn, u8 proto,
					const struct in6_addr *b4,
					__be32 addr, __be16 port)
{
	struct cgn_mkey k;

	mkey_set(&k, proto, addr, port);
	k.b4 = *b4;
	return rhashtable_lookup(&cn->map_in, &k, map_in_params);
}

struct cgn_mapping *cgn_mapping_find_out(struct cgn_net *cn, u8 proto,
					 __be32 addr, __be16 port)
{
	struct cgn_mkey k;

	mkey_set(&k, proto, addr, port);
	return rhashtable_lookup(&cn->map_out, &k, map_out_params);
}

/*
 * A session is found through its mapping. Most mappings have one, which is
 * compared directly; only the sessions of mappings that have had more than
 * one are in cn->sessions as well. session_link() hashes a mapping's first
 * session before a second one joins its list, so a reader that sees two
 * finds both in the table; a hashed session stays there until it goes.
 */
struct cgn_session *cgn_session_find(struct cgn_net *cn, struct cgn_mapping *m,
				     __be32 addr, __be16 port)
{
	struct cgn_skey k = { .m = m, .addr = addr, .port = port };
	struct hlist_node *first = rcu_dereference_raw(hlist_first_rcu(&m->sessions));
	struct cgn_session *s;

	if (!first)
		return NULL;
	if (!rcu_dereference_raw(hlist_next_rcu(first))) {
		s = hlist_entry(first, struct cgn_session, list);
		return s->key.addr == addr && s->key.port == port ? s : NULL;
	}
	return rhashtable_lookup(&cn->sessions, &k, session_params);
}

static int session_hash(struct cgn_net *cn, struct cgn_session *s)
{
	int err;

	if (s->hashed)
		return 0;
	err = rhashtable_insert_fast(&cn->sessions, &s->node, session_params);
	if (!err)
		s->hashed = 1;
	return err;
}

static size_t user_size(u32 max_blocks)
{
	return sizeof(struct cgn_user) + max_blocks * sizeof(u32);
}

/*
 * u->ports: for each block, a bitmap per protocol of its ports, a bit set
 * while a mapping (held ones too) has the port. Picking a port tests bits,
 * not the outside table. Read and changed under the user's lock only,
 * where mappings are made and removed; it grows with the blocks.
 */
static size_t port_words(const struct cgn_user *u)
{
	return BITS_TO_LONGS(u->pool->block_size);
}

/* Bitmap of @proto's ports in the subscriber's block @i. */
static unsigned long *port_map(const struct cgn_user *u, u8 proto, u32 i)
{
	u32 n = proto == IPPROTO_TCP ? 0 : proto == IPPROTO_UDP ? 1 : 2;

	return u->ports + (i * CGN_NPROTO + n) * port_words(u);
}

/* The index in u->blocks of @block; -1: not one of the user's. */
int cgn_user_has_block(const struct cgn_user *u, u32 block)
{
	u16 i;

	for (i = 0; i < u->nblocks; i++)
		if (u->blocks[i] == block)
			return i;
	return -1;
}

/* The index in u->blocks of @port's block; -1: not one of the user's. */
int cgn_user_block(const struct cgn_user *u, __be16 port)
{
	const struct cgn_pool *pool = u->pool;
	u32 p = ntohs(port);

	if (p < pool->port_min || p > pool->port_max)
		return -1;
	return cgn_user_has_block(u, (p - pool->port_min) / pool->block_size);
}

/* @port's bit in *@map; -1: not a port of the subscriber. */
static int port_bit(const struct cgn_user *u, u8 proto, __be16 port,
		    unsigned long **map)
{
	int i = cgn_user_block(u, port);

	if (i < 0)
		return -1;
	*map = port_map(u, proto, i);
	return (ntohs(port) - u->pool->port_min) % u->pool->block_size;
}

/* Does a mapping of the subscriber's hold @port for @proto? */
bool cgn_user_port_taken(const struct cgn_user *u, u8 proto, __be16 port)
{
	unsigned long *map;
	int bit = port_bit(u, proto, port, &map);

	return bit >= 0 && test_bit(bit, map);
}

/* A port of @m's block is free again. */
static void port_freed(struct cgn_mapping *m)
{
	unsigned long *map;
	int bit = port_bit(m->user, m->proto, m->out_port, &map);

	if (!WARN_ON_ONCE(bit < 0))
		__clear_bit(bit, map);
}

/* Removal, all under the user's lock (or cn->lock written). */

/* A subscriber with no mapping left gives its blocks back. */
void cgn_user_release(struct cgn_net *cn, struct cgn_user *u)
{
	struct cgn_instance *inst = u->inst;
	u16 i;

	if (u->nmappings)
		return;
	u->dead = true;
	rhashtable_remove_fast(&cn->users, &u->node, user_params);
	for (i = 0; i < u->nblocks; i++) {
		cgn_pool_free_block(u->pool, u->addr_idx, u->blocks[i]);
		cgn_digest_sub(inst, cgn_digest_block(u, u->blocks[i]));
	}
	cgn_digest_sub(inst, cgn_digest_user(u));
	if (cgn_is_b4(&u->b4)) {
		cgn_softwire_put(cn, u);
		atomic_dec(&inst->nsoftwires);
	}
	atomic_dec(&inst->nusers);
	cgn_sync_user(cn, u);
	call_rcu(&u->rcu, user_free_rcu);
}

void cgn_mapping_del(struct cgn_net *cn, struct cgn_mapping *m)
{
	struct cgn_user *u = m->user;

	cgn_mapping_set(m, CGN_MAP_DEAD, true);
	rhashtable_remove_fast(&cn->map_in, &m->in_node, map_in_params);
	rhashtable_remove_fast(&cn->map_out, &m->out_node, map_out_params);
	port_freed(m);
	atomic_dec(&u->inst->nmappings);
	cgn_digest_sub(u->inst, cgn_digest_mapping(m));
	u->nmappings--;
	cgn_sync_mapping(cn, m);
	cgn_user_release(cn, u);
	call_rcu(&m->rcu, mapping_free_rcu);
}

void cgn_session_unlink(struct cgn_net *cn, struct cgn_session *s)
{
	struct cgn_user *u = s->key.m->user;

	if (s->hashed)
		rhashtable_remove_fast(&cn->sessions, &s->node, session_params);
	hlist_del_rcu(&s->list);
	u->nsessions--;
	atomic_dec(&u->inst->nsessions);
	cgn_digest_sub(u->inst, cgn_digest_session(s));
	cgn_sync_session(cn, s);
	call_rcu(&s->rcu, session_free_rcu);
}

/*
 * A mapping whose last session went keeps its port out of use for the
 * hold-down time (RFC 6888 REQ-8), unless TCP saw a clean close. Its own
 * subscriber may take it up again meanwhile.
 */
void cgn_mapping_release(struct cgn_net *cn, struct cgn_mapping *m, bool clean)
{
	u32 hold = READ_ONCE(m->user->inst->cfg.hold_down);

	if (!hold || clean) {
		cgn_mapping_del(cn, m);
		return;
	}
	WRITE_ONCE(m->expires, jiffies + hold * HZ);
	cgn_mapping_set(m, CGN_MAP_HELD, true);
	cgn_sync_mapping(cn, m);
}

void cgn_session_del(struct cgn_net *cn, struct cgn_session *s)
{
	struct cgn_mapping *m = s->key.m;
	bool clean = m->proto == IPPROTO_TCP && s->state == CGN_TCP_CLOSED &&
		     s->fin == (CGN_DIR_OUT | CGN_DIR_IN);

	cgn_session_unlink(cn, s);
	if (hlist_empty(&m->sessions))
		cgn_mapping_release(cn, m, clean);
}

/* Creation, all under the user's lock (or cn->lock written). */

/* A subscriber on address @idx of @pool, with no port block yet. */
struct cgn_user *cgn_user_insert(struct cgn_net *cn, struct cgn_instance *inst,
				 struct cgn_pool *pool, const struct in6_addr *b4,
				 __be32 addr, u32 idx, u32 max_blocks)
{
	struct cgn_user *u;
	int err;

	u = kzalloc(user_size(max_blocks), GFP_ATOMIC);
	if (!u)
		return ERR_PTR(-ENOMEM);
	u->b4 = *b4;
	u->addr = addr;
	u->shard = cgn_shard_of(b4, addr);
	u->max_blocks = max_blocks;
	u->inst = inst;
	u->pool = pool;
	u->addr_idx = idx;
	u->ext_addr = htonl(ntohl(pool->addr) + idx);
	if (cgn_is_b4(b4)) {
		err = cgn_softwire_get(cn, u);
		if (err)
			goto err_free;
		/* without it (per-CPU memory is short) encap goes uncached */
		dst_cache_init(&u->dst_cache, GFP_ATOMIC | __GFP_NOWARN);
	}
	err = rhashtable_insert_fast(&cn->users, &u->node, user_params);
	if (err) {
		cgn_softwire_put(cn, u);
		goto err_free;
	}
	atomic_inc(&inst->nusers);
	if (cgn_is_b4(b4))
		atomic_inc(&inst->nsoftwires);
	cgn_digest_add(inst, cgn_digest_user(u));
	return u;

err_free:
	dst_cache_destroy(&u->dst_cache);
	kfree(u);
	return ERR_PTR(err);
}

/* @block of the subscriber's address is now its own; -ENOMEM: it is not. */
int cgn_user_add_block(struct cgn_net *cn, struct cgn_user *u, u32 block)
{
	size_t words = CGN_NPROTO * port_words(u);
	unsigned long *ports;

	ports = krealloc_array(u->ports, u->nblocks + 1, words * sizeof(long),
			       GFP_ATOMIC);
	if (!ports)
		return -ENOMEM;
	memset(ports + u->nblocks * words, 0, words * sizeof(long));
	u->ports = ports;
	WRITE_ONCE(u->blocks[u->nblocks], block);
	WRITE_ONCE(u->nblocks, u->nblocks + 1);
	cgn_digest_add(u->inst, cgn_digest_block(u, block));
	cgn_sync_user(cn, u);
	return 0;
}

static struct cgn_user *user_get(struct cgn_net *cn, struct cgn_instance *inst,
				 const struct in6_addr *b4, __be32 addr)
{
	struct cgn_ukey k = { .b4 = *b4, .addr = addr };
	struct cgn_pool *pool;
	struct cgn_user *u;
	u32 max_blocks;
	u32 idx, block;
	u32 word;

	u = rhashtable_lookup_fast(&cn->users, &k, user_params);
	if (u)
		return u->pool->dead ? ERR_PTR(-ENOSPC) : u;
	if (cgn_is_b4(b4) && cgn_softwire_full(cn, inst, b4))
		return ERR_PTR(-EUSERS);

	/* Paired pooling: every block of a subscriber on one address. */
	word = user_word(b4, addr);
	list_for_each_entry_rcu(pool, &inst->pools, list)
		if (!cgn_pool_alloc_addr(pool, word, &idx, &block))
			break;
	if (list_entry_is_head(pool, &inst->pools, list))
		return ERR_PTR(-ENOSPC);

	max_blocks = READ_ONCE(inst->cfg.max_blocks);
	u = cgn_user_insert(cn, inst, pool, b4, addr, idx, max_blocks);
	if (!IS_ERR(u) && cgn_user_add_block(cn, u, block)) {
		cgn_user_release(cn, u);
		u = ERR_PTR(-ENOMEM);
	}
	if (IS_ERR(u))
		cgn_pool_free_block(pool, idx, block);
	return u;
}

static u16 block_port(const struct cgn_user *u, u32 n)
{
	const struct cgn_pool *pool = u->pool;

	return pool->port_min + u->blocks[n / pool->block_size] * pool->block_size +
	       n % pool->block_size;
}

/* How many ports of the subscriber's block @i, its first ones, are below 1024. */
static u32 block_low(const struct cgn_user *u, u32 i)
{
	u32 bsize = u->pool->block_size;
	u32 first = block_port(u, i * bsize);

	return first >= 1024 ? 0 : min(bsize, 1024 - first);
}

/* Ports of block @i in @class (1: below 1024, 0: the others). */
static u32 block_class(const struct cgn_user *u, u32 i, int class)
{
	u32 low = block_low(u, i);

	return class ? low : u->pool->block_size - low;
}

/* A random port index of @class (-1: any) in the subscriber's blocks. */
static int random_index(const struct cgn_user *u, int class, u32 *n)
{
	u32 i, in, count = 0;
	u32 r;

	if (class < 0) {
		*n = get_random_u32_below(u->nblocks * u->pool->block_size);
		return 0;
	}
	for (i = 0; i < u->nblocks; i++)
		count += block_class(u, i, class);
	if (!count)
		return -ENOSPC;
	r = get_random_u32_below(count);
	for (i = 0; i < u->nblocks; i++) {
		in = block_class(u, i, class);
		if (r < in) {
			*n = i * u->pool->block_size + (class ? r : block_low(u, i) + r);
			return 0;
		}
		r -= in;
	}
	return -ENOSPC;
}

/* A clear bit of @map in [@lo, @hi), from @off on and round; -1: none. */
static int free_bit(const unsigned long *map, u32 lo, u32 hi, u32 off)
{
	u32 n = find_next_zero_bit(map, hi, off);

	if (n < hi)
		return n;
	n = find_next_zero_bit(map, off, lo);
	return n < off ? n : -1;
}

/*
 * A free port of @class for @proto among the subscriber's blocks: from a
 * random one (RFC 6056 algorithm 1) through its block, then block by
 * block, each from a random port of the class.
 */
static int probe_port(struct cgn_user *u, u8 proto, int class, __be16 *port)
{
	u32 bsize = u->pool->block_size;
	u32 start, off, j, b, lo, hi, low;
	int n;

	if (random_index(u, class, &start))
		return -ENOSPC;
	off = start % bsize;
	for (j = 0; j < u->nblocks; j++) {
		b = (start / bsize + j) % u->nblocks;
		low = block_low(u, b);
		lo = class == 0 ? low : 0;
		hi = class == 1 ? low : bsize;
		if (lo >= hi)
			continue;
		if (j)
			off = lo + get_random_u32_below(hi - lo);
		n = free_bit(port_map(u, proto, b), lo, hi, off);
		if (n >= 0) {
			*port = htons(block_port(u, b * bsize + n));
			return 0;
		}
	}
	return -ENOSPC;
}

/*
 * Pick a free outside port among the subscriber's blocks, of the same
 * class as the inside port (0-1023 or 1024-65535, RFC 4787 REQ-3) when the
 * blocks have one; take one more block when all are in use.
 */
static int user_pick_port(struct cgn_net *cn, struct cgn_user *u, u8 proto,
			  __be16 in_port, __be16 *port)
{
	int class = proto == IPPROTO_ICMP ? -1 : ntohs(in_port) < 1024;
	u32 block;

	for (;;) {
		if (class >= 0 && !probe_port(u, proto, class, port))
			return 0;
		if (!probe_port(u, proto, -1, port))
			return 0;
		if (u->nblocks >= u->max_blocks ||
		    cgn_pool_alloc_block(u->pool, u->addr_idx, &block))
			return -ENOSPC;
		if (cgn_user_add_block(cn, u, block)) {
			cgn_pool_free_block(u->pool, u->addr_idx, block);
			return -ENOMEM;
		}
	}
}

/*
 * New entries are allocated before the lock is taken (the packet path) or
 * under it (replica.c); the *_link functions take them, in the tables on
 * success.
 */
static int mapping_link(struct cgn_net *cn, struct cgn_mapping *m,
			struct cgn_user *u, u8 proto, __be32 in_addr,
			__be16 in_port, __be16 port)
{
	unsigned long *map;
	int err, bit;

	bit = port_bit(u, proto, port, &map);
	if (bit < 0)
		return -EINVAL;		/* not in the subscriber's blocks */
	if (test_bit(bit, map))
		return -EADDRINUSE;	/* a mapping has it */
	m->in_addr = in_addr;
	m->in_port = in_port;
	m->out_port = port;
	m->proto = proto;
	m->user = u;
	INIT_HLIST_HEAD(&m->sessions);
	err = rhashtable_insert_fast(&cn->map_in, &m->in_node, map_in_params);
	if (err)
		return err;
	err = rhashtable_insert_fast(&cn->map_out, &m->out_node, map_out_params);
	if (err) {
		rhashtable_remove_fast(&cn->map_in, &m->in_node, map_in_params);
		return err;
	}
	__set_bit(bit, map);
	u->nmappings++;
	atomic_inc(&u->inst->nmappings);
	cgn_digest_add(u->inst, cgn_digest_mapping(m));
	cgn_sync_mapping(cn, m);
	return 0;
}

/* A mapping of @in_addr:@in_port of the subscriber to its outside @port. */
struct cgn_mapping *cgn_mapping_insert(struct cgn_net *cn, struct cgn_user *u,
				       u8 proto, __be32 in_addr, __be16 in_port,
				       __be16 port)
{
	struct cgn_mapping *m;
	int err;

	m = kmem_cache_zalloc(mapping_cache, GFP_ATOMIC);
	if (!m)
		return ERR_PTR(-ENOMEM);
	err = mapping_link(cn, m, u, proto, in_addr, in_port, port);
	if (err) {
		kmem_cache_free(mapping_cache, m);
		return ERR_PTR(err);
	}
	return m;
}

/* A session of @m with a remote endpoint; its timer is set by the caller. */
static int session_link(struct cgn_net *cn, struct cgn_session *s,
			struct cgn_mapping *m, __be32 rem_addr, __be16 rem_port)
{
	struct hlist_node *first = m->sessions.first;
	struct cgn_user *u = m->user;
	int err;

	s->key.m = m;
	s->key.addr = rem_addr;
	s->key.port = rem_port;
	s->expires = jiffies + HZ;	/* set properly by the first refresh */
	s->born = (u32)jiffies;
	/* a second session: both in the table first (cgn_session_find) */
	if (first) {
		err = session_hash(cn, hlist_entry(first, struct cgn_session, list));
		if (!err)
			err = session_hash(cn, s);
		if (err)
			return err;
	}
	hlist_add_head_rcu(&s->list, &m->sessions);
	u->nsessions++;
	atomic_inc(&u->inst->nsessions);
	cgn_digest_add(u->inst, cgn_digest_session(s));
	cgn_sync_session(cn, s);
	return 0;
}

struct cgn_session *cgn_session_insert(struct cgn_net *cn, struct cgn_mapping *m,
				       __be32 rem_addr, __be16 rem_port)
{
	struct cgn_session *s;
	int err;

	s = kmem_cache_zalloc(session_cache, GFP_ATOMIC);
	if (!s)
		return ERR_PTR(-ENOMEM);
	err = session_link(cn, s, m, rem_addr, rem_port);
	if (err) {
		kmem_cache_free(session_cache, s);
		return ERR_PTR(err);
	}
	return s;
}

/* Room for one more session of @u, RFC 6888 REQ-4 (a drop is counted). */
static bool session_room(struct cgn_user *u)
{
	struct cgn_instance *inst = u->inst;
	u32 limit = READ_ONCE(inst->cfg.session_limit);

	if (u->nsessions < READ_ONCE(inst->cfg.max_sessions) &&
	    (!limit || atomic_read(&inst->nsessions) < limit))
		return true;
	cgn_count(inst, drop_limit);
	return false;
}

/* The session of @m with the remote, made of *@new if there is none. */
static struct cgn_session *session_new(struct cgn_net *cn, struct cgn_mapping *m,
				       __be32 rem_addr, __be16 rem_port,
				       struct cgn_session **new)
{
	struct cgn_session *s;
	int err;

	s = cgn_session_find(cn, m, rem_addr, rem_port);
	if (s)
		return s;
	if (!session_room(m->user))
		return ERR_PTR(-EDQUOT);
	err = session_link(cn, *new, m, rem_addr, rem_port);
	if (err)
		return ERR_PTR(err);
	s = *new;
	*new = NULL;
	cgn_count(m->user->inst, sessions_created);
	return s;
}

static bool mapping_has_remote(struct cgn_mapping *m, __be32 addr)
{
	struct cgn_session *s;

	hlist_for_each_entry(s, &m->sessions, list)
		if (s->key.addr == addr)
			return true;
	return false;
}

/*
 * A new session on an existing mapping, for an inbound packet from a new
 * remote endpoint, as the instance's filtering allows (RFC 4787 REQ-8).
 */
struct cgn_session *cgn_session_add(struct cgn_net *cn, struct cgn_mapping *m,
				    __be32 rem_addr, __be16 rem_port)
{
	u8 filtering = READ_ONCE(m->user->inst->cfg.filtering);
	struct cgn_session *s, *new;

	new = kmem_cache_zalloc(session_cache, GFP_ATOMIC);
	if (!new)
		return ERR_PTR(-ENOMEM);
	cgn_lock_user(cn, m->user);
	if (cgn_mapping_dead(m) || cgn_mapping_held(m))
		s = ERR_PTR(-ENOENT);
	else if (filtering == CGN_FILTER_APDF ||
		 (filtering == CGN_FILTER_ADF && !mapping_has_remote(m, rem_addr)))
		s = ERR_PTR(-EPERM);
	else
		s = session_new(cn, m, rem_addr, rem_port, &new);
	cgn_unlock_user(cn, m->user);
	if (new)
		kmem_cache_free(session_cache, new);
	return s;
}

/*
 * A new mapping of the subscriber, made of *@new: an outside port of the
 * subscriber's blocks, more blocks if they are full.
 */
static struct cgn_mapping *mapping_new(struct cgn_net *cn, struct cgn_user *u,
				       u8 proto, __be32 in_addr, __be16 in_port,
				       struct cgn_mapping **new)
{
	struct cgn_mapping *m = *new;
	__be16 port;
	int err;

	if (!session_room(u))
		return ERR_PTR(-EDQUOT);
	err = user_pick_port(cn, u, proto, in_port, &port);
	if (!err)
		err = mapping_link(cn, m, u, proto, in_addr, in_port, port);
	if (err)
		return ERR_PTR(err);
	*new = NULL;
	return m;
}

/*
 * A session for outbound @p, with its mapping and user if needed; @mapped:
 * the caller found the mapping. Its objects are allocated first, so the
 * lock is held for the tables only.
 */
struct cgn_session *cgn_session_create(struct cgn_net *cn,
				       struct cgn_instance *inst,
				       const struct cgn_pkt *p, bool mapped)
{
	const struct in6_addr *b4 = p->b4;
	__be32 in_addr = p->saddr;
	__be16 in_port = p->sport;
	struct cgn_mapping *m, *new_m = NULL;
	struct cgn_session *s, *new_s;
	struct cgn_user *u;
	/* a B4 is one subscriber, whatever its inside addresses */
	__be32 user_addr = cgn_is_b4(b4) ? 0 : in_addr;
	u8 shard = cgn_shard_of(b4, user_addr);
	bool fresh = false;
	bool held = false;
	u8 proto = p->proto;

	new_s = kmem_cache_zalloc(session_cache, GFP_ATOMIC);
	if (!new_s)
		return ERR_PTR(-ENOMEM);
	if (!mapped) {
		new_m = kmem_cache_zalloc(mapping_cache, GFP_ATOMIC);
		if (!new_m) {
			s = ERR_PTR(-ENOMEM);
			goto out_free;
		}
	}

	cgn_lock_shard(cn, shard);
	m = cgn_mapping_find_in(cn, proto, b4, in_addr, in_port);
	if (m) {
		held = cgn_mapping_held(m);
		cgn_mapping_set(m, CGN_MAP_HELD, false);	/* taken up again */
	} else {
		if (!new_m)	/* it went since the caller's lookup */
			new_m = kmem_cache_zalloc(mapping_cache, GFP_ATOMIC);
		if (!new_m) {
			s = ERR_PTR(-ENOMEM);
			goto out;
		}
		u = user_get(cn, inst, b4, user_addr);
		if (IS_ERR(u)) {
			s = ERR_CAST(u);
			goto out;
		}
		if (u->inst != inst) {
			s = ERR_PTR(-EINVAL);
			goto out;
		}
		m = mapping_new(cn, u, proto, in_addr, in_port, &new_m);
		if (IS_ERR(m)) {
			s = ERR_CAST(m);
			cgn_user_release(cn, u);
			goto out;
		}
		fresh = true;
	}
	s = session_new(cn, m, p->daddr, p->dport, &new_s);
	if (IS_ERR(s) && hlist_empty(&m->sessions)) {
		if (fresh)
			cgn_mapping_del(cn, m);
		else
			cgn_mapping_set(m, CGN_MAP_HELD, held);
	}
out:
	cgn_unlock_shard(cn, shard);
out_free:
	if (new_m)
		kmem_cache_free(mapping_cache, new_m);
	if (new_s)
		kmem_cache_free(session_cache, new_s);
	return s;
}

/*
 * Call @fn on every mapping, under RCU, dropping the RCU lock now and
 * then so a large table does not stall the CPU; the pause comes before
 * @fn, while the walk's current entry is still in the table. An entry
 * removed meanwhile by another path can make a walk miss a few entries:
 * callers that must see all of them walk again. Returns how many @fn
 * reported as removed. Process context only.
 */
unsigned int cgn_walk_mappings(struct cgn_net *cn,
				  bool (*fn)(struct cgn_net *cn, struct cgn_mapping *m,
					     const void *arg),
				  const void *arg)
{
	struct rhashtable_iter iter;
	struct cgn_mapping *m;
	unsigned int n = 0, removed = 0;

	rhashtable_walk_enter(&cn->map_in, &iter);
	rhashtable_walk_start(&iter);
	while ((m = rhashtable_walk_next(&iter))) {
		if (IS_ERR(m))
			continue;	/* -EAGAIN: resized, go on */
		if (++n % CGN_WALK_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
		removed += fn(cn, m, arg);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return removed;
}

struct flush_match {
	const struct cgn_instance *inst;
	const struct cgn_pool *pool;
	__be32 addr;	/* with mask: NAT44 subscribers in this prefix */
	__be32 mask;
	const struct in6_addr *b4;	/* with len: B4s in this prefix */
	u8 len;
};

static bool flush_match(const struct flush_match *match,
			const struct cgn_mapping *m)
{
	if ((match->inst && m->user->inst != match->inst) ||
	    (match->pool && m->user->pool != match->pool))
		return false;
	if (match->b4)
		return cgn_is_b4(&m->user->b4) && ipv6_prefix_equal(&m->user->b4, match->b4, match->len);
	if (!match->mask)
		return !match->addr;
	return !cgn_is_b4(&m->user->b4) && (m->in_addr & match->mask) == match->addr;
}

static bool flush_mapping(struct cgn_net *cn, struct cgn_mapping *m,
			  const void *arg)
{
	const struct flush_match *match = arg;
	struct cgn_user *u = m->user;	/* freed after RCU, not before */
	struct cgn_session *s;
	struct hlist_node *tmp;
	bool removed = false;

	if (!flush_match(match, m))
		return false;
	cgn_lock_user(cn, u);
	if (!cgn_mapping_dead(m)) {
		hlist_for_each_entry_safe(s, tmp, &m->sessions, list)
			cgn_session_unlink(cn, s);
		cgn_mapping_del(cn, m);
		removed = true;
	}
	cgn_unlock_user(cn, u);
	return removed;
}

/* Before its flush: from now on no mapping is made on @pool. */
void cgn_pool_kill(struct cgn_net *cn, struct cgn_pool *pool)
{
	write_lock_bh(&cn->lock);
	pool->dead = true;
	write_unlock_bh(&cn->lock);
}

/*
 * Remove every mapping of @inst (or of @pool, or of subscribers in
 * @addr/@mask; all when NULL and 0), with its sessions and, once unused,
 * its user.
 */
void cgn_flush(struct cgn_net *cn, const struct cgn_instance *inst,
	       const struct cgn_pool *pool, __be32 addr, __be32 mask)
{
	struct flush_match match = {
		.inst = inst, .pool = pool, .addr = addr & mask, .mask = mask,
	};

	/* The caller stopped new matching entries: walk until none is left. */
	while (cgn_walk_mappings(cn, flush_mapping, &match))
		;
}

/* Remove every mapping of B4s in @b4/@len (of @inst, if not NULL). */
void cgn_flush_b4(struct cgn_net *cn, const struct cgn_instance *inst,
		  const struct in6_addr *b4, u8 len)
{
	struct flush_match match = { .inst = inst, .b4 = b4, .len = len };

	while (cgn_walk_mappings(cn, flush_mapping, &match))
		;
}

static void gc_mapping(struct cgn_net *cn, struct cgn_mapping *m)
{
	struct cgn_user *u = m->user;
	struct cgn_session *s;
	struct hlist_node *tmp;
	bool expired = false;
	u32 now = jiffies;

	if (cgn_standby(m->user->inst))
		return;		/* its entries go when the active board says */
	if (cgn_mapping_held(m)) {
		expired = !time_before32(now, READ_ONCE(m->expires));
	} else {
		hlist_for_each_entry_rcu(s, &m->sessions, list) {
			if (!time_before32(now, READ_ONCE(s->expires)))
				expired = true;
			cgn_sync_aged(cn, s);
		}
	}
	if (!expired)
		return;

	cgn_lock_user(cn, u);
	if (cgn_mapping_dead(m))
		goto out;
	if (cgn_mapping_held(m)) {
		if (!time_before32(now, m->expires))
			cgn_mapping_del(cn, m);
		goto out;
	}
	hlist_for_each_entry_safe(s, tmp, &m->sessions, list) {
		if (time_before32(now, READ_ONCE(s->expires)))
			continue;
		cgn_count(m->user->inst, sessions_expired);
		cgn_session_del(cn, s);	/* may free or hold m: last in the loop */
	}
out:
	cgn_unlock_user(cn, u);
}

/*
 * Expire sessions in slices of CGN_GC_BUDGET mappings, so a large table
 * costs no long stall: a pass over a million mappings takes about 12 s,
 * which is how late a timer may fire at that size.
 */
static void cgn_gc_worker(struct work_struct *work)
{
	struct cgn_net *cn = container_of(to_delayed_work(work), struct cgn_net,
					  gc_work);
	struct cgn_mapping *m;
	unsigned int n;
	bool done = false;

	if (!cn->gc_walking) {
		rhashtable_walk_enter(&cn->map_in, &cn->gc_iter);
		cn->gc_walking = true;
	}
	rhashtable_walk_start(&cn->gc_iter);
	for (n = 1; n <= CGN_GC_BUDGET; n++) {
		m = rhashtable_walk_next(&cn->gc_iter);
		if (!m) {
			done = true;
			break;
		}
		if (IS_ERR(m))
			continue;	/* -EAGAIN: resized, go on */
		if (n % CGN_WALK_BATCH == 0) {	/* before m may go */
			rhashtable_walk_stop(&cn->gc_iter);
			cond_resched();
			rhashtable_walk_start(&cn->gc_iter);
		}
		gc_mapping(cn, m);
	}
	rhashtable_walk_stop(&cn->gc_iter);
	if (done) {
		rhashtable_walk_exit(&cn->gc_iter);
		cn->gc_walking = false;
	}
	queue_delayed_work(system_power_efficient_wq, &cn->gc_work,
			   done ? CGN_GC_INTERVAL : CGN_GC_STEP);
}

void cgn_gc_stop(struct cgn_net *cn)
{
	cancel_delayed_work_sync(&cn->gc_work);
	if (cn->gc_walking) {
		rhashtable_walk_exit(&cn->gc_iter);
		cn->gc_walking = false;
	}
}

void cgn_gc_start(struct cgn_net *cn)
{
	INIT_DEFERRABLE_WORK(&cn->gc_work, cgn_gc_worker);
	queue_delayed_work(system_power_efficient_wq, &cn->gc_work,
			   CGN_GC_INTERVAL);
}
