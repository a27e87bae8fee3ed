// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A process's mounts from its mountinfo, each placed on the host: two
 * mounts of the same device show the same files, so a container's mount of
 * (device, root) is the host mount of that device whose root contains it,
 * plus the rest of the path. Overlay layers are in the superblock options,
 * as host paths already (the runtime mounted them from the host).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inspect/mounts.h"
#include "mountinfo.h"
#include "util.h"

struct collect {
	struct insp_mounts *out;
	struct mountinfo_entry *host;
	size_t nhost;
	int err;
};

static char *dup_or_fail(const char *s, int *err)
{
	char *d = strdup(s ? s : "");

	if (!d)
		*err = -ENOMEM;
	return d;
}

static bool has_option(const char *list, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* "lowerdir=a:b,upperdir=c": the value of key, copied, or NULL. */
static char *option_value(const char *list, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == '=')
			return strndup(p + n + 1, strcspn(p + n + 1, ","));
	return NULL;
}

/* A path component prefix: "/a" contains "/a" and "/a/b", not "/ab". */
static size_t contains(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(dir, path, n) && (path[n] == '/' || path[n] == '\0') ? n : 0;
}

static char *host_path_of(const struct collect *c, const struct mountinfo_entry *e)
{
	const struct mountinfo_entry *best = NULL;
	size_t best_len = 0;
	char *p;

	for (size_t i = 0; i < c->nhost; i++) {
		const struct mountinfo_entry *h = &c->host[i];
		size_t n;

		if (h->major != e->major || h->minor != e->minor || !(n = contains(h->root, e->root)))
			continue;
		/* The longest root wins; of equal ones the first, the oldest mount. */
		if (!best || n > best_len) {
			best = h;
			best_len = n;
		}
	}
	if (!best)
		return NULL;
	const char *rest = e->root + (best_len == 1 ? 0 : best_len);
	if (!strcmp(best->target, "/"))
		p = strdup(*rest ? rest : "/");
	else if (asprintf(&p, "%s%s", best->target, strcmp(rest, "/") ? rest : "") < 0)
		p = NULL;
	return p;
}

/*
 * docker's overlay2 names layers by short links (l/ABC -> ../ID/diff) to fit
 * the mount options in a page; the runtime made them on the host, so they
 * are resolved to the layer directories.
 */
