/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_NS_INTERNAL_H
#define INSPECT_NS_INTERNAL_H

#include <stdbool.h>

#include "inspect/ns.h"
#include "inspect/proc.h"

/* "net:[4026531840]" (a ns link target or nsfs mount root) -> type and inode. */
int ns_parse_link(const char *s, enum insp_ns_type *type, ino_t *ino);

struct insp_ns_table {
	struct insp_ns *v;
	size_t n, cap;
	uint32_t *slots;	/* open addressing on ino: index + 1 */
	size_t mask;
	dev_t dev;
};

/* Find, or add with no members, the namespace (type, ino). NULL on ENOMEM. */
struct insp_ns *ns_table_get(struct insp_ns_table *t, enum insp_ns_type type, ino_t ino);

/* Process-less sources: nsfs bind mounts and fds held open. */
int ns_collect_nsfs(struct insp_ns_table *t, bool add_missing, struct insp_error *err);
int ns_collect_fds(struct insp_ns_table *t, struct insp_procs *procs);

#endif
