// SPDX-License-Identifier: GPL-2.0
/*
 * What travels on the link: bulk copies, real-time events, drift checks,
 * resync requests and acks, and what the receiver does with them.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <cgn.h>

#include "syncd.h"

/*
 * A bulk copy gathers the entries of dump messages (32 KiB each at most)
 * into one ENTRIES frame up to what one CGN_A_ENTRIES attribute holds (its
 * length is 16 bits): half the frames, acks and applies.
 */
#define BULK_BATCH_MAX	((UINT16_MAX - 4) & ~3u)

static uint8_t bulk_buf[BULK_BATCH_MAX];

static bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static bool bulk_busy(const struct syncd *s)
{
	return s->bulk_phase != BULK_NONE || s->n_bulk_queue;
}

static void name_add(char list[][FRAME_NAME_LEN], unsigned int *n,
		     const char *name)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], name))
			return;
	if (*n < KERN_MAX_INSTANCES)
		strncpy(list[(*n)++], name, FRAME_NAME_LEN - 1);
}

static void bulk_add_all(struct syncd *s)
{
	char names[KERN_MAX_INSTANCES][FRAME_NAME_LEN] = { { 0 } };
	int i, n = kern_instances(&s->kern, names, KERN_MAX_INSTANCES);

	if (n < 0) {
		say("cannot list instances: %s", kern_error(&s->kern, n));
		return;
	}
	for (i = 0; i < n; i++)
		name_add(s->bulk_queue, &s->n_bulk_queue, names[i]);
}

static void reset(struct syncd *s)
{
	s->n_unacked = 0;
	s->last_acked = 0;
	s->n_bulk_queue = 0;
	s->bulk_phase = BULK_NONE;
	s->bulk_len = 0;
	s->bulk_started = false;
	s->bulk_end_seq = 0;
	s->ack_due = false;
	s->resync_all_req = false;
	s->n_resync_req = 0;
	s->digest_pending = false;
	s->n_digest_queue = 0;
	s->n_bulk_in = 0;
	s->n_handover = 0;
	s->digest_handover = false;
	if (s->kern.dumping)
		kern_dump_abort(&s->kern);
}

void sync_link_up(struct syncd *s)
{
	reset(s);
	/* the kernel queues changes from now on, before any dump starts */
	s->ev_have_seq = false;
	s->ev_checked = false;
	if (kern_events_join(&s->kern))
		say("cannot join the \"sync\" group: no real-time copy");
	s->next_digest_ms = now_ms() + s->digest_s * 1000ull;
	bulk_add_all(s);
	say("bulk copy of %u active instance%s", s->n_bulk_queue,
	    s->n_bulk_queue == 1 ? "" : "s");
	if (!s->n_bulk_queue)
		s->bulk_started = true;	/* nothing to copy: finished */
	ha_link_up(s);
}

void sync_link_down(struct syncd *s)
{
	reset(s);
	kern_events_leave(&s->kern);	/* nobody to forward changes to */
	ha_link_down(s);
}

void sync_resync_all(struct syncd *s, const char *why)
{
	s->c.resyncs++;
	say("resync: %s", why);
	if (s->digest_pending && s->digest_handover)	/* after the copy */
		sync_handover(s, s->digest_name, s->digest_t0);
	s->digest_handover = false;
	s->digest_pending = false;
	s->n_digest_queue = 0;
	if (peer_up(s))
		bulk_add_all(s);
}

void sync_resync_one(struct syncd *s, const char *name, const char *why)
{
	s->c.resyncs++;
	say("resync of %s: %s", name, why);
	name_add(s->bulk_queue, &s->n_bulk_queue, name);
}

/* Ask the peer to copy @name again ("" or NULL: everything). */
void sync_want_resync(struct syncd *s, const char *name)
{
	if (!name || !name[0])
		s->resync_all_req = true;
	else
		name_add(s->resync_req, &s->n_resync_req, name);
}

/* Forward one CGN_A_ENTRIES payload: 0, or -1 if there was no room. */
static int forward(struct syncd *s, const uint8_t *p, size_t len)
{
	static uint8_t warm[FRAME_MAX_PAYLOAD];
	uint64_t types[4] = { 0 };
	long n;
	int i;

	if (!p || !len)
		return 0;
	if (len > FRAME_MAX_PAYLOAD) {
		say("entries too large to forward (%zu bytes)", len);
		return 0;
	}
	if (s->warm) {
		n = entries_filter(p, len, CGN_ENTRY_USER, warm);
		if (n <= 0)
			return 0;
		p = warm;
		len = n;
	}
	if (entries_walk(p, len, types, NULL) <= 0) {
		say("kernel sent malformed entries, not forwarded");
		return 0;
	}
	if (peer_send(s, FRAME_ENTRIES, p, len, true))
		return -1;
	for (i = 0; i < 4; i++)
		s->c.sent[i] += types[i];
	return 0;
}

