// SPDX-License-Identifier: GPL-2.0
/* cgn-syncd's peer frames and their authentication. */
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>

#include <cgn.h>

#include "auth.h"
#include "frame.h"
#include "unit.h"

static uint8_t buf[FRAME_MAX_LEN + 64];
static uint8_t psk[AUTH_KEY_LEN] = "0123456789abcdef0123456789abcde";

/* An attribute at @p: returns its padded length. */
static size_t put_attr(uint8_t *p, int type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memset(p, 0, NLA_ALIGN(a.nla_len));
	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, data, len);
	return NLA_ALIGN(a.nla_len);
}

/* A CGN_A_ENTRY of @type in instance @inst. */
static size_t put_entry(uint8_t *p, uint8_t type, const char *inst)
{
	uint8_t in[64];
	size_t n = 0;
	uint32_t t = 30000;

	n += put_attr(in + n, CGN_ENTRY_A_TYPE, &type, 1);
	n += put_attr(in + n, CGN_ENTRY_A_INSTANCE, inst, strlen(inst) + 1);
	n += put_attr(in + n, CGN_ENTRY_A_TIMEOUT, &t, 4);
	return put_attr(p, CGN_A_ENTRY | NLA_F_NESTED, in, n);
}

static size_t entries(uint8_t *p)
{
	size_t n = 0;

	n += put_entry(p + n, CGN_ENTRY_USER, "nat1");
	n += put_entry(p + n, CGN_ENTRY_SESSION, "nat1");
	n += put_entry(p + n, CGN_ENTRY_MAPPING, "nat1");
	n += put_entry(p + n, CGN_ENTRY_USER, "nat1");
	return n;
}

static size_t sealed(struct auth_dir *tx, int type, const void *p, size_t len)
{
	return auth_frame(tx, buf, sizeof(buf), type, p, len);
}

static void roundtrip_cases(void)
{
	uint8_t p[256], nonce[FRAME_NONCE_LEN];
	struct auth_dir tx, rx;
	const char *why = NULL;
	struct frame f;
	size_t n, total;

	auth_hello_key(psk, &tx);
	auth_hello_key(psk, &rx);
	memset(nonce, 7, sizeof(nonce));

	unit_begin("frame: HELLO round trip");
	total = sealed(&tx, FRAME_HELLO, p, frame_hello(p, 0x1122334455667788ull, nonce));
	CHECK_INT(total, FRAME_HDR_LEN + 40 + FRAME_MAC_LEN);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_INT(f.type, FRAME_HELLO);
	CHECK_U64(f.seq, 0);
	CHECK_U64(f.epoch, 0x1122334455667788ull);
	CHECK(!memcmp(f.nonce, nonce, sizeof(nonce)));
	CHECK_INT(auth_open(&rx, buf, total, &why), 0);
	unit_end();

	/* OpenSSL seals frames, libsodium keyed BLAKE2b-256 did: the same MAC */
	unit_begin("frame: the MAC is keyed BLAKE2b-256 (libsodium's)");
	auth_mac(tx.key, buf, total - FRAME_MAC_LEN, p);
	CHECK(!memcmp(p, buf + total - FRAME_MAC_LEN, FRAME_MAC_LEN));
	unit_end();

	unit_begin("frame: ACK round trip, big-endian on the wire");
	total = sealed(&tx, FRAME_ACK, p, frame_u64(p, 0x0102030405060708ull));
	CHECK_INT(buf[0], 'C');
	CHECK_INT(buf[3], 'S');
	CHECK_INT(buf[FRAME_HDR_LEN], 1);
	CHECK_INT(buf[23], 1);	/* seq 1 */
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_U64(f.ack, 0x0102030405060708ull);
	CHECK_U64(f.seq, 1);
	CHECK_INT(auth_open(&rx, buf, total, &why), 0);
	unit_end();

	unit_begin("frame: DIGEST round trip");
	total = sealed(&tx, FRAME_DIGEST, p, frame_digest(p, "nat-1", 0xdeadbeefcafef00dull, 12345));
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "nat-1");
	CHECK_U64(f.digest, 0xdeadbeefcafef00dull);
	CHECK_INT(f.count, 12345);
	CHECK_INT(auth_open(&rx, buf, total, &why), 0);
	unit_end();

	unit_begin("frame: BULK_BEGIN, BULK_END, RESYNC_REQ, HEARTBEAT");
	total = sealed(&tx, FRAME_BULK_BEGIN, p, frame_name(p, "a"));
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "a");
	total = sealed(&tx, FRAME_BULK_END, p, frame_name(p, "abcdefghijklmno"));
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "abcdefghijklmno");
	total = sealed(&tx, FRAME_RESYNC_REQ, p, frame_name(p, ""));
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_STR(f.name, "");
	total = sealed(&tx, FRAME_HEARTBEAT, NULL, 0);
	CHECK_INT(total, FRAME_HDR_LEN + FRAME_MAC_LEN);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_INT(f.type, FRAME_HEARTBEAT);
	unit_end();

	unit_begin("frame: ENTRIES carried unchanged");
	n = entries(p);
	total = sealed(&tx, FRAME_ENTRIES, p, n);
	CHECK_INT(frame_decode(buf, total, &f, &why), total);
	CHECK_INT(f.len, n);
	CHECK(!memcmp(f.payload, p, n));
	CHECK_U64(f.types[CGN_ENTRY_USER], 2);
	CHECK_U64(f.types[CGN_ENTRY_SESSION], 1);
	CHECK_STR(f.name, "nat1");
	unit_end();

	unit_begin("frame: empty names refused where an instance is needed");
	total = frame_encode(buf, sizeof(buf), FRAME_BULK_BEGIN, 0, p, frame_name(p, ""));
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "empty instance name");
	memcpy(p, "ab\0c\0\0\0\0\0\0\0\0\0\0\0\0", FRAME_NAME_LEN);
	total = frame_encode(buf, sizeof(buf), FRAME_BULK_END, 0, p, FRAME_NAME_LEN);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	memset(p, 'x', FRAME_NAME_LEN);
	total = frame_encode(buf, sizeof(buf), FRAME_BULK_END, 0, p, FRAME_NAME_LEN);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	unit_end();
}

