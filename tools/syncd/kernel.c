// SPDX-License-Identifier: GPL-2.0
/* Netlink: events, bulk dumps, applying the peer's entries, digests. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <cgn.h>

#include "kernel.h"

#define RX_BUF_LEN	(256 * 1024)

static int rx_open(struct kern_rx *rx, int rcvbuf)
{
	int one = 1;

	rx->sk = nl_socket_alloc();
	rx->buf = malloc(RX_BUF_LEN);
	if (!rx->sk || !rx->buf)
		return -ENOMEM;
	if (genl_connect(rx->sk))
		return -EIO;
	nl_socket_disable_seq_check(rx->sk);
	rx->fd = nl_socket_get_fd(rx->sk);
	setsockopt(rx->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(rx->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (rcvbuf &&
	    setsockopt(rx->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(rx->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	return nl_socket_set_nonblocking(rx->sk) ? -EIO : 0;
}

int kern_open(struct kern *k, int rcvbuf, const char **why)
{
	int grp, err, one = 1;

	if (k->off)
		return 0;
	err = cgn_nl_open(&k->cmd);
	if (err) {
		*why = err == -ENOENT ? "cgn module not loaded" : k->cmd.msg;
		return err;
	}
	grp = genl_ctrl_resolve_grp(k->cmd.sk, CGN_GENL_NAME, CGN_MCGRP_SYNC);
	if (grp < 0) {
		*why = "no \"sync\" multicast group";
		return -ENOENT;
	}
	k->grp = grp;
	k->apply_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (k->apply_fd < 0) {
		*why = "cannot open netlink sockets";
		return -errno;
	}
	setsockopt(k->apply_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(k->apply_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (rx_open(&k->rx[KERN_EVENTS], rcvbuf) ||
	    rx_open(&k->rx[KERN_DUMP], 0)) {
		*why = "cannot open netlink sockets";
		return -EIO;
	}
	return 0;
}

/*
 * The "sync" group is joined while the link is up only: with nobody
 * listening the kernel queues no changes at all. Join before any dump, so
 * that nothing changed while it runs is missed.
 */
int kern_events_join(struct kern *k)
{
	if (k->off || k->joined)
		return 0;
	if (nl_socket_add_membership(k->rx[KERN_EVENTS].sk, k->grp))
		return -EIO;
	k->joined = true;
	return 0;
}

/* Leave the group and drop what it queued: a later link copies everything. */
void kern_events_leave(struct kern *k)
{
	struct kern_rx *rx = &k->rx[KERN_EVENTS];
	ssize_t n;

	if (k->off || !k->joined)
		return;
	nl_socket_drop_membership(rx->sk, k->grp);
	k->joined = false;
	do
		n = recv(rx->fd, rx->buf, RX_BUF_LEN, MSG_TRUNC | MSG_DONTWAIT);
	while (n >= 0 || errno == ENOBUFS || errno == EINTR);
	rx->len = rx->off = 0;
}

void kern_close(struct kern *k)
{
	int i;

	if (k->off)
		return;
	cgn_nl_close(&k->cmd);
	close(k->apply_fd);
	for (i = 0; i < 2; i++) {
		nl_socket_free(k->rx[i].sk);
		free(k->rx[i].buf);
	}
}

const char *kern_error(const struct kern *k, int err)
{
	return k->cmd.msg[0] ? k->cmd.msg : strerror(-err);
}

static struct nl_msg *request(struct kern *k, int cmd, int flags,
			      const char *inst)
{
	struct nl_msg *msg = nlmsg_alloc_size(1024);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->cmd.family, 0,
			 flags, cmd, CGN_GENL_VERSION) ||
	    (inst && nla_put_string(msg, CGN_A_INSTANCE, inst))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct names {
	char (*names)[FRAME_NAME_LEN];
	bool *active;		/* NULL: list the active instances only */
	int n, max;
};

