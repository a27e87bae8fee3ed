// SPDX-License-Identifier: LGPL-2.1-or-later
/* uid_map and gid_map: which ids of a user namespace exist on the outside. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/security.h"
#include "util.h"

/* The kernel's limit on the lines of one map (since Linux 4.15). */
#define IDMAP_MAX_LINES 340

static int take_u32(const char **p, uint32_t *out)
{
	char *end;
	unsigned long v;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (**p < '0' || **p > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(*p, &end, 10);
	if (errno || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	*p = end;
	return 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool valid_range(const struct insp_idmap *map, const struct insp_idmap_range *r)
{
	if (r->count == 0 || (uint64_t)r->inside + r->count > (uint64_t)UINT32_MAX + 1 ||
	    (uint64_t)r->outside + r->count > (uint64_t)UINT32_MAX + 1)
		return false;
	for (unsigned i = 0; i < map->n; i++)
		if (overlaps(map->v[i].inside, map->v[i].count, r->inside, r->count) ||
		    overlaps(map->v[i].outside, map->v[i].count, r->outside, r->count))
			return false;
	return true;
}

INSP_EXPORT int insp_idmap_parse(const char *text, struct insp_idmap *out)
{
	struct insp_idmap map = { 0 };

	for (const char *p = text; *p;) {
		struct insp_idmap_range r, *grown;

		p += strspn(p, " \t\n");
		if (!*p)
			break;
		if (map.n == IDMAP_MAX_LINES || take_u32(&p, &r.inside) < 0 ||
		    take_u32(&p, &r.outside) < 0 || take_u32(&p, &r.count) < 0 ||
		    (*p && *p != '\n') || !valid_range(&map, &r)) {
			free(map.v);
			return -EINVAL;
		}
		grown = util_xreallocarray(map.v, map.n + 1, sizeof(r));

		if (!grown) {
			free(map.v);
			return -ENOMEM;
		}
		map.v = grown;
		map.v[map.n++] = r;
	}
	*out = map;
	return 0;
}

INSP_EXPORT void insp_idmap_free(struct insp_idmap *map)
{
	free(map->v);
	map->v = NULL;
	map->n = 0;
}

INSP_EXPORT int insp_idmap_to_inside(const struct insp_idmap *map, uint32_t outside,
				     uint32_t *inside)
{
	for (unsigned i = 0; i < map->n; i++) {
		const struct insp_idmap_range *r = &map->v[i];

		if (outside >= r->outside && (uint64_t)outside < (uint64_t)r->outside + r->count) {
			*inside = r->inside + (outside - r->outside);
			return 0;
		}
	}
	return -ENOENT;
}

INSP_EXPORT bool insp_idmap_is_identity(const struct insp_idmap *map)
{
	return map->n == 1 && map->v[0].inside == 0 && map->v[0].outside == 0 &&
	       map->v[0].count == UINT32_MAX;
}
