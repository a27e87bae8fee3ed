/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cgroup numbers as people read them; "?" for unknown, "max" for unlimited. */
#ifndef NSCTL_UNITS_H
#define NSCTL_UNITS_H

#include <stddef.h>
#include <stdint.h>

const char *units_bytes(uint64_t v, char *buf, size_t size);	/* "512M", "1.5G" */
const char *units_count(uint64_t v, char *buf, size_t size);
const char *units_usec(uint64_t v, char *buf, size_t size);	/* "1.23s", "2h03m" */
/* "max", or "0.50 CPU" from a quota and period. */
const char *units_cpu_limit(uint64_t quota, uint64_t period, char *buf, size_t size);

#endif
