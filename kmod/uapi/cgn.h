/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * cgn: carrier-grade NAT generic netlink family.
 *
 * One header for the module, cgnctl and cgn-syncd. The family is described
 * in Documentation/netlink/specs/cgn.yaml. Addresses and the ports of a
 * session travel in network byte order, everything else (pool port ranges
 * included) in host order.
 */
#ifndef _UAPI_LINUX_CGN_H
#define _UAPI_LINUX_CGN_H

#define CGN_GENL_NAME		"cgn"
#define CGN_GENL_VERSION	1
#define CGN_MCGRP_SYNC		"sync"

#define CGN_NAME_LEN		16	/* instance name, including the NUL */

enum cgn_cmd {
	CGN_CMD_UNSPEC,
	CGN_CMD_INSTANCE_NEW,
	CGN_CMD_INSTANCE_DEL,
	CGN_CMD_INSTANCE_SET,
	CGN_CMD_INSTANCE_GET,	/* doit by name, or dump */
	CGN_CMD_POOL_NEW,
	CGN_CMD_POOL_DEL,
	CGN_CMD_INSIDE_NEW,
	CGN_CMD_INSIDE_DEL,
	CGN_CMD_SESSION_GET,	/* dump only */
	CGN_CMD_STATS_GET,	/* doit: one instance, or the whole board */
	CGN_CMD_USER_GET,	/* dump only */
	CGN_CMD_PASS_NEW,
	CGN_CMD_PASS_DEL,
	/*
	 * Replication, see "Sync" below. SYNC_EVENT is only sent by the
	 * kernel, to the "sync" multicast group.
	 */
	CGN_CMD_SYNC_EVENT,
	CGN_CMD_SYNC_GET,	/* dump every entry of CGN_A_INSTANCE */
	CGN_CMD_SYNC_APPLY,	/* doit: CGN_A_ENTRIES from the peer */
	CGN_CMD_SYNC_BEGIN,	/* doit: a bulk copy of CGN_A_INSTANCE starts */
	CGN_CMD_SYNC_END,	/* doit: it ended, drop what it did not carry */
	CGN_CMD_SYNC_DIGEST,	/* doit: digest of CGN_A_INSTANCE's tables */
	CGN_CMD_DSLITE_NEW,	/* CGN_A_DSLITE: an AFTR address or a B4 prefix */
	CGN_CMD_DSLITE_DEL,
	/*
	 * Fast-path devices of the board, by CGN_A_IFNAME: the fast path of
	 * instances with "fastpath on" runs from these devices' ingress hook.
	 */
	CGN_CMD_FASTDEV_NEW,
	CGN_CMD_FASTDEV_DEL,
	CGN_CMD_FASTDEV_GET,	/* dump only */

	__CGN_CMD_MAX,
	CGN_CMD_MAX = __CGN_CMD_MAX - 1
};

/* Top-level attributes. */
enum cgn_attr {
	CGN_A_UNSPEC,
	CGN_A_INSTANCE,		/* string, < CGN_NAME_LEN */
	CGN_A_PREFIX,		/* nest, cgn_prefix_attr */
	CGN_A_POOL,		/* nest, cgn_pool_attr */
	CGN_A_CONFIG,		/* nest, cgn_config_attr */
	CGN_A_POOLS,		/* nest of CGN_A_POOL, in replies */
	CGN_A_INSIDES,		/* nest of CGN_A_PREFIX, in replies */
	CGN_A_SESSION,		/* nest, cgn_session_attr, in replies */
	CGN_A_STATS,		/* nest, cgn_stats_attr, in replies */
	CGN_A_PAD,
	CGN_A_USER,		/* nest, cgn_user_attr */
	CGN_A_PASS,		/* nest, cgn_pass_attr */
	CGN_A_PASSES,		/* nest of CGN_A_PASS, in replies */
	CGN_A_SEQ,		/* u32, sync message sequence number */
	CGN_A_ENTRIES,		/* nest of CGN_A_ENTRY */
	CGN_A_ENTRY,		/* nest, cgn_entry_attr */
	CGN_A_DIGEST,		/* u64 */
	CGN_A_SYNC_LOST,	/* flag: events were dropped before this one */
	CGN_A_COUNT,		/* u32, entries in a digest */
	CGN_A_DSLITE,		/* nest, cgn_dslite_attr */
	CGN_A_IFNAME,		/* string, < IFNAMSIZ (16): a network device */

