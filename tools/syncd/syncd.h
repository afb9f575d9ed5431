/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgn-syncd: replicates a board's active cgn instances to its peer board.
 * One process per network namespace, one poll() loop, no per-entry state.
 */
#ifndef SYNCD_H
#define SYNCD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>

#include "auth.h"
#include "frame.h"
#include "kernel.h"

#define SYNCD_PORT		7611
#define SYNCD_RCVBUF		(8 << 20)
#define OUT_DATA_CAP		(4 << 20)	/* queued bytes before back-pressure */
#define OUT_CAP			(OUT_DATA_CAP + FRAME_MAX_LEN + 4096)
#define WINDOW			256		/* unacked frames */
#define BACKOFF_MIN_MS		100
#define BACKOFF_MAX_MS		5000
#define CTL_CLIENTS		4

enum conn_state {
	CONN_CONNECTING,	/* TCP connect in progress */
	CONN_HELLO,		/* our HELLO sent, waiting for theirs */
	CONN_AUTH,		/* our AUTH sent, waiting for theirs */
	CONN_UP,
};

struct conn {
	int fd;
	enum conn_state state;
	enum auth_role role;
	struct auth_dir tx, rx;
	struct auth_hello hello;
	uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_head, out_tail;
	uint64_t start_ms, last_rx_ms, last_tx_ms;
};

struct config {
	bool paired;
	struct sockaddr_storage local, peer;
	uint16_t port;
	uint8_t key[AUTH_KEY_LEN];
	bool have_key;
};

/* A bulk copy to the peer, one instance at a time. */
enum bulk_phase {
	BULK_NONE,
	BULK_BEGIN,		/* BULK_BEGIN to send and the dump to start */
	BULK_DUMP,		/* forwarding the dump */
	BULK_END,		/* BULK_END to send */
};

struct counters {
	uint64_t sent[4];	/* entries by CGN_ENTRY_* (0: other) */
	uint64_t applied[4];
	uint64_t acked;
	uint64_t resyncs;
	uint64_t digest_checks;
	uint64_t digest_mismatches;
	uint64_t auth_failures;
	uint64_t bad_frames;
	uint64_t events_lost;
	uint64_t apply_errors;
	uint64_t lag_ms, lag_max_ms;
};

/* High availability: modes, roles, failure detection, switchover (ha.c). */
#define HA_MAX_VIPS		16
#define HA_HANDOVER_MS		10000	/* a handed-over instance not taken: back */

enum ha_mode {
	HA_NONE,		/* replicate only; roles are the operator's */
	HA_1TO1,		/* master active for all, backup standby */
	HA_1PLUS1,		/* each board active for its own instances */
};

enum ha_state {
	HA_INIT,		/* no role: everything standby, no VIPs */
	HA_READY,		/* holding roles */
};

struct vip {
	char dev[32];
	int family;
	uint8_t addr[16];
	uint8_t plen;
	char inst[FRAME_NAME_LEN];	/* "" : follows all instances */
	bool held;
	unsigned int announce_left;	/* gratuitous ARP / NA repeats */
	uint64_t announce_ms;
};

struct ha_inst {
	char name[FRAME_NAME_LEN];
	bool active;
	bool handing;			/* given to the peer, not yet taken */
	uint64_t handing_ms;
	bool promote_on_bulk;		/* handover digest differed: after the copy */
	uint32_t promote_elapsed;
	uint64_t take_req_ms;		/* we asked the peer for it */
	bool conflict;			/* active on both boards, we keep it */
};

