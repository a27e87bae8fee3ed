// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The eBPF snapshot backend: one read of an iter/task program gives every
 * process's namespaces, parent, comm, euid and start time.
 *
 * It is a light skeleton on purpose: the kernel does the CO-RE relocations,
 * so we never parse the 5 MB vmlinux BTF in userspace (about 50 ms and 12 MB).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "nstask.h"
#include "nstask.lskel.h"
#include "proc_internal.h"
#include "util.h"

_Static_assert((int)NSTASK_NSLOTS == (int)INSP_NS_NSLOTS, "slot order");
_Static_assert((int)NSTASK_TIME_FOR_CHILDREN == (int)INSP_NS_SLOT_TIME_FOR_CHILDREN, "slot order");
_Static_assert((int)NSTASK_USER == (int)INSP_NS_USER && (int)NSTASK_TIME == (int)INSP_NS_TIME,
	       "slot order");

/* What one iterator record fills in, for every process. */
#define BPF_FIELDS (INSP_PROC_NS | INSP_PROC_STAT | INSP_PROC_UID)

/* stat field 22 counts USER_HZ ticks, which is 100 on every architecture's ABI. */
#define NSEC_PER_USER_TICK 10000000ULL

static uint64_t own_permitted_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[1].permitted << 32 | data[0].permitted;
}

/*
 * The iterator sees what /proc would refuse us. A process holding
 * capabilities we lack is the one /proc/PID/ns denies (commoncap's ptrace
 * rule), so ask /proc for those few and report them as /proc would.
 */
static bool ns_readable(pid_t pid)
{
	char path[48];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	return stat(path, &st) == 0 || (errno != EACCES && errno != EPERM);
}

