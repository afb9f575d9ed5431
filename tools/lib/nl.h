/* SPDX-License-Identifier: GPL-2.0 */
/* A generic netlink socket bound to the cgn family. */
#ifndef CGN_NL_H
#define CGN_NL_H

#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

struct cgn_nl {
	struct nl_sock *sk;
	int family;
	char msg[256];		/* extack message of the last request, or "" */
};

/* Called for each reply; a negative return stops the request with it. */
typedef int (*cgn_reply_fn)(struct nl_msg *msg, void *arg);

/* 0, -ENOENT when the family is not registered, or another -errno. */
int cgn_nl_open(struct cgn_nl *nl);
void cgn_nl_close(struct cgn_nl *nl);

/*
 * Send @msg and feed the replies to @fn until the ack or the end of the dump.
 * Returns 0 or -errno; @nl->msg then holds the kernel's extack message, if
 * any (on success, a warning).
 */
int cgn_nl_request(struct cgn_nl *nl, struct nl_msg *msg, cgn_reply_fn fn,
		   void *arg);

/*
 * The error of an NLMSG_ERROR or NLMSG_DONE message (0 or -errno), and its
 * extack message copied to @buf ("" if none).
 */
int cgn_extack_parse(const struct nlmsghdr *nlh, char *buf, size_t size);

#endif /* CGN_NL_H */
