// SPDX-License-Identifier: GPL-2.0
/*
 * Events for the peer board. A change to an entry of an active instance
 * queues the entry's key (16 bytes, in a ring allocated with the board);
 * a worker, a few milliseconds later, looks each key up and multicasts the
 * entry's state of that moment to the "sync" group, many per message. An
 * entry changed again before the worker ran is queued once (its "queued"
 * mark), so it is sent once, as it is now; a key whose entry is gone is
 * sent as a deletion. A mapping with sessions is not sent: its sessions'
 * entries carry it.
 *
 * Nothing here allocates or sends on the packet path: queueing is a copy
 * under a spinlock. A full ring drops the change, counts it, and flags the
 * next message so the agent copies the instance again. With nobody
 * listening nothing is queued at all.
 *
 * Each instance also keeps a digest of its entries: the sum of a hash of
 * every user, port block, mapping and session, updated where they are
 * added and removed (under the table locks), so the boards can compare their
 * tables without walking them.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "netlink.h"
#include "sync.h"

#define CGN_SYNC_RING	16384			/* queued keys, a power of 2 */
#define CGN_SYNC_CHUNK	256			/* keys taken per pass */
#define CGN_SYNC_DELAY	msecs_to_jiffies(4)	/* coalescing window */

struct cgn_sync {
	spinlock_t lock;		/* the ring and the "queued" marks */
	unsigned int head, tail;	/* free running */
	bool lost;			/* the ring overflowed */
	u32 seq;			/* of the last message sent */
	struct mutex mutex;		/* one flush at a time */
	struct delayed_work work;
	struct cgn_net *cn;
	struct cgn_entry_key chunk[CGN_SYNC_CHUNK];	/* under mutex */
	struct cgn_entry_key ring[CGN_SYNC_RING];
};

static struct workqueue_struct *cgn_sync_wq;
static bool cgn_sync_stopped;

int __init cgn_sync_wq_init(void)
{
	cgn_sync_wq = alloc_workqueue("cgn_sync", WQ_UNBOUND, 0);
	return cgn_sync_wq ? 0 : -ENOMEM;
}

/* Before the family goes: no worker runs or starts after this. */
void cgn_sync_wq_stop(void)
{
	WRITE_ONCE(cgn_sync_stopped, true);
	flush_workqueue(cgn_sync_wq);
}

void cgn_sync_wq_exit(void)
{
	destroy_workqueue(cgn_sync_wq);
}

static void sync_worker(struct work_struct *work);

int cgn_sync_init(struct cgn_net *cn)
{
	struct cgn_sync *sy;

	sy = kvzalloc(sizeof(*sy), GFP_KERNEL);
	if (!sy)
		return -ENOMEM;
	spin_lock_init(&sy->lock);
	mutex_init(&sy->mutex);
	sy->cn = cn;
	INIT_DELAYED_WORK(&sy->work, sync_worker);
	cn->sync = sy;
	return 0;
}

void cgn_sync_exit(struct cgn_net *cn)
{
	cancel_delayed_work_sync(&cn->sync->work);
	kvfree(cn->sync);
	cn->sync = NULL;
}

static bool listening(struct cgn_net *cn)
{
	return genl_has_listeners(&cgn_family, cn->net, 0);
}

/* Queue @ev unless the entry already is (*queued); softirq or process. */
static void enqueue(struct cgn_net *cn, struct cgn_instance *inst,
		    const struct cgn_entry_key *ev, u8 *queued)
{
	struct cgn_sync *sy = cn->sync;
	unsigned int n;

	if (cgn_standby(inst) || !listening(cn))
		return;
	spin_lock_bh(&sy->lock);
	if (*queued & CGN_SYNC_QUEUED)
		goto out;
	n = sy->head - sy->tail;
	if (n >= CGN_SYNC_RING) {
		sy->lost = true;
		cgn_count(inst, sync_dropped);
		goto out;
	}
	sy->ring[sy->head++ % CGN_SYNC_RING] = *ev;
	*queued |= CGN_SYNC_QUEUED;
	cgn_count(inst, sync_queued);
	if (READ_ONCE(cgn_sync_stopped))
		goto out;
	if (n + 1 >= CGN_SYNC_CHUNK)
		mod_delayed_work(cgn_sync_wq, &sy->work, 0);
	else if (!delayed_work_pending(&sy->work))
		queue_delayed_work(cgn_sync_wq, &sy->work, CGN_SYNC_DELAY);
out:
	spin_unlock_bh(&sy->lock);
}

