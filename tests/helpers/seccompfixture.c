// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A process under seccomp filters with known rules, for inspect --seccomp:
 *   seccompfixture
 * Filter A (oldest, default allow): mkdir errno(EACCES), getppid log,
 *   acct kill_process, sethostname trap, chroot errno(EPERM),
 *   syslog user_notif (its listener kept open).
 * Filter B (default allow): chroot errno(ENOSYS) (equal actions: the newer
 *   filter's errno wins), mkdir allow (the lower action of A wins),
 *   personality errno(EINVAL) when its argument is 8, else allow.
 * A second thread then adds filter C: getcwd errno(ENOENT).
 * Prints "PID TID" of the process and the extra thread, then sleeps until
 * killed. Both filters are native-ABI only: other ABIs meet kill_thread.
 *   seccompfixture --exec CMD [ARG...]
 * runs CMD under filter B alone (a caller that is itself filtered).
 */
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void check(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "seccompfixture: %s: %s\n", what, strerror(-rc));
		exit(1);
	}
}

static scmp_filter_ctx filter_new(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx) {
		fputs("seccompfixture: seccomp_init failed\n", stderr);
		exit(1);
	}
	return ctx;
}

static void load(scmp_filter_ctx ctx, const char *what)
{
	check(seccomp_load(ctx), what);
}

static int filter_a(void)
{
	scmp_filter_ctx ctx = filter_new();
	int listener;

	check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(mkdir), 0), "mkdir rule");
	check(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0), "getppid rule");
	check(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(acct), 0), "acct rule");
	check(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(sethostname), 0), "sethostname rule");
	check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(chroot), 0), "chroot rule");
	check(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(syslog), 0), "syslog rule");
	load(ctx, "loading filter A");
	listener = seccomp_notify_fd(ctx);
	check(listener, "the notification fd");
	seccomp_release(ctx);
	return listener;
}

static void filter_b(void)
{
	/* Spelled out: SCMP_A0 leaves a field to the compiler, which clang warns of. */
	const struct scmp_arg_cmp arg0_is_8 = { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = 8, .datum_b = 0 };
	scmp_filter_ctx ctx = filter_new();

	check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(chroot), 0), "chroot rule");
	check(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(personality), 1, &arg0_is_8),
	      "personality rule");
	load(ctx, "loading filter B");
	seccomp_release(ctx);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static pid_t thread_tid;

static void *extra_thread(void *arg)
{
	scmp_filter_ctx ctx = filter_new();

	/* This thread's own filter: no TSYNC, so the others keep two. */
	check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOENT), SCMP_SYS(getcwd), 0), "getcwd rule");
	load(ctx, "loading filter C");
	seccomp_release(ctx);
	pthread_mutex_lock(&lock);
	thread_tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_signal(&ready);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("seccompfixture: no_new_privs");
		return 1;
	}
	if (argc > 2 && !strcmp(argv[1], "--exec")) {
		filter_b();
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	filter_a();
	filter_b();
	if (pthread_create(&t, NULL, extra_thread, NULL)) {
		fputs("seccompfixture: pthread_create failed\n", stderr);
		return 1;
	}
	pthread_mutex_lock(&lock);
	while (!thread_tid)
		pthread_cond_wait(&ready, &lock);
	pthread_mutex_unlock(&lock);
	printf("%d %d\n", (int)getpid(), (int)thread_tid);
	fflush(stdout);
	for (;;)
		pause();
}
