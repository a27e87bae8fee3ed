/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_SANDBOX_H
#define INSPECT_SANDBOX_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>
#include <inspect/join.h>
#include <inspect/ns.h>

#ifdef __cplusplus
extern "C" {
#endif

enum insp_sandbox_mount_kind {
	INSP_SANDBOX_BIND,		/* host src, writable */
	INSP_SANDBOX_RO_BIND,		/* host src, read-only (recursively) */
	INSP_SANDBOX_TMPFS,		/* an empty tmpfs */
};

struct insp_sandbox_mount {
	enum insp_sandbox_mount_kind kind;
	const char *src;		/* a host path; NULL for tmpfs */
	const char *dst;		/* inside the sandbox, resolved inside its root */
};

/* One line of a uid_map or gid_map; at most INSP_SANDBOX_MAX_IDMAP of them. */
#define INSP_SANDBOX_MAX_IDMAP 32
struct insp_sandbox_idmap {
	uint32_t inside, outside, count;
};

#define INSP_SANDBOX_SECCOMP_DEFAULT NULL
#define INSP_SANDBOX_SECCOMP_UNCONFINED ""

/* A path (inside the sandbox) the command may use under Landlock. */
struct insp_sandbox_landlock {
	const char *path;
	bool write;			/* every right; else read and execute only */
};

/* A TCP port the command may bind to, or connect to, under Landlock. */
struct insp_sandbox_port {
	uint16_t port;
	bool connect;			/* else bind */
};

struct insp_sandbox_spec {
	unsigned share_ns;		/* INSP_JOIN_NS bits of types kept from us */
	const char *join_ns[INSP_NS_NTYPES]; /* namespace files to join (not user, mnt) */
	bool lo_down;			/* leave a new netns's loopback down */

	const char *rootfs;		/* NULL: the host's / read-only */
	bool read_only;			/* rootfs read-only */
	bool overlay;			/* rootfs read-only under a tmpfs layer */
	const struct insp_sandbox_mount *mounts; /* after /proc, /dev, /tmp, in order */
	size_t n_mounts;

	uint32_t uid, gid;		/* inside */
	const struct insp_sandbox_idmap *uid_map, *gid_map; /* NULL: uid/gid -> ours */
	size_t n_uid_map, n_gid_map;

	bool caps_given;		/* else docker's 14 for uid 0, none for others */
	uint64_t caps;
	const char *seccomp;		/* a BPF program file, or one of the two above */
	/* Given any, the filesystem outside these paths is denied (Landlock). */
	const struct insp_sandbox_landlock *landlock;
	size_t n_landlock;
	/* Given any of a kind, TCP binds (or connects) to other ports are denied (Landlock ABI 4). */
	const struct insp_sandbox_port *landlock_ports;
	size_t n_landlock_ports;

	const char *cgroup;		/* logical cgroup path; NULL: nsctl-run-<pid> */
	char *const *limits;		/* knob=value; a cgroup exists only when given */
	size_t n_limits;

	const char *hostname;
	char *const *envp;
	const char *workdir;		/* NULL: / */
	int64_t monotonic_offset, boottime_offset; /* seconds, in a new time ns */
	const sigset_t *sigmask;	/* what the command starts with */
	char *const *argv;
};

struct insp_sandbox;

/*
 * Build the sandbox and start argv[0] in it. Returns once the command has
 * been exec'd, or with the error of the step that failed ("pivot_root(/srv):
 * Invalid argument"), having undone everything: no process, mount or cgroup
 * is left. An exec failure is reported here too, with *exit_status set to
 * 127 (not found) or 126. The caller must be single-threaded and should
 * block the signals it forwards (SIGCHLD among them) before the call.
 */
int insp_sandbox_start(struct insp_sandbox **out, const struct insp_sandbox_spec *spec,
		       int *exit_status, struct insp_error *err);

/* The sandbox's init (PID 1 inside), as a host pid and as a pidfd (-1 if none). */
pid_t insp_sandbox_pid(const struct insp_sandbox *sb);
int insp_sandbox_pidfd(const struct insp_sandbox *sb);

/* The cgroup it runs in, NULL when no limit asked for one. */
const char *insp_sandbox_cgroup(const struct insp_sandbox *sb);

/* Notes from the sandbox (a chroot instead of pivot_root); *out stays valid until destroy. */
size_t insp_sandbox_warnings(const struct insp_sandbox *sb, const char *const **out);

/* Its namespaces, as the command sees them: inodes, and 64-bit ids (0 on kernels without). */
int insp_sandbox_namespaces(const struct insp_sandbox *sb, ino_t inos[INSP_NS_NTYPES],
			    uint64_t ids[INSP_NS_NTYPES]);

/*
 * After init has been reaped: kill whatever is left in its cgroup and
 * remove it. Frees sb.
 */
int insp_sandbox_destroy(struct insp_sandbox *sb, struct insp_error *err);

#ifdef __cplusplus
}
#endif
#endif
