// SPDX-License-Identifier: GPL-2.0-or-later
/* The task iterator for tools that scan every second: with cgroups and caches (see nstask.bpf.c). */
#define NSTASK_CGROUPS
#include "nstask.bpf.c"