static void send_digest(struct syncd *s)
{
	uint8_t p[FRAME_NAME_LEN + 16];
	uint64_t el = now_ms() - s->digest_t0;

	if (s->digest_handover) {
		if (peer_send(s, FRAME_HANDOVER, p,
			      frame_handover(p, s->digest_name, s->digest_val,
					     s->digest_count,
					     el > UINT32_MAX ? UINT32_MAX : el),
			      true))
			return;
		say("handover of %s sent", s->digest_name);
		s->digest_handover = false;
	} else if (peer_send(s, FRAME_DIGEST, p,
			     frame_digest(p, s->digest_name, s->digest_val,
					  s->digest_count), true)) {
		return;
	}
	s->digest_pending = false;
}

void sync_handover(struct syncd *s, const char *name, uint64_t t0)
{
	if (s->n_handover == KERN_MAX_INSTANCES)
		return;
	snprintf(s->handover[s->n_handover], FRAME_NAME_LEN, "%.15s", name);
	s->handover_t0[s->n_handover++] = t0;
}

/* A handover: its digest is taken once the instance is standby here. */
static bool handover_tick(struct syncd *s)
{
	int r;

	if (!s->n_handover || !peer_up(s) || bulk_busy(s) || s->digest_pending)
		return false;
	memcpy(s->digest_name, s->handover[0], FRAME_NAME_LEN);
	s->digest_t0 = s->handover_t0[0];
	memmove(s->handover, s->handover + 1, (s->n_handover - 1) * FRAME_NAME_LEN);
	memmove(s->handover_t0, s->handover_t0 + 1,
		(s->n_handover - 1) * sizeof(s->handover_t0[0]));
	s->n_handover--;
	s->digest_val = 0;
	s->digest_count = 0;
	r = s->kern.off ? 0 : kern_digest(&s->kern, s->digest_name, &s->digest_val,
					  &s->digest_seq, &s->digest_count);
	if (r) {
		say("digest of %s failed: %s", s->digest_name,
		    kern_error(&s->kern, r));
		return false;
	}
	s->digest_handover = true;
	s->digest_pending = true;
	if (s->kern.off)
		send_digest(s);
	return true;
}

/*
 * Send what the bulk copy gathered: 0, or -1 if there was no room. Each
 * frame goes out at once, so the peer applies while we dump.
 */
static int bulk_flush(struct syncd *s)
{
	if (!s->bulk_len)
		return 0;
	if (forward(s, bulk_buf, s->bulk_len))
		return -1;
	s->bulk_len = 0;
	peer_flush(s);
	return 0;
}

/* Gather dump entries: 0, or -1 if a full batch found no room. */
static int bulk_gather(struct syncd *s, const uint8_t *p, size_t len)
{
	if (!p || !len)
		return 0;
	if (len > BULK_BATCH_MAX)	/* not from this kernel: as it is */
		return bulk_flush(s) || forward(s, p, len) ? -1 : 0;
	if (s->bulk_len + len > BULK_BATCH_MAX && bulk_flush(s))
		return -1;
	memcpy(bulk_buf + s->bulk_len, p, len);
	s->bulk_len += len;
	return 0;
}

