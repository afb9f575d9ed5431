// SPDX-License-Identifier: GPL-2.0
/* Peer frames: layout, decoding and the entries inside them. */
#include <linux/netlink.h>
#include <string.h>

#include <cgn.h>

#include "frame.h"

static const char *const names[__FRAME_MAX] = {
	[FRAME_HELLO] = "HELLO",
	[FRAME_AUTH] = "AUTH",
	[FRAME_HEARTBEAT] = "HEARTBEAT",
	[FRAME_ACK] = "ACK",
	[FRAME_ENTRIES] = "ENTRIES",
	[FRAME_BULK_BEGIN] = "BULK_BEGIN",
	[FRAME_BULK_END] = "BULK_END",
	[FRAME_DIGEST] = "DIGEST",
	[FRAME_RESYNC_REQ] = "RESYNC_REQ",
	[FRAME_STATUS] = "STATUS",
	[FRAME_HANDOVER] = "HANDOVER",
	[FRAME_TAKE_REQ] = "TAKE_REQ",
};

const char *frame_type_name(int type)
{
	return type > 0 && type < __FRAME_MAX ? names[type] : "?";
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

/* A NUL-padded instance name: 0..15 printable characters, then NULs. */
static int get_name(const uint8_t *p, char *name)
{
	int i, end = -1;

	for (i = 0; i < FRAME_NAME_LEN; i++) {
		if (!p[i] && end < 0)
			end = i;
		else if (end >= 0 ? p[i] != 0 : p[i] <= ' ' || p[i] > '~')
			return -1;
	}
	if (end < 0)
		return -1;
	memcpy(name, p, FRAME_NAME_LEN);
	return 0;
}

static int payload(struct frame *f, const char **why)
{
	static const int size[__FRAME_MAX] = {
		[FRAME_HELLO] = 8 + FRAME_NONCE_LEN,
		[FRAME_AUTH] = FRAME_MAC_LEN,
		[FRAME_HEARTBEAT] = 0,
		[FRAME_ACK] = 8,
		[FRAME_ENTRIES] = -1,
		[FRAME_BULK_BEGIN] = FRAME_NAME_LEN,
		[FRAME_BULK_END] = FRAME_NAME_LEN,
		[FRAME_DIGEST] = FRAME_NAME_LEN + 12,
		[FRAME_RESYNC_REQ] = FRAME_NAME_LEN,
		[FRAME_STATUS] = -1,
		[FRAME_HANDOVER] = FRAME_NAME_LEN + 16,
		[FRAME_TAKE_REQ] = FRAME_NAME_LEN,
	};
	const uint8_t *p = f->payload;

	if (size[f->type] >= 0 && f->len != (uint32_t)size[f->type]) {
		*why = "wrong payload length";
		return -1;
	}
	switch (f->type) {
	case FRAME_HELLO:
		f->epoch = get64(p);
		f->nonce = p + 8;
		break;
	case FRAME_AUTH:
		f->proof = p;
		break;
	case FRAME_ACK:
		f->ack = get64(p);
		break;
	case FRAME_ENTRIES:
		if (entries_walk(p, f->len, f->types, f->name) <= 0) {
			*why = "malformed entries";
			return -1;
		}
		break;
	case FRAME_STATUS:
		return frame_status_decode(p, f->len, f, why);
	case FRAME_HANDOVER:
		f->elapsed = get32(p + FRAME_NAME_LEN + 12);
		/* fall through */
	case FRAME_DIGEST:
		f->digest = get64(p + FRAME_NAME_LEN);
		f->count = get32(p + FRAME_NAME_LEN + 8);
		/* fall through */
	case FRAME_BULK_BEGIN:
	case FRAME_BULK_END:
	case FRAME_RESYNC_REQ:
	case FRAME_TAKE_REQ:
		if (get_name(p, f->name)) {
			*why = "bad instance name";
			return -1;
		}
		if (!f->name[0] && f->type != FRAME_RESYNC_REQ) {
			*why = "empty instance name";
			return -1;
		}
		break;
	}
	return 0;
}

long frame_decode(const uint8_t *buf, size_t avail, struct frame *f,
		  const char **why)
{
	size_t total;

	memset(f, 0, sizeof(*f));
	if (avail < FRAME_HDR_LEN)
		return 0;
	if (get32(buf) != FRAME_MAGIC) {
		*why = "bad magic";
		return -1;
	}
	if (buf[4] != FRAME_VERSION) {
		*why = "unsupported version";
		return -1;
	}
	f->type = buf[5];
	if (!f->type || f->type >= __FRAME_MAX) {
		*why = "unknown type";
		return -1;
	}
	if (buf[6] || buf[7] || get32(buf + 12)) {
		*why = "reserved bits set";
		return -1;
	}
	f->len = get32(buf + 8);
	if (f->len > FRAME_MAX_PAYLOAD) {
		*why = "oversize payload";
		return -1;
	}
	f->seq = get64(buf + 16);
	total = FRAME_HDR_LEN + f->len + FRAME_MAC_LEN;
	if (avail < total)
		return 0;
	f->payload = buf + FRAME_HDR_LEN;
	if (payload(f, why))
		return -1;
	return total;
}

size_t frame_encode(uint8_t *buf, size_t cap, int type, uint64_t seq,
		    const void *payload, size_t len)
{
	size_t total = FRAME_HDR_LEN + len + FRAME_MAC_LEN;

	if (len > FRAME_MAX_PAYLOAD || cap < total)
		return 0;
	put32(buf, FRAME_MAGIC);
	buf[4] = FRAME_VERSION;
	buf[5] = type;
	buf[6] = buf[7] = 0;
	put32(buf + 8, len);
	put32(buf + 12, 0);
	put64(buf + 16, seq);
	if (len)
		memmove(buf + FRAME_HDR_LEN, payload, len);
	return total;
}

size_t frame_hello(uint8_t *p, uint64_t epoch, const uint8_t *nonce)
{
	put64(p, epoch);
	memcpy(p + 8, nonce, FRAME_NONCE_LEN);
	return 8 + FRAME_NONCE_LEN;
}

size_t frame_u64(uint8_t *p, uint64_t v)
{
	put64(p, v);
	return 8;
}

size_t frame_name(uint8_t *p, const char *name)
{
	memset(p, 0, FRAME_NAME_LEN);
	strncpy((char *)p, name, FRAME_NAME_LEN - 1);
	return FRAME_NAME_LEN;
}

size_t frame_digest(uint8_t *p, const char *name, uint64_t digest,
		    uint32_t count)
{
	frame_name(p, name);
	put64(p + FRAME_NAME_LEN, digest);
	put32(p + FRAME_NAME_LEN + 8, count);
	return FRAME_NAME_LEN + 12;
}

size_t frame_handover(uint8_t *p, const char *name, uint64_t digest,
		      uint32_t count, uint32_t elapsed)
{
	frame_digest(p, name, digest, count);
	put32(p + FRAME_NAME_LEN + 12, elapsed);
	return FRAME_NAME_LEN + 16;
}

size_t frame_status(uint8_t *p, uint64_t epoch, uint32_t version, int ready,
		    int bulk_done)
{
	put64(p, epoch);
	put32(p + 8, version);
	p[12] = !!ready;
	p[13] = !!bulk_done;
	p[14] = p[15] = 0;
	return STATUS_HDR_LEN;
}

size_t frame_status_add(uint8_t *p, size_t len, const char *name, int flags)
{
	unsigned int n = (unsigned int)p[14] << 8 | p[15];

	if (n >= STATUS_MAX_INST)
		return len;
	frame_name(p + len, name);
	p[len + FRAME_NAME_LEN] = flags;
	memset(p + len + FRAME_NAME_LEN + 1, 0, 3);
	n++;
	p[14] = n >> 8;
	p[15] = n;
	return len + STATUS_REC_LEN;
}

int frame_status_decode(const uint8_t *p, size_t len, struct frame *f,
			const char **why)
{
	char name[FRAME_NAME_LEN];
	unsigned int i;

	if (len < STATUS_HDR_LEN) {
		*why = "wrong payload length";
		return -1;
	}
	f->epoch = get64(p);
	f->version = get32(p + 8);
	f->n_inst = (uint16_t)(p[14] << 8 | p[15]);
	if (p[12] > 1 || p[13] > 1 || f->n_inst > STATUS_MAX_INST ||
	    len != STATUS_HDR_LEN + (size_t)f->n_inst * STATUS_REC_LEN) {
		*why = "malformed status";
		return -1;
	}
	f->ready = p[12];
	f->bulk_done = p[13];
	f->inst = p + STATUS_HDR_LEN;
	for (i = 0; i < f->n_inst; i++) {
		const uint8_t *r = f->inst + i * STATUS_REC_LEN;

		if (get_name(r, name) || !name[0] ||
		    r[FRAME_NAME_LEN] & ~(STATUS_ACTIVE | STATUS_OWNER) ||
		    r[FRAME_NAME_LEN + 1] || r[FRAME_NAME_LEN + 2] ||
		    r[FRAME_NAME_LEN + 3]) {
			*why = "malformed status";
			return -1;
		}
	}
	return 0;
}

int frame_status_inst(const struct frame *f, unsigned int i, char *name)
{
	const uint8_t *r = f->inst + i * STATUS_REC_LEN;

	memcpy(name, r, FRAME_NAME_LEN);
	return r[FRAME_NAME_LEN];
}

/* The next attribute of @p..@end, or NULL at the end; *@bad if malformed. */
static const struct nlattr *next_attr(const uint8_t **p, const uint8_t *end,
				      int *bad)
{
	const struct nlattr *a = (const void *)*p;
	size_t left = end - *p;

	if (!left)
		return NULL;
	/* The kernel pads every attribute, the last one too. */
	if (left < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
	    (size_t)NLA_ALIGN(a->nla_len) > left) {
		*bad = 1;
		return NULL;
	}
	*p += NLA_ALIGN(a->nla_len);
	return a;
}

/* The type and instance of one entry; -1 if malformed. */
static int entry_info(const struct nlattr *e, char *inst)
{
	const uint8_t *p = (const uint8_t *)e + NLA_HDRLEN;
	const uint8_t *end = (const uint8_t *)e + e->nla_len;
	const struct nlattr *a;
	int bad = 0, type = 0;
	size_t n;

	inst[0] = '\0';
	while ((a = next_attr(&p, end, &bad))) {
		n = a->nla_len - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CGN_ENTRY_A_TYPE:
			if (n < 1)
				return -1;
			type = *((const uint8_t *)a + NLA_HDRLEN);
			break;
		case CGN_ENTRY_A_INSTANCE:
			if (n >= FRAME_NAME_LEN)
				return -1;
			memcpy(inst, (const uint8_t *)a + NLA_HDRLEN, n);
			inst[n] = '\0';
			break;
		}
	}
	if (bad)
		return -1;
	return type >= CGN_ENTRY_USER && type <= CGN_ENTRY_SESSION ? type : 0;
}

