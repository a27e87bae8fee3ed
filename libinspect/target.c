// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From what a user typed to one pinned process: a pid, or a container by id,
 * id prefix or name. Every frontend resolves targets here, the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "container_state.h"
#include "inspect/proc.h"
#include "inspect/target.h"
#include "proc_internal.h"
#include "util.h"

#define MAX_SHOWN_CANDIDATES 8

/* One container seen in the process snapshot. */
struct candidate {
	struct insp_container_ref ref;
	pid_t init;			/* its first process: parent outside the container */
	unsigned long long init_start;
	bool init_rooted;		/* init's parent is outside the container */
	bool info_read;
	struct insp_container_info info;
};

struct candidates {
	struct candidate *v;
	size_t n;
};

static int read_start_time(pid_t pid, unsigned long long *start)
{
	struct insp_proc p = { .pid = pid };
	int r = insp_proc_fill(&p, INSP_PROC_STAT, NULL);

	*start = p.start_time;
	return r;
}

INSP_EXPORT int insp_target_fill(struct insp_target *t, unsigned fields, struct insp_error *err)
{
	_cleanup_close_ int dirfd = -1;
	int r;

	fields &= ~t->proc.fields & ~(unsigned)INSP_PROC_NS;
	if (!fields)
		return 0;
	if ((dirfd = insp_proc_dir_open(t->pid, err)) < 0)
		return dirfd;
	r = procfs_read_proc(dirfd, &t->proc, fields, 0);
	/* The pidfd says whether /proc/PID was still the pinned process while we read it. */
	if (r == 0 && insp_target_alive(t) < 0)
		r = -ESRCH;
	return r < 0 ? insp_error_set(err, r, "pid %d", (int)t->pid) : 0;
}

/*
 * Pin pid with a pidfd and check it is still the process we looked at
 * (expect_start != 0): a pidfd opened after the pid was recycled would pin
 * the wrong one.
 */
static int pin(struct insp_target *t, pid_t pid, unsigned long long expect_start,
	       struct insp_error *err)
{
	int r;

	t->pid = pid;
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* Before Linux 5.3 there are no pidfds: the start time still tells. */
	if (t->pidfd < 0 && errno != ENOSYS)
		return insp_error_set(err, errno, "pid %d", (int)pid);
	t->proc = (struct insp_proc){ .pid = pid };
	r = insp_proc_fill(&t->proc, INSP_PROC_STAT, NULL);
	t->start_time = t->proc.start_time;
	if (r == 0 && insp_target_alive(t) < 0)
		r = -ESRCH;
	if (r == 0 && expect_start && t->start_time != expect_start)
		r = -ESRCH;
	if (r < 0) {
		insp_target_release(t);
		return insp_error_set(err, -r, "pid %d", (int)pid);
	}
	return 0;
}

static void read_container_of(struct insp_target *t, const struct insp_resolve_opts *opts)
{
	struct insp_container_ref ref;

	if (insp_target_fill(t, INSP_PROC_CGROUP, NULL) == 0 &&
	    insp_container_from_cgroup_file(t->proc.cgroup_file, &ref) == 0) {
		t->in_container = true;
		insp_container_info_read(&ref, opts->state_root, &t->container, NULL);
	}
}

static bool same_ref(const struct insp_container_ref *a, const struct insp_container_ref *b)
{
	return strcmp(a->id, b->id) == 0 && strcmp(a->runtime, b->runtime) == 0;
}

static struct candidate *find_candidate(struct candidates *c, const struct insp_container_ref *ref)
{
	for (size_t i = 0; i < c->n; i++)
		if (same_ref(&c->v[i].ref, ref))
			return &c->v[i];
	return NULL;
}

/* Keep the process whose parent is outside the container; the oldest one if several. */
static void consider_init(struct candidate *cand, const struct insp_proc *p, bool rooted)
{
	if (cand->init && (cand->init_rooted && !rooted))
		return;
	if (cand->init && cand->init_rooted == rooted && cand->init_start <= p->start_time)
		return;
	cand->init = p->pid;
	cand->init_start = p->start_time;
	cand->init_rooted = rooted;
}

