/* SPDX-License-Identifier: GPL-2.0 */
/* Fakes of what the kernel would send, and other test helpers. */
#ifndef FAKE_H
#define FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/msg.h>

#define FAKE_FAMILY	0x2a

/* An address in network order; aborts on a typo in a test. */
uint32_t ip(const char *s);

/* A reply to @cmd from FAKE_FAMILY, as genlmsg_put() in the kernel. */
struct nl_msg *fake_reply(uint8_t cmd, int flags);

/* nla_put_u64_64bit(): a pad attribute first if the u64 would not be aligned. */
int fake_put_u64_64bit(struct nl_msg *msg, int type, uint64_t v, int pad);

/* The settings fake_instance() replies with, by CGN_CONFIG_A_*. */
extern const uint32_t fake_config[];

/*
 * Replies as the kernel's put_instance(), put_session(), put_stats() and
 * put_user(). A user has @n_blocks blocks of 512 ports: 1536, 4096, 6656...
 */
struct nl_msg *fake_instance(const char *name, int n_pools, int n_insides,
			     int n_passes);
struct nl_msg *fake_session(const char *name, uint8_t proto, uint8_t state,
			    uint32_t expires);
struct nl_msg *fake_stats(const char *name, int *pads);
bool fake_stats_u32(int attr);	/* a gauge, not a u64 counter */
struct nl_msg *fake_user(const char *name, const char *addr, int n_blocks);

/* Split @s (modified) at spaces into @argv; returns argc. */
int split(char *s, char **argv, int max);

#endif /* FAKE_H */
