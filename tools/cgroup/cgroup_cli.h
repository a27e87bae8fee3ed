/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the nsctl cgroup verbs share: targets, values for people, the audit trail. */
#ifndef NSCTL_CGROUP_CLI_H
#define NSCTL_CGROUP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <inspect/cgroup.h>

#define CGROUP_CMD "cgroup"

/*
 * Open a target: a cgroup path (it starts with '/'), or a pid or container
 * whose cgroups are used. Returns an exit status; EXIT_OK with *out set.
 */
int cgroup_cli_open(const char *spec, const char *state_root, const struct insp_cgroup_hierarchies *hs,
		    struct insp_cgroup **out);
/* Every hierarchy mounted here, or an exit status after printing why not. */
int cgroup_cli_hierarchies(struct insp_cgroup_hierarchies **out);

/* A knob's v2 text as people read it: "512M", "0.50 CPU", else the text. */
const char *cgroup_cli_human(const char *knob, const char *value, char *buf, size_t size);
/* "max" or a number as a uint64 (INSP_CGROUP_UNLIMITED); false otherwise. */
bool cgroup_cli_number(const char *text, uint64_t *out);

struct json_object;
/* A knob's v2 text as a typed JSON value: numbers, "max", objects for keyed files. */
struct json_object *cgroup_cli_json(const char *knob, const char *text);

/* Record a change in the system log: who, what, old and new. */
void cgroup_cli_audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

extern const struct command cmd_cgroup_tree, cmd_cgroup_show;

#endif
