// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl run: a throw-away sandbox from namespaces, mounts, cgroups, capabilities and seccomp. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <inspect/caps.h>
#include <inspect/sandbox.h>

#include "cli.h"
#include "json.h"
#include "supervise.h"
#include "xalloc.h"

#define CMD "run"

static void usage(FILE *out)
{
	fputs("Usage: nsctl run [options] [--] command [args...]\n"
	      "\n"
	      "Run a command in a throw-away sandbox: new namespaces of every type, a\n"
	      "root filesystem of its own, no capabilities beyond docker's defaults, a\n"
	      "seccomp filter, and optional cgroup limits. The sandbox dies with nsctl;\n"
	      "nothing of it (process, mount, cgroup) outlives the command.\n"
	      "\n"
	      "Namespaces (default: a new one of each of the 8 types):\n"
	      "      --share TYPES      keep ours: mnt,uts,ipc,net,pid,cgroup,user,time\n"
	      "      --join-ns TYPE=PID|FILE  use another process's namespace, or one\n"
	      "                         bound to FILE (not user or mnt; repeatable)\n"
	      "      --net MODE         host (ours), none (new, loopback down), or a\n"
	      "                         netns: a name from `ip netns`, a file, a PID\n"
	      "\n"
	      "Filesystem (default: the host's / read-only):\n"
	      "  -r, --rootfs DIR       DIR as / (pivot_root), writable\n"
	      "      --read-only        ...read-only\n"
	      "      --overlay          ...read-only under a throw-away tmpfs layer\n"
	      "      --bind SRC DST     host SRC at DST inside (after /proc, /dev, /tmp)\n"
	      "      --ro-bind SRC DST  the same, read-only\n"
	      "      --tmpfs DST        an empty tmpfs at DST\n"
	      "  Always: a fresh /proc (kcore, keys, sysrq-trigger, sys... masked or\n"
	      "  read-only), a minimal /dev, and /tmp on tmpfs.\n"
	      "\n"
	      "Users and privileges:\n"
	      "  -u, --uid UID          run as UID inside (default 0, mapped to us)\n"
	      "  -g, --gid GID          run as GID inside (default 0)\n"
	      "      --map-users IN:OUT:COUNT   map a range of uids (repeatable; needs\n"
	      "      --map-groups IN:OUT:COUNT  newuidmap/newgidmap unless root)\n"
	      "      --cap-add CAPS     keep these too (cap_net_admin,SYS_PTRACE or all)\n"
	      "      --cap-drop CAPS    and not these (default: docker's 14 for uid 0,\n"
	      "                         none for others)\n"
	      "      --seccomp FILE     a compiled BPF filter instead of the default,\n"
	      "                         which denies what docker's does, and TIOCSTI;\n"
	      "                         'unconfined' for none. no_new_privs is always set.\n"
	      "      --landlock-ro PATH read and execute below PATH only (repeatable)\n"
	      "      --landlock-rw PATH every file right below PATH (repeatable). Given\n"
	      "                         either, Landlock denies the rest of the filesystem\n"
	      "                         (paths as the sandbox sees them; add\n"
	      "                         --landlock-ro / to keep the rest readable)\n"
	      "      --landlock-bind PORTS     TCP bind to these ports only (80,443;\n"
	      "      --landlock-connect PORTS  connect likewise; repeatable; Linux 6.7)\n"
	      "\n"
	      "Limits (a cgroup nsctl-run-PID, created first, removed at the end):\n"
	      "      --memory SIZE      memory.max, e.g. 256M\n"
	      "      --pids N           pids.max\n"
	      "      --cpus N           cpu.max in CPUs, e.g. 0.5\n"
	      "      --cpuset LIST      cpuset.cpus, e.g. 0-1\n"
	      "      --io SPEC          io.max, e.g. \"/dev/vda rbps=10M\"\n"
	      "      --limit KNOB=VALUE any knob of `nsctl cgroup knobs` (repeatable)\n"
	      "      --cgroup PATH      the cgroup to create instead\n"
	      "\n"
	      "Identity and environment:\n"
	      "      --hostname NAME    in the new uts namespace\n"
	      "  -e, --env K=V          set K (just K: copy ours); repeatable\n"
	      "      --clear-env        start from nothing (default: PATH, HOME, TERM,\n"
	      "                         LANG, TZ)\n"
	      "  -w, --wd DIR           start in DIR (default /)\n"
	      "      --monotonic SECS   offset of CLOCK_MONOTONIC in the new time ns\n"
	      "      --boottime SECS    offset of CLOCK_BOOTTIME\n"
	      "      --json-status-fd FD  write the sandbox's pid and namespaces, then\n"
	      "                         its exit code, as JSON lines to FD\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: the command's, 128+N if signal N killed it, 126/127 if it\n"
	      "cannot be run; 1 if building the sandbox failed, 2 on a usage error.\n"
	      "See nsctl-run(8).\n",
	      out);
}

