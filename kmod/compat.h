/* SPDX-License-Identifier: GPL-2.0 */
/* Differences between the kernels cgn builds for (6.1 and later). */
#ifndef _CGN_COMPAT_H
#define _CGN_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define cgn_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define cgn_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* skb_gso_validate_network_len() moved to its own header in 6.4 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>
#endif

#endif /* _CGN_COMPAT_H */
