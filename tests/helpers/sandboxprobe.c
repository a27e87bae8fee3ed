// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tries, from inside a sandbox, what the sandbox must refuse, and prints the
 * errno name ("EPERM") or "ok". Built static and without sanitizers, so it
 * runs in a bare root filesystem and under a seccomp filter.
 *   sandboxprobe tiocsti | ptrace PID | unshare | mount | setns PATH
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <unistd.h>

static int report(int r)
{
	puts(r < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	char c = 'x';

	if (strcmp(what, "tiocsti") == 0)
		return report(ioctl(0, TIOCSTI, &c));
	if (strcmp(what, "ptrace") == 0 && argc > 2)
		return report((int)ptrace(PTRACE_ATTACH, atoi(argv[2]), NULL, NULL));
	if (strcmp(what, "unshare") == 0)
		return report(unshare(CLONE_NEWNS));
	if (strcmp(what, "mount") == 0)
		return report(mount("none", "/tmp", "tmpfs", 0, NULL));
	if (strcmp(what, "setns") == 0 && argc > 2) {
		int fd = open(argv[2], O_RDONLY);

		return report(fd < 0 ? fd : setns(fd, 0));
	}
	fputs("usage: sandboxprobe tiocsti | ptrace PID | unshare | mount | setns PATH\n", stderr);
	return 2;
}
