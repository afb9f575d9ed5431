// SPDX-License-Identifier: GPL-2.0
/*
 * Session state and timers. TCP is tracked coarsely, as a NAT needs it
 * (RFC 5382, RFC 7857): a session is established once the handshake was
 * seen both ways and transitory before that and after a FIN each way or a
 * RST. Established sessions get the long timer, transitory the short one.
 */
#include <linux/jiffies.h>
#include <linux/tcp.h>

#include "cgn.h"

static u8 tcp_next(struct cgn_session *s, const struct tcphdr *th, int dir)
{
	u8 state = s->state;

	if (th->rst)
		return CGN_TCP_CLOSED;
	if (th->fin) {
		s->fin |= dir;
		return s->fin == (CGN_DIR_OUT | CGN_DIR_IN) ? CGN_TCP_CLOSED : CGN_TCP_FIN;
	}
	switch (state) {
	case CGN_TCP_NONE:
	case CGN_TCP_CLOSED:
		if (th->syn && !th->ack) {
			s->fin = 0;
			return dir == CGN_DIR_OUT ? CGN_TCP_SYN_OUT : CGN_TCP_SYN_IN;
		}
		/* mid-stream pickup (e.g. after a takeover): trust it */
		return state == CGN_TCP_NONE ? CGN_TCP_ESTABLISHED : state;
	case CGN_TCP_SYN_OUT:
		return dir == CGN_DIR_IN && th->syn ? CGN_TCP_ESTABLISHED : state;
	case CGN_TCP_SYN_IN:
		/* simultaneous open or an inbound SYN answered from inside */
		return dir == CGN_DIR_OUT && th->syn ? CGN_TCP_ESTABLISHED : state;
	default:
		return state;
	}
}

u32 cgn_timeout(const struct cgn_config *cfg, u8 proto, u8 state)
{
	switch (proto) {
	case IPPROTO_TCP:
		return state == CGN_TCP_ESTABLISHED ? READ_ONCE(cfg->timeout_tcp_est) :
						      READ_ONCE(cfg->timeout_tcp_trans);
	case IPPROTO_UDP:
		return READ_ONCE(cfg->timeout_udp);
	default:
		return READ_ONCE(cfg->timeout_icmp);
	}
}

/*
 * Called for every translated packet, locklessly: concurrent updates of
 * one TCP session may race, and the last writer wins, as in conntrack's
 * own fast path for timers. The state only ever moves between valid values.
 * Returns whether the TCP state changed (the peer board wants to know).
 */
bool cgn_session_refresh(struct cgn_session *s, const struct cgn_config *cfg,
			 u8 proto, const void *l4, int dir)
{
	u8 state = s->state;
	u32 expires;
	bool changed = false;

	if (proto == IPPROTO_TCP) {
		state = tcp_next(s, l4, dir);
		if (state != s->state) {
			WRITE_ONCE(s->state, state);
			changed = true;
		}
	}
	expires = jiffies + cgn_timeout(cfg, proto, state) * HZ;
	if (READ_ONCE(s->expires) != expires)
		WRITE_ONCE(s->expires, expires);
	return changed;
}
