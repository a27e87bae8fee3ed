// SPDX-License-Identifier: LGPL-2.1-or-later
/* A process's security context: credentials, capabilities, seccomp, LSM, id maps. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "inspect/security.h"
#include "mountinfo.h"
#include "proc_internal.h"
#include "procfs.h"
#include "util.h"

/* 340 lines (the kernel's limit) of "%10u %10u %10u\n". */
#define IDMAP_TEXT_MAX (340 * 33 + 1)

static const char *const cap_keys[INSP_CAP_NSETS] = {
	[INSP_CAP_INHERITABLE] = "CapInh:",
	[INSP_CAP_PERMITTED] = "CapPrm:",
	[INSP_CAP_EFFECTIVE] = "CapEff:",
	[INSP_CAP_BOUNDING] = "CapBnd:",
	[INSP_CAP_AMBIENT] = "CapAmb:",
};

static int status_int(const char *status, const char *key)
{
	long long v;

	return procfs_parse_status_int(status, key, &v) == 0 && v >= 0 && v <= INT32_MAX ? (int)v
											    : INSP_UNKNOWN;
}

static int parse_status(const char *status, struct insp_security *sec)
{
	int r;

	for (int i = 0; i < INSP_CAP_NSETS; i++) {
		r = procfs_parse_status_hex(status, cap_keys[i], &sec->caps[i]);
		/* CapAmb appeared in Linux 4.3: missing means empty. */
		if (r < 0 && !(r == -ENOENT && i == INSP_CAP_AMBIENT))
			return r;
	}
	if ((r = procfs_parse_status_ids(status, "Uid:", sec->uid)) < 0 ||
	    (r = procfs_parse_status_ids(status, "Gid:", sec->gid)) < 0 ||
	    (r = procfs_parse_status_groups(status, &sec->groups, &sec->ngroups)) < 0)
		return r;
	sec->no_new_privs = status_int(status, "NoNewPrivs:");
	sec->seccomp = status_int(status, "Seccomp:");
	sec->seccomp_filters = status_int(status, "Seccomp_filters:");
	return 0;
}

/* Where each LSM shows a task's label, most specific first. */
static const struct {
	const char *path;
	const char *lsm;
} lsm_attrs[] = {
	{ "attr/apparmor/current", "apparmor" },
	{ "attr/smack/current", "smack" },
	{ "attr/current", NULL },
};

static void read_lsm_label(int dirfd, struct insp_security *sec)
{
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(lsm_attrs); i++) {
		ssize_t n = util_read_at(dirfd, lsm_attrs[i].path, buf, sizeof(buf));

		/* EINVAL: no LSM claims this attribute. */
		if (n <= 0)
			continue;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
			buf[--n] = '\0';
		sec->lsm_label = strdup(buf);
		if (lsm_attrs[i].lsm)
			snprintf(sec->lsm, sizeof(sec->lsm), "%s", lsm_attrs[i].lsm);
		else
			snprintf(sec->lsm, sizeof(sec->lsm), "%s",
				 access("/sys/fs/selinux/enforce", F_OK) == 0 ? "selinux" : "lsm");
		return;
	}
}