	__CGN_A_MAX,
	CGN_A_MAX = __CGN_A_MAX - 1
};

enum cgn_prefix_attr {
	CGN_PREFIX_A_UNSPEC,
	CGN_PREFIX_A_ADDR,	/* be32 IPv4 address */
	CGN_PREFIX_A_LEN,	/* u8, 0..32 */

	__CGN_PREFIX_A_MAX,
	CGN_PREFIX_A_MAX = __CGN_PREFIX_A_MAX - 1
};

enum cgn_prefix6_attr {
	CGN_PREFIX6_A_UNSPEC,
	CGN_PREFIX6_A_ADDR,	/* binary, 16-byte IPv6 address */
	CGN_PREFIX6_A_LEN,	/* u8, 0..128 */

	__CGN_PREFIX6_A_MAX,
	CGN_PREFIX6_A_MAX = __CGN_PREFIX6_A_MAX - 1
};

/*
 * DS-Lite AFTR (RFC 6333) of an instance. DSLITE_NEW and DSLITE_DEL take
 * exactly one of AFTR and B4; instance replies carry all of them.
 */
enum cgn_dslite_attr {
	CGN_DSLITE_A_UNSPEC,
	CGN_DSLITE_A_AFTR,	/* binary, 16 bytes: the AFTR address (one) */
	CGN_DSLITE_A_B4,	/* nest, cgn_prefix6_attr: B4s served; repeated */

	__CGN_DSLITE_A_MAX,
	CGN_DSLITE_A_MAX = __CGN_DSLITE_A_MAX - 1
};

enum cgn_pool_attr {
	CGN_POOL_A_UNSPEC,
	CGN_POOL_A_PREFIX,	/* nest, cgn_prefix_attr */
	CGN_POOL_A_PORT_MIN,	/* u16, default 1024 */
	CGN_POOL_A_PORT_MAX,	/* u16, default 65535 */
	CGN_POOL_A_BLOCK_SIZE,	/* u16, ports per block, default 512 */
	CGN_POOL_A_BLOCKS,	/* u32, blocks in the pool, in replies */
	CGN_POOL_A_BLOCKS_USED,	/* u32, blocks allocated, in replies */

	__CGN_POOL_A_MAX,
	CGN_POOL_A_MAX = __CGN_POOL_A_MAX - 1
};

/* Per-instance settings; any subset may be given to instance-set. */
enum cgn_config_attr {
	CGN_CONFIG_A_UNSPEC,
	CGN_CONFIG_A_TIMEOUT_UDP,	/* u32 seconds */
	CGN_CONFIG_A_TIMEOUT_TCP_EST,	/* u32 seconds */
	CGN_CONFIG_A_TIMEOUT_TCP_TRANS,	/* u32 seconds */
	CGN_CONFIG_A_TIMEOUT_ICMP,	/* u32 seconds */
	CGN_CONFIG_A_MAX_SESSIONS,	/* u32, per subscriber */
	CGN_CONFIG_A_MAX_BLOCKS,	/* u32, port blocks per subscriber, 1..256 */
	CGN_CONFIG_A_FILTERING,		/* u8, enum cgn_filtering */
	CGN_CONFIG_A_HAIRPIN,		/* u8, 0 or 1 */
	CGN_CONFIG_A_HOLD_DOWN,		/* u32 seconds a freed port rests, 0: none */
	CGN_CONFIG_A_ICMP_UNREACH,	/* u8, 0 or 1: ICMP 3/1 when out of ports */
	CGN_CONFIG_A_SESSION_LIMIT,	/* u32, sessions of the instance, 0: none */
	CGN_CONFIG_A_FASTPATH,		/* u8, 0 or 1: established flows bypass */
	CGN_CONFIG_A_ROLE,		/* u8, enum cgn_role */
	CGN_CONFIG_A_TUNNEL_MTU,	/* u32, DS-Lite outer MTU, 1280..65535 */
	CGN_CONFIG_A_MAX_SOFTWIRES,	/* u32, B4s per subscriber prefix, >= 1 */
	CGN_CONFIG_A_SOFTWIRE_LEN,	/* u8, subscriber prefix length, 0..128 */
	CGN_CONFIG_A_SYNC_MIN_AGE,	/* u32 ms: younger sessions are not synced */

