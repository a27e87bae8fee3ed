// SPDX-License-Identifier: LGPL-2.1-or-later
/* Taking the target's uid, gid, groups and capability sets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inspect/caps.h"
#include "inspect/security.h"
#include "join_internal.h"
#include "proc_internal.h"
#include "util.h"

/*
 * An id of the target, as it will read once we are where it is: inside its
 * user namespace when we enter that (-ENOENT and 0 if it has no name there),
 * unchanged when we stay in ours, and 0 (like nsenter) in a user namespace
 * given as a file, whose map we do not know.
 */
static int id_where_we_go(const struct insp_join *j, const struct insp_idmap *map,
			  uint32_t host_id, uint32_t *out)
{
	*out = 0;
	if (j->ns_file & INSP_JOIN_NS(INSP_NS_USER))
		return 0;
	if (!(j->ns_target & INSP_JOIN_NS(INSP_NS_USER))) {
		*out = host_id;
		return 0;
	}
	if (insp_idmap_to_inside(map, host_id, out) < 0) {
		*out = 0;
		return -ENOENT;
	}
	return 0;
}

static int take_groups(struct insp_join *j, const struct insp_security *sec)
{
	struct join_creds *c = &j->creds;

	c->groups = calloc(sec->ngroups ? sec->ngroups : 1, sizeof(*c->groups));
	if (!c->groups)
		return -ENOMEM;
	/* A group with no name inside its user namespace cannot be set there. */
	for (unsigned i = 0; i < sec->ngroups; i++)
		if (id_where_we_go(j, &sec->gid_map, sec->groups[i], &c->groups[c->ngroups]) == 0)
			c->ngroups++;
	return 0;
}

int join_creds_prepare(struct insp_join *j, const struct insp_join_opts *opts,
		       struct insp_error *err)
{
	struct join_creds *c = &j->creds;
	struct insp_security sec;
	int r = security_read_creds(j->proc_fd, j->ns_target & INSP_JOIN_NS(INSP_NS_USER), &sec, err);

	if (r < 0)
		return r;
	/* Read now, from the host's /proc: the target's root may have none. */
	insp_cap_last();
	if ((j->flags & INSP_JOIN_CREDS) || opts->uid != INSP_JOIN_ID_TARGET ||
	    opts->gid != INSP_JOIN_ID_TARGET) {
		c->set_ids = true;
		id_where_we_go(j, &sec.uid_map, sec.uid[1], &c->uid);
		id_where_we_go(j, &sec.gid_map, sec.gid[1], &c->gid);
		if (opts->uid != INSP_JOIN_ID_TARGET)
			c->uid = opts->uid;
		if (opts->gid != INSP_JOIN_ID_TARGET)
			c->gid = opts->gid;
	}
	/* -G alone means no supplementary groups, as with nsenter. */
	if (j->flags & INSP_JOIN_CREDS) {
		c->set_groups = true;
		if (opts->gid == INSP_JOIN_ID_TARGET && (r = take_groups(j, &sec)) < 0)
			insp_error_set(err, -r, "groups");
	}
	c->set_caps = j->flags & INSP_JOIN_CAPS;
	memcpy(c->caps, sec.caps, sizeof(c->caps));
	c->no_new_privs = c->set_caps && sec.no_new_privs == 1;
	insp_security_free(&sec);
	return r;
}

static uint64_t our_permitted(void)
{
	cap_t cur = cap_get_proc();
	uint64_t mask = 0;

	for (unsigned cap = 0; cur && cap <= insp_cap_last() && cap < 64; cap++) {
		cap_flag_value_t v;

		if (cap_get_flag(cur, (cap_value_t)cap, CAP_PERMITTED, &v) == 0 && v == CAP_SET)
			mask |= 1ULL << cap;
	}
	cap_free(cur);
	return mask;
}

static int set_proc_caps(uint64_t eff, uint64_t perm, uint64_t inh)
{
	const struct {
		cap_flag_t flag;
		uint64_t mask;
	} sets[] = { { CAP_EFFECTIVE, eff }, { CAP_PERMITTED, perm }, { CAP_INHERITABLE, inh } };
	cap_t caps = cap_init();
	int r = 0;

	if (!caps)
		return -errno;
	for (size_t s = 0; s < ARRAY_SIZE(sets); s++)
		for (cap_value_t cap = 0; cap < 64; cap++)
			if ((sets[s].mask & (1ULL << cap)) &&
			    cap_set_flag(caps, sets[s].flag, 1, &cap, CAP_SET) < 0)
				r = -errno;
	if (r == 0 && cap_set_proc(caps) < 0)
		r = -errno;
	cap_free(caps);
	return r;
}

static int raise_ambient(uint64_t mask)
{
	for (int cap = 0; cap < 64; cap++)
		if ((mask & (1ULL << cap)) && cap_set_ambient((cap_value_t)cap, CAP_SET) < 0)
			return -errno;
	return 0;
}

static int drop_bounding(uint64_t keep)
{
	for (unsigned cap = 0; cap <= insp_cap_last() && cap < 64; cap++)
		if (!(keep & (1ULL << cap)) && cap_drop_bound((cap_value_t)cap) < 0)
			return -errno;
	return 0;
}

/*
 * Raw system calls: they change the calling task only. The libc wrappers
 * change every thread of a process, and in a child sharing our memory
 * (CLONE_VM) libc would count the parent among them.
 */
static int set_ids(const struct join_creds *c, struct insp_error *err)
{
	/* EPERM: setgroups is denied in this user namespace; its groups stay as they are. */
	if (c->set_groups && syscall(SYS_setgroups, c->ngroups, c->groups) < 0 && errno != EPERM)
		return insp_error_set(err, errno, "setgroups");
	if (c->set_ids && syscall(SYS_setresgid, c->gid, c->gid, c->gid) < 0)
		return insp_error_set(err, errno, "setgid(%u)", (unsigned)c->gid);
	if (c->set_ids && syscall(SYS_setresuid, c->uid, c->uid, c->uid) < 0)
		return insp_error_set(err, errno, "setuid(%u)", (unsigned)c->uid);
	return 0;
}

/*
 * The target's capability sets, limited to what we hold (setns into a user
 * namespace gives every capability in it). The bounding set goes first,
 * while we still have CAP_SETPCAP; KEEPCAPS carries the permitted set over
 * the uid change. Without set_caps, our own set survives a non-root uid and
 * exec as ambient capabilities.
 */
int join_creds_apply(const struct join_creds *c, struct insp_error *err)
{
	uint64_t have = our_permitted();
	int r;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return insp_error_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if (c->set_caps && (r = drop_bounding(c->caps[INSP_CAP_BOUNDING])) < 0)
		return insp_error_set(err, -r, "capability bounding set");
	if ((r = set_ids(c, err)) < 0)
		return r;
	if (c->set_caps) {
		r = set_proc_caps(c->caps[INSP_CAP_EFFECTIVE] & have, c->caps[INSP_CAP_PERMITTED] & have,
				  c->caps[INSP_CAP_INHERITABLE] & have);
		if (r == 0)
			r = raise_ambient(c->caps[INSP_CAP_AMBIENT] & have);
	} else if (c->set_ids && c->uid != 0) {
		r = set_proc_caps(have, have, have);
		if (r == 0)
			r = raise_ambient(have);
	}
	if (r < 0)
		return insp_error_set(err, -r, "capabilities");
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return insp_error_set(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	return 0;
}