int entries_walk(const uint8_t *p, size_t len, uint64_t types[4], char *inst)
{
	const uint8_t *end = p + len;
	char name[FRAME_NAME_LEN], first[FRAME_NAME_LEN] = "";
	const struct nlattr *e;
	int bad = 0, n = 0, type, same = 1;

	while ((e = next_attr(&p, end, &bad))) {
		if ((e->nla_type & NLA_TYPE_MASK) != CGN_A_ENTRY)
			return -1;
		type = entry_info(e, name);
		if (type < 0)
			return -1;
		if (types)
			types[type]++;
		/* Deletions carry only a key: no instance. */
		if (name[0] && !first[0])
			memcpy(first, name, sizeof(first));
		else if (name[0] && strcmp(first, name))
			same = 0;
		n++;
	}
	if (bad)
		return -1;
	if (inst)
		strcpy(inst, same ? first : "");
	return n;
}

long entries_filter(const uint8_t *p, size_t len, int type, uint8_t *out)
{
	const uint8_t *end = p + len;
	char name[FRAME_NAME_LEN];
	const struct nlattr *e;
	int bad = 0;
	long n = 0;

	while ((e = next_attr(&p, end, &bad))) {
		if ((e->nla_type & NLA_TYPE_MASK) != CGN_A_ENTRY)
			return -1;
		if (entry_info(e, name) != type)
			continue;
		memcpy(out + n, e, NLA_ALIGN(e->nla_len));
		n += NLA_ALIGN(e->nla_len);
	}
	return bad ? -1 : n;
}
