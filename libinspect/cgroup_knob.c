// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Knobs by their v2 names, routed to the hierarchy that owns the controller
 * and, on v1, to the files that mean the same thing. Reads return the v2
 * text whatever the hierarchy, so every frontend speaks one dialect.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>

#include "cgroup_internal.h"
#include "util.h"


#define KNOB(n, c, u, w, map, file, h) \
	{ .info = { .name = n, .controller = c, .unit = u, .writable = w, .help = h }, .v1 = map, .v1_file = file }

static const struct cgroup_knob knobs[] = {
	KNOB("memory.max", "memory", INSP_CGROUP_BYTES, true, V1_FILE, "memory.limit_in_bytes",
	     "hard limit; the OOM killer runs above it"),
	KNOB("memory.high", "memory", INSP_CGROUP_BYTES, true, V1_NONE, NULL,
	     "throttling limit; reclaim is forced above it"),
	KNOB("memory.low", "memory", INSP_CGROUP_BYTES, true, V1_FILE, "memory.soft_limit_in_bytes",
	     "best-effort protection from reclaim"),
	KNOB("memory.min", "memory", INSP_CGROUP_BYTES, true, V1_NONE, NULL, "hard protection from reclaim"),
	KNOB("memory.swap.max", "memory", INSP_CGROUP_BYTES, true, V1_SWAP_MAX, "memory.memsw.limit_in_bytes",
	     "swap limit (v1: memory+swap minus the memory limit)"),
	KNOB("memory.oom.group", "memory", INSP_CGROUP_FLAG, true, V1_NONE, NULL,
	     "1: the OOM killer kills the whole cgroup"),
	KNOB("cpu.max", "cpu", INSP_CGROUP_CPU_MAX, true, V1_CPU_MAX, "cpu.cfs_quota_us",
	     "bandwidth: \"QUOTA PERIOD\" us, 50% of a CPU, 1.5 CPUs, max"),
	KNOB("cpu.weight", "cpu", INSP_CGROUP_COUNT, true, V1_SHARES, "cpu.shares",
	     "share under contention, 1..10000 (100 by default)"),
	KNOB("cpu.idle", "cpu", INSP_CGROUP_FLAG, true, V1_SAME, NULL, "1: schedule as SCHED_IDLE"),
	KNOB("pids.max", "pids", INSP_CGROUP_COUNT, true, V1_SAME, NULL, "most tasks at once; fork fails above"),
	KNOB("io.max", "io", INSP_CGROUP_IO_MAX, true, V1_IO_MAX, "blkio.throttle.*_device",
	     "per device: \"8:0 rbps=10M wiops=100\" (or /dev/NAME)"),
	KNOB("cpuset.cpus", "cpuset", INSP_CGROUP_LIST, true, V1_SAME, NULL,
	     "cpus allowed, within the parent's effective cpus"),
	KNOB("cpuset.mems", "cpuset", INSP_CGROUP_LIST, true, V1_SAME, NULL,
	     "memory nodes allowed, within the parent's"),
	KNOB("cgroup.max.descendants", NULL, INSP_CGROUP_COUNT, true, V1_NONE, NULL,
	     "most cgroups below; mkdir fails above"),
	KNOB("cgroup.max.depth", NULL, INSP_CGROUP_COUNT, true, V1_NONE, NULL, "deepest level below"),
	KNOB("cgroup.freeze", NULL, INSP_CGROUP_FLAG, true, V1_FREEZER, "freezer.state",
	     "1: stop every process in it"),
	KNOB("memory.current", "memory", INSP_CGROUP_BYTES, false, V1_FILE, "memory.usage_in_bytes",
	     "memory in use"),
	KNOB("memory.peak", "memory", INSP_CGROUP_BYTES, false, V1_FILE, "memory.max_usage_in_bytes",
	     "most memory ever in use"),
	KNOB("memory.swap.current", "memory", INSP_CGROUP_BYTES, false, V1_SWAP_CURRENT, NULL, "swap in use"),
	KNOB("memory.events", "memory", INSP_CGROUP_KEYED, false, V1_MEMORY_EVENTS, "memory.oom_control",
	     "limit hits and OOM kills"),
	KNOB("memory.stat", "memory", INSP_CGROUP_KEYED, false, V1_SAME, NULL, "memory by kind"),
	KNOB("pids.current", "pids", INSP_CGROUP_COUNT, false, V1_SAME, NULL, "tasks now"),
	KNOB("pids.events", "pids", INSP_CGROUP_KEYED, false, V1_SAME, NULL, "forks refused at pids.max"),
	KNOB("cpu.stat", "cpu", INSP_CGROUP_KEYED, false, V1_CPU_STAT, "cpu.stat",
	     "usage and throttling (v1: with cpuacct.usage)"),
	KNOB("io.stat", "io", INSP_CGROUP_TEXT, false, V1_IO_STAT, "blkio.throttle.io_service*",
	     "bytes and operations per device"),
	KNOB("cpu.pressure", NULL, INSP_CGROUP_PSI, false, V1_NONE, NULL, "PSI: time stalled on cpu"),
	KNOB("memory.pressure", NULL, INSP_CGROUP_PSI, false, V1_NONE, NULL, "PSI: time stalled on memory"),
	KNOB("io.pressure", NULL, INSP_CGROUP_PSI, false, V1_NONE, NULL, "PSI: time stalled on io"),
	KNOB("cgroup.events", NULL, INSP_CGROUP_KEYED, false, V1_NONE, NULL, "populated and frozen"),
	KNOB("cgroup.stat", NULL, INSP_CGROUP_KEYED, false, V1_NONE, NULL, "descendant counts"),
	KNOB("cgroup.controllers", NULL, INSP_CGROUP_TEXT, false, V1_NONE, NULL, "controllers available"),
	KNOB("cgroup.subtree_control", NULL, INSP_CGROUP_TEXT, true, V1_NONE, NULL,
	     "controllers enabled for children: \"+memory -io\""),
};

