// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "util.h"

/* Parse a decimal (optionally negative) number at *p, advancing it. */
static int take_number(const char **p, long long *out)
{
	const char *s = *p;
	bool neg = false;
	long long v = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (__LONG_LONG_MAX__ - 9) / 10)
			return -ERANGE;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	*p = s;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Skip n blank-separated fields and the blanks after them (not past a newline). */
static const char *skip_fields(const char *p, int n)
{
	while (n-- > 0) {
		while (is_blank(*p))
			p++;
		while (*p && *p != '\n' && !is_blank(*p))
			p++;
	}
	while (is_blank(*p))
		p++;
	return p;
}

int procfs_parse_stat(const char *buf, struct procfs_stat *out)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')'), *p = buf;
	long long v;
	size_t len;

	if (!open || !close || close < open || take_number(&p, &v) < 0 || v <= 0 || p > open)
		return -EINVAL;
	out->pid = (pid_t)v;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(out->comm))
		len = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, len);
	out->comm[len] = '\0';

	/* After ") ": field 3 state, 4 ppid, ..., 22 starttime. */
	p = close + 1;
	if (*p++ != ' ' || !*p)
		return -EINVAL;
	out->state = *p++;
	p = skip_fields(p, 0);
	if (take_number(&p, &v) < 0 || v < 0)
		return -EINVAL;
	out->ppid = (pid_t)v;
	p = skip_fields(p, 17);
	if (take_number(&p, &v) < 0 || v < 0)
		return -EINVAL;
	out->start_time = (unsigned long long)v;
	return 0;
}

static const char *find_line(const char *buf, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, klen) == 0)
			return p + klen;
	return NULL;
}

int procfs_parse_status_ids(const char *buf, const char *key, uint32_t ids[4])
{
	const char *p = find_line(buf, key);

	if (!p)
		return -ENOENT;
	for (int i = 0; i < 4; i++) {
		long long v;

		while (*p == ' ' || *p == '\t')
			p++;
		if (take_number(&p, &v) < 0 || v < 0 || v > 0xffffffffLL)
			return -EINVAL;
		ids[i] = (uint32_t)v;
	}
	return 0;
}

int procfs_parse_status_uid(const char *buf, uid_t *euid)
{
	uint32_t ids[4];
	int r = procfs_parse_status_ids(buf, "Uid:", ids);

	if (r == 0)
		*euid = ids[1];
	return r;
}

int procfs_parse_status_int(const char *buf, const char *key, long long *out)
{
	const char *p = find_line(buf, key);

	if (!p)
		return -ENOENT;
	while (*p == ' ' || *p == '\t')
		p++;
	if (take_number(&p, out) < 0 || (*p && *p != '\n'))
		return -EINVAL;
	return 0;
}

int procfs_parse_status_hex(const char *buf, const char *key, uint64_t *out)
{
	const char *p = find_line(buf, key);
	int r;

	if (!p)
		return -ENOENT;
	while (*p == ' ' || *p == '\t')
		p++;
	r = util_take_hex64(&p, out);
	if (r == 0 && *p && *p != '\n')
		r = -EINVAL;
	return r;
}

/* Up to max numbers in [lo, hi] separated by blanks, until the end of the line. */
static int parse_number_list(const char *p, long long lo, long long hi, unsigned max,
			     uint32_t **out, unsigned *n)
{
	_cleanup_free_ uint32_t *v = NULL;
	unsigned count = 0;

	for (;;) {
		long long x;
		uint32_t *grown;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || !*p)
			break;
		if (take_number(&p, &x) < 0 || x < lo || x > hi || count >= max)
			return -EINVAL;
		grown = util_xreallocarray(v, count + 1, sizeof(*v));
		if (!grown)
			return -ENOMEM;
		v = grown;
		v[count++] = (uint32_t)x;
	}
	*out = TAKE_PTR(v);
	*n = count;
	return 0;
}

int procfs_parse_status_groups(const char *buf, uint32_t **out, unsigned *n)
{
	const char *p = find_line(buf, "Groups:");

	if (!p)
		return -ENOENT;
	/* NGROUPS_MAX is 65536. */
	return parse_number_list(p, 0, 0xffffffffLL, 65536, out, n);
}

int procfs_parse_status_nspid(const char *buf, pid_t **out, unsigned *n)
{
	const char *p = find_line(buf, "NSpid:");
	uint32_t *pids;
	int r;

	if (!p)
		return -ENOENT;
	/* MAX_PID_NS_LEVEL is 32; allow some room. */
	r = parse_number_list(p, 1, 0x7fffffffLL, 64, &pids, n);
	if (r < 0)
		return r;
	if (!*n) {
		free(pids);
		return -EINVAL;
	}
	_Static_assert(sizeof(pid_t) == sizeof(uint32_t), "pid_t is 32 bits");
	*out = (pid_t *)pids;
	return 0;
}

void procfs_join_cmdline(char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	/* Only the separators: a newline in an argument is shown escaped, and JSON keeps it. */
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
}

int procfs_parse_cgroup_v2(const char *buf, char **path)
{
	for (const char *p = buf; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= 3 && strncmp(p, "0::", 3) == 0) {
			*path = strndup(p + 3, len - 3);
			return *path ? 0 : -ENOMEM;
		}
		p = eol ? eol + 1 : NULL;
	}
	return -ENOENT;
}
