/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CGN_NETNS_H
#define CGN_NETNS_H

/* Move this process to /run/netns/@name; a message on stderr if not. */
int cgn_netns_enter(const char *prog, const char *name);

#endif /* CGN_NETNS_H */