static int read_idmap(int dirfd, const char *name, struct insp_idmap *map)
{
	char buf[IDMAP_TEXT_MAX];
	ssize_t n = util_read_at(dirfd, name, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return insp_idmap_parse(buf, map);
}

static int read_userns(int dirfd, struct insp_security *sec)
{
	char buf[16];
	uint32_t inside;
	int r;

	if ((r = read_idmap(dirfd, "uid_map", &sec->uid_map)) < 0 ||
	    (r = read_idmap(dirfd, "gid_map", &sec->gid_map)) < 0)
		return r;
	sec->setgroups = INSP_UNKNOWN;
	if (util_read_at(dirfd, "setgroups", buf, sizeof(buf)) > 0)
		sec->setgroups = strncmp(buf, "allow", 5) == 0;
	sec->own_userns = !insp_idmap_is_identity(&sec->uid_map);
	sec->ns_euid = insp_idmap_to_inside(&sec->uid_map, sec->uid[1], &inside) == 0 ? (int64_t)inside : -1;
	sec->root_in_userns_only = sec->ns_euid == 0 && sec->uid[1] != 0;
	return 0;
}

static bool is_self(int dirfd)
{
	struct stat a, b;

	return fstat(dirfd, &a) == 0 && stat("/proc/self", &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

/* Securebits are not in /proc: prctl for ourselves, the task iterator for others. */
static int read_securebits(int dirfd, int pidfd)
{
	unsigned bits;

	if (is_self(dirfd))
		return prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (pidfd >= 0 && bpf_task_securebits(pidfd, &bits, NULL) == 0)
		return (int)bits;
	return INSP_UNKNOWN;
}

int security_read_creds(int proc_dirfd, bool maps, struct insp_security *out,
			struct insp_error *err)
{
	_cleanup_free_ char *status = NULL;
	size_t len;
	int r;

	memset(out, 0, sizeof(*out));
	out->ns_euid = -1;
	out->securebits = INSP_UNKNOWN;
	r = util_read_all_at(proc_dirfd, "status", &status, &len);
	if (r < 0)
		return insp_error_set(err, -r, "status");
	r = parse_status(status, out);
	if (r < 0) {
		insp_security_free(out);
		return insp_error_set(err, -r, "status: unexpected format");
	}
	r = maps ? read_userns(proc_dirfd, out) : 0;
	if (r < 0) {
		insp_security_free(out);
		return insp_error_set(err, -r, "uid_map/gid_map");
	}
	return 0;
}

INSP_EXPORT int insp_security_read(int proc_dirfd, int pidfd, struct insp_security *out,
				   struct insp_error *err)
{
	int r = security_read_creds(proc_dirfd, true, out, err);

	if (r < 0)
		return r;
	read_lsm_label(proc_dirfd, out);
	out->securebits = read_securebits(proc_dirfd, pidfd);
	return 0;
}

/* Mounts stack: the last one on "/" is the one the process sees. Options: "ro,relatime". */
static int on_mount(const struct mountinfo_entry *e, void *data)
{
	int *ro = data;

	if (strcmp(e->target, "/") == 0)
		*ro = strncmp(e->options, "ro", 2) == 0 && (e->options[2] == ',' || !e->options[2]);
	return 0;
}

INSP_EXPORT int insp_root_read_only(int proc_dirfd, struct insp_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int ro = -ENOENT, r = util_read_all_at(proc_dirfd, "mountinfo", &text, &len);

	if (r < 0)
		return insp_error_set(err, -r, "mountinfo");
	mountinfo_foreach_buf(text, on_mount, &ro);
	if (ro < 0)
		return insp_error_set(err, ENOENT, "mountinfo: no mount on /");
	return ro;
}

INSP_EXPORT void insp_security_free(struct insp_security *sec)
{
	free(sec->groups);
	free(sec->lsm_label);
	insp_idmap_free(&sec->uid_map);
	insp_idmap_free(&sec->gid_map);
	sec->groups = NULL;
	sec->lsm_label = NULL;
}

INSP_EXPORT const char *insp_seccomp_mode_name(int mode)
{
	static const char *const names[] = { "disabled", "strict", "filter" };

	return mode >= 0 && mode < (int)ARRAY_SIZE(names) ? names[mode] : "?";
}

INSP_EXPORT int insp_securebits_names(unsigned bits, char *buf, size_t size)
{
	/* Bit order of <linux/securebits.h>: each flag, then its lock. */
	static const char *const names[] = {
		"noroot",	   "noroot_locked",	"no_setuid_fixup",	"no_setuid_fixup_locked",
		"keep_caps",	   "keep_caps_locked",	"no_cap_ambient_raise", "no_cap_ambient_raise_locked",
		"exec_restrict_file", "exec_restrict_file_locked", "exec_deny_interactive",
		"exec_deny_interactive_locked",
	};
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (unsigned b = 0; b < 32; b++) {
		char num[16];
		const char *name = num;
		int n;

		if (!(bits & (1u << b)))
			continue;
		if (b < ARRAY_SIZE(names))
			name = names[b];
		else
			snprintf(num, sizeof(num), "bit%u", b);
		n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", name);
		if (n < 0 || (size_t)n >= size - len)
			return -ENAMETOOLONG;
		len += (size_t)n;
	}
	return 0;
}
