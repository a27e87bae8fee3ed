// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The task iterator that also reports each task's v1 cgroups, through
 * bpf_task_get_cgroup1 (Linux 6.8). A program of its own: a kernel without
 * the kfunc refuses the whole object, and the plain iterator must still load.
 */
#define NSTASK_CGROUP1
#include "nstask.bpf.c"
