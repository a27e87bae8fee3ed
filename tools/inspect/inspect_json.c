// SPDX-License-Identifier: GPL-2.0-or-later
/* The inspect report as one JSON document: numbers stay numbers, unknown is null. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <inspect/caps.h>

#include "json.h"
#include "report.h"

#define ADD(obj, key, val) json_object_object_add(obj, key, val)

static json_object *identity(const struct report *r)
{
	const struct insp_proc *p = &r->target.proc;
	json_object *o = json_object_new_object(), *nspid = json_object_new_array();

	for (unsigned i = 0; i < p->nnspid; i++)
		json_object_array_add(nspid, json_object_new_int(p->nspid[i]));
	ADD(o, "pid", json_object_new_int(p->pid));
	ADD(o, "ppid", json_object_new_int(p->ppid));
	ADD(o, "comm", json_object_new_string(p->comm));
	ADD(o, "cmdline", json_object_new_string(p->cmdline ? p->cmdline : ""));
	ADD(o, "uid", json_object_new_int64(p->uid));
	ADD(o, "user", json_str(r->user));
	ADD(o, "start_time", r->start_ns ? json_time(r->start_ns) : NULL);
	ADD(o, "nspid", nspid);
	return o;
}

static json_object *container(const struct report *r)
{
	return r->target.in_container ? json_container(&r->target.container) : NULL;
}

/* What inspect knows beyond the container object that every command prints. */
static json_object *container_detail(const struct report *r)
{
	const struct insp_container_info *c = &r->target.container;
	json_object *o;

	if (!r->target.in_container)
		return NULL;
	o = json_object_new_object();
	ADD(o, "pod_uid", json_str(c->ref.pod_uid));
	ADD(o, "qos_class", json_str(c->ref.qos));
	ADD(o, "k8s_container", json_str(c->k8s_container));
	ADD(o, "state_file", json_str(c->state_file));
	ADD(o, "state_error", json_str(c->state_error));
	return o;
}

static json_object *namespaces(const struct report *r)
{
	json_object *o = json_object_new_object();

	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		const struct ns_view *v = &r->ns[t];
		json_object *ns = json_ns(v->ino, v->id);

		if (v->ino) {
			/* The initial user namespace has no owner. */
			ADD(ns, "owner", v->owner ? json_ns(v->owner, v->owner_id) : NULL);
			ADD(ns, "shared_with_host", json_tri(v->shared_host));
			ADD(ns, "shared_with_parent", json_tri(v->shared_parent));
		} else {
			ADD(ns, "error", json_object_new_string(v->error));
		}
		ADD(o, insp_ns_type_name((enum insp_ns_type)t), ns);
	}
	return o;
}

static json_object *cgroup(const struct report *r)
{
	const struct insp_cgroup_stats *u = &r->stats;
	json_object *o, *list, *mem, *pids, *cpu;

	if (!r->have_cgroups)
		return NULL;
	o = json_object_new_object();
	list = json_object_new_array();
	for (size_t i = 0; i < r->cgroups.n; i++) {
		const struct insp_cgroup_member *m = &r->cgroups.v[i];
		json_object *h = json_object_new_object();

		ADD(h, "version", json_object_new_int(*m->controllers ? 1 : 2));
		ADD(h, "controllers", json_object_new_string(m->controllers));
		ADD(h, "path", json_object_new_string(m->path));
		ADD(h, "directory", json_str(m->dir));
		json_object_array_add(list, h);
		if (!*m->controllers)
			ADD(o, "path", json_object_new_string(m->path));
	}
	ADD(o, "hierarchies", list);
	mem = json_object_new_object();
	ADD(mem, "current_bytes", json_limit(u->memory_current));
	ADD(mem, "max_bytes", json_limit(u->memory_max));
	ADD(mem, "peak_bytes", json_limit(u->memory_peak));
	ADD(o, "memory", mem);
	pids = json_object_new_object();
	ADD(pids, "current", json_limit(u->pids_current));
	ADD(pids, "max", json_limit(u->pids_max));
	ADD(o, "pids", pids);
	cpu = json_object_new_object();
	ADD(cpu, "quota_usec", json_limit(u->cpu_quota_usec));
	ADD(cpu, "period_usec", json_limit(u->cpu_period_usec));
	ADD(cpu, "usage_usec", json_limit(u->cpu_usage_usec));
	ADD(cpu, "nr_throttled", json_limit(u->cpu_nr_throttled));
	ADD(cpu, "throttled_usec", json_limit(u->cpu_throttled_usec));
	ADD(o, "cpu", cpu);
	return o;
}

json_object *caps_json(uint64_t mask)
{
	json_object *o = json_object_new_object(), *names = json_object_new_array();
	char hex[24], *desc = insp_caps_describe(mask);

	snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)mask);
	for (unsigned c = 0; c < 64; c++) {
		char name[32];

		if (mask & (1ULL << c) && insp_cap_name(c, name, sizeof(name)) == 0)
			json_object_array_add(names, json_object_new_string(name));
	}
	ADD(o, "mask", json_object_new_string(hex));
	ADD(o, "names", names);
	ADD(o, "profile", json_str(desc));
	free(desc);
	return o;
}

