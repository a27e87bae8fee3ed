// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the rtnetlink link and address parser: whatever the reply, every
 * interface it yields has a terminated name and kind, and every address a
 * family it can format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "inspect/sockets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_ifaces ifs = { 0 };
	char text[64];
	void *buf;

	/* Netlink buffers are aligned; the kernel's always are. */
	if (!(buf = aligned_alloc(8, (size + 8) & ~(size_t)7)))
		return 0;
	memcpy(buf, data, size);
	insp_ifaces_parse_reply(buf, size, &ifs);
	for (size_t i = 0; i < ifs.n; i++) {
		if (strnlen(ifs.v[i].name, sizeof(ifs.v[i].name)) == sizeof(ifs.v[i].name) ||
		    strnlen(ifs.v[i].kind, sizeof(ifs.v[i].kind)) == sizeof(ifs.v[i].kind))
			abort();
		for (size_t k = 0; k < ifs.v[i].naddrs; k++)
			if (insp_iface_addr_format(&ifs.v[i].addrs[k], text, sizeof(text)) < 0)
				abort();
	}
	insp_ifaces_free(&ifs);
	free(buf);
	return 0;
}
