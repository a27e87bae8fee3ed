// SPDX-License-Identifier: GPL-2.0-or-later
/* unshare_loop N: N calls of unshare(CLONE_NEWUTS); prints calls per second. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (unshare(CLONE_NEWUTS) < 0) {
			perror("unshare");
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", (double)n / ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