void cgn_sync_user(struct cgn_net *cn, struct cgn_user *u)
{
	struct cgn_entry_key ev = {
		.type = CGN_ENTRY_USER, .addr = u->addr, .b4 = u->b4,
	};

	enqueue(cn, u->inst, &ev, &u->queued);
}

void cgn_sync_mapping(struct cgn_net *cn, struct cgn_mapping *m)
{
	struct cgn_entry_key ev = {
		.type = CGN_ENTRY_MAPPING, .proto = m->proto,
		.addr = m->in_addr, .port = m->in_port, .b4 = m->user->b4,
	};

	enqueue(cn, m->user->inst, &ev, &m->queued);
}

static void sync_session(struct cgn_net *cn, struct cgn_session *s)
{
	const struct cgn_mapping *m = s->key.m;
	struct cgn_entry_key ev = {
		.type = CGN_ENTRY_SESSION, .proto = m->proto,
		.addr = m->in_addr, .port = m->in_port,
		.rem_addr = s->key.addr, .rem_port = s->key.port, .b4 = m->user->b4,
	};

	enqueue(cn, m->user->inst, &ev, &s->queued);
}

/*
 * With sync-min-age, the peer hears of a session only once it has lived
 * that long (short flows, DNS above all, never cost a sync): until then
 * its changes, its removal included, are not queued; the expiry worker
 * queues it when it comes of age (cgn_sync_aged).
 */
void cgn_sync_session(struct cgn_net *cn, struct cgn_session *s)
{
	u32 min_age = READ_ONCE(s->key.m->user->inst->cfg.sync_min_age);

	if (min_age && !(READ_ONCE(s->queued) & CGN_SYNC_SENT) &&
	    (u32)jiffies - s->born < msecs_to_jiffies(min_age))
		return;
	sync_session(cn, s);
}

/* From the expiry worker: @s may have come of age. */
void cgn_sync_aged(struct cgn_net *cn, struct cgn_session *s)
{
	u32 min_age = READ_ONCE(s->key.m->user->inst->cfg.sync_min_age);

	if (min_age && !(READ_ONCE(s->queued) & (CGN_SYNC_SENT | CGN_SYNC_QUEUED)) &&
	    (u32)jiffies - s->born >= msecs_to_jiffies(min_age))
		sync_session(cn, s);
}

/* The entry @ev names, if it still exists; under RCU. */
static void *ev_lookup(struct cgn_net *cn, const struct cgn_entry_key *ev, u8 **queued)
{
	struct cgn_mapping *m;
	struct cgn_session *s;
	struct cgn_user *u;

	if (ev->type == CGN_ENTRY_USER) {
		u = cgn_user_find(cn, &ev->b4, ev->addr);
		*queued = u ? &u->queued : NULL;
		return u;
	}
	m = cgn_mapping_find_in(cn, ev->proto, &ev->b4, ev->addr, ev->port);
	if (!m || cgn_mapping_dead(m))
		return NULL;
	if (ev->type == CGN_ENTRY_MAPPING) {
		*queued = &m->queued;
		return m;
	}
	s = cgn_session_find(cn, m, ev->rem_addr, ev->rem_port);
	*queued = s ? &s->queued : NULL;
	return s;
}

/*
 * The entry @ev names, as it is now; 1 when there is nothing to send: a
 * mapping with sessions goes with them (a session entry carries its
 * mapping; the session that made or took it up is queued too).
 */