/* Files a set must never write: membership has its own verbs, release_agent runs as root. */
static const char *const forbidden[] = {
	"cgroup.procs", "cgroup.threads", "tasks", "cgroup.kill", "release_agent",
};

INSP_EXPORT const struct insp_cgroup_knob_info *insp_cgroup_knob_at(size_t i)
{
	return i < ARRAY_SIZE(knobs) ? &knobs[i].info : NULL;
}

static const struct cgroup_knob *knob_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (strcmp(knobs[i].info.name, name) == 0)
			return &knobs[i];
	return NULL;
}

static bool valid_name(const char *name)
{
	if (!*name || *name == '.' || strlen(name) >= sizeof(((struct cgroup_route *)0)->file))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      (*p >= 'A' && *p <= 'Z')))
			return false;
	return true;
}

static const struct insp_cgroup_hierarchy *v2_hierarchy(const struct insp_cgroup_hierarchies *hs)
{
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(hs); i++)
		if (insp_cgroup_hierarchies_at(hs, i)->unified)
			return insp_cgroup_hierarchies_at(hs, i);
	return NULL;
}

const struct insp_cgroup_hierarchy *cgroup_controller_hierarchy(const struct insp_cgroup_hierarchies *hs,
								const char *controller)
{
	const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchy_for(hs, controller);

	/* v1 calls io "blkio". */
	if (!h && strcmp(controller, "io") == 0)
		h = insp_cgroup_hierarchy_for(hs, "blkio");
	return h;
}

/* hugetlb.<size>.max and .current: v1 calls them limit_in_bytes and usage_in_bytes. */
static int route_hugetlb(const char *name, bool v1, struct cgroup_route *r)
{
	static const struct cgroup_knob limit = KNOB("hugetlb.*.max", "hugetlb", INSP_CGROUP_BYTES, true,
						     V1_FILE, NULL, "huge page limit");
	static const struct cgroup_knob usage = KNOB("hugetlb.*.current", "hugetlb", INSP_CGROUP_BYTES,
						     false, V1_FILE, NULL, "huge pages in use");
	const char *dot = strrchr(name, '.');
	bool is_limit = dot && strcmp(dot, ".max") == 0;

	if (!dot || dot == name + 7 || (!is_limit && strcmp(dot, ".current") != 0))
		return -ENOENT;
	r->knob = is_limit ? &limit : &usage;
	if (v1)
		snprintf(r->file, sizeof(r->file), "%.*s.%s", (int)(dot - name), name,
			 is_limit ? "limit_in_bytes" : "usage_in_bytes");
	return 0;
}

