// SPDX-License-Identifier: GPL-2.0
/*
 * cgn-syncd: the sync agent of one board (network namespace).
 *
 *	cgn-syncd [-n NETNS] [-S CTLSOCK] [--local ADDR --peer ADDR --key FILE]
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "syncd.h"
#include "netns.h"

static struct syncd syncd;

static void on_signal(int sig)
{
	(void)sig;
	syncd.stop = 1;
}

static void loop(struct syncd *s)
{
	struct pollfd p[16];
	uint64_t t, now;
	int n, peer, ha, timeout;

	while (!s->stop) {
		n = ctl_pollfds(s, p, 0);
		peer = n;
		n = peer_pollfds(s, p, n);
		n = sync_pollfds(s, p, n);
		ha = n;
		n = ha_pollfds(s, p, n);

		t = peer_timeout(s);
		if (sync_timeout(s) < t)
			t = sync_timeout(s);
		if (ha_timeout(s) < t)
			t = ha_timeout(s);
		now = now_ms();
		timeout = t == UINT64_MAX ? 1000 : t <= now ? 0 :
			  t - now > 1000 ? 1000 : (int)(t - now);
		if (poll(p, n, timeout) < 0 && errno != EINTR) {
			say("poll: %s", strerror(errno));
			return;
		}
		ctl_events(s, p, 0);
		peer_events(s, p, peer);
		ha_events(s, p, ha);
		peer_timers(s);
		ha_work(s);
		sync_work(s);
		peer_flush(s);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct syncd *s = &syncd;
	const char *why = "";
	int err;

	s->listen_fd = s->ctl_fd = -1;
	s->conn[0].fd = s->conn[1].fd = -1;
	s->ha.hb2_fd = -1;
	err = parse_args(s, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	if (s->netns && cgn_netns_enter("cgn-syncd", s->netns))
		return 1;
	if (auth_init()) {
		fprintf(stderr, "cgn-syncd: cannot initialise libsodium\n");
		return 1;
	}
	auth_random(&s->epoch, sizeof(s->epoch));
	s->kern.off = s->no_kernel;
	err = kern_open(&s->kern, s->rcvbuf, &why);
	if (err) {
		fprintf(stderr, "cgn-syncd: %s\n", why);
		return 1;
	}
	if (ctl_open(s)) {
		fprintf(stderr, "cgn-syncd: control socket %s: %s\n", s->ctl_path,
			strerror(errno));
		kern_close(&s->kern);
		return 1;
	}
	if (ha_start(s)) {
		ctl_close(s);
		kern_close(&s->kern);
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	say("started, board %s, epoch %016llx, control %s%s",
	    s->netns ? s->netns : "default", (unsigned long long)s->epoch,
	    s->ctl_path, s->no_kernel ? ", no kernel" : "");
	peer_reconfigure(s);
	loop(s);
	ha_stop(s);
	peer_close_all(s);
	ctl_close(s);
	kern_close(&s->kern);
	say("stopped");
	return 0;
}
