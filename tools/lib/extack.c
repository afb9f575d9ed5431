// SPDX-License-Identifier: GPL-2.0
/* Extended ack: the error and message of NLMSG_ERROR and NLMSG_DONE. */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "nl.h"

int cgn_extack_parse(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	const char *data = NLMSG_DATA(nlh);
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t len, off;
	struct nlattr *a;
	int error;

	buf[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	len = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (len < sizeof(error))
			return 0;
		memcpy(&error, data, sizeof(error));
		off = sizeof(error);
	} else {
		if (len < sizeof(*e))
			return -EBADMSG;
		error = e->error;
		off = sizeof(*e);
		/* The request follows unless capped; its header is in e->msg. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > NLMSG_HDRLEN)
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return error;

	a = nla_find((const struct nlattr *)(data + off), len - off,
		     NLMSGERR_ATTR_MSG);
	if (a && nla_len(a) > 0)
		nla_strlcpy(buf, a, size);
	return error;
}
