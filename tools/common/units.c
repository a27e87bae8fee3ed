// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdio.h>

#include <inspect/cgroup.h>

#include "units.h"

static const char *special(uint64_t v)
{
	return v == INSP_CGROUP_UNKNOWN ? "?" : v == INSP_CGROUP_UNLIMITED ? "max" : NULL;
}

const char *units_bytes(uint64_t v, char *buf, size_t size)
{
	static const char suffix[] = "KMGTPE";
	double d = (double)v;
	int i = -1;

	if (special(v))
		return special(v);
	while (d >= 1024 && i < 5) {
		d /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, size, "%" PRIu64 "B", v);
	else
		snprintf(buf, size, d < 10 && d != (double)(uint64_t)d ? "%.1f%c" : "%.0f%c", d, suffix[i]);
	return buf;
}

const char *units_count(uint64_t v, char *buf, size_t size)
{
	if (special(v))
		return special(v);
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

const char *units_usec(uint64_t v, char *buf, size_t size)
{
	uint64_t s = v / 1000000;

	if (special(v))
		return special(v);
	if (s < 60)
		snprintf(buf, size, "%.2fs", (double)v / 1e6);
	else if (s < 3600)
		snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s / 60 % 60);
	return buf;
}

const char *units_cpu_limit(uint64_t quota, uint64_t period, char *buf, size_t size)
{
	if (special(quota))
		return special(quota);
	if (special(period) || period == 0)
		return "?";
	snprintf(buf, size, "%.2f CPU", (double)quota / (double)period);
	return buf;
}
