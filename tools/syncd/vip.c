// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses that steer traffic to the board serving an instance (VIPs):
 * added and removed with rtnetlink, announced with gratuitous ARP (IPv4)
 * or an unsolicited neighbour advertisement (IPv6) over AF_PACKET.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "syncd.h"

#define ANNOUNCES	3		/* gratuitous ARPs / NAs per takeover */
#define ANNOUNCE_GAP_MS	200

const char *vip_str(const struct vip *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(v->family, v->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, v->plen);
	return buf;
}

static int rtnl_addr(int cmd, const struct vip *v, int ifindex)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
		char more[256];
	} ack;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int alen = v->family == AF_INET ? 4 : 16, fd, err;
	struct rtattr *rta;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.nh.nlmsg_type = cmd;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			     (cmd == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	req.ifa.ifa_family = v->family;
	req.ifa.ifa_prefixlen = v->plen;
	req.ifa.ifa_index = ifindex;
	req.ifa.ifa_flags = v->family == AF_INET6 ? IFA_F_NODAD : 0;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = IFA_LOCAL;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), v->addr, alen);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	rta = (struct rtattr *)((char *)&req + req.nh.nlmsg_len);
	rta->rta_type = IFA_ADDRESS;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), v->addr, alen);
	req.nh.nlmsg_len += RTA_ALIGN(rta->rta_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	n = recv(fd, &ack, sizeof(ack), 0);
	err = n < 0 ? -errno : (size_t)n < NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	      ack.nh.nlmsg_type != NLMSG_ERROR ? -EBADMSG : ack.err.error;
	close(fd);
	return err;
}

static int hwaddr(const char *dev, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

/*
 * A gratuitous ARP request and reply: sender = target = the address.
 * The packet socket is opened once and kept: closing one waits for an RCU
 * grace period (synchronize_net() in packet_release()), tens of ms on a
 * busy host, between one VIP's announcement and the next VIP. Protocol 0:
 * it sends (sll_protocol says what) but receives nothing.
 */
static void garp(const struct vip *v, int ifindex, const uint8_t mac[6])
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex, .sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	static int fd = -1;
	uint8_t p[28];
	int op;

	if (fd < 0)
		fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		say("gratuitous ARP: %s", strerror(errno));
		return;
	}
	for (op = ARPOP_REQUEST; op <= ARPOP_REPLY; op++) {
		p[0] = 0; p[1] = ARPHRD_ETHER;
		p[2] = 0x08; p[3] = 0x00;
		p[4] = 6; p[5] = 4;
		p[6] = 0; p[7] = op;
		memcpy(p + 8, mac, 6);
		memcpy(p + 14, v->addr, 4);
		if (op == ARPOP_REPLY)
			memcpy(p + 18, mac, 6);	/* a gratuitous reply: tha = sha */
		else
			memset(p + 18, 0, 6);
		memcpy(p + 24, v->addr, 4);
		if (sendto(fd, p, sizeof(p), 0, (struct sockaddr *)&ll,
			   sizeof(ll)) < 0)
			say("gratuitous ARP on %s: %s", v->dev, strerror(errno));
	}
}

/* An unsolicited neighbour advertisement to all nodes, override set. */
static void unsolicited_na(const struct vip *v, int ifindex, const uint8_t mac[6])
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	struct nd_neighbor_advert na = { 0 };
	uint8_t p[sizeof(na) + 8];
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = p, .iov_len = sizeof(p) };
	struct msghdr mh = {
		.msg_name = &dst, .msg_namelen = sizeof(dst), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct in6_pktinfo *pi;
	struct cmsghdr *cm;
	int fd, hops = 255;

	inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0) {
		say("unsolicited NA: %s", strerror(errno));
		return;
	}
	setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	na.nd_na_type = ND_NEIGHBOR_ADVERT;
	na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	memcpy(&na.nd_na_target, v->addr, 16);
	memcpy(p, &na, sizeof(na));
	p[sizeof(na)] = ND_OPT_TARGET_LINKADDR;
	p[sizeof(na) + 1] = 1;
	memcpy(p + sizeof(na) + 2, mac, 6);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(*pi));
	pi = (struct in6_pktinfo *)CMSG_DATA(cm);
	memcpy(&pi->ipi6_addr, v->addr, 16);
	pi->ipi6_ifindex = ifindex;
	if (sendmsg(fd, &mh, 0) < 0)
		say("unsolicited NA on %s: %s", v->dev, strerror(errno));
	close(fd);
}

void vip_announce(struct vip *v)
{
	int ifindex = if_nametoindex(v->dev);
	uint8_t mac[6];

	if (!ifindex || hwaddr(v->dev, mac))
		return;
	if (v->family == AF_INET)
		garp(v, ifindex, mac);
	else
		unsolicited_na(v, ifindex, mac);
	v->announce_ms = now_ms() + ANNOUNCE_GAP_MS;
	if (v->announce_left)
		v->announce_left--;
}

/* Announce a held address again, from the next round on. */
void vip_reannounce(struct vip *v)
{
	v->announce_left = ANNOUNCES;
	v->announce_ms = 0;
}

void vip_set(struct vip *v, bool add, bool quiet)
{
	int ifindex = if_nametoindex(v->dev), err;
	char buf[64];

	if (!ifindex) {
		if (!quiet)
			say("address %s: no device %s", vip_str(v, buf, sizeof(buf)),
			    v->dev);
		v->held = false;
		return;
	}
	err = rtnl_addr(add ? RTM_NEWADDR : RTM_DELADDR, v, ifindex);
	if (err && err != (add ? -EEXIST : -EADDRNOTAVAIL) && !quiet)
		say("cannot %s %s %s %s: %s", add ? "add" : "remove",
		    vip_str(v, buf, sizeof(buf)), add ? "to" : "from", v->dev,
		    strerror(-err));
	v->held = add && (!err || err == -EEXIST);
	if (v->held) {
		v->announce_left = ANNOUNCES;
		vip_announce(v);
	}
	if (!quiet)
		say("address %s %s %s", vip_str(v, buf, sizeof(buf)),
		    add ? "taken on" : "released from", v->dev);
}