static int collect_containers(struct insp_procs *procs, struct candidates *c)
{
	size_t n = insp_procs_count(procs);
	struct insp_container_ref *refs = calloc(n ? n : 1, sizeof(*refs));

	if (!refs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct insp_proc *p = insp_procs_at(procs, i);

		if (!p->cgroup_file || insp_container_from_cgroup_file(p->cgroup_file, &refs[i]) < 0)
			refs[i].id[0] = '\0';
	}
	for (size_t i = 0; i < n; i++) {
		struct insp_proc *p = insp_procs_at(procs, i), *parent;
		struct candidate *cand;
		bool rooted;

		if (!refs[i].id[0])
			continue;
		cand = find_candidate(c, &refs[i]);
		if (!cand) {
			struct candidate *grown = util_xreallocarray(c->v, c->n + 1, sizeof(*c->v));

			if (!grown) {
				free(refs);
				return -ENOMEM;
			}
			c->v = grown;
			cand = memset(&c->v[c->n++], 0, sizeof(*cand));
			cand->ref = refs[i];
		}
		parent = insp_procs_find(procs, p->ppid);
		rooted = !parent || !same_ref(&refs[parent - insp_procs_at(procs, 0)], &refs[i]);
		consider_init(cand, p, rooted);
	}
	free(refs);
	return 0;
}

static void load_info(struct candidate *cand, const struct insp_resolve_opts *opts)
{
	if (!cand->info_read)
		insp_container_info_read(&cand->ref, opts->state_root, &cand->info, NULL);
	cand->info_read = true;
}

/* "docker:3f2a" names the runtime too; a bare word may be an id, a prefix or a name. */
static void split_spec(const char *spec, char *runtime, size_t size, const char **word)
{
	const char *colon = strchr(spec, ':');

	runtime[0] = '\0';
	*word = spec;
	if (colon && (size_t)(colon - spec) < size) {
		snprintf(runtime, size, "%.*s", (int)(colon - spec), spec);
		*word = colon + 1;
	}
}

static bool runtime_ok(const struct candidate *cand, const char *runtime)
{
	return !*runtime || strcmp(cand->ref.runtime, runtime) == 0;
}

static int ambiguous(const struct candidate **hits, size_t nhits, const char *spec,
		     struct insp_error *err)
{
	char list[400] = "";
	size_t len = 0;

	for (size_t i = 0; i < nhits && i < MAX_SHOWN_CANDIDATES; i++) {
		char shortname[160];

		insp_container_short(&hits[i]->ref, shortname, sizeof(shortname));
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s%s%s%s", i ? ", " : "",
					shortname, hits[i]->info.name[0] ? " (" : "", hits[i]->info.name,
					hits[i]->info.name[0] ? ")" : "");
		if (len >= sizeof(list))
			break;
	}
	return insp_error_input(err, ENOTUNIQ, "'%s' matches %zu containers: %s%s", spec, nhits, list,
			      nhits > MAX_SHOWN_CANDIDATES ? ", ..." : "");
}

/* Exact id, then exact name, then a unique id prefix (docker's order). */
static int match(struct candidates *c, const char *spec, const struct insp_resolve_opts *opts,
		 struct candidate **out, struct insp_error *err)
{
	char runtime[16];
	const char *word;
	const struct candidate **hits = calloc(c->n ? c->n : 1, sizeof(*hits));
	size_t nhits = 0;
	int r = 0;

	if (!hits)
		return insp_error_set(err, ENOMEM, "container list");
	split_spec(spec, runtime, sizeof(runtime), &word);
	for (int pass = 0; pass < 3 && !nhits; pass++) {
		for (size_t i = 0; i < c->n; i++) {
			struct candidate *cand = &c->v[i];
			bool hit;

			if (!runtime_ok(cand, runtime) || !*word)
				continue;
			if (pass == 1)
				load_info(cand, opts);
			hit = pass == 0	  ? strcmp(cand->ref.id, word) == 0
			      : pass == 1 ? strcmp(cand->info.name, word) == 0
					  : strncmp(cand->ref.id, word, strlen(word)) == 0;
			if (hit)
				hits[nhits++] = cand;
		}
	}
	if (nhits == 1)
		*out = (struct candidate *)hits[0];
	else if (nhits > 1)
		r = ambiguous(hits, nhits, spec, err);
	else
		r = insp_error_set_msg(err, ESRCH, "'%s': no such pid, and no running container has this id or name", spec);
	free(hits);
	return r;
}

static void take_hit(struct insp_target *out, const struct candidate *hit)
{
	out->container = hit->info;
	out->by_container = out->in_container = true;
}

/*
 * The runtimes' state files name running containers and their pids, which
 * is cheaper than reading every process's cgroups. A pid from a state file
 * is only believed once the process is seen in the container's cgroup.
 * Returns 0 (pinned), -ENOTUNIQ (ambiguous), or -ENOENT: scan processes.
 */