static void bulk_step(struct syncd *s)
{
	struct conn *c = peer_up(s);
	uint8_t p[FRAME_NAME_LEN];
	struct kern_msg m;
	int r;

	while (peer_can_send(s)) {
		switch (s->bulk_phase) {
		case BULK_NONE:
			if (!s->n_bulk_queue)
				return;
			memcpy(s->bulk_name, s->bulk_queue[0], FRAME_NAME_LEN);
			memmove(s->bulk_queue, s->bulk_queue + 1,
				--s->n_bulk_queue * FRAME_NAME_LEN);
			s->bulk_phase = BULK_BEGIN;
			break;
		case BULK_BEGIN:
			r = kern_dump_start(&s->kern, s->bulk_name);
			if (r) {
				say("bulk copy of %s failed: %s", s->bulk_name,
				    strerror(-r));
				s->bulk_phase = BULK_NONE;
				break;
			}
			peer_send(s, FRAME_BULK_BEGIN, p,
				  frame_name(p, s->bulk_name), true);
			s->bulk_started = true;
			s->bulk_phase = s->kern.off ? BULK_END : BULK_DUMP;
			if (s->verbose)
				say("bulk copy of %s: begin", s->bulk_name);
			break;
		case BULK_DUMP:
			r = kern_peek(&s->kern, KERN_DUMP, &m);
			if (!r) {	/* nothing more yet: send what we have */
				bulk_flush(s);
				return;
			}
			if (r < 0 || (m.kind == KERN_DONE && m.err)) {
				say("bulk copy of %s failed: %s", s->bulk_name,
				    r < 0 ? strerror(-r) :
				    m.msg[0] ? m.msg : strerror(-m.err));
				kern_dump_abort(&s->kern);
				bulk_flush(s);	/* as far as it got */
				s->bulk_len = 0;
				s->bulk_phase = BULK_NONE;
				break;
			}
			if (m.kind == KERN_ENTRIES && bulk_gather(s, m.entries, m.len))
				return;
			kern_consume(&s->kern, KERN_DUMP);
			if (m.kind == KERN_DONE)
				s->bulk_phase = BULK_END;
			break;
		case BULK_END:
			if (s->bulk_len) {	/* the last entries first */
				if (bulk_flush(s))
					return;
				break;
			}
			s->bulk_end_seq = c->tx.seq;
			peer_send(s, FRAME_BULK_END, p,
				  frame_name(p, s->bulk_name), true);
			s->bulk_phase = BULK_NONE;
			say("bulk copy of %s sent", s->bulk_name);
			break;
		}
	}
}

/* Drained the event socket: the digest's events are forwarded, or lost. */
static void digest_drained(struct syncd *s)
{
	char why[64];

	if (!s->ev_have_seq) {
		/* Nothing since we subscribed: the kernel's seq is the base. */
		s->ev_have_seq = true;
		s->ev_next = s->digest_seq + 1;
		s->ev_last = s->digest_seq;
	}
	if (!seq_after(s->digest_seq, s->ev_last)) {
		send_digest(s);
		return;
	}
	s->c.events_lost += s->digest_seq - s->ev_last;
	snprintf(why, sizeof(why), "events up to seq %u missing",
		 s->digest_seq);
	sync_resync_all(s, why);
	/* the copy starts after them: they are covered, the base moves on */
	s->ev_last = s->digest_seq;
	s->ev_next = s->digest_seq + 1;
}

static void events(struct syncd *s)
{
	struct kern_msg m;
	char why[64];
	bool up;
	int r;

	while (!bulk_busy(s)) {
		up = peer_up(s);
		if (up && !peer_can_send(s))
			return;
		r = kern_peek(&s->kern, KERN_EVENTS, &m);
		if (!r) {
			if (up && s->digest_pending)
				digest_drained(s);
			return;
		}
		if (r < 0) {
			s->c.events_lost++;
			s->ev_have_seq = false;
			s->ev_checked = false;
			if (up)
				sync_resync_all(s, r == -ENOBUFS ?
						"event socket overrun" : strerror(-r));
			continue;
		}
		if (m.kind != KERN_EVENT) {
			kern_consume(&s->kern, KERN_EVENTS);
			continue;
		}
		if (!s->ev_checked) {
			s->ev_checked = true;
			/* Unpaired, a lost event changes nothing: connecting copies all. */
			if (m.has_seq && s->ev_have_seq && m.seq != s->ev_next) {
				s->c.events_lost += m.seq - s->ev_next;
				snprintf(why, sizeof(why), "event seq %u, expected %u",
					 m.seq, s->ev_next);
				if (up)
					sync_resync_all(s, why);
			} else if (m.lost) {
				s->c.events_lost++;
				if (up)
					sync_resync_all(s, "kernel lost events");
			}
			if (m.has_seq) {
				s->ev_have_seq = true;
				s->ev_next = m.seq;
			}
			continue;	/* a resync goes first */
		}
		if (up && s->digest_pending && m.has_seq &&
		    seq_after(m.seq, s->digest_seq))
			send_digest(s);
		if (up && forward(s, m.entries, m.len))
			return;
		kern_consume(&s->kern, KERN_EVENTS);
		s->ev_checked = false;
		if (m.has_seq) {
			s->ev_last = m.seq;
			s->ev_next = m.seq + 1;
		}
		if (up && s->digest_pending && m.has_seq && m.seq == s->digest_seq)
			send_digest(s);
	}
}

