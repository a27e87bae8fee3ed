// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsfixture: populate the host with groups of sleeping processes, each group
 * in fresh namespaces, for integration tests and benchmarks.
 *
 * Every process it creates dies with its parent (PR_SET_PDEATHSIG), so
 * killing the fixture tears everything down. With --cgroups FILE, group g
 * joins the g-th cgroup path of FILE (round robin), in every mounted
 * hierarchy that has it; the caller makes and removes the directories.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture_opts {
	int groups;
	int per_group;
	int flags;
	int extra_every;
	int extra_flags;
	char **cgroup_procs;	/* per cgroup path: its cgroup.procs files, NUL-separated, ending in "" */
	int ncgroups;
};

static const struct {
	const char *name;
	int flag;
} ns_flags[] = {
	{ "mnt", CLONE_NEWNS },	    { "net", CLONE_NEWNET },
	{ "uts", CLONE_NEWUTS },    { "ipc", CLONE_NEWIPC },
	{ "pid", CLONE_NEWPID },    { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

static int parse_flags(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	int flags = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
			if (strcmp(tok, ns_flags[i].name) == 0)
				break;
		if (i == sizeof(ns_flags) / sizeof(ns_flags[0])) {
			fprintf(stderr, "nsfixture: unknown namespace type '%s'\n", tok);
			exit(2);
		}
		flags |= ns_flags[i].flag;
	}
	free(copy);
	return flags;
}

/* Die with the parent; if it is already gone, die now. */
static void die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
}

static void sleep_forever(void)
{
	for (;;)
		pause();
}

/* Move ourselves (writing "0") into every hierarchy's directory of one cgroup. */
static void join_cgroup(const char *files)
{
	for (const char *f = files; *f; f += strlen(f) + 1) {
		FILE *fp = fopen(f, "we");

		if (fp) {
			fputs("0", fp);
			fclose(fp);
		}
	}
}

static void run_group(int flags, int members, int ready_fd, const char *cgroup)
{
	/* Children in a new pid namespace see their parent as pid 0. */
	pid_t self = (flags & CLONE_NEWPID) ? 0 : getpid();

	if (cgroup)
		join_cgroup(cgroup);
	if (flags && unshare(flags) < 0) {
		fprintf(stderr, "nsfixture: unshare: %s\n", strerror(errno));
		_exit(1);
	}
	for (int i = 0; i < members; i++) {
		pid_t pid = fork();

		if (pid < 0)
			_exit(1);
		if (pid == 0) {
			close(ready_fd);
			die_with_parent(self);
			sleep_forever();
		}
	}
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	close(ready_fd);
	sleep_forever();
}

static int start_groups(const struct fixture_opts *o)
{
	int pipefd[2];
	pid_t self = getpid();
	char c;

	if (pipe(pipefd) < 0)
		return -1;
	for (int g = 0; g < o->groups; g++) {
		int flags = o->flags;
		pid_t pid;

		if (o->extra_every > 0 && g % o->extra_every == 0)
			flags |= o->extra_flags;
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			close(pipefd[0]);
			die_with_parent(self);
			run_group(flags, o->per_group, pipefd[1], o->ncgroups ? o->cgroup_procs[g % o->ncgroups] : NULL);
		}
	}
	close(pipefd[1]);
	for (int g = 0; g < o->groups; g++)
		if (read(pipefd[0], &c, 1) != 1)
			return -1;
	close(pipefd[0]);
	return 0;
}

/* The cgroup mounts, from mountinfo: field 5 is the mount point, after " - " the type. */
static int cgroup_mounts(char mounts[][256], int max)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int n = 0;

	while (f && n < max && fgets(line, sizeof(line), f)) {
		char target[256], *dash = strstr(line, " - ");

		if (!dash || (strncmp(dash + 3, "cgroup ", 7) && strncmp(dash + 3, "cgroup2 ", 8)) ||
		    sscanf(line, "%*s %*s %*s %*s %255s", target) != 1)
			continue;
		snprintf(mounts[n++], 256, "%s", target);
	}
	if (f)
		fclose(f);
	return n;
}

/* Each path of the file as its cgroup.procs in every hierarchy. */
static void load_cgroups(struct fixture_opts *o, const char *file)
{
	static char mounts[32][256];
	int nmounts = cgroup_mounts(mounts, 32);
	FILE *f = fopen(file, "re");
	char path[512];

	while (f && fgets(path, sizeof(path), f)) {
		size_t size = 1, len = 0;
		char *files;

		path[strcspn(path, "\n")] = '\0';
		for (int m = 0; m < nmounts; m++)
			size += strlen(mounts[m]) + strlen(path) + sizeof("/cgroup.procs");
		files = malloc(size);
		o->cgroup_procs = realloc(o->cgroup_procs, (size_t)(o->ncgroups + 1) * sizeof(*o->cgroup_procs));
		if (!files || !o->cgroup_procs)
			exit(1);
		for (int m = 0; m < nmounts; m++)
			len += (size_t)sprintf(files + len, "%s%s/cgroup.procs", mounts[m], path) + 1;
		files[len] = '\0';
		o->cgroup_procs[o->ncgroups++] = files;
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	struct fixture_opts o = { .groups = 1, .per_group = 1 };
	static const struct option longopts[] = {
		{ "groups", required_argument, NULL, 'g' },
		{ "per-group", required_argument, NULL, 'n' },
		{ "flags", required_argument, NULL, 'f' },
		{ "extra-every", required_argument, NULL, 'e' },
		{ "extra-flags", required_argument, NULL, 'x' },
		{ "cgroups", required_argument, NULL, 'c' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "g:n:f:e:x:c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'g': o.groups = atoi(optarg); break;
		case 'n': o.per_group = atoi(optarg); break;
		case 'f': o.flags = parse_flags(optarg); break;
		case 'e': o.extra_every = atoi(optarg); break;
		case 'x': o.extra_flags = parse_flags(optarg); break;
		case 'c': load_cgroups(&o, optarg); break;
		default:
			fprintf(stderr, "usage: nsfixture [--groups N] [--per-group N] [--flags LIST] "
					"[--extra-every N --extra-flags LIST] [--cgroups FILE]\n");
			return 2;
		}
	}
	/* A test that dies must not leave the fixture behind either. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGTERM, SIG_DFL);
	if (start_groups(&o) < 0) {
		fprintf(stderr, "nsfixture: setup failed: %s\n", strerror(errno));
		return 1;
	}
	printf("READY %d\n", (int)getpid());
	fflush(stdout);
	/* Stay until a signal arrives; every child follows us. */
	sleep_forever();
}
