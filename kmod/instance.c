// SPDX-License-Identifier: GPL-2.0
/*
 * Instances: the unit of configuration (and later of failover). Changed
 * under cgn_net.cfg_mutex, read by the packet path under RCU.
 */
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cgn.h"

static const struct cgn_config cgn_config_default = {
	.timeout_udp = 300,		/* RFC 4787 REQ-5: >= 120 s */
	.timeout_tcp_est = 7440,	/* RFC 5382 REQ-5: >= 2 h 4 min */
	.timeout_tcp_trans = 240,
	.timeout_icmp = 60,		/* RFC 5508 REQ-1 */
	.max_sessions = 2000,
	.max_blocks = 4,
	.hold_down = 120,		/* RFC 6888 REQ-8 */
	.session_limit = 0,
	.filtering = CGN_FILTER_EIF,	/* RFC 4787 REQ-8 */
	.hairpin = 1,			/* RFC 4787 REQ-9 */
	.icmp_unreach = 1,		/* RFC 6888 REQ-11 */
	.fastpath = 0,
	.tunnel_mtu = 1500,		/* RFC 6333 5.3 */
	.max_softwires = 1,		/* RFC 8513 */
	.softwire_len = 56,
};

struct cgn_instance *cgn_instance_find(struct cgn_net *cn, const char *name)
{
	struct cgn_instance *inst;

	list_for_each_entry_rcu(inst, &cn->instances, list,
				lockdep_is_held(&cn->cfg_mutex))
		if (!strcmp(inst->name, name))
			return inst;
	return NULL;
}

void cgn_config_init(struct cgn_config *cfg)
{
	*cfg = cgn_config_default;
}

struct cgn_instance *cgn_instance_new(struct cgn_net *cn, const char *name,
				      const struct cgn_config *cfg)
{
	struct cgn_instance *inst;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return NULL;
	inst->stats = alloc_percpu(struct cgn_stats);
	if (!inst->stats) {
		kfree(inst);
		return NULL;
	}
	strscpy(inst->name, name, sizeof(inst->name));
	inst->cfg = *cfg;
	INIT_LIST_HEAD(&inst->pools);
	INIT_LIST_HEAD(&inst->insides);
	INIT_LIST_HEAD(&inst->passes);
	INIT_LIST_HEAD(&inst->aftrs);
	INIT_LIST_HEAD(&inst->b4s);
	list_add_tail_rcu(&inst->list, &cn->instances);
	cn->ninstances++;
	return inst;
}

static void pool_free_rcu(struct rcu_head *rcu)
{
	cgn_pool_free(container_of(rcu, struct cgn_pool, rcu));
}

static void instance_free_rcu(struct rcu_head *rcu)
{
	struct cgn_instance *inst = container_of(rcu, struct cgn_instance, rcu);

	free_percpu(inst->stats);
	kfree(inst);
}

void cgn_instance_del(struct cgn_net *cn, struct cgn_instance *inst)
{
	struct cgn_prefix6 *p6, *p6tmp;
	struct cgn_prefix *p, *ptmp;
	struct cgn_pool *pool, *tmp;

	/* Unlink first so no new session can start, then drop the rest. */
	list_del_rcu(&inst->list);
	cn->ninstances--;
	if (!list_empty(&inst->aftrs))
		cn->ndslite--;
	cgn_net_count_fast(cn);
	synchronize_rcu();
	cgn_flush(cn, inst, NULL, 0, 0);

	list_for_each_entry_safe(p, ptmp, &inst->insides, list) {
		list_del_rcu(&p->list);
		kfree_rcu(p, rcu);
	}
	list_for_each_entry_safe(p, ptmp, &inst->passes, list) {
		list_del_rcu(&p->list);
		kfree_rcu(p, rcu);
	}
	list_splice_init(&inst->b4s, &inst->aftrs);
	list_for_each_entry_safe(p6, p6tmp, &inst->aftrs, list) {
		list_del_rcu(&p6->list);
		kfree_rcu(p6, rcu);
	}
	list_for_each_entry_safe(pool, tmp, &inst->pools, list) {
		list_del_rcu(&pool->list);
		call_rcu(&pool->rcu, pool_free_rcu);
	}
	call_rcu(&inst->rcu, instance_free_rcu);
}