static void malformed_cases(void)
{
	struct auth_dir tx, rx;
	const char *why = NULL;
	uint8_t p[256];
	struct frame f;
	size_t total, k;
	int ok;

	unit_begin("frame: every truncation is incomplete, none opens");
	auth_hello_key(psk, &tx);
	total = sealed(&tx, FRAME_ENTRIES, p, entries(p));
	ok = 1;
	for (k = 0; k < total; k++) {
		auth_hello_key(psk, &rx);
		if (frame_decode(buf, k, &f, &why) != 0 ||
		    !auth_open(&rx, buf, k, &why))
			ok = 0;
	}
	CHECK(ok);
	unit_end();

	unit_begin("frame: every flipped bit is refused");
	ok = 1;
	for (k = 0; k < total * 8; k++) {
		buf[k / 8] ^= 1 << (k % 8);
		auth_hello_key(psk, &rx);
		if (frame_decode(buf, total, &f, &why) == (long)total &&
		    !auth_open(&rx, buf, total, &why))
			ok = 0;
		buf[k / 8] ^= 1 << (k % 8);
	}
	CHECK(ok);
	buf[total - 1] ^= 0x80;
	auth_hello_key(psk, &rx);
	CHECK_INT(auth_open(&rx, buf, total, &why), -1);
	CHECK_STR(why, "bad MAC");
	buf[total - 1] ^= 0x80;
	unit_end();

	unit_begin("frame: bad magic, version, type, reserved bits");
	total = frame_encode(buf, sizeof(buf), FRAME_HEARTBEAT, 0, NULL, 0);
	buf[0] = 'X';
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "bad magic");
	total = frame_encode(buf, sizeof(buf), FRAME_HEARTBEAT, 0, NULL, 0);
	buf[4] = 2;
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "unsupported version");
	total = frame_encode(buf, sizeof(buf), __FRAME_MAX, 0, NULL, 0);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "unknown type");
	total = frame_encode(buf, sizeof(buf), 0, 0, NULL, 0);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	total = frame_encode(buf, sizeof(buf), FRAME_HEARTBEAT, 0, NULL, 0);
	buf[7] = 1;
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "reserved bits set");
	unit_end();

	unit_begin("frame: wrong payload lengths");
	total = frame_encode(buf, sizeof(buf), FRAME_ACK, 0, p, 7);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "wrong payload length");
	total = frame_encode(buf, sizeof(buf), FRAME_HEARTBEAT, 0, p, 1);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	total = frame_encode(buf, sizeof(buf), FRAME_ENTRIES, 0, p, 0);
	CHECK_INT(frame_decode(buf, total, &f, &why), -1);
	CHECK_STR(why, "malformed entries");
	unit_end();

	unit_begin("frame: oversize refused, from the header alone");
	CHECK_INT(frame_encode(buf, sizeof(buf), FRAME_ENTRIES, 0, p,
			       FRAME_MAX_PAYLOAD + 1), 0);
	frame_encode(buf, sizeof(buf), FRAME_HEARTBEAT, 0, NULL, 0);
	buf[8] = 0x00, buf[9] = 0x04, buf[10] = 0x00, buf[11] = 0x01;
	CHECK_INT(frame_decode(buf, FRAME_HDR_LEN, &f, &why), -1);
	CHECK_STR(why, "oversize payload");
	buf[8] = 0xff;
	CHECK_INT(frame_decode(buf, FRAME_HDR_LEN, &f, &why), -1);
	unit_end();
}

