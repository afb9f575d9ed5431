/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer authentication (libsodium): the pre-shared key, the handshake proofs,
 * the per-direction session keys and the MAC of every frame.
 */
#ifndef SYNCD_AUTH_H
#define SYNCD_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

#define AUTH_KEY_LEN	32

/* The side of the TCP connection, bound into proofs and keys. */
enum auth_role {
	AUTH_DIALER,
	AUTH_LISTENER,
};

/* One direction of a link: its key and the sequence of its next frame. */
struct auth_dir {
	uint8_t key[AUTH_KEY_LEN];
	uint64_t seq;
};

/* What both HELLOs said: [AUTH_DIALER] and [AUTH_LISTENER]. */
struct auth_hello {
	uint64_t epoch[2];
	uint8_t nonce[2][FRAME_NONCE_LEN];
};

int auth_init(void);	/* 0 or -1 */

/*
 * A key file holds exactly 32 bytes, or 64 hexadecimal digits and optional
 * trailing white space. 0, or -1 with *@why set.
 */
int auth_key_load(const char *path, uint8_t key[AUTH_KEY_LEN],
		  const char **why);
int auth_key_parse(const uint8_t *buf, size_t len, uint8_t key[AUTH_KEY_LEN]);

void auth_random(void *buf, size_t len);

/* The key of HELLO frames (sequence 0 of each direction). */
void auth_hello_key(const uint8_t psk[AUTH_KEY_LEN], struct auth_dir *d);

/* The proof @role sends in its AUTH frame. */
void auth_proof(const uint8_t psk[AUTH_KEY_LEN], const struct auth_hello *h,
		enum auth_role role, uint8_t proof[FRAME_MAC_LEN]);
bool auth_proof_ok(const uint8_t psk[AUTH_KEY_LEN], const struct auth_hello *h,
		   enum auth_role role, const uint8_t *proof);

/* The session key of the frames @from sends (after its HELLO). */
void auth_session_key(const uint8_t psk[AUTH_KEY_LEN],
		      const struct auth_hello *h, enum auth_role from,
		      uint8_t key[AUTH_KEY_LEN]);

/*
 * Seal a frame_encode()d frame of @total bytes: take the next sequence of
 * @tx, which must be the one in the header, and write the MAC.
 */
void auth_seal(struct auth_dir *tx, uint8_t *frame, size_t total);

/*
 * Check the MAC and that the sequence is the next one of @rx, then count
 * it. 0, or -1 with *@why set.
 */
int auth_open(struct auth_dir *rx, const uint8_t *frame, size_t total,
	      const char **why);

/* Encode, stamp with @tx's sequence and seal: total length or 0. */
size_t auth_frame(struct auth_dir *tx, uint8_t *buf, size_t cap, int type,
		  const void *payload, size_t len);

/* The key of the second heartbeat path (UDP datagrams). */
void auth_hb2_key(const uint8_t psk[AUTH_KEY_LEN], uint8_t key[AUTH_KEY_LEN]);
/* A keyed BLAKE2b MAC of @len bytes, and its constant-time check. */
void auth_mac(const uint8_t key[AUTH_KEY_LEN], const void *data, size_t len,
	      uint8_t out[FRAME_MAC_LEN]);
bool auth_mac_ok(const uint8_t key[AUTH_KEY_LEN], const void *data, size_t len,
		 const uint8_t *mac);

#endif /* SYNCD_AUTH_H */
