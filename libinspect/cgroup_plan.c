// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From "knob=value" to the file writes that carry it out, each with the
 * text that undoes it. Everything the kernel would refuse is refused here,
 * before the first write, so a set either applies whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "util.h"

#define PIDS_LIMIT 4194304u	/* PID_MAX_LIMIT */

struct plan_ctx {
	const struct insp_cgroup *cg;
	const struct cgroup_route *rt;
	const char *name, *value;
	int fd;
	struct cgroup_plan *plan;
	char *old;		/* v2 text before */
	char new_value[256];	/* v2 text after */
	struct insp_error *err;
};

int cgroup_plan_add(struct cgroup_plan *plan, int dirfd, const char *file, const char *text,
		    const char *undo)
{
	struct cgroup_write *grown = util_xreallocarray(plan->w, plan->n + 1, sizeof(*plan->w));
	struct cgroup_write *w;

	if (!grown)
		return -ENOMEM;
	plan->w = grown;
	w = &plan->w[plan->n];
	*w = (struct cgroup_write){ .dirfd = dirfd, .change = plan->change };
	snprintf(w->file, sizeof(w->file), "%s", file);
	w->text = strdup(text);
	w->undo = undo ? strdup(undo) : NULL;
	if (!w->text || (undo && !w->undo)) {
		free(w->text);
		free(w->undo);
		return -ENOMEM;
	}
	plan->n++;
	return 0;
}

void cgroup_plan_free(struct cgroup_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		free(plan->w[i].text);
		free(plan->w[i].undo);
	}
	free(plan->w);
	*plan = (struct cgroup_plan){ 0 };
}

/* A write whose undo is the file's current (one-line) text. */
static int add_write(struct plan_ctx *c, const char *file, const char *text)
{
	_cleanup_free_ char *undo = NULL;
	int r = cgroup_read_text(c->fd, file, &undo);

	if (r < 0)
		return insp_error_set(c->err, -r, "%s: %s", c->name, file);
	/* Many-line files (io.max) are not restored by writing them back whole. */
	if (strchr(undo, '\n'))
		free(TAKE_PTR(undo));
	r = cgroup_plan_add(c->plan, c->fd, file, text, undo);
	return r < 0 ? insp_error_set(c->err, -r, "%s", c->name) : 0;
}

/* Name the knob in a parser's message; r is the parser's result. */
static int bad_value(struct plan_ctx *c, int r)
{
	insp_error_prefix(c->err, "%s", c->name);
	return r;
}

static void set_new(struct plan_ctx *c, const char *text)
{
	snprintf(c->new_value, sizeof(c->new_value), "%s", text);
}

/* A memory.max given earlier in the same set counts, not today's. */
static bool planned_v1_limit(const struct plan_ctx *c, uint64_t *mem)
{
	for (size_t i = c->plan->n; i-- > 0;)
		if (c->plan->w[i].dirfd == c->fd && strcmp(c->plan->w[i].file, "memory.limit_in_bytes") == 0)
			return util_parse_u64(c->plan->w[i].text, mem) == 0;
	return false;
}

/* v1 limits memory+swap together: the swap asked for on top of today's memory limit. */
static int plan_v1_swap(struct plan_ctx *c, uint64_t swap)
{
	const char *file = "memory.memsw.limit_in_bytes";
	char text[24];
	uint64_t mem, total;

	if (swap == INSP_CGROUP_UNLIMITED)
		return add_write(c, file, "-1");
	if (!planned_v1_limit(c, &mem) && cgroup_read_u64(c->fd, "memory.limit_in_bytes", &mem) < 0)
		mem = INSP_CGROUP_UNLIMITED;
	if (cgroup_v1_bytes(mem) == INSP_CGROUP_UNLIMITED)
		return insp_error_input(c->err, EINVAL, "%s: on cgroup v1 needs a memory.max (set it first, or in the same set)", c->name);
	if (__builtin_add_overflow(swap, mem, &total) || total > (uint64_t)INT64_MAX)
		return insp_error_input(c->err, ERANGE, "%s=%s: too large", c->name, c->value);
	snprintf(text, sizeof(text), "%" PRIu64, total);
	return add_write(c, file, text);
}

