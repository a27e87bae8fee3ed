// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cgroup values as people type them ("1.5G", "50%", "0-3,6", "8:0 rbps=10M")
 * turned into what the kernel takes, with the kernel's own bounds checked
 * first so that a bad value never reaches a file.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cgroup_internal.h"
#include "util.h"

#define MICRO 1000000u
/* The kernel keeps cfs bandwidth in 2^44 - 1 us at most (MAX_BW). */
#define CPU_QUOTA_LIMIT ((1ULL << 44) - 1)
#define CPU_PERIOD_MIN 1000u
#define CPU_PERIOD_MAX 1000000u
#define CPU_QUOTA_MIN 1000u
/* Kernel byte limits are longs; page counters clamp anything larger. */
#define BYTES_LIMIT ((uint64_t)INT64_MAX)

const char *const cgv_io_keys[CGV_IO_KEYS] = { "rbps", "wbps", "riops", "wiops" };

static bool is_max(const char *s)
{
	return strcmp(s, "max") == 0 || strcmp(s, "infinity") == 0;
}

/*
 * A decimal with up to six fraction digits, as millionths, at *p. More
 * fraction digits are refused rather than silently rounded.
 */
static int take_decimal(const char **p, unsigned __int128 *micro)
{
	const char *s = *p;
	unsigned __int128 v = 0;
	unsigned frac = 0, scale = MICRO;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++, digits = true) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v > UINT64_MAX)
			return -ERANGE;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			if (scale == 1)
				return -EINVAL;
			scale /= 10;
			frac += (unsigned)(*s - '0') * scale;
		}
	}
	if (!digits)
		return -EINVAL;
	*micro = v * MICRO + frac;
	*p = s;
	return 0;
}

static int unit_shift(const char *u, unsigned *shift)
{
	static const char units[] = "KMGTPE";
	const char *at;

	if (!*u || strcasecmp(u, "B") == 0) {
		*shift = 0;
		return 0;
	}
	at = strchr(units, u[0] & ~0x20);
	if (!at || !u[0])
		return -EINVAL;
	/* "K", "k", "KB", "KiB": binary, as the kernel's memparse reads them. */
	if (u[1] && strcasecmp(u + 1, "B") != 0 && strcasecmp(u + 1, "iB") != 0)
		return -EINVAL;
	*shift = 10 * (unsigned)(at - units + 1);
	return 0;
}

int cgv_parse_bytes(const char *s, uint64_t *out, struct insp_error *err)
{
	unsigned __int128 micro, bytes;
	const char *p = s;
	unsigned shift;
	int r;

	if (is_max(s)) {
		*out = INSP_CGROUP_UNLIMITED;
		return 0;
	}
	if (*s == '-')
		return insp_error_input(err, EINVAL, "\"%s\": a size cannot be negative", s);
	if ((r = take_decimal(&p, &micro)) < 0)
		return r == -ERANGE ? insp_error_input(err, ERANGE, "\"%s\": larger than the kernel's limit", s)
				    : insp_error_input(err, EINVAL, "\"%s\": not a size (e.g. 512M, 1.5G, max)", s);
	if (unit_shift(p, &shift) < 0)
		return insp_error_input(err, EINVAL, "\"%s\": unknown unit \"%s\" (K, M, G, T, P, E)",
					  s, p);
	if (micro > ((unsigned __int128)BYTES_LIMIT * MICRO) >> shift)
		return insp_error_input(err, ERANGE, "\"%s\": larger than the kernel's limit", s);
	bytes = micro << shift;
	if (bytes % MICRO)
		return insp_error_input(err, EINVAL, "\"%s\": not a whole number of bytes", s);
	*out = (uint64_t)(bytes / MICRO);
	return 0;
}

int cgv_parse_range(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		    struct insp_error *err)
{
	uint64_t v;
	int r = util_parse_u64(s, &v);

	if (r == -EINVAL)
		return insp_error_input(err, EINVAL, "\"%s\": not a whole number", s);
	if (r < 0 || v < min || v > max)
		return insp_error_input(err, ERANGE, "\"%s\": out of range %" PRIu64 "..%" PRIu64,
					  s, min, max);
	*out = v;
	return 0;
}

int cgv_parse_count(const char *s, uint64_t *out, struct insp_error *err)
{
	if (is_max(s)) {
		*out = INSP_CGROUP_UNLIMITED;
		return 0;
	}
	return cgv_parse_range(s, 0, INT32_MAX, out, err);
}

/* "1.5", "1.5cpu", "150%": a share of one CPU in millionths. */
static int take_cpus(const char *s, unsigned __int128 *micro, bool *percent)
{
	const char *p = s;

	if (take_decimal(&p, micro) < 0)
		return -EINVAL;
	*percent = *p == '%';
	if (*percent)
		p++;
	else if (strcasecmp(p, "cpu") == 0 || strcasecmp(p, "cpus") == 0)
		p += strlen(p);
	return *p ? -EINVAL : 0;
}

