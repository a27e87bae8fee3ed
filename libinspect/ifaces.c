// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Interfaces of a network namespace from rtnetlink (one link dump, one
 * address dump), and the other end of every veth. A veth names its peer
 * only by index and by the id its own namespace gives the peer's, so
 * pairing matches index pairs across namespaces and asks the kernel for
 * the id only when two namespaces could hold the peer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "inspect/sockets.h"
#include "netlink.h"
#include "util.h"

static struct insp_iface *by_index(struct insp_ifaces *ifs, int ifindex)
{
	for (size_t i = 0; i < ifs->n; i++)
		if (ifs->v[i].ifindex == ifindex)
			return &ifs->v[i];
	return NULL;
}

static void copy_str(char *dst, size_t size, const struct rtattr *a)
{
	size_t n = RTA_PAYLOAD(a) < size ? RTA_PAYLOAD(a) : size - 1;

	memcpy(dst, RTA_DATA(a), n);
	dst[n] = '\0';
	dst[strnlen(dst, n)] = '\0';
}

static void parse_linkinfo(struct insp_iface *f, const struct rtattr *info)
{
	int len = (int)RTA_PAYLOAD(info);

	for (const struct rtattr *a = RTA_DATA(info); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_INFO_KIND)
			copy_str(f->kind, sizeof(f->kind), a);
}

static uint32_t u32_of(const struct rtattr *a)
{
	uint32_t v = 0;

	memcpy(&v, RTA_DATA(a), RTA_PAYLOAD(a) < sizeof(v) ? RTA_PAYLOAD(a) : sizeof(v));
	return v;
}

static int parse_link(const struct nlmsghdr *h, struct insp_ifaces *out)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	struct insp_iface *v, *f;

	if (len < 0)
		return -EBADMSG;
	if (!(v = util_xreallocarray(out->v, out->n + 1, sizeof(*v))))
		return -ENOMEM;
	out->v = v;
	f = &v[out->n++];
	*f = (struct insp_iface){ .ifindex = ifi->ifi_index, .flags = ifi->ifi_flags, .link_netnsid = -1,
				  .peer_ns = -1, .peer_iface = -1 };
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case IFLA_IFNAME: copy_str(f->name, sizeof(f->name), a); break;
		case IFLA_MTU: f->mtu = u32_of(a); break;
		case IFLA_LINK: f->link_ifindex = (int)u32_of(a); break;
		case IFLA_LINK_NETNSID: f->link_netnsid = (int)u32_of(a); break;
		case IFLA_LINKINFO: parse_linkinfo(f, a); break;
		case IFLA_ADDRESS:
			if (RTA_PAYLOAD(a) == sizeof(f->mac)) {
				memcpy(f->mac, RTA_DATA(a), sizeof(f->mac));
				f->has_mac = true;
			}
			break;
		}
	}
	return 0;
}

static int parse_addr(const struct nlmsghdr *h, struct insp_ifaces *out)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
	size_t want = ifa->ifa_family == AF_INET ? 4 : 16;
	const struct rtattr *addr = NULL, *local = NULL;
	struct insp_iface *f;
	struct insp_iface_addr *v;

	if (len < 0)
		return -EBADMSG;
	if ((ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) || !(f = by_index(out, (int)ifa->ifa_index)))
		return 0;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_ADDRESS)
			addr = a;
		else if (a->rta_type == IFA_LOCAL)
			local = a;
	/* On a point-to-point link IFA_ADDRESS is the peer's: IFA_LOCAL is ours. */
	if (local)
		addr = local;
	if (!addr || RTA_PAYLOAD(addr) != want)
		return 0;
	if (!(v = util_xreallocarray(f->addrs, f->naddrs + 1, sizeof(*v))))
		return -ENOMEM;
	f->addrs = v;
	v[f->naddrs] = (struct insp_iface_addr){ .family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen };
	memcpy(v[f->naddrs++].addr, RTA_DATA(addr), want);
	return 0;
}

static int parse_one(const struct nlmsghdr *h, void *out)
{
	if (h->nlmsg_type == RTM_NEWLINK)
		return parse_link(h, out);
	return h->nlmsg_type == RTM_NEWADDR ? parse_addr(h, out) : 0;
}

INSP_EXPORT int insp_ifaces_parse_reply(const void *buf, size_t len, struct insp_ifaces *out)
{
	return netlink_walk(buf, len, -1, parse_one, out);
}

static int walk_reply(const void *buf, size_t len, void *out)
{
	return insp_ifaces_parse_reply(buf, len, out);
}

