// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing of numbers, addresses, prefixes and names. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

int cgn_parse_u32(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		n = n * 10 + (*s - '0');
		if (n > UINT32_MAX)
			return -EINVAL;
	}
	*v = n;
	return 0;
}

int cgn_parse_addr(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*addr = a.s_addr;
	return 0;
}

int cgn_parse_prefix(const char *s, struct cgn_prefix *p)
{
	const char *slash = strchr(s, '/');
	char addr[INET_ADDRSTRLEN];
	uint32_t a, len = 32;

	if (!slash)
		slash = s + strlen(s);
	else if (cgn_parse_u32(slash + 1, &len) || len > 32)
		return -EINVAL;
	if (slash - s >= (long)sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (cgn_parse_addr(addr, &a))
		return -EINVAL;
	p->addr = a;
	p->len = len;
	return 0;
}

int cgn_parse_ports(const char *s, uint16_t *min, uint16_t *max)
{
	const char *dash = strchr(s, '-');
	char lo[12];
	uint32_t a, b;

	if (!dash || dash - s >= (long)sizeof(lo))
		return -EINVAL;
	memcpy(lo, s, dash - s);
	lo[dash - s] = '\0';
	if (cgn_parse_u32(lo, &a) || cgn_parse_u32(dash + 1, &b) ||
	    a < 1 || a > b || b > 65535)
		return -EINVAL;
	*min = a;
	*max = b;
	return 0;
}

int cgn_parse_name(const char *s, char name[CGN_NAME_LEN])
{
	size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

	if (!len || s[len] || len >= CGN_NAME_LEN)
		return -EINVAL;
	memcpy(name, s, len + 1);
	return 0;
}

const char *cgn_fmt_addr(uint32_t addr, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = addr };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

const char *cgn_fmt_prefix(const struct cgn_prefix *p,
			   char buf[CGN_PREFIX_STRLEN])
{
	char addr[INET_ADDRSTRLEN];

	snprintf(buf, CGN_PREFIX_STRLEN, "%s/%u",
		 cgn_fmt_addr(p->addr, addr), p->len);
	return buf;
}