static void digest_tick(struct syncd *s)
{
	char names[KERN_MAX_INSTANCES][FRAME_NAME_LEN] = { { 0 } };
	uint64_t now = now_ms();
	int i, n, r;

	if (handover_tick(s))
		return;
	/* --warm carries users only: the tables would always differ. */
	if (!s->digest_s || s->kern.off || s->warm || !peer_up(s) ||
	    now < s->next_digest_ms ||
	    bulk_busy(s) || s->digest_pending)
		return;
	if (!s->n_digest_queue) {
		n = kern_instances(&s->kern, names, KERN_MAX_INSTANCES);
		for (i = 0; i < n; i++)
			name_add(s->digest_queue, &s->n_digest_queue, names[i]);
		if (!s->n_digest_queue) {
			s->next_digest_ms = now + s->digest_s * 1000ull;
			return;
		}
	}
	memcpy(s->digest_name, s->digest_queue[0], FRAME_NAME_LEN);
	memmove(s->digest_queue, s->digest_queue + 1,
		--s->n_digest_queue * FRAME_NAME_LEN);
	if (!s->n_digest_queue)
		s->next_digest_ms = now + s->digest_s * 1000ull;
	r = kern_digest(&s->kern, s->digest_name, &s->digest_val,
			&s->digest_seq, &s->digest_count);
	if (r) {
		say("digest of %s failed: %s", s->digest_name,
		    kern_error(&s->kern, r));
		return;
	}
	s->digest_pending = true;
}

#define RESYNC_REQ_INTERVAL_MS	1000

static void flush_control(struct syncd *s)
{
	uint8_t p[FRAME_NAME_LEN];

	if (!peer_up(s))
		return;
	/* asking again at once could loop as fast as copies fail */
	if ((s->resync_all_req || s->n_resync_req) &&
	    now_ms() - s->resync_req_ms < RESYNC_REQ_INTERVAL_MS)
		goto ack;
	if (s->resync_all_req || s->n_resync_req)
		s->resync_req_ms = now_ms();
	if (s->resync_all_req) {
		if (!peer_send(s, FRAME_RESYNC_REQ, p, frame_name(p, ""), false)) {
			s->resync_all_req = false;
			s->n_resync_req = 0;
		}
	}
	while (s->n_resync_req &&
	       !peer_send(s, FRAME_RESYNC_REQ, p,
			  frame_name(p, s->resync_req[s->n_resync_req - 1]),
			  false))
		s->n_resync_req--;
ack:
	if (s->ack_due && !peer_send(s, FRAME_ACK, p, frame_u64(p, s->ack_seq),
				     false))
		s->ack_due = false;
}

void sync_work(struct syncd *s)
{
	flush_control(s);
	digest_tick(s);
	bulk_step(s);
	events(s);
	bulk_step(s);	/* a resync found by events() */
}

int sync_pollfds(struct syncd *s, struct pollfd *p, int n)
{
	bool up = peer_up(s), room = peer_can_send(s);

	p[n].fd = -1;
	p[n + 1].fd = -1;
	if (s->kern.off)
		return n + 2;
	if (!up || (room && !bulk_busy(s)))
		p[n].fd = s->kern.rx[KERN_EVENTS].fd;
	if (room && s->bulk_phase == BULK_DUMP)
		p[n + 1].fd = s->kern.rx[KERN_DUMP].fd;
	p[n].events = p[n + 1].events = POLLIN;
	return n + 2;
}

/* The receiving side. */

static struct bulk_in *bulk_in(struct syncd *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n_bulk_in; i++)
		if (!strcmp(s->bulk_in[i].name, name))
			return &s->bulk_in[i];
	if (s->n_bulk_in == KERN_MAX_INSTANCES)
		return NULL;
	memcpy(s->bulk_in[s->n_bulk_in].name, name, FRAME_NAME_LEN);
	return &s->bulk_in[s->n_bulk_in++];
}

static void on_ack(struct syncd *s, uint64_t ack)
{
	unsigned int i = 0;

	while (i < s->n_unacked && s->unacked[i].seq <= ack)
		i++;
	if (!i)
		return;
	s->c.lag_ms = now_ms() - s->unacked[i - 1].ms;
	if (s->c.lag_ms > s->c.lag_max_ms)
		s->c.lag_max_ms = s->c.lag_ms;
	s->c.acked += i;
	s->n_unacked -= i;
	memmove(s->unacked, s->unacked + i, s->n_unacked * sizeof(s->unacked[0]));
	s->last_acked = ack;
}