static void sequence_cases(void)
{
	uint8_t p[64], first[128];
	struct auth_dir tx, rx;
	const char *why = NULL;
	size_t t1, t2;

	auth_hello_key(psk, &tx);
	auth_hello_key(psk, &rx);

	unit_begin("auth: replayed frame refused");
	t1 = sealed(&tx, FRAME_ACK, p, frame_u64(p, 1));
	memcpy(first, buf, t1);
	CHECK_INT(auth_open(&rx, buf, t1, &why), 0);
	CHECK_INT(auth_open(&rx, first, t1, &why), -1);
	CHECK_STR(why, "out of sequence");
	unit_end();

	unit_begin("auth: reordered frames refused");
	t1 = sealed(&tx, FRAME_ACK, p, frame_u64(p, 2));
	memcpy(first, buf, t1);
	t2 = sealed(&tx, FRAME_ACK, p, frame_u64(p, 3));
	CHECK_INT(auth_open(&rx, buf, t2, &why), -1);
	CHECK_INT(auth_open(&rx, first, t1, &why), 0);
	CHECK_INT(auth_open(&rx, buf, t2, &why), 0);
	unit_end();

	unit_begin("auth: a frame of the other direction is refused");
	tx.key[0] ^= 1;		/* the other direction's key */
	t1 = sealed(&tx, FRAME_ACK, p, frame_u64(p, 4));
	CHECK_INT(auth_open(&rx, buf, t1, &why), -1);
	CHECK_STR(why, "bad MAC");
	unit_end();
}

static void handshake_cases(void)
{
	uint8_t other[AUTH_KEY_LEN], proof[FRAME_MAC_LEN];
	uint8_t k1[AUTH_KEY_LEN], k2[AUTH_KEY_LEN];
	struct auth_dir d1, d2;
	struct auth_hello h;
	const char *why;
	uint8_t p[64];
	size_t total;

	memcpy(other, psk, sizeof(other));
	other[31] ^= 0x55;
	h.epoch[AUTH_DIALER] = 1;
	h.epoch[AUTH_LISTENER] = 2;
	memset(h.nonce[AUTH_DIALER], 0xaa, FRAME_NONCE_LEN);
	memset(h.nonce[AUTH_LISTENER], 0xbb, FRAME_NONCE_LEN);

	unit_begin("auth: same key, proofs accepted for their role only");
	auth_proof(psk, &h, AUTH_DIALER, proof);
	CHECK(auth_proof_ok(psk, &h, AUTH_DIALER, proof));
	CHECK(!auth_proof_ok(psk, &h, AUTH_LISTENER, proof));	/* reflection */
	unit_end();

	unit_begin("auth: wrong key refused at HELLO and at AUTH");
	auth_hello_key(psk, &d1);
	auth_hello_key(other, &d2);
	total = sealed(&d1, FRAME_HELLO, p, frame_hello(p, 1, h.nonce[0]));
	CHECK_INT(auth_open(&d2, buf, total, &why), -1);
	auth_proof(other, &h, AUTH_DIALER, proof);
	CHECK(!auth_proof_ok(psk, &h, AUTH_DIALER, proof));
	unit_end();

	unit_begin("auth: session keys differ by direction, nonce and epoch");
	auth_session_key(psk, &h, AUTH_DIALER, k1);
	auth_session_key(psk, &h, AUTH_LISTENER, k2);
	CHECK(memcmp(k1, k2, sizeof(k1)));
	h.epoch[AUTH_LISTENER] = 3;
	auth_session_key(psk, &h, AUTH_DIALER, k2);
	CHECK(memcmp(k1, k2, sizeof(k1)));
	h.epoch[AUTH_LISTENER] = 2;
	h.nonce[AUTH_DIALER][5] ^= 1;
	auth_session_key(psk, &h, AUTH_DIALER, k2);
	CHECK(memcmp(k1, k2, sizeof(k1)));
	h.nonce[AUTH_DIALER][5] ^= 1;
	auth_session_key(psk, &h, AUTH_DIALER, k2);
	CHECK(!memcmp(k1, k2, sizeof(k1)));
	unit_end();
}

