// SPDX-License-Identifier: GPL-2.0-or-later
/* The inspect report for people: one section per concern, names instead of masks. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/caps.h>

#include "report.h"
#include "text.h"
#include "units.h"

#define KEY "  %-13s "

static void print_identity(const struct report *r, FILE *out)
{
	const struct insp_proc *p = &r->target.proc;
	time_t start = (time_t)(r->start_ns / 1000000000);
	char when[64] = "?";
	struct tm tm;

	fputs("PROCESS\n", out);
	text_line(out, KEY "%d", "pid", (int)p->pid);
	if (p->nnspid > 1) {
		fprintf(out, KEY, "nspid");
		for (unsigned i = 0; i < p->nnspid; i++)
			fprintf(out, "%s%d", i ? " > " : "", (int)p->nspid[i]);
		fputs("  (host > innermost pid namespace)\n", out);
	}
	text_line(out, KEY "%d", "ppid", (int)p->ppid);
	text_line(out, KEY "%s", "comm", p->comm);
	text_line(out, KEY "%s", "command", p->cmdline && *p->cmdline ? p->cmdline : "-");
	text_line(out, KEY "%s (uid %u)", "user", r->user[0] ? r->user : "?", (unsigned)p->uid);
	if (r->start_ns && localtime_r(&start, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	text_line(out, KEY "%s", "started", when);
}

static void print_container(const struct report *r, FILE *out)
{
	const struct insp_container_info *c = &r->target.container;

	fputs("CONTAINER\n", out);
	if (!r->target.in_container) {
		text_line(out, KEY "%s", "runtime", "none (not in a container cgroup)");
		return;
	}
	text_line(out, KEY "%s", "runtime", c->ref.runtime);
	text_line(out, KEY "%s", "id", c->ref.id);
	text_line(out, KEY "%s", "name", c->name[0] ? c->name : "-");
	if (c->image[0])
		text_line(out, KEY "%s", "image", c->image);
	if (c->pod_name[0] || c->ref.pod_uid[0])
		text_line(out, KEY "%s%s%s  (uid %s, qos %s)", "pod", c->pod_namespace,
			c->pod_namespace[0] ? "/" : "", c->pod_name[0] ? c->pod_name : "?",
			c->ref.pod_uid[0] ? c->ref.pod_uid : "?", c->ref.qos[0] ? c->ref.qos : "?");
	if (c->k8s_container[0])
		text_line(out, KEY "%s", "k8s container", c->k8s_container);
	text_line(out, KEY "%s", "state file", c->state_file[0] ? c->state_file : "not found");
	if (c->state_error[0])
		text_line(out, KEY "%s", "state error", c->state_error);
}

static const char *yes_no(int v)
{
	return v == INSP_UNKNOWN ? "?" : v ? "yes" : "no";
}

static void print_namespaces(const struct report *r, FILE *out)
{
	fputs("NAMESPACES\n", out);
	text_line(out, "  %-7s %-11s %-8s %-5s %-6s %s", "TYPE", "INODE", "ID", "HOST", "PARENT", "OWNER");
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		const struct ns_view *v = &r->ns[t];
		const char *name = insp_ns_type_name((enum insp_ns_type)t);

		if (!v->ino) {
			text_line(out, "  %-7s %s", name, v->error);
			continue;
		}
		fprintf(out, "  %-7s %-11lu %-8" PRIu64 " %-5s %-6s ", name, (unsigned long)v->ino, v->id,
			yes_no(v->shared_host), yes_no(v->shared_parent));
		/* The initial user namespace has no owner. */
		if (v->owner)
			text_line(out, "%lu", (unsigned long)v->owner);
		else
			fputs("-\n", out);
	}
}

static void print_usage(const struct insp_cgroup_stats *u, FILE *out)
{
	char a[32], b[32], c[32];

	text_line(out, KEY "%s used, limit %s, peak %s", "memory", units_bytes(u->memory_current, a, sizeof(a)),
		units_bytes(u->memory_max, b, sizeof(b)), units_bytes(u->memory_peak, c, sizeof(c)));
	text_line(out, KEY "%s of %s", "pids", units_count(u->pids_current, a, sizeof(a)),
		units_count(u->pids_max, b, sizeof(b)));
	text_line(out, KEY "limit %s, used %s, throttled %s times", "cpu",
		units_cpu_limit(u->cpu_quota_usec, u->cpu_period_usec, a, sizeof(a)),
		units_usec(u->cpu_usage_usec, b, sizeof(b)), units_count(u->cpu_nr_throttled, c, sizeof(c)));
}