static void split_lower(struct insp_mount *m, char *lower, int *err)
{
	for (char *save = NULL, *d = strtok_r(lower, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *real = realpath(d, NULL);

		if (util_strv_append(&m->lower, &m->nlower, real ? real : d) < 0)
			*err = -ENOMEM;
	}
}

static bool is_masked(const struct mountinfo_entry *e, bool ro)
{
	bool in_proc_sys = !strncmp(e->target, "/proc/", 6) || !strncmp(e->target, "/sys/", 5);
	size_t n = strlen(e->root);

	if (!in_proc_sys)
		return false;
	/* docker and podman mask files with a bind of /dev/null, directories with an empty tmpfs. */
	return (n >= 5 && !strcmp(e->root + n - 5, "/null")) || (!strcmp(e->fstype, "tmpfs") && ro);
}

static int add_mount(const struct mountinfo_entry *e, void *data)
{
	struct collect *c = data;
	struct insp_mount *v = util_xreallocarray(c->out->v, c->out->n + 1, sizeof(*v)), *m;
	_cleanup_free_ char *lower = NULL;

	if (!v)
		return c->err = -ENOMEM;
	c->out->v = v;
	m = &v[c->out->n++];
	*m = (struct insp_mount){ .id = e->id, .parent = e->parent, .major = e->major, .minor = e->minor,
				  .shared = e->shared, .master = e->master, .unbindable = e->unbindable };
	m->target = dup_or_fail(e->target, &c->err);
	m->root = dup_or_fail(e->root, &c->err);
	m->fstype = dup_or_fail(e->fstype, &c->err);
	m->source = dup_or_fail(e->source, &c->err);
	m->read_only = has_option(e->options, "ro");
	m->masked = is_masked(e, m->read_only);
	m->host_path = host_path_of(c, e);
	if (!strcmp(e->fstype, "overlay")) {
		m->upper = option_value(e->super_options, "upperdir");
		if ((lower = option_value(e->super_options, "lowerdir")))
			split_lower(m, lower, &c->err);
	}
	return c->err;
}

static int add_host(const struct mountinfo_entry *e, void *data)
{
	struct collect *c = data;
	struct mountinfo_entry *v = util_xreallocarray(c->host, c->nhost + 1, sizeof(*v));

	if (!v)
		return c->err = -ENOMEM;
	c->host = v;
	c->host[c->nhost++] = *e;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int warn(struct insp_mounts *m, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return util_strv_append(&m->warnings, &m->nwarnings, line);
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "";
}

/* The mount a path is under: the last one (mounts stack) whose target contains it. */
static const struct insp_mount *covering(const struct insp_mounts *m, const char *path)
{
	const struct insp_mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < m->n; i++) {
		size_t n = contains(m->v[i].target, path);

		if (n && n >= best_len) {
			best = &m->v[i];
			best_len = n;
		}
	}
	return best;
}

static int warnings(struct insp_mounts *m)
{
	static const char *const sockets[] = { "docker.sock", "containerd.sock", "crio.sock", "podman.sock" };
	const struct insp_mount *sys = covering(m, "/proc/sys");
	struct stat st;
	int r = 0;

	for (size_t i = 0; r == 0 && i < m->n; i++) {
		const struct insp_mount *x = &m->v[i];

		for (size_t k = 0; k < ARRAY_SIZE(sockets); k++)
			if (!strcmp(base_name(x->target), sockets[k]) || !strcmp(base_name(x->host_path), sockets[k]))
				r = warn(m, "%s: a container runtime's socket (%s): whoever can write to it controls the host",
					 x->target, x->host_path ? x->host_path : x->source);
		if (r == 0 && x->host_path && !strcmp(x->host_path, "/") && strcmp(x->target, "/"))
			r = warn(m, "%s: the host's root filesystem%s", x->target, x->read_only ? " (read-only)" : "");
		/* Single devices (/dev/null...) are bound in by every runtime: the whole /dev, or a disk, is not. */
		if (r == 0 && !strcmp(x->fstype, "devtmpfs") && !strcmp(x->root, "/"))
			r = warn(m, "%s: the host's /dev (devtmpfs)", x->target);
		if (r == 0 && x->host_path && stat(x->host_path, &st) == 0 && S_ISBLK(st.st_mode))
			r = warn(m, "%s: the host's block device %s", x->target, x->host_path);
		if (r == 0 && !strcmp(x->fstype, "sysfs") && !x->read_only)
			r = warn(m, "%s: sysfs is writable", x->target);
	}
	if (r == 0 && sys && !strcmp(sys->fstype, "proc") && !sys->read_only)
		r = warn(m, "/proc/sys: writable, so kernel parameters can be changed");
	return r;
}

INSP_EXPORT int insp_mounts_parse(char *mountinfo, char *host_mountinfo, bool host_view, struct insp_mounts *out)
{
	struct collect c = { .out = out };
	int r;

	*out = (struct insp_mounts){ .host_view = host_view };
	if (host_mountinfo)
		mountinfo_foreach_buf(host_mountinfo, add_host, &c);
	if (c.err == 0)
		mountinfo_foreach_buf(mountinfo, add_mount, &c);
	r = c.err ? c.err : host_view ? 0 : warnings(out);
	free(c.host);
	if (r < 0)
		insp_mounts_free(out);
	return r;
}

static bool same_mount_ns(int proc_dirfd)
{
	struct stat a, b;

	return fstatat(proc_dirfd, "ns/mnt", &a, 0) == 0 && stat("/proc/self/ns/mnt", &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

INSP_EXPORT int insp_mounts_read(int proc_dirfd, struct insp_mounts *out, struct insp_error *err)
{
	_cleanup_free_ char *text = NULL, *host = NULL;
	int r = util_read_all_at(proc_dirfd, "mountinfo", &text, NULL);

	*out = (struct insp_mounts){ 0 };
	if (r < 0)
		return insp_error_set(err, -r, "mountinfo");
	if ((r = util_read_all_at(AT_FDCWD, "/proc/self/mountinfo", &host, NULL)) < 0)
		return insp_error_set(err, -r, "/proc/self/mountinfo");
	if ((r = insp_mounts_parse(text, host, same_mount_ns(proc_dirfd), out)) < 0)
		return insp_error_set(err, -r, "mounts");
	return 0;
}

INSP_EXPORT void insp_mounts_free(struct insp_mounts *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct insp_mount *x = &m->v[i];

		free(x->target);
		free(x->root);
		free(x->fstype);
		free(x->source);
		free(x->host_path);
		for (size_t k = 0; k < x->nlower; k++)
			free(x->lower[k]);
		free(x->lower);
		free(x->upper);
	}
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	free(m->v);
	*m = (struct insp_mounts){ 0 };
}

INSP_EXPORT int insp_mount_propagation(const struct insp_mount *m, char *buf, size_t size)
{
	int n;

	if (m->unbindable)
		n = snprintf(buf, size, "unbindable");
	else if (m->shared && m->master)
		n = snprintf(buf, size, "shared:%d,master:%d", m->shared, m->master);
	else if (m->shared || m->master)
		n = snprintf(buf, size, "%s:%d", m->shared ? "shared" : "master", m->shared ? m->shared : m->master);
	else
		n = snprintf(buf, size, "private");
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

INSP_EXPORT const struct insp_mount *insp_mounts_root(const struct insp_mounts *m)
{
	return covering(m, "/");
}