	__CGN_CONFIG_A_MAX,
	CGN_CONFIG_A_MAX = __CGN_CONFIG_A_MAX - 1
};

/* Inbound filtering (RFC 4787 section 5). */
enum cgn_filtering {
	CGN_FILTER_EIF,		/* endpoint-independent (default) */
	CGN_FILTER_ADF,		/* address-dependent */
	CGN_FILTER_APDF,	/* address- and port-dependent */
};

/*
 * High availability: an active instance translates and reports its changes
 * to the "sync" group; a standby one translates nothing, creates nothing,
 * expires nothing, and holds the entries its peer sends.
 */
enum cgn_role {
	CGN_ROLE_ACTIVE,	/* default */
	CGN_ROLE_STANDBY,
};

/* A destination that leaves untranslated. */
enum cgn_pass_attr {
	CGN_PASS_A_UNSPEC,
	CGN_PASS_A_PREFIX,	/* nest, cgn_prefix_attr */
	/* u16, host order, a TCP/UDP destination port; absent: any, ICMP too */
	CGN_PASS_A_PORT,

	__CGN_PASS_A_MAX,
	CGN_PASS_A_MAX = __CGN_PASS_A_MAX - 1
};

/* A subscriber and its port blocks. */
enum cgn_user_attr {
	CGN_USER_A_UNSPEC,
	CGN_USER_A_INSTANCE,	/* string */
	CGN_USER_A_ADDR,	/* be32, inside address (filter in dump requests) */
	CGN_USER_A_EXT_ADDR,	/* be32, its pool address */
	CGN_USER_A_BLOCK,	/* u16, host order, first port of a block; repeated */
	CGN_USER_A_BLOCK_SIZE,	/* u16 */
	CGN_USER_A_MAPPINGS,	/* u32 */
	CGN_USER_A_SESSIONS,	/* u32 */
	CGN_USER_A_B4,		/* binary, 16 bytes: a DS-Lite subscriber's B4 */

	__CGN_USER_A_MAX,
	CGN_USER_A_MAX = __CGN_USER_A_MAX - 1
};

enum cgn_session_attr {
	CGN_SESSION_A_UNSPEC,
	CGN_SESSION_A_INSTANCE,	/* string */
	CGN_SESSION_A_PROTO,	/* u8, IPPROTO_* */
	CGN_SESSION_A_IN_ADDR,	/* be32 */
	CGN_SESSION_A_IN_PORT,	/* be16 (ICMP: identifier) */
	CGN_SESSION_A_EXT_ADDR,	/* be32 */
	CGN_SESSION_A_EXT_PORT,	/* be16 */
	CGN_SESSION_A_REM_ADDR,	/* be32 */
	CGN_SESSION_A_REM_PORT,	/* be16 (ICMP: 0) */
	CGN_SESSION_A_STATE,	/* u8, enum cgn_tcp_state */
	CGN_SESSION_A_EXPIRES,	/* u32, milliseconds left */
	CGN_SESSION_A_B4,	/* binary, 16 bytes: DS-Lite (filter too) */