struct run_args {
	struct insp_sandbox_spec spec;
	struct insp_sandbox_mount *mounts;
	struct insp_sandbox_landlock *landlock;
	struct insp_sandbox_port *ports;
	struct insp_sandbox_idmap uid_map[INSP_SANDBOX_MAX_IDMAP], gid_map[INSP_SANDBOX_MAX_IDMAP];
	char **limits;
	char **env;
	size_t n_env;
	bool clear_env;
	uint64_t cap_add, cap_drop;
	char ns_paths[INSP_NS_NTYPES][64];
	int status_fd;
};

/* "80,443": every port valid, or none is added. */
static int parse_ports(bool connect, const char *list, struct run_args *a)
{
	const char *opt = connect ? "--landlock-connect" : "--landlock-bind";
	struct insp_sandbox_spec *s = &a->spec;
	char *copy = xstrdup(list), *save = NULL, *tok;
	size_t n = s->n_landlock_ports;
	unsigned long port;
	int r = 0;

	for (tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		if ((r = cli_parse_uint(CMD, opt, tok, 65535, &port)))
			break;
		a->ports = xreallocarray(a->ports, n + 1, sizeof(*a->ports));
		a->ports[n++] = (struct insp_sandbox_port){ (uint16_t)port, connect };
	}
	if (!r && n == s->n_landlock_ports)
		r = cli_usage_error(CMD, "%s: no port in '%s'", opt, list);
	free(copy);
	if (r)
		return r;
	s->landlock_ports = a->ports;
	s->n_landlock_ports = n;
	return 0;
}

static int parse_secs(const char *opt, const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return cli_usage_error(CMD, "%s: '%s' is not a number of seconds", opt, s);
	*out = v;
	return 0;
}

static int parse_types(const char *s, unsigned *out)
{
	char buf[128], *save = NULL;

	if (strcmp(s, "all") == 0) {
		*out = INSP_JOIN_NS_ALL;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int t = insp_ns_type_from_name(tok);

		if (t < 0)
			return cli_usage_error(CMD, "--share: unknown namespace type '%s'", tok);
		*out |= INSP_JOIN_NS(t);
	}
	return 0;
}

/* A PID's namespace is opened now, while a pidfd shows the PID is still the process named. */
static int ns_file(struct run_args *a, int type, const char *what, const char *spec)
{
	int pid = cli_parse_pid(spec);
	int pidfd, fd;

	if (type == INSP_NS_USER || type == INSP_NS_MNT)
		return cli_usage_error(CMD, "%s: joining a %s namespace is not supported; see nsctl enter",
				       what, insp_ns_type_name(type));
	if (pid < 0) {
		a->spec.join_ns[type] = spec;
		return 0;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	snprintf(a->ns_paths[type], sizeof(a->ns_paths[type]), "/proc/%d/ns/%s", pid, insp_ns_type_name(type));
	fd = open(a->ns_paths[type], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)) {
		cli_error(CMD, "%s: pid %d: %s", what, pid, strerror(errno));
		return -1;
	}
	if (pidfd >= 0)
		close(pidfd);
	snprintf(a->ns_paths[type], sizeof(a->ns_paths[type]), "/proc/self/fd/%d", fd);
	a->spec.join_ns[type] = a->ns_paths[type];
	return 0;
}