static int add_record(struct insp_procs *procs, const struct nstask_rec *r, unsigned slots,
		      uint64_t own_caps)
{
	struct insp_proc *p = procs_append(procs);

	if (!p)
		return -ENOMEM;
	p->pid = (pid_t)r->pid;
	p->ppid = (pid_t)r->ppid;
	p->uid = r->euid;
	p->start_time = r->start_boottime / NSEC_PER_USER_TICK;
	memcpy(p->comm, r->comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
	p->fields = BPF_FIELDS;
	if ((r->cap_permitted & ~own_caps) && !ns_readable(p->pid)) {
		p->ns_denied = slots;
		if (!procs->stats.denied++)
			procs->stats.first_denied = p->pid;
		return 0;
	}
	for (unsigned s = 0; s < INSP_NS_NSLOTS; s++) {
		if (!(slots & (1u << s)))
			continue;
		p->ns_ino[s] = r->ns_inum[s];
		p->ns_id[s] = r->ns_id[s];
	}
	return 0;
}

static int read_records(struct insp_procs *procs, int iter_fd, unsigned slots)
{
	uint64_t own_caps = own_permitted_caps();
	char buf[64 * sizeof(struct nstask_rec)];
	size_t have = 0;

	for (;;) {
		ssize_t n = read(iter_fd, buf + have, sizeof(buf) - have);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return have ? -EIO : 0;
		have += (size_t)n;
		for (; have - off >= sizeof(struct nstask_rec); off += sizeof(struct nstask_rec)) {
			struct nstask_rec r;
			int ret;

			memcpy(&r, buf + off, sizeof(r));
			ret = add_record(procs, &r, slots, own_caps);
			if (ret < 0)
				return ret;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

/* An iterator over every task, or (info != NULL) over one process's tasks. */
static int open_iter(struct nstask *skel, const union bpf_iter_link_info *info, int *link_fd,
		     struct insp_error *err)
{
	union bpf_attr attr = { .link_create = { .prog_fd = (unsigned)skel->progs.dump_tasks.prog_fd,
						 .attach_type = BPF_TRACE_ITER } };
	int iter_fd;

	if (info) {
		attr.link_create.iter_info = (uint64_t)(uintptr_t)info;
		attr.link_create.iter_info_len = sizeof(*info);
	}
	*link_fd = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (*link_fd < 0)
		return insp_error_set(err, errno, "bpf: attaching the task iterator");
	iter_fd = (int)syscall(SYS_bpf, BPF_ITER_CREATE,
			       &(union bpf_attr){ .iter_create.link_fd = (unsigned)*link_fd },
			       sizeof(union bpf_attr));
	if (iter_fd < 0) {
		insp_error_set(err, errno, "bpf: creating the task iterator");
		close(*link_fd);
		*link_fd = -1;
		return -err->code;
	}
	return iter_fd;
}

static struct nstask *load_iter(struct insp_error *err)
{
	struct nstask *skel = nstask__open_and_load();

	if (!skel)
		insp_error_set(err, errno ? errno : ENOTSUP,
			       "bpf: loading the task iterator (needs CAP_BPF and CAP_PERFMON, or root)");
	return skel;
}

int bpf_task_securebits(int pidfd, unsigned *securebits, struct insp_error *err)
{
	/* Task iterators limited to one process exist since Linux 6.1. */
	union bpf_iter_link_info info = { .task.pid_fd = (uint32_t)pidfd };
	struct insp_error local;
	struct nstask *skel;
	struct nstask_rec rec;
	int link_fd = -1, iter_fd;
	ssize_t n = -1;

	if (!err)
		err = &local;
	skel = load_iter(err);
	if (!skel)
		return -err->code;
	iter_fd = open_iter(skel, &info, &link_fd, err);
	if (iter_fd >= 0) {
		do
			n = read(iter_fd, &rec, sizeof(rec));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			insp_error_set(err, errno, "bpf: reading the task iterator");
		else if (n != sizeof(rec))
			insp_error_set(err, ESRCH, "bpf: process exited");
		else
			*securebits = rec.securebits;
		close(iter_fd);
		close(link_fd);
	}
	nstask__destroy(skel);
	return n == sizeof(rec) ? 0 : -err->code;
}

struct insp_scanner {
	struct nstask *skel;
};

INSP_EXPORT int insp_scanner_open(struct insp_scanner **out, struct insp_error *err)
{
	struct insp_error local;
	struct insp_scanner *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!err)
		err = &local;
	if (!s)
		return insp_error_set(err, ENOMEM, "scanner");
	s->skel = load_iter(err);
	if (!s->skel) {
		free(s);
		return -err->code;
	}
	*out = s;
	return 0;
}

INSP_EXPORT void insp_scanner_close(struct insp_scanner *s)
{
	if (!s)
		return;
	nstask__destroy(s->skel);
	free(s);
}

int bpf_scan(struct insp_procs *procs, const struct insp_scan_opts *opts, struct insp_error *err)
{
	struct nstask *skel;
	struct stat st;
	int link_fd, iter_fd, r;

	skel = opts->scanner ? opts->scanner->skel : load_iter(err);
	if (!skel)
		return -err->code;
	iter_fd = open_iter(skel, NULL, &link_fd, err);
	if (iter_fd < 0) {
		r = iter_fd;
		goto out;
	}
	r = read_records(procs, iter_fd, opts->ns_slots);
	close(iter_fd);
	close(link_fd);
	if (r < 0) {
		insp_error_set(err, r, "bpf: reading the task iterator");
		goto out;
	}
	/* The task iterator starts after pid 1 on some kernels (6.18 here): ask /proc for it. */
	if ((procs->n == 0 || procs->v[0].pid != 1) &&
	    (r = procfs_add_pid(procs, 1, &(struct insp_scan_opts){ .fields = BPF_FIELDS,
								    .ns_slots = opts->ns_slots })) < 0) {
		insp_error_set(err, r, "bpf backend: reading pid 1 from /proc");
		goto out;
	}
	if (stat("/proc/self/ns/user", &st) == 0)
		procs->nsfs_dev = st.st_dev;
	procs->backend = INSP_BACKEND_BPF;
out:
	if (!opts->scanner)
		nstask__destroy(skel);
	if (r < 0) {
		for (size_t i = 0; i < procs->n; i++)
			proc_release(&procs->v[i]);
		procs->n = 0;
		memset(&procs->stats, 0, sizeof(procs->stats));
	}
	return r;
}