static void key_cases(void)
{
	uint8_t key[AUTH_KEY_LEN];
	char hex[80];
	int i;

	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02X", i * 7);
	unit_begin("auth: key files");
	CHECK_INT(auth_key_parse(psk, 32, key), 0);
	CHECK(!memcmp(key, psk, 32));
	CHECK_INT(auth_key_parse((uint8_t *)hex, 64, key), 0);
	CHECK_INT(key[31], 31 * 7);
	strcat(hex, " \n");
	CHECK_INT(auth_key_parse((uint8_t *)hex, 66, key), 0);
	CHECK_INT(auth_key_parse((uint8_t *)hex, 63, key), -1);
	CHECK_INT(auth_key_parse(psk, 31, key), -1);
	CHECK_INT(auth_key_parse(psk, 33, key), -1);
	hex[10] = 'g';
	CHECK_INT(auth_key_parse((uint8_t *)hex, 64, key), -1);
	unit_end();
}

static void entries_cases(void)
{
	uint64_t types[4] = { 0 };
	uint8_t p[512], out[512];
	char inst[FRAME_NAME_LEN];
	size_t n;
	long m;

	unit_begin("entries: counted by type, common instance");
	n = entries(p);
	CHECK_INT(entries_walk(p, n, types, inst), 4);
	CHECK_U64(types[CGN_ENTRY_USER], 2);
	CHECK_U64(types[CGN_ENTRY_MAPPING], 1);
	CHECK_U64(types[CGN_ENTRY_SESSION], 1);
	CHECK_STR(inst, "nat1");
	n += put_entry(p + n, CGN_ENTRY_USER, "nat2");
	CHECK_INT(entries_walk(p, n, NULL, inst), 5);
	CHECK_STR(inst, "");
	unit_end();

	unit_begin("entries: warm filter keeps users only");
	m = entries_filter(p, n, CGN_ENTRY_USER, out);
	CHECK_INT(entries_walk(out, m, types, inst), 3);
	CHECK_INT(m, 3 * put_entry(out, CGN_ENTRY_USER, "nat1"));
	unit_end();

	unit_begin("entries: malformed streams refused");
	n = entries(p);
	CHECK_INT(entries_walk(p, n - 4, NULL, NULL), -1);
	CHECK_INT(entries_walk(p, 2, NULL, NULL), -1);
	p[2] = CGN_A_SEQ;
	CHECK_INT(entries_walk(p, n, NULL, NULL), -1);
	n = entries(p);
	p[0] = 2;	/* nla_len below the header */
	CHECK_INT(entries_walk(p, n, NULL, NULL), -1);
	CHECK_INT(entries_filter(p, n, CGN_ENTRY_USER, out), -1);
	unit_end();
}

void test_frame(void)
{
	if (auth_init())
		abort();
	roundtrip_cases();
	malformed_cases();
	sequence_cases();
	handshake_cases();
	key_cases();
	entries_cases();
}
