// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Creating, removing and moving into cgroups across hierarchies. Each step
 * is logged so that a failure half-way undoes the steps before it: a
 * create never leaves a stray directory or an enabled controller behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "cgroup_internal.h"
#include "util.h"

#define KILL_TIMEOUT_MS 5000

struct step {
	size_t hierarchy;
	char *dir;		/* relative to the mount */
	char *undo;		/* subtree_control text; NULL: rmdir dir */
};

struct steps {
	struct step *v;
	size_t n;
};

static int log_step(struct steps *s, size_t hierarchy, const char *dir, const char *undo)
{
	struct step *grown = util_xreallocarray(s->v, s->n + 1, sizeof(*s->v));

	if (!grown)
		return -ENOMEM;
	s->v = grown;
	s->v[s->n] = (struct step){ hierarchy, strdup(dir), undo ? strdup(undo) : NULL };
	if (!s->v[s->n].dir || (undo && !s->v[s->n].undo)) {
		free(s->v[s->n].dir);
		free(s->v[s->n].undo);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

static void undo_steps(const struct insp_cgroup_hierarchies *hs, struct steps *s)
{
	for (size_t i = s->n; i-- > 0;) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(hs, s->v[i].hierarchy);
		_cleanup_close_ int mount = open(h->mount, O_PATH | O_DIRECTORY | O_CLOEXEC);
		_cleanup_close_ int dir = -1;

		if (!s->v[i].undo) {
			if (mount >= 0)
				unlinkat(mount, s->v[i].dir + 1, AT_REMOVEDIR);
		} else if ((dir = cgroup_open_below(h, s->v[i].dir, O_RDONLY)) >= 0) {
			cgroup_write_file(dir, "cgroup.subtree_control", s->v[i].undo);
		}
	}
}

static void steps_free(struct steps *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].dir);
		free(s->v[i].undo);
	}
	free(s->v);
}

struct create {
	const struct insp_cgroup_hierarchies *hs;
	bool *selected;			/* per hierarchy */
	char v2_enable[256];		/* "memory pids" */
	struct steps steps;
	struct insp_error *err;
};

static int need_controller(struct create *c, const char *ctrl)
{
	const struct insp_cgroup_hierarchy *h = cgroup_controller_hierarchy(c->hs, ctrl);
	size_t len = strlen(c->v2_enable);

	if (!h)
		return insp_error_set_msg(c->err, ENOENT, "controller %s: not mounted here", ctrl);
	c->selected[cgroup_hierarchy_index(c->hs, h)] = true;
	if (h->unified && !strstr(c->v2_enable, ctrl))
		snprintf(c->v2_enable + len, sizeof(c->v2_enable) - len, "%s%s", len ? " " : "", ctrl);
	return 0;
}

/* Which hierarchies get the directory, and which v2 controllers it needs. */
static int select_hierarchies(struct create *c, const struct insp_cgroup_create_opts *o)
{
	_cleanup_free_ char *list = o->controllers ? strdup(o->controllers) : NULL;
	char *save = NULL, *tok;
	int r = 0;

	for (size_t i = 0; i < insp_cgroup_hierarchies_count(c->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(c->hs, i);

		c->selected[i] = h->unified || (!o->controllers && strncmp(h->controllers, "name=", 5) != 0);
	}
	if (o->controllers && !list)
		return insp_error_set(c->err, ENOMEM, "controllers");
	for (tok = list ? strtok_r(list, ", ", &save) : NULL; r == 0 && tok; tok = strtok_r(NULL, ", ", &save))
		r = need_controller(c, tok);
	for (size_t i = 0; r == 0 && i < o->n_assignments; i++) {
		char name[64];
		const struct insp_cgroup_knob_info *k;

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(o->assignments[i], "="), o->assignments[i]);
		k = insp_cgroup_knob_info(name);
		name[strcspn(name, ".")] = '\0';
		if (!k || k->controller)
			r = strcmp(name, "cgroup") == 0 ? 0 : need_controller(c, k ? k->controller : name);
	}
	return r;
}