static void on_entries(struct syncd *s, const struct frame *f)
{
	int i, err;

	err = kern_sync(&s->kern, CGN_CMD_SYNC_APPLY, NULL, f->payload, f->len);
	if (err) {
		s->c.apply_errors++;
		say("apply of %s entries failed: %s", f->name[0] ? f->name : "mixed",
		    kern_error(&s->kern, err));
		sync_want_resync(s, f->name);
		return;
	}
	for (i = 0; i < 4; i++)
		s->c.applied[i] += f->types[i];
}

static void on_bulk(struct syncd *s, const struct frame *f)
{
	int cmd = f->type == FRAME_BULK_BEGIN ? CGN_CMD_SYNC_BEGIN : CGN_CMD_SYNC_END;
	struct bulk_in *b = bulk_in(s, f->name);
	int err;

	if (ha_active_here(s, f->name)) {
		/* both boards active (a split brain healing): ours stands */
		if (cmd == CGN_CMD_SYNC_BEGIN)
			say("bulk copy of %s ignored: active here", f->name);
		return;
	}
	err = kern_sync(&s->kern, cmd, f->name, NULL, 0);
	if (err) {
		s->c.apply_errors++;
		say("%s of %s failed: %s", frame_type_name(f->type), f->name,
		    kern_error(&s->kern, err));
		sync_want_resync(s, f->name);
	}
	if (b)
		b->running = cmd == CGN_CMD_SYNC_BEGIN;
	if (cmd == CGN_CMD_SYNC_END) {
		say("bulk copy of %s received", f->name);
		ha_bulk_end(s, f->name);
	}
}

static void on_handover(struct syncd *s, const struct frame *f)
{
	uint64_t digest = 0;
	uint32_t seq, count = 0;
	int err = 0;

	if (!s->kern.off)
		err = kern_digest(&s->kern, f->name, &digest, &seq, &count);
	if (err)
		say("digest of %s failed: %s", f->name, kern_error(&s->kern, err));
	/* --warm carries users only: nothing to compare */
	ha_handover_in(s, f->name, f->elapsed, s->warm || s->kern.off ||
		       (!err && digest == f->digest && count == f->count));
}

static void on_digest(struct syncd *s, const struct frame *f)
{
	uint64_t digest;
	uint32_t seq, count;
	int err;

	err = kern_digest(&s->kern, f->name, &digest, &seq, &count);
	if (err) {
		say("digest of %s failed: %s", f->name, kern_error(&s->kern, err));
		return;
	}
	s->c.digest_checks++;
	if (digest == f->digest && count == f->count)
		return;
	s->c.digest_mismatches++;
	say("digest mismatch on %s: peer %016llx (%u entries), here %016llx (%u entries)",
	    f->name, (unsigned long long)f->digest, f->count,
	    (unsigned long long)digest, count);
	sync_want_resync(s, f->name);
}

void sync_frame(struct syncd *s, const struct frame *f)
{
	switch (f->type) {
	case FRAME_HEARTBEAT:
		return;
	case FRAME_ACK:
		on_ack(s, f->ack);
		return;
	case FRAME_ENTRIES:
		on_entries(s, f);
		break;
	case FRAME_BULK_BEGIN:
	case FRAME_BULK_END:
		on_bulk(s, f);
		break;
	case FRAME_DIGEST:
		on_digest(s, f);
		break;
	case FRAME_STATUS:
		ha_status_frame(s, f);
		return;
	case FRAME_TAKE_REQ:
		ha_take_req(s, f->name);
		return;
	case FRAME_HANDOVER:
		on_handover(s, f);
		break;
	case FRAME_RESYNC_REQ:
		if (!f->name[0])
			sync_resync_all(s, "peer asked");
		else
			sync_resync_one(s, f->name, "peer asked");
		break;
	}
	s->ack_due = true;
	s->ack_seq = f->seq;
}

const char *sync_bulk_state(const struct syncd *s)
{
	if (!peer_up((struct syncd *)s))
		return "idle";
	if (bulk_busy(s) || s->last_acked < s->bulk_end_seq)
		return "running";
	return s->bulk_started ? "finished" : "idle";
}

uint64_t sync_timeout(struct syncd *s)
{
	if (!s->digest_s || s->kern.off || !peer_up(s))
		return UINT64_MAX;
	return s->next_digest_ms;
}