static int parse_join(struct run_args *a, const char *s)
{
	char type[16];
	size_t len = strcspn(s, "=");
	int t;

	snprintf(type, sizeof(type), "%.*s", (int)len, s);
	if (!s[len] || !s[len + 1] || (t = insp_ns_type_from_name(type)) < 0)
		return cli_usage_error(CMD, "--join-ns: '%s' is not TYPE=PID|FILE", s);
	return ns_file(a, t, "--join-ns", s + len + 1);
}

static int parse_net(struct run_args *a, const char *s)
{
	static char named[300];

	if (strcmp(s, "host") == 0) {
		a->spec.share_ns |= INSP_JOIN_NS(INSP_NS_NET);
		return 0;
	}
	if (strcmp(s, "none") == 0) {
		a->spec.lo_down = true;
		return 0;
	}
	if (!strchr(s, '/') && cli_parse_pid(s) < 0) {
		snprintf(named, sizeof(named), "/run/netns/%s", s);
		s = named;
	}
	return ns_file(a, INSP_NS_NET, "--net", s);
}

static int parse_map(const char *opt, const char *s, struct insp_sandbox_idmap *map, size_t *n)
{
	unsigned long in, out, count;
	char tail;

	if (sscanf(s, "%lu:%lu:%lu%c", &in, &out, &count, &tail) != 3 || count == 0 || in > UINT32_MAX ||
	    out > UINT32_MAX || count > UINT32_MAX - in || count > UINT32_MAX - out)
		return cli_usage_error(CMD, "%s: '%s' is not INSIDE:OUTSIDE:COUNT", opt, s);
	if (*n == INSP_SANDBOX_MAX_IDMAP)
		return cli_usage_error(CMD, "%s: more than %d ranges", opt, INSP_SANDBOX_MAX_IDMAP);
	map[(*n)++] = (struct insp_sandbox_idmap){ (uint32_t)in, (uint32_t)out, (uint32_t)count };
	return 0;
}

static int parse_caps(const char *opt, const char *s, uint64_t *mask)
{
	uint64_t m;

	if (strcmp(s, "all") == 0 || strcmp(s, "ALL") == 0)
		m = insp_caps_profile_mask(INSP_CAPS_FULL);
	else if (insp_caps_parse(s, &m) < 0)
		return cli_usage_error(CMD, "%s: '%s' is not a list of capabilities", opt, s);
	*mask |= m;
	return 0;
}

/* Takes an allocated "knob=value". */
static void add_limit(struct run_args *a, char *assignment)
{
	a->limits = xreallocarray(a->limits, a->spec.n_limits + 1, sizeof(*a->limits));
	a->limits[a->spec.n_limits++] = assignment;
}

static void add_env(struct run_args *a, const char *s)
{
	const char *ours = strchr(s, '=') ? NULL : getenv(s);

	if (!strchr(s, '=') && !ours)
		return;
	a->env = xreallocarray(a->env, a->n_env + 2, sizeof(*a->env));
	a->env[a->n_env++] = ours ? xasprintf("%s=%s", s, ours) : xstrdup(s);
	a->env[a->n_env] = NULL;
}

static int add_mount(struct run_args *a, enum insp_sandbox_mount_kind kind, int argc, char **argv)
{
	struct insp_sandbox_mount m = { .kind = kind, .dst = optarg };
	static const char *const names[] = { "--bind", "--ro-bind", "--tmpfs" };

	if (kind != INSP_SANDBOX_TMPFS) {
		if (optind >= argc)
			return cli_usage_error(CMD, "%s %s: a destination is needed", names[kind], optarg);
		m.src = optarg;
		m.dst = argv[optind++];
	}
	if (m.dst[0] != '/')
		return cli_usage_error(CMD, "%s: destination '%s' is not absolute", names[kind], m.dst);
	a->mounts = xreallocarray(a->mounts, a->spec.n_mounts + 1, sizeof(*a->mounts));
	a->mounts[a->spec.n_mounts++] = m;
	return 0;
}

