// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostile: a process whose name and command line are what a hostile
 * container would choose: escape sequences that retitle and recolour a
 * terminal, BEL, CR, LF, tab, DEL, C1 controls (raw and UTF-8 encoded),
 * bytes that are not UTF-8, a right-to-left override, and enough arguments
 * for a 1 MiB command line (the kernel takes at most 128 KiB per argument).
 * It re-executes itself with those arguments, names itself, prints READY
 * and waits to be killed; SIGUSR1 makes it unshare a uts namespace, so
 * that a tracer sees a call from it.
 *
 *   hostile            the process
 *   hostile --print    the hostile text alone, for comparing outputs
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* 14 bytes: all of it fits in comm. */
static const char comm[] = "e\033]0;p\a\033[1m\xe2\x80\xae";

static const char hostile[] = "ev\033]0;pwned\a\033[31mred\r\n\tdel\x7f c1\x9b raw\xc2\x9b utf8 "
			      "\xff\xfe\xc3 bidi\xe2\x80\xae" "evil\xe2\x81\xa6iso end";

#define BIG_ARGS 8
#define BIG_ARG_LEN (128 * 1024 - 1)

static void on_usr1(int sig)
{
	(void)sig;
	unshare(CLONE_NEWUTS);
}

int main(int argc, char **argv)
{
	char *args[BIG_ARGS + 4];
	int n = 0;

	if (argc > 1 && strcmp(argv[1], "--print") == 0) {
		fputs(hostile, stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--child") == 0) {
		signal(SIGUSR1, on_usr1);
		prctl(PR_SET_NAME, comm, 0, 0, 0);
		printf("READY %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	args[n++] = (char *)"hostile";
	args[n++] = (char *)"--child";
	args[n++] = (char *)hostile;
	for (int i = 0; i < BIG_ARGS; i++) {
		args[n] = malloc(BIG_ARG_LEN + 1);
		if (!args[n])
			return 1;
		memset(args[n], 'A' + i, BIG_ARG_LEN);
		args[n++][BIG_ARG_LEN] = '\0';
	}
	args[n] = NULL;
	execv("/proc/self/exe", args);
	perror("hostile: exec");
	return 1;
}
