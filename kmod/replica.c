// SPDX-License-Identifier: GPL-2.0
/*
 * The peer's entries, applied to a standby instance. The active board is
 * the authority: its entry replaces whatever this board holds for the same
 * key, and a bulk copy (begin, entries, end) removes what it did not carry,
 * by generation: every entry applied takes the instance's current one.
 *
 * A standby instance expires nothing (table.c skips it); its entries go
 * when the active board deletes them. On promotion every session gets a
 * full timer for its state: the peer may have kept it alive since it last
 * reported it, and a timer that runs out early would break a live flow.
 */
#include "sync.h"

/* The user of a mapping or session entry: a B4's key has no address. */
static __be32 user_addr(const struct cgn_entry_key *k)
{
	return cgn_is_b4(&k->b4) ? 0 : k->addr;
}

static void flush_user(struct cgn_net *cn, const struct cgn_entry_key *k)
{
	if (cgn_is_b4(&k->b4))
		cgn_flush_b4(cn, NULL, &k->b4, 128);
	else
		cgn_flush(cn, NULL, NULL, k->addr, htonl(~0U));
}

static void mapping_drop(struct cgn_net *cn, struct cgn_mapping *m)
{
	struct cgn_session *s;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(s, tmp, &m->sessions, list)
		cgn_session_unlink(cn, s);
	cgn_mapping_del(cn, m);
}

static bool user_fits(const struct cgn_user *u, const struct cgn_entry *e)
{
	return u->inst == e->inst && u->pool == e->pool &&
	       u->ext_addr == e->ext_addr && e->nblocks <= u->max_blocks;
}

#define CGN_APPLY_HOLD	64	/* entries applied per hold of the board lock */
#define NEED_FLUSH	1	/* the subscriber's mappings must go first */

/*
 * Under the lock. A subscriber that moved is flushed first: the caller
 * does that without the lock on NEED_FLUSH, then calls again (@flushed).
 */
static int apply_user(struct cgn_net *cn, const struct cgn_entry *e, bool flushed)
{
	struct cgn_instance *inst = e->inst;
	struct cgn_pool *pool = e->pool;
	u32 idx = ntohl(e->ext_addr) - ntohl(pool->addr);
	const struct nlattr *a;
	struct cgn_user *u;
	int err = 0, rem;
	u32 block;

	u = cgn_user_find(cn, &e->key.b4, e->key.addr);
	if (u && !user_fits(u, e)) {
		if (u->inst != inst && !cgn_standby(u->inst))
			return -EBUSY;
		if (u->nmappings)	/* after a flush: taken up again meanwhile */
			return flushed ? -EBUSY : NEED_FLUSH;
		cgn_user_release(cn, u);
		u = NULL;
	}
	if (!u) {
		if (pool->dead)
			return -ENOENT;
		u = cgn_user_insert(cn, inst, pool, &e->key.b4, e->key.addr, idx,
				    max(READ_ONCE(inst->cfg.max_blocks), e->nblocks));
		if (IS_ERR(u))
			return PTR_ERR(u);
	}
	nla_for_each_nested(a, e->nla, rem) {
		if (nla_type(a) != CGN_ENTRY_A_BLOCK)
			continue;
		block = cgn_entry_block(e, a);
		if (cgn_user_has_block(u, block) >= 0)
			continue;
		if (u->nblocks >= u->max_blocks) {
			err = -ENOSPC;
			continue;
		}
		if (cgn_pool_take_block(pool, idx, block)) {
			err = -EADDRINUSE;	/* another subscriber's here */
			continue;
		}
		if (cgn_user_add_block(cn, u, block)) {
			cgn_pool_free_block(pool, idx, block);
			err = -ENOMEM;
		}
	}
	u->gen = inst->sync_gen;
	return err;
}

static bool mapping_is(const struct cgn_mapping *m, const struct cgn_entry *e)
{
	const struct cgn_entry_key *k = &e->key;

	return !cgn_mapping_dead(m) && m->in_port == k->port && m->in_addr == k->addr &&
	       m->proto == k->proto && m->out_port == e->ext_port &&
	       m->user->inst == e->inst && ipv6_addr_equal(&m->user->b4, &k->b4);
}

/*
 * The mapping @e names, made or replaced as needed. Under the lock;
 * *@last is the one the previous entry named while the lock was held (a
 * bulk copy sends a mapping, then its sessions), else NULL.
 */
static struct cgn_mapping *replica_mapping(struct cgn_net *cn,
					   const struct cgn_entry *e,
					   struct cgn_mapping **last)
{
	const struct cgn_entry_key *k = &e->key;
	struct cgn_mapping *m, *o;
	bool dropped = false;
	struct cgn_user *u;