/* After a change of instances or their settings, under cfg_mutex. */
void cgn_net_count_fast(struct cgn_net *cn)
{
	struct cgn_instance *inst;
	unsigned int n = 0;

	list_for_each_entry(inst, &cn->instances, list)
		n += !!inst->cfg.fastpath;
	WRITE_ONCE(cn->nfast, n);
}

void cgn_net_flush(struct cgn_net *cn)
{
	struct cgn_instance *inst, *tmp;

	list_for_each_entry_safe(inst, tmp, &cn->instances, list)
		cgn_instance_del(cn, inst);
}

void cgn_instance_stats(const struct cgn_instance *inst, struct cgn_stats *sum)
{
	const u64 *src;
	u64 *dst = (u64 *)sum;
	unsigned int i, cpu;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	for_each_possible_cpu(cpu) {
		src = (const u64 *)per_cpu_ptr(inst->stats, cpu);
		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			dst[i] += READ_ONCE(src[i]);
	}
}

/* The instance whose inside prefixes hold @addr. RCU. */
struct cgn_instance *cgn_inside_lookup(struct cgn_net *cn, __be32 addr)
{
	struct cgn_instance *inst;
	struct cgn_prefix *p;

	list_for_each_entry_rcu(inst, &cn->instances, list)
		list_for_each_entry_rcu(p, &inst->insides, list)
			if ((addr & p->mask) == p->addr)
				return inst;
	return NULL;
}

/* Does @inst leave traffic to @addr:@port untranslated? RCU. */
bool cgn_pass_match(const struct cgn_instance *inst, __be32 addr, __be16 port)
{
	const struct cgn_prefix *p;

	list_for_each_entry_rcu(p, &inst->passes, list)
		if ((addr & p->mask) == p->addr && (!p->port || p->port == port))
			return true;
	return false;
}

/* The pool that holds @addr. RCU. */
struct cgn_pool *cgn_pool_lookup(struct cgn_net *cn, __be32 addr)
{
	struct cgn_instance *inst;
	struct cgn_pool *pool;

	list_for_each_entry_rcu(inst, &cn->instances, list)
		list_for_each_entry_rcu(pool, &inst->pools, list)
			if ((addr & pool->mask) == pool->addr)
				return pool;
	return NULL;
}

static bool overlaps(__be32 a, __be32 amask, __be32 b, __be32 bmask)
{
	__be32 mask = amask & bmask;	/* the shorter prefix */

	return (a & mask) == (b & mask);
}

/* Does @addr/@mask overlap any pool or inside prefix of the board? */
bool cgn_prefix_overlaps(struct cgn_net *cn, __be32 addr, __be32 mask)
{
	struct cgn_instance *inst;
	struct cgn_pool *pool;
	struct cgn_prefix *p;

	lockdep_assert_held(&cn->cfg_mutex);
	list_for_each_entry(inst, &cn->instances, list) {
		list_for_each_entry(pool, &inst->pools, list)
			if (overlaps(addr, mask, pool->addr, pool->mask))
				return true;
		list_for_each_entry(p, &inst->insides, list)
			if (overlaps(addr, mask, p->addr, p->mask))
				return true;
	}
	return false;
}

/* The instance whose AFTR address is @addr. RCU. */
struct cgn_instance *cgn_aftr_lookup(struct cgn_net *cn, const struct in6_addr *addr)
{
	struct cgn_instance *inst;
	struct cgn_prefix6 *p;

	list_for_each_entry_rcu(inst, &cn->instances, list)
		list_for_each_entry_rcu(p, &inst->aftrs, list)
			if (ipv6_addr_equal(&p->addr, addr))
				return inst;
	return NULL;
}

/* Is @addr in a B4 prefix of @inst? RCU. */
bool cgn_b4_match(const struct cgn_instance *inst, const struct in6_addr *addr)
{
	const struct cgn_prefix6 *p;

	list_for_each_entry_rcu(p, &inst->b4s, list)
		if (ipv6_prefix_equal(addr, &p->addr, p->len))
			return true;
	return false;
}

/* Does @addr/@len overlap a B4 prefix of the board? */
bool cgn_b4_overlaps(struct cgn_net *cn, const struct in6_addr *addr, u8 len)
{
	struct cgn_instance *inst;
	struct cgn_prefix6 *p;

	lockdep_assert_held(&cn->cfg_mutex);
	list_for_each_entry(inst, &cn->instances, list)
		list_for_each_entry(p, &inst->b4s, list)
			if (ipv6_prefix_equal(addr, &p->addr, min(len, p->len)))
				return true;
	return false;
}
