// SPDX-License-Identifier: GPL-2.0
/* Command line options and addresses. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syncd.h"

const char syncd_usage[] =
"Usage: cgn-syncd [OPTIONS]\n"
"Replicate the active cgn instances of this board to its peer board.\n"
"\n"
"  -n, --netns NETNS          run in network namespace /run/netns/NETNS\n"
"  -S, --socket PATH          control socket\n"
"                             (default /run/cgn/syncd-<NETNS|default>.sock)\n"
"      --local ADDR           this board's address (IPv4 or IPv6)\n"
"      --peer ADDR            the peer board's address\n"
"      --port N               TCP port (default 7611)\n"
"      --key FILE             pre-shared key: 32 bytes, or 64 hex digits\n"
"      --rcvbuf BYTES         event socket buffer (default 8388608)\n"
"      --digest-interval SECS drift check period (default 10, 0: off)\n"
"      --hb-interval MS       heartbeat period (default 100)\n"
"      --hb-miss N            missed heartbeats before the peer is down (5)\n"
"      --mode 1:1 --master|--backup\n"
"      --mode 1+1 --own INSTANCE[,INSTANCE...]\n"
"                             failover: which instances this board serves\n"
"      --vip DEV ADDR/LEN[@INSTANCE]\n"
"                             an address that follows INSTANCE (untagged: all\n"
"                             instances, 1:1 only); repeatable\n"
"      --hb2-local ADDR --hb2-peer ADDR\n"
"                             second heartbeat path (UDP, same port)\n"
"      --hook PATH            run PATH takeover|release INSTANCE...\n"
"      --revertive SECS       take own instances back SECS after a return\n"
"                             (default 0: never, non-preemptive)\n"
"      --warm                 replicate subscribers (users) only\n"
"      --no-kernel            no netlink: test the peer link alone\n"
"  -f, --foreground           stay in the foreground (always the case)\n"
"  -v, --verbose              log every frame exchanged\n"
"  -h, --help                 print this help\n"
"\n"
"The board whose local address is lower dials, the other listens on\n"
"ADDR:PORT. Without --local/--peer/--key the agent waits for\n"
"\"cgnctl board pair\". SIGTERM or SIGINT stop it.\n";

enum {
	OPT_LOCAL = 256, OPT_PEER, OPT_PORT, OPT_KEY, OPT_RCVBUF, OPT_DIGEST,
	OPT_HB, OPT_HB_MISS, OPT_WARM, OPT_NO_KERNEL, OPT_MIN_AGE,
	OPT_MODE, OPT_MASTER, OPT_BACKUP, OPT_OWN, OPT_VIP, OPT_HB2_LOCAL,
	OPT_HB2_PEER, OPT_HOOK, OPT_REVERTIVE,
};

static const struct option options[] = {
	{ "netns", required_argument, NULL, 'n' },
	{ "socket", required_argument, NULL, 'S' },
	{ "local", required_argument, NULL, OPT_LOCAL },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	{ "digest-interval", required_argument, NULL, OPT_DIGEST },
	{ "hb-interval", required_argument, NULL, OPT_HB },
	{ "hb-miss", required_argument, NULL, OPT_HB_MISS },
	{ "warm", no_argument, NULL, OPT_WARM },
	{ "no-kernel", no_argument, NULL, OPT_NO_KERNEL },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "master", no_argument, NULL, OPT_MASTER },
	{ "backup", no_argument, NULL, OPT_BACKUP },
	{ "own", required_argument, NULL, OPT_OWN },
	{ "vip", required_argument, NULL, OPT_VIP },
	{ "hb2-local", required_argument, NULL, OPT_HB2_LOCAL },
	{ "hb2-peer", required_argument, NULL, OPT_HB2_PEER },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "revertive", required_argument, NULL, OPT_REVERTIVE },
	{ "foreground", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int number(const char *opt, const char *arg, unsigned long min,
		  unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || *v < min || *v > max) {
		fprintf(stderr, "cgn-syncd: --%s expects a number %lu..%lu\n",
			opt, min, max);
		return -1;
	}
	return 0;
}

int parse_sockaddr(const char *s, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *a6 = (void *)ss;
	struct sockaddr_in *a4 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

const char *fmt_addr(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	if (!inet_ntop(ss->ss_family, a, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* Compare the addresses only, IPv4 before IPv6. */
int addr_cmp(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return a->ss_family == AF_INET ? -1 : 1;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			      &((const struct sockaddr_in *)b)->sin_addr, 4);
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

void ctl_default_path(const char *netns, char *buf, size_t len)
{
	snprintf(buf, len, "/run/cgn/syncd-%s.sock", netns ? netns : "default");
}

