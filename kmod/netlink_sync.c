// SPDX-License-Identifier: GPL-2.0
/*
 * Replication commands: the bulk dump of an instance, applying the peer's
 * entries, the begin and end of a bulk copy, and the digest.
 */
#include <linux/slab.h>

#include "compat.h"

#include "sync.h"

/*
 * The dump: every user of the instance, then every mapping's sessions, as
 * many entries per message as fit. A session entry carries its mapping
 * (the apply makes it), so a mapping is sent as an entry of its own only
 * when it has no session (a held port). A full message stops the walk at
 * an entry that is sent first in the next one (peek); inside a mapping,
 * cb->args[1] counts how many of its entries were sent.
 */
struct sync_dump {
	struct rhashtable_iter iter;
	const struct cgn_instance *inst;
	bool mappings;		/* done with the users */
	bool resume;		/* peek: the last entry did not fit */
};

int cgn_sync_dump_start(struct netlink_callback *cb)
{
	struct cgn_net *cn = cgn_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = cgn_dump_attrs(cb);
	struct sync_dump *d;

	if (!attrs || !attrs[CGN_A_INSTANCE]) {
		NL_SET_ERR_MSG(cb->extack, "instance name missing");
		return -EINVAL;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&cn->cfg_mutex);
	d->inst = cgn_nl_instance(cn, attrs, cb->extack);
	mutex_unlock(&cn->cfg_mutex);
	if (IS_ERR(d->inst)) {
		int err = PTR_ERR(d->inst);

		kfree(d);
		return err;
	}
	rhashtable_walk_enter(&cn->users, &d->iter);
	cb->args[0] = (long)d;
	return 0;
}

int cgn_sync_dump_done(struct netlink_callback *cb)
{
	struct sync_dump *d = (struct sync_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->iter);
		kfree(d);
	}
	return 0;
}

static void *walk_next(struct sync_dump *d)
{
	void *e = d->resume ? rhashtable_walk_peek(&d->iter) :
			      rhashtable_walk_next(&d->iter);

	d->resume = false;
	while (IS_ERR(e) && PTR_ERR(e) == -EAGAIN)
		e = rhashtable_walk_next(&d->iter);
	return IS_ERR(e) ? NULL : e;
}

/* Users; false when the message is full. */
static bool dump_users(struct sk_buff *skb, struct sync_dump *d)
{
	struct cgn_user *u;

	while ((u = walk_next(d))) {
		if (u->inst != d->inst)
			continue;
		if (cgn_put_user_entry(skb, u)) {
			d->resume = true;
			return false;
		}
	}
	return true;
}

static bool dump_mappings(struct sk_buff *skb, struct netlink_callback *cb,
			  struct sync_dump *d)
{
	struct cgn_session *s;
	struct cgn_mapping *m;
	long idx;

	while ((m = walk_next(d))) {
		if (m->user->inst != d->inst) {
			cb->args[1] = 0;
			continue;
		}
		idx = 0;
		hlist_for_each_entry_rcu(s, &m->sessions, list) {
			if (idx++ < cb->args[1])
				continue;
			if (cgn_put_session_entry(skb, s))
				goto full;
		}
		/* a session entry carries its mapping: the rest go alone */
		if (!idx++ && cgn_put_mapping_entry(skb, m))
			goto full;
		cb->args[1] = 0;
	}
	return true;
full:
	cb->args[1] = idx - 1;
	d->resume = true;
	return false;
}

int cgn_sync_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cgn_net *cn = cgn_pernet(sock_net(skb->sk));
	struct sync_dump *d = (struct sync_dump *)cb->args[0];
	struct nlattr *nest;
	bool done = false;
	void *hdr;
	int len;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cgn_family, NLM_F_MULTI, CGN_CMD_SYNC_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CGN_A_ENTRIES);
	if (!nest) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	len = skb->len;
	rhashtable_walk_start(&d->iter);
	if (!d->mappings) {
		done = dump_users(skb, d);
		if (done) {
			rhashtable_walk_stop(&d->iter);
			rhashtable_walk_exit(&d->iter);
			rhashtable_walk_enter(&cn->map_in, &d->iter);
			rhashtable_walk_start(&d->iter);
			d->mappings = true;
			cb->args[1] = 0;
		}
	}
	if (d->mappings)
		done = dump_mappings(skb, cb, d);
	rhashtable_walk_stop(&d->iter);
	if (skb->len == len) {		/* nothing left, or nothing fits */
		genlmsg_cancel(skb, hdr);
		return done ? 0 : -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return skb->len;
}

/*
 * Entries are read into chunks of a slab-sized array: a batch of 64 KiB
 * needs no high-order allocation, nor vmalloc(), per call.
 */
#define APPLY_CHUNK	(KMALLOC_MAX_CACHE_SIZE / sizeof(struct cgn_entry))

static void free_chunks(struct cgn_entry **chunks, unsigned int nchunks)
{
	unsigned int i;

	for (i = 0; i < nchunks; i++)
		kfree(chunks[i]);
	kfree(chunks);
}

