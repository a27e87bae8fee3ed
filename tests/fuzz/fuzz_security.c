// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the parsers of inspect's inputs: id maps, capability masks and names
 * typed by users, and /proc/PID/cgroup resolved against mountinfo. The
 * input is split at the first NUL: mountinfo before, the rest after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/caps.h"
#include "inspect/cgroup.h"
#include "inspect/security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *second;
	struct insp_idmap map;
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_membership m;
	uint64_t mask;
	uint32_t inside;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	second = buf + strlen(buf) + 1;
	if (insp_idmap_parse(buf, &map) == 0) {
		insp_idmap_to_inside(&map, 1000, &inside);
		insp_idmap_free(&map);
	}
	if (insp_caps_parse(buf, &mask) == 0)
		free(insp_caps_describe(mask));
	if (insp_cgroup_hierarchies_parse(&hs, buf, "#subsys\ncpu\t1\t1\t1\nmemory\t4\t1\t1\n", NULL) == 0) {
		if (insp_cgroup_membership_parse(second, hs, &m) == 0) {
			insp_cgroup_membership_for(&m, hs, "memory");
			insp_cgroup_membership_free(&m);
		}
		insp_cgroup_hierarchies_free(hs);
	}
	free(buf);
	return 0;
}
