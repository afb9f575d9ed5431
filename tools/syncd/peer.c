// SPDX-License-Identifier: GPL-2.0
/*
 * The peer link: listen or dial with backoff, the HELLO/AUTH handshake,
 * framed and MACed I/O with bounded buffers, heartbeats.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syncd.h"

#define IN_CAP	FRAME_MAX_LEN
/*
 * An established link is closed after this much silence at the least,
 * even with a shorter detection time: the failover decision reads the
 * link's silence on its own (ha.c), and closing a link that only hiccuped
 * (a busy host) would cost a full copy of the tables when it comes back.
 */
#define LINK_DEAD_MIN_MS	2000

static const char *const state_names[] = {
	[CONN_CONNECTING] = "connecting", [CONN_HELLO] = "hello",
	[CONN_AUTH] = "auth", [CONN_UP] = "up",
};

static bool dialer(const struct syncd *s)
{
	return addr_cmp(&s->cfg.local, &s->cfg.peer) < 0;
}

static socklen_t salen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6);
}

static void conn_close(struct syncd *s, struct conn *c, const char *why)
{
	char buf[INET6_ADDRSTRLEN];

	if (c->fd < 0)
		return;
	if (why)
		say("link to %s closed: %s", fmt_addr(&s->cfg.peer, buf, sizeof(buf)),
		    why);
	if (c == &s->conn[0] && c->state == CONN_UP)
		sync_link_down(s);
	close(c->fd);
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (c == &s->conn[0] && s->cfg.paired && dialer(s)) {
		s->next_dial_ms = now_ms() + s->backoff_ms;
		s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ?
				BACKOFF_MAX_MS : s->backoff_ms * 2;
	}
}

void peer_close_all(struct syncd *s)
{
	conn_close(s, &s->conn[1], NULL);
	conn_close(s, &s->conn[0], NULL);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}

/*
 * Whether @need bytes fit at the tail of @c's output. Moving what is
 * queued to the front makes room, but a data frame gets it only once
 * that moves no more than the writer drained: with the buffer kept full
 * by back-pressure, moving ~4 MiB for every frame appended would cost more
 * than sending it.
 */
static bool out_room(const struct conn *c, size_t need, bool data)
{
	return c->out_tail + need <= OUT_CAP ||
	       !data || c->out_tail - c->out_head <= c->out_head;
}

/* Append a sealed frame to @c's output; control frames may use the slack. */
static int conn_send(struct conn *c, int type, const void *payload,
		     size_t len, size_t cap)
{
	size_t need = FRAME_HDR_LEN + len + FRAME_MAC_LEN;

	if (c->out_tail - c->out_head + need > cap ||
	    !out_room(c, need, cap == OUT_DATA_CAP))
		return -1;
	if (c->out_tail + need > OUT_CAP) {
		memmove(c->out, c->out + c->out_head, c->out_tail - c->out_head);
		c->out_tail -= c->out_head;
		c->out_head = 0;
	}
	c->out_tail += auth_frame(&c->tx, c->out + c->out_tail,
				  OUT_CAP - c->out_tail, type, payload, len);
	c->last_tx_ms = now_ms();
	return 0;
}

static void conn_hello(struct syncd *s, struct conn *c)
{
	uint8_t p[8 + FRAME_NONCE_LEN];

	c->state = CONN_HELLO;
	auth_random(c->hello.nonce[c->role], FRAME_NONCE_LEN);
	c->hello.epoch[c->role] = s->epoch;
	auth_hello_key(s->cfg.key, &c->tx);
	auth_hello_key(s->cfg.key, &c->rx);
	frame_hello(p, s->epoch, c->hello.nonce[c->role]);
	conn_send(c, FRAME_HELLO, p, sizeof(p), OUT_CAP);
}

