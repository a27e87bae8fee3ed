// SPDX-License-Identifier: LGPL-2.1-or-later
/* The pause-free reader: one pass of seccomp.bpf.c over the process's threads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "proc_internal.h"
#include "seccomp_iter.h"
#include "seccomp_iter.lskel.h"
#include "seccomp_internal.h"
#include "util.h"

/* The reader's index of each kernel filter seen, by the iterator's id. */
struct seen {
	uint64_t *ids;
	size_t n;
};

static int find_seen(const struct seen *s, uint64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return (int)i;
	return -1;
}

static int take_filter(const char **p, const char *end, struct seccomp_reading *r, struct seen *seen)
{
	struct seccomp_iter_filter rec;
	int idx;

	if ((size_t)(end - *p) < sizeof(rec))
		return -EPROTO;
	memcpy(&rec, *p, sizeof(rec));
	*p += sizeof(rec);
	if (rec.len == 0)
		return find_seen(seen, rec.id) >= 0 ? find_seen(seen, rec.id) : -ENODATA;
	if (rec.len > SECCOMP_ITER_MAX_INSNS || (size_t)(end - *p) < rec.len * sizeof(struct sock_filter))
		return -EPROTO;
	/* The iterator's buffer is not aligned for sock_filter: copy out. */
	_cleanup_free_ struct sock_filter *insns = malloc(rec.len * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, *p, rec.len * sizeof(*insns));
	*p += rec.len * sizeof(*insns);
	idx = seccomp_reading_add_filter(r, insns, rec.len, (int)rec.listener);
	if (idx < 0)
		return idx;
	uint64_t *ids = util_xreallocarray(seen->ids, seen->n + 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	seen->ids = ids;
	seen->ids[seen->n++] = rec.id;
	return idx;
}

static int parse_records(const char *buf, size_t len, struct seccomp_reading *r)
{
	const char *p = buf, *end = buf + len;
	struct seen seen = { 0 };
	int rc = 0;

	while (rc == 0 && p < end) {
		struct seccomp_iter_thread th;
		struct seccomp_thread *t;

		if ((size_t)(end - p) < sizeof(th)) {
			rc = -EPROTO;
			break;
		}
		memcpy(&th, p, sizeof(th));
		p += sizeof(th);
		if (!(t = seccomp_reading_add_thread(r, (pid_t)th.tid, (int)th.mode))) {
			rc = -ENOMEM;
			break;
		}
		t->truncated = th.truncated;
		for (unsigned i = 0; rc == 0 && i < th.nfilters; i++) {
			int idx = take_filter(&p, end, r, &seen);

			rc = idx < 0 ? idx : seccomp_thread_push(t, (unsigned)idx);
		}
	}
	free(seen.ids);
	return rc;
}

int seccomp_read_bpf(int pidfd, struct seccomp_reading *r, struct insp_error *err)
{
	union bpf_iter_link_info info = { .task.pid_fd = (uint32_t)pidfd };
	struct seccomp_iter *skel = seccomp_iter__open_and_load();
	_cleanup_free_ char *buf = NULL;
	int link_fd = -1, iter_fd, rc;
	size_t len = 0;

	if (!skel)
		return insp_error_set(err, errno ? errno : ENOTSUP,
				      "bpf: loading the seccomp iterator (needs CAP_BPF and CAP_PERFMON, or root)");
	iter_fd = bpf_iter_open(skel->progs.dump_seccomp.prog_fd, &info, &link_fd, err);
	rc = iter_fd;
	if (iter_fd >= 0) {
		rc = util_read_all_fd(iter_fd, &buf, &len);
		if (rc < 0)
			insp_error_set(err, -rc, "bpf: reading the seccomp iterator");
		close(iter_fd);
		close(link_fd);
	}
	seccomp_iter__destroy(skel);
	if (rc < 0)
		return rc;
	if (len == 0)
		return insp_error_set(err, ESRCH, "bpf: the process has no threads left");
	rc = parse_records(buf, len, r);
	/* A filter sent without instructions: the kernel kept no copy of its program. */
	if (rc == -ENODATA)
		return insp_error_set_msg(err, ENODATA, "bpf: a filter came without its program: the kernel keeps none "
					  "(CONFIG_CHECKPOINT_RESTORE is off), or it could not be read");
	if (rc < 0)
		return insp_error_set(err, -rc, "bpf: the seccomp iterator's records");
	return 0;
}