static int put_ev(struct sk_buff *skb, struct cgn_net *cn,
		  const struct cgn_entry_key *ev)
{
	struct cgn_mapping *m;
	u8 *queued;
	void *e;

	e = ev_lookup(cn, ev, &queued);
	if (!e)
		return cgn_put_entry_del(skb, ev);
	switch (ev->type) {
	case CGN_ENTRY_USER:
		return cgn_put_user_entry(skb, e);
	case CGN_ENTRY_MAPPING:
		m = e;
		if (!hlist_empty(&m->sessions))
			return 1;
		return cgn_put_mapping_entry(skb, m);
	default:
		return cgn_put_session_entry(skb, e);
	}
}

static struct sk_buff *msg_new(struct cgn_sync *sy, bool lost, struct nlattr **nest,
			       void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &cgn_family, 0, CGN_CMD_SYNC_EVENT);
	if (!*hdr ||
	    nla_put_u32(skb, CGN_A_SEQ, sy->seq + 1) ||
	    (lost && nla_put_flag(skb, CGN_A_SYNC_LOST)))
		goto err;
	*nest = nla_nest_start(skb, CGN_A_ENTRIES);
	if (!*nest)
		goto err;
	return skb;
err:
	nlmsg_free(skb);
	return NULL;
}

static void msg_send(struct cgn_sync *sy, struct sk_buff *skb, struct nlattr *nest,
		     void *hdr)
{
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	sy->seq++;
	/* no listener or a full one: the agent sees the gap */
	genlmsg_multicast_netns(&cgn_family, sy->cn->net, skb, 0, 0, GFP_KERNEL);
}

/*
 * Take up to a chunk of keys off the ring and clear their entries' marks:
 * a change from now on queues them again, so nothing is missed by reading
 * their state after this.
 */
static unsigned int take_chunk(struct cgn_sync *sy, bool *lost)
{
	unsigned int i, n;
	u8 *queued;

	spin_lock_bh(&sy->lock);
	n = min_t(unsigned int, sy->head - sy->tail, CGN_SYNC_CHUNK);
	*lost = sy->lost;
	sy->lost = false;
	rcu_read_lock();
	for (i = 0; i < n; i++) {
		sy->chunk[i] = sy->ring[sy->tail++ % CGN_SYNC_RING];
		if (ev_lookup(sy->cn, &sy->chunk[i], &queued) && queued)
			WRITE_ONCE(*queued, CGN_SYNC_SENT);
	}
	rcu_read_unlock();
	spin_unlock_bh(&sy->lock);
	return n;
}

/* Send everything queued. Returns the number of entries sent. */
static int flush_locked(struct cgn_sync *sy)
{
	struct sk_buff *skb = NULL;
	struct nlattr *nest = NULL;
	unsigned int in_msg = 0;
	void *hdr = NULL;
	int i, n, err, sent = 0;
	bool lost;

	lockdep_assert_held(&sy->mutex);
	for (;;) {
		n = take_chunk(sy, &lost);
		if (!n && !lost)
			break;
		if (lost && skb) {
			msg_send(sy, skb, nest, hdr);
			skb = NULL;
		}
		for (i = 0; i < n || (lost && !skb); i++) {
			if (!skb) {
				skb = msg_new(sy, lost, &nest, &hdr);
				if (!skb)
					goto nomem;
				lost = false;
				in_msg = 0;
				if (i >= n)
					break;
			}
			rcu_read_lock();
			err = put_ev(skb, sy->cn, &sy->chunk[i]);
			rcu_read_unlock();
			if (err > 0)
				continue;
			if (!err) {
				in_msg++;
				sent++;
			} else if (in_msg) {	/* full: again in the next one */
				msg_send(sy, skb, nest, hdr);	/* may sleep */
				skb = NULL;
				i--;
			}
		}
	}
	if (skb)
		msg_send(sy, skb, nest, hdr);
	return sent;

nomem:
	spin_lock_bh(&sy->lock);
	sy->lost = true;	/* the agent will copy everything again */
	spin_unlock_bh(&sy->lock);
	return -ENOMEM;
}

