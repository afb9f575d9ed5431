// SPDX-License-Identifier: GPL-2.0
/*
 * The second heartbeat path: a UDP datagram to the peer every heartbeat
 * interval, carrying this board's status, a counter that never goes back
 * (the wall clock) and a MAC, so it can be neither forged nor replayed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "syncd.h"

#define HB2_MAGIC	0x4347e448u	/* "CG", 0xe4, "H" */
#define HB2_HDR_LEN	16		/* magic u32, version u8, 3 x 0, counter u64 */
#define HB2_MAX_LEN	(HB2_HDR_LEN + STATUS_MAX_LEN + FRAME_MAC_LEN)

static socklen_t salen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6);
}

void hb2_open(struct syncd *s)
{
	struct ha *h = &s->ha;
	int one = 1, fd;
	char buf[INET6_ADDRSTRLEN];

	h->hb2_retry_ms = 0;
	fd = socket(h->hb2_local.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&h->hb2_local, salen(&h->hb2_local))) {
		close(fd);
		goto fail;
	}
	h->hb2_fd = fd;
	say("heartbeat path 2: %s port %u", fmt_addr(&h->hb2_local, buf, sizeof(buf)),
	    ntohs(((struct sockaddr_in *)&h->hb2_local)->sin_port));
	return;
fail:
	say("heartbeat path 2: cannot bind %s: %s",
	    fmt_addr(&h->hb2_local, buf, sizeof(buf)), strerror(errno));
	h->hb2_retry_ms = now_ms() + 1000;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (56 - 8 * i);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void hb2_send(struct syncd *s)
{
	struct ha *h = &s->ha;
	uint8_t p[HB2_MAX_LEN];
	uint64_t c = wall_us();
	size_t len;

	h->hb2_next_tx_ms = now_ms() + s->hb_ms;
	if (h->hb2_fd < 0)
		return;
	/* a counter that never goes back, across restarts too: the clock */
	h->hb2_counter = c > h->hb2_counter ? c : h->hb2_counter + 1;
	put64(p, (uint64_t)HB2_MAGIC << 32 | (uint64_t)1 << 24);
	put64(p + 8, h->hb2_counter);
	memcpy(p + HB2_HDR_LEN, h->status, h->status_len);
	len = HB2_HDR_LEN + h->status_len;
	auth_mac(h->hb2_key, p, len, p + len);
	if (sendto(h->hb2_fd, p, len + FRAME_MAC_LEN, 0,
		   (struct sockaddr *)&h->hb2_peer, salen(&h->hb2_peer)) >= 0)
		h->hb2_tx++;
}

void hb2_recv(struct syncd *s)
{
	struct ha *h = &s->ha;
	struct sockaddr_storage from;
	uint8_t p[HB2_MAX_LEN + 1];
	socklen_t fl = sizeof(from);
	const char *why = NULL;
	struct frame f;
	uint64_t counter;
	ssize_t n;

	while ((n = recvfrom(h->hb2_fd, p, sizeof(p), 0, (struct sockaddr *)&from,
			     &fl)) >= 0) {
		fl = sizeof(from);
		if (addr_cmp(&from, &h->hb2_peer))
			continue;	/* not the peer: ignored */
		if (n < HB2_HDR_LEN + STATUS_HDR_LEN + FRAME_MAC_LEN ||
		    n > HB2_MAX_LEN ||
		    get64(p) != ((uint64_t)HB2_MAGIC << 32 | (uint64_t)1 << 24) ||
		    !auth_mac_ok(h->hb2_key, p, n - FRAME_MAC_LEN,
				 p + n - FRAME_MAC_LEN)) {
			if (!h->hb2_bad++ || s->verbose)
				say("heartbeat path 2: bad datagram (wrong key?)");
			continue;
		}
		memset(&f, 0, sizeof(f));
		if (frame_status_decode(p + HB2_HDR_LEN,
					n - HB2_HDR_LEN - FRAME_MAC_LEN, &f, &why)) {
			h->hb2_bad++;
			say("heartbeat path 2: %s", why);
			continue;
		}
		counter = get64(p + 8);
		if (counter <= h->hb2_peer_counter || counter < h->hb2_floor) {
			if (!h->hb2_replays++ || s->verbose)
				say("heartbeat path 2: replayed or stale datagram refused");
			continue;
		}
		h->hb2_peer_counter = counter;
		h->hb2_rx++;
		h->hb2_last_rx_ms = now_ms();
		ha_peer_status(s, &f, false);
	}
}