static int conn_init(struct syncd *s, struct conn *c, int fd,
		     enum auth_role role, bool connecting)
{
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->role = role;
	c->in = malloc(IN_CAP);
	c->out = malloc(OUT_CAP);
	if (!c->in || !c->out) {
		say("out of memory");
		conn_close(s, c, NULL);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->start_ms = c->last_rx_ms = now_ms();
	if (connecting)
		c->state = CONN_CONNECTING;
	else
		conn_hello(s, c);
	return 0;
}

static void dial(struct syncd *s)
{
	struct sockaddr_storage local = s->cfg.local;
	int fd;

	s->next_dial_ms = 0;
	fd = socket(s->cfg.peer.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	((struct sockaddr_in *)&local)->sin_port = 0;	/* same offset in v6 */
	if (bind(fd, (struct sockaddr *)&local, salen(&local)) ||
	    (connect(fd, (struct sockaddr *)&s->cfg.peer, salen(&s->cfg.peer)) &&
	     errno != EINPROGRESS)) {
		close(fd);
		goto fail;
	}
	conn_init(s, &s->conn[0], fd, AUTH_DIALER, true);
	return;
fail:
	if (s->verbose)
		say("dial failed: %s", strerror(errno));
	s->next_dial_ms = now_ms() + s->backoff_ms;
	s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
			s->backoff_ms * 2;
}

static int listen_open(struct syncd *s)
{
	int one = 1, fd;
	char buf[INET6_ADDRSTRLEN];

	fd = socket(s->cfg.local.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->cfg.local.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s->cfg.local, salen(&s->cfg.local)) ||
	    listen(fd, 4)) {
		say("cannot listen on %s port %u: %s",
		    fmt_addr(&s->cfg.local, buf, sizeof(buf)), s->cfg.port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	s->listen_fd = fd;
	return 0;
}

void peer_reconfigure(struct syncd *s)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	peer_close_all(s);
	s->backoff_ms = BACKOFF_MIN_MS;
	s->next_dial_ms = 0;
	if (!s->cfg.paired)
		return;
	say("paired: local %s peer %s port %u, %s",
	    fmt_addr(&s->cfg.local, a, sizeof(a)),
	    fmt_addr(&s->cfg.peer, b, sizeof(b)), s->cfg.port,
	    dialer(s) ? "dialing" : "listening");
	if (dialer(s))
		s->next_dial_ms = now_ms();
	else if (listen_open(s))
		s->next_dial_ms = now_ms() + BACKOFF_MAX_MS;	/* retry */
}

static void do_accept(struct syncd *s)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	char buf[INET6_ADDRSTRLEN];
	int fd;

	fd = accept4(s->listen_fd, (struct sockaddr *)&from, &len,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (addr_cmp(&from, &s->cfg.peer)) {
		say("refused connection from %s: not the peer",
		    fmt_addr(&from, buf, sizeof(buf)));
		close(fd);
		return;
	}
	if (s->verbose)
		say("connection from %s", fmt_addr(&from, buf, sizeof(buf)));
	/* The current link stays until the new one authenticates. */
	if (s->conn[0].fd >= 0) {
		conn_close(s, &s->conn[1], s->conn[1].fd >= 0 ?
			   "replaced by a newer connection" : NULL);
		conn_init(s, &s->conn[1], fd, AUTH_LISTENER, false);
	} else {
		conn_init(s, &s->conn[0], fd, AUTH_LISTENER, false);
	}
}

/* Returns 1 if @c moved to conn[0]. */
static int authenticated(struct syncd *s, struct conn *c)
{
	int moved = 0;

	char buf[INET6_ADDRSTRLEN];

	c->state = CONN_UP;
	if (c == &s->conn[1]) {
		conn_close(s, &s->conn[0], "replaced by a newer connection");
		s->conn[0] = *c;
		memset(c, 0, sizeof(*c));
		c->fd = -1;
		c = &s->conn[0];
		moved = 1;
	}
	s->backoff_ms = BACKOFF_MIN_MS;
	s->peer_epoch = c->hello.epoch[!c->role];
	s->last_peer_rx_ms = c->last_rx_ms;
	say("authenticated peer %s, epoch %016llx",
	    fmt_addr(&s->cfg.peer, buf, sizeof(buf)),
	    (unsigned long long)s->peer_epoch);
	sync_link_up(s);
	return moved;
}

/*
 * A frame from @c, MAC checked: 0, 1 if @c moved to conn[0], or -1 after
 * closing @c.
 */
static int conn_frame(struct syncd *s, struct conn *c, const struct frame *f)
{
	uint8_t proof[FRAME_MAC_LEN];
	enum auth_role peer = !c->role;

	if (s->verbose && f->type != FRAME_HEARTBEAT)
		say("rx %s seq %llu len %u", frame_type_name(f->type),
		    (unsigned long long)f->seq, f->len);
	switch (c->state) {
	case CONN_HELLO:
		if (f->type != FRAME_HELLO)
			break;
		c->hello.epoch[peer] = f->epoch;
		memcpy(c->hello.nonce[peer], f->nonce, FRAME_NONCE_LEN);
		if (!memcmp(c->hello.nonce[peer], c->hello.nonce[c->role],
			    FRAME_NONCE_LEN)) {
			s->c.auth_failures++;
			conn_close(s, c, "auth failed: reflected HELLO");
			return -1;
		}
		auth_session_key(s->cfg.key, &c->hello, c->role, c->tx.key);
		auth_session_key(s->cfg.key, &c->hello, peer, c->rx.key);
		auth_proof(s->cfg.key, &c->hello, c->role, proof);
		conn_send(c, FRAME_AUTH, proof, sizeof(proof), OUT_CAP);
		c->state = CONN_AUTH;
		return 0;
	case CONN_AUTH:
		if (f->type != FRAME_AUTH)
			break;
		if (!auth_proof_ok(s->cfg.key, &c->hello, peer, f->proof)) {
			s->c.auth_failures++;
			conn_close(s, c, "auth failed: wrong proof");
			return -1;
		}
		return authenticated(s, c);
	case CONN_UP:
		if (f->type == FRAME_HELLO || f->type == FRAME_AUTH)
			break;
		sync_frame(s, f);
		return 0;
	default:
		break;
	}
	s->c.bad_frames++;
	say("bad frame: unexpected %s in state %s", frame_type_name(f->type),
	    state_names[c->state]);
	conn_close(s, c, "bad frame");
	return -1;
}

static void conn_read(struct syncd *s, struct conn *c)
{
	const char *why = NULL;
	struct frame f;
	size_t off = 0;
	ssize_t n;
	long len;
	int r;

	n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		conn_close(s, c, n ? strerror(errno) : "closed by peer");
		return;
	}
	c->in_len += n;
	c->last_rx_ms = now_ms();
	if (c->state == CONN_UP)
		s->last_peer_rx_ms = c->last_rx_ms;
	while (c->fd >= 0 && (len = frame_decode(c->in + off, c->in_len - off,
						 &f, &why)) > 0) {
		if (auth_open(&c->rx, c->in + off, len, &why)) {
			if (c->state == CONN_UP) {
				s->c.bad_frames++;
				say("bad frame: %s", why);
			} else {
				s->c.auth_failures++;
				say("auth failed: %s (wrong key?)", why);
			}
			conn_close(s, c, why);
			return;
		}
		off += len;
		r = conn_frame(s, c, &f);
		if (r < 0)
			return;
		if (r)
			c = &s->conn[0];
	}
	if (c->fd < 0)
		return;
	if (len < 0) {
		s->c.bad_frames++;
		say("bad frame: %s", why);
		conn_close(s, c, "bad frame");
		return;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

static void conn_write(struct syncd *s, struct conn *c)
{
	ssize_t n;

	while (c->fd >= 0 && c->out_tail > c->out_head) {
		n = write(c->fd, c->out + c->out_head, c->out_tail - c->out_head);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_close(s, c, strerror(errno));
			return;
		}
		c->out_head += n;
	}
	if (c->fd >= 0 && c->out_head == c->out_tail)
		c->out_head = c->out_tail = 0;
}

static void conn_connected(struct syncd *s, struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		if (s->verbose)
			say("connect failed: %s", strerror(err));
		conn_close(s, c, NULL);
		return;
	}
	if (s->verbose)
		say("connected");
	conn_hello(s, c);
}

int peer_pollfds(struct syncd *s, struct pollfd *p, int n)
{
	int i;

	p[n].fd = s->listen_fd;
	p[n++].events = POLLIN;
	for (i = 0; i < 2; i++) {
		struct conn *c = &s->conn[i];

		p[n].fd = c->fd;
		p[n].events = c->state == CONN_CONNECTING ? POLLOUT : POLLIN;
		if (c->fd >= 0 && c->out_tail > c->out_head)
			p[n].events |= POLLOUT;
		n++;
	}
	return n;
}

void peer_events(struct syncd *s, const struct pollfd *p, int n)
{
	int i;

	if (p[n].revents & POLLIN)
		do_accept(s);
	for (i = 0; i < 2; i++) {
		struct conn *c = &s->conn[i];
		short ev = p[n + 1 + i].revents;

		if (c->fd < 0 || c->fd != p[n + 1 + i].fd || !ev)
			continue;
		if (c->state == CONN_CONNECTING) {
			conn_connected(s, c);
			continue;
		}
		if (ev & (POLLIN | POLLHUP | POLLERR))
			conn_read(s, c);
	}
}

void peer_flush(struct syncd *s)
{
	int i;

	for (i = 0; i < 2; i++)
		if (s->conn[i].fd >= 0 && s->conn[i].state != CONN_CONNECTING)
			conn_write(s, &s->conn[i]);
}

/* How long @c may stay silent before it is closed. */
static uint64_t conn_dead_ms(const struct syncd *s, const struct conn *c)
{
	uint64_t d = (uint64_t)s->hb_ms * s->hb_miss;

	return c->state == CONN_UP && d < LINK_DEAD_MIN_MS ? LINK_DEAD_MIN_MS : d;
}

void peer_timers(struct syncd *s)
{
	uint64_t now = now_ms();
	char why[64];
	int i;

	for (i = 1; i >= 0; i--) {
		struct conn *c = &s->conn[i];

		if (c->fd < 0)
			continue;
		if (now - c->last_rx_ms > conn_dead_ms(s, c)) {
			snprintf(why, sizeof(why), "%s: nothing heard for %llu ms",
				 c->state == CONN_UP ? "peer down" : "handshake timeout",
				 (unsigned long long)(now - c->last_rx_ms));
			conn_close(s, c, why);
			continue;
		}
		if (c->state == CONN_UP && now - c->last_tx_ms >= s->hb_ms)
			conn_send(c, FRAME_HEARTBEAT, NULL, 0, OUT_CAP);
	}
	if (!s->cfg.paired || !s->next_dial_ms || now < s->next_dial_ms)
		return;
	if (dialer(s) && s->conn[0].fd < 0)
		dial(s);
	else if (!dialer(s) && s->listen_fd < 0 && listen_open(s))
		s->next_dial_ms = now + BACKOFF_MAX_MS;
	else if (!dialer(s))
		s->next_dial_ms = 0;
}

uint64_t peer_timeout(struct syncd *s)
{
	uint64_t t = UINT64_MAX, now = now_ms();
	int i;

	if (s->next_dial_ms)
		t = s->next_dial_ms;
	for (i = 0; i < 2; i++) {
		if (s->conn[i].fd < 0)
			continue;
		if (s->conn[i].state == CONN_UP &&
		    s->conn[i].last_tx_ms + s->hb_ms < t)
			t = s->conn[i].last_tx_ms + s->hb_ms;
		if (s->conn[i].last_rx_ms + conn_dead_ms(s, &s->conn[i]) + 1 < t)
			t = s->conn[i].last_rx_ms + conn_dead_ms(s, &s->conn[i]) + 1;
	}
	return t < now ? now : t;
}

struct conn *peer_up(struct syncd *s)
{
	return s->conn[0].fd >= 0 && s->conn[0].state == CONN_UP ?
	       &s->conn[0] : NULL;
}

const char *peer_state(const struct syncd *s)
{
	if (s->conn[0].fd >= 0 && s->conn[0].state == CONN_UP)
		return "up";
	if (s->conn[0].fd >= 0 || s->conn[1].fd >= 0)
		return "connecting";
	return "down";
}

bool peer_can_send(struct syncd *s)
{
	struct conn *c = peer_up(s);

	return c && s->n_unacked < WINDOW &&
	       c->out_tail - c->out_head + FRAME_MAX_LEN <= OUT_DATA_CAP &&
	       out_room(c, FRAME_MAX_LEN, true);
}

int peer_send(struct syncd *s, int type, const void *payload, size_t len,
	      bool data)
{
	struct conn *c = peer_up(s);
	uint64_t seq;

	if (!c || (data && s->n_unacked >= WINDOW))
		return -1;
	seq = c->tx.seq;
	if (conn_send(c, type, payload, len, data ? OUT_DATA_CAP : OUT_CAP))
		return -1;
	if (s->verbose)
		say("tx %s seq %llu len %zu", frame_type_name(type),
		    (unsigned long long)seq, len);
	if (data) {
		s->unacked[s->n_unacked].seq = seq;
		s->unacked[s->n_unacked++].ms = c->last_tx_ms;
	}
	return 0;
}

void peer_redial(struct syncd *s)
{
	s->backoff_ms = BACKOFF_MIN_MS;
	if (s->cfg.paired && dialer(s) && s->conn[0].fd < 0)
		s->next_dial_ms = now_ms();
}
