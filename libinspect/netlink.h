/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Netlink for sockets.c and ifaces.c: a socket of another network namespace, dumps and their replies. */
#ifndef INSPECT_NETLINK_H
#define INSPECT_NETLINK_H

#include <stddef.h>
#include <linux/netlink.h>

#include <inspect/error.h>

/*
 * A netlink socket (protocol NETLINK_*) of the namespace netns_fd names:
 * the calling thread joins it, runs inside(arg) if given, opens the socket
 * and returns to its own namespace. The fd, or -errno.
 */
int netns_netlink(int netns_fd, int protocol, void (*inside)(void *), void *arg, struct insp_error *err);

/*
 * Walk one reply buffer, calling each(h, arg) for every message of type
 * `type`: 1 at the end of the dump, 0 for more, or -errno (the kernel's
 * error, a malformed message, or what each returned).
 */
int netlink_walk(const void *buf, size_t len, int type, int (*each)(const struct nlmsghdr *h, void *arg),
		 void *arg);

/* Send a dump request and hand every reply buffer to walk(buf, len, arg) until it returns non-zero. */
int netlink_dump(int nl, const void *req, size_t req_len, int (*walk)(const void *buf, size_t len, void *arg),
		 void *arg);

#endif
