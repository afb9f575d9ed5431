// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps of subscribers and sessions, and counters.
 */
#include <linux/slab.h>

#include "compat.h"

#include "netlink.h"

/*
 * Dumps of the user and mapping tables: a walk that goes on from one
 * dump message to the next, with optional filters from the request.
 */
struct table_dump {
	struct rhashtable_iter iter;
	const struct cgn_instance *inst;	/* filter, compared only */
	u8 proto;				/* filter, 0: any */
	__be32 in_addr;				/* filter */
	bool has_addr;
	struct in6_addr b4;			/* filter */
	bool has_b4;
};

static int table_dump_filters(struct table_dump *d, struct nlattr **attrs,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *stb[CGN_SESSION_A_MAX + 1];
	struct nlattr *utb[CGN_USER_A_MAX + 1];
	int err;

	if (attrs[CGN_A_SESSION]) {
		err = nla_parse_nested(stb, CGN_SESSION_A_MAX, attrs[CGN_A_SESSION],
				       cgn_session_policy, extack);
		if (err)
			return err;
		if (stb[CGN_SESSION_A_PROTO])
			d->proto = nla_get_u8(stb[CGN_SESSION_A_PROTO]);
		if (stb[CGN_SESSION_A_IN_ADDR]) {
			d->in_addr = nla_get_in_addr(stb[CGN_SESSION_A_IN_ADDR]);
			d->has_addr = true;
		}
		if (stb[CGN_SESSION_A_B4]) {
			nla_memcpy(&d->b4, stb[CGN_SESSION_A_B4], sizeof(d->b4));
			d->has_b4 = true;
		}
	}
	if (attrs[CGN_A_USER]) {
		err = nla_parse_nested(utb, CGN_USER_A_MAX, attrs[CGN_A_USER],
				       cgn_user_policy, extack);
		if (err)
			return err;
		if (utb[CGN_USER_A_ADDR]) {
			d->in_addr = nla_get_in_addr(utb[CGN_USER_A_ADDR]);
			d->has_addr = true;
		}
		if (utb[CGN_USER_A_B4]) {
			nla_memcpy(&d->b4, utb[CGN_USER_A_B4], sizeof(d->b4));
			d->has_b4 = true;
		}
	}
	return 0;
}

static int table_dump_start(struct netlink_callback *cb,
			    struct rhashtable *(*table)(struct cgn_net *cn))
{
	struct cgn_net *cn = cgn_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = cgn_dump_attrs(cb);
	struct table_dump *d;
	int err = 0;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (attrs) {
		err = table_dump_filters(d, attrs, cb->extack);
		if (err)
			goto err_free;
	}
	if (attrs && attrs[CGN_A_INSTANCE]) {
		mutex_lock(&cn->cfg_mutex);
		d->inst = cgn_nl_instance(cn, attrs, cb->extack);
		mutex_unlock(&cn->cfg_mutex);
		if (IS_ERR(d->inst)) {
			err = PTR_ERR(d->inst);
			goto err_free;
		}
	}
	rhashtable_walk_enter(table(cn), &d->iter);
	cb->args[0] = (long)d;
	return 0;

err_free:
	kfree(d);
	return err;
}

int cgn_table_dump_done(struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->iter);
		kfree(d);
	}
	return 0;
}

static struct rhashtable *users_table(struct cgn_net *cn)
{
	return &cn->users;
}

static struct rhashtable *mappings_table(struct cgn_net *cn)
{
	return &cn->map_in;
}

int cgn_user_dump_start(struct netlink_callback *cb)
{
	return table_dump_start(cb, users_table);
}

int cgn_session_dump_start(struct netlink_callback *cb)
{
	return table_dump_start(cb, mappings_table);
}

/* Subscribers: a walk of the user table. */

