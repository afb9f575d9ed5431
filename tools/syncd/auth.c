// SPDX-License-Identifier: GPL-2.0
/*
 * Pre-shared key, handshake proofs, session keys and frame MACs. Frames are
 * MACed by OpenSSL's BLAKE2b, the same keyed BLAKE2b-256 as libsodium's:
 * libsodium picks vector code that emulators (qemu TCG) run 3x slower.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "auth.h"

static const char label_hello[] = "cgn-syncd v1 hello";
static const char label_proof[] = "cgn-syncd v1 proof";
static const char label_key[] = "cgn-syncd v1 session";
static const char label_hb2[] = "cgn-syncd v1 hb2";

static EVP_MAC_CTX *blake2b;

int auth_init(void)
{
	size_t size = FRAME_MAC_LEN;
	OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_MAC_PARAM_SIZE, &size),
		OSSL_PARAM_END
	};
	EVP_MAC *m;

	if (sodium_init() < 0)
		return -1;
	m = EVP_MAC_fetch(NULL, "BLAKE2BMAC", NULL);
	blake2b = m ? EVP_MAC_CTX_new(m) : NULL;
	EVP_MAC_free(m);
	return blake2b && EVP_MAC_CTX_set_params(blake2b, p) ? 0 : -1;
}

void auth_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int auth_key_parse(const uint8_t *buf, size_t len, uint8_t key[AUTH_KEY_LEN])
{
	size_t i;
	int hi, lo;

	if (len == AUTH_KEY_LEN) {
		memcpy(key, buf, AUTH_KEY_LEN);
		return 0;
	}
	if (len < 2 * AUTH_KEY_LEN)
		return -1;
	for (i = 2 * AUTH_KEY_LEN; i < len; i++)
		if (!isspace(buf[i]))
			return -1;
	for (i = 0; i < AUTH_KEY_LEN; i++) {
		hi = hexval(buf[2 * i]);
		lo = hexval(buf[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = hi << 4 | lo;
	}
	return 0;
}

int auth_key_load(const char *path, uint8_t key[AUTH_KEY_LEN],
		  const char **why)
{
	uint8_t buf[256];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (auth_key_parse(buf, n, key)) {
		*why = "not 32 bytes or 64 hex digits";
		sodium_memzero(buf, sizeof(buf));
		return -1;
	}
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

/* BLAKE2b keyed with the PSK over a label, a role byte and both HELLOs. */
static void derive(const uint8_t psk[AUTH_KEY_LEN], const char *label,
		   const struct auth_hello *h, int role, uint8_t out[32])
{
	crypto_generichash_state st;
	uint8_t r = role, e[16];
	int i;

	for (i = 0; i < 8; i++) {
		e[i] = h->epoch[AUTH_DIALER] >> (56 - 8 * i);
		e[8 + i] = h->epoch[AUTH_LISTENER] >> (56 - 8 * i);
	}
	crypto_generichash_init(&st, psk, AUTH_KEY_LEN, 32);
	crypto_generichash_update(&st, (const void *)label, strlen(label) + 1);
	crypto_generichash_update(&st, &r, 1);
	crypto_generichash_update(&st, h->nonce[AUTH_DIALER], FRAME_NONCE_LEN);
	crypto_generichash_update(&st, h->nonce[AUTH_LISTENER], FRAME_NONCE_LEN);
	crypto_generichash_update(&st, e, sizeof(e));
	crypto_generichash_final(&st, out, 32);
}

void auth_hello_key(const uint8_t psk[AUTH_KEY_LEN], struct auth_dir *d)
{
	crypto_generichash(d->key, AUTH_KEY_LEN, (const void *)label_hello,
			   sizeof(label_hello), psk, AUTH_KEY_LEN);
	d->seq = 0;
}

void auth_proof(const uint8_t psk[AUTH_KEY_LEN], const struct auth_hello *h,
		enum auth_role role, uint8_t proof[FRAME_MAC_LEN])
{
	derive(psk, label_proof, h, role, proof);
}

bool auth_proof_ok(const uint8_t psk[AUTH_KEY_LEN], const struct auth_hello *h,
		   enum auth_role role, const uint8_t *proof)
{
	uint8_t want[FRAME_MAC_LEN];

	auth_proof(psk, h, role, want);
	return !sodium_memcmp(want, proof, FRAME_MAC_LEN);
}

void auth_session_key(const uint8_t psk[AUTH_KEY_LEN],
		      const struct auth_hello *h, enum auth_role from,
		      uint8_t key[AUTH_KEY_LEN])
{
	derive(psk, label_key, h, from, key);
}

static void mac(const struct auth_dir *d, const uint8_t *frame, size_t len,
		uint8_t out[FRAME_MAC_LEN])
{
	size_t n;

	if (!EVP_MAC_init(blake2b, d->key, AUTH_KEY_LEN, NULL) ||
	    !EVP_MAC_update(blake2b, frame, len) ||
	    !EVP_MAC_final(blake2b, out, &n, FRAME_MAC_LEN))
		abort();	/* cannot fail with these sizes */
}

void auth_seal(struct auth_dir *tx, uint8_t *frame, size_t total)
{
	mac(tx, frame, total - FRAME_MAC_LEN, frame + total - FRAME_MAC_LEN);
	tx->seq++;
}

int auth_open(struct auth_dir *rx, const uint8_t *frame, size_t total,
	      const char **why)
{
	uint8_t want[FRAME_MAC_LEN];
	uint64_t seq = 0;
	int i;

	if (total < FRAME_HDR_LEN + FRAME_MAC_LEN) {
		*why = "short frame";
		return -1;
	}
	for (i = 0; i < 8; i++)
		seq = seq << 8 | frame[16 + i];
	mac(rx, frame, total - FRAME_MAC_LEN, want);
	if (sodium_memcmp(want, frame + total - FRAME_MAC_LEN, FRAME_MAC_LEN)) {
		*why = "bad MAC";
		return -1;
	}
	if (seq != rx->seq) {
		*why = "out of sequence";
		return -1;
	}
	rx->seq++;
	return 0;
}

size_t auth_frame(struct auth_dir *tx, uint8_t *buf, size_t cap, int type,
		  const void *payload, size_t len)
{
	size_t total = frame_encode(buf, cap, type, tx->seq, payload, len);

	if (total)
		auth_seal(tx, buf, total);
	return total;
}

void auth_hb2_key(const uint8_t psk[AUTH_KEY_LEN], uint8_t key[AUTH_KEY_LEN])
{
	crypto_generichash(key, AUTH_KEY_LEN, (const void *)label_hb2,
			   sizeof(label_hb2), psk, AUTH_KEY_LEN);
}

void auth_mac(const uint8_t key[AUTH_KEY_LEN], const void *data, size_t len,
	      uint8_t out[FRAME_MAC_LEN])
{
	crypto_generichash(out, FRAME_MAC_LEN, data, len, key, AUTH_KEY_LEN);
}

bool auth_mac_ok(const uint8_t key[AUTH_KEY_LEN], const void *data, size_t len,
		 const uint8_t *mac)
{
	uint8_t want[FRAME_MAC_LEN];

	auth_mac(key, data, len, want);
	return !sodium_memcmp(want, mac, FRAME_MAC_LEN);
}
