// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the parsers of what users type as cgroup values and of the kernel's cgroup files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t bits[CGV_MAX_CPUS / 64], allowed[CGV_MAX_CPUS / 64];
	struct insp_error err;
	struct cgv_cpu_max cpu;
	struct cgv_io_max io;
	struct insp_cgroup_psi psi;
	struct insp_cgroup_stats stats;
	char *text, *half, buf[512], *path = NULL, *io_text = NULL;
	unsigned first;
	uint64_t v;
	bool on;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cgv_parse_bytes(text, &v, &err);
	cgv_parse_count(text, &v, &err);
	cgv_parse_bool(text, &on, &err);
	cgv_parse_cpu_max(text, size % 2 ? 100000 : 0, &cpu, &err);
	/* Device paths would stat arbitrary files: MAJ:MIN only. */
	if (text[0] != '/' && cgv_parse_io_max(text, &io, &err) == 0)
		cgv_format_io_max(&io, buf, sizeof(buf));
	if (cgv_parse_cpus(text, bits, &err) == 0) {
		cgv_format_cpus(bits, buf, sizeof(buf));
		cgv_cpus_outside(bits, allowed, &first);
	}
	insp_cgroup_psi_parse(text, &psi);
	insp_cgroup_keyed(text, "nr_throttled", &v);
	cgroup_stats_parse_io(text, &stats);
	cgroup_stats_parse_cpu_max(text, &stats);
	if (insp_cgroup_path_normalize(text, &path, &err) == 0)
		free(path);
	/* Two v1 blkio files: the input's halves. */
	if ((half = strdup(text + size / 2))) {
		text[size / 2] = '\0';
		if (cgroup_v1_io_stat(text, half, &io_text) == 0) {
			cgroup_stats_parse_io(io_text, &stats);
			free(io_text);
		}
		free(half);
	}
	free(text);
	return 0;
}
