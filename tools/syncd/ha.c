// SPDX-License-Identifier: GPL-2.0
/*
 * High availability: 1:1 and 1+1 modes, failure detection on two paths
 * (the sync link and authenticated UDP heartbeats), takeover (promote,
 * then addresses, then the hook), graceful switchover and the split-brain
 * rules. See README.md, "Failover".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "syncd.h"

#define HB2_SKEW_US	(60ull * 1000000)	/* replays older than start - 60 s */
#define REFRESH_MS	1000

static uint64_t detect_ms(const struct syncd *s)
{
	return (uint64_t)s->hb_ms * s->hb_miss;
}

uint64_t wall_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

const char *ha_mode_name(const struct ha *h)
{
	switch (h->mode) {
	case HA_1TO1:
		return h->master ? "1:1 master" : "1:1 backup";
	case HA_1PLUS1:
		return "1+1";
	default:
		return "none";
	}
}

/* Configuration. */

int ha_parse_own(struct ha *h, const char *list)
{
	char buf[1024], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	h->n_own = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!*tok || strlen(tok) >= FRAME_NAME_LEN ||
		    h->n_own == KERN_MAX_INSTANCES)
			return -1;
		strcpy(h->own[h->n_own++], tok);
	}
	return h->n_own ? 0 : -1;
}

/* --vip DEV ADDR/LEN[@INSTANCE] */
int ha_parse_vip(struct ha *h, const char *dev, const char *spec)
{
	struct vip *v = &h->vips[h->n_vips];
	char buf[128], *at, *slash, *end;
	unsigned long plen;

	if (h->n_vips == HA_MAX_VIPS || strlen(spec) >= sizeof(buf) ||
	    !*dev || strlen(dev) >= IFNAMSIZ)
		return -1;
	memset(v, 0, sizeof(*v));
	strcpy(buf, spec);
	at = strchr(buf, '@');
	if (at) {
		*at++ = '\0';
		if (!*at || strlen(at) >= FRAME_NAME_LEN)
			return -1;
		strcpy(v->inst, at);
	}
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash++ = '\0';
	if (inet_pton(AF_INET, buf, v->addr) == 1)
		v->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, v->addr) == 1)
		v->family = AF_INET6;
	else
		return -1;
	plen = strtoul(slash, &end, 10);
	if (!*slash || *end || plen > (v->family == AF_INET ? 32u : 128u))
		return -1;
	v->plen = plen;
	strcpy(v->dev, dev);
	h->n_vips++;
	return 0;
}

/* Instances. */

static struct ha_inst *inst_find(struct ha *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->n_inst; i++)
		if (!strcmp(h->inst[i].name, name))
			return &h->inst[i];
	return NULL;
}

static bool owner(const struct ha *h, const char *name)
{
	unsigned int i;

	if (h->mode == HA_1TO1)
		return h->master;
	for (i = 0; i < h->n_own; i++)
		if (!strcmp(h->own[i], name))
			return true;
	return false;
}

/* Re-read the instances and their roles from the kernel. */
static void refresh(struct syncd *s)
{
	char names[KERN_MAX_INSTANCES][FRAME_NAME_LEN] = { { 0 } };
	bool active[KERN_MAX_INSTANCES];
	struct ha *h = &s->ha;
	struct ha_inst old[KERN_MAX_INSTANCES], *o;
	unsigned int n_old = h->n_inst, i, j;
	int n;

	h->refresh_ms = now_ms() + REFRESH_MS;
	n = kern_roles(&s->kern, names, active, KERN_MAX_INSTANCES);
	if (n < 0) {
		say("cannot list instances: %s", kern_error(&s->kern, n));
		return;
	}
	memcpy(old, h->inst, sizeof(old));
	h->n_inst = 0;
	for (i = 0; i < (unsigned int)n; i++) {
		struct ha_inst *in = &h->inst[h->n_inst++];

		memset(in, 0, sizeof(*in));
		for (j = 0, o = NULL; j < n_old && !o; j++)
			if (!strcmp(old[j].name, names[i]))
				o = &old[j];
		if (o)
			*in = *o;
		memcpy(in->name, names[i], FRAME_NAME_LEN);
		if (o && o->active != active[i])
			say("instance %s was made %s from outside the agent",
			    names[i], active[i] ? "active" : "standby");
		in->active = active[i];
	}
}