static int put_subscriber(struct sk_buff *skb, struct netlink_callback *cb,
		    const struct cgn_user *u)
{
	u16 bsize = u->pool->block_size;
	struct nlattr *nest;
	void *hdr;
	u16 i, n;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cgn_family, NLM_F_MULTI, CGN_CMD_USER_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CGN_A_USER);
	if (!nest ||
	    nla_put_string(skb, CGN_USER_A_INSTANCE, u->inst->name) ||
	    nla_put_in_addr(skb, CGN_USER_A_ADDR, u->addr) ||
	    nla_put_in_addr(skb, CGN_USER_A_EXT_ADDR, u->ext_addr) ||
	    nla_put_u16(skb, CGN_USER_A_BLOCK_SIZE, bsize) ||
	    nla_put_u32(skb, CGN_USER_A_MAPPINGS, READ_ONCE(u->nmappings)) ||
	    nla_put_u32(skb, CGN_USER_A_SESSIONS, READ_ONCE(u->nsessions)) ||
	    (cgn_is_b4(&u->b4) && nla_put_in6_addr(skb, CGN_USER_A_B4, &u->b4)))
		goto cancel;
	n = READ_ONCE(u->nblocks);
	for (i = 0; i < n; i++)
		if (nla_put_u16(skb, CGN_USER_A_BLOCK,
				u->pool->port_min + READ_ONCE(u->blocks[i]) * bsize))
			goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* cb->args[1] set: the last user did not fit, send it first (peek). */
int cgn_user_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];
	struct cgn_user *u;

	rhashtable_walk_start(&d->iter);
	u = cb->args[1] ? rhashtable_walk_peek(&d->iter) : rhashtable_walk_next(&d->iter);
	cb->args[1] = 0;
	for (; u; u = rhashtable_walk_next(&d->iter)) {
		if (IS_ERR(u)) {
			if (PTR_ERR(u) == -EAGAIN)
				continue;
			break;
		}
		if ((d->inst && u->inst != d->inst) ||
		    (d->has_addr && u->addr != d->in_addr) ||
		    (d->has_b4 && !ipv6_addr_equal(&u->b4, &d->b4)))
			continue;
		if (put_subscriber(skb, cb, u)) {
			cb->args[1] = 1;
			break;
		}
	}
	rhashtable_walk_stop(&d->iter);
	return skb->len;
}

/* Sessions: a walk of the mapping table, each mapping's sessions in turn. */

static int put_session(struct sk_buff *skb, struct netlink_callback *cb,
		       const struct cgn_session *s)
{
	const struct cgn_mapping *m = s->key.m;
	s32 left = READ_ONCE(s->expires) - (u32)jiffies;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cgn_family, NLM_F_MULTI, CGN_CMD_SESSION_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CGN_A_SESSION);
	if (!nest ||
	    nla_put_string(skb, CGN_SESSION_A_INSTANCE, m->user->inst->name) ||
	    nla_put_u8(skb, CGN_SESSION_A_PROTO, m->proto) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_IN_ADDR, m->in_addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_IN_PORT, m->in_port) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_EXT_ADDR, m->user->ext_addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_EXT_PORT, m->out_port) ||
	    nla_put_in_addr(skb, CGN_SESSION_A_REM_ADDR, s->key.addr) ||
	    nla_put_be16(skb, CGN_SESSION_A_REM_PORT, s->key.port) ||
	    nla_put_u8(skb, CGN_SESSION_A_STATE, READ_ONCE(s->state)) ||
	    nla_put_u32(skb, CGN_SESSION_A_EXPIRES,
			left > 0 ? jiffies_to_msecs(left) : 0) ||
	    (cgn_is_b4(&m->user->b4) && nla_put_in6_addr(skb, CGN_SESSION_A_B4, &m->user->b4))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static bool session_dump_match(const struct table_dump *d,
			       const struct cgn_mapping *m)
{
	return (!d->inst || m->user->inst == d->inst) &&
	       (!d->proto || m->proto == d->proto) &&
	       (!d->has_addr || m->in_addr == d->in_addr) &&
	       (!d->has_b4 || ipv6_addr_equal(&m->user->b4, &d->b4));
}

/*
 * A full message stops the walk inside a mapping: cb->args[2] says to
 * resume at that mapping (peek), cb->args[1] how many of its sessions
 * were sent.
 */
int cgn_session_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct table_dump *d = (struct table_dump *)cb->args[0];
	struct cgn_session *s;
	struct cgn_mapping *m;
	long idx;

	rhashtable_walk_start(&d->iter);
	m = cb->args[2] ? rhashtable_walk_peek(&d->iter) : rhashtable_walk_next(&d->iter);
	cb->args[2] = 0;
	for (; m; m = rhashtable_walk_next(&d->iter)) {
		if (IS_ERR(m)) {
			if (PTR_ERR(m) == -EAGAIN)
				continue;
			break;
		}
		if (!session_dump_match(d, m)) {
			cb->args[1] = 0;
			continue;
		}
		idx = 0;
		hlist_for_each_entry_rcu(s, &m->sessions, list) {
			if (idx++ < cb->args[1])
				continue;
			if (put_session(skb, cb, s)) {
				cb->args[1] = idx - 1;
				cb->args[2] = 1;
				goto out;
			}
		}
		cb->args[1] = 0;
	}
