// SPDX-License-Identifier: GPL-2.0
/*
 * Softwires per subscriber (RFC 8513 max-softwires-per-subscriber). A
 * DS-Lite subscriber is an IPv6 prefix of softwire_len bits; every B4 of it
 * with a user entry is one softwire. The count of each prefix lives in the
 * board's subs table, changed under cgn_net.sub_lock (inside a user's
 * lock: BHs are off), as the B4s of one prefix may be in any shard.
 */
#include <linux/slab.h>

#include "cgn.h"

struct cgn_skey6 {
	struct in6_addr prefix;
	u32 len;
};

struct cgn_sub {
	struct rhash_head node;
	struct cgn_skey6 key;
	u32 count;
	struct rcu_head rcu;
};

static const struct rhashtable_params sub_params = {
	.key_len = sizeof(struct cgn_skey6),
	.key_offset = offsetof(struct cgn_sub, key),
	.head_offset = offsetof(struct cgn_sub, node),
	.automatic_shrinking = true,
};

int cgn_softwires_init(struct cgn_net *cn)
{
	return rhashtable_init(&cn->subs, &sub_params);
}

void cgn_softwires_destroy(struct cgn_net *cn)
{
	WARN_ON(atomic_read(&cn->subs.nelems));
	rhashtable_destroy(&cn->subs);
}

static void sub_key(struct cgn_skey6 *k, const struct cgn_instance *inst,
		    const struct in6_addr *b4)
{
	k->len = READ_ONCE(inst->cfg.softwire_len);
	ipv6_addr_prefix(&k->prefix, b4, k->len);
}

/*
 * A new B4 of @inst would be one softwire too many for its subscriber: a
 * quick refusal, before a block is taken; cgn_softwire_get() decides.
 */
bool cgn_softwire_full(struct cgn_net *cn, const struct cgn_instance *inst,
		       const struct in6_addr *b4)
{
	struct cgn_skey6 k;
	struct cgn_sub *sub;

	sub_key(&k, inst, b4);
	sub = rhashtable_lookup_fast(&cn->subs, &k, sub_params);
	return sub && sub->count >= READ_ONCE(inst->cfg.max_softwires);
}

/*
 * Count the B4 user @u in its subscriber's prefix, if it has room. A
 * standby holds what its peer has: no limit there.
 */
int cgn_softwire_get(struct cgn_net *cn, struct cgn_user *u)
{
	u32 max = cgn_standby(u->inst) ? U32_MAX : READ_ONCE(u->inst->cfg.max_softwires);
	struct cgn_skey6 k;
	struct cgn_sub *sub;
	int err = 0;

	sub_key(&k, u->inst, &u->b4);
	spin_lock(&cn->sub_lock);
	sub = rhashtable_lookup_fast(&cn->subs, &k, sub_params);
	if (!sub) {
		err = -ENOMEM;
		sub = kzalloc(sizeof(*sub), GFP_ATOMIC);
		if (!sub)
			goto out;
		sub->key = k;
		err = rhashtable_insert_fast(&cn->subs, &sub->node, sub_params);
		if (err) {
			kfree(sub);
			goto out;
		}
	}
	if (sub->count >= max) {
		err = -EUSERS;	/* not a new one: max-softwires >= 1 */
		goto out;
	}
	sub->count++;
	u->sub = sub;
out:
	spin_unlock(&cn->sub_lock);
	return err;
}

void cgn_softwire_put(struct cgn_net *cn, struct cgn_user *u)
{
	struct cgn_sub *sub = u->sub;

	if (!sub)
		return;
	spin_lock(&cn->sub_lock);
	if (!--sub->count) {
		rhashtable_remove_fast(&cn->subs, &sub->node, sub_params);
		kfree_rcu(sub, rcu);
	}
	spin_unlock(&cn->sub_lock);
}