static int dump(int nl, int type, struct insp_ifaces *out)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = (uint16_t)type,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		  .g = { .rtgen_family = AF_UNSPEC } };

	return netlink_dump(nl, &req, sizeof(req), walk_reply, out);
}

INSP_EXPORT int insp_ifaces_read(int netns_fd, struct insp_ifaces *out, struct insp_error *err)
{
	_cleanup_close_ int nl = netns_netlink(netns_fd, NETLINK_ROUTE, NULL, NULL, err);
	int r;

	*out = (struct insp_ifaces){ 0 };
	if (nl < 0)
		return nl;
	r = dump(nl, RTM_GETLINK, out);
	if (r == 0)
		r = dump(nl, RTM_GETADDR, out);
	if (r < 0) {
		insp_ifaces_free(out);
		return insp_error_set(err, -r, "rtnetlink");
	}
	return 0;
}

INSP_EXPORT void insp_ifaces_free(struct insp_ifaces *ifs)
{
	for (size_t i = 0; i < ifs->n; i++)
		free(ifs->v[i].addrs);
	free(ifs->v);
	*ifs = (struct insp_ifaces){ 0 };
}

INSP_EXPORT int insp_iface_addr_format(const struct insp_iface_addr *a, char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->addr, text, sizeof(text)))
		return -EINVAL;
	return snprintf(buf, size, "%s/%u", text, a->prefixlen) < (int)size ? 0 : -ENOSPC;
}

/* The id the namespace of `in` gives the namespace of `of`; -1 if none (or unknown). */
static int nsid_of(int in, int of)
{
	_cleanup_close_ int nl = netns_netlink(in, NETLINK_ROUTE, NULL, NULL, NULL);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
		char pad[3];
		struct rtattr fd_attr;
		uint32_t fd;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETNSID, .nlmsg_flags = NLM_F_REQUEST },
		  .g = { .rtgen_family = AF_UNSPEC },
		  .fd_attr = { .rta_len = RTA_LENGTH(sizeof(uint32_t)), .rta_type = NETNSA_FD },
		  .fd = (uint32_t)of };
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	ssize_t n;

	if (nl < 0 || sendto(nl, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0 ||
	    (n = recv(nl, buf, sizeof(buf), 0)) < (ssize_t)NLMSG_LENGTH(sizeof(struct rtgenmsg)) ||
	    h->nlmsg_type != RTM_NEWNSID || h->nlmsg_len > (size_t)n)
		return -1;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(struct rtgenmsg));
	for (const struct rtattr *a = (const struct rtattr *)((const char *)NLMSG_DATA(h) +
							      NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= sizeof(int32_t))
			return (int)u32_of(a);
	return -1;
}

static bool is_peer_of(const struct insp_iface *w, const struct insp_iface *v)
{
	return w->link_ifindex == v->ifindex && !strcmp(w->kind, "veth");
}

static struct insp_iface *candidate(struct insp_netns_ifaces *set, size_t a, size_t b, const struct insp_iface *v)
{
	struct insp_iface *w = b == a ? NULL : by_index(&set[b].ifaces, v->link_ifindex);

	return w && is_peer_of(w, v) ? w : NULL;
}

static void pair_one(struct insp_netns_ifaces *set, size_t n, size_t a, struct insp_iface *v)
{
	size_t count = 0, first = 0;

	if (v->link_netnsid < 0) {
		struct insp_iface *w = by_index(&set[a].ifaces, v->link_ifindex);

		if (w) {
			v->peer_ns = (ssize_t)a;
			v->peer_iface = w - set[a].ifaces.v;
		}
		return;
	}
	for (size_t b = 0; b < n; b++)
		if (candidate(set, a, b, v) && !count++)
			first = b;
	/* Index pairs repeat across namespaces: then the id this namespace gives the candidate's settles it. */
	for (size_t b = first; count && b < n; b++) {
		struct insp_iface *w = candidate(set, a, b, v);

		if (w && (count == 1 || nsid_of(set[a].fd, set[b].fd) == v->link_netnsid)) {
			v->peer_ns = (ssize_t)b;
			v->peer_iface = w - set[b].ifaces.v;
			return;
		}
	}
}

INSP_EXPORT void insp_ifaces_pair(struct insp_netns_ifaces *set, size_t n)
{
	for (size_t a = 0; a < n; a++)
		for (size_t i = 0; i < set[a].ifaces.n; i++) {
			struct insp_iface *v = &set[a].ifaces.v[i];

			if (!strcmp(v->kind, "veth") && v->link_ifindex > 0)
				pair_one(set, n, a, v);
		}
}