int cgv_parse_cpu_max(const char *s, uint64_t period_now, struct cgv_cpu_max *out,
		      struct insp_error *err)
{
	char quota[32], period[32], extra;
	unsigned __int128 micro, quota_us;
	uint64_t q, per = 0;
	bool percent;
	int r, n = sscanf(s, "%31s %31s %c", quota, period, &extra);

	if (n < 1 || n > 2)
		return insp_error_input(err, EINVAL,
					  "\"%s\": expected QUOTA [PERIOD], N%%, CPUS or max", s);
	if (n == 2 && (r = cgv_parse_range(period, CPU_PERIOD_MIN, CPU_PERIOD_MAX, &per, err)) < 0) {
		insp_error_prefix(err, "period");
		return r;
	}
	out->period = per;
	if (is_max(quota)) {
		out->quota = INSP_CGROUP_UNLIMITED;
		return 0;
	}
	/* A bare number under 1000 cannot be a quota (1 ms minimum): it counts CPUs. */
	if (n == 1 && take_cpus(quota, &micro, &percent) == 0 &&
	    (percent || strchr(quota, '.') || strpbrk(quota, "cC") || micro < 1000ULL * MICRO)) {
		if (percent)
			micro /= 100;
		per = period_now ? period_now : 100000;
		quota_us = micro * per / MICRO;
		if (quota_us > CPU_QUOTA_LIMIT)
			return insp_error_input(err, ERANGE, "\"%s\": too many CPUs", s);
		out->quota = (uint64_t)quota_us;
		return cgv_check_cpu_max(out, err);
	}
	if (util_parse_u64(quota, &q) < 0)
		return insp_error_input(err, EINVAL,
					  "\"%s\": expected QUOTA [PERIOD], N%%, CPUS or max", s);
	out->quota = q;
	return cgv_check_cpu_max(out, err);
}

int cgv_check_cpu_max(const struct cgv_cpu_max *c, struct insp_error *err)
{
	if (c->period && (c->period < CPU_PERIOD_MIN || c->period > CPU_PERIOD_MAX))
		return insp_error_input(err, ERANGE, "period %" PRIu64 " us: out of range %u..%u",
					  c->period, CPU_PERIOD_MIN, CPU_PERIOD_MAX);
	if (c->quota == INSP_CGROUP_UNLIMITED)
		return 0;
	if (c->quota < CPU_QUOTA_MIN)
		return insp_error_input(err, ERANGE,
					  "quota %" PRIu64 " us: below the kernel's minimum of %u us",
					  c->quota, CPU_QUOTA_MIN);
	if (c->quota > CPU_QUOTA_LIMIT)
		return insp_error_input(err, ERANGE, "quota %" PRIu64 " us: above the kernel's limit",
					  c->quota);
	return 0;
}

static int parse_device(const char *dev, unsigned *major, unsigned *minor, struct insp_error *err)
{
	struct stat st;
	char end;

	if (dev[0] == '/') {
		if (stat(dev, &st) < 0)
			return insp_error_input(err, errno, "%s: %s", dev, strerror(errno));
		if (!S_ISBLK(st.st_mode))
			return insp_error_input(err, EINVAL, "%s: not a block device", dev);
		*major = major(st.st_rdev);
		*minor = minor(st.st_rdev);
		return 0;
	}
	if (sscanf(dev, "%u:%u%c", major, minor, &end) != 2 || !strchr(dev, ':') || dev[0] == '-' ||
	    strchr(dev, ' ') || strchr(dev, '+') || strstr(dev, ":-") || strstr(dev, ":+"))
		return insp_error_input(err, EINVAL, "\"%s\": expected MAJ:MIN or /dev/NAME", dev);
	return 0;
}

static int parse_io_pair(const char *pair, struct cgv_io_max *out, struct insp_error *err)
{
	const char *eq = strchr(pair, '=');
	size_t k;

	for (k = 0; eq && k < CGV_IO_KEYS; k++)
		if (strlen(cgv_io_keys[k]) == (size_t)(eq - pair) &&
		    strncmp(pair, cgv_io_keys[k], (size_t)(eq - pair)) == 0)
			break;
	if (!eq || k == CGV_IO_KEYS)
		return insp_error_input(err, EINVAL, "\"%s\": expected rbps=, wbps=, riops= or wiops=",
					  pair);
	out->set[k] = true;
	if (k <= CGV_WBPS)
		return cgv_parse_bytes(eq + 1, &out->v[k], err);
	if (is_max(eq + 1)) {
		out->v[k] = INSP_CGROUP_UNLIMITED;
		return 0;
	}
	return cgv_parse_range(eq + 1, 1, UINT32_MAX, &out->v[k], err);
}

