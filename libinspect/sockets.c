// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sockets of a network namespace through sock_diag: one netlink socket
 * opened inside the namespace (a netlink socket belongs to the namespace it
 * was made in, so the thread returns to its own at once), then one dump per
 * family and protocol. Owners come from /proc/PID/fd links, "socket:[INODE]".
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect/proc.h"
#include "inspect/sockets.h"
#include "netlink.h"
#include "util.h"

static const char *const proto_names[INSP_SOCK_NPROTOS] = {
	[INSP_SOCK_TCP] = "tcp",
	[INSP_SOCK_UDP] = "udp",
	[INSP_SOCK_UNIX_STREAM] = "unix",
	[INSP_SOCK_UNIX_DGRAM] = "unix/dgram",
	[INSP_SOCK_UNIX_SEQPACKET] = "unix/seqpacket",
};

INSP_EXPORT const char *insp_sock_proto_name(enum insp_sock_proto p)
{
	return p < INSP_SOCK_NPROTOS ? proto_names[p] : "?";
}

/* The kernel's TCP_* states, which UDP and unix sockets use too; ss's names. */
INSP_EXPORT const char *insp_sock_state_name(const struct insp_socket *s)
{
	static const char *const names[] = { "?", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
					     "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
					     "NEW-SYN-RECV" };

	return s->state > 0 && (size_t)s->state < sizeof(names) / sizeof(names[0]) ? names[s->state] : "?";
}

INSP_EXPORT int insp_sock_addr_format(const struct insp_sock_addr *a, char *buf, size_t size)
{
	static const uint8_t any[16];
	char text[INET6_ADDRSTRLEN] = "*";
	size_t alen = a->family == AF_INET ? 4 : 16;

	if (!a->family)
		return snprintf(buf, size, "*") < (int)size ? 0 : -ENOSPC;
	if (memcmp(a->addr, any, alen) != 0 && !inet_ntop(a->family, a->addr, text, sizeof(text)))
		return -errno;
	if (!a->port && text[0] == '*')
		return snprintf(buf, size, "*:*") < (int)size ? 0 : -ENOSPC;
	if (snprintf(buf, size, a->family == AF_INET6 && text[0] != '*' ? "[%s]:%u" : "%s:%u", text,
		     (unsigned)a->port) >= (int)size)
		return -ENOSPC;
	return 0;
}

static struct insp_socket *add(struct insp_sockets *out)
{
	struct insp_socket *grown = util_xreallocarray(out->v, out->n + 1, sizeof(*out->v));

	if (!grown)
		return NULL;
	out->v = grown;
	return memset(&out->v[out->n++], 0, sizeof(*out->v));
}

static void set_inet_addr(struct insp_sock_addr *a, int family, const __be32 *addr, __be16 port)
{
	a->family = family;
	memcpy(a->addr, addr, family == AF_INET ? 4 : 16);
	a->port = ntohs(port);
}

static int parse_inet(const struct nlmsghdr *h, int family, enum insp_sock_proto proto, struct insp_sockets *out)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	struct insp_socket *s;
	const struct rtattr *a;
	int len;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -EBADMSG;
	if (m->idiag_family != family)
		return 0;
	if (!(s = add(out)))
		return -ENOMEM;
	s->proto = proto;
	s->family = family;
	s->state = m->idiag_state;
	s->inode = m->idiag_inode;
	s->uid = m->idiag_uid;
	set_inet_addr(&s->local, family, m->id.idiag_src, m->id.idiag_sport);
	set_inet_addr(&s->peer, family, m->id.idiag_dst, m->id.idiag_dport);
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (a = (const struct rtattr *)(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == INET_DIAG_CGROUP_ID && RTA_PAYLOAD(a) >= (int)sizeof(uint64_t))
			memcpy(&s->cgroup_id, RTA_DATA(a), sizeof(uint64_t));
	return 0;
}

/* The bound name: a path, or "@name" for the abstract namespace (a leading NUL). */
static char *unix_name(const struct rtattr *a)
{
	size_t n = (size_t)RTA_PAYLOAD(a);
	const char *p = RTA_DATA(a);
	char *name;

	if (!n)
		return NULL;
	if (!(name = malloc(n + 1)))
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	if (p[0] == '\0')
		name[0] = '@';
	else
		name[strnlen(name, n)] = '\0';
	return name;
}

