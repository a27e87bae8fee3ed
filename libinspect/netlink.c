// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A netlink socket belongs to the namespace it was made in, so the thread
 * need stay in another namespace only for the socket() call. Replies are
 * walked with every length checked: a dump's bytes come from the kernel,
 * but the parsers are fuzzed as if they did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>

#include "netlink.h"
#include "util.h"

int netns_netlink(int netns_fd, int protocol, void (*inside)(void *), void *arg, struct insp_error *err)
{
	_cleanup_close_ int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	struct stat a, b;
	bool other;
	int nl, e;

	if (own < 0 || fstat(own, &a) < 0 || fstat(netns_fd, &b) < 0)
		return insp_error_set(err, errno, "network namespace");
	other = a.st_ino != b.st_ino || a.st_dev != b.st_dev;
	if (other && setns(netns_fd, CLONE_NEWNET) < 0)
		return insp_error_set(err, errno, "setns(net)");
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	e = errno;
	if (inside)
		inside(arg);
	/* Staying in the other namespace would make every later socket of ours its. */
	if (other && setns(own, CLONE_NEWNET) < 0)
		abort();
	return nl < 0 ? insp_error_set(err, e, "socket(AF_NETLINK, %d)", protocol) : nl;
}

int netlink_walk(const void *buf, size_t len, int type, int (*each)(const struct nlmsghdr *h, void *arg),
		 void *arg)
{
	const char *p = buf, *end = p + len;
	int r = 0;

	while (r == 0 && (size_t)(end - p) >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;

		if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > (size_t)(end - p))
			return -EBADMSG;
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			return h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error < 0 ? e->error : -EBADMSG;
		}
		if (type < 0 || h->nlmsg_type == type)
			r = each(h, arg);
		p += NLMSG_ALIGN(h->nlmsg_len) < (size_t)(end - p) ? NLMSG_ALIGN(h->nlmsg_len) : (size_t)(end - p);
	}
	return r;
}

int netlink_dump(int nl, const void *req, size_t req_len, int (*walk)(const void *buf, size_t len, void *arg),
		 void *arg)
{
	static __thread char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int r;

	if (sendto(nl, req, req_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	do {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EBADMSG;
		r = walk(buf, (size_t)n, arg);
	} while (r == 0);
	return r < 0 ? r : 0;
}
