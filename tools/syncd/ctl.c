// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: one request line, one reply line, then close.
 *
 *	pair local ADDR peer ADDR [port N] [key FILE]	-> ok | error: ...
 *	unpair						-> ok
 *	show						-> one JSON object
 *	mode 1:1 master|backup | mode 1+1 own LIST	-> ok | error: ...
 *	switchover [INSTANCE]				-> ok | error: ...
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "syncd.h"

int ctl_open(struct syncd *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(s->ctl_path)], *slash;
	int i;

	for (i = 0; i < CTL_CLIENTS; i++)
		s->ctl_client[i] = -1;
	strcpy(dir, s->ctl_path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	s->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->ctl_fd < 0)
		return -1;
	strcpy(sa.sun_path, s->ctl_path);
	unlink(s->ctl_path);
	if (bind(s->ctl_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->ctl_fd, CTL_CLIENTS)) {
		close(s->ctl_fd);
		s->ctl_fd = -1;
		return -1;
	}
	chmod(s->ctl_path, 0600);
	return 0;
}

void ctl_close(struct syncd *s)
{
	int i;

	for (i = 0; i < CTL_CLIENTS; i++)
		if (s->ctl_client[i] >= 0)
			close(s->ctl_client[i]);
	if (s->ctl_fd >= 0) {
		close(s->ctl_fd);
		unlink(s->ctl_path);
	}
}

static int pair(struct syncd *s, char **argv, int argc, char *out, size_t len)
{
	const char *local = NULL, *peer = NULL, *key = NULL, *why;
	struct config cfg = s->cfg;
	unsigned long port = cfg.port;
	char *end;
	int i;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc) {
			snprintf(out, len, "error: \"%s\" expects a value\n", argv[i]);
			return -1;
		}
		if (!strcmp(argv[i], "local")) {
			local = argv[i + 1];
		} else if (!strcmp(argv[i], "peer")) {
			peer = argv[i + 1];
		} else if (!strcmp(argv[i], "key")) {
			key = argv[i + 1];
		} else if (!strcmp(argv[i], "port")) {
			port = strtoul(argv[i + 1], &end, 10);
			if (*end || *argv[i + 1] == '-' || port < 1 || port > 65535) {
				snprintf(out, len, "error: \"port\" expects a number 1..65535\n");
				return -1;
			}
		} else {
			snprintf(out, len, "error: unexpected argument \"%s\"\n", argv[i]);
			return -1;
		}
	}
	if (!local || !peer) {
		snprintf(out, len, "error: missing %s\n", local ? "peer" : "local");
		return -1;
	}
	if (parse_sockaddr(local, port, &cfg.local)) {
		snprintf(out, len, "error: invalid local address \"%s\"\n", local);
		return -1;
	}
	if (parse_sockaddr(peer, port, &cfg.peer)) {
		snprintf(out, len, "error: invalid peer address \"%s\"\n", peer);
		return -1;
	}
	if (cfg.local.ss_family != cfg.peer.ss_family ||
	    !addr_cmp(&cfg.local, &cfg.peer)) {
		snprintf(out, len, "error: local and peer must be two different addresses of one family\n");
		return -1;
	}
	if (key) {
		if (auth_key_load(key, cfg.key, &why)) {
			snprintf(out, len, "error: key file %s: %s\n", key, why);
			return -1;
		}
		cfg.have_key = true;
	}
	if (!cfg.have_key) {
		snprintf(out, len, "error: no key: give \"key FILE\"\n");
		return -1;
	}
	cfg.port = port;
	cfg.paired = true;
	s->cfg = cfg;
	peer_reconfigure(s);
	snprintf(out, len, "ok\n");
	return 0;
}

