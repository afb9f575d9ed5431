// SPDX-License-Identifier: GPL-2.0
/* A generic netlink socket bound to the cgn family, with extended acks. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <cgn.h>

#include "nl.h"

struct request {
	struct cgn_nl *nl;
	cgn_reply_fn fn;
	void *arg;
	int err;
	bool done;
};

/* A libnl failure: keep its text as the message. */
static int nl_fail(struct cgn_nl *nl, int nlerr)
{
	snprintf(nl->msg, sizeof(nl->msg), "%s", nl_geterror(nlerr));
	return -EIO;
}

int cgn_nl_open(struct cgn_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err)
		goto fail;
	/* Older kernels lack them: the messages are just less helpful. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sk);

	err = genl_ctrl_resolve(nl->sk, CGN_GENL_NAME);
	if (err < 0)
		goto fail;
	nl->family = err;
	return 0;

fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err == -NLE_OBJ_NOTFOUND ? -ENOENT : nl_fail(nl, err);
}

void cgn_nl_close(struct cgn_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;
	int err = r->fn ? r->fn(msg, r->arg) : 0;

	if (err < 0) {
		r->err = err;
		r->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

/* The ack, or the end of a dump: both may carry an error and a message. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	r->err = cgn_extack_parse(nlmsg_hdr(msg), r->nl->msg,
				  sizeof(r->nl->msg));
	r->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (void *)((char *)e - NLMSG_HDRLEN);
	struct request *r = arg;

	(void)nla;
	r->err = cgn_extack_parse(nlh, r->nl->msg, sizeof(r->nl->msg));
	r->done = true;
	return NL_STOP;
}

int cgn_nl_request(struct cgn_nl *nl, struct nl_msg *msg, cgn_reply_fn fn,
		   void *arg)
{
	struct request r = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->msg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);

	err = nl_send_auto(nl->sk, msg);
	if (err < 0)
		r.err = nl_fail(nl, err);
	while (err >= 0 && !r.done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !r.done)
			r.err = nl_fail(nl, err);
	}
	nl_cb_put(cb);
	return r.err;
}
