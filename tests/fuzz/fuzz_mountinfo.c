// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the mountinfo and namespace-link parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	mountinfo_foreach_buf(buf, visit, NULL);
	free(buf);
	return 0;
}
