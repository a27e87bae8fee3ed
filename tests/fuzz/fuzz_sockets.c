// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the sock_diag reply parser: whatever the buffer, every socket it
 * yields has a known protocol and family, and a unix name is a terminated
 * string. The first byte picks the dump the reply answers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "inspect/sockets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = { AF_INET, AF_INET6, AF_UNIX };
	struct insp_sockets s = { 0 };
	void *buf;
	int family;

	if (size < 1)
		return 0;
	family = families[data[0] % 3];
	/* Netlink buffers are aligned; the kernel's always are. */
	if (!(buf = aligned_alloc(8, (size + 7) & ~(size_t)7)))
		return 0;
	memcpy(buf, data + 1, size - 1);
	insp_sockets_parse_diag(buf, size - 1, family, family == AF_UNIX ? INSP_SOCK_UNIX_STREAM : INSP_SOCK_TCP, &s);
	for (size_t i = 0; i < s.n; i++) {
		if (s.v[i].proto >= INSP_SOCK_NPROTOS || s.v[i].family != (family == AF_UNIX ? AF_UNIX : family))
			abort();
		if (s.v[i].path)
			(void)strlen(s.v[i].path);
	}
	insp_sockets_free(&s);
	free(buf);
	return 0;
}
