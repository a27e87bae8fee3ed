// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A cgroup's usage and limits as numbers, for every frontend alike (inspect,
 * cgroup tree, top, the exporter). Files are read through the knob routes,
 * so v1 hierarchies answer with v2 names and units; each format has one
 * parser here.
 */
#include <string.h>

#include "cgroup_internal.h"
#include "util.h"

/* A one-value file: a number, or "max". */
static uint64_t parse_value(const char *text)
{
	uint64_t v;

	if (strcmp(text, "max") == 0)
		return INSP_CGROUP_UNLIMITED;
	return util_parse_u64(text, &v) == 0 ? v : INSP_CGROUP_UNKNOWN;
}

static char *get(const struct insp_cgroup *cg, const char *knob)
{
	char *text = NULL;

	return insp_cgroup_get(cg, knob, &text, NULL) == 0 ? text : NULL;
}

static uint64_t value(const struct insp_cgroup *cg, const char *knob)
{
	_cleanup_free_ char *text = get(cg, knob);

	return text ? parse_value(text) : INSP_CGROUP_UNKNOWN;
}

static uint64_t key_of(const char *text, const char *key)
{
	uint64_t v;

	return text && insp_cgroup_keyed(text, key, &v) == 0 ? v : INSP_CGROUP_UNKNOWN;
}

static void read_memory(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	s->memory_current = value(cg, "memory.current");
	s->memory_max = value(cg, "memory.max");
}

static void read_memory_more(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	s->memory_high = value(cg, "memory.high");
	s->memory_peak = value(cg, "memory.peak");
	s->memory_swap_current = value(cg, "memory.swap.current");
	s->memory_swap_max = value(cg, "memory.swap.max");
}

/* The working set: usage less the inactive file pages the kernel would drop first. */
static void read_memory_stat(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	_cleanup_free_ char *text = get(cg, "memory.stat");
	uint64_t current = s->memory_current, inactive;

	if (current >= INSP_CGROUP_UNKNOWN)
		current = value(cg, "memory.current");
	/* v1 counts the hierarchy under total_; v2 always does. */
	inactive = key_of(text, "total_inactive_file");
	if (inactive == INSP_CGROUP_UNKNOWN)
		inactive = key_of(text, "inactive_file");
	if (current < INSP_CGROUP_UNKNOWN && inactive != INSP_CGROUP_UNKNOWN)
		s->memory_working_set = current > inactive ? current - inactive : 0;
}

static void read_memory_events(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	_cleanup_free_ char *text = get(cg, "memory.events");

	s->memory_oom = key_of(text, "oom");
	s->memory_oom_kill = key_of(text, "oom_kill");
}

static void read_pids(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	s->pids_current = value(cg, "pids.current");
	s->pids_max = value(cg, "pids.max");
}

/* "QUOTA PERIOD" or "max PERIOD". */
void cgroup_stats_parse_cpu_max(const char *text, struct insp_cgroup_stats *s)
{
	const char *sp = strchr(text, ' ');
	char quota[32];

	if (!sp || (size_t)(sp - text) >= sizeof(quota))
		return;
	memcpy(quota, text, (size_t)(sp - text));
	quota[sp - text] = '\0';
	s->cpu_quota_usec = parse_value(quota);
	s->cpu_period_usec = parse_value(sp + 1);
}

static void read_cpu(const struct insp_cgroup *cg, struct insp_cgroup_stats *s)
{
	_cleanup_free_ char *stat = get(cg, "cpu.stat");

	/* cpu.stat's usage exists without the cpu controller on v2: the core keeps it. */
	s->cpu_usage_usec = key_of(stat, "usage_usec");
	s->cpu_user_usec = key_of(stat, "user_usec");
	s->cpu_system_usec = key_of(stat, "system_usec");
	s->cpu_nr_periods = key_of(stat, "nr_periods");
	s->cpu_nr_throttled = key_of(stat, "nr_throttled");
	s->cpu_throttled_usec = key_of(stat, "throttled_usec");
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." per device, summed. */
void cgroup_stats_parse_io(const char *text, struct insp_cgroup_stats *s)
{
	static const char *const keys[] = { "rbytes=", "wbytes=", "rios=", "wios=" };
	uint64_t *sums[] = { &s->io_read_bytes, &s->io_write_bytes, &s->io_read_ios, &s->io_write_ios };

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		*sums[k] = 0;
	for (const char *p = text; *p; p += strcspn(p, " \n"), p += strspn(p, " \n"))
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			size_t len = strlen(keys[k]), n;
			char word[24];
			uint64_t v;

			if (strncmp(p, keys[k], len) != 0 || (n = strcspn(p + len, " \n")) >= sizeof(word))
				continue;
			memcpy(word, p + len, n);
			word[n] = '\0';
			if (util_parse_u64(word, &v) == 0)
				*sums[k] += v;
		}
}

static void read_psi(const struct insp_cgroup *cg, const char *knob, struct insp_cgroup_psi *out)
{
	_cleanup_free_ char *text = get(cg, knob);

	if (!text || insp_cgroup_psi_parse(text, out) < 0)
		memset(out, 0, sizeof(*out));
}

INSP_EXPORT void insp_cgroup_stats_read(const struct insp_cgroup *cg, unsigned groups, struct insp_cgroup_stats *s)
{
	_cleanup_free_ char *io = NULL, *max = NULL;
	const uint64_t u = INSP_CGROUP_UNKNOWN;

	*s = (struct insp_cgroup_stats){
		.memory_current = u, .memory_max = u, .memory_high = u, .memory_peak = u,
		.memory_swap_current = u, .memory_swap_max = u, .memory_working_set = u,
		.memory_oom = u, .memory_oom_kill = u, .pids_current = u, .pids_max = u,
		.cpu_quota_usec = u, .cpu_period_usec = u, .cpu_usage_usec = u, .cpu_user_usec = u,
		.cpu_system_usec = u, .cpu_nr_periods = u, .cpu_nr_throttled = u, .cpu_throttled_usec = u,
		.io_read_bytes = u, .io_write_bytes = u, .io_read_ios = u, .io_write_ios = u,
	};
	if (groups & INSP_CGSTAT_MEMORY)
		read_memory(cg, s);
	if (groups & INSP_CGSTAT_MEMORY_MORE)
		read_memory_more(cg, s);
	if (groups & INSP_CGSTAT_MEMORY_STAT)
		read_memory_stat(cg, s);
	if (groups & INSP_CGSTAT_MEMORY_EVENTS)
		read_memory_events(cg, s);
	if (groups & INSP_CGSTAT_PIDS)
		read_pids(cg, s);
	if (groups & INSP_CGSTAT_CPU)
		read_cpu(cg, s);
	if ((groups & INSP_CGSTAT_CPU_MAX) && (max = get(cg, "cpu.max")))
		cgroup_stats_parse_cpu_max(max, s);
	if ((groups & INSP_CGSTAT_IO) && (io = get(cg, "io.stat")))
		cgroup_stats_parse_io(io, s);
	if (groups & INSP_CGSTAT_PSI) {
		read_psi(cg, "cpu.pressure", &s->psi_cpu);
		read_psi(cg, "memory.pressure", &s->psi_memory);
		read_psi(cg, "io.pressure", &s->psi_io);
	}
}