out:
	rhashtable_walk_stop(&d->iter);
	return skb->len;
}

/* Counters. */

static int put_stats(struct sk_buff *skb, struct cgn_net *cn,
		     const struct cgn_instance *only)
{
	static const struct {
		int type;
		size_t off;
	} counters[] = {
#define C(attr, field) { CGN_STATS_A_##attr, offsetof(struct cgn_stats, field) }
		C(PKTS_OUT, pkts_out),
		C(PKTS_IN, pkts_in),
		C(SESSIONS_CREATED, sessions_created),
		C(SESSIONS_EXPIRED, sessions_expired),
		C(DROP_NO_MAPPING, drop_no_mapping),
		C(DROP_NO_PORTS, drop_no_ports),
		C(DROP_LIMIT, drop_limit),
		C(DROP_MALFORMED, drop_malformed),
		C(DROP_NOMEM, drop_nomem),
		C(DROP_FILTERED, drop_filtered),
		C(DROP_BAD_CSUM, drop_bad_csum),
		C(ICMP_UNREACH_SENT, icmp_unreach_sent),
		C(HAIRPIN, hairpin),
		C(PASS, pass),
		C(ICMP_ERR_IN, icmp_err_in),
		C(ICMP_ERR_OUT, icmp_err_out),
		C(DROP_STANDBY, drop_standby),
		C(SYNC_QUEUED, sync_queued),
		C(SYNC_DROPPED, sync_dropped),
		C(SYNC_APPLIED, sync_applied),
		C(SYNC_REFUSED, sync_refused),
		C(DECAP, decap),
		C(ENCAP, encap),
		C(DROP_B4, drop_b4),
		C(DROP_SOFTWIRES, drop_softwires),
		C(DROP_TUNNEL, drop_tunnel),
		C(DROP_TTL, drop_ttl),
		C(ICMP_AFTR_SENT, icmp_aftr_sent),
		C(FAST_OUT, fast_out),
		C(FAST_IN, fast_in),
#undef C
	};
	u32 users = 0, mappings = 0, sessions = 0, blocks = 0, total = 0;
	u32 softwires = 0;
	const struct cgn_instance *inst;
	const struct cgn_pool *pool;
	struct cgn_stats st = {};
	struct nlattr *nest;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(counters) != sizeof(st) / sizeof(u64));
	list_for_each_entry(inst, &cn->instances, list) {
		if (only && inst != only)
			continue;
		cgn_instance_stats(inst, &st);
		users += atomic_read(&inst->nusers);
		mappings += atomic_read(&inst->nmappings);
		sessions += atomic_read(&inst->nsessions);
		softwires += atomic_read(&inst->nsoftwires);
		list_for_each_entry(pool, &inst->pools, list) {
			blocks += READ_ONCE(pool->blocks_used);
			total += pool->naddrs * pool->blocks_per_addr;
		}
	}
	nest = nla_nest_start(skb, CGN_A_STATS);
	if (!nest ||
	    nla_put_u32(skb, CGN_STATS_A_SESSIONS, sessions) ||
	    nla_put_u32(skb, CGN_STATS_A_MAPPINGS, mappings) ||
	    nla_put_u32(skb, CGN_STATS_A_USERS, users) ||
	    nla_put_u32(skb, CGN_STATS_A_BLOCKS_USED, blocks) ||
	    nla_put_u32(skb, CGN_STATS_A_BLOCKS_TOTAL, total) ||
	    nla_put_u32(skb, CGN_STATS_A_SOFTWIRES, softwires))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].type,
				      *(u64 *)((u8 *)&st + counters[i].off), CGN_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int cgn_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgn_net *cn = cgn_pernet(genl_info_net(info));
	struct cgn_instance *inst = NULL;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cgn_family, 0, CGN_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&cn->cfg_mutex);
	if (info->attrs[CGN_A_INSTANCE]) {
		inst = cgn_nl_instance(cn, info->attrs, info->extack);
		err = PTR_ERR_OR_ZERO(inst);
		if (!err)
			err = nla_put_string(msg, CGN_A_INSTANCE, inst->name);
	} else {
		err = 0;
	}
	if (!err)
		err = put_stats(msg, cn, inst);
	mutex_unlock(&cn->cfg_mutex);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}