static int route_raw(const struct insp_cgroup *cg, const char *name, const struct insp_cgroup_hierarchy **h,
		     struct insp_error *err)
{
	size_t plen = strcspn(name, ".");
	char controller[32];

	if (plen >= sizeof(controller) || !name[plen])
		return insp_error_set_msg(err, ENOENT, "%s: unknown knob (see nsctl cgroup knobs)", name);
	snprintf(controller, sizeof(controller), "%.*s", (int)plen, name);
	*h = strcmp(controller, "cgroup") == 0 ? v2_hierarchy(cg->hs) : cgroup_controller_hierarchy(cg->hs, controller);
	if (!*h)
		return insp_error_set_msg(err, ENOENT, "%s: unknown knob, and no hierarchy has a %s controller",
					  name, controller);
	return 0;
}

int cgroup_route(const struct insp_cgroup *cg, const char *name, struct cgroup_route *r,
		 struct insp_error *err)
{
	const struct insp_cgroup_hierarchy *h, *v2 = v2_hierarchy(cg->hs);
	const struct cgroup_knob *k;
	int ret;

	*r = (struct cgroup_route){ 0 };
	if (!valid_name(name))
		return insp_error_input(err, EINVAL, "\"%s\": not a knob name", name);
	for (size_t i = 0; i < ARRAY_SIZE(forbidden); i++)
		if (strcmp(name, forbidden[i]) == 0)
			return insp_error_input(err, EPERM, "%s: not a limit (use nsctl cgroup move/rm)", name);
	k = r->knob = knob_find(name);
	if (k && !k->info.controller) {
		/* Core files live on v2; only the freezer has a v1 twin. */
		h = v2 && cg->dirfd[cgroup_hierarchy_index(cg->hs, v2)] >= 0 ? v2
		    : k->v1 == V1_FREEZER ? insp_cgroup_hierarchy_for(cg->hs, "freezer") : v2;
	} else if (k || strncmp(name, "hugetlb.", 8) == 0) {
		h = cgroup_controller_hierarchy(cg->hs, k ? k->info.controller : "hugetlb");
	} else if ((ret = route_raw(cg, name, &h, err)) < 0) {
		return ret;
	}
	if (!h)
		return insp_error_set_msg(err, ENOENT, "%s: no mounted hierarchy offers the %s controller", name,
					  k && k->info.controller ? k->info.controller : k ? "v2 core" : "hugetlb");
	r->hierarchy = cgroup_hierarchy_index(cg->hs, h);
	r->v1 = !h->unified;
	snprintf(r->file, sizeof(r->file), "%s", name);
	if (!k && strncmp(name, "hugetlb.", 8) == 0 && route_hugetlb(name, r->v1, r) < 0)
		return insp_error_set_msg(err, ENOENT, "%s: expected hugetlb.SIZE.max or hugetlb.SIZE.current", name);
	if (cg->dirfd[r->hierarchy] < 0)
		return insp_error_set_msg(err, ENOENT, "%s: cgroup %s does not exist in the %s hierarchy", name,
					  cg->path, h->unified ? "v2" : h->controllers);
	if (r->v1 && r->knob && r->knob->v1 == V1_NONE)
		return insp_error_set_msg(err, EOPNOTSUPP, "%s: has no cgroup v1 equivalent (%s is on v1 here)",
					  name, h->controllers);
	if (r->v1 && r->knob && r->knob->v1 == V1_FILE && r->knob->v1_file)
		snprintf(r->file, sizeof(r->file), "%s", r->knob->v1_file);
	return 0;
}

__thread struct cgroup_files *cgroup_kept_files;

void cgroup_files_free(struct cgroup_files *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].fd >= 0)
			close(f->v[i].fd);
	free(f->v);
	free(f);
}

/* The kept fd of dirfd/file, opened the first time; -errno if it cannot be. */
static int kept_fd(struct cgroup_files *f, int dirfd, const char *file)
{
	struct cgroup_file *grown;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].dirfd == dirfd && strcmp(f->v[i].name, file) == 0)
			return f->v[i].fd;
	if (strlen(file) >= sizeof(f->v[0].name) || !(grown = util_xreallocarray(f->v, f->n + 1, sizeof(*f->v))))
		return -ENOMEM;
	f->v = grown;
	grown = &f->v[f->n++];
	grown->dirfd = dirfd;
	snprintf(grown->name, sizeof(grown->name), "%s", file);
	grown->fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (grown->fd < 0)
		grown->fd = -errno;
	return grown->fd;
}

