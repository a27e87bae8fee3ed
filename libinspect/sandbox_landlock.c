// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Landlock for the command: with any path given, every filesystem right
 * this kernel's Landlock knows is denied outside the paths listed; with any
 * port given to bind (or connect), TCP binds (or connects) to the others.
 * The kernel's ABI is probed before anything is built, so a kernel without
 * Landlock, or without network rules, fails the run with a message instead
 * of a half-made sandbox; the rules are made inside, where the paths are
 * the sandbox's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/landlock.h>

#include "sandbox_internal.h"
#include "util.h"

/* Rights of later ABIs than the build's headers know. */
#define FS_REFER (1ULL << 13)		/* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)	/* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15)	/* ABI 5 */
#define NET_BIND_TCP (1ULL << 0)	/* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1)
#define RULE_NET_PORT 2
#define FS_ABI1 ((1ULL << 13) - 1)
#define FS_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* What a rule on a file (not a directory) may name. */
#define FS_ON_FILES (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		     LANDLOCK_ACCESS_FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

/* The ABI 4 layouts, which the build's headers may predate. */
struct ruleset_attr_net {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
};

struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

static uint64_t handled_for_abi(int abi)
{
	return FS_ABI1 | (abi >= 2 ? FS_REFER : 0) | (abi >= 3 ? FS_TRUNCATE : 0) | (abi >= 5 ? FS_IOCTL_DEV : 0);
}

static uint64_t port_right(const struct insp_sandbox_port *p)
{
	return p->connect ? NET_CONNECT_TCP : NET_BIND_TCP;
}

int sandbox_landlock_prepare(struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	long abi;

	if (!s->n_landlock && !s->n_landlock_ports)
		return 0;
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		return insp_error_set_msg(err, errno, "landlock: %s",
					  errno == EOPNOTSUPP ? "Landlock is built in but not enabled (add landlock to lsm= on the kernel command line)"
					  : errno == ENOSYS ? "this kernel has no Landlock (Linux 5.13 or later, CONFIG_SECURITY_LANDLOCK)"
							    : strerror(errno));
	if (s->n_landlock_ports && abi < 4)
		return insp_error_set_msg(err, EOPNOTSUPP,
					  "landlock: this kernel's Landlock (ABI %ld) has no network rules (ABI 4, Linux 6.7)", abi);
	if (s->n_landlock)
		sb->landlock_handled = handled_for_abi((int)abi);
	for (size_t i = 0; i < s->n_landlock_ports; i++)
		sb->landlock_handled_net |= port_right(&s->landlock_ports[i]);
	return 0;
}

static int add_port_rule(int ruleset, const struct insp_sandbox_port *p, struct insp_error *err)
{
	struct net_port_attr rule = { .allowed_access = port_right(p), .port = p->port };

	if (syscall(SYS_landlock_add_rule, ruleset, RULE_NET_PORT, &rule, 0) < 0)
		return insp_error_set(err, errno, "landlock: a rule for TCP %s port %u", p->connect ? "connect" : "bind",
				      (unsigned)p->port);
	return 0;
}

static int add_rule(int ruleset, const struct insp_sandbox_landlock *p, uint64_t handled, struct insp_error *err)
{
	struct landlock_path_beneath_attr rule = { 0 };
	_cleanup_close_ int fd = open(p->path, O_PATH | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return insp_error_set(err, errno, "landlock: %s", p->path);
	rule.parent_fd = fd;
	rule.allowed_access = (p->write ? handled : FS_READ) & (S_ISDIR(st.st_mode) ? handled : FS_ON_FILES);
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
		return insp_error_set(err, errno, "landlock: a rule for %s", p->path);
	return 0;
}

/* In the command, after the mounts and no_new_privs, before seccomp. */
int sandbox_landlock_apply(const struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	struct ruleset_attr_net attr = { sb->landlock_handled, sb->landlock_handled_net };
	_cleanup_close_ int ruleset = -1;

	if (!s->n_landlock && !s->n_landlock_ports)
		return 0;
	/* The kernel reads only the fields we pass: later ABIs' stay unhandled. */
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr,
			       attr.handled_access_net ? sizeof(attr) : sizeof(attr.handled_access_fs), 0);
	if (ruleset < 0)
		return insp_error_set(err, errno, "landlock: creating the ruleset");
	for (size_t i = 0; i < s->n_landlock; i++)
		if (add_rule(ruleset, &s->landlock[i], sb->landlock_handled, err) < 0)
			return -err->code;
	for (size_t i = 0; i < s->n_landlock_ports; i++)
		if (add_port_rule(ruleset, &s->landlock_ports[i], err) < 0)
			return -err->code;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return insp_error_set(err, errno, "landlock: restricting the command");
	return 0;
}