static int on_instance(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CGN_A_MAX + 1], *cfg[CGN_CONFIG_A_MAX + 1];
	struct names *nm = arg;
	int role = CGN_ROLE_ACTIVE;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CGN_A_MAX, NULL) ||
	    !tb[CGN_A_INSTANCE] || nla_len(tb[CGN_A_INSTANCE]) > CGN_NAME_LEN)
		return 0;
	if (tb[CGN_A_CONFIG] &&
	    !nla_parse_nested(cfg, CGN_CONFIG_A_MAX, tb[CGN_A_CONFIG], NULL) &&
	    cfg[CGN_CONFIG_A_ROLE] && nla_len(cfg[CGN_CONFIG_A_ROLE]) >= 1)
		role = nla_get_u8(cfg[CGN_CONFIG_A_ROLE]);
	if ((nm->active || role == CGN_ROLE_ACTIVE) && nm->n < nm->max) {
		if (nm->active)
			nm->active[nm->n] = role == CGN_ROLE_ACTIVE;
		nla_strlcpy(nm->names[nm->n++], tb[CGN_A_INSTANCE],
			    FRAME_NAME_LEN);
	}
	return 0;
}

int kern_roles(struct kern *k, char names[][FRAME_NAME_LEN], bool *active,
	       int max)
{
	struct names nm = { .names = names, .active = active, .max = max };
	struct nl_msg *msg;
	int err;

	if (k->off)
		return 0;
	msg = request(k, CGN_CMD_INSTANCE_GET, NLM_F_DUMP, NULL);
	if (!msg)
		return -ENOMEM;
	err = cgn_nl_request(&k->cmd, msg, on_instance, &nm);
	nlmsg_free(msg);
	return err ? err : nm.n;
}

/* The names of the active instances. */
int kern_instances(struct kern *k, char names[][FRAME_NAME_LEN], int max)
{
	return kern_roles(k, names, NULL, max);
}

int kern_set_role(struct kern *k, const char *inst, bool active)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int err;

	if (k->off)
		return 0;
	msg = request(k, CGN_CMD_INSTANCE_SET, 0, inst);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CGN_A_CONFIG);
	if (!nest || nla_put_u8(msg, CGN_CONFIG_A_ROLE, active ? CGN_ROLE_ACTIVE :
				CGN_ROLE_STANDBY)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	err = cgn_nl_request(&k->cmd, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}

/* SYNC_APPLY: a header and the entries, sent from where they are. */
static int apply(struct kern *k, const uint8_t *entries, size_t len)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
		struct nlattr a;
	} h = {
		.nlh = {
			.nlmsg_len = sizeof(h) + len,
			.nlmsg_type = k->cmd.family,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = ++k->apply_seq,
		},
		.g = { .cmd = CGN_CMD_SYNC_APPLY, .version = CGN_GENL_VERSION },
		.a = {
			.nla_len = NLA_HDRLEN + len,
			.nla_type = CGN_A_ENTRIES | NLA_F_NESTED,
		},
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)entries, len } };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr mh = {
		.msg_name = &kernel, .msg_namelen = sizeof(kernel),
		.msg_iov = iov, .msg_iovlen = 2,
	};
	struct nlmsghdr *nlh;
	uint8_t buf[4096];
	ssize_t n;

	k->cmd.msg[0] = '\0';
	if (NLA_HDRLEN + len > UINT16_MAX)
		return -EMSGSIZE;
	if (sendmsg(k->apply_fd, &mh, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(k->apply_fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		nlh = (struct nlmsghdr *)buf;
		if (!nlmsg_ok(nlh, n))
			return -EBADMSG;
		if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == k->apply_seq)
			return cgn_extack_parse(nlh, k->cmd.msg, sizeof(k->cmd.msg));
	}
}

int kern_sync(struct kern *k, int cmd, const char *inst, const uint8_t *entries,
	      size_t len)
{
	struct nl_msg *msg;
	int err;

	if (k->off)
		return 0;
	if (cmd == CGN_CMD_SYNC_APPLY)
		return apply(k, entries, len);
	msg = request(k, cmd, 0, inst);
	if (!msg)
		return -ENOMEM;
	err = cgn_nl_request(&k->cmd, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}

struct digest {
	uint64_t digest;
	uint32_t seq, count;
	bool ok;
};

static int on_digest(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CGN_A_MAX + 1];
	struct digest *d = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CGN_A_MAX, NULL) ||
	    !tb[CGN_A_DIGEST] || nla_len(tb[CGN_A_DIGEST]) < 8 ||
	    !tb[CGN_A_SEQ] || nla_len(tb[CGN_A_SEQ]) < 4)
		return -EBADMSG;
	d->digest = nla_get_u64(tb[CGN_A_DIGEST]);
	d->seq = nla_get_u32(tb[CGN_A_SEQ]);
	if (tb[CGN_A_COUNT] && nla_len(tb[CGN_A_COUNT]) >= 4)
		d->count = nla_get_u32(tb[CGN_A_COUNT]);
	d->ok = true;
	return 0;
}

