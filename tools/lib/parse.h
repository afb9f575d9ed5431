/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing and printing of numbers, addresses, prefixes and names. */
#ifndef CGN_PARSE_H
#define CGN_PARSE_H

#include <netinet/in.h>

#include "types.h"

/* "a.b.c.d/nn" and its NUL */
#define CGN_PREFIX_STRLEN	(INET_ADDRSTRLEN + 3)

/* All return 0, or -EINVAL leaving the result untouched. */
int cgn_parse_u32(const char *s, uint32_t *v);		/* decimal only */
int cgn_parse_addr(const char *s, uint32_t *addr);	/* dotted quad */
int cgn_parse_prefix(const char *s, struct cgn_prefix *p); /* no /N: /32 */
int cgn_parse_ports(const char *s, uint16_t *min, uint16_t *max);
int cgn_parse_name(const char *s, char name[CGN_NAME_LEN]);

const char *cgn_fmt_addr(uint32_t addr, char buf[INET_ADDRSTRLEN]);
const char *cgn_fmt_prefix(const struct cgn_prefix *p,
			   char buf[CGN_PREFIX_STRLEN]);

#endif /* CGN_PARSE_H */