static bool all_active(const struct ha *h)
{
	unsigned int i;

	for (i = 0; i < h->n_inst; i++)
		if (!h->inst[i].active)
			return false;
	return h->n_inst > 0;
}

bool ha_active_here(struct syncd *s, const char *name)
{
	struct ha_inst *in;

	if (s->ha.mode == HA_NONE)
		return false;
	in = inst_find(&s->ha, name);
	return in && in->active;
}

/* Addresses: rtnetlink, gratuitous ARP, unsolicited NA. */

static bool vip_wanted(const struct ha *h, const struct vip *v)
{
	const struct ha_inst *in;

	if (!v->inst[0])
		return all_active(h);
	in = inst_find((struct ha *)h, v->inst);
	return in && in->active;
}

/* Add what we now hold, remove what we no longer hold; releases first. */
static void vips_update(struct syncd *s)
{
	struct ha *h = &s->ha;
	unsigned int i;

	for (i = 0; i < h->n_vips; i++)
		if (h->vips[i].held && !vip_wanted(h, &h->vips[i]))
			vip_set(&h->vips[i], false, false);
	for (i = 0; i < h->n_vips; i++)
		if (!h->vips[i].held && vip_wanted(h, &h->vips[i]))
			vip_set(&h->vips[i], true, false);
}

/* Announce again the held addresses that serve instance @name. */
static void reannounce(struct ha *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->n_vips; i++)
		if (h->vips[i].held &&
		    (!h->vips[i].inst[0] || !strcmp(h->vips[i].inst, name)))
			vip_reannounce(&h->vips[i]);
}

/* The hook script: HOOK takeover|release INSTANCE... (not waited for). */
static void hook(struct syncd *s, const char *what, char names[][FRAME_NAME_LEN],
		 unsigned int n)
{
	char *argv[KERN_MAX_INSTANCES + 3];
	unsigned int i;
	pid_t pid;

	if (!s->ha.hook || !n)
		return;
	argv[0] = (char *)s->ha.hook;
	argv[1] = (char *)what;
	for (i = 0; i < n; i++)
		argv[2 + i] = names[i];
	argv[2 + n] = NULL;
	pid = fork();
	if (pid < 0) {
		say("hook %s: %s", s->ha.hook, strerror(errno));
		return;
	}
	if (!pid) {
		setenv("CGN_BOARD", s->netns ? s->netns : "default", 1);
		execv(s->ha.hook, argv);
		_exit(127);
	}
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			say("hook (pid %d) failed: status %d", (int)pid, status);
}

/* Roles. */

static void record(struct syncd *s, const char *what, char names[][FRAME_NAME_LEN],
		   unsigned int n, uint64_t t0)
{
	struct ha *h = &s->ha;
	char list[48] = "";
	unsigned int i;

	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? "," : "", names[i]);
	h->switchovers++;
	h->last_switchover_ms = now_ms() - t0;
	h->last_switchover_wall = time(NULL);
	snprintf(h->last_switchover, sizeof(h->last_switchover), "%s %s", what, list);
	say("took over %s (%s) in %llu ms", list, what,
	    (unsigned long long)h->last_switchover_ms);
}

/*
 * Set the kernel role of those of @names not in it yet; their names into
 * @done. Returns how many changed.
 */
static unsigned int set_roles(struct syncd *s, char names[][FRAME_NAME_LEN],
			      unsigned int n, bool active,
			      char done[][FRAME_NAME_LEN])
{
	unsigned int i, m = 0;
	int err;

	for (i = 0; i < n; i++) {
		struct ha_inst *in = inst_find(&s->ha, names[i]);

		if (!in || in->active == active)
			continue;
		err = kern_set_role(&s->kern, in->name, active);
		if (err) {
			say("cannot make %s %s: %s", in->name,
			    active ? "active" : "standby", kern_error(&s->kern, err));
			continue;
		}
		in->active = active;
		memcpy(done[m++], in->name, FRAME_NAME_LEN);
	}
	return m;
}

