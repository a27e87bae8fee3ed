// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsfixture: populate the host with groups of sleeping processes, each group
 * in fresh namespaces, for integration tests and benchmarks.
 *
 * Every process it creates dies with its parent (PR_SET_PDEATHSIG), so
 * killing the fixture tears everything down.
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

static void run_group(int flags, int members, int ready_fd)
{
	/* Children in a new pid namespace see their parent as pid 0. */
	pid_t self = (flags & CLONE_NEWPID) ? 0 : getpid();

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
			run_group(flags, o->per_group, pipefd[1]);
		}
	}
	close(pipefd[1]);
	for (int g = 0; g < o->groups; g++)
		if (read(pipefd[0], &c, 1) != 1)
			return -1;
	close(pipefd[0]);
	return 0;
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
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "g:n:f:e:x:", longopts, NULL)) != -1) {
		switch (c) {
		case 'g': o.groups = atoi(optarg); break;
		case 'n': o.per_group = atoi(optarg); break;
		case 'f': o.flags = parse_flags(optarg); break;
		case 'e': o.extra_every = atoi(optarg); break;
		case 'x': o.extra_flags = parse_flags(optarg); break;
		default:
			fprintf(stderr, "usage: nsfixture [--groups N] [--per-group N] [--flags LIST] "
					"[--extra-every N --extra-flags LIST]\n");
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