int kern_digest(struct kern *k, const char *inst, uint64_t *digest,
		uint32_t *seq, uint32_t *count)
{
	struct digest d = { 0 };
	struct nl_msg *msg;
	int err;

	if (k->off)
		return -EOPNOTSUPP;
	msg = request(k, CGN_CMD_SYNC_DIGEST, 0, inst);
	if (!msg)
		return -ENOMEM;
	err = cgn_nl_request(&k->cmd, msg, on_digest, &d);
	nlmsg_free(msg);
	if (!err && !d.ok)
		err = -EBADMSG;
	*digest = d.digest;
	*seq = d.seq;
	*count = d.count;
	return err;
}

int kern_dump_start(struct kern *k, const char *inst)
{
	struct kern_rx *rx = &k->rx[KERN_DUMP];
	struct nl_msg *msg;
	int err;

	if (k->off)
		return 0;
	msg = request(k, CGN_CMD_SYNC_GET, NLM_F_DUMP, inst);
	if (!msg)
		return -ENOMEM;
	rx->len = rx->off = 0;
	err = nl_send_auto(rx->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return -EIO;
	k->dumping = true;
	return 0;
}

void kern_dump_abort(struct kern *k)
{
	struct kern_rx *rx = &k->rx[KERN_DUMP];

	k->dumping = false;
	if (k->off)
		return;
	nl_socket_free(rx->sk);
	free(rx->buf);
	memset(rx, 0, sizeof(*rx));
	if (rx_open(rx, 0))
		rx->fd = -1;
}

void kern_decode(const struct nlmsghdr *nlh, int family, struct kern_msg *m)
{
	struct nlattr *tb[CGN_A_MAX + 1];
	struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	m->kind = KERN_OTHER;
	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR) {
		m->kind = KERN_DONE;
		m->err = cgn_extack_parse(nlh, m->msg, sizeof(m->msg));
		return;
	}
	if (nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	g = nlmsg_data(nlh);
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CGN_A_MAX, NULL))
		return;
	if (g->cmd == CGN_CMD_SYNC_EVENT)
		m->kind = KERN_EVENT;
	else if (g->cmd == CGN_CMD_SYNC_GET)
		m->kind = KERN_ENTRIES;
	else
		return;
	if (tb[CGN_A_SEQ] && nla_len(tb[CGN_A_SEQ]) >= 4) {
		m->has_seq = true;
		m->seq = nla_get_u32(tb[CGN_A_SEQ]);
	}
	m->lost = tb[CGN_A_SYNC_LOST] != NULL;
	if (tb[CGN_A_ENTRIES]) {
		m->entries = nla_data(tb[CGN_A_ENTRIES]);
		m->len = nla_len(tb[CGN_A_ENTRIES]);
	}
}

int kern_peek(struct kern *k, enum kern_sock s, struct kern_msg *m)
{
	struct kern_rx *rx = &k->rx[s];
	struct nlmsghdr *nlh;
	ssize_t n;

	if (k->off || (s == KERN_DUMP && !k->dumping))
		return 0;
	if (rx->off >= rx->len) {
		rx->len = rx->off = 0;
		n = recv(rx->fd, rx->buf, RX_BUF_LEN, MSG_TRUNC);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n > RX_BUF_LEN)
			return -ENOBUFS;	/* truncated: as good as lost */
		rx->len = n;
	}
	nlh = (struct nlmsghdr *)(rx->buf + rx->off);
	if (!nlmsg_ok(nlh, rx->len - rx->off)) {
		rx->len = rx->off = 0;
		return -EBADMSG;
	}
	kern_decode(nlh, k->cmd.family, m);
	if (s == KERN_DUMP && m->kind == KERN_DONE)
		k->dumping = false;
	return 1;
}

void kern_consume(struct kern *k, enum kern_sock s)
{
	struct kern_rx *rx = &k->rx[s];
	struct nlmsghdr *nlh = (struct nlmsghdr *)(rx->buf + rx->off);

	if (rx->off < rx->len)
		rx->off += NLMSG_ALIGN(nlh->nlmsg_len);
}