static int parse_unix(const struct nlmsghdr *h, struct insp_sockets *out)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	struct insp_socket *s;
	const struct rtattr *a;
	int len;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -EBADMSG;
	if (!(s = add(out)))
		return -ENOMEM;
	s->family = AF_UNIX;
	s->proto = m->udiag_type == SOCK_DGRAM	   ? INSP_SOCK_UNIX_DGRAM :
		   m->udiag_type == SOCK_SEQPACKET ? INSP_SOCK_UNIX_SEQPACKET :
						     INSP_SOCK_UNIX_STREAM;
	s->state = m->udiag_state;
	s->inode = m->udiag_ino;
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (a = (const struct rtattr *)(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_NAME && !s->path && !(s->path = unix_name(a)) && RTA_PAYLOAD(a))
			return -ENOMEM;
		if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= (int)sizeof(uint32_t)) {
			uint32_t peer;

			memcpy(&peer, RTA_DATA(a), sizeof(peer));
			s->peer_inode = peer;
		}
	}
	return 0;
}

struct diag_walk {
	int family;
	enum insp_sock_proto proto;
	struct insp_sockets *out;
};

static int parse_one(const struct nlmsghdr *h, void *arg)
{
	struct diag_walk *w = arg;

	return w->family == AF_UNIX ? parse_unix(h, w->out) : parse_inet(h, w->family, w->proto, w->out);
}

INSP_EXPORT int insp_sockets_parse_diag(const void *buf, size_t len, int family, enum insp_sock_proto proto,
					struct insp_sockets *out)
{
	struct diag_walk w = { family, proto, out };

	return netlink_walk(buf, len, SOCK_DIAG_BY_FAMILY, parse_one, &w);
}

static int walk_diag(const void *buf, size_t len, void *arg)
{
	struct diag_walk *w = arg;

	return insp_sockets_parse_diag(buf, len, w->family, w->proto, w->out);
}

static int dump(int nl, const void *req, size_t req_len, int family, enum insp_sock_proto proto,
		struct insp_sockets *out)
{
	struct diag_walk w = { family, proto, out };

	return netlink_dump(nl, req, req_len, walk_diag, &w);
}

static int dump_inet(int nl, int family, int protocol, enum insp_sock_proto proto, unsigned states,
		     struct insp_sockets *out)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (uint8_t)family, .sdiag_protocol = (uint8_t)protocol, .idiag_states = states },
	};

	return dump(nl, &req, sizeof(req), family, proto, out);
}

static int dump_unix(int nl, struct insp_sockets *out)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0u, .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER },
	};

	return dump(nl, &req, sizeof(req), AF_UNIX, INSP_SOCK_UNIX_STREAM, out);
}

/* Per namespace, from its sockstat files: whether a dump of that protocol can find anything. */
struct ns_census {
	bool tcp, tcp6, udp, udp6;
};

/* "TCP: inuse 3 orphan 0 tw 1 ...": the count after key, or -1. */
static long census_field(const char *text, const char *line, const char *key)
{
	const char *l = strstr(text, line), *k;

	if (!l || (l != text && l[-1] != '\n') || !(k = strstr(l, key)) || memchr(l, '\n', (size_t)(k - l)))
		return -1;
	return strtol(k + strlen(key), NULL, 10);
}

/*
 * Walking the TCP hash costs a millisecond per dump whatever the namespace
 * holds (the table is the host's), so dumps that cannot find a socket are
 * skipped. The counts are the namespace the thread is in; unreadable ones
 * mean "look".
 */
static struct ns_census read_census(void)
{
	char v4[1024], v6[1024];
	long tcp, tw, tcp6, udp, udp6;

	if (util_read_at(AT_FDCWD, "/proc/thread-self/net/sockstat", v4, sizeof(v4)) < 0 ||
	    util_read_at(AT_FDCWD, "/proc/thread-self/net/sockstat6", v6, sizeof(v6)) < 0)
		return (struct ns_census){ true, true, true, true };
	tcp = census_field(v4, "TCP: ", "inuse ");
	tw = census_field(v4, "TCP: ", " tw ");
	tcp6 = census_field(v6, "TCP6: ", "inuse ");
	udp = census_field(v4, "UDP: ", "inuse ");
	udp6 = census_field(v6, "UDP6: ", "inuse ");
	/* TIME-WAIT sockets of both families are counted together. */
	return (struct ns_census){ .tcp = tcp != 0 || tw != 0, .tcp6 = tcp6 != 0 || tw != 0, .udp = udp != 0,
				   .udp6 = udp6 != 0 };
}

