// SPDX-License-Identifier: GPL-2.0-or-later
/* Target resolution pins a real child process; its exit is noticed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspect/target.h"
#include "../lib/tap.h"

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

TEST(pid_is_pinned_until_it_exits)
{
	struct insp_target t;
	struct insp_error err = { 0 };
	pid_t pid = spawn_sleeper();
	char spec[32];

	snprintf(spec, sizeof(spec), "pid:%d", (int)pid);
	CHECK_INT(insp_target_resolve(spec, NULL, &t, &err), 0);
	CHECK_INT(t.pid, pid);
	CHECK(t.pidfd >= 0);
	CHECK(!t.by_container);
	CHECK_INT(insp_target_alive(&t), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* Reaped: even if the pid were reused now, the pidfd still names the old one. */
	CHECK_INT(insp_target_alive(&t), -ESRCH);
	insp_target_release(&t);
	CHECK_INT(insp_target_resolve(spec, NULL, &t, &err), -ESRCH);
}

TEST(bad_specs)
{
	struct insp_target t;
	struct insp_error err = { 0 };

	CHECK_INT(insp_target_resolve("", NULL, &t, &err), -EINVAL);
	CHECK_INT(insp_target_resolve("pid:x1", NULL, &t, &err), -EINVAL);
	CHECK_INT(insp_target_resolve("pid:0", NULL, &t, &err), -EINVAL);
	CHECK_INT(insp_target_resolve("no-such-container-name", NULL, &t, &err), -ESRCH);
	CHECK_STR(err.msg, "'no-such-container-name': no such pid, and no running container has this id or name");
}

TAP_MAIN("target", TEST_ENTRY(pid_is_pinned_until_it_exits), TEST_ENTRY(bad_specs))
