// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Make a known sequence of namespace calls, and print what each produced
 * as /proc shows it, so a test can hold nsctl watch's events against it.
 *
 *   nsevents_probe SYNCFILE
 * Until SYNCFILE exists it calls setns(-1, 0) every 20 ms (EBADF, a marker
 * the test waits to see traced); then, one line per call on stdout:
 *   unshare uts=INO          (x3)
 *   unshare net=INO ipc=INO
 *   clone child=PID uts=INO ipc=INO
 *   clone3 child=PID net=INO
 *   setns uts=INO            (by type, back to the first)
 *   setns uts=INO            (setns(fd, 0), into the third)
 *   setns-fail EINVAL
 *   clone-fail EINVAL
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static unsigned long ino_of(pid_t pid, const char *type)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, type);
	if (stat(path, &st) < 0) {
		perror(path);
		exit(1);
	}
	return (unsigned long)st.st_ino;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The child waits on a pipe so its namespaces can be read before it exits. */
static void report_child(const char *call, pid_t child, int release_fd, const char *t1, const char *t2)
{
	printf("%s child=%d %s=%lu", call, (int)child, t1, ino_of(child, t1));
	if (t2)
		printf(" %s=%lu", t2, ino_of(child, t2));
	printf("\n");
	close(release_fd);
	if (waitpid(child, NULL, 0) < 0)
		die("waitpid");
}

static pid_t clone_waiting(int *release_fd, unsigned long flags, bool use_clone3)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		die("pipe");
	if (use_clone3) {
		struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

		pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	} else {
		pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
	}
	if (pid < 0)
		die(use_clone3 ? "clone3" : "clone");
	if (pid == 0) {
		char c;

		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	*release_fd = fds[1];
	return pid;
}

int main(int argc, char **argv)
{
	int uts_fd, third_uts_fd, release;
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: nsevents_probe SYNCFILE\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	uts_fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (uts_fd < 0)
		die("open uts");
	while (access(argv[1], F_OK) < 0) {
		syscall(SYS_setns, -1, 0);
		usleep(20000);
	}
	for (int i = 0; i < 3; i++) {
		if (unshare(CLONE_NEWUTS) < 0)
			die("unshare uts");
		printf("unshare uts=%lu\n", ino_of(getpid(), "uts"));
	}
	third_uts_fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (third_uts_fd < 0)
		die("open uts");
	if (unshare(CLONE_NEWNET | CLONE_NEWIPC) < 0)
		die("unshare net,ipc");
	printf("unshare net=%lu ipc=%lu\n", ino_of(getpid(), "net"), ino_of(getpid(), "ipc"));
	child = clone_waiting(&release, CLONE_NEWUTS | CLONE_NEWIPC, false);
	report_child("clone", child, release, "uts", "ipc");
	child = clone_waiting(&release, CLONE_NEWNET, true);
	report_child("clone3", child, release, "net", NULL);
	if (setns(uts_fd, CLONE_NEWUTS) < 0)
		die("setns");
	printf("setns uts=%lu\n", ino_of(getpid(), "uts"));
	if (setns(third_uts_fd, 0) < 0)
		die("setns any type");
	printf("setns uts=%lu\n", ino_of(getpid(), "uts"));
	if (setns(uts_fd, CLONE_NEWNET) == 0 || errno != EINVAL)
		die("setns with the wrong type");
	printf("setns-fail EINVAL\n");
	/* The kernel refuses a new user namespace that shares the filesystem context. */
	if (syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS | SIGCHLD, NULL, NULL, NULL, 0) != -1 || errno != EINVAL)
		die("clone that must fail");
	printf("clone-fail EINVAL\n");
	return 0;
}