/* Promote @names, then take their addresses, then the hook. */
static void take(struct syncd *s, char names[][FRAME_NAME_LEN], unsigned int n,
		 const char *why, uint64_t t0)
{
	char done[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int i, m;

	m = set_roles(s, names, n, true, done);
	if (!m)
		return;
	for (i = 0; i < m; i++) {
		struct ha_inst *in = inst_find(&s->ha, done[i]);

		in->handing = in->promote_on_bulk = false;
		in->take_req_ms = 0;
	}
	vips_update(s);
	record(s, why, done, m, t0);
	hook(s, "takeover", done, m);
	/* the peer learns of a promotion it did not hand over through a copy */
	if (strcmp(why, "switchover") && peer_up(s))
		for (i = 0; i < m; i++)
			sync_resync_one(s, done[i], "promoted here");
}

/* Stop translating @names, release their addresses, then the hook. */
static void release(struct syncd *s, char names[][FRAME_NAME_LEN], unsigned int n,
		    const char *why)
{
	char done[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int i, m;

	m = set_roles(s, names, n, false, done);
	if (!m)
		return;
	for (i = 0; i < m; i++)
		say("released %s (%s)", done[i], why);
	s->ha.releases++;
	vips_update(s);
	hook(s, "release", done, m);
}

/* Give @in to the peer: standby, addresses away, drain, then HANDOVER. */
static void give(struct syncd *s, struct ha_inst *in, uint64_t t0)
{
	char name[1][FRAME_NAME_LEN];

	memcpy(name[0], in->name, FRAME_NAME_LEN);
	release(s, name, 1, "switchover");
	if (in->active)
		return;
	in->handing = true;
	in->handing_ms = now_ms();
	sync_handover(s, in->name, t0);
}

/* Second heartbeat path. */

/* Status. */

static void status_build(struct syncd *s)
{
	struct ha *h = &s->ha;
	uint8_t p[STATUS_MAX_LEN];
	unsigned int i;
	size_t len;
	int fl;

	len = frame_status(p, s->epoch, 0, h->state == HA_READY,
			   peer_up(s) && !strcmp(sync_bulk_state(s), "finished"));
	for (i = 0; i < h->n_inst; i++) {
		fl = (h->inst[i].active ? STATUS_ACTIVE : 0) |
		     (owner(h, h->inst[i].name) ? STATUS_OWNER : 0);
		len = frame_status_add(p, len, h->inst[i].name, fl);
	}
	/* the version moves only when something else does */
	if (len != h->status_len || memcmp(p + 12, h->status + 12, len - 12)) {
		h->version++;
		h->status_sent = false;
	}
	p[8] = h->version >> 24;
	p[9] = h->version >> 16;
	p[10] = h->version >> 8;
	p[11] = h->version;
	memcpy(h->status, p, len);
	h->status_len = len;
}

static bool peer_has(const struct ha *h, const char *name, int flag)
{
	unsigned int i;

	for (i = 0; i < h->n_peer; i++)
		if (!strcmp(h->peer_names[i], name))
			return h->peer_flags[i] & flag;
	return false;
}

void ha_peer_status(struct syncd *s, const struct frame *f, bool link)
{
	struct ha *h = &s->ha;
	unsigned int i;

	if (h->peer_known && f->epoch == h->peer_st_epoch &&
	    (int32_t)(f->version - h->peer_version) < 0)
		return;		/* older than what we have: reordered */
	if (h->peer_known && f->epoch != h->peer_st_epoch)
		say("peer restarted (epoch %016llx)", (unsigned long long)f->epoch);
	h->peer_known = true;
	h->peer_st_epoch = f->epoch;
	h->peer_version = f->version;
	h->peer_ready = f->ready;
	if (link)
		h->peer_bulk_done = f->bulk_done;
	h->n_peer = 0;
	for (i = 0; i < f->n_inst && i < KERN_MAX_INSTANCES; i++) {
		h->peer_flags[i] = frame_status_inst(f, i, h->peer_names[i]);
		h->n_peer++;
	}
}

void ha_status_frame(struct syncd *s, const struct frame *f)
{
	if (s->ha.mode != HA_NONE)
		ha_peer_status(s, f, true);
}

/* Link events from sync.c. */

void ha_link_up(struct syncd *s)
{
	s->ha.status_sent = false;
	s->ha.peer_bulk_done = false;
}

void ha_link_down(struct syncd *s)
{
	struct ha *h = &s->ha;

	h->peer_bulk_done = false;
	if (h->mode == HA_NONE)
		return;
	if (h->hb2 && h->hb2_last_rx_ms && now_ms() - h->hb2_last_rx_ms <= detect_ms(s)) {
		h->sync_link_losses++;
		say("sync link lost, peer alive on path 2: no takeover, replication paused");
	}
}

/* Start and stop. */

int ha_start(struct syncd *s)
{
	struct ha *h = &s->ha;
	unsigned int i, n_active = 0;
	char names[KERN_MAX_INSTANCES][FRAME_NAME_LEN];

	h->hb2_fd = -1;
	h->start_ms = 0;	/* set by the first ha_work() */
	h->hb2_floor = wall_us() - HB2_SKEW_US;
	signal(SIGCHLD, SIG_DFL);
	if (h->mode == HA_NONE)
		return 0;
	if (!s->cfg.paired) {
		fprintf(stderr, "cgn-syncd: --mode needs --local, --peer and --key\n");
		return -1;
	}
	auth_hb2_key(s->cfg.key, h->hb2_key);
	if (h->hb2) {
		((struct sockaddr_in *)&h->hb2_local)->sin_port = htons(s->cfg.port);
		((struct sockaddr_in *)&h->hb2_peer)->sin_port = htons(s->cfg.port);
		hb2_open(s);
	}
	/* no role until the peer's copy is in, or the peer proved silent */
	refresh(s);
	for (i = 0; i < h->n_inst; i++)
		if (h->inst[i].active)
			memcpy(names[n_active++], h->inst[i].name, FRAME_NAME_LEN);
	for (i = 0; i < n_active; i++) {
		int err = kern_set_role(&s->kern, names[i], false);

		if (err)
			say("cannot make %s standby: %s", names[i],
			    kern_error(&s->kern, err));
		else
			inst_find(h, names[i])->active = false;
	}
	for (i = 0; i < h->n_vips; i++)
		vip_set(&h->vips[i], false, true);
	h->state = HA_INIT;
	say("mode %s: every instance standby until the peer's copy is in or the peer is silent for %llu ms",
	    ha_mode_name(h), (unsigned long long)detect_ms(s));
	status_build(s);
	return 0;
}

void ha_stop(struct syncd *s)
{
	char names[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int i, n = 0;

	/* a stopped agent replicates nothing: its board must not translate */
	for (i = 0; s->ha.mode != HA_NONE && i < s->ha.n_inst; i++)
		if (s->ha.inst[i].active)
			memcpy(names[n++], s->ha.inst[i].name, FRAME_NAME_LEN);
	if (n)
		release(s, names, n, "agent stopping");
	if (s->ha.hb2_fd >= 0)
		close(s->ha.hb2_fd);
	s->ha.hb2_fd = -1;
}

int ha_pollfds(struct syncd *s, struct pollfd *p, int n)
{
	p[n].fd = s->ha.hb2_fd;
	p[n].events = POLLIN;
	return n + 1;
}

void ha_events(struct syncd *s, const struct pollfd *p, int n)
{
	if (s->ha.hb2_fd >= 0 && p[n].fd == s->ha.hb2_fd && p[n].revents)
		hb2_recv(s);
}

uint64_t ha_timeout(struct syncd *s)
{
	uint64_t now = now_ms();

	if (s->ha.mode == HA_NONE)
		return UINT64_MAX;
	/* detection, announcements, heartbeats: a 20 ms tick is plenty */
	return s->ha.hb2_fd >= 0 && s->ha.hb2_next_tx_ms < now + 20 ?
	       s->ha.hb2_next_tx_ms : now + 20;
}

/* The decisions. */

static bool keeper(struct syncd *s, const char *name)
{
	bool mine = owner(&s->ha, name), theirs = peer_has(&s->ha, name, STATUS_OWNER);

	if (mine != theirs)
		return mine;
	return addr_cmp(&s->cfg.local, &s->cfg.peer) < 0;
}

static void decide(struct syncd *s)
{
	struct ha *h = &s->ha;
	char t[KERN_MAX_INSTANCES][FRAME_NAME_LEN], r[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	char o[KERN_MAX_INSTANCES][FRAME_NAME_LEN];
	unsigned int i, nt = 0, nr = 0, no = 0;
	uint64_t now = now_ms();

	for (i = 0; i < h->n_inst; i++) {
		struct ha_inst *in = &h->inst[i];
		bool theirs = h->peer_alive && h->peer_known &&
			      peer_has(h, in->name, STATUS_ACTIVE);

		if (in->handing) {
			if (theirs || !h->peer_alive) {
				in->handing = false;
			} else if (now - in->handing_ms > HA_HANDOVER_MS) {
				say("the peer did not take %s: taking it back", in->name);
				in->handing = false;
			} else {
				continue;
			}
		}
		if (!theirs)
			in->conflict = false;
		if (in->promote_on_bulk)
			continue;
		if (!h->peer_alive) {
			if (!in->active)
				memcpy(t[nt++], in->name, FRAME_NAME_LEN);
		} else if (!h->peer_known) {
			continue;
		} else if (in->active && theirs) {
			if (!keeper(s, in->name)) {
				h->conflicts++;
				say("both boards active for %s: the peer keeps it", in->name);
				memcpy(r[nr++], in->name, FRAME_NAME_LEN);
			} else if (!in->conflict) {
				/* the peer's announcements drew the traffic to it */
				say("both boards active for %s: we keep it, announcing its addresses again",
				    in->name);
				reannounce(h, in->name);
			}
			in->conflict = true;
		} else if (!in->active && !theirs &&
			   (owner(h, in->name) || (!h->peer_ready && !peer_up(s)))) {
			memcpy(o[no++], in->name, FRAME_NAME_LEN);
		}
	}
	if (nr) {
		release(s, r, nr, "conflict");
		for (i = 0; i < nr; i++)
			sync_want_resync(s, r[i]);
	}
	if (nt)
		take(s, t, nt, "peer failure", h->peer_down_ms);
	if (no)
		take(s, o, no, "nobody active", now);
	/* revertive: ask for our own instances back, gracefully */
	if (h->revert_ms && now >= h->revert_ms && peer_up(s) && h->peer_ready &&
	    h->peer_bulk_done && !strcmp(sync_bulk_state(s), "finished")) {
		uint8_t p[FRAME_NAME_LEN];

		h->revert_ms = 0;
		for (i = 0; i < h->n_inst; i++) {
			struct ha_inst *in = &h->inst[i];

			if (in->active || !owner(h, in->name) ||
			    !peer_has(h, in->name, STATUS_ACTIVE))
				continue;
			say("revertive: asking the peer for %s", in->name);
			in->take_req_ms = now;
			peer_send(s, FRAME_TAKE_REQ, p, frame_name(p, in->name), false);
		}
	}
}

void ha_work(struct syncd *s)
{
	struct ha *h = &s->ha;
	uint64_t now = now_ms(), d = detect_ms(s);
	bool tcp, path2, alive;
	unsigned int i;

	reap();
	if (h->mode == HA_NONE)
		return;
	if (h->hb2 && h->hb2_fd < 0 && h->hb2_retry_ms && now >= h->hb2_retry_ms)
		hb2_open(s);
	if (now >= h->refresh_ms)
		refresh(s);
	/*
	 * Were we ourselves not scheduled for a while (an overloaded host),
	 * the peer's heartbeats may be waiting unread: no verdict until we
	 * have had two heartbeat periods to read them.
	 */
	if (h->last_work_ms && now - h->last_work_ms > d / 2) {
		say("agent stalled for %llu ms: peer verdict deferred",
		    (unsigned long long)(now - h->last_work_ms));
		h->stall_until_ms = now + 2 * s->hb_ms;
	}
	h->last_work_ms = now;
	/*
	 * The peer's silence since start counts from the first round of the
	 * loop, not from before the set-up: that may well take longer than a
	 * short detection time, and nothing could be heard meanwhile.
	 */
	if (!h->start_ms)
		h->start_ms = now;
	tcp = peer_up(s) && s->last_peer_rx_ms && now - s->last_peer_rx_ms <= d;
	path2 = h->hb2_last_rx_ms && now - h->hb2_last_rx_ms <= d;
	alive = tcp || path2;
	if (h->peer_alive && !alive && h->hb2_fd >= 0) {
		hb2_recv(s);	/* anything that came in meanwhile */
		path2 = h->hb2_last_rx_ms && now_ms() - h->hb2_last_rx_ms <= d;
		alive = path2;
	}
	if (h->peer_alive && !alive && now < h->stall_until_ms)
		alive = true;
	if (h->peer_alive && !alive) {
		h->peer_alive = false;
		h->peer_known = false;
		h->peer_failures++;
		h->peer_down_ms = now;
		say("peer down: nothing on %s for %llu ms", h->hb2 ?
		    "either path" : "the sync link", (unsigned long long)d);
	} else if (!h->peer_alive && alive) {
		h->peer_alive = true;
		say("peer alive (%s)", tcp ? "sync link" : "path 2");
		if (!tcp)
			peer_redial(s);	/* the link comes back sooner */
		/*
		 * While we could not hear it, it may have taken and announced
		 * addresses we hold: after a partition, the traffic must come
		 * back whether or not we ever see it active (it may step down
		 * before its status reaches us).
		 */
		for (i = 0; i < h->n_vips; i++)
			if (h->vips[i].held)
				vip_reannounce(&h->vips[i]);
	}
	if (h->state == HA_INIT) {
		if (peer_up(s) && h->peer_bulk_done && h->peer_known) {
			h->state = HA_READY;
			h->revert_ms = h->revertive_s ?
				       now + h->revertive_s * 1000ull : 0;
			say("ready: the peer's bulk copy is in");
		} else if (!alive && now - h->start_ms > d &&
			   now >= h->stall_until_ms) {
			h->state = HA_READY;
			h->peer_down_ms = now;
			say("ready: the peer is silent since start");
		}
	}
	if (h->state == HA_READY)
		decide(s);
	status_build(s);
	if (peer_up(s) && !h->status_sent &&
	    !peer_send(s, FRAME_STATUS, h->status, h->status_len, false))
		h->status_sent = true;
	if (h->hb2 && now >= h->hb2_next_tx_ms)
		hb2_send(s);
	for (i = 0; i < h->n_vips; i++)
		if (h->vips[i].held && h->vips[i].announce_left &&
		    now >= h->vips[i].announce_ms)
			vip_announce(&h->vips[i]);
}

/* From the peer, over the link. */

void ha_handover_in(struct syncd *s, const char *name, uint32_t elapsed,
		    bool digest_ok)
{
	struct ha *h = &s->ha;
	struct ha_inst *in;
	char n[1][FRAME_NAME_LEN];
	uint64_t t0 = now_ms() - elapsed;

	if (h->mode == HA_NONE)
		return;
	in = inst_find(h, name);
	if (!in || in->active)
		return;
	if (!digest_ok) {
		say("handover of %s: tables differ, taking it after a fresh copy", name);
		in->promote_on_bulk = true;
		in->promote_elapsed = elapsed;
		sync_want_resync(s, name);
		return;
	}
	if (in->take_req_ms && in->take_req_ms < t0)
		t0 = in->take_req_ms;
	memcpy(n[0], name, FRAME_NAME_LEN);
	in->promote_on_bulk = false;
	take(s, n, 1, "switchover", t0);
}

void ha_bulk_end(struct syncd *s, const char *name)
{
	struct ha_inst *in = inst_find(&s->ha, name);

	if (s->ha.mode != HA_NONE && in && in->promote_on_bulk) {
		in->promote_on_bulk = false;
		ha_handover_in(s, name, in->promote_elapsed, true);
	}
}

void ha_take_req(struct syncd *s, const char *name)
{
	struct ha_inst *in = inst_find(&s->ha, name);

	if (s->ha.mode == HA_NONE || !in || !in->active || in->handing) {
		say("the peer asked for %s: not active here", name);
		return;
	}
	say("the peer asked for %s: handing it over", name);
	give(s, in, now_ms());
}

/* Control requests. */

int ha_ctl_mode(struct syncd *s, char **argv, int argc, char *out, size_t len)
{
	struct ha *h = &s->ha, nh = s->ha;

	if (argc == 2 && !strcmp(argv[0], "1:1") &&
	    (!strcmp(argv[1], "master") || !strcmp(argv[1], "backup"))) {
		nh.mode = HA_1TO1;
		nh.master = argv[1][0] == 'm';
		nh.n_own = 0;
	} else if (argc == 3 && !strcmp(argv[0], "1+1") && !strcmp(argv[1], "own")) {
		nh.mode = HA_1PLUS1;
		if (ha_parse_own(&nh, argv[2])) {
			snprintf(out, len, "error: invalid instance list \"%s\"\n", argv[2]);
			return -1;
		}
	} else {
		snprintf(out, len, "error: expected \"1:1 master|backup\" or \"1+1 own INSTANCE[,INSTANCE...]\"\n");
		return -1;
	}
	if (!s->cfg.paired) {
		snprintf(out, len, "error: pair the board first\n");
		return -1;
	}
	if (h->mode == HA_NONE) {
		/* set at run time: the roles stay as they are until ready */
		auth_hb2_key(s->cfg.key, nh.hb2_key);
		nh.state = HA_INIT;
		nh.start_ms = 0;
		nh.peer_bulk_done = h->peer_bulk_done;
	}
	h->mode = nh.mode;
	h->master = nh.master;
	h->n_own = nh.n_own;
	memcpy(h->own, nh.own, sizeof(h->own));
	memcpy(h->hb2_key, nh.hb2_key, sizeof(h->hb2_key));
	h->state = nh.state;
	h->start_ms = nh.start_ms;
	refresh(s);
	status_build(s);
	say("mode %s", ha_mode_name(h));
	snprintf(out, len, "ok\n");
	return 0;
}

int ha_ctl_switchover(struct syncd *s, const char *name, char *out, size_t len)
{
	struct ha *h = &s->ha;
	struct ha_inst *in;
	uint8_t p[FRAME_NAME_LEN];
	unsigned int i, n = 0;
	bool give_all = false;

	if (h->mode == HA_NONE) {
		snprintf(out, len, "error: no mode set: see \"cgnctl board mode\"\n");
		return -1;
	}
	if (h->state != HA_READY || !peer_up(s) || !h->peer_known || !h->peer_ready) {
		snprintf(out, len, "error: the boards are not both up and ready\n");
		return -1;
	}
	if (!h->peer_bulk_done || strcmp(sync_bulk_state(s), "finished")) {
		snprintf(out, len, "error: a bulk copy is still running\n");
		return -1;
	}
	refresh(s);
	if (name) {
		in = inst_find(h, name);
		if (!in) {
			snprintf(out, len, "error: no instance \"%s\"\n", name);
			return -1;
		}
		if (in->active) {
			give(s, in, now_ms());
		} else if (peer_has(h, name, STATUS_ACTIVE)) {
			in->take_req_ms = now_ms();
			peer_send(s, FRAME_TAKE_REQ, p, frame_name(p, name), false);
		} else {
			snprintf(out, len, "error: no board is active for %s\n", name);
			return -1;
		}
		snprintf(out, len, "ok\n");
		return 0;
	}
	for (i = 0; i < h->n_inst; i++)
		give_all |= h->inst[i].active;
	for (i = 0; i < h->n_inst; i++) {
		in = &h->inst[i];
		if (give_all && in->active) {
			give(s, in, now_ms());
			n++;
		} else if (!give_all && peer_has(h, in->name, STATUS_ACTIVE)) {
			in->take_req_ms = now_ms();
			peer_send(s, FRAME_TAKE_REQ, p, frame_name(p, in->name), false);
			n++;
		}
	}
	if (!n) {
		snprintf(out, len, "error: no instance to switch over\n");
		return -1;
	}
	snprintf(out, len, "ok\n");
	return 0;
}

static const char *path_state(uint64_t last, uint64_t d, char *buf, size_t len,
			      uint64_t *ago)
{
	uint64_t now = now_ms();

	*ago = last ? now - last : 0;
	snprintf(buf, len, "%s", last && now - last <= d ? "up" : "down");
	return buf;
}

void ha_show(struct syncd *s, struct json *js)
{
	struct ha *h = &s->ha;
	char buf[64], own[KERN_MAX_INSTANCES * FRAME_NAME_LEN] = "";
	uint64_t ago;
	unsigned int i;
	struct tm tm;
	time_t t;

	json_str(js, "mode", ha_mode_name(h));
	if (h->mode == HA_NONE)
		return;
	json_str(js, "ha_state", h->state == HA_READY ? "ready" : "init");
	for (i = 0; i < h->n_own; i++)
		snprintf(own + strlen(own), sizeof(own) - strlen(own), "%s%s",
			 i ? "," : "", h->own[i]);
	if (h->mode == HA_1PLUS1)
		json_str(js, "own", own);
	json_str(js, "peer_health", h->peer_alive ? "alive" : "down");
	json_obj_open(js, "roles");
	for (i = 0; i < h->n_inst; i++)
		json_str(js, h->inst[i].name, h->inst[i].active ? "active" :
			 h->inst[i].handing ? "handing-over" : "standby");
	json_obj_close(js);
	json_obj_open(js, "peer_roles");
	for (i = 0; h->peer_known && i < h->n_peer; i++)
		json_str(js, h->peer_names[i], h->peer_flags[i] & STATUS_ACTIVE ?
			 "active" : "standby");
	json_obj_close(js);
	json_obj_open(js, "heartbeat");
	json_obj_open(js, "sync");
	json_str(js, "state", path_state(peer_up(s) ? s->last_peer_rx_ms : 0,
					 detect_ms(s), buf, sizeof(buf), &ago));
	json_uint(js, "last_ms", s->last_peer_rx_ms ? now_ms() - s->last_peer_rx_ms : 0);
	json_obj_close(js);
	json_obj_open(js, "path2");
	if (h->hb2) {
		json_str(js, "state", path_state(h->hb2_last_rx_ms, detect_ms(s),
						 buf, sizeof(buf), &ago));
		json_uint(js, "last_ms", ago);
		json_uint(js, "rx", h->hb2_rx);
		json_uint(js, "tx", h->hb2_tx);
		json_uint(js, "bad", h->hb2_bad);
		json_uint(js, "replays", h->hb2_replays);
	} else {
		json_str(js, "state", "off");
	}
	json_obj_close(js);
	json_uint(js, "interval_ms", s->hb_ms);
	json_uint(js, "detect_ms", detect_ms(s));
	json_obj_close(js);
	json_obj_open(js, "vips");
	for (i = 0; i < h->n_vips; i++)
		json_str(js, vip_str(&h->vips[i], buf, sizeof(buf)),
			 h->vips[i].held ? "held" : "-");
	json_obj_close(js);
	json_uint(js, "switchovers", h->switchovers);
	json_uint(js, "releases", h->releases);
	t = h->last_switchover_wall;
	if (t) {
		localtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
	}
	json_str(js, "last_switchover", t ? buf : "");
	json_str(js, "last_switchover_what", h->last_switchover);
	json_uint(js, "last_switchover_ms", h->last_switchover_ms);
	json_uint(js, "peer_failures", h->peer_failures);
	json_uint(js, "sync_link_losses", h->sync_link_losses);
	json_uint(js, "conflicts", h->conflicts);
	json_str(js, "revertive", h->revertive_s ? "yes" : "no");
}