/*
 * A cgroup file's text. A kept file is read again from its start: cgroupfs
 * regenerates the text at offset 0, so one pread replaces open, read, close.
 */
static int read_file(int dirfd, const char *file, char **out, size_t *len)
{
	int fd;

	if (!cgroup_kept_files)
		return util_read_all_at(dirfd, file, out, len);
	if ((fd = kept_fd(cgroup_kept_files, dirfd, file)) < 0)
		return fd;
	return util_pread_all(fd, out, len);
}

int cgroup_read_text(int dirfd, const char *file, char **out)
{
	size_t len;
	int r = read_file(dirfd, file, out, &len);

	if (r < 0)
		return r;
	while (len && (*out)[len - 1] == '\n')
		(*out)[--len] = '\0';
	return 0;
}

int cgroup_read_u64(int dirfd, const char *file, uint64_t *v)
{
	char buf[64];
	ssize_t n;
	int fd;

	if (!cgroup_kept_files)
		n = util_read_at(dirfd, file, buf, sizeof(buf));
	else if ((fd = kept_fd(cgroup_kept_files, dirfd, file)) < 0)
		n = fd;
	else if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) < 0)
		n = -errno;
	else
		buf[n] = '\0';
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, "-1") == 0 || strcmp(buf, "max") == 0) {
		*v = INSP_CGROUP_UNLIMITED;
		return 0;
	}
	return util_parse_u64(buf, v);
}

/* A counter of a kernel text, 0 when the kernel does not have it. */
static uint64_t keyed(const char *text, const char *key)
{
	uint64_t v;

	return insp_cgroup_keyed(text, key, &v) == 0 ? v : 0;
}

uint64_t cgroup_v1_bytes(uint64_t v)
{
	return v >= V1_MEMORY_UNLIMITED ? INSP_CGROUP_UNLIMITED : v;
}

static int dup_u64(uint64_t v, char **out)
{
	char buf[24];

	cgv_format_u64(v, buf, sizeof(buf));
	return (*out = strdup(buf)) ? 0 : -ENOMEM;
}

static int read_v1_cpu_max(int fd, char **out)
{
	uint64_t quota, period;
	int r = cgroup_read_u64(fd, "cpu.cfs_quota_us", &quota);

	if (r == 0)
		r = cgroup_read_u64(fd, "cpu.cfs_period_us", &period);
	if (r < 0)
		return r;
	if (quota == INSP_CGROUP_UNLIMITED)
		return asprintf(out, "max %" PRIu64, period) < 0 ? -ENOMEM : 0;
	return asprintf(out, "%" PRIu64 " %" PRIu64, quota, period) < 0 ? -ENOMEM : 0;
}

static int read_v1_swap(int fd, bool limit, char **out)
{
	uint64_t mem, memsw;
	int r = cgroup_read_u64(fd, limit ? "memory.limit_in_bytes" : "memory.usage_in_bytes", &mem);

	if (r == 0)
		r = cgroup_read_u64(fd, limit ? "memory.memsw.limit_in_bytes" : "memory.memsw.usage_in_bytes", &memsw);
	if (r < 0)
		return r;
	mem = cgroup_v1_bytes(mem);
	memsw = cgroup_v1_bytes(memsw);
	return dup_u64(memsw == INSP_CGROUP_UNLIMITED ? memsw : memsw > mem ? memsw - mem : 0, out);
}

static int read_v1_memory_events(int fd, char **out)
{
	_cleanup_free_ char *oom = NULL;
	uint64_t failcnt = 0;
	int r = cgroup_read_text(fd, "memory.oom_control", &oom);

	if (r < 0)
		return r;
	cgroup_read_u64(fd, "memory.failcnt", &failcnt);
	return asprintf(out, "max %" PRIu64 "\noom_kill %" PRIu64, failcnt, keyed(oom, "oom_kill")) < 0
		       ? -ENOMEM
		       : 0;
}

