// SPDX-License-Identifier: GPL-2.0
/* Extended acks: errors and messages of NLMSG_ERROR and NLMSG_DONE. */
#include <errno.h>
#include <stdbool.h>

#include "nl.h"
#include "unit.h"

static union {
	struct nlmsghdr nlh;
	char buf[512];
} m;

static size_t put(size_t off, const void *data, size_t len)
{
	memcpy(m.buf + off, data, len);
	return NLMSG_ALIGN(off + len);
}

static size_t put_attr(size_t off, int type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	off = put(off, &a, sizeof(a));
	return put(off, data, len);
}

/*
 * What the kernel sends for a refused request of @req_len bytes: the error,
 * the request (unless @capped) and the TLVs (if @msg).
 */
static void fake_error(int error, size_t req_len, bool capped, const char *msg)
{
	struct nlmsgerr e = { .error = error };
	size_t off = NLMSG_HDRLEN;

	memset(&m, 0, sizeof(m));
	e.msg.nlmsg_len = req_len;
	e.msg.nlmsg_type = 0x2a;
	off = put(off, &e, sizeof(e));
	if (!capped)
		off += NLMSG_ALIGN(req_len - NLMSG_HDRLEN);	/* zeroed body */
	if (msg) {
		off = put_attr(off, NLMSGERR_ATTR_OFFS, &(uint32_t){ 36 }, 4);
		off = put_attr(off, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
	}
	m.nlh.nlmsg_len = off;
	m.nlh.nlmsg_type = NLMSG_ERROR;
	m.nlh.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (msg ? NLM_F_ACK_TLVS : 0);
}

void test_extack(void)
{
	char buf[64];
	size_t off;

	unit_begin("extack: capped error with a message");
	fake_error(-EEXIST, 48, true, "instance exists");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -EEXIST);
	CHECK_STR(buf, "instance exists");
	unit_end();

	unit_begin("extack: uncapped error with a message after the request");
	fake_error(-EINVAL, 64, false, "prefix has host bits set");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -EINVAL);
	CHECK_STR(buf, "prefix has host bits set");
	unit_end();

	unit_begin("extack: uncapped error with an unaligned request");
	fake_error(-ENOENT, 37, false, "no such instance");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -ENOENT);
	CHECK_STR(buf, "no such instance");
	unit_end();

	unit_begin("extack: error without a message");
	fake_error(-EPERM, 48, true, NULL);
	strcpy(buf, "stale");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -EPERM);
	CHECK_STR(buf, "");
	unit_end();

	unit_begin("extack: ack with a warning");
	fake_error(0, 48, true, "timeout rounded up");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "timeout rounded up");
	unit_end();

	unit_begin("extack: long message is cut to the buffer");
	fake_error(-EINVAL, 48, true, "0123456789012345678901234567890123456789");
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, 11), -EINVAL);
	CHECK_STR(buf, "0123456789");
	unit_end();

	unit_begin("extack: truncated error message");
	fake_error(-EINVAL, 48, true, "x");
	m.nlh.nlmsg_len = NLMSG_HDRLEN + 8;
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -EBADMSG);
	CHECK_STR(buf, "");
	unit_end();

	unit_begin("extack: TLVs flagged but cut off");
	fake_error(-EINVAL, 48, true, "gone");
	m.nlh.nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -EINVAL);
	CHECK_STR(buf, "");
	unit_end();

	unit_begin("extack: NLMSG_DONE of a failed dump");
	memset(&m, 0, sizeof(m));
	off = put(NLMSG_HDRLEN, &(int){ -ENOENT }, sizeof(int));
	off = put_attr(off, NLMSGERR_ATTR_MSG, "no such instance", 17);
	m.nlh.nlmsg_len = off;
	m.nlh.nlmsg_type = NLMSG_DONE;
	m.nlh.nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), -ENOENT);
	CHECK_STR(buf, "no such instance");
	unit_end();

	unit_begin("extack: NLMSG_DONE of a good dump");
	memset(&m, 0, sizeof(m));
	m.nlh.nlmsg_len = put(NLMSG_HDRLEN, &(int){ 0 }, sizeof(int));
	m.nlh.nlmsg_type = NLMSG_DONE;
	m.nlh.nlmsg_flags = NLM_F_MULTI;
	CHECK_INT(cgn_extack_parse(&m.nlh, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	unit_end();
}