static int resolve_from_state(const char *spec, const struct insp_resolve_opts *opts, struct insp_target *out,
			      struct insp_error *err)
{
	struct state_containers list;
	struct candidates c = { 0 };
	struct candidate *hit = NULL;
	struct insp_container_ref ref;
	int r;

	if (container_state_running(opts->state_root, &list) < 0 || !list.n) {
		free(list.v);
		return -ENOENT;
	}
	if (!(c.v = calloc(list.n, sizeof(*c.v)))) {
		free(list.v);
		return -ENOENT;
	}
	for (size_t i = 0; i < list.n; i++)
		c.v[c.n++] = (struct candidate){ .ref = list.v[i].info.ref, .init = list.v[i].pid, .info_read = true,
						  .info = list.v[i].info };
	free(list.v);
	r = match(&c, spec, opts, &hit, err);
	if (r == 0) {
		r = pin(out, hit->init, 0, NULL);
		if (r == 0 && (insp_container_of_pid(out->pid, &ref) < 0 || !same_ref(&ref, &hit->ref))) {
			insp_target_release(out);
			r = -ESRCH;
		}
		if (r == 0) {
			take_hit(out, hit);
			insp_target_fill(out, INSP_PROC_CGROUP, NULL);
		}
	}
	free(c.v);
	if (r == -ENOTUNIQ)
		return r;
	if (r < 0 && err)
		insp_error_clear(err);
	return r < 0 ? -ENOENT : 0;
}

static int resolve_container(const char *spec, const struct insp_resolve_opts *opts,
			     struct insp_target *out, struct insp_error *err)
{
	struct insp_scan_opts scan = { .backend = INSP_BACKEND_PROC,
				       .fields = INSP_PROC_STAT | INSP_PROC_CGROUP };
	struct insp_procs *procs = NULL;
	struct candidates c = { 0 };
	struct candidate *hit = NULL;
	int r = resolve_from_state(spec, opts, out, err);

	if (r != -ENOENT)
		return r;
	r = insp_procs_scan(&procs, &scan, err);
	if (r < 0)
		return r;
	r = collect_containers(procs, &c);
	insp_procs_free(procs);
	if (r < 0) {
		free(c.v);
		return insp_error_set(err, -r, "container list");
	}
	r = match(&c, spec, opts, &hit, err);
	if (r == 0) {
		load_info(hit, opts);
		take_hit(out, hit);
		r = pin(out, hit->init, hit->init_start, err);
		if (r == 0)
			insp_target_fill(out, INSP_PROC_CGROUP, NULL);
	}
	free(c.v);
	return r;
}

static int parse_pid_spec(const char *spec, pid_t *pid)
{
	uint64_t v;

	if (strncmp(spec, "pid:", 4) == 0)
		spec += 4;
	if (util_parse_u64(spec, &v) < 0 || v == 0 || v > 0x3fffffff)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

INSP_EXPORT int insp_target_resolve(const char *spec, const struct insp_resolve_opts *opts,
				    struct insp_target *out, struct insp_error *err)
{
	static const struct insp_resolve_opts defaults;
	pid_t pid;
	int r;

	memset(out, 0, sizeof(*out));
	out->pidfd = -1;
	if (!opts)
		opts = &defaults;
	if (!spec || !*spec)
		return insp_error_input(err, EINVAL, "empty target");
	if (parse_pid_spec(spec, &pid) == 0) {
		struct insp_error container_err = { 0 };

		r = pin(out, pid, 0, err);
		if (r == 0)
			read_container_of(out, opts);
		/* Container ids are hex, so "8186" may be a prefix of one rather than a pid. */
		if (r != -ESRCH || strncmp(spec, "pid:", 4) == 0)
			return r;
		r = resolve_container(spec, opts, out, &container_err);
		if (r != -ESRCH && err)
			*err = container_err;
		return r;
	}
	if (strncmp(spec, "pid:", 4) == 0)
		return insp_error_input(err, EINVAL, "'%s': not a pid", spec);
	return resolve_container(spec, opts, out, err);
}

INSP_EXPORT int insp_target_alive(const struct insp_target *t)
{
	unsigned long long start;

	if (t->pidfd >= 0)
		return syscall(SYS_pidfd_send_signal, t->pidfd, 0, NULL, 0) < 0 && errno == ESRCH ? -ESRCH : 0;
	return read_start_time(t->pid, &start) == 0 && start == t->start_time ? 0 : -ESRCH;
}

INSP_EXPORT void insp_target_release(struct insp_target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
	insp_proc_release(&t->proc);
	t->proc = (struct insp_proc){ 0 };
}