enum {
	OPT_SHARE = 256, OPT_JOIN, OPT_NET, OPT_READ_ONLY, OPT_OVERLAY, OPT_BIND, OPT_RO_BIND,
	OPT_TMPFS, OPT_MAP_USERS, OPT_MAP_GROUPS, OPT_CAP_ADD, OPT_CAP_DROP, OPT_SECCOMP,
	OPT_MEMORY, OPT_PIDS, OPT_CPUS, OPT_CPUSET, OPT_IO, OPT_LIMIT, OPT_CGROUP, OPT_HOSTNAME,
	OPT_CLEAR_ENV, OPT_MONOTONIC, OPT_BOOTTIME, OPT_STATUS_FD, OPT_LANDLOCK_RO, OPT_LANDLOCK_RW,
	OPT_LANDLOCK_BIND, OPT_LANDLOCK_CONNECT,
};

static const struct option longopts[] = {
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "join-ns", required_argument, NULL, OPT_JOIN },
	{ "net", required_argument, NULL, OPT_NET },
	{ "rootfs", required_argument, NULL, 'r' },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "overlay", no_argument, NULL, OPT_OVERLAY },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "uid", required_argument, NULL, 'u' },
	{ "gid", required_argument, NULL, 'g' },
	{ "map-users", required_argument, NULL, OPT_MAP_USERS },
	{ "map-groups", required_argument, NULL, OPT_MAP_GROUPS },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "landlock-ro", required_argument, NULL, OPT_LANDLOCK_RO },
	{ "landlock-rw", required_argument, NULL, OPT_LANDLOCK_RW },
	{ "landlock-bind", required_argument, NULL, OPT_LANDLOCK_BIND },
	{ "landlock-connect", required_argument, NULL, OPT_LANDLOCK_CONNECT },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpuset", required_argument, NULL, OPT_CPUSET },
	{ "io", required_argument, NULL, OPT_IO },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "env", required_argument, NULL, 'e' },
	{ "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
	{ "wd", required_argument, NULL, 'w' },
	{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
	{ "boottime", required_argument, NULL, OPT_BOOTTIME },
	{ "json-status-fd", required_argument, NULL, OPT_STATUS_FD },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* The limit options and the knobs they set. */
static const struct {
	int opt;
	const char *knob;
} limit_options[] = {
	{ OPT_MEMORY, "memory.max" }, { OPT_PIDS, "pids.max" }, { OPT_CPUS, "cpu.max" },
	{ OPT_CPUSET, "cpuset.cpus" }, { OPT_IO, "io.max" },
};

/* One option; -1 after printing a usage error. */
static int parse_option(struct run_args *a, int c, int argc, char **argv)
{
	struct insp_sandbox_spec *s = &a->spec;
	unsigned long v;

	for (size_t i = 0; i < ARRAY_LEN(limit_options); i++)
		if (limit_options[i].opt == c) {
			/* --cpus 0.5 is a number of CPUs, which cpu.max says with a unit. */
			bool cpus = c == OPT_CPUS && strspn(optarg, "0123456789.") == strlen(optarg);

			add_limit(a, xasprintf("%s=%s%s", limit_options[i].knob, optarg, cpus ? "cpu" : ""));
			return 0;
		}
	switch (c) {
	case OPT_SHARE:
		return parse_types(optarg, &s->share_ns) ? EXIT_USAGE : 0;
	case OPT_JOIN:
		return parse_join(a, optarg) ? EXIT_USAGE : 0;
	case OPT_NET:
		return parse_net(a, optarg) ? EXIT_USAGE : 0;
	case 'r':
		s->rootfs = optarg;
		return 0;
	case OPT_READ_ONLY:
		s->read_only = true;
		return 0;
	case OPT_OVERLAY:
		s->overlay = true;
		return 0;
	case OPT_BIND:
	case OPT_RO_BIND:
	case OPT_TMPFS:
		return add_mount(a, (enum insp_sandbox_mount_kind)(c - OPT_BIND), argc, argv) ? EXIT_USAGE : 0;
	case 'u':
	case 'g':
		if (cli_parse_uint(CMD, c == 'u' ? "--uid" : "--gid", optarg, UINT32_MAX - 1, &v))
			return EXIT_USAGE;
		*(c == 'u' ? &s->uid : &s->gid) = (uint32_t)v;
		return 0;
	case OPT_MAP_USERS:
		return parse_map("--map-users", optarg, a->uid_map, &s->n_uid_map) ? EXIT_USAGE : 0;
	case OPT_MAP_GROUPS:
		return parse_map("--map-groups", optarg, a->gid_map, &s->n_gid_map) ? EXIT_USAGE : 0;
	case OPT_CAP_ADD:
		return parse_caps("--cap-add", optarg, &a->cap_add) ? EXIT_USAGE : 0;
	case OPT_CAP_DROP:
		return parse_caps("--cap-drop", optarg, &a->cap_drop) ? EXIT_USAGE : 0;
	case OPT_SECCOMP:
		s->seccomp = strcmp(optarg, "unconfined") == 0 ? INSP_SANDBOX_SECCOMP_UNCONFINED : optarg;
		return 0;
	case OPT_LANDLOCK_RO:
	case OPT_LANDLOCK_RW:
		if (optarg[0] != '/')
			return cli_usage_error(CMD, "--landlock-%s: '%s' is not absolute", c == OPT_LANDLOCK_RW ? "rw" : "ro",
					       optarg);
		a->landlock = xreallocarray(a->landlock, s->n_landlock + 1, sizeof(*a->landlock));
		a->landlock[s->n_landlock++] = (struct insp_sandbox_landlock){ optarg, c == OPT_LANDLOCK_RW };
		s->landlock = a->landlock;
		return 0;
	case OPT_LANDLOCK_BIND:
	case OPT_LANDLOCK_CONNECT:
		return parse_ports(c == OPT_LANDLOCK_CONNECT, optarg, a) ? EXIT_USAGE : 0;
	case OPT_LIMIT:
		if (!strchr(optarg, '='))
			return cli_usage_error(CMD, "--limit: '%s' is not KNOB=VALUE", optarg);
		add_limit(a, xstrdup(optarg));
		return 0;
	case OPT_CGROUP:
		s->cgroup = optarg;
		return 0;
	case OPT_HOSTNAME:
		s->hostname = optarg;
		return 0;
	case 'e':
		add_env(a, optarg);
		return 0;
	case OPT_CLEAR_ENV:
		a->clear_env = true;
		return 0;
	case 'w':
		s->workdir = optarg;
		return 0;
	case OPT_MONOTONIC:
		return parse_secs("--monotonic", optarg, &s->monotonic_offset) ? EXIT_USAGE : 0;
	case OPT_BOOTTIME:
		return parse_secs("--boottime", optarg, &s->boottime_offset) ? EXIT_USAGE : 0;
	case OPT_STATUS_FD:
		if (cli_parse_uint(CMD, "--json-status-fd", optarg, 1 << 20, &v))
			return EXIT_USAGE;
		if (v <= 2 || fcntl((int)v, F_GETFD) < 0)
			return cli_usage_error(CMD, "--json-status-fd: %lu is not an open file descriptor above 2", v);
		a->status_fd = (int)v;
		return 0;
	case 'h':
		usage(stdout);
		return CLI_DONE;
	default:
		return cli_usage_error(CMD, "unknown option");
	}
}

/* Unless --clear-env: only what a shell needs, so no secret of ours leaks in. */
static void default_env(struct run_args *a)
{
	static const char *const kept[] = { "TERM", "LANG", "LC_ALL", "TZ" };
	char **user = a->env;
	size_t n_user = a->n_env;

	a->env = NULL;
	a->n_env = 0;
	if (!a->clear_env) {
		add_env(a, "PATH=" INSP_DEFAULT_PATH);
		add_env(a, a->spec.uid == 0 ? "HOME=/root" : "HOME=/");
		for (size_t i = 0; i < ARRAY_LEN(kept); i++)
			add_env(a, kept[i]);
	}
	for (size_t i = 0; i < n_user; i++)
		add_env(a, user[i]);
	for (size_t i = 0; i < n_user; i++)
		free(user[i]);
	free(user);
	if (!a->env)
		a->env = xcalloc(1, sizeof(*a->env));
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	struct insp_sandbox_spec *s = &a->spec;
	int c, r;

	a->status_fd = -1;
	/* '+': the command's own options are not ours; --bind takes the next word too. */
	while ((c = getopt_long(argc, argv, "+r:u:g:e:w:h", longopts, NULL)) != -1)
		if ((r = parse_option(a, c, argc, argv)) != 0)
			return r;
	if (optind >= argc)
		return cli_usage_error(CMD, "a command is required");
	s->argv = argv + optind;
	s->mounts = a->mounts;
	s->uid_map = a->uid_map;
	s->gid_map = a->gid_map;
	s->limits = a->limits;
	if (a->cap_add || a->cap_drop) {
		uint64_t base = s->uid == 0 ? insp_caps_profile_mask(INSP_CAPS_DOCKER_DEFAULT) : 0;

		/* As with docker, --cap-add wins: "--cap-drop all --cap-add X" keeps X alone. */
		s->caps_given = true;
		s->caps = (base & ~a->cap_drop) | a->cap_add;
	}
	default_env(a);
	s->envp = a->env;
	return 0;
}

static void write_status(int fd, json_object *o)
{
	FILE *f = fdopen(dup(fd), "w");

	if (!f) {
		json_object_put(o);
		return;
	}
	json_print(f, o, false);
	fclose(f);
}

static void status_started(int fd, const struct insp_sandbox *sb)
{
	json_object *o = json_object_new_object(), *ns = json_object_new_object();
	uint64_t ids[INSP_NS_NTYPES];
	ino_t inos[INSP_NS_NTYPES];

	insp_sandbox_namespaces(sb, inos, ids);
	json_object_object_add(o, "pid", json_object_new_int(insp_sandbox_pid(sb)));
	json_object_object_add(o, "cgroup", insp_sandbox_cgroup(sb) ?
					    json_object_new_string(insp_sandbox_cgroup(sb)) : NULL);
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		json_object_object_add(ns, insp_ns_type_name(t), inos[t] ? json_ns(inos[t], ids[t]) : NULL);
	json_object_object_add(o, "namespaces", ns);
	write_status(fd, o);
}

static void status_exited(int fd, int status)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "exit_code", json_object_new_int(status));
	write_status(fd, o);
}

