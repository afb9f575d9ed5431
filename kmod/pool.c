// SPDX-License-Identifier: GPL-2.0
/*
 * Address pools: an IPv4 prefix whose addresses are each cut into port
 * blocks of block_size ports, from port_min up. A subscriber owns whole
 * blocks of one address (paired pooling). Block bitmaps change under
 * the pool's lock, taken inside a table lock (so with BHs off).
 */
#include <linux/bitmap.h>
#include <linux/jhash.h>
#include <linux/inetdevice.h>
#include <linux/slab.h>

#include "cgn.h"

struct cgn_pool *cgn_pool_new(struct cgn_instance *inst, __be32 addr, u8 len,
			      u16 port_min, u16 port_max, u16 block_size)
{
	struct cgn_pool *pool;
	u64 bits;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	pool->inst = inst;
	pool->mask = inet_make_mask(len);
	pool->addr = addr & pool->mask;
	pool->len = len;
	pool->port_min = port_min;
	pool->port_max = port_max;
	pool->block_size = block_size;
	pool->naddrs = len ? 1U << (32 - len) : 0;
	pool->blocks_per_addr = (port_max - port_min + 1) / block_size;

	bits = (u64)pool->naddrs * pool->blocks_per_addr;
	pool->used = bitmap_zalloc(bits, GFP_KERNEL);
	if (!pool->used) {
		kfree(pool);
		return NULL;
	}
	return pool;
}

void cgn_pool_free(struct cgn_pool *pool)
{
	bitmap_free(pool->used);
	kfree(pool);
}

/* The first free block of address @addr_idx: under the pool's lock. */
static int alloc_block(struct cgn_pool *pool, u32 addr_idx, u32 *block)
{
	u32 bpa = pool->blocks_per_addr;
	unsigned long bit;

	bit = find_next_zero_bit(pool->used, (addr_idx + 1) * bpa, addr_idx * bpa);
	if (bit >= (addr_idx + 1) * bpa)
		return -ENOSPC;
	__set_bit(bit, pool->used);
	WRITE_ONCE(pool->blocks_used, pool->blocks_used + 1);
	*block = bit - addr_idx * bpa;
	return 0;
}

/*
 * The first block of a new subscriber: its address is chosen from a hash
 * of the subscriber's, so subscribers spread over the pool; the first
 * address from there with a free block.
 */
int cgn_pool_alloc_addr(struct cgn_pool *pool, u32 user, u32 *addr_idx,
			u32 *block)
{
	u32 start = jhash_1word(user, 0) % pool->naddrs;
	int err = -ENOSPC;
	u32 i;

	spin_lock(&pool->lock);
	for (i = 0; i < pool->naddrs && err; i++) {
		*addr_idx = (start + i) % pool->naddrs;
		err = alloc_block(pool, *addr_idx, block);
	}
	spin_unlock(&pool->lock);
	return err;
}

/* One more block of @addr_idx for a subscriber there. */
int cgn_pool_alloc_block(struct cgn_pool *pool, u32 addr_idx, u32 *block)
{
	int err;

	spin_lock(&pool->lock);
	err = alloc_block(pool, addr_idx, block);
	spin_unlock(&pool->lock);
	return err;
}

/* A given block, for a copy of the peer's table. */
int cgn_pool_take_block(struct cgn_pool *pool, u32 addr_idx, u32 block)
{
	unsigned long bit = (unsigned long)addr_idx * pool->blocks_per_addr + block;
	int err = 0;

	if (block >= pool->blocks_per_addr || addr_idx >= pool->naddrs)
		return -EINVAL;
	spin_lock(&pool->lock);
	if (test_bit(bit, pool->used)) {
		err = -EADDRINUSE;
	} else {
		__set_bit(bit, pool->used);
		WRITE_ONCE(pool->blocks_used, pool->blocks_used + 1);
	}
	spin_unlock(&pool->lock);
	return err;
}

void cgn_pool_free_block(struct cgn_pool *pool, u32 addr_idx, u32 block)
{
	unsigned long bit = (unsigned long)addr_idx * pool->blocks_per_addr + block;

	spin_lock(&pool->lock);
	if (!WARN_ON_ONCE(!test_bit(bit, pool->used))) {
		__clear_bit(bit, pool->used);
		WRITE_ONCE(pool->blocks_used, pool->blocks_used - 1);
	}
	spin_unlock(&pool->lock);
}
