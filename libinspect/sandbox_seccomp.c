// SPDX-License-Identifier: LGPL-2.1-or-later
/* The command's seccomp filter: the default one built in, or a compiled program from a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox_internal.h"
#include "seccomp_default.h"
#include "util.h"

/* A compiled classic BPF program, as seccomp_export_bpf(3) writes it and bwrap --seccomp takes it. */
static int load_program(const char *path, struct sock_fprog *prog, struct insp_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t len;
	int r;

	if (fd < 0)
		return insp_error_set(err, errno, "seccomp: %s", path);
	if ((r = util_read_all_fd(fd, &buf, &len)) < 0)
		return insp_error_set(err, -r, "seccomp: %s", path);
	if (len == 0 || len % sizeof(struct sock_filter) || len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		free(buf);
		return insp_error_input(err, EINVAL,
					  "seccomp: %s: not a BPF program (%zu bytes; want 1 to %d "
					  "instructions of %zu bytes)",
					  path, len, BPF_MAXINSNS, sizeof(struct sock_filter));
	}
	prog->filter = (struct sock_filter *)buf;
	prog->len = (unsigned short)(len / sizeof(struct sock_filter));
	return 0;
}

int sandbox_seccomp_prepare(struct insp_sandbox *sb, struct insp_error *err)
{
	const char *s = sb->spec->seccomp;

	if (s == INSP_SANDBOX_SECCOMP_DEFAULT) {
		sb->seccomp.filter = malloc(sizeof(sandbox_default_filter));
		if (!sb->seccomp.filter)
			return insp_error_set(err, ENOMEM, "seccomp");
		memcpy(sb->seccomp.filter, sandbox_default_filter, sizeof(sandbox_default_filter));
		sb->seccomp.len = ARRAY_SIZE(sandbox_default_filter);
		return 0;
	}
	if (*s == '\0')
		return 0;
	return load_program(s, &sb->seccomp, err);
}

void sandbox_seccomp_free(struct insp_sandbox *sb)
{
	free(sb->seccomp.filter);
	sb->seccomp.filter = NULL;
	sb->seccomp.len = 0;
}
