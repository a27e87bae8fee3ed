// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz container recognition over /proc/PID/cgroup text and single paths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/container.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), out[64];
	struct insp_container_ref ref;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (insp_container_from_cgroup_file(buf, &ref) == 0)
		insp_container_short(&ref, out, sizeof(out));
	if (insp_container_from_cgroup_path(buf, &ref) == 0)
		insp_container_short(&ref, out, sizeof(out));
	free(buf);
	return 0;
}
