// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A process with a known security context, for the inspect tests:
 *   secfixture [--userns OUTSIDE_ID] [--seccomp N] [--nnp]
 * prints the pid of the prepared process and "READY", then waits for a
 * signal; the prepared process dies with it (PDEATHSIG). --userns puts it in a new user namespace
 * mapping ids 0..65535 to OUTSIDE_ID.., with setgroups denied.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "secfixture: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

static pid_t child;

/* The test runner's pid 1 may not reap: reap our child before going. */
static void on_term(int sig)
{
	(void)sig;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	_exit(0);
}

static void install_filters(int n)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	for (int i = 0; i < n; i++)
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			die("seccomp");
}

int main(int argc, char **argv)
{
	long outside = -1, filters = 0;
	bool nnp = false;
	int sync[2], ready[2];
	char c;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--userns") == 0 && i + 1 < argc)
			outside = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seccomp") == 0 && i + 1 < argc)
			filters = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--nnp") == 0)
			nnp = true;
		else {
			fprintf(stderr, "usage: secfixture [--userns ID] [--seccomp N] [--nnp]\n");
			return 2;
		}
	}
	if (pipe(sync) < 0 || pipe(ready) < 0)
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		pid_t parent = getppid();

		if (outside >= 0 && unshare(CLONE_NEWUSER) < 0)
			die("unshare");
		close(sync[1]);
		/* Wait for the maps before setuid(0) inside. */
		if (read(sync[0], &c, 1) != 1)
			_exit(1);
		if (outside >= 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
			die("setresuid");
		/* A credential change clears the parent-death signal: set it after. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			die("no_new_privs");
		if (filters > 0 && !nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			die("no_new_privs");
		install_filters((int)filters);
		close(ready[0]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sync[0]);
	close(ready[1]);
	if (outside >= 0) {
		char map[64];

		/* unshare() happens in the child: wait until its user namespace exists. */
		for (int i = 0; i < 1000; i++) {
			char path[64], a[64], b[64];
			ssize_t n1, n2;

			snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
			n1 = readlink(path, a, sizeof(a) - 1);
			n2 = readlink("/proc/self/ns/user", b, sizeof(b) - 1);
			if (n1 > 0 && n2 > 0 && (n1 != n2 || memcmp(a, b, (size_t)n1)))
				break;
			usleep(1000);
		}
		snprintf(map, sizeof(map), "0 %ld 65536\n", outside);
		write_file(child, "setgroups", "deny");
		write_file(child, "uid_map", map);
		write_file(child, "gid_map", map);
	}
	if (write(sync[1], "x", 1) != 1)
		die("sync");
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "secfixture: the child failed its setup\n");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	printf("%d\nREADY\n", (int)child);
	fflush(stdout);
	for (;;)
		pause();
}
