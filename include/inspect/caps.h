/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_CAPS_H
#define INSPECT_CAPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The five capability sets of a thread, in /proc/PID/status order. */
enum insp_cap_set {
	INSP_CAP_INHERITABLE,
	INSP_CAP_PERMITTED,
	INSP_CAP_EFFECTIVE,
	INSP_CAP_BOUNDING,
	INSP_CAP_AMBIENT,
	INSP_CAP_NSETS
};

/* "inheritable", "permitted"... */
const char *insp_cap_set_name(enum insp_cap_set set);

/* Highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
unsigned insp_cap_last(void);

/*
 * "cap_sys_admin"; capabilities newer than libcap knows are "cap_N".
 * Returns 0, or -ERANGE for cap > 63.
 */
int insp_cap_name(unsigned cap, char *buf, size_t size);

/*
 * A mask from text: hex ("0xa80425fb", "00000000a80425fb", as in
 * /proc/PID/status and capsh) or a list of names ("cap_chown,SYS_ADMIN,
 * cap_41"). -EINVAL for anything else.
 */
int insp_caps_parse(const char *text, uint64_t *mask);

/* "cap_chown,cap_kill" (malloc'ed; "" for none); NULL on ENOMEM. */
char *insp_caps_names(uint64_t mask);

/* Named profiles a mask is compared against. */
enum insp_caps_profile {
	INSP_CAPS_NONE,
	INSP_CAPS_DOCKER_DEFAULT,	/* the 14 capabilities docker keeps for root */
	INSP_CAPS_FULL,			/* every capability of this kernel */
	INSP_CAPS_NPROFILES
};

const char *insp_caps_profile_name(enum insp_caps_profile profile);
uint64_t insp_caps_profile_mask(enum insp_caps_profile profile);

/* The profile nearest to a mask, and what differs from it. */
struct insp_caps_diff {
	enum insp_caps_profile profile;
	uint64_t added;
	uint64_t removed;
};

struct insp_caps_diff insp_caps_compare(uint64_t mask);

/* "docker default + SYS_ADMIN - NET_RAW" (malloc'ed); NULL on ENOMEM. */
char *insp_caps_describe(uint64_t mask);

#ifdef __cplusplus
}
#endif
#endif