static void census_inside(void *arg)
{
	*(struct ns_census *)arg = read_census();
}

INSP_EXPORT int insp_sockets_read(int netns_fd, unsigned flags, struct insp_sockets *out, struct insp_error *err)
{
	struct ns_census census;
	_cleanup_close_ int nl = netns_netlink(netns_fd, NETLINK_SOCK_DIAG, census_inside, &census, err);
	const struct {
		int family, protocol;
		enum insp_sock_proto proto;
		bool present;
	} inet[] = { { AF_INET, IPPROTO_TCP, INSP_SOCK_TCP, census.tcp },
		     { AF_INET6, IPPROTO_TCP, INSP_SOCK_TCP, census.tcp6 },
		     { AF_INET, IPPROTO_UDP, INSP_SOCK_UDP, census.udp },
		     { AF_INET6, IPPROTO_UDP, INSP_SOCK_UDP, census.udp6 } };
	int r = 0;

	*out = (struct insp_sockets){ 0 };
	if (nl < 0)
		return nl;
	for (size_t i = 0; r == 0 && i < sizeof(inet) / sizeof(inet[0]); i++) {
		/* Listeners only: the kernel then skips the established hash altogether. */
		unsigned states = (flags & INSP_SOCKETS_LISTENING) && inet[i].proto == INSP_SOCK_TCP ? 1u << 10 : ~0u;

		if (!inet[i].present || !(flags & (1u << inet[i].proto) || !(flags & INSP_SOCKETS_PROTOS)))
			continue;
		r = dump_inet(nl, inet[i].family, inet[i].protocol, inet[i].proto, states, out);
		/* A kernel without IPv6 (or UDP diag) has no such sockets. */
		if (r == -ENOENT || r == -EAFNOSUPPORT)
			r = 0;
	}
	if (r == 0 && (!(flags & INSP_SOCKETS_PROTOS) || (flags & INSP_SOCKETS_UNIX)))
		r = dump_unix(nl, out);
	if (r == -ENOENT)
		r = 0;
	if (r < 0) {
		insp_sockets_free(out);
		return insp_error_set(err, -r, "sock_diag");
	}
	return 0;
}

static int by_inode(const void *a, const void *b)
{
	const struct insp_socket *x = *(struct insp_socket *const *)a, *y = *(struct insp_socket *const *)b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* "socket:[12345]" */
static uint64_t socket_inode(const char *link)
{
	uint64_t ino = 0;

	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	for (link += 8; *link >= '0' && *link <= '9'; link++)
		ino = ino * 10 + (uint64_t)(*link - '0');
	return *link == ']' ? ino : 0;
}

static void note_holder(struct insp_socket **index, size_t n, uint64_t ino, pid_t pid)
{
	struct insp_socket key = { .inode = ino }, *k = &key, **hit;

	if (!ino || !(hit = bsearch(&k, index, n, sizeof(*index), by_inode)))
		return;
	/* Several fds of one process: count it once (its fds are read in a row). */
	if ((*hit)->pid == pid && (*hit)->holders)
		return;
	if (!(*hit)->pid || pid < (*hit)->pid)
		(*hit)->pid = pid;
	(*hit)->holders++;
}

static void scan_fds(struct insp_socket **index, size_t n, pid_t pid)
{
	char path[40], link[64];
	_cleanup_close_ int fd = -1;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || !(dir = fdopendir(fd)))
		return;
	fd = -1;
	while ((d = readdir(dir))) {
		ssize_t len = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);

		if (len <= 0)
			continue;
		link[len] = '\0';
		note_holder(index, n, socket_inode(link), pid);
	}
	closedir(dir);
}

INSP_EXPORT void insp_sockets_owners(struct insp_sockets *s, struct insp_procs *procs, ino_t net_ino)
{
	_cleanup_free_ struct insp_socket **index = util_xreallocarray(NULL, s->n + 1, sizeof(*index));

	if (!index || !s->n)
		return;
	for (size_t i = 0; i < s->n; i++)
		index[i] = &s->v[i];
	qsort(index, s->n, sizeof(*index), by_inode);
	for (size_t i = 0; i < insp_procs_count(procs); i++) {
		const struct insp_proc *p = insp_procs_at(procs, i);

		if (!net_ino || p->ns_ino[INSP_NS_NET] == net_ino)
			scan_fds(index, s->n, p->pid);
	}
}

INSP_EXPORT void insp_sockets_free(struct insp_sockets *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	*s = (struct insp_sockets){ 0 };
}