static struct cgn_entry **alloc_chunks(unsigned int n, unsigned int nchunks)
{
	struct cgn_entry **chunks;
	unsigned int i;

	chunks = kcalloc(nchunks, sizeof(*chunks), GFP_KERNEL);
	if (!chunks)
		return NULL;
	for (i = 0; i < nchunks; i++) {
		chunks[i] = kmalloc_array(min_t(unsigned int, n - i * APPLY_CHUNK, APPLY_CHUNK),
					  sizeof(**chunks), GFP_KERNEL);
		if (!chunks[i]) {
			free_chunks(chunks, nchunks);
			return NULL;
		}
	}
	return chunks;
}

/*
 * All or nothing for malformed batches: every entry is read and checked
 * into an array first, then the array is applied. A well-formed entry that
 * does not fit here is skipped and counted (sync-refused).
 */
int cgn_sync_apply_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct nlattr *entries = info->attrs[CGN_A_ENTRIES];
	unsigned int i, len, n = 0, nchunks, refused = 0;
	struct cgn_entry **chunks, *e, *prev = NULL;
	struct cgn_instance *inst, *first;
	struct nlattr *nla;
	int err = 0, rem;

	if (GENL_REQ_ATTR_CHECK(info, CGN_A_ENTRIES)) {
		NL_SET_ERR_MSG(info->extack, "no entries");
		return -EINVAL;
	}
	nla_for_each_nested(nla, entries, rem)
		n++;
	if (!n)
		return 0;
	nchunks = DIV_ROUND_UP(n, APPLY_CHUNK);
	chunks = alloc_chunks(n, nchunks);
	if (!chunks)
		return -ENOMEM;
	mutex_lock(&cn->cfg_mutex);
	i = 0;
	nla_for_each_nested(nla, entries, rem) {
		if (nla_type(nla) != CGN_A_ENTRY) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla, "not an entry");
			err = -EINVAL;
			goto out;
		}
		e = &chunks[i / APPLY_CHUNK][i % APPLY_CHUNK];
		err = cgn_entry_parse(cn, nla, e, prev, info->extack);
		if (err)
			goto out;
		prev = e;
		i++;
	}
	/* a deletion names no instance: count it on the first */
	first = list_first_entry_or_null(&cn->instances, struct cgn_instance, list);
	for (i = 0; i < nchunks; i++) {
		len = min_t(unsigned int, n - i * APPLY_CHUNK, APPLY_CHUNK);
		cgn_replica_apply(cn, chunks[i], len);
		for (e = chunks[i]; e < chunks[i] + len; e++) {
			inst = e->inst ?: first;
			if (!inst)
				continue;
			if (e->err) {
				cgn_count(inst, sync_refused);
				refused++;
			} else {
				cgn_count(inst, sync_applied);
			}
		}
	}
	if (refused)
		NL_SET_ERR_MSG(info->extack, "some entries did not fit: see sync-refused");
out:
	mutex_unlock(&cn->cfg_mutex);
	free_chunks(chunks, nchunks);
	return err;
}

static int begin_end(struct genl_info *info, bool begin)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	int err = 0;

	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	if (IS_ERR(inst)) {
		err = PTR_ERR(inst);
	} else if (!cgn_standby(inst)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CGN_A_INSTANCE],
				    "instance is active here: it takes no copy");
		err = -EBUSY;
	} else if (begin) {
		cgn_replica_begin(cn, inst);
	} else {
		cgn_replica_end(cn, inst);
	}
	mutex_unlock(&cn->cfg_mutex);
	return err;
}

int cgn_sync_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	return begin_end(info, true);
}

int cgn_sync_end_doit(struct sk_buff *skb, struct genl_info *info)
{
	return begin_end(info, false);
}

int cgn_sync_digest_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst;
	struct sk_buff *msg;
	u32 count, seq;
	u64 digest;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->cfg_mutex);
	inst = cgn_nl_instance(cn, info->attrs, info->extack);
	err = PTR_ERR_OR_ZERO(inst);
	if (!err) {
		err = cgn_sync_digest(cn, inst, &digest, &count, &seq);
		if (err)
			NL_SET_ERR_MSG(info->extack, "tables keep changing, try again");
	}
	if (err)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &cgn_family, 0, CGN_CMD_SYNC_DIGEST);
	if (!hdr ||
	    nla_put_string(msg, CGN_A_INSTANCE, inst->name) ||
	    nla_put_u64_64bit(msg, CGN_A_DIGEST, digest, CGN_A_PAD) ||
	    nla_put_u32(msg, CGN_A_SEQ, seq) ||
	    nla_put_u32(msg, CGN_A_COUNT, count)) {
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	mutex_unlock(&cn->cfg_mutex);
	return genlmsg_reply(msg, info);
out:
	mutex_unlock(&cn->cfg_mutex);
	nlmsg_free(msg);
	return err;
}