int parse_args(struct syncd *s, int argc, char **argv)
{
	const char *local = NULL, *peer = NULL, *key = NULL, *why;
	const char *mode = NULL, *own = NULL, *hb2l = NULL, *hb2p = NULL;
	int role = -1;
	unsigned long v;
	unsigned int i;
	int c;

	s->cfg.port = SYNCD_PORT;
	s->rcvbuf = SYNCD_RCVBUF;
	s->digest_s = 10;
	s->hb_ms = 100;
	s->hb_miss = 5;
	while ((c = getopt_long(argc, argv, "n:S:fvh", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg || strchr(optarg, '/')) {
				fprintf(stderr, "cgn-syncd: invalid netns \"%s\"\n", optarg);
				return -1;
			}
			s->netns = optarg;
			break;
		case 'S':
			if (strlen(optarg) >= sizeof(s->ctl_path)) {
				fprintf(stderr, "cgn-syncd: socket path too long\n");
				return -1;
			}
			strcpy(s->ctl_path, optarg);
			break;
		case OPT_LOCAL:
			local = optarg;
			break;
		case OPT_PEER:
			peer = optarg;
			break;
		case OPT_KEY:
			key = optarg;
			break;
		case OPT_PORT:
			if (number("port", optarg, 1, 65535, &v))
				return -1;
			s->cfg.port = v;
			break;
		case OPT_RCVBUF:
			if (number("rcvbuf", optarg, 0, INT_MAX, &v))
				return -1;
			s->rcvbuf = v;
			break;
		case OPT_DIGEST:
			if (number("digest-interval", optarg, 0, 86400, &v))
				return -1;
			s->digest_s = v;
			break;
		case OPT_HB:
			if (number("hb-interval", optarg, 10, 60000, &v))
				return -1;
			s->hb_ms = v;
			break;
		case OPT_HB_MISS:
			if (number("hb-miss", optarg, 1, 1000, &v))
				return -1;
			s->hb_miss = v;
			break;
		case OPT_WARM:
			s->warm = true;
			break;
		case OPT_NO_KERNEL:
			s->no_kernel = true;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "1:1") && strcmp(optarg, "1+1")) {
				fprintf(stderr, "cgn-syncd: --mode expects 1:1 or 1+1\n");
				return -1;
			}
			mode = optarg;
			break;
		case OPT_MASTER:
		case OPT_BACKUP:
			role = c == OPT_MASTER;
			break;
		case OPT_OWN:
			own = optarg;
			break;
		case OPT_VIP:
			if (optind >= argc ||
			    ha_parse_vip(&s->ha, optarg, argv[optind])) {
				fprintf(stderr, "cgn-syncd: --vip expects DEV ADDR/LEN[@INSTANCE]\n");
				return -1;
			}
			optind++;
			break;
		case OPT_HB2_LOCAL:
			hb2l = optarg;
			break;
		case OPT_HB2_PEER:
			hb2p = optarg;
			break;
		case OPT_HOOK:
			s->ha.hook = optarg;
			break;
		case OPT_REVERTIVE:
			if (number("revertive", optarg, 0, 86400, &v))
				return -1;
			s->ha.revertive_s = v;
			break;
		case 'f':
			break;
		case 'v':
			s->verbose = true;
			break;
		case 'h':
			fputs(syncd_usage, stdout);
			return 1;
		default:
			fputs(syncd_usage, stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cgn-syncd: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (!s->ctl_path[0])
		ctl_default_path(s->netns, s->ctl_path, sizeof(s->ctl_path));
	if (mode && !strcmp(mode, "1:1")) {
		if (role < 0 || own) {
			fprintf(stderr, "cgn-syncd: --mode 1:1 needs --master or --backup\n");
			return -1;
		}
		s->ha.mode = HA_1TO1;
		s->ha.master = role;
	} else if (mode) {
		if (!own || role >= 0 || ha_parse_own(&s->ha, own)) {
			fprintf(stderr, "cgn-syncd: --mode 1+1 needs --own INSTANCE[,INSTANCE...]\n");
			return -1;
		}
		s->ha.mode = HA_1PLUS1;
		for (i = 0; i < s->ha.n_vips; i++)
			if (!s->ha.vips[i].inst[0]) {
				fprintf(stderr, "cgn-syncd: in 1+1 mode each --vip needs @INSTANCE\n");
				return -1;
			}
	} else if (role >= 0 || own || s->ha.n_vips || hb2l || hb2p ||
		   s->ha.hook || s->ha.revertive_s) {
		fprintf(stderr, "cgn-syncd: failover options need --mode\n");
		return -1;
	}
	if (!hb2l != !hb2p) {
		fprintf(stderr, "cgn-syncd: --hb2-local and --hb2-peer go together\n");
		return -1;
	}
	if (hb2l) {
		if (parse_sockaddr(hb2l, s->cfg.port, &s->ha.hb2_local) ||
		    parse_sockaddr(hb2p, s->cfg.port, &s->ha.hb2_peer) ||
		    s->ha.hb2_local.ss_family != s->ha.hb2_peer.ss_family ||
		    !addr_cmp(&s->ha.hb2_local, &s->ha.hb2_peer)) {
			fprintf(stderr, "cgn-syncd: --hb2-local and --hb2-peer expect two different addresses of one family\n");
			return -1;
		}
		s->ha.hb2 = true;
	}
	if (mode && !local) {
		fprintf(stderr, "cgn-syncd: --mode needs --local, --peer and --key\n");
		return -1;
	}
	if (key) {
		if (auth_key_load(key, s->cfg.key, &why)) {
			fprintf(stderr, "cgn-syncd: key file %s: %s\n", key, why);
			return -1;
		}
		s->cfg.have_key = true;
	}
	if (!local != !peer) {
		fprintf(stderr, "cgn-syncd: --local and --peer go together\n");
		return -1;
	}
	if (!local)
		return 0;
	if (parse_sockaddr(local, s->cfg.port, &s->cfg.local) ||
	    parse_sockaddr(peer, s->cfg.port, &s->cfg.peer) ||
	    s->cfg.local.ss_family != s->cfg.peer.ss_family ||
	    !addr_cmp(&s->cfg.local, &s->cfg.peer)) {
		fprintf(stderr, "cgn-syncd: --local and --peer expect two different addresses of one family\n");
		return -1;
	}
	if (!s->cfg.have_key) {
		fprintf(stderr, "cgn-syncd: --key is required with --peer\n");
		return -1;
	}
	s->cfg.paired = true;
	return 0;
}
