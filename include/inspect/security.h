/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_SECURITY_H
#define INSPECT_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/caps.h>
#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One line of uid_map/gid_map: count ids from inside map to outside. */
struct insp_idmap_range {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct insp_idmap {
	struct insp_idmap_range *v;
	unsigned n;
};

/* Parse uid_map/gid_map text. Malformed or overlapping lines give -EINVAL. */
int insp_idmap_parse(const char *text, struct insp_idmap *out);
void insp_idmap_free(struct insp_idmap *map);
/* The inside id for an outside one; -ENOENT if unmapped. */
int insp_idmap_to_inside(const struct insp_idmap *map, uint32_t outside, uint32_t *inside);
/* True when the map is the initial namespace's identity map "0 0 4294967295". */
bool insp_idmap_is_identity(const struct insp_idmap *map);

enum insp_seccomp_mode {
	INSP_SECCOMP_DISABLED = 0,
	INSP_SECCOMP_STRICT = 1,
	INSP_SECCOMP_FILTER = 2,
};

#define INSP_UNKNOWN (-1)

/* A process's security context, as the host sees it. Unknown ints are INSP_UNKNOWN. */
struct insp_security {
	uint64_t caps[INSP_CAP_NSETS];
	uint32_t uid[4], gid[4];	/* real, effective, saved, filesystem (host view) */
	uint32_t *groups;		/* supplementary groups */
	unsigned ngroups;
	int no_new_privs;
	int seccomp;			/* enum insp_seccomp_mode */
	int seccomp_filters;
	int securebits;			/* SECBIT_* mask; needs eBPF for other processes */
	char lsm[16];			/* "apparmor", "selinux", "smack"...; "" without one */
	char *lsm_label;		/* NULL without an LSM */
	struct insp_idmap uid_map, gid_map;
	int setgroups;			/* 1 allow, 0 deny */
	int64_t ns_euid;		/* effective uid inside its user namespace; -1 unmapped */
	bool own_userns;		/* in a user namespace other than the initial one */
	bool root_in_userns_only;	/* uid 0 inside, not root on the host */
};

/*
 * Read the security context of the process below an open /proc/PID
 * directory. pidfd (or -1) lets securebits be read through eBPF.
 */
int insp_security_read(int proc_dirfd, int pidfd, struct insp_security *out,
		       struct insp_error *err);
void insp_security_free(struct insp_security *sec);

/*
 * Whether the root a process sees is mounted read-only: 1, 0, or -errno.
 * From the process's own mountinfo: the mount on "/" that is visible there.
 */
int insp_root_read_only(int proc_dirfd, struct insp_error *err);

/* "disabled", "strict", "filter"; "?" for anything else. */
const char *insp_seccomp_mode_name(int mode);

/* "noroot,keep_caps_locked" for a SECBIT_* mask ("" for none). */
int insp_securebits_names(unsigned bits, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
