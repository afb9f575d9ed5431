/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgn-syncd peer frames: a 24-byte header, the payload and a 32-byte MAC.
 * All integers are big-endian. Encoding and decoding only: no I/O, no keys.
 *
 *	0  magic "CGNS"	4  version  5  type  6  flags (0)
 *	8  payload length	12 reserved (0)	16 sequence (u64)
 *	24 payload ...	then MAC over header and payload
 */
#ifndef SYNCD_FRAME_H
#define SYNCD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAGIC		0x43474e53u	/* "CGNS" */
#define FRAME_VERSION		1
#define FRAME_HDR_LEN		24
#define FRAME_MAC_LEN		32
#define FRAME_MAX_PAYLOAD	(256 * 1024)
#define FRAME_MAX_LEN		(FRAME_HDR_LEN + FRAME_MAX_PAYLOAD + FRAME_MAC_LEN)
#define FRAME_NONCE_LEN		32
#define FRAME_NAME_LEN		16	/* an instance name, NUL padded */

enum frame_type {
	FRAME_HELLO = 1,	/* epoch u64, nonce[32] */
	FRAME_AUTH,		/* proof[32] */
	FRAME_HEARTBEAT,	/* empty */
	FRAME_ACK,		/* u64: frames up to this sequence are applied */
	FRAME_ENTRIES,		/* the attributes inside CGN_A_ENTRIES */
	FRAME_BULK_BEGIN,	/* name */
	FRAME_BULK_END,		/* name */
	FRAME_DIGEST,		/* name, digest u64, count u32 */
	FRAME_RESYNC_REQ,	/* name, "" for every instance */
	FRAME_STATUS,		/* the board's HA status, see frame_status() */
	FRAME_HANDOVER,		/* name, digest u64, count u32, elapsed ms u32 */
	FRAME_TAKE_REQ,		/* name: please hand this instance over */
	__FRAME_MAX
};

struct frame {
	uint8_t type;
	uint64_t seq;
	const uint8_t *payload;
	uint32_t len;
	/* Decoded payload, by type. */
	uint64_t epoch;		/* HELLO */
	const uint8_t *nonce;	/* HELLO */
	const uint8_t *proof;	/* AUTH */
	uint64_t ack;		/* ACK */
	char name[FRAME_NAME_LEN];	/* BULK_*, DIGEST, RESYNC_REQ, ENTRIES */
	uint64_t types[4];	/* ENTRIES: entries by type, see entries_walk() */
	uint64_t digest;	/* DIGEST */
	uint32_t count;		/* DIGEST, HANDOVER */
	uint32_t elapsed;	/* HANDOVER */
	/* STATUS (epoch above): the sender's HA state and its instances */
	uint32_t version;
	uint8_t ready, bulk_done;
	uint16_t n_inst;
	const uint8_t *inst;	/* n_inst records, see frame_status_inst() */
};

/* STATUS: epoch u64, version u32, ready u8, bulk_done u8, n u16, then n
 * records of name[16], flags u8, 3 bytes 0. */
#define STATUS_HDR_LEN		16
#define STATUS_REC_LEN		20
#define STATUS_MAX_INST		64
#define STATUS_MAX_LEN		(STATUS_HDR_LEN + STATUS_MAX_INST * STATUS_REC_LEN)
#define STATUS_ACTIVE		0x01	/* the sender translates it */
#define STATUS_OWNER		0x02	/* the sender owns it (master, --own) */

const char *frame_type_name(int type);

/*
 * Decode the frame at the start of @buf (@avail bytes). Returns its total
 * length (header, payload and MAC), 0 if more bytes are needed, or -1 with
 * *@why set if it is malformed. The MAC is not checked here.
 */
long frame_decode(const uint8_t *buf, size_t avail, struct frame *f,
		  const char **why);

/*
 * Write the header and payload of a frame into @buf, leaving FRAME_MAC_LEN
 * bytes after them for the MAC. Returns the total length, or 0 if @cap is too
 * small or @len too large.
 */
size_t frame_encode(uint8_t *buf, size_t cap, int type, uint64_t seq,
		    const void *payload, size_t len);

/* Payload builders; return the payload length. */
size_t frame_hello(uint8_t *p, uint64_t epoch, const uint8_t *nonce);
size_t frame_u64(uint8_t *p, uint64_t v);
size_t frame_name(uint8_t *p, const char *name);
size_t frame_digest(uint8_t *p, const char *name, uint64_t digest,
		    uint32_t count);
size_t frame_handover(uint8_t *p, const char *name, uint64_t digest,
		      uint32_t count, uint32_t elapsed);
/* STATUS: the header; then frame_status_add() per instance; returns the length */
size_t frame_status(uint8_t *p, uint64_t epoch, uint32_t version, int ready,
		    int bulk_done);
size_t frame_status_add(uint8_t *p, size_t len, const char *name, int flags);
/* Decode a STATUS payload into @f: 0, or -1 with *@why set. */
int frame_status_decode(const uint8_t *p, size_t len, struct frame *f,
			const char **why);
/* Record @i of a decoded STATUS: its flags, and its name into @name. */
int frame_status_inst(const struct frame *f, unsigned int i, char *name);

/*
 * Walk an attribute stream of CGN_A_ENTRY nests. Returns the number of
 * entries, or -1 if the stream is malformed. @types (may be NULL) counts the
 * entries by CGN_ENTRY_A_TYPE (index 0: unknown or missing); @inst (may be
 * NULL, FRAME_NAME_LEN bytes) receives the instance common to the entries
 * that name one (deletions do not), or "" if they differ or none does.
 */
int entries_walk(const uint8_t *p, size_t len, uint64_t types[4],
		 char *inst);

/*
 * Copy to @out the entries of @p whose type is @type; returns the bytes
 * written (@out must hold @len bytes), or -1 if @p is malformed.
 */
long entries_filter(const uint8_t *p, size_t len, int type, uint8_t *out);

#endif /* SYNCD_FRAME_H */