static json_object *ids(const uint32_t v[4])
{
	json_object *o = json_object_new_object();

	ADD(o, "real", json_object_new_int64(v[0]));
	ADD(o, "effective", json_object_new_int64(v[1]));
	ADD(o, "saved", json_object_new_int64(v[2]));
	ADD(o, "fs", json_object_new_int64(v[3]));
	return o;
}

static json_object *idmap(const struct insp_idmap *m)
{
	json_object *a = json_object_new_array();

	for (unsigned i = 0; i < m->n; i++) {
		json_object *e = json_object_new_object();

		ADD(e, "inside", json_object_new_int64(m->v[i].inside));
		ADD(e, "outside", json_object_new_int64(m->v[i].outside));
		ADD(e, "count", json_object_new_int64(m->v[i].count));
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *userns(const struct insp_security *s)
{
	json_object *o = json_object_new_object();

	ADD(o, "own", json_object_new_boolean(s->own_userns));
	ADD(o, "euid_inside", s->ns_euid >= 0 ? json_object_new_int64(s->ns_euid) : NULL);
	ADD(o, "root_inside_only", json_object_new_boolean(s->root_in_userns_only));
	ADD(o, "uid_map", idmap(&s->uid_map));
	ADD(o, "gid_map", idmap(&s->gid_map));
	ADD(o, "setgroups", s->setgroups == INSP_UNKNOWN ? NULL
			    : json_object_new_string(s->setgroups ? "allow" : "deny"));
	return o;
}

static json_object *security(const struct report *r)
{
	const struct insp_security *s = &r->sec;
	json_object *o, *caps, *groups, *seccomp, *lsm = NULL;

	if (!r->have_sec)
		return NULL;
	o = json_object_new_object();
	ADD(o, "uid", ids(s->uid));
	ADD(o, "gid", ids(s->gid));
	groups = json_object_new_array();
	for (unsigned i = 0; i < s->ngroups; i++)
		json_object_array_add(groups, json_object_new_int64(s->groups[i]));
	ADD(o, "groups", groups);
	ADD(o, "user_namespace", userns(s));
	caps = json_object_new_object();
	for (int i = 0; i < INSP_CAP_NSETS; i++)
		ADD(caps, insp_cap_set_name((enum insp_cap_set)i), caps_json(s->caps[i]));
	ADD(o, "capabilities", caps);
	ADD(o, "no_new_privs", json_tri(s->no_new_privs));
	seccomp = json_object_new_object();
	ADD(seccomp, "mode", s->seccomp >= 0 && s->seccomp <= 2 ? json_object_new_string(insp_seccomp_mode_name(s->seccomp))
							    : NULL);
	ADD(seccomp, "filters", s->seccomp_filters >= 0 ? json_object_new_int(s->seccomp_filters) : NULL);
	ADD(seccomp, "profile", s->seccomp == INSP_SECCOMP_DISABLED ? json_object_new_string("none")
			     : s->seccomp == INSP_SECCOMP_STRICT ? json_object_new_string("strict")
			     : *r->seccomp_profile ? json_object_new_string(r->seccomp_profile) : NULL);
	ADD(seccomp, "error", *r->seccomp_error ? json_object_new_string(r->seccomp_error) : NULL);
	ADD(o, "seccomp", seccomp);
	if (s->lsm_label) {
		lsm = json_object_new_object();
		ADD(lsm, "name", json_object_new_string(s->lsm));
		ADD(lsm, "label", json_object_new_string(s->lsm_label));
	}
	ADD(o, "lsm", lsm);
	ADD(o, "securebits", s->securebits == INSP_UNKNOWN ? NULL : json_object_new_int(s->securebits));
	ADD(o, "securebits_names", s->securebits == INSP_UNKNOWN ? NULL : json_object_new_string(r->securebits));
	return o;
}

void report_print_json(const struct report *r, FILE *out)
{
	json_object *doc = json_object_new_object(), *partial = NULL;

	ADD(doc, "identity", identity(r));
	ADD(doc, "container", container(r));
	ADD(doc, "container_detail", container_detail(r));
	ADD(doc, "namespaces", namespaces(r));
	ADD(doc, "cgroup", cgroup(r));
	ADD(doc, "security", security(r));
	ADD(doc, "mounts", r->have_mounts ? mounts_summary_json(&r->mounts) : NULL);
	for (int s = 0; s < NSECTIONS; s++) {
		if (!r->errors[s][0])
			continue;
		if (!partial)
			partial = json_object_new_object();
		ADD(partial, report_section_names[s], json_object_new_string(r->errors[s]));
	}
	ADD(doc, "partial", partial);
	json_print(out, doc, true);
}