static int plan_bytes(struct plan_ctx *c)
{
	uint64_t v, page = (uint64_t)sysconf(_SC_PAGESIZE);
	char text[24];
	int r;

	if ((r = cgv_parse_bytes(c->value, &v, c->err)) < 0)
		return bad_value(c, r);
	/* The kernel keeps pages: show what it will store, and refuse a silent 0. */
	if (v != INSP_CGROUP_UNLIMITED && v % page) {
		if (v < page)
			return insp_error_input(c->err, EINVAL, "%s=%s: below one page (%" PRIu64 " bytes)",
						  c->name, c->value, page);
		v -= v % page;
	}
	cgv_format_u64(v, text, sizeof(text));
	set_new(c, text);
	if (!c->rt->v1)
		return add_write(c, c->rt->file, text);
	if (c->rt->knob && c->rt->knob->v1 == V1_SWAP_MAX)
		return plan_v1_swap(c, v);
	return add_write(c, c->rt->file, v == INSP_CGROUP_UNLIMITED ? "-1" : text);
}

static int plan_count(struct plan_ctx *c, uint64_t limit)
{
	char text[24];
	uint64_t v;
	int r;

	if ((r = cgv_parse_count(c->value, &v, c->err)) < 0)
		return bad_value(c, r);
	if (v != INSP_CGROUP_UNLIMITED && v > limit)
		return insp_error_input(c->err, ERANGE, "%s=%s: above the kernel's limit of %" PRIu64, c->name,
					  c->value, limit);
	cgv_format_u64(v, text, sizeof(text));
	set_new(c, text);
	return add_write(c, c->rt->file, text);
}

static int plan_flag(struct plan_ctx *c)
{
	bool on;
	int r;

	if ((r = cgv_parse_bool(c->value, &on, c->err)) < 0)
		return bad_value(c, r);
	set_new(c, on ? "1" : "0");
	return add_write(c, c->rt->file, on ? "1" : "0");
}

static int plan_freeze(struct plan_ctx *c)
{
	bool on;
	int r;

	if (!c->rt->v1)
		return plan_flag(c);
	if ((r = cgv_parse_bool(c->value, &on, c->err)) < 0)
		return bad_value(c, r);
	set_new(c, on ? "1" : "0");
	/* A v1 freezer caught mid-way reads FREEZING; restoring means FROZEN. */
	r = cgroup_plan_add(c->plan, c->fd, "freezer.state", on ? "FROZEN" : "THAWED",
			    strcmp(c->old, "0") == 0 ? "THAWED" : "FROZEN");
	return r < 0 ? insp_error_set(c->err, -r, "%s", c->name) : 0;
}

static int plan_weight(struct plan_ctx *c)
{
	char text[24];
	uint64_t v;
	int r;

	if ((r = cgv_parse_range(c->value, 1, 10000, &v, c->err)) < 0)
		return bad_value(c, r);
	cgv_format_u64(v, text, sizeof(text));
	set_new(c, text);
	if (!c->rt->v1)
		return add_write(c, c->rt->file, text);
	snprintf(text, sizeof(text), "%" PRIu64, cgv_weight_to_shares(v));
	return add_write(c, "cpu.shares", text);
}

/* cgroup v1 refuses a child more bandwidth than its parent (quota/period). */
static int check_v1_parent_cpu(struct plan_ctx *c, const struct cgv_cpu_max *m)
{
	_cleanup_close_ int parent = cgroup_open_parent(c->cg, c->rt->hierarchy);
	uint64_t pq, pp;

	if (parent < 0 || m->quota == INSP_CGROUP_UNLIMITED ||
	    cgroup_read_u64(parent, "cpu.cfs_quota_us", &pq) < 0 ||
	    cgroup_read_u64(parent, "cpu.cfs_period_us", &pp) < 0 || pq == INSP_CGROUP_UNLIMITED || !pp)
		return 0;
	if ((unsigned __int128)m->quota * pp > (unsigned __int128)pq * m->period)
		return insp_error_input(c->err, EINVAL,
					  "%s=%s: more than the parent's %" PRIu64 "/%" PRIu64 " (v1 requires a child's share to fit in its parent's)",
					  c->name, c->value, pq, pp);
	return 0;
}

static int plan_cpu_max(struct plan_ctx *c)
{
	struct cgv_cpu_max m;
	uint64_t period_now = 0;
	char quota[24], period[24], text[64];
	const char *sp = strchr(c->old, ' ');
	int r;

	if (sp && util_parse_u64(sp + 1, &period_now) < 0)
		period_now = 0;
	if ((r = cgv_parse_cpu_max(c->value, period_now, &m, c->err)) < 0)
		return bad_value(c, r);
	if (!m.period)
		m.period = period_now ? period_now : 100000;
	cgv_format_u64(m.quota, quota, sizeof(quota));
	snprintf(period, sizeof(period), "%" PRIu64, m.period);
	snprintf(text, sizeof(text), "%s %s", quota, period);
	set_new(c, text);
	if (!c->rt->v1)
		return add_write(c, c->rt->file, text);
	if ((r = check_v1_parent_cpu(c, &m)) < 0)
		return r;
	if ((r = add_write(c, "cpu.cfs_period_us", period)) < 0)
		return r;
	return add_write(c, "cpu.cfs_quota_us", m.quota == INSP_CGROUP_UNLIMITED ? "-1" : quota);
}