int cgv_parse_io_max(const char *s, struct cgv_io_max *out, struct insp_error *err)
{
	_cleanup_free_ char *copy = strdup(s);
	char *save = NULL, *tok;
	int r;

	*out = (struct cgv_io_max){ 0 };
	if (!copy)
		return insp_error_set(err, ENOMEM, "io.max");
	tok = strtok_r(copy, " \t", &save);
	if (!tok)
		return insp_error_input(err, EINVAL, "empty: expected DEVICE KEY=VALUE...");
	r = parse_device(tok, &out->major, &out->minor, err);
	if (r < 0)
		return r;
	while ((tok = strtok_r(NULL, " \t", &save)))
		if ((r = parse_io_pair(tok, out, err)) < 0)
			return r;
	for (size_t k = 0; k < CGV_IO_KEYS; k++)
		if (out->set[k])
			return 0;
	return insp_error_input(err, EINVAL, "\"%s\": no rbps=, wbps=, riops= or wiops= given", s);
}

static int take_cpu(const char **p, unsigned *cpu)
{
	uint64_t v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (uint64_t)(*s - '0')) >= CGV_MAX_CPUS)
			return -ERANGE;
	*cpu = (unsigned)v;
	*p = s;
	return 0;
}

int cgv_parse_cpus(const char *s, uint64_t *bits, struct insp_error *err)
{
	const char *p = s;

	memset(bits, 0, CGV_MAX_CPUS / 8);
	while (*p && *p != '\n') {
		unsigned lo, hi;
		int r = take_cpu(&p, &lo);

		hi = lo;
		if (r == 0 && *p == '-') {
			p++;
			r = take_cpu(&p, &hi);
		}
		if (r == -ERANGE)
			return insp_error_input(err, ERANGE, "\"%s\": cpu or node above %u", s,
						  CGV_MAX_CPUS - 1);
		if (r < 0 || hi < lo || (*p && *p != ',' && *p != '\n'))
			return insp_error_input(err, EINVAL, "\"%s\": expected a list such as 0-3,6", s);
		for (unsigned c = lo; c <= hi; c++)
			bits[c / 64] |= 1ULL << (c % 64);
		if (*p == ',')
			p++;
	}
	return 0;
}

bool cgv_cpus_outside(const uint64_t *bits, const uint64_t *allowed, unsigned *first)
{
	for (unsigned w = 0; w < CGV_MAX_CPUS / 64; w++) {
		uint64_t extra = bits[w] & ~allowed[w];

		if (extra) {
			*first = w * 64 + (unsigned)__builtin_ctzll(extra);
			return true;
		}
	}
	return false;
}

static bool bit(const uint64_t *bits, unsigned c)
{
	return c < CGV_MAX_CPUS && (bits[c / 64] >> (c % 64) & 1);
}

void cgv_format_cpus(const uint64_t *bits, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < CGV_MAX_CPUS && len < size; c++) {
		unsigned end = c;
		int n;

		if (!bit(bits, c))
			continue;
		while (bit(bits, end + 1))
			end++;
		n = end == c ? snprintf(buf + len, size - len, "%s%u", len ? "," : "", c)
			     : snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "", c, end);
		len += (size_t)n;
		c = end;
	}
}

int cgv_parse_bool(const char *s, bool *out, struct insp_error *err)
{
	static const char *const yes[] = { "1", "true", "yes", "on", "frozen" };
	static const char *const no[] = { "0", "false", "no", "off", "thawed" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return 0;
		}
	}
	return insp_error_input(err, EINVAL, "\"%s\": expected 1 or 0", s);
}

void cgv_format_u64(uint64_t v, char *buf, size_t size)
{
	if (v == INSP_CGROUP_UNLIMITED)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%" PRIu64, v);
}

void cgv_format_io_max(const struct cgv_io_max *io, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "%u:%u", io->major, io->minor);

	for (size_t k = 0; k < CGV_IO_KEYS && len < size; k++) {
		char v[24];

		cgv_format_u64(io->v[k], v, sizeof(v));
		len += (size_t)snprintf(buf + len, size - len, " %s=%s", cgv_io_keys[k], v);
	}
}

uint64_t cgv_weight_to_shares(uint64_t weight)
{
	return 2 + ((weight - 1) * 262142) / 9999;
}

uint64_t cgv_shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

INSP_EXPORT int insp_cgroup_keyed(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char num[24];
		size_t n;

		if (strncmp(p, key, klen) != 0 || p[klen] != ' ')
			continue;
		n = strcspn(p + klen + 1, "\n");
		if (n >= sizeof(num))
			return -ERANGE;
		snprintf(num, sizeof(num), "%.*s", (int)n, p + klen + 1);
		return util_parse_u64(num, out);
	}
	return -ENOENT;
}

static void parse_psi_line(const char *line, struct insp_cgroup_psi_line *out)
{
	unsigned long long total;

	if (sscanf(line, "avg10=%lf avg60=%lf avg300=%lf total=%llu", &out->avg10, &out->avg60, &out->avg300,
		   &total) == 4) {
		out->total_us = total;
		out->present = true;
	}
}

INSP_EXPORT int insp_cgroup_psi_parse(const char *text, struct insp_cgroup_psi *out)
{
	*out = (struct insp_cgroup_psi){ 0 };
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "some ", 5) == 0)
			parse_psi_line(p + 5, &out->some);
		else if (strncmp(p, "full ", 5) == 0)
			parse_psi_line(p + 5, &out->full);
	}
	return out->some.present ? 0 : -EINVAL;
}
