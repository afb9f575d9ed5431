// SPDX-License-Identifier: GPL-2.0
/*
 * Sync entries as netlink attributes: written for events and the bulk
 * dump, read and checked for the apply command. An entry that fails a
 * check is refused with a message naming the attribute.
 */
#include <linux/inetdevice.h>

#include "sync.h"

static int put_b4(struct sk_buff *skb, const struct in6_addr *b4)
{
	return cgn_is_b4(b4) && nla_put_in6_addr(skb, CGN_ENTRY_A_B4, b4);
}

static u32 ms_left(u32 expires)
{
	s32 left = expires - (u32)jiffies;

	return left > 0 ? jiffies_to_msecs(left) : 0;
}

static struct nlattr *entry_start(struct sk_buff *skb, u8 type,
				  const struct cgn_instance *inst)
{
	struct nlattr *nest = nla_nest_start(skb, CGN_A_ENTRY);

	if (!nest)
		return NULL;
	if (nla_put_u8(skb, CGN_ENTRY_A_TYPE, type) ||
	    (inst && nla_put_string(skb, CGN_ENTRY_A_INSTANCE, inst->name))) {
		nla_nest_cancel(skb, nest);
		return NULL;
	}
	return nest;
}

static int entry_end(struct sk_buff *skb, struct nlattr *nest, int err)
{
	if (err) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Under RCU or cgn_net.lock. */
int cgn_put_user_entry(struct sk_buff *skb, const struct cgn_user *u)
{
	const struct cgn_pool *pool = u->pool;
	struct nlattr *nest;
	u16 i, n;
	int err;

	nest = entry_start(skb, CGN_ENTRY_USER, u->inst);
	if (!nest)
		return -EMSGSIZE;
	err = nla_put_in_addr(skb, CGN_ENTRY_A_ADDR, u->addr) ||
	      put_b4(skb, &u->b4) ||
	      nla_put_in_addr(skb, CGN_ENTRY_A_EXT_ADDR, u->ext_addr);
	n = READ_ONCE(u->nblocks);
	for (i = 0; i < n && !err; i++)
		err = nla_put_u16(skb, CGN_ENTRY_A_BLOCK, pool->port_min +
				  READ_ONCE(u->blocks[i]) * pool->block_size);
	return entry_end(skb, nest, err);
}

/*
 * Mappings and sessions, most of a bulk dump, are written in one piece:
 * their size is known, so one reservation and plain stores replace a dozen
 * nla_put() calls. The bytes are the same.
 */
struct entry_buf {
	void *p;
};

static __always_inline void buf_put(struct entry_buf *b, u16 type,
				    const void *data, int len)
{
	struct nlattr *a = b->p;

	a->nla_type = type;
	a->nla_len = nla_attr_size(len);
	memcpy(nla_data(a), data, len);
	memset(nla_data(a) + len, 0, nla_padlen(len));
	b->p += nla_total_size(len);
}

static void buf_flag(struct entry_buf *b, u16 type)
{
	struct nlattr *a = b->p;

	a->nla_type = type;
	a->nla_len = nla_attr_size(0);
	b->p += nla_total_size(0);
}

static __always_inline void buf_u8(struct entry_buf *b, u16 type, u8 v)
{
	buf_put(b, type, &v, sizeof(v));
}

static __always_inline void buf_be16(struct entry_buf *b, u16 type, __be16 v)
{
	buf_put(b, type, &v, sizeof(v));
}

static __always_inline void buf_u32(struct entry_buf *b, u16 type, u32 v)
{
	buf_put(b, type, &v, sizeof(v));
}

/* The nest of @size bytes of attributes, or NULL if it does not fit. */
static struct nlattr *buf_start(struct sk_buff *skb, struct entry_buf *b, int size)
{
	struct nlattr *nest = nla_reserve(skb, CGN_A_ENTRY, size);

	if (!nest)
		return NULL;
	nest->nla_type |= NLA_F_NESTED;
	b->p = nla_data(nest);
	return nest;
}

/* TYPE, INSTANCE, then the mapping's key: PROTO, ADDR, PORT, B4 */
static int head_size(const struct cgn_mapping *m, int namelen)
{
	return nla_total_size(1) + nla_total_size(namelen) + nla_total_size(1) +
	       nla_total_size(4) + nla_total_size(2) +
	       (cgn_is_b4(&m->user->b4) ? nla_total_size(sizeof(struct in6_addr)) : 0);
}

static void buf_head(struct entry_buf *b, u8 type, const struct cgn_mapping *m,
		     int namelen)
{
	const struct cgn_user *u = m->user;

	buf_u8(b, CGN_ENTRY_A_TYPE, type);
	buf_put(b, CGN_ENTRY_A_INSTANCE, u->inst->name, namelen);
	buf_u8(b, CGN_ENTRY_A_PROTO, m->proto);
	buf_u32(b, CGN_ENTRY_A_ADDR, (__force u32)m->in_addr);
	buf_be16(b, CGN_ENTRY_A_PORT, m->in_port);
	if (cgn_is_b4(&u->b4))
		buf_put(b, CGN_ENTRY_A_B4, &u->b4, sizeof(u->b4));
}

int cgn_put_mapping_entry(struct sk_buff *skb, const struct cgn_mapping *m)
{
	int namelen = strlen(m->user->inst->name) + 1;
	bool held = cgn_mapping_held(m);
	struct entry_buf b;
	int size;

	size = head_size(m, namelen) + nla_total_size(2) +
	       (held ? nla_total_size(0) + nla_total_size(4) : 0);
	if (!buf_start(skb, &b, size))
		return -EMSGSIZE;
	buf_head(&b, CGN_ENTRY_MAPPING, m, namelen);
	buf_be16(&b, CGN_ENTRY_A_EXT_PORT, m->out_port);
	if (held) {
		buf_flag(&b, CGN_ENTRY_A_HELD);
		buf_u32(&b, CGN_ENTRY_A_TIMEOUT, ms_left(READ_ONCE(m->expires)));
	}
	return 0;
}

int cgn_put_session_entry(struct sk_buff *skb, const struct cgn_session *s)
{
	const struct cgn_mapping *m = s->key.m;
	int namelen = strlen(m->user->inst->name) + 1;
	struct entry_buf b;
	int size;

	size = head_size(m, namelen) + nla_total_size(2) + nla_total_size(4) +
	       nla_total_size(2) + nla_total_size(1) + nla_total_size(1) +
	       nla_total_size(4);
	if (!buf_start(skb, &b, size))
		return -EMSGSIZE;
	buf_head(&b, CGN_ENTRY_SESSION, m, namelen);
	buf_be16(&b, CGN_ENTRY_A_EXT_PORT, m->out_port);
	buf_u32(&b, CGN_ENTRY_A_REM_ADDR, (__force u32)s->key.addr);
	buf_be16(&b, CGN_ENTRY_A_REM_PORT, s->key.port);
	buf_u8(&b, CGN_ENTRY_A_STATE, READ_ONCE(s->state));
	buf_u8(&b, CGN_ENTRY_A_FIN, READ_ONCE(s->fin));
	buf_u32(&b, CGN_ENTRY_A_TIMEOUT, ms_left(READ_ONCE(s->expires)));
	return 0;
}

int cgn_put_entry_del(struct sk_buff *skb, const struct cgn_entry_key *key)
{
	struct nlattr *nest;
	int err;

	nest = entry_start(skb, key->type, NULL);
	if (!nest)
		return -EMSGSIZE;
	err = nla_put_flag(skb, CGN_ENTRY_A_DELETE) ||
	      nla_put_in_addr(skb, CGN_ENTRY_A_ADDR, key->addr) ||
	      put_b4(skb, &key->b4);
	if (!err && key->type != CGN_ENTRY_USER)
		err = nla_put_u8(skb, CGN_ENTRY_A_PROTO, key->proto) ||
		      nla_put_be16(skb, CGN_ENTRY_A_PORT, key->port);
	if (!err && key->type == CGN_ENTRY_SESSION)
		err = nla_put_in_addr(skb, CGN_ENTRY_A_REM_ADDR, key->rem_addr) ||
		      nla_put_be16(skb, CGN_ENTRY_A_REM_PORT, key->rem_port);
	return entry_end(skb, nest, err);
}

/* Reading. */

/* not const: 6.1 takes a plain pointer */
static struct netlink_range_validation timeout_ms_range = {
	.max = CGN_MAX_TIMEOUT * 1000ULL,
};

static const struct nla_policy entry_policy[CGN_ENTRY_A_MAX + 1] = {
	[CGN_ENTRY_A_TYPE] = NLA_POLICY_RANGE(NLA_U8, CGN_ENTRY_USER, CGN_ENTRY_SESSION),
	[CGN_ENTRY_A_DELETE] = { .type = NLA_FLAG },
	[CGN_ENTRY_A_INSTANCE] = { .type = NLA_NUL_STRING, .len = CGN_NAME_LEN - 1 },
	[CGN_ENTRY_A_PROTO] = { .type = NLA_U8 },
	[CGN_ENTRY_A_ADDR] = { .type = NLA_U32 },
	[CGN_ENTRY_A_PORT] = { .type = NLA_U16 },
	[CGN_ENTRY_A_EXT_ADDR] = { .type = NLA_U32 },
	[CGN_ENTRY_A_EXT_PORT] = { .type = NLA_U16 },
	[CGN_ENTRY_A_REM_ADDR] = { .type = NLA_U32 },
	[CGN_ENTRY_A_REM_PORT] = { .type = NLA_U16 },
	[CGN_ENTRY_A_STATE] = NLA_POLICY_MAX(NLA_U8, CGN_TCP_CLOSED),
	[CGN_ENTRY_A_FIN] = NLA_POLICY_MAX(NLA_U8, CGN_DIR_OUT | CGN_DIR_IN),
	[CGN_ENTRY_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_ms_range),
	[CGN_ENTRY_A_HELD] = { .type = NLA_FLAG },
	[CGN_ENTRY_A_BLOCK] = { .type = NLA_U16 },
	[CGN_ENTRY_A_B4] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

/*
 * The common case without the policy walk: every attribute one of
 * entry_policy's, with no flag bits, of its exact size and in its range
 * (keep the two in step). Fills @tb as nla_parse_nested() would. False
 * for anything else, which nla_parse_nested() then reads: it accepts what
 * this refuses by caution, and refuses the rest with its message.
 */
static bool parse_fast(struct nlattr **tb, const struct nlattr *nla)
{
	const struct nlattr *a;
	int rem, len;
	u8 v;

	if (!(nla->nla_type & NLA_F_NESTED))
		return false;
	memset(tb, 0, sizeof(*tb) * (CGN_ENTRY_A_MAX + 1));
	nla_for_each_nested(a, nla, rem) {
		len = nla_len(a);
		switch (a->nla_type) {		/* flag bits: default */
		case CGN_ENTRY_A_DELETE:
		case CGN_ENTRY_A_HELD:
			if (len)
				return false;
			break;
		case CGN_ENTRY_A_INSTANCE:
			if (len < 1 || len > CGN_NAME_LEN ||
			    ((const char *)nla_data(a))[len - 1])
				return false;
			break;
		case CGN_ENTRY_A_TYPE:
		case CGN_ENTRY_A_PROTO:
		case CGN_ENTRY_A_STATE:
		case CGN_ENTRY_A_FIN:
			if (len != 1)
				return false;
			v = nla_get_u8(a);
			if ((a->nla_type == CGN_ENTRY_A_TYPE &&
			     (v < CGN_ENTRY_USER || v > CGN_ENTRY_SESSION)) ||
			    (a->nla_type == CGN_ENTRY_A_STATE && v > CGN_TCP_CLOSED) ||
			    (a->nla_type == CGN_ENTRY_A_FIN && v > (CGN_DIR_OUT | CGN_DIR_IN)))
				return false;
			break;
		case CGN_ENTRY_A_PORT:
		case CGN_ENTRY_A_EXT_PORT:
		case CGN_ENTRY_A_REM_PORT:
		case CGN_ENTRY_A_BLOCK:
			if (len != 2)
				return false;
			break;
		case CGN_ENTRY_A_ADDR:
		case CGN_ENTRY_A_EXT_ADDR:
		case CGN_ENTRY_A_REM_ADDR:
			if (len != 4)
				return false;
			break;
		case CGN_ENTRY_A_TIMEOUT:
			if (len != 4 || nla_get_u32(a) > timeout_ms_range.max)
				return false;
			break;
		case CGN_ENTRY_A_B4:
			if (len != sizeof(struct in6_addr))
				return false;
			break;
		default:
			return false;
		}
		tb[a->nla_type] = (struct nlattr *)a;
	}
	return !rem;
}

/* The attributes each kind of entry needs, besides TYPE. */
static const struct {
	u32 key;	/* a deletion */
	u32 full;	/* anything else */
} needs[] = {
#define B(a) BIT(CGN_ENTRY_A_##a)
	[CGN_ENTRY_USER] = {
		B(ADDR), B(ADDR) | B(INSTANCE) | B(EXT_ADDR) | B(BLOCK),
	},
	[CGN_ENTRY_MAPPING] = {
		B(PROTO) | B(ADDR) | B(PORT),
		B(PROTO) | B(ADDR) | B(PORT) | B(INSTANCE) | B(EXT_PORT),
	},
	[CGN_ENTRY_SESSION] = {
		B(PROTO) | B(ADDR) | B(PORT) | B(REM_ADDR) | B(REM_PORT),
		B(PROTO) | B(ADDR) | B(PORT) | B(REM_ADDR) | B(REM_PORT) |
		B(INSTANCE) | B(EXT_PORT) | B(STATE) | B(FIN) | B(TIMEOUT),
	},
#undef B
};

static bool inside_of(const struct cgn_instance *inst, __be32 addr)
{
	const struct cgn_prefix *p;

	list_for_each_entry(p, &inst->insides, list)
		if ((addr & p->mask) == p->addr)
			return true;
	return false;
}

static int parse_blocks(const struct nlattr *nla, struct cgn_entry *e,
			struct netlink_ext_ack *extack)
{
	const struct cgn_pool *pool = e->pool;
	const struct nlattr *a;
	u32 port, block;
	int rem;

	e->nblocks = 0;
	e->nla = nla;
	nla_for_each_nested(a, nla, rem) {
		if (nla_type(a) != CGN_ENTRY_A_BLOCK)
			continue;
		port = nla_get_u16(a);
		block = (port - pool->port_min) / pool->block_size;
		if (port < pool->port_min ||
		    (port - pool->port_min) % pool->block_size ||
		    block >= pool->blocks_per_addr) {
			NL_SET_ERR_MSG_ATTR(extack, a, "not a port block of the pool");
			return -EINVAL;
		}
		if (e->nblocks >= CGN_ENTRY_MAX_BLOCKS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many port blocks");
			return -E2BIG;
		}
		e->nblocks++;
	}
	return 0;
}

/*
 * Read and check one CGN_A_ENTRY. Under cgn_net.cfg_mutex: @e points to
 * the instance and pool it names. @prev, the entry before it in the batch
 * or NULL, saves looking its instance up again.
 */
int cgn_entry_parse(struct cgn_net *cn, const struct nlattr *nla,
		    struct cgn_entry *e, const struct cgn_entry *prev,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CGN_ENTRY_A_MAX + 1];
	u32 need, have = 0;
	u8 proto;
	int err, i;

	if (!parse_fast(tb, nla)) {
		err = nla_parse_nested(tb, CGN_ENTRY_A_MAX, nla, entry_policy, extack);
		if (err)
			return err;
	}
	if (!tb[CGN_ENTRY_A_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "entry without a type");
		return -EINVAL;
	}
	memset(e, 0, sizeof(*e));
	e->key.type = nla_get_u8(tb[CGN_ENTRY_A_TYPE]);
	e->del = nla_get_flag(tb[CGN_ENTRY_A_DELETE]);
	for (i = 1; i <= CGN_ENTRY_A_MAX; i++)
		if (tb[i])
			have |= BIT(i);
	need = e->del ? needs[e->key.type].key : needs[e->key.type].full;
	if ((have & need) != need) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "entry lacks an attribute its type needs");
		return -EINVAL;
	}
	e->key.addr = nla_get_in_addr(tb[CGN_ENTRY_A_ADDR]);
	if (tb[CGN_ENTRY_A_B4]) {
		nla_memcpy(&e->key.b4, tb[CGN_ENTRY_A_B4], sizeof(e->key.b4));
		if (!cgn_is_b4(&e->key.b4) ||
		    (e->key.type == CGN_ENTRY_USER && e->key.addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_B4],
					    "a B4 user has address 0.0.0.0, a B4 is not ::");
			return -EINVAL;
		}
	}
	if (e->key.type != CGN_ENTRY_USER) {
		proto = nla_get_u8(tb[CGN_ENTRY_A_PROTO]);
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP && proto != IPPROTO_ICMP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_PROTO], "not TCP, UDP or ICMP");
			return -EINVAL;
		}
		e->key.proto = proto;
		e->key.port = nla_get_be16(tb[CGN_ENTRY_A_PORT]);
	}
	if (e->key.type == CGN_ENTRY_SESSION) {
		e->key.rem_addr = nla_get_in_addr(tb[CGN_ENTRY_A_REM_ADDR]);
		e->key.rem_port = nla_get_be16(tb[CGN_ENTRY_A_REM_PORT]);
	}
	if (e->del)
		return 0;

	if (prev && prev->inst &&
	    !strcmp(prev->inst->name, nla_data(tb[CGN_ENTRY_A_INSTANCE])))
		e->inst = prev->inst;
	else
		e->inst = cgn_instance_find(cn, nla_data(tb[CGN_ENTRY_A_INSTANCE]));
	if (!e->inst) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_INSTANCE], "no such instance");
		return -ENOENT;
	}
	if (cgn_is_b4(&e->key.b4) ? !cgn_b4_match(e->inst, &e->key.b4) :
				    !inside_of(e->inst, e->key.addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_ADDR],
				    "address is not inside the instance");
		return -EINVAL;
	}
	if (tb[CGN_ENTRY_A_EXT_PORT])
		e->ext_port = nla_get_be16(tb[CGN_ENTRY_A_EXT_PORT]);
	if (tb[CGN_ENTRY_A_TIMEOUT])
		e->timeout = nla_get_u32(tb[CGN_ENTRY_A_TIMEOUT]);
	e->held = nla_get_flag(tb[CGN_ENTRY_A_HELD]);
	if (e->held && !tb[CGN_ENTRY_A_TIMEOUT]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "a held mapping needs a timeout");
		return -EINVAL;
	}
	if (e->key.type == CGN_ENTRY_SESSION) {
		e->state = nla_get_u8(tb[CGN_ENTRY_A_STATE]);
		e->fin = nla_get_u8(tb[CGN_ENTRY_A_FIN]);
		if ((e->key.proto == IPPROTO_TCP) != (e->state != CGN_TCP_NONE)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_STATE],
					    "state does not fit the protocol");
			return -EINVAL;
		}
	}
	if (e->key.type != CGN_ENTRY_USER)
		return 0;

	e->ext_addr = nla_get_in_addr(tb[CGN_ENTRY_A_EXT_ADDR]);
	list_for_each_entry(e->pool, &e->inst->pools, list)
		if ((e->ext_addr & e->pool->mask) == e->pool->addr)
			return parse_blocks(nla, e, extack);
	e->pool = NULL;
	NL_SET_ERR_MSG_ATTR(extack, tb[CGN_ENTRY_A_EXT_ADDR],
			    "address is in no pool of the instance");
	return -EINVAL;
}
