// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the mountinfo and namespace-link parsers, and the mount table built
 * from a process's mountinfo against a host's (the input split at its
 * first NUL): every mount has its strings, and an overlay's layers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/mounts.h"
#include "mountinfo.h"
#include "ns_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int visit(const struct mountinfo_entry *e, void *data)
{
	enum insp_ns_type type;
	ino_t ino;

	(void)data;
	/* Touch every field the parser handed out. */
	if (strlen(e->root) + strlen(e->target) + strlen(e->fstype) + strlen(e->source) +
		    strlen(e->options) + strlen(e->super_options) == (size_t)-1)
		abort();
	ns_parse_link(e->root, &type, &ino);
	return 0;
}

static void mount_table(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *host;
	struct insp_mounts m;
	char prop[64];

	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	host = buf + strlen(buf) + 1;
	if (insp_mounts_parse(buf, host, false, &m) == 0) {
		for (size_t i = 0; i < m.n; i++)
			if (!m.v[i].target || !m.v[i].fstype || (m.v[i].nlower && !m.v[i].lower[0]) ||
			    insp_mount_propagation(&m.v[i], prop, sizeof(prop)) < 0)
				abort();
		insp_mounts_root(&m);
		insp_mounts_free(&m);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	mountinfo_foreach_buf(buf, visit, NULL);
	free(buf);
	mount_table(data, size);
	return 0;
}