static void sync_worker(struct work_struct *work)
{
	struct cgn_sync *sy = container_of(to_delayed_work(work), struct cgn_sync, work);

	if (READ_ONCE(cgn_sync_stopped))
		return;
	mutex_lock(&sy->mutex);
	flush_locked(sy);
	mutex_unlock(&sy->mutex);
}

/* Now, not in a few milliseconds. Process context. */
int cgn_sync_flush(struct cgn_net *cn)
{
	int n;

	mutex_lock(&cn->sync->mutex);
	n = flush_locked(cn->sync);
	mutex_unlock(&cn->sync->mutex);
	return n;
}

/*
 * The digest of @inst, its number of entries, and the sequence number of
 * the last event message: every change counted in the digest was sent in
 * that message or before, and none is still queued.
 */
int cgn_sync_digest(struct cgn_net *cn, const struct cgn_instance *inst,
		    u64 *digest, u32 *count, u32 *seq)
{
	struct cgn_sync *sy = cn->sync;
	int tries, err = -EAGAIN;
	bool idle;

	mutex_lock(&sy->mutex);
	for (tries = 0; tries < 8 && err; tries++) {
		flush_locked(sy);
		write_lock_bh(&cn->lock);	/* no change to the digest now */
		spin_lock(&sy->lock);
		idle = sy->head == sy->tail && !sy->lost;
		spin_unlock(&sy->lock);
		if (idle) {
			*digest = atomic64_read(&inst->digest);
			*count = atomic_read(&inst->nusers) +
				 atomic_read(&inst->nmappings) +
				 atomic_read(&inst->nsessions);
			*seq = sy->seq;
			err = 0;
		}
		write_unlock_bh(&cn->lock);
	}
	mutex_unlock(&sy->mutex);
	return err;
}

/* Digest terms: 64-bit hashes, the same on every board. */

static u64 hash64(const u32 *w, u32 n)
{
	return (u64)jhash2(w, n, 0x63676e31) << 32 | jhash2(w, n, 0x73796e63);
}

/* A B4 folded into a word: 0 for NAT44, so its terms stay as they were. */
static u32 b4_word(const struct in6_addr *b4)
{
	return cgn_is_b4(b4) ? jhash2((const u32 *)b4->s6_addr32, 4, 0x64736c74) : 0;
}

u64 cgn_digest_user(const struct cgn_user *u)
{
	u32 w[3] = {
		CGN_ENTRY_USER, (__force u32)u->addr ^ b4_word(&u->b4),
		(__force u32)u->ext_addr,
	};

	return hash64(w, ARRAY_SIZE(w));
}

u64 cgn_digest_block(const struct cgn_user *u, u32 block)
{
	u32 w[3] = {
		0x100 | CGN_ENTRY_USER, (__force u32)u->addr ^ b4_word(&u->b4), block,
	};

	return hash64(w, ARRAY_SIZE(w));
}

u64 cgn_digest_mapping(const struct cgn_mapping *m)
{
	u32 w[5] = {
		CGN_ENTRY_MAPPING | m->proto << 8,
		(__force u32)m->in_addr ^ b4_word(&m->user->b4),
		(__force u32)m->in_port, (__force u32)m->user->ext_addr,
		(__force u32)m->out_port,
	};

	return hash64(w, ARRAY_SIZE(w));
}

u64 cgn_digest_session(const struct cgn_session *s)
{
	const struct cgn_mapping *m = s->key.m;
	u32 w[5] = {
		CGN_ENTRY_SESSION | m->proto << 8,
		(__force u32)m->in_addr ^ b4_word(&m->user->b4),
		(__force u32)m->in_port, (__force u32)s->key.addr,
		(__force u32)s->key.port,
	};

	return hash64(w, ARRAY_SIZE(w));
}
