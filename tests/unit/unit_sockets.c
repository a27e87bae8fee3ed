// SPDX-License-Identifier: GPL-2.0-or-later
/* sock_diag replies (the fuzz seeds) parsed into sockets; addresses formatted as ss shows them. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "inspect/sockets.h"
#include "../lib/tap.h"

/* A seed (tests run from the top of the project): its first byte picks the dump, the rest is the reply. */
static int parse_seed(const char *name, int family, struct insp_sockets *s)
{
	static char buf[4096] __attribute__((aligned(8)));
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "tests/fuzz/corpus/sockets/%s", name);
	if (!(f = fopen(path, "rb")))
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n < 1)
		return -1;
	/* Netlink replies are aligned: drop the selector byte by moving, not by offset. */
	memmove(buf, buf + 1, n - 1);
	return insp_sockets_parse_diag(buf, n - 1, family, family == AF_UNIX ? INSP_SOCK_UNIX_STREAM : INSP_SOCK_TCP, s);
}

TEST(tcp_listener)
{
	struct insp_sockets s = { 0 };
	char addr[64];

	CHECK_INT(parse_seed("tcp4", AF_INET, &s), 1);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.v[0].state, 10);
	CHECK_STR(insp_sock_state_name(&s.v[0]), "LISTEN");
	CHECK_INT(s.v[0].inode, 12345);
	CHECK_INT(s.v[0].cgroup_id, 4242);
	insp_sock_addr_format(&s.v[0].local, addr, sizeof(addr));
	CHECK_STR(addr, "127.0.0.1:8080");
	insp_sock_addr_format(&s.v[0].peer, addr, sizeof(addr));
	CHECK_STR(addr, "*:*");
	insp_sockets_free(&s);
}

TEST(unix_names_and_peers)
{
	struct insp_sockets s = { 0 };

	CHECK_INT(parse_seed("unix", AF_UNIX, &s), 1);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.v[0].path, "/run/x.sock");
	CHECK_INT(s.v[0].peer_inode, 778);
	CHECK_STR(s.v[1].path, "@abstract");
	CHECK_STR(insp_sock_proto_name(s.v[1].proto), "unix");
	insp_sockets_free(&s);
}

TEST(error_reply)
{
	struct insp_sockets s = { 0 };

	CHECK_INT(parse_seed("error", AF_INET6, &s), -2);
	CHECK_INT(s.n, 0);
}

TEST(ipv6_format)
{
	struct insp_sock_addr a = { .family = AF_INET6, .port = 53 };
	char buf[64];

	inet_pton(AF_INET6, "::1", a.addr);
	insp_sock_addr_format(&a, buf, sizeof(buf));
	CHECK_STR(buf, "[::1]:53");
	memset(a.addr, 0, sizeof(a.addr));
	insp_sock_addr_format(&a, buf, sizeof(buf));
	CHECK_STR(buf, "*:53");
}

TAP_MAIN("sockets", TEST_ENTRY(tcp_listener), TEST_ENTRY(unix_names_and_peers), TEST_ENTRY(error_reply),
	 TEST_ENTRY(ipv6_format))