	if (*last && mapping_is(*last, e))
		return *last;	/* checked, and its generation set */
	u = cgn_user_find(cn, &k->b4, user_addr(k));
	if (!u || u->inst != e->inst)
		return ERR_PTR(-ENOENT);
	if (cgn_user_block(u, e->ext_port) < 0)
		return ERR_PTR(-ERANGE);
	m = cgn_mapping_find_in(cn, k->proto, &k->b4, k->addr, k->port);
	if (m && m->out_port != e->ext_port) {
		mapping_drop(cn, m);
		m = NULL;
		dropped = true;
	}
	if (!m) {
		/* the port's bit says whether a mapping holds it */
		o = !cgn_user_port_taken(u, k->proto, e->ext_port) ? NULL :
		    cgn_mapping_find_out(cn, k->proto, u->ext_addr, e->ext_port);
		if (o) {
			mapping_drop(cn, o);	/* the peer's word wins */
			dropped = true;
		}
		if (dropped) {	/* with its last mapping, the user may have gone */
			u = cgn_user_find(cn, &k->b4, user_addr(k));
			if (!u)
				return ERR_PTR(-ENOENT);
		}
		m = cgn_mapping_insert(cn, u, k->proto, k->addr, k->port, e->ext_port);
		if (IS_ERR(m))
			return m;
	}
	m->gen = e->inst->sync_gen;
	*last = m;
	return m;
}

static int apply_mapping(struct cgn_net *cn, const struct cgn_entry *e,
			 struct cgn_mapping **last)
{
	struct cgn_session *s;
	struct hlist_node *tmp;
	struct cgn_mapping *m;

	m = replica_mapping(cn, e, last);
	if (IS_ERR(m))
		return PTR_ERR(m);
	if (e->held) {
		hlist_for_each_entry_safe(s, tmp, &m->sessions, list)
			cgn_session_unlink(cn, s);
		WRITE_ONCE(m->expires, jiffies + msecs_to_jiffies(e->timeout));
	}
	cgn_mapping_set(m, CGN_MAP_HELD, e->held);
	return 0;
}

static int apply_session(struct cgn_net *cn, const struct cgn_entry *e,
			 struct cgn_mapping **last)
{
	struct cgn_session *s;
	struct cgn_mapping *m;

	m = replica_mapping(cn, e, last);
	if (IS_ERR(m))
		return PTR_ERR(m);
	cgn_mapping_set(m, CGN_MAP_HELD, false);
	/* a mapping just made has none: no lookup */
	s = hlist_empty(&m->sessions) ? NULL :
	    cgn_session_find(cn, m, e->key.rem_addr, e->key.rem_port);
	if (!s) {
		s = cgn_session_insert(cn, m, e->key.rem_addr, e->key.rem_port);
		if (IS_ERR(s))
			return PTR_ERR(s);
	}
	WRITE_ONCE(s->state, e->state);
	WRITE_ONCE(s->fin, e->fin);
	WRITE_ONCE(s->expires, jiffies + msecs_to_jiffies(e->timeout));
	s->gen = e->inst->sync_gen;
	return 0;
}

/*
 * A deletion touches only entries of standby instances. Under the lock;
 * NEED_FLUSH: a user with mappings, which the caller flushes (its mappings
 * first; the user goes with the last).
 */
static int apply_del(struct cgn_net *cn, const struct cgn_entry_key *k)
{
	struct cgn_session *s = NULL;
	struct cgn_mapping *m = NULL;
	struct cgn_user *u = NULL;

	if (k->type == CGN_ENTRY_USER) {
		u = cgn_user_find(cn, &k->b4, k->addr);
	} else {
		m = cgn_mapping_find_in(cn, k->proto, &k->b4, k->addr, k->port);
		if (m && k->type == CGN_ENTRY_SESSION)
			s = cgn_session_find(cn, m, k->rem_addr, k->rem_port);
		u = m ? m->user : NULL;
	}
	if (!u || (k->type == CGN_ENTRY_SESSION && !s))
		return 0;
	if (!cgn_standby(u->inst))
		return -EBUSY;
	if (s)
		cgn_session_del(cn, s);
	else if (m)
		mapping_drop(cn, m);
	else if (!u->nmappings)
		cgn_user_release(cn, u);
	else
		return NEED_FLUSH;
	return 0;
}

static int apply_one(struct cgn_net *cn, const struct cgn_entry *e,
		     struct cgn_mapping **last, bool flushed)
{
	if (e->del)
		return apply_del(cn, &e->key);
	if (!cgn_standby(e->inst))
		return -EBUSY;
	switch (e->key.type) {
	case CGN_ENTRY_USER:
		return apply_user(cn, e, flushed);
	case CGN_ENTRY_MAPPING:
		return apply_mapping(cn, e, last);
	default:
		return apply_session(cn, e, last);
	}
}