	__CGN_SESSION_A_MAX,
	CGN_SESSION_A_MAX = __CGN_SESSION_A_MAX - 1
};

enum cgn_tcp_state {
	CGN_TCP_NONE,		/* not TCP */
	CGN_TCP_SYN_OUT,	/* SYN seen from inside */
	CGN_TCP_SYN_IN,		/* SYN seen from outside (simultaneous open) */
	CGN_TCP_ESTABLISHED,
	CGN_TCP_FIN,		/* FIN seen in one direction */
	CGN_TCP_CLOSED,		/* both FINs or a RST: transitory */
};

enum cgn_stats_attr {
	CGN_STATS_A_UNSPEC,
	CGN_STATS_A_PAD,
	CGN_STATS_A_SESSIONS,		/* u32, live sessions */
	CGN_STATS_A_MAPPINGS,		/* u32, live mappings */
	CGN_STATS_A_USERS,		/* u32, live subscribers */
	CGN_STATS_A_BLOCKS_USED,	/* u32 */
	CGN_STATS_A_PKTS_OUT,		/* u64, translated inside->outside */
	CGN_STATS_A_PKTS_IN,		/* u64, translated outside->inside */
	CGN_STATS_A_SESSIONS_CREATED,	/* u64 */
	CGN_STATS_A_SESSIONS_EXPIRED,	/* u64 */
	CGN_STATS_A_DROP_NO_MAPPING,	/* u64, inbound to a pool, no mapping */
	CGN_STATS_A_DROP_NO_PORTS,	/* u64, out of ports or blocks */
	CGN_STATS_A_DROP_LIMIT,		/* u64, session limit reached */
	CGN_STATS_A_DROP_MALFORMED,	/* u64 */
	CGN_STATS_A_DROP_NOMEM,		/* u64 */
	CGN_STATS_A_BLOCKS_TOTAL,	/* u32, blocks in all pools */
	CGN_STATS_A_DROP_FILTERED,	/* u64, inbound refused by filtering */
	CGN_STATS_A_DROP_BAD_CSUM,	/* u64, ICMP errors with bad checksums */
	CGN_STATS_A_ICMP_UNREACH_SENT,	/* u64, ICMP 3/1 sent when out of ports */
	CGN_STATS_A_HAIRPIN,		/* u64, packets hairpinned */
	CGN_STATS_A_PASS,		/* u64, packets left untranslated by pass */
	CGN_STATS_A_ICMP_ERR_IN,	/* u64, ICMP errors translated inward */
	CGN_STATS_A_ICMP_ERR_OUT,	/* u64, ICMP errors translated outward */
	CGN_STATS_A_DROP_STANDBY,	/* u64, packets a standby instance dropped */
	CGN_STATS_A_SYNC_QUEUED,	/* u64, changes queued for the sync group */
	CGN_STATS_A_SYNC_DROPPED,	/* u64, changes lost: queue full */
	CGN_STATS_A_SYNC_APPLIED,	/* u64, peer entries applied */
	CGN_STATS_A_SYNC_REFUSED,	/* u64, peer entries that did not fit */
	CGN_STATS_A_SOFTWIRES,		/* u32, B4s with a user entry */
	CGN_STATS_A_DECAP,		/* u64, IPv4 packets out of softwires */
	CGN_STATS_A_ENCAP,		/* u64, IPv4 packets into softwires */
	CGN_STATS_A_DROP_B4,		/* u64, from a B4 outside the B4 prefixes */
	CGN_STATS_A_DROP_SOFTWIRES,	/* u64, over max-softwires */
	CGN_STATS_A_DROP_TUNNEL,	/* u64, malformed softwire packets */
	CGN_STATS_A_DROP_TTL,		/* u64, TTL expired at the AFTR */
	CGN_STATS_A_ICMP_AFTR_SENT,	/* u64, ICMPv4 sent from 192.0.0.1 */
	CGN_STATS_A_FAST_OUT,		/* u64, of pkts_out: by the fast path */
	CGN_STATS_A_FAST_IN,		/* u64, of pkts_in: by the fast path */