static void show(struct syncd *s, char *out, size_t len)
{
	static const char *const types[] = { "other", "user", "mapping", "session" };
	char buf[INET6_ADDRSTRLEN], hex[17];
	struct json js;
	unsigned int i;
	size_t size;
	char *p = NULL;
	FILE *f;

	f = open_memstream(&p, &size);
	if (!f) {
		snprintf(out, len, "error: out of memory\n");
		return;
	}
	json_init(&js, f, false);
	json_obj_open(&js, NULL);
	json_str(&js, "peer_state", peer_state(s));
	json_str(&js, "local", s->cfg.paired ?
		 fmt_addr(&s->cfg.local, buf, sizeof(buf)) : "");
	json_str(&js, "peer", s->cfg.paired ?
		 fmt_addr(&s->cfg.peer, buf, sizeof(buf)) : "");
	json_uint(&js, "port", s->cfg.port);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)s->epoch);
	json_str(&js, "epoch", hex);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)s->peer_epoch);
	json_str(&js, "peer_epoch", s->peer_epoch ? hex : "");
	json_str(&js, "bulk", sync_bulk_state(s));
	json_obj_open(&js, "bulk_in");
	for (i = 0; i < s->n_bulk_in; i++)
		json_str(&js, s->bulk_in[i].name,
			 s->bulk_in[i].running ? "running" : "finished");
	json_obj_close(&js);
	json_obj_open(&js, "sent");
	for (i = 1; i < 4; i++)
		json_uint(&js, types[i], s->c.sent[i]);
	json_obj_close(&js);
	json_uint(&js, "acked", s->c.acked);
	json_obj_open(&js, "applied");
	for (i = 1; i < 4; i++)
		json_uint(&js, types[i], s->c.applied[i]);
	json_obj_close(&js);
	json_uint(&js, "apply_errors", s->c.apply_errors);
	json_uint(&js, "sync_lag_ms", s->c.lag_ms);
	json_uint(&js, "sync_lag_max_ms", s->c.lag_max_ms);
	json_uint(&js, "resyncs", s->c.resyncs);
	json_uint(&js, "digest_checks", s->c.digest_checks);
	json_uint(&js, "digest_mismatches", s->c.digest_mismatches);
	json_uint(&js, "auth_failures", s->c.auth_failures);
	json_uint(&js, "bad_frames", s->c.bad_frames);
	json_uint(&js, "events_lost", s->c.events_lost);
	json_uint(&js, "last_heartbeat_ms", s->last_peer_rx_ms ?
		  now_ms() - s->last_peer_rx_ms : 0);
	ha_show(s, &js);
	json_obj_close(&js);
	fclose(f);
	snprintf(out, len, "%s\n", p);
	free(p);
}

void ctl_handle(struct syncd *s, char *line, char *out, size_t len)
{
	char *argv[16], *tok, *save;
	int argc = 0;

	for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < 16;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = tok;
	if (!argc) {
		snprintf(out, len, "error: empty request\n");
	} else if (!strcmp(argv[0], "pair")) {
		if (!pair(s, argv + 1, argc - 1, out, len))
			return;
	} else if (!strcmp(argv[0], "unpair") && argc == 1) {
		s->cfg.paired = false;
		peer_reconfigure(s);
		say("unpaired");
		snprintf(out, len, "ok\n");
	} else if (!strcmp(argv[0], "show") && argc == 1) {
		show(s, out, len);
	} else if (!strcmp(argv[0], "mode")) {
		ha_ctl_mode(s, argv + 1, argc - 1, out, len);
	} else if (!strcmp(argv[0], "switchover") && argc <= 2) {
		ha_ctl_switchover(s, argc == 2 ? argv[1] : NULL, out, len);
	} else {
		snprintf(out, len, "error: unknown request \"%s\"\n", argv[0]);
	}
}

int ctl_pollfds(struct syncd *s, struct pollfd *p, int n)
{
	int i;

	p[n].fd = s->ctl_fd;
	p[n++].events = POLLIN;
	for (i = 0; i < CTL_CLIENTS; i++) {
		p[n].fd = s->ctl_client[i];
		p[n++].events = POLLIN;
	}
	return n;
}

static void client_close(struct syncd *s, int i)
{
	close(s->ctl_client[i]);
	s->ctl_client[i] = -1;
	s->ctl_len[i] = 0;
}

static void client_read(struct syncd *s, int i)
{
	static char reply[16384];
	char *nl;
	ssize_t n;

	n = read(s->ctl_client[i], s->ctl_buf[i] + s->ctl_len[i],
		 sizeof(s->ctl_buf[i]) - 1 - s->ctl_len[i]);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(s, i);
		return;
	}
	s->ctl_len[i] += n;
	s->ctl_buf[i][s->ctl_len[i]] = '\0';
	nl = strchr(s->ctl_buf[i], '\n');
	if (!nl && s->ctl_len[i] < sizeof(s->ctl_buf[i]) - 1)
		return;
	if (nl)
		*nl = '\0';
	ctl_handle(s, s->ctl_buf[i], reply, sizeof(reply));
	if (write(s->ctl_client[i], reply, strlen(reply)) < 0)
		say("control socket: %s", strerror(errno));
	client_close(s, i);
}

void ctl_events(struct syncd *s, const struct pollfd *p, int n)
{
	int i, fd;

	if (p[n].revents & POLLIN) {
		fd = accept4(s->ctl_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		for (i = 0; fd >= 0 && i < CTL_CLIENTS; i++) {
			if (s->ctl_client[i] < 0) {
				s->ctl_client[i] = fd;
				fd = -1;
			}
		}
		if (fd >= 0)
			close(fd);	/* busy */
	}
	for (i = 0; i < CTL_CLIENTS; i++)
		if (s->ctl_client[i] >= 0 && p[n + 1 + i].fd == s->ctl_client[i] &&
		    p[n + 1 + i].revents)
			client_read(s, i);
}