/* v1 splits cpu.stat (ns) and usage (cpuacct, perhaps another hierarchy). */
static int read_v1_cpu_stat(const struct insp_cgroup *cg, int fd, char **out)
{
	_cleanup_free_ char *stat = NULL;
	const struct insp_cgroup_hierarchy *acct = insp_cgroup_hierarchy_for(cg->hs, "cpuacct");
	int acct_fd = acct ? cg->dirfd[cgroup_hierarchy_index(cg->hs, acct)] : -1;
	uint64_t usage = 0;
	int r = cgroup_read_text(fd, "cpu.stat", &stat);

	if (r < 0)
		return r;
	if (acct_fd >= 0 && cgroup_read_u64(acct_fd, "cpuacct.usage", &usage) < 0)
		usage = 0;
	return asprintf(out, "usage_usec %" PRIu64 "\nnr_periods %" PRIu64 "\nnr_throttled %" PRIu64
			     "\nthrottled_usec %" PRIu64,
			usage / 1000, keyed(stat, "nr_periods"), keyed(stat, "nr_throttled"),
			keyed(stat, "throttled_time") / 1000) < 0
		       ? -ENOMEM
		       : 0;
}

/* Per-device rows gathered from several v1 files into v2's "8:0 k=v ..." lines. */
struct dev_row {
	unsigned major, minor;
	uint64_t v[4];
};

struct dev_rows {
	struct dev_row *v;
	size_t n;
};

static struct dev_row *dev_row(struct dev_rows *rows, unsigned major, unsigned minor, uint64_t init)
{
	struct dev_row *grown;

	for (size_t i = 0; i < rows->n; i++)
		if (rows->v[i].major == major && rows->v[i].minor == minor)
			return &rows->v[i];
	grown = util_xreallocarray(rows->v, rows->n + 1, sizeof(*rows->v));
	if (!grown)
		return NULL;
	rows->v = grown;
	rows->v[rows->n] = (struct dev_row){ major, minor, { init, init, init, init } };
	return &rows->v[rows->n++];
}

/*
 * Lines "MAJ:MIN [OP] VALUE" of one v1 file into column col (op NULL), or
 * into col for "Read" and col + 1 for "Write".
 */
