// SPDX-License-Identifier: GPL-2.0-or-later
/* The parent side of enter and run: forward signals, wait, report how it ended. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "supervise.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };

/*
 * A signal ignored when we started stays ignored, in us and in the child
 * (nohup, or a non-interactive shell's & for INT and QUIT).
 */
int supervise_block(sigset_t *set, sigset_t *old)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_LEN(forwarded); i++) {
		struct sigaction sa;

		if (sigaction(forwarded[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(set, forwarded[i]);
	}
	sigaddset(set, SIGCHLD);
	return sigprocmask(SIG_BLOCK, set, old) < 0 ? -errno : 0;
}

/*
 * The terminal signals its whole foreground process group; when the child
 * is in ours it has its own copy already, and a second one would make a
 * shell see two ^C.
 */
static bool child_has_it(const siginfo_t *si, pid_t child)
{
	return si->si_code == SI_KERNEL && getpgid(child) == getpgrp();
}

/* 1 with *status set when the child has ended; 0 while it runs. */
static int reap(pid_t child, int *status)
{
	int st;
	pid_t r;

	while ((r = waitpid(child, &st, WNOHANG | WUNTRACED)) > 0) {
		if (WIFSTOPPED(st)) {
			/* Stopped from outside: stop too, so our shell sees it; carry on together. */
			kill(getpid(), SIGSTOP);
			kill(child, SIGCONT);
			continue;
		}
		*status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		return 1;
	}
	if (r < 0 && errno != EINTR) {
		*status = 1;
		return 1;
	}
	return 0;
}

int supervise_wait(pid_t child, const sigset_t *set)
{
	int status;

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			if (reap(child, &status))
				return status;
		} else if (!child_has_it(&si, child)) {
			kill(child, sig);
		}
	}
}

void supervise_cloexec_from3(void)
{
	long max;

	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Before Linux 5.11. */
	max = sysconf(_SC_OPEN_MAX);
	for (int fd = 3; fd < (max > 0 && max < 1 << 20 ? max : 1 << 20); fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}