static int run_sandbox(struct run_args *a)
{
	struct insp_error err = { 0 };
	struct insp_sandbox *sb;
	sigset_t forwarded, old;
	const char *const *warnings;
	int status;

	if (supervise_block(&forwarded, &old) < 0) {
		cli_error(CMD, "blocking signals: %s", strerror(errno));
		return EXIT_FAIL;
	}
	a->spec.sigmask = &old;
	if (insp_sandbox_start(&sb, &a->spec, &status, &err) < 0)
		return cli_insp_error(CMD, &err) == EXIT_USAGE ? EXIT_USAGE : status;
	for (size_t i = 0, n = insp_sandbox_warnings(sb, &warnings); i < n; i++)
		cli_error(CMD, "warning: %s", warnings[i]);
	if (a->status_fd >= 0)
		status_started(a->status_fd, sb);
	status = supervise_wait(insp_sandbox_pid(sb), &forwarded);
	if (a->status_fd >= 0)
		status_exited(a->status_fd, status);
	if (insp_sandbox_destroy(sb, &err) < 0)
		cli_insp_error(CMD, &err);
	return status;
}

static void run_args_free(struct run_args *a)
{
	for (size_t i = 0; i < a->n_env; i++)
		free(a->env[i]);
	free(a->env);
	for (size_t i = 0; i < a->spec.n_limits; i++)
		free(a->limits[i]);
	free(a->limits);
	free(a->mounts);
	free(a->landlock);
	free(a->ports);
}

static int run_main(int argc, char **argv)
{
	struct run_args a = { 0 };
	int r = parse_args(argc, argv, &a);

	if (r == 0)
		r = run_sandbox(&a);
	else if (r == CLI_DONE)
		r = EXIT_OK;
	run_args_free(&a);
	return r;
}

const struct command cmd_run = {
	.name = "run",
	.summary = "run a command in a throw-away sandbox (namespaces, root, limits, seccomp)",
	.run = run_main,
	.usage = usage,
};