/* Enable the controllers the new cgroup needs in one v2 directory's subtree_control. */
static int enable_in(struct create *c, size_t i, int dirfd, const char *rel)
{
	_cleanup_free_ char *enabled = NULL, *copy = strdup(c->v2_enable);
	char add[256] = "", undo[256] = "", *save = NULL;
	int r;

	if (!copy)
		return insp_error_set(c->err, ENOMEM, "cgroup.subtree_control");
	if ((r = cgroup_read_text(dirfd, "cgroup.subtree_control", &enabled)) < 0)
		return insp_error_set(c->err, -r, "%s/cgroup.subtree_control", rel);
	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (cgroup_list_has(enabled, tok, strlen(tok)))
			continue;
		snprintf(add + strlen(add), sizeof(add) - strlen(add), "%s+%s", *add ? " " : "", tok);
		snprintf(undo + strlen(undo), sizeof(undo) - strlen(undo), "%s-%s", *undo ? " " : "", tok);
	}
	if (!*add)
		return 0;
	if ((r = cgroup_write_file(dirfd, "cgroup.subtree_control", add)) < 0)
		return cgroup_error(c->err, -r, "cgroup.subtree_control", "%s/cgroup.subtree_control: %s",
				    *rel ? rel : "", add);
	r = log_step(&c->steps, i, *rel ? rel : "/", undo);
	return r < 0 ? insp_error_set(c->err, -r, "cgroup create") : 0;
}

/*
 * A new v1 cpuset starts with no cpus and no memory nodes, and refuses
 * every task until given some: copy the parent's, as container runtimes do.
 */
static int init_v1_cpuset(struct create *c, const struct insp_cgroup_hierarchy *h, int parent, const char *name)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	_cleanup_close_ int dir = -1;

	if (h->unified || !cgroup_list_has(h->controllers, "cpuset", 6))
		return 0;
	dir = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (size_t i = 0; dir >= 0 && i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *text = NULL;
		int r = cgroup_read_text(parent, files[i], &text);

		if (r == 0)
			r = cgroup_write_file(dir, files[i], text);
		if (r < 0)
			return cgroup_error(c->err, -r, files[i], "%s%s: %s", h->mount, name, files[i]);
	}
	return 0;
}

/* mkdir -p below one hierarchy's mount, without following symlinks. */
static int create_in(struct create *c, size_t i, const char *path)
{
	const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(c->hs, i);
	_cleanup_free_ char *rel = calloc(1, strlen(path) + 1);
	int fd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (fd < 0 || !rel) {
		r = fd < 0 ? insp_error_set(c->err, errno, "%s", h->mount) : insp_error_set(c->err, ENOMEM, "cgroup");
		goto out;
	}
	for (const char *p = path + 1; r == 0 && *p;) {
		size_t n = strcspn(p, "/");
		char name[256];
		int next;

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (h->unified && *c->v2_enable && (r = enable_in(c, i, fd, rel)) < 0)
			break;
		strncat(rel, p - 1, n + 1);
		if (mkdirat(fd, name, 0755) == 0 && (r = log_step(&c->steps, i, rel, NULL)) == 0)
			r = init_v1_cpuset(c, h, fd, name);
		else if (r == 0 && errno != EEXIST)
			r = cgroup_error(c->err, errno, "", "mkdir %s%s", h->mount, rel);
		if (r < 0)
			break;
		next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			r = insp_error_set(c->err, errno, "%s%s", h->mount, rel);
		close(fd);
		fd = next;
		p += n;
		p += strspn(p, "/");
	}
out:
	if (fd >= 0)
		close(fd);
	return r;
}

static int refuse_existing(struct create *c, const char *path)
{
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(c->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(c->hs, i);
		int fd = c->selected[i] ? cgroup_open_below(h, path, O_PATH) : -ENOENT;

		if (fd >= 0) {
			close(fd);
			return insp_error_set_msg(c->err, EEXIST, "cgroup %s already exists (in %s)", path,
						  h->unified ? "v2" : h->controllers);
		}
	}
	return 0;
}

INSP_EXPORT int insp_cgroup_create(const struct insp_cgroup_hierarchies *hs, const char *path,
				   const struct insp_cgroup_create_opts *opts, struct insp_cgroup_changes *changes,
				   struct insp_error *err)
{
	static const struct insp_cgroup_create_opts none = { 0 };
	_cleanup_free_ char *norm = NULL;
	struct create c = { .hs = hs, .err = err };
	struct insp_cgroup *cg = NULL;
	int r;

