// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * benchrun: run two or more shell commands alternately, N rounds, and print
 * the median wall time, CPU time and peak RSS of each, plus each one's
 * median wall time as a ratio of the last command's (the baseline).
 *
 *   benchrun -n 7 'nsctl ls' 'lsns'
 *
 * Output is one line per command: name=..., then "ratio=" lines; all
 * machine-readable key=value pairs. A command without shell syntax is run
 * directly, so a shell's start-up does not dilute the ratio.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

struct sample {
	double wall_ms, cpu_ms;
	long maxrss_kb;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void exec_command(const char *cmd)
{
	char *copy, *argv[64], *save = NULL;
	int n = 0;

	if (strpbrk(cmd, "|&;<>()$`\\\"'*?[#~=%{}")) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		return;
	}
	copy = strdup(cmd);
	for (char *w = strtok_r(copy, " \t", &save); w && n < 63; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n] = NULL;
	execvp(argv[0], argv);
}

static int run_once(const char *cmd, struct sample *s)
{
	struct rusage ru;
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		exec_command(cmd);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	s->wall_ms = now_ms() - start;
	s->cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
		    ru.ru_stime.tv_usec / 1e3;
	s->maxrss_kb = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "benchrun: '%s' failed (status %d)\n", cmd, status);
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int rounds = 7, warmup = 1, opt;
	int ncmd;
	struct sample *s;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		if (opt == 'n')
			rounds = atoi(optarg);
		else if (opt == 'w')
			warmup = atoi(optarg);
		else
			return 2;
	}
	ncmd = argc - optind;
	if (ncmd < 1 || rounds < 1) {
		fprintf(stderr, "usage: benchrun [-n ROUNDS] [-w WARMUP] CMD... (last one is the baseline)\n");
		return 2;
	}
	s = calloc((size_t)(ncmd * rounds), sizeof(*s));
	for (int r = -warmup; r < rounds; r++) {
		for (int c = 0; c < ncmd; c++) {
			struct sample tmp;

			if (run_once(argv[optind + c], &tmp) < 0)
				return 1;
			if (r >= 0)
				s[c * rounds + r] = tmp;
		}
	}
	double base = 0;
	double *med = calloc((size_t)ncmd, sizeof(*med));

	for (int c = 0; c < ncmd; c++) {
		double wall[rounds], cpu[rounds], rss[rounds];

		for (int r = 0; r < rounds; r++) {
			wall[r] = s[c * rounds + r].wall_ms;
			cpu[r] = s[c * rounds + r].cpu_ms;
			rss[r] = (double)s[c * rounds + r].maxrss_kb;
		}
		med[c] = median(wall, rounds);
		printf("cmd=\"%s\" runs=%d wall_ms=%.2f min_ms=%.2f max_ms=%.2f cpu_ms=%.2f maxrss_kb=%.0f\n",
		       argv[optind + c], rounds, med[c], wall[0], wall[rounds - 1], median(cpu, rounds),
		       median(rss, rounds));
	}
	base = med[ncmd - 1];
	for (int c = 0; c + 1 < ncmd; c++)
		printf("ratio cmd=\"%s\" vs=\"%s\" wall=%.3f\n", argv[optind + c], argv[argc - 1], med[c] / base);
	free(med);
	free(s);
	return 0;
}