static void print_cgroups(const struct report *r, FILE *out)
{
	fputs("CGROUP\n", out);
	if (!r->have_cgroups)
		return;
	for (size_t i = 0; i < r->cgroups.n; i++) {
		const struct insp_cgroup_member *m = &r->cgroups.v[i];

		text_line(out, KEY "%s%s", *m->controllers ? m->controllers : "v2", m->path,
			m->hierarchy ? "" : "  (not mounted)");
	}
	print_usage(&r->stats, out);
}

static void print_caps(const struct insp_security *s, FILE *out)
{
	for (int i = 0; i < INSP_CAP_NSETS; i++) {
		char *desc = insp_caps_describe(s->caps[i]);
		char *names = insp_caps_names(s->caps[i]);

		text_line(out, KEY "%s", insp_cap_set_name((enum insp_cap_set)i), desc ? desc : "?");
		if (names && *names && insp_caps_compare(s->caps[i]).profile != INSP_CAPS_FULL)
			text_line(out, KEY "%s", "", names);
		free(desc);
		free(names);
	}
}

static void print_idmap(const char *key, const struct insp_idmap *m, FILE *out)
{
	if (!m->n)
		text_line(out, KEY "%s", key, "(none written)");
	for (unsigned i = 0; i < m->n; i++)
		text_line(out, KEY "%u %u %u", i ? "" : key, m->v[i].inside, m->v[i].outside, m->v[i].count);
}

static void print_userns(const struct insp_security *s, FILE *out)
{
	const char *root = s->root_in_userns_only ? "root inside it only"
			   : s->ns_euid == 0	  ? "root"
			   : s->ns_euid < 0	  ? "euid unmapped"
						  : "not root";

	text_line(out, KEY "%s, %s", "user ns", s->own_userns ? "own" : "host's", root);
	if (s->own_userns) {
		print_idmap("uid map", &s->uid_map, out);
		print_idmap("gid map", &s->gid_map, out);
		text_line(out, KEY "%s", "setgroups", s->setgroups == INSP_UNKNOWN ? "?" : s->setgroups ? "allow" : "deny");
	}
}

static void print_security(const struct report *r, FILE *out)
{
	const struct insp_security *s = &r->sec;

	fputs("SECURITY\n", out);
	if (!r->have_sec)
		return;
	text_line(out, KEY "%u %u %u %u  (real effective saved fs)", "uid", s->uid[0], s->uid[1], s->uid[2], s->uid[3]);
	text_line(out, KEY "%u %u %u %u", "gid", s->gid[0], s->gid[1], s->gid[2], s->gid[3]);
	fprintf(out, KEY, "groups");
	for (unsigned i = 0; i < s->ngroups; i++)
		fprintf(out, "%s%u", i ? "," : "", s->groups[i]);
	fputs(s->ngroups ? "\n" : "-\n", out);
	print_userns(s, out);
	print_caps(s, out);
	text_line(out, KEY "%s", "no_new_privs", yes_no(s->no_new_privs));
	fprintf(out, KEY "%s", "seccomp", insp_seccomp_mode_name(s->seccomp));
	if (s->seccomp == INSP_SECCOMP_FILTER && s->seccomp_filters >= 0)
		fprintf(out, " (%d filter%s)", s->seccomp_filters, s->seccomp_filters == 1 ? "" : "s");
	if (*r->seccomp_profile)
		fprintf(out, ": %s", r->seccomp_profile);
	else if (*r->seccomp_error)
		fprintf(out, ": profile unknown (%s)", r->seccomp_error);
	fputc('\n', out);
	text_line(out, KEY "%s%s%s", "lsm", s->lsm_label ? s->lsm : "none",
		s->lsm_label ? ": " : "", s->lsm_label ? s->lsm_label : "");
	if (s->securebits == INSP_UNKNOWN)
		text_line(out, KEY "%s", "securebits", "? (needs eBPF)");
	else
		text_line(out, KEY "0x%x%s%s%s", "securebits", (unsigned)s->securebits,
			*r->securebits ? " (" : "", r->securebits, *r->securebits ? ")" : "");
}

void report_print_text(const struct report *r, FILE *out)
{
	print_identity(r, out);
	print_container(r, out);
	print_namespaces(r, out);
	print_cgroups(r, out);
	print_security(r, out);
	if (r->have_mounts)
		mounts_print_summary(&r->mounts, out);
	for (int s = 0; s < NSECTIONS; s++)
		if (r->errors[s][0])
			text_line(out, "PARTIAL %s: %s", report_section_names[s], r->errors[s]);
}
