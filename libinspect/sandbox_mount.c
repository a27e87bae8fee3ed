// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sandbox's filesystem, built in its own mount namespace: a copy of the
 * root (the given rootfs, or the host's read-only) attached at a staging
 * point, fresh /proc, /dev and /tmp and the user's mounts inside it, then
 * pivot_root. Every target is resolved inside the new root (openat2
 * RESOLVE_IN_ROOT), so a symlink in a container image cannot point a mount
 * at the host. Needs Linux 5.12 (open_tree, mount_setattr, openat2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox_internal.h"
#include "util.h"

/* Where the new root is assembled: a directory every host has, in our private copy. */
#define STAGE "/tmp"

struct fd_path {
	char s[32];
};

/* Classic mount(2) reaches an fd through its magic link while the host /proc is still there. */
static struct fd_path fd_path(int fd)
{
	struct fd_path p;

	snprintf(p.s, sizeof(p.s), "/proc/self/fd/%d", fd);
	return p;
}

static int split_last(const char *path, char *parent, size_t size, const char **base)
{
	size_t len = strlen(path);
	const char *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(parent, path, len);
	parent[len] = '\0';
	slash = strrchr(parent, '/');
	*base = slash ? slash + 1 : parent;
	if (!**base || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return -EINVAL;
	if (slash)
		*(char *)slash = '\0';
	else
		parent[0] = '\0';
	return 0;
}

/*
 * An O_PATH fd on dst inside root, creating it (a directory, or an empty
 * file to bind a file on) and missing parents. mkdirat and O_EXCL never
 * follow the last component, and parents are resolved inside root.
 */
static int open_target(int root, const char *dst, bool dir)
{
	char parent[4096];
	const char *base;
	_cleanup_close_ int pfd = -1;
	int fd = util_open_in_root(root, dst, O_PATH), r;

	if (fd != -ENOENT)
		return fd;
	if ((r = split_last(dst, parent, sizeof(parent), &base)) < 0)
		return r;
	pfd = *parent ? open_target(root, parent, true) : util_open_in_root(root, "/", O_PATH);
	if (pfd < 0)
		return pfd;
	if (dir)
		r = mkdirat(pfd, base, 0755);
	else if ((r = openat(pfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)) >= 0)
		r = close(r);
	if (r < 0 && errno != EEXIST)
		return -errno;
	return util_open_in_root(root, dst, O_PATH);
}

static int target_error(struct insp_error *err, int r, const char *what, const char *dst)
{
	if (r == -EROFS)
		return insp_error_set_msg(err, EROFS, "%s: %s does not exist and the root is read-only",
					  what, dst);
	return insp_error_set(err, -r, "%s: %s", what, dst);
}

/* A detached copy of src and everything mounted below it, with attr set on all of it. */
static int clone_tree(int src_dir, const char *src, unsigned attr)
{
	int tree = open_tree(src_dir, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	struct mount_attr a = { .attr_set = attr };

	if (tree < 0)
		return -errno;
	if (attr && mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0) {
		int e = errno;

		close(tree);
		return -e;
	}
	return tree;
}

static int attach_tree(int tree, int target, const char *target_rel)
{
	if (move_mount(tree, "", target, target_rel,
		       MOVE_MOUNT_F_EMPTY_PATH | (*target_rel ? 0 : MOVE_MOUNT_T_EMPTY_PATH)) < 0)
		return -errno;
	return 0;
}

static int bind_tree(int src_dir, const char *src, int target, const char *target_rel, unsigned attr)
{
	_cleanup_close_ int tree = clone_tree(src_dir, src, attr);

	return tree < 0 ? tree : attach_tree(tree, target, target_rel);
}

static int mount_fs(int target, const char *type, unsigned long flags, const char *data)
{
	return mount(type, fd_path(target).s, type, flags, data) < 0 ? -errno : 0;
}

static int mount_fs_at(int root, const char *dst, const char *type, unsigned long flags,
		       const char *data, struct insp_error *err)
{
	_cleanup_close_ int fd = open_target(root, dst, true);
	int r;

	if (fd < 0)
		return target_error(err, fd, type, dst);
	if ((r = mount_fs(fd, type, flags, data)) < 0)
		return insp_error_set(err, -r, "mount %s on %s", type, dst);
	return 0;
}

/* The root, writable or not, or read-only under a tmpfs layer; returns its fd. */
static int stage_rootfs(const struct insp_sandbox_spec *s, int tree, struct insp_error *err)
{
	const char *src = s->rootfs ? s->rootfs : "/";
	char opts[128];
	int r;

	if (!s->overlay) {
		if ((r = attach_tree(tree, AT_FDCWD, STAGE)) < 0)
			return insp_error_set(err, -r, "bind %s", src);
		r = open(STAGE, O_PATH | O_DIRECTORY | O_CLOEXEC);
		return r < 0 ? insp_error_set(err, errno, "open %s", src) : r;
	}
	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") < 0)
		return insp_error_set(err, errno, "overlay: mount tmpfs");
	if (mkdir(STAGE "/upper", 0755) < 0 || mkdir(STAGE "/work", 0755) < 0 || mkdir(STAGE "/root", 0755) < 0)
		return insp_error_set(err, errno, "overlay: tmpfs layer");
	/* userxattr: overlayfs keeps its metadata in user.* xattrs, all a user namespace may set. */
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=" STAGE "/upper,workdir=" STAGE "/work,userxattr",
		 fd_path(tree).s);
	if (mount("overlay", STAGE "/root", "overlay", 0, opts) < 0)
		return insp_error_set(err, errno, "overlay: mount over %s", src);
	r = open(STAGE "/root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r < 0 ? insp_error_set(err, errno, "overlay: open") : r;
}

/* docker's masked and read-only /proc paths: kernel memory, keys, timers, sysctls, sysrq. */
static const char *const proc_null[] = { "kcore", "keys", "latency_stats", "timer_list",
					 "timer_stats", "sched_debug" };
static const char *const proc_empty[] = { "acpi", "asound", "scsi" };
static const char *const proc_ro[] = { "bus", "fs", "irq", "sys", "sysrq-trigger" };

#define PROC_MASK_ATTR (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

static int mask_proc(int proc, struct insp_error *err)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(proc_null); i++)
		if (faccessat(proc, proc_null[i], F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (r = bind_tree(AT_FDCWD, "/dev/null", proc, proc_null[i], 0)) < 0)
			return insp_error_set(err, -r, "mask /proc/%s", proc_null[i]);
	for (size_t i = 0; i < ARRAY_SIZE(proc_empty); i++) {
		_cleanup_close_ int fd = openat(proc, proc_empty[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);

		if (fd >= 0 && (r = mount_fs(fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=555")) < 0)
			return insp_error_set(err, -r, "mask /proc/%s", proc_empty[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_ro); i++)
		if (faccessat(proc, proc_ro[i], F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (r = bind_tree(proc, proc_ro[i], proc, proc_ro[i], PROC_MASK_ATTR)) < 0)
			return insp_error_set(err, -r, "read-only /proc/%s", proc_ro[i]);
	return 0;
}

static int setup_proc(int root, const struct insp_sandbox *sb, struct insp_error *err)
{
	_cleanup_close_ int proc = open_target(root, "/proc", true);
	int r;

	if (proc < 0)
		return target_error(err, proc, "/proc", "/proc");
	/* A proc of a pid namespace we did not create needs privilege over it: show the host's. */
	if (!(sb->new_ns & INSP_JOIN_NS(INSP_NS_PID)))
		r = bind_tree(AT_FDCWD, "/proc", proc, "", 0);
	else
		r = mount_fs(proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (r < 0)
		return insp_error_set(err, -r, "mount proc on /proc");
	close(proc);
	if ((proc = util_open_in_root(root, "/proc", O_PATH | O_DIRECTORY)) < 0)
		return insp_error_set(err, -proc, "/proc");
	return mask_proc(proc, err);
}

static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
static const char *const dev_links[][2] = {
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

/* A user namespace cannot mknod: the host's nodes are bound onto empty files. */
static int dev_node(int dev, const char *name, struct insp_error *err)
{
	char host[32];
	int fd, r;

	snprintf(host, sizeof(host), "/dev/%s", name);
	if (access(host, F_OK) < 0)
		return 0;
	if ((fd = openat(dev, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666)) < 0)
		return insp_error_set(err, errno, "/dev/%s", name);
	close(fd);
	if ((r = bind_tree(AT_FDCWD, host, dev, name, 0)) < 0)
		return insp_error_set(err, -r, "bind %s", host);
	return 0;
}

static int setup_dev(int root, struct insp_error *err)
{
	_cleanup_close_ int dev = -1, sub = -1;
	int r;

	if ((r = mount_fs_at(root, "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k", err)) < 0)
		return r;
	if ((dev = util_open_in_root(root, "/dev", O_PATH | O_DIRECTORY)) < 0)
		return insp_error_set(err, -dev, "/dev");
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++)
		if ((r = dev_node(dev, dev_nodes[i], err)) < 0)
			return r;
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i][1], dev, dev_links[i][0]) < 0)
			return insp_error_set(err, errno, "/dev/%s", dev_links[i][0]);
	if (mkdirat(dev, "pts", 0755) < 0 || (sub = openat(dev, "pts", O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return insp_error_set(err, errno, "/dev/pts");
	/* Its own instance: the host's terminals stay out of reach. */
	if ((r = mount_fs(sub, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")) < 0)
		return insp_error_set(err, -r, "mount devpts on /dev/pts");
	close(sub);
	if (mkdirat(dev, "shm", 01777) < 0 || (sub = openat(dev, "shm", O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return insp_error_set(err, errno, "/dev/shm");
	if ((r = mount_fs(sub, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")) < 0)
		return insp_error_set(err, -r, "mount tmpfs on /dev/shm");
	return 0;
}

static const char *const mount_option[] = { [INSP_SANDBOX_BIND] = "--bind",
					    [INSP_SANDBOX_RO_BIND] = "--ro-bind",
					    [INSP_SANDBOX_TMPFS] = "--tmpfs" };

static int user_mount(int root, const struct insp_sandbox_mount *m, int tree, bool dir, struct insp_error *err)
{
	_cleanup_close_ int target = -1;
	int r;

	if (m->kind == INSP_SANDBOX_TMPFS)
		return mount_fs_at(root, m->dst, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755", err);
	if ((target = open_target(root, m->dst, dir)) < 0)
		return target_error(err, target, mount_option[m->kind], m->dst);
	if ((r = attach_tree(tree, target, "")) < 0)
		return insp_error_set(err, -r, "%s %s %s", mount_option[m->kind], m->src, m->dst);
	return 0;
}

/*
 * pivot_root(".", ".") stacks the old root on the new one; it is made
 * private, so that detaching it reaches no other namespace, then detached.
 * The initramfs cannot be pivoted out of: then, and only then, chroot.
 */
static int enter_root(struct insp_sandbox *sb, int root, struct insp_error *err)
{
	const char *name = sb->spec->rootfs ? sb->spec->rootfs : "/";

	if (fchdir(root) < 0)
		return insp_error_set(err, errno, "chdir(%s)", name);
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		if (errno != EINVAL)
			return insp_error_set(err, errno, "pivot_root(%s)", name);
		sandbox_warn(sb, "pivot_root(%s): %s; using chroot, the host root stays mounted below",
			     name, strerror(errno));
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
			return insp_error_set(err, errno, "chroot(%s)", name);
		return chdir("/") < 0 ? insp_error_set(err, errno, "chdir(/)") : 0;
	}
	if (mount(NULL, ".", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return insp_error_set(err, errno, "old root: make private");
	if (umount2(".", MNT_DETACH) < 0)
		return insp_error_set(err, errno, "old root: detach");
	return chdir("/") < 0 ? insp_error_set(err, errno, "chdir(/)") : 0;
}

/*
 * The host paths we mount (the root and bind sources) are cloned first,
 * while we still have the caller's ids and before the staging mount covers
 * any of them.
 */
int sandbox_mount_prepare(const struct insp_sandbox *sb, struct sandbox_trees *t, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	const char *src = s->rootfs ? s->rootfs : "/";
	unsigned attr = !s->overlay && (s->read_only || !s->rootfs) ? MOUNT_ATTR_RDONLY : 0;

	*t = (struct sandbox_trees){ .root = -1, .n = s->n_mounts };
	t->sources = calloc(t->n + 1, sizeof(*t->sources));
	t->dirs = calloc(t->n + 1, sizeof(*t->dirs));
	if (!t->sources || !t->dirs)
		return insp_error_set(err, ENOMEM, "mounts");
	for (size_t i = 0; i < t->n; i++)
		t->sources[i] = -1;
	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return insp_error_set(err, errno, "make / private");
	if ((t->root = clone_tree(AT_FDCWD, src, attr)) < 0)
		return insp_error_set(err, -t->root, "%s %s", s->overlay ? "overlay:" : "bind", src);
	for (size_t i = 0; i < t->n; i++) {
		const struct insp_sandbox_mount *m = &s->mounts[i];
		struct stat st;

		if (m->kind == INSP_SANDBOX_TMPFS)
			continue;
		if (stat(m->src, &st) < 0)
			return insp_error_set(err, errno, "%s %s", mount_option[m->kind], m->src);
		t->dirs[i] = S_ISDIR(st.st_mode);
		t->sources[i] = clone_tree(AT_FDCWD, m->src,
					   m->kind == INSP_SANDBOX_RO_BIND ?
						   MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV : 0);
		if (t->sources[i] < 0)
			return insp_error_set(err, -t->sources[i], "%s %s", mount_option[m->kind], m->src);
	}
	return 0;
}

void sandbox_mount_release(struct sandbox_trees *t)
{
	for (size_t i = 0; t->sources && i < t->n; i++)
		if (t->sources[i] >= 0)
			close(t->sources[i]);
	if (t->root >= 0)
		close(t->root);
	free(t->sources);
	free(t->dirs);
	*t = (struct sandbox_trees){ .root = -1 };
}

int sandbox_mount_root(struct insp_sandbox *sb, const struct sandbox_trees *t, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	_cleanup_close_ int root = -1;
	int r;

	if ((root = stage_rootfs(s, t->root, err)) < 0)
		return root;
	if ((r = setup_proc(root, sb, err)) < 0 || (r = setup_dev(root, err)) < 0)
		return r;
	if ((r = mount_fs_at(root, "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", err)) < 0)
		return r;
	for (size_t i = 0; i < s->n_mounts; i++)
		if ((r = user_mount(root, &s->mounts[i], t->sources[i], t->dirs[i], err)) < 0)
			return r;
	return enter_root(sb, root, err);
}