	__CGN_STATS_A_MAX,
	CGN_STATS_A_MAX = __CGN_STATS_A_MAX - 1
};

/*
 * Sync. An entry is a user, a mapping or a session, identified by its key;
 * without CGN_ENTRY_A_DELETE it carries the entry's whole current state
 * (apply creates or updates it), with the flag only its key (apply removes
 * it and what depends on it). Lifetimes travel as milliseconds left.
 *
 *   user     INSTANCE ADDR EXT_ADDR BLOCK...      key: ADDR [B4]
 *   mapping  INSTANCE PROTO ADDR PORT EXT_PORT [HELD TIMEOUT]
 *                                                 key: PROTO ADDR PORT [B4]
 *   session  INSTANCE PROTO ADDR PORT EXT_PORT REM_ADDR REM_PORT STATE FIN
 *            TIMEOUT            key: PROTO ADDR PORT REM_ADDR REM_PORT [B4]
 *
 * A DS-Lite entry carries its B4; its user's ADDR is 0.0.0.0.
 *
 * Events: the kernel queues the key of whatever changed and, a few
 * milliseconds later, multicasts the entries' state of that moment, many
 * per CGN_CMD_SYNC_EVENT, numbered by CGN_A_SEQ (per board, +1 each
 * message). A gap, CGN_A_SYNC_LOST or ENOBUFS on the socket means events
 * were lost: copy the instance again.
 *
 * A bulk copy: SYNC_BEGIN, SYNC_APPLY of a SYNC_GET dump, SYNC_END. Entries
 * of the instance that the copy did not carry are then removed.
 *
 * Events and dumps carry a mapping with sessions only in its sessions'
 * entries (applying a session makes its mapping); a mapping entry of its
 * own is one without sessions, a held port.
 */
enum cgn_entry_type {
	CGN_ENTRY_USER = 1,
	CGN_ENTRY_MAPPING,
	CGN_ENTRY_SESSION,
};

enum cgn_entry_attr {
	CGN_ENTRY_A_UNSPEC,
	CGN_ENTRY_A_TYPE,	/* u8, enum cgn_entry_type */
	CGN_ENTRY_A_DELETE,	/* flag */
	CGN_ENTRY_A_INSTANCE,	/* string */
	CGN_ENTRY_A_PROTO,	/* u8 */
	CGN_ENTRY_A_ADDR,	/* be32, subscriber's inside address */
	CGN_ENTRY_A_PORT,	/* be16, inside port or ICMP identifier */
	CGN_ENTRY_A_EXT_ADDR,	/* be32 */
	CGN_ENTRY_A_EXT_PORT,	/* be16 */
	CGN_ENTRY_A_REM_ADDR,	/* be32 */
	CGN_ENTRY_A_REM_PORT,	/* be16 */
	CGN_ENTRY_A_STATE,	/* u8, enum cgn_tcp_state */
	CGN_ENTRY_A_FIN,	/* u8, which directions sent a FIN (1 out, 2 in) */
	CGN_ENTRY_A_TIMEOUT,	/* u32, milliseconds left */
	CGN_ENTRY_A_HELD,	/* flag: a mapping whose port rests (hold-down) */
	CGN_ENTRY_A_BLOCK,	/* u16, host order, first port; repeated */
	CGN_ENTRY_A_B4,		/* binary, 16 bytes: DS-Lite B4 */

	__CGN_ENTRY_A_MAX,
	CGN_ENTRY_A_MAX = __CGN_ENTRY_A_MAX - 1
};

#endif /* _UAPI_LINUX_CGN_H */
