/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NSCTL_TOP_SCREEN_H
#define NSCTL_TOP_SCREEN_H

#include "top.h"

struct top_screen_opts {
	enum top_view view;
	int sort_col;
	bool reverse;
	bool tree;
	double delay;
	unsigned long iterations;	/* 0: until quit */
	char filter[128];
};

/* Until q, a signal or the iteration count; -ENOTTY without a terminal. */
int top_screen_run(struct top_collector *c, struct top_screen_opts *o);

#endif