	*changes = (struct insp_cgroup_changes){ 0 };
	opts = opts ? opts : &none;
	if ((r = insp_cgroup_path_normalize(path, &norm, err)) < 0)
		return r;
	if (strcmp(norm, "/") == 0)
		return insp_error_set_msg(err, EEXIST, "cgroup /: the root always exists");
	c.selected = calloc(insp_cgroup_hierarchies_count(hs) + 1, sizeof(*c.selected));
	if (!c.selected)
		return insp_error_set(err, ENOMEM, "cgroup create");
	r = select_hierarchies(&c, opts);
	if (r == 0)
		r = refuse_existing(&c, norm);
	for (size_t i = 0; r == 0 && i < insp_cgroup_hierarchies_count(hs); i++)
		if (c.selected[i])
			r = create_in(&c, i, norm);
	if (r == 0 && (r = insp_cgroup_open(hs, norm, &cg, err)) == 0 && opts->n_assignments)
		r = insp_cgroup_set(cg, opts->assignments, opts->n_assignments, 0, changes, err);
	insp_cgroup_close(cg);
	if (r < 0)
		undo_steps(hs, &c.steps);
	steps_free(&c.steps);
	free(c.selected);
	return r;
}

/* ---- removal */

struct subtree {
	char **paths;		/* parents first */
	size_t n;
	size_t procs;
	bool has_init;		/* pid 1 or ourselves: never killed */
};

static int collect(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct subtree *t = data;
	pid_t *pids = NULL;
	size_t n = 0;

	if (util_strv_append(&t->paths, &t->n, insp_cgroup_path(cg)) < 0)
		return -ENOMEM;
	if (insp_cgroup_procs(cg, &pids, &n) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		t->has_init |= pids[i] == 1 || pids[i] == getpid();
	t->procs += n;
	free(pids);
	return 0;
}

static void subtree_free(struct subtree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->paths[i]);
	free(t->paths);
	*t = (struct subtree){ 0 };
}

static int scan(const struct insp_cgroup_hierarchies *hs, const char *path, struct subtree *t,
		struct insp_error *err)
{
	subtree_free(t);
	return insp_cgroup_walk(hs, path, -1, collect, t, err);
}

/* SIGKILL through a pidfd, so that a pid reused since the listing is left alone. */
static void kill_procs(const struct insp_cgroup *cg)
{
	pid_t *pids = NULL;
	size_t n = 0;

	if (insp_cgroup_procs(cg, &pids, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		int fd = (int)syscall(SYS_pidfd_open, pids[i], 0);

		if (fd < 0)
			continue;
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
		close(fd);
	}
	free(pids);
}

static int kill_each(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	/* v2 kills the whole subtree at once where the kernel has cgroup.kill (5.14). */
	for (size_t i = 0; i < cg->n; i++)
		if (cg->dirfd[i] >= 0 && insp_cgroup_hierarchies_at(cg->hs, i)->unified && depth == 0)
			cgroup_write_file(cg->dirfd[i], "cgroup.kill", "1");
	kill_procs(cg);
	return 0;
}

static int kill_all(const struct insp_cgroup_hierarchies *hs, const char *path, struct subtree *t,
		    struct insp_error *err)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int r;

	for (int waited = 0; t->procs; waited += 10) {
		if (waited >= KILL_TIMEOUT_MS)
			return insp_error_set_msg(err, ETIMEDOUT, "cgroup %s: %zu processes still alive after %d s",
						  path, t->procs, KILL_TIMEOUT_MS / 1000);
		if ((r = insp_cgroup_walk(hs, path, -1, kill_each, NULL, err)) < 0)
			return r;
		nanosleep(&tick, NULL);
		if ((r = scan(hs, path, t, err)) < 0)
			return r;
	}
	return 0;
}

static int rmdir_everywhere(const struct insp_cgroup_hierarchies *hs, const char *path, struct insp_error *err)
{
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(hs, i);
		_cleanup_close_ int mount = open(h->mount, O_PATH | O_DIRECTORY | O_CLOEXEC);
		int r = 0;

		if (mount < 0)
			continue;
		/* v1 may still count a task that is on its way out for a moment. */
		for (int tries = 0; tries < 50; tries++) {
			r = unlinkat(mount, path + 1, AT_REMOVEDIR) < 0 ? -errno : 0;
			if (r != -EBUSY)
				break;
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
		}
		if (r < 0 && r != -ENOENT)
			return cgroup_error(err, -r, "", "rmdir %s%s", h->mount, path);
	}
	return 0;
}