/* The parent's effective cpus or mems, which a child's list must stay within. */
static int check_within_parent(struct plan_ctx *c, const uint64_t *bits, bool cpus)
{
	_cleanup_close_ int parent = cgroup_open_parent(c->cg, c->rt->hierarchy);
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ uint64_t *allowed = malloc(CGV_MAX_CPUS / 8);
	const char *file = c->rt->v1 ? (cpus ? "cpuset.effective_cpus" : "cpuset.effective_mems")
				     : (cpus ? "cpuset.cpus.effective" : "cpuset.mems.effective");
	unsigned first;

	if (!allowed)
		return insp_error_set(c->err, ENOMEM, "%s", c->name);
	if (parent < 0 || cgroup_read_text(parent, file, &text) < 0 || cgv_parse_cpus(text, allowed, NULL) < 0)
		return 0;
	if (cgv_cpus_outside(bits, allowed, &first))
		return insp_error_input(c->err, EINVAL, "%s=%s: %s %u is not in the parent's effective set (%s)",
					  c->name, c->value, cpus ? "cpu" : "node", first, text);
	return 0;
}

static int plan_list(struct plan_ctx *c)
{
	_cleanup_free_ uint64_t *bits = malloc(CGV_MAX_CPUS / 8);
	bool cpus = strcmp(c->name, "cpuset.cpus") == 0;
	int r;

	if (!bits)
		return insp_error_set(c->err, ENOMEM, "%s", c->name);
	if ((r = cgv_parse_cpus(c->value, bits, c->err)) < 0)
		return bad_value(c, r);
	if ((r = check_within_parent(c, bits, cpus)) < 0)
		return r;
	cgv_format_cpus(bits, c->new_value, sizeof(c->new_value));
	return add_write(c, c->rt->file, c->new_value);
}

static int device_exists(const struct cgv_io_max *io)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", io->major, io->minor);
	return access(path, F_OK) == 0 || errno != ENOENT;
}

/* The device's line of a v2 io.max text, all "max" when it has none. */
static void io_current(const char *text, struct cgv_io_max *io)
{
	char dev[32];
	size_t dlen = (size_t)snprintf(dev, sizeof(dev), "%u:%u ", io->major, io->minor);

	for (size_t k = 0; k < CGV_IO_KEYS; k++)
		io->v[k] = INSP_CGROUP_UNLIMITED;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		struct cgv_io_max line;
		_cleanup_free_ char *copy = NULL;

		if (strncmp(p, dev, dlen) != 0)
			continue;
		copy = strndup(p, strcspn(p, "\n"));
		if (copy && cgv_parse_io_max(copy, &line, NULL) == 0)
			memcpy(io->v, line.v, sizeof(io->v));
		return;
	}
}

static int plan_io_max(struct plan_ctx *c)
{
	struct cgv_io_max want, old, merged;
	char old_line[160], dev[32];
	int r;

	if ((r = cgv_parse_io_max(c->value, &want, c->err)) < 0)
		return bad_value(c, r);
	if (!device_exists(&want))
		return insp_error_input(c->err, ENODEV, "%s=%s: no block device %u:%u", c->name, c->value,
					  want.major, want.minor);
	old = want;
	io_current(c->old, &old);
	merged = old;
	for (size_t k = 0; k < CGV_IO_KEYS; k++)
		if (want.set[k])
			merged.v[k] = want.v[k];
	cgv_format_io_max(&old, old_line, sizeof(old_line));
	cgv_format_io_max(&merged, c->new_value, sizeof(c->new_value));
	free(c->old);
	if (!(c->old = strdup(old_line)))
		return insp_error_set(c->err, ENOMEM, "%s", c->name);
	if (!c->rt->v1) {
		r = cgroup_plan_add(c->plan, c->fd, c->rt->file, c->new_value, old_line);
		return r < 0 ? insp_error_set(c->err, -r, "%s", c->name) : 0;
	}
	/* v1: one file per key, 0 removing the rule. */
	snprintf(dev, sizeof(dev), "%u:%u", want.major, want.minor);
	for (size_t k = 0; k < CGV_IO_KEYS; k++) {
		char text[64], undo[64];

		if (!want.set[k])
			continue;
		snprintf(text, sizeof(text), "%s %" PRIu64, dev, want.v[k] == INSP_CGROUP_UNLIMITED ? 0 : want.v[k]);
		snprintf(undo, sizeof(undo), "%s %" PRIu64, dev, old.v[k] == INSP_CGROUP_UNLIMITED ? 0 : old.v[k]);
		if ((r = cgroup_plan_add(c->plan, c->fd, cgroup_v1_throttle_files[k], text, undo)) < 0)
			return insp_error_set(c->err, -r, "%s", c->name);
	}
	return 0;
}