struct ha {
	/* Configuration. */
	enum ha_mode mode;
	bool master;			/* 1:1 */
	char own[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int n_own;
	struct vip vips[HA_MAX_VIPS];
	unsigned int n_vips;
	bool hb2;
	struct sockaddr_storage hb2_local, hb2_peer;
	const char *hook;
	unsigned int revertive_s;

	enum ha_state state;
	uint64_t start_ms;
	struct ha_inst inst[KERN_MAX_INSTANCES];
	unsigned int n_inst;
	uint64_t refresh_ms;

	/* Second heartbeat path. */
	int hb2_fd;
	uint8_t hb2_key[AUTH_KEY_LEN];
	uint64_t hb2_counter, hb2_peer_counter, hb2_floor;
	uint64_t hb2_last_rx_ms, hb2_next_tx_ms, hb2_retry_ms;
	uint64_t hb2_rx, hb2_tx, hb2_bad, hb2_replays;

	/* The peer as we know it. */
	bool peer_alive;
	uint64_t peer_down_ms;		/* when we declared it down */
	bool peer_known;		/* a STATUS since it was last alive */
	uint64_t peer_st_epoch;
	uint32_t peer_version;
	bool peer_ready;
	bool peer_bulk_done;		/* on this link: its bulk copy is applied */
	char peer_names[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	uint8_t peer_flags[KERN_MAX_INSTANCES];
	unsigned int n_peer;

	/* Our STATUS. */
	uint32_t version;
	uint8_t status[STATUS_MAX_LEN];
	size_t status_len;
	bool status_sent;		/* on this link */
	uint64_t revert_ms;

	/* Counters, for board show. */
	uint64_t switchovers, releases, peer_failures, sync_link_losses;
	uint64_t conflicts;
	uint64_t last_switchover_ms, last_switchover_wall;
	char last_switchover[64];
	uint64_t last_work_ms, stall_until_ms;
};

struct unacked {
	uint64_t seq;
	uint64_t ms;
};

struct bulk_in {
	char name[FRAME_NAME_LEN];
	bool running;
};

struct syncd {
	/* Options. */
	const char *netns;
	char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int rcvbuf;
	unsigned int digest_s;
	unsigned int hb_ms, hb_miss;
	bool warm, verbose, no_kernel;
	struct config cfg;
	uint64_t epoch, peer_epoch;
	uint64_t last_peer_rx_ms;	/* last frame from the peer */

	/* Peer link: conn[0] the current one, conn[1] a newer in handshake. */
	int listen_fd;
	struct conn conn[2];
	uint64_t backoff_ms, next_dial_ms;

	/* Control socket. */
	int ctl_fd;
	int ctl_client[CTL_CLIENTS];
	char ctl_buf[CTL_CLIENTS][512];
	size_t ctl_len[CTL_CLIENTS];

	/* Kernel. */
	struct kern kern;
	bool ev_have_seq, ev_checked;
	uint32_t ev_next, ev_last;	/* next expected, last forwarded */

	/* Sending: window, bulk copies, pending control frames. */
	struct unacked unacked[WINDOW];
	unsigned int n_unacked;
	uint64_t last_acked;
	char bulk_queue[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int n_bulk_queue;
	char bulk_name[FRAME_NAME_LEN];
	enum bulk_phase bulk_phase;
	size_t bulk_len;	/* dump entries gathered for one frame */
	bool bulk_started;	/* a bulk copy was sent on this link */
	uint64_t bulk_end_seq;	/* the last BULK_END sent */
	bool ack_due;
	uint64_t ack_seq;
	bool resync_all_req;
	char resync_req[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int n_resync_req;
	uint64_t resync_req_ms;		/* when we last asked: at most 1/s */

	/* Drift check: instances left to check, and the one waiting. */
	uint64_t next_digest_ms;
	char digest_queue[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int n_digest_queue;
	bool digest_pending;
	char digest_name[FRAME_NAME_LEN];
	uint64_t digest_val;
	uint32_t digest_count, digest_seq;

	/* Graceful switchover: instances to hand over once drained. */
	char handover[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	uint64_t handover_t0[KERN_MAX_INSTANCES];
	unsigned int n_handover;
	bool digest_handover;		/* the pending digest is a HANDOVER */
	uint64_t digest_t0;

	/* Receiving. */
	struct bulk_in bulk_in[KERN_MAX_INSTANCES];
	unsigned int n_bulk_in;

	struct ha ha;

	struct counters c;
	volatile int stop;
};

/* log.c */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ms(void);

/* config.c */
int parse_args(struct syncd *s, int argc, char **argv);	/* 0, 1 exit 0, -1 */
int parse_sockaddr(const char *s, uint16_t port, struct sockaddr_storage *ss);
const char *fmt_addr(const struct sockaddr_storage *ss, char *buf, size_t len);
int addr_cmp(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
void ctl_default_path(const char *netns, char *buf, size_t len);
extern const char syncd_usage[];

/* peer.c */
void peer_reconfigure(struct syncd *s);
void peer_close_all(struct syncd *s);
int peer_pollfds(struct syncd *s, struct pollfd *p, int n);
void peer_events(struct syncd *s, const struct pollfd *p, int n);
void peer_timers(struct syncd *s);
uint64_t peer_timeout(struct syncd *s);
struct conn *peer_up(struct syncd *s);	/* the authenticated link or NULL */
const char *peer_state(const struct syncd *s);
bool peer_can_send(struct syncd *s);	/* room for a data frame */
/* Queue a frame: 0, or -1 if there is no room. @data frames count in the window. */
int peer_send(struct syncd *s, int type, const void *payload, size_t len,
	      bool data);
void peer_flush(struct syncd *s);
void peer_redial(struct syncd *s);	/* the peer is back: dial at once */

/* sync.c */
void sync_link_up(struct syncd *s);
void sync_link_down(struct syncd *s);
void sync_frame(struct syncd *s, const struct frame *f);
void sync_work(struct syncd *s);
int sync_pollfds(struct syncd *s, struct pollfd *p, int n);	/* 2 fds */
uint64_t sync_timeout(struct syncd *s);
const char *sync_bulk_state(const struct syncd *s);
void sync_resync_all(struct syncd *s, const char *why);
void sync_resync_one(struct syncd *s, const char *name, const char *why);
void sync_want_resync(struct syncd *s, const char *name);
/* Drain @name's events, then send HANDOVER (t0: when it was asked). */
void sync_handover(struct syncd *s, const char *name, uint64_t t0);

/* ha.c */
int ha_parse_vip(struct ha *h, const char *dev, const char *spec);
int ha_parse_own(struct ha *h, const char *list);
int ha_start(struct syncd *s);		/* at start, after the kernel opens */
void ha_stop(struct syncd *s);
int ha_pollfds(struct syncd *s, struct pollfd *p, int n);	/* 1 fd */
void ha_events(struct syncd *s, const struct pollfd *p, int n);
void ha_work(struct syncd *s);
uint64_t ha_timeout(struct syncd *s);
void ha_link_up(struct syncd *s);
void ha_link_down(struct syncd *s);
void ha_status_frame(struct syncd *s, const struct frame *f);
void ha_handover_in(struct syncd *s, const char *name, uint32_t elapsed,
		    bool digest_ok);
void ha_bulk_end(struct syncd *s, const char *name);
void ha_take_req(struct syncd *s, const char *name);
bool ha_active_here(struct syncd *s, const char *name);
/* Control requests: 0, or -1 with the reply in @out. */
int ha_ctl_mode(struct syncd *s, char **argv, int argc, char *out, size_t len);
int ha_ctl_switchover(struct syncd *s, const char *name, char *out, size_t len);
struct json;
void ha_show(struct syncd *s, struct json *js);
void ha_peer_status(struct syncd *s, const struct frame *f, bool link);
uint64_t wall_us(void);

/* vip.c */
const char *vip_str(const struct vip *v, char *buf, size_t len);
void vip_set(struct vip *v, bool add, bool quiet);
void vip_announce(struct vip *v);
void vip_reannounce(struct vip *v);

/* hb2.c */
void hb2_open(struct syncd *s);
void hb2_send(struct syncd *s);
void hb2_recv(struct syncd *s);
const char *ha_mode_name(const struct ha *h);

/* ctl.c */
int ctl_open(struct syncd *s);
void ctl_close(struct syncd *s);
int ctl_pollfds(struct syncd *s, struct pollfd *p, int n);
void ctl_events(struct syncd *s, const struct pollfd *p, int n);
/* Handle one request line, writing the reply to @out. */
void ctl_handle(struct syncd *s, char *line, char *out, size_t len);

#endif /* SYNCD_H */
