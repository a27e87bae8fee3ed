// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Joining: which namespaces are chosen against a real child in new uts and
 * net namespaces, both ways in (setns(pidfd) and the per-file fallback),
 * and the passwd reader.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspect/join.h"
#include "join_internal.h"
#include "../lib/tap.h"

#define UTS_NET (INSP_JOIN_NS(INSP_NS_UTS) | INSP_JOIN_NS(INSP_NS_NET))

/* A child in new uts and net namespaces, paused until killed. */
static pid_t spawn_in_new_ns(void)
{
	int ready[2];
	char c;
	pid_t pid;

	if (pipe(ready) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS | CLONE_NEWNET) < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int resolve(pid_t pid, struct insp_target *t)
{
	char spec[32];

	snprintf(spec, sizeof(spec), "pid:%d", (int)pid);
	return insp_target_resolve(spec, NULL, t, NULL);
}

/* The namespaces prepare would join, for a selection; -errno on failure. */
static long chosen(pid_t pid, unsigned ns)
{
	struct insp_join_opts opts = { .ns = ns, .uid = INSP_JOIN_ID_TARGET, .gid = INSP_JOIN_ID_TARGET };
	struct insp_target t;
	struct insp_join *j;
	long r;

	if ((r = resolve(pid, &t)) < 0)
		return r;
	r = insp_join_prepare(&j, &t, &opts, NULL);
	if (r == 0) {
		r = insp_join_ns_set(j);
		insp_join_free(j);
	}
	insp_target_release(&t);
	return r;
}

TEST(default_joins_what_differs)
{
	pid_t pid = spawn_in_new_ns();

	CHECK(pid > 0);
	CHECK_INT(chosen(pid, 0), UTS_NET);
	/* Named explicitly, a namespace is joined even when it is ours... */
	CHECK_INT(chosen(pid, INSP_JOIN_NS(INSP_NS_IPC)), INSP_JOIN_NS(INSP_NS_IPC));
	/* ...except the user namespace, which setns() refuses. */
	CHECK_INT(chosen(pid, INSP_JOIN_NS(INSP_NS_USER) | INSP_JOIN_NS(INSP_NS_UTS)),
		  INSP_JOIN_NS(INSP_NS_UTS));
	reap(pid);
	CHECK_INT(chosen(pid, 0), -ESRCH);
}

/* In a child of ours, so that this process keeps its namespaces. */
static int enter_and_compare(pid_t target, unsigned flags)
{
	struct insp_join_opts opts = { .flags = flags, .uid = INSP_JOIN_ID_TARGET,
				       .gid = INSP_JOIN_ID_TARGET };
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct insp_target t;
		struct insp_join *j;
		char theirs[64];
		struct stat a, b;

		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/uts", (int)target);
		if (resolve(target, &t) < 0 || insp_join_prepare(&j, &t, &opts, NULL) < 0 ||
		    insp_join_namespaces(j, NULL) < 0)
			_exit(2);
		_exit(stat("/proc/self/ns/uts", &a) == 0 && stat(theirs, &b) == 0 && a.st_ino == b.st_ino
			      ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(both_ways_in)
{
	pid_t pid = spawn_in_new_ns();

	CHECK(pid > 0);
	CHECK_INT(enter_and_compare(pid, 0), 0);
	CHECK_INT(enter_and_compare(pid, INSP_JOIN_NS_FILES), 0);
	reap(pid);
}

TEST(passwd_entries)
{
	char text[] = "root:x:0:0:root:/root:/bin/bash\n"
		      "broken line\n"
		      "app:x:1000:1000::relative:sh\n"
		      "web:x:33:33:www:/var/www:/usr/sbin/nologin\n";
	char *shell = NULL, *home = NULL;

	CHECK_INT(passwd_parse(text, 33, &shell, &home), 0);
	CHECK_STR(shell, "/usr/sbin/nologin");
	CHECK_STR(home, "/var/www");
	free(shell);
	free(home);
	shell = home = NULL;
	char text2[] = "app:x:1000:1000::relative:sh\nroot:x:0:0::/root:/bin/sh\n";
	/* Relative paths are not a home or a shell. */
	CHECK_INT(passwd_parse(text2, 1000, &shell, &home), 0);
	CHECK(shell == NULL && home == NULL);
	char text3[] = "root:x:0:0::/root:/bin/sh\n";
	CHECK_INT(passwd_parse(text3, 5, &shell, &home), -ENOENT);
}

TAP_MAIN("join", TEST_ENTRY(default_joins_what_differs), TEST_ENTRY(both_ways_in),
	 TEST_ENTRY(passwd_entries))