/* "+memory -io": each controller must be available; the undo flips what changes. */
static int plan_subtree(struct plan_ctx *c)
{
	_cleanup_free_ char *available = NULL, *copy = strdup(c->value);
	char undo[256] = "", text[256] = "";
	char *save = NULL, *tok;
	int r;

	if (!copy || cgroup_read_text(c->fd, "cgroup.controllers", &available) < 0)
		return insp_error_set(c->err, copy ? EIO : ENOMEM, "%s: cgroup.controllers", c->name);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		bool enable = *tok != '-';
		const char *ctrl = tok + (*tok == '+' || *tok == '-');

		if (!*ctrl || !cgroup_list_has(available, ctrl, strlen(ctrl)))
			return insp_error_input(c->err, EINVAL,
						  "%s: controller \"%s\" is not available here (enable it in the parent's cgroup.subtree_control first)",
						  c->name, ctrl);
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%c%s", *text ? " " : "",
			 enable ? '+' : '-', ctrl);
		if (enable != cgroup_list_has(c->old, ctrl, strlen(ctrl)))
			snprintf(undo + strlen(undo), sizeof(undo) - strlen(undo), "%s%c%s", *undo ? " " : "",
				 enable ? '-' : '+', ctrl);
	}
	set_new(c, text);
	r = cgroup_plan_add(c->plan, c->fd, c->rt->file, text, *undo ? undo : NULL);
	return r < 0 ? insp_error_set(c->err, -r, "%s", c->name) : 0;
}

static int plan_known(struct plan_ctx *c)
{
	const struct cgroup_knob *k = c->rt->knob;

	switch (k->v1) {
	case V1_CPU_MAX:
		return plan_cpu_max(c);
	case V1_SHARES:
		return plan_weight(c);
	case V1_IO_MAX:
		return plan_io_max(c);
	case V1_FREEZER:
		return plan_freeze(c);
	default:
		break;
	}
	switch (k->info.unit) {
	case INSP_CGROUP_BYTES:
		return plan_bytes(c);
	case INSP_CGROUP_FLAG:
		return plan_flag(c);
	case INSP_CGROUP_LIST:
		return plan_list(c);
	case INSP_CGROUP_COUNT:
		return plan_count(c, strcmp(c->name, "pids.max") == 0 ? PIDS_LIMIT : INT32_MAX);
	default:
		return strcmp(c->name, "cgroup.subtree_control") == 0 ? plan_subtree(c) : 0;
	}
}

int cgroup_knob_plan(const struct insp_cgroup *cg, const char *name, const char *value,
		     struct cgroup_plan *plan, char **old, char **new_value, struct insp_error *err)
{
	struct cgroup_route rt;
	struct plan_ctx c = { .cg = cg, .rt = &rt, .name = name, .value = value, .plan = plan, .err = err };
	int r = cgroup_route(cg, name, &rt, err);

	if (r < 0)
		return r;
	if (rt.knob && !rt.knob->info.writable)
		return insp_error_input(err, EROFS, "%s: read-only (a statistic, not a limit)", name);
	c.fd = cg->dirfd[rt.hierarchy];
	if ((r = cgroup_route_read(cg, &rt, &c.old, err)) < 0) {
		/* A file this cgroup lacks: the knob asked for does not exist here. */
		if (r == -ENOENT && err)
			err->kind = INSP_ERROR_INPUT;
		return r;
	}
	r = rt.knob ? plan_known(&c) : (set_new(&c, value), add_write(&c, rt.file, value));
	if (r < 0 || !(*new_value = strdup(c.new_value))) {
		free(c.old);
		return r < 0 ? r : insp_error_set(err, ENOMEM, "%s", name);
	}
	*old = c.old;
	return 0;
}
