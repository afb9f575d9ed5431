/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plain C views of the cgn netlink objects, shared by the message builders,
 * the reply parsers and their users. Addresses and session ports are kept in
 * network byte order as on the wire; everything else is in host order.
 */
#ifndef CGN_TYPES_H
#define CGN_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include <cgn.h>

/* Bit of attribute @attr in a "has" mask: which optional fields are set. */
#define CGN_BIT(attr)		(1ull << (attr))

struct cgn_prefix {
	uint32_t addr;			/* network order */
	uint8_t len;
};

/* A DS-Lite B4 prefix, or the AFTR address (/128). */
struct cgn_prefix6 {
	uint8_t addr[16];
	uint8_t len;
};

struct cgn_config {
	uint32_t has;			/* CGN_BIT(CGN_CONFIG_A_*) */
	uint32_t val[CGN_CONFIG_A_MAX + 1];
};

struct cgn_pool {
	uint32_t has;			/* CGN_BIT(CGN_POOL_A_*) besides prefix */
	struct cgn_prefix prefix;
	uint16_t port_min;
	uint16_t port_max;
	uint16_t block_size;
	uint32_t blocks;
	uint32_t blocks_used;
};

/* A destination left untranslated. */
struct cgn_pass {
	struct cgn_prefix prefix;
	uint16_t port;			/* 0: any */
};

struct cgn_instance_info {
	char name[CGN_NAME_LEN];
	struct cgn_config config;
	struct cgn_pool *pools;
	unsigned int n_pools;
	struct cgn_prefix *insides;
	unsigned int n_insides;
	struct cgn_pass *passes;
	unsigned int n_passes;
	struct cgn_prefix6 aftr;	/* len 0: none */
	struct cgn_prefix6 *b4s;
	unsigned int n_b4s;
};

/* A subscriber and its port blocks. */
struct cgn_user {
	uint32_t has;			/* CGN_BIT(CGN_USER_A_*) */
	char instance[CGN_NAME_LEN];
	uint32_t addr;			/* network order */
	uint32_t ext_addr;
	uint16_t *blocks;		/* first port of each block */
	unsigned int n_blocks;
	uint16_t block_size;
	uint32_t mappings;
	uint32_t sessions;
	uint8_t b4[16];			/* DS-Lite: has CGN_USER_A_B4 */
};

struct cgn_session {
	uint32_t has;			/* CGN_BIT(CGN_SESSION_A_*) */
	char instance[CGN_NAME_LEN];
	uint8_t proto;
	uint8_t state;			/* enum cgn_tcp_state */
	uint32_t in_addr;		/* network order */
	uint32_t ext_addr;
	uint32_t rem_addr;
	uint16_t in_port;		/* network order */
	uint16_t ext_port;
	uint16_t rem_port;
	uint32_t expires;		/* milliseconds */
	uint8_t b4[16];			/* DS-Lite: has CGN_SESSION_A_B4 */
};

struct cgn_stats {
	uint64_t has;			/* CGN_BIT(CGN_STATS_A_*) */
	char instance[CGN_NAME_LEN];	/* "" for all instances */
	uint64_t val[CGN_STATS_A_MAX + 1];
};

/* One request to the kernel; which fields matter depends on @cmd. */
struct cgn_req {
	uint8_t cmd;			/* CGN_CMD_* */
	bool dump;
	char instance[CGN_NAME_LEN];	/* "" when absent */
	struct cgn_config config;	/* INSTANCE_NEW, INSTANCE_SET */
	struct cgn_pool pool;		/* POOL_NEW, POOL_DEL */
	struct cgn_prefix prefix;	/* INSIDE_NEW, INSIDE_DEL */
	struct cgn_session filter;	/* SESSION_GET: proto, in_addr */
	struct cgn_pass pass;		/* PASS_NEW, PASS_DEL */
	struct cgn_user user;		/* USER_GET: addr */
	struct cgn_prefix6 dslite;	/* DSLITE_*: a B4 prefix, or (/128) */
	bool aftr;			/* the AFTR address */
	char ifname[16];		/* FASTDEV_NEW, FASTDEV_DEL (IFNAMSIZ) */
};

#endif /* CGN_TYPES_H */