static int parse_rows(char *text, bool ops, size_t col, uint64_t init, struct dev_rows *rows)
{
	for (char *line = text; line && *line;) {
		char *eol = strchr(line, '\n'), op[16];
		unsigned major, minor;
		unsigned long long v;
		struct dev_row *row;

		if (eol)
			*eol = '\0';
		if (ops ? sscanf(line, "%u:%u %15s %llu", &major, &minor, op, &v) == 4
			: sscanf(line, "%u:%u %llu", &major, &minor, &v) == 3) {
			size_t c = !ops ? col : strcmp(op, "Read") == 0 ? col : strcmp(op, "Write") == 0 ? col + 1 : 4;

			if (c < 4) {
				if (!(row = dev_row(rows, major, minor, init)))
					return -ENOMEM;
				row->v[c] = v;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

static int gather_rows(int fd, const char *file, bool ops, size_t col, uint64_t init, struct dev_rows *rows)
{
	_cleanup_free_ char *text = NULL;
	int r = cgroup_read_text(fd, file, &text);

	return r < 0 ? r : parse_rows(text, ops, col, init, rows);
}

static int format_rows(const struct dev_rows *rows, const char *const keys[4], char **out)
{
	/* The longest row: "4294967295:4294967295", four " wbytes=" with 20 digits, "\n". */
	size_t size = rows->n * 136 + 1, len = 0;
	char *text = malloc(size);

	if (!text)
		return -ENOMEM;
	text[0] = '\0';
	for (size_t i = 0; i < rows->n; i++) {
		len += (size_t)snprintf(text + len, size - len, "%s%u:%u", i ? "\n" : "", rows->v[i].major,
					rows->v[i].minor);
		for (size_t k = 0; k < 4; k++) {
			char v[24];

			cgv_format_u64(rows->v[i].v[k], v, sizeof(v));
			len += (size_t)snprintf(text + len, size - len, " %s=%s", keys[k], v);
		}
	}
	*out = text;
	return 0;
}

const char *const cgroup_v1_throttle_files[CGV_IO_KEYS] = {
	"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
	"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
};

static const char *const io_stat_keys[4] = { "rbytes", "wbytes", "rios", "wios" };

int cgroup_v1_io_stat(char *service_bytes, char *serviced, char **out)
{
	struct dev_rows rows = { 0 };
	int r = parse_rows(service_bytes, true, 0, 0, &rows);

	if (r == 0)
		r = parse_rows(serviced, true, 2, 0, &rows);
	if (r == 0)
		r = format_rows(&rows, io_stat_keys, out);
	free(rows.v);
	return r;
}

static int read_v1_io(int fd, bool limits, char **out)
{
	_cleanup_free_ char *bytes = NULL, *ios = NULL;
	struct dev_rows rows = { 0 };
	int r = 0;

	if (!limits) {
		if ((r = cgroup_read_text(fd, "blkio.throttle.io_service_bytes_recursive", &bytes)) < 0 ||
		    (r = cgroup_read_text(fd, "blkio.throttle.io_serviced_recursive", &ios)) < 0)
			return r;
		return cgroup_v1_io_stat(bytes, ios, out);
	}
	for (size_t k = 0; r == 0 && k < CGV_IO_KEYS; k++)
		r = gather_rows(fd, cgroup_v1_throttle_files[k], false, k, INSP_CGROUP_UNLIMITED, &rows);
	if (r == 0)
		r = format_rows(&rows, cgv_io_keys, out);
	free(rows.v);
	return r;
}

static int read_v1(const struct insp_cgroup *cg, const struct cgroup_route *rt, int fd, char **out)
{
	_cleanup_free_ char *text = NULL;
	uint64_t v;
	int r;

	switch (rt->knob->v1) {
	case V1_CPU_MAX:
		return read_v1_cpu_max(fd, out);
	case V1_SHARES:
		r = cgroup_read_u64(fd, "cpu.shares", &v);
		return r < 0 ? r : dup_u64(cgv_shares_to_weight(v), out);
	case V1_FREEZER:
		r = cgroup_read_text(fd, "freezer.state", &text);
		return r < 0 ? r : (*out = strdup(strcmp(text, "THAWED") == 0 ? "0" : "1")) ? 0 : -ENOMEM;
	case V1_SWAP_MAX:
	case V1_SWAP_CURRENT:
		return read_v1_swap(fd, rt->knob->v1 == V1_SWAP_MAX, out);
	case V1_MEMORY_EVENTS:
		return read_v1_memory_events(fd, out);
	case V1_CPU_STAT:
		return read_v1_cpu_stat(cg, fd, out);
	case V1_IO_MAX:
	case V1_IO_STAT:
		return read_v1_io(fd, rt->knob->v1 == V1_IO_MAX, out);
	default:
		break;
	}
	if (rt->knob->info.unit != INSP_CGROUP_BYTES)
		return cgroup_read_text(fd, rt->file, out);
	r = cgroup_read_u64(fd, rt->file, &v);
	return r < 0 ? r : dup_u64(cgroup_v1_bytes(v), out);
}

int cgroup_route_read(const struct insp_cgroup *cg, const struct cgroup_route *rt, char **out,
		      struct insp_error *err)
{
	int fd = cg->dirfd[rt->hierarchy];
	int r = rt->v1 && rt->knob ? read_v1(cg, rt, fd, out) : cgroup_read_text(fd, rt->file, out);

	if (r < 0)
		return insp_error_set(err, -r, "%s: %s", rt->knob ? rt->knob->info.name : rt->file, rt->file);
	return 0;
}

INSP_EXPORT int insp_cgroup_get(const struct insp_cgroup *cg, const char *name, char **value,
				struct insp_error *err)
{
	struct cgroup_route rt;
	int r = cgroup_route(cg, name, &rt, err);

	if (r < 0)
		return r;
	cgroup_kept_files = cg->files;
	r = cgroup_route_read(cg, &rt, value, err);
	cgroup_kept_files = NULL;
	return r;
}

INSP_EXPORT int insp_cgroup_keep_files(struct insp_cgroup *cg)
{
	if (!cg->files && !(cg->files = calloc(1, sizeof(*cg->files))))
		return -ENOMEM;
	return 0;
}

INSP_EXPORT const struct insp_cgroup_knob_info *insp_cgroup_knob_info(const char *name)
{
	const struct cgroup_knob *k = knob_find(name);
	struct cgroup_route r;

	if (k)
		return &k->info;
	return strncmp(name, "hugetlb.", 8) == 0 && route_hugetlb(name, false, &r) == 0 ? &r.knob->info : NULL;
}
