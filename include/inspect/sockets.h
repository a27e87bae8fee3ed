/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sockets of a network namespace, as the kernel's sock_diag reports
 * them (TCP and UDP over IPv4 and IPv6, unix), and the processes that hold
 * them, without entering anything but the namespace's netlink.
 */
#ifndef INSPECT_SOCKETS_H
#define INSPECT_SOCKETS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct insp_proc;
struct insp_procs;

enum insp_sock_proto {
	INSP_SOCK_TCP,
	INSP_SOCK_UDP,
	INSP_SOCK_UNIX_STREAM,
	INSP_SOCK_UNIX_DGRAM,
	INSP_SOCK_UNIX_SEQPACKET,
	INSP_SOCK_NPROTOS
};

struct insp_sock_addr {
	int family;			/* AF_INET, AF_INET6; 0 for none */
	uint8_t addr[16];		/* network order, 4 bytes for AF_INET */
	uint16_t port;			/* host order */
};

struct insp_socket {
	enum insp_sock_proto proto;
	int family;			/* AF_INET, AF_INET6, AF_UNIX */
	int state;			/* TCP_* numbering (TCP_LISTEN 10); UDP and unix too */
	struct insp_sock_addr local, peer;
	char *path;			/* unix: the bound name ("@name" for abstract), NULL if unbound */
	uint64_t peer_inode;		/* unix: the other end, 0 if none */
	uint64_t inode;
	uint32_t uid;			/* inet only */
	uint64_t cgroup_id;		/* inet: the v2 cgroup of the socket's creator; 0 unknown */
	pid_t pid;			/* the lowest pid holding it; 0 unknown */
	size_t holders;			/* processes holding it */
};

struct insp_sockets {
	struct insp_socket *v;
	size_t n;
};

/* "tcp", "udp", "unix" (with the type: "unix/dgram"...) */
const char *insp_sock_proto_name(enum insp_sock_proto p);
/* "LISTEN", "ESTAB", "UNCONN"... as ss(8) names them. */
const char *insp_sock_state_name(const struct insp_socket *s);
/* "127.0.0.1:80", "[::1]:53", "*:22" (unspecified address), "*:*" (nothing). */
int insp_sock_addr_format(const struct insp_sock_addr *a, char *buf, size_t size);

/* What insp_sockets_read dumps: no protocol bit means all of them. */
enum insp_sockets_flags {
	INSP_SOCKETS_TCP = 1u << INSP_SOCK_TCP,
	INSP_SOCKETS_UDP = 1u << INSP_SOCK_UDP,
	INSP_SOCKETS_UNIX = 1u << INSP_SOCK_UNIX_STREAM,	/* every unix type */
	INSP_SOCKETS_PROTOS = INSP_SOCKETS_TCP | INSP_SOCKETS_UDP | INSP_SOCKETS_UNIX,
	INSP_SOCKETS_LISTENING = 1u << 16,	/* TCP: listeners only (others still get every state) */
};

/*
 * The TCP, UDP and unix sockets of the network namespace netns_fd refers to
 * (an fd of /proc/PID/ns/net or an nsfs mount). The calling thread joins
 * that namespace just long enough to open a netlink socket and read its
 * sockstat counts, then returns to its own. Needs CAP_SYS_ADMIN (setns) for
 * a namespace not the caller's.
 */
int insp_sockets_read(int netns_fd, unsigned flags, struct insp_sockets *out, struct insp_error *err);

/*
 * Fill pid and holders from the open files of the processes of procs whose
 * network namespace is net_ino (0: all of them). Processes that vanish or
 * deny their fds are skipped.
 */
void insp_sockets_owners(struct insp_sockets *s, struct insp_procs *procs, ino_t net_ino);

void insp_sockets_free(struct insp_sockets *s);

/* Append the sockets of one sock_diag reply: 1 at the end of the dump, 0 for more, or -errno. */
int insp_sockets_parse_diag(const void *buf, size_t len, int family, enum insp_sock_proto proto,
			    struct insp_sockets *out);

/* ---- interfaces of a network namespace, and where each veth's other end is */

struct insp_iface_addr {
	int family;			/* AF_INET, AF_INET6 */
	uint8_t addr[16];
	uint8_t prefixlen;
};

struct insp_iface {
	int ifindex;
	char name[16];			/* the namespace's owner chose it: untrusted text */
	char kind[16];			/* "veth", "bridge"...; "" for a plain device */
	unsigned flags;			/* IFF_* */
	unsigned mtu;
	uint8_t mac[6];
	bool has_mac;
	int link_ifindex;		/* IFLA_LINK: a veth's peer, by its index there; 0 for none */
	int link_netnsid;		/* IFLA_LINK_NETNSID as this namespace numbers the peer's; -1: same one */
	struct insp_iface_addr *addrs;
	size_t naddrs;
	/* Set by insp_ifaces_pair: the peer's namespace (index into the set) and interface. */
	ssize_t peer_ns, peer_iface;	/* -1 when not found */
};

struct insp_ifaces {
	struct insp_iface *v;
	size_t n;
};

/* Links and addresses of the namespace netns_fd names (rtnetlink dumps; the thread stays in its own). */
int insp_ifaces_read(int netns_fd, struct insp_ifaces *out, struct insp_error *err);
void insp_ifaces_free(struct insp_ifaces *ifs);

/* Append the links (RTM_NEWLINK) or addresses (RTM_NEWADDR) of one reply: 1 at the end, 0 for more, -errno. */
int insp_ifaces_parse_reply(const void *buf, size_t len, struct insp_ifaces *out);

/* "1.2.3.4/24", "fe80::1/64" */
int insp_iface_addr_format(const struct insp_iface_addr *a, char *buf, size_t size);

/* One namespace's interfaces, with an open fd of it for pairing. */
struct insp_netns_ifaces {
	ino_t ino;
	int fd;
	struct insp_ifaces ifaces;
};

/*
 * Find each veth's other end among the namespaces of the set: by the pair
 * of interface indexes, and where several namespaces could hold it, by the
 * id its namespace gives the candidate's (RTM_GETNSID).
 */
void insp_ifaces_pair(struct insp_netns_ifaces *set, size_t n);

#ifdef __cplusplus
}
#endif

#endif