/*
 * Apply the checked entries @es[@n] in order; each one's err is 0, or why
 * it did not fit (the caller counts them). Process context, under
 * cfg_mutex. The board lock is held, written, for CGN_APPLY_HOLD entries
 * at a time.
 */
void cgn_replica_apply(struct cgn_net *cn, struct cgn_entry *es, unsigned int n)
{
	struct cgn_mapping *last = NULL;
	unsigned int i, held = 0;
	struct cgn_entry *e;

	write_lock_bh(&cn->lock);
	for (i = 0; i < n; i++) {
		e = &es[i];
		if (++held > CGN_APPLY_HOLD) {
			write_unlock_bh(&cn->lock);
			cond_resched();
			write_lock_bh(&cn->lock);
			held = 1;
			last = NULL;
		}
		e->err = apply_one(cn, e, &last, false);
		if (e->err != NEED_FLUSH)
			continue;
		write_unlock_bh(&cn->lock);
		flush_user(cn, &e->key);
		write_lock_bh(&cn->lock);
		held = 0;
		last = NULL;
		e->err = e->del ? 0 : apply_one(cn, e, &last, true);
	}
	write_unlock_bh(&cn->lock);
}

void cgn_replica_begin(struct cgn_net *cn, struct cgn_instance *inst)
{
	write_lock_bh(&cn->lock);
	inst->sync_gen++;
	write_unlock_bh(&cn->lock);
}

static bool sweep_mapping(struct cgn_net *cn, struct cgn_mapping *m,
			  const void *arg)
{
	const struct cgn_instance *inst = arg;
	struct cgn_session *s;
	struct hlist_node *tmp;
	bool removed = false;

	if (m->user->inst != inst)
		return false;
	cgn_lock_user(cn, m->user);
	if (cgn_mapping_dead(m))
		goto out;
	if (m->gen != inst->sync_gen) {
		mapping_drop(cn, m);
		removed = true;
		goto out;
	}
	hlist_for_each_entry_safe(s, tmp, &m->sessions, list) {
		if (s->gen != inst->sync_gen) {
			cgn_session_unlink(cn, s);
			removed = true;
		}
	}
out:
	cgn_unlock_user(cn, m->user);
	return removed;
}

/* After a bulk copy: what it did not carry is no longer on the peer. */
void cgn_replica_end(struct cgn_net *cn, struct cgn_instance *inst)
{
	struct rhashtable_iter iter;
	struct cgn_user *u;

	while (cgn_walk_mappings(cn, sweep_mapping, inst))
		;
	rhashtable_walk_enter(&cn->users, &iter);
	rhashtable_walk_start(&iter);
	while ((u = rhashtable_walk_next(&iter))) {
		if (IS_ERR(u))
			continue;
		if (u->inst != inst || u->gen == inst->sync_gen)
			continue;
		cgn_lock_user(cn, u);
		if (!u->dead && !u->nmappings)
			cgn_user_release(cn, u);
		cgn_unlock_user(cn, u);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static bool promote_mapping(struct cgn_net *cn, struct cgn_mapping *m,
			    const void *arg)
{
	const struct cgn_instance *inst = arg;
	struct cgn_session *s;
	u32 hold;

	if (m->user->inst != inst)
		return false;
	cgn_lock_user(cn, m->user);
	if (cgn_mapping_dead(m))
		goto out;
	/*
	 * A standby expires nothing: every session gets its full timeout
	 * from now, a held port at most its hold-down. That also mends
	 * 32-bit jiffies gone stale over a standby of months.
	 */
	hlist_for_each_entry(s, &m->sessions, list)
		WRITE_ONCE(s->expires, jiffies +
			   cgn_timeout(&inst->cfg, m->proto, s->state) * HZ);
	hold = READ_ONCE(inst->cfg.hold_down) * HZ;
	if (cgn_mapping_held(m) && time_after32(m->expires, (u32)jiffies + hold))
		WRITE_ONCE(m->expires, jiffies + hold);
	if (hlist_empty(&m->sessions) && !cgn_mapping_held(m))
		cgn_mapping_release(cn, m, false);
out:
	cgn_unlock_user(cn, m->user);
	return false;
}

/* The instance just became active. Under cfg_mutex. */
void cgn_replica_promote(struct cgn_net *cn, struct cgn_instance *inst)
{
	cgn_walk_mappings(cn, promote_mapping, inst);
}
