/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgn-syncd's netlink side: blocking sockets for commands (doit requests and
 * the instance dump) and for applying the peer's entries, and two
 * non-blocking sockets read one message at a time: the "sync" multicast
 * events and the SYNC_GET dump of a bulk copy.
 */
#ifndef SYNCD_KERNEL_H
#define SYNCD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "nl.h"

#define KERN_MAX_INSTANCES	64

enum kern_sock {
	KERN_EVENTS,
	KERN_DUMP,
};

/* A datagram read from one of the non-blocking sockets, and where we are. */
struct kern_rx {
	struct nl_sock *sk;
	int fd;
	uint8_t *buf;
	size_t len;
	size_t off;
};

struct kern {
	bool off;		/* --no-kernel: no netlink at all */
	struct cgn_nl cmd;
	struct kern_rx rx[2];
	int apply_fd;		/* SYNC_APPLY, without libnl */
	uint32_t apply_seq;
	int grp;		/* of the "sync" group */
	bool joined;		/* the events socket is in it */
	bool dumping;
};

enum kern_kind {
	KERN_EVENT,		/* a SYNC_EVENT */
	KERN_ENTRIES,		/* a SYNC_GET dump reply */
	KERN_DONE,		/* the end of the dump, err set if it failed */
	KERN_OTHER,		/* anything else: skip it */
};

struct kern_msg {
	enum kern_kind kind;
	bool has_seq;
	bool lost;
	uint32_t seq;
	const uint8_t *entries;	/* the payload of CGN_A_ENTRIES, or NULL */
	size_t len;
	int err;
	char msg[256];
};

/* 0, or -errno with a reason in @why (static). */
int kern_open(struct kern *k, int rcvbuf, const char **why);
void kern_close(struct kern *k);
int kern_events_join(struct kern *k);
void kern_events_leave(struct kern *k);

/* The names of the active instances into @names; their number or -errno. */
int kern_instances(struct kern *k, char names[][FRAME_NAME_LEN], int max);

/* Every instance and whether it is active; their number or -errno. */
int kern_roles(struct kern *k, char names[][FRAME_NAME_LEN], bool *active,
	       int max);
/* Make @inst active (promote) or standby: 0 or -errno. */
int kern_set_role(struct kern *k, const char *inst, bool active);

/* SYNC_BEGIN, SYNC_APPLY (with @entries) or SYNC_END: 0 or -errno. */
int kern_sync(struct kern *k, int cmd, const char *inst, const uint8_t *entries,
	      size_t len);
int kern_digest(struct kern *k, const char *inst, uint64_t *digest,
		uint32_t *seq, uint32_t *count);
const char *kern_error(const struct kern *k, int err);

int kern_dump_start(struct kern *k, const char *inst);
void kern_dump_abort(struct kern *k);	/* a new socket: the old dump is gone */

/*
 * The current message of @s, reading a datagram if needed: 1, 0 if there
 * is none yet, -ENOBUFS if the socket overran, or another -errno. It stays
 * current until kern_consume().
 */
int kern_peek(struct kern *k, enum kern_sock s, struct kern_msg *m);
void kern_consume(struct kern *k, enum kern_sock s);

/* Pure: decode one netlink message of family @family. */
void kern_decode(const struct nlmsghdr *nlh, int family, struct kern_msg *m);

#endif /* SYNCD_KERNEL_H */