INSP_EXPORT int insp_cgroup_remove(const struct insp_cgroup_hierarchies *hs, const char *path, unsigned flags,
				   struct insp_error *err)
{
	_cleanup_free_ char *norm = NULL;
	struct subtree t = { 0 };
	int r;

	if ((r = insp_cgroup_path_normalize(path, &norm, err)) < 0)
		return r;
	if (strcmp(norm, "/") == 0)
		return insp_error_set_msg(err, EPERM, "cgroup /: the root cannot be removed");
	if ((r = scan(hs, norm, &t, err)) < 0)
		goto out;
	if (t.n > 1 && !(flags & INSP_CGROUP_RM_RECURSIVE))
		r = insp_error_set_msg(err, ENOTEMPTY, "cgroup %s: has %zu child cgroups (use --recursive)", norm,
				       t.n - 1);
	else if (t.procs && t.has_init)
		r = insp_error_set_msg(err, EPERM, "cgroup %s: holds pid 1 or nsctl itself; not killing it", norm);
	else if (t.procs && !(flags & INSP_CGROUP_RM_KILL))
		r = insp_error_set_msg(err, EBUSY, "cgroup %s: %zu processes in it (use --kill)", norm, t.procs);
	else if (t.procs)
		r = kill_all(hs, norm, &t, err);
	for (size_t i = t.n; r == 0 && i-- > 0;)
		r = rmdir_everywhere(hs, t.paths[i], err);
out:
	subtree_free(&t);
	return r;
}

/* ---- moving processes */

struct moved {
	pid_t pid;
	size_t hierarchy;
	char *from;		/* the directory it left */
};

static int move_one(const struct insp_cgroup *cg, pid_t pid, struct moved **done, size_t *ndone,
		    struct insp_error *err)
{
	_cleanup_free_ char *text = NULL;
	struct insp_cgroup_membership m = { 0 };
	char path[64], num[24];
	size_t len;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((r = util_read_all_at(AT_FDCWD, path, &text, &len)) < 0)
		return insp_error_set(err, -r, "pid %d", (int)pid);
	if ((r = insp_cgroup_membership_parse(text, cg->hs, &m)) < 0)
		return insp_error_set(err, -r, "%s", path);
	snprintf(num, sizeof(num), "%d", (int)pid);
	for (size_t i = 0; r == 0 && i < cg->n; i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(cg->hs, i);
		const char *from = NULL;
		struct moved *grown;

		for (size_t k = 0; k < m.n; k++)
			if (m.v[k].hierarchy == h && m.v[k].dir)
				from = m.v[k].dir + strlen(h->mount);
		if (cg->dirfd[i] < 0 || !from)
			continue;
		if ((r = cgroup_write_file(cg->dirfd[i], "cgroup.procs", num)) < 0) {
			cgroup_error(err, -r, "cgroup.procs", "move %d to %s%s", (int)pid, h->mount, cg->path);
			break;
		}
		if (!(grown = util_xreallocarray(*done, *ndone + 1, sizeof(**done))) ||
		    !(grown[*ndone].from = strdup(*from ? from : "/"))) {
			*done = grown ? grown : *done;
			r = insp_error_set(err, ENOMEM, "move");
			break;
		}
		*done = grown;
		grown[*ndone].pid = pid;
		grown[(*ndone)++].hierarchy = i;
	}
	insp_cgroup_membership_free(&m);
	return r;
}

static void move_back(const struct insp_cgroup_hierarchies *hs, struct moved *done, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		_cleanup_close_ int fd =
			cgroup_open_below(insp_cgroup_hierarchies_at(hs, done[i].hierarchy), done[i].from, O_RDONLY);
		char num[24];

		snprintf(num, sizeof(num), "%d", (int)done[i].pid);
		if (fd >= 0)
			cgroup_write_file(fd, "cgroup.procs", num);
	}
}

INSP_EXPORT int insp_cgroup_move(const struct insp_cgroup_hierarchies *hs, const pid_t *pids, size_t n,
				 const char *path, struct insp_error *err)
{
	struct insp_cgroup *cg;
	struct moved *done = NULL;
	size_t ndone = 0;
	int r = insp_cgroup_open(hs, path, &cg, err);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = move_one(cg, pids[i], &done, &ndone, err);
	if (r < 0)
		move_back(hs, done, ndone);
	for (size_t i = 0; i < ndone; i++)
		free(done[i].from);
	free(done);
	insp_cgroup_close(cg);
	return r;
}
