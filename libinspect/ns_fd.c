// SPDX-License-Identifier: LGPL-2.1-or-later
/* Questions asked of a namespace file descriptor: nsfs ioctls and RTM_GETNSID. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "inspect/ns.h"
#include "util.h"

#define NSIO 0xb7
#define NS_GET_USERNS _IO(NSIO, 0x1)
#define NS_GET_PARENT _IO(NSIO, 0x2)
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
/* Newer than the uapi headers we build against. */
#define NS_GET_MNTNS_ID _IOR(NSIO, 0x5, uint64_t)	/* Linux 6.8, mount ns only */
#define NS_GET_ID _IOR(NSIO, 0xd, uint64_t)		/* Linux 6.18, every type */

INSP_EXPORT int insp_ns_fd_type(int fd)
{
	int flag = ioctl(fd, NS_GET_NSTYPE);

	if (flag < 0)
		return -errno;
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (insp_ns_type_clone_flag(t) == flag)
			return t;
	return -EINVAL;
}

INSP_EXPORT uint64_t insp_ns_fd_id(int fd)
{
	uint64_t id = 0;

	if (ioctl(fd, NS_GET_ID, &id) == 0)
		return id;
	if (ioctl(fd, NS_GET_MNTNS_ID, &id) == 0)
		return id;
	return 0;
}

static ino_t related_ino(int fd, unsigned long request)
{
	_cleanup_close_ int rel = ioctl(fd, request);
	struct stat st;

	/* EPERM: the relative lies outside our view (e.g. the parent of our own pid ns). */
	if (rel < 0 || fstat(rel, &st) < 0)
		return 0;
	return st.st_ino;
}

INSP_EXPORT ino_t insp_ns_fd_owner(int fd)
{
	return related_ino(fd, NS_GET_USERNS);
}

INSP_EXPORT uint64_t insp_ns_fd_owner_id(int fd)
{
	_cleanup_close_ int owner = ioctl(fd, NS_GET_USERNS);

	return owner < 0 ? 0 : insp_ns_fd_id(owner);
}

INSP_EXPORT ino_t insp_ns_fd_parent(int fd)
{
	return related_ino(fd, NS_GET_PARENT);
}

static int parse_nsid_reply(const char *resp, ssize_t n)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)resp;
	const struct rtattr *a = (const struct rtattr *)(resp + NLMSG_SPACE(sizeof(struct rtgenmsg)));
	int len;

	if (n < 0 || !NLMSG_OK(nh, (size_t)n) || nh->nlmsg_type != RTM_NEWNSID)
		return INSP_NETNSID_UNKNOWN;
	len = (int)nh->nlmsg_len - NLMSG_SPACE(sizeof(struct rtgenmsg));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= sizeof(int32_t)) {
			int32_t id;

			memcpy(&id, RTA_DATA(a), sizeof(id));
			return id < 0 ? INSP_NETNSID_UNASSIGNED : id;
		}
	}
	return INSP_NETNSID_UNKNOWN;
}

/* The id our network namespace uses for another one (ip netns list-id). */
INSP_EXPORT int insp_ns_fd_netnsid(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct rtattr a;
		int32_t fd;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETNSID, .nlmsg_flags = NLM_F_REQUEST },
		.g = { .rtgen_family = AF_UNSPEC },
		.a = { .rta_len = RTA_LENGTH(sizeof(int32_t)), .rta_type = NETNSA_FD },
		.fd = fd,
	};
	char resp[256];
	_cleanup_close_ int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	_Static_assert(offsetof(__typeof__(req), a) == NLMSG_SPACE(sizeof(struct rtgenmsg)), "layout");
	if (sk < 0 || send(sk, &req, sizeof(req), 0) < 0)
		return INSP_NETNSID_UNKNOWN;
	return parse_nsid_reply(resp, recv(sk, resp, sizeof(resp), 0));
}
