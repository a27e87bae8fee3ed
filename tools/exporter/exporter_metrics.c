// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metric table: one row per family drives both the exposition and the
 * man page's table (--list-metrics). Container series carry only
 * container_id and runtime, so that a series lives as long as its container
 * and no name, image or environment multiplies them; names and images are
 * on one info series per container, for joins. cAdvisor's names where the
 * meaning is the same, so that dashboards keep working; nsctl_ otherwise.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <inspect/security.h>

#include "cli.h"
#include "exporter.h"

enum scope {
	S_CONTAINER,		/* one sample per container */
	S_CONTAINER_TYPE,	/* per container and namespace type */
	S_HOST,
	S_HOST_TYPE,		/* per namespace type */
	S_ERRORS,		/* per kind of fault */
	S_CONTAINER_INFO,
	S_SECURITY_INFO,
	S_BUILD_INFO,
};

struct metric {
	const char *name;
	enum metric_type type;
	enum scope scope;
	const char *labels;	/* beyond container_id and runtime, for the table */
	const char *source;
	const char *help;
	/* The sample's value for the scope's container and type; NAN: none. */
	double (*value)(const struct exp_snapshot *s, const struct exp_container *c, enum insp_ns_type t);
};

#define VALUE(fn) static double fn(const struct exp_snapshot *s, const struct exp_container *c, enum insp_ns_type t)

/* A cgroup number as a sample: unknown is absent. */
static double num(uint64_t v)
{
	return v >= INSP_CGROUP_UNKNOWN ? NAN : (double)v;
}

/* A limit: 0 for none, as cAdvisor reports it. */
static double limit(uint64_t v)
{
	return v == INSP_CGROUP_UNLIMITED ? 0 : num(v);
}

static double usec(uint64_t v)
{
	return v >= INSP_CGROUP_UNKNOWN ? NAN : (double)v / 1e6;
}

static double psi_total(const struct insp_cgroup_psi_line *l)
{
	return l->present ? (double)l->total_us / 1e6 : NAN;
}

VALUE(cpu_usage) { return usec(c->st.cpu_usage_usec); }
VALUE(cpu_user) { return usec(c->st.cpu_user_usec); }
VALUE(cpu_system) { return usec(c->st.cpu_system_usec); }
VALUE(cfs_periods) { return num(c->st.cpu_nr_periods); }
VALUE(cfs_throttled) { return num(c->st.cpu_nr_throttled); }
VALUE(cfs_throttled_s) { return usec(c->st.cpu_throttled_usec); }
VALUE(cpu_quota)
{
	/* cAdvisor has no sample without a quota. */
	return c->st.cpu_quota_usec == INSP_CGROUP_UNLIMITED ? NAN : num(c->st.cpu_quota_usec);
}
VALUE(cpu_period)
{
	return c->st.cpu_quota_usec == INSP_CGROUP_UNLIMITED ? NAN : num(c->st.cpu_period_usec);
}
VALUE(mem_usage) { return num(c->st.memory_current); }
VALUE(mem_working_set) { return num(c->st.memory_working_set); }
VALUE(mem_limit) { return limit(c->st.memory_max); }
VALUE(oom_kills) { return num(c->st.memory_oom_kill); }
VALUE(threads) { return num(c->st.pids_current); }
VALUE(threads_max) { return limit(c->st.pids_max); }
VALUE(processes) { return (double)c->processes; }
VALUE(io_read) { return num(c->st.io_read_bytes); }
VALUE(io_write) { return num(c->st.io_write_bytes); }
VALUE(cpu_waiting) { return psi_total(&c->st.psi_cpu.some); }
VALUE(cpu_stalled) { return psi_total(&c->st.psi_cpu.full); }
VALUE(mem_waiting) { return psi_total(&c->st.psi_memory.some); }
VALUE(mem_stalled) { return psi_total(&c->st.psi_memory.full); }
VALUE(io_waiting) { return psi_total(&c->st.psi_io.some); }
VALUE(io_stalled) { return psi_total(&c->st.psi_io.full); }
VALUE(namespaces) { return c->ns_known ? (double)c->namespaces : NAN; }

VALUE(shared_with_host)
{
	return c->ns_known ? !(c->own_ns & (1u << t)) : NAN;
}

VALUE(host_namespaces) { return (double)s->namespaces[t]; }
VALUE(created)
{
	return s->counters_on ? (double)s->counters.created[t] : NAN;
}
VALUE(entered)
{
	return s->counters_on ? (double)s->counters.entered[t] : NAN;
}
static double cgroup_calls(const struct exp_snapshot *s, enum insp_event_kind k)
{
	return s->counters_on ? (double)s->counters.calls[k] : NAN;
}
VALUE(mkdirs) { return cgroup_calls(s, INSP_EVENT_CGROUP_MKDIR); }
VALUE(rmdirs) { return cgroup_calls(s, INSP_EVENT_CGROUP_RMDIR); }
VALUE(attaches) { return cgroup_calls(s, INSP_EVENT_CGROUP_ATTACH); }
VALUE(duration) { return s->duration; }
VALUE(partial) { return s->partial || s->failed; }
VALUE(seen_processes) { return (double)s->processes; }
VALUE(seen_cgroups) { return (double)s->cgroups; }
VALUE(seen_containers) { return (double)s->n; }
VALUE(counters_on) { return s->counters_on; }

#define CG "cgroup files; "
static const struct metric metrics[] = {
	{ "container_cpu_usage_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.stat usage_usec (v1: cpuacct.usage)",
	  "Cumulative CPU time consumed", cpu_usage },
	{ "container_cpu_user_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.stat user_usec (v1: cpuacct.stat)",
	  "Cumulative user CPU time consumed", cpu_user },
	{ "container_cpu_system_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.stat system_usec (v1: cpuacct.stat)",
	  "Cumulative system CPU time consumed", cpu_system },
	{ "container_cpu_cfs_periods_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.stat nr_periods",
	  "Number of elapsed enforcement period intervals", cfs_periods },
	{ "container_cpu_cfs_throttled_periods_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.stat nr_throttled",
	  "Number of throttled period intervals", cfs_throttled },
	{ "container_cpu_cfs_throttled_seconds_total", MT_COUNTER, S_CONTAINER, "",
	  CG "cpu.stat throttled_usec (v1: throttled_time)", "Total time duration the container has been throttled",
	  cfs_throttled_s },
	{ "container_spec_cpu_quota", MT_GAUGE, S_CONTAINER, "", CG "cpu.max (v1: cpu.cfs_quota_us)",
	  "CPU quota of the container in microseconds per period; absent without a quota", cpu_quota },
	{ "container_spec_cpu_period", MT_GAUGE, S_CONTAINER, "", CG "cpu.max (v1: cpu.cfs_period_us)",
	  "CPU period of the container in microseconds; absent without a quota", cpu_period },
	{ "container_memory_usage_bytes", MT_GAUGE, S_CONTAINER, "", CG "memory.current (v1: memory.usage_in_bytes)",
	  "Current memory usage, including all memory regardless of when it was accessed", mem_usage },
	{ "container_memory_working_set_bytes", MT_GAUGE, S_CONTAINER, "", CG "memory.current less memory.stat inactive_file",
	  "Current working set", mem_working_set },
	{ "container_spec_memory_limit_bytes", MT_GAUGE, S_CONTAINER, "", CG "memory.max (v1: memory.limit_in_bytes)",
	  "Memory limit for the container; 0 for none", mem_limit },
	{ "nsctl_container_oom_kills_total", MT_COUNTER, S_CONTAINER, "", CG "memory.events oom_kill (v1: memory.oom_control)",
	  "Processes of the container killed by the OOM killer, since its cgroup was made", oom_kills },
	{ "container_threads", MT_GAUGE, S_CONTAINER, "", CG "pids.current",
	  "Number of threads running inside the container", threads },
	{ "container_threads_max", MT_GAUGE, S_CONTAINER, "", CG "pids.max",
	  "Maximum number of threads allowed inside the container; 0 for no limit", threads_max },
	{ "container_processes", MT_GAUGE, S_CONTAINER, "", "the eBPF task iterator (or /proc) with the cgroup index",
	  "Number of processes running inside the container", processes },
	{ "nsctl_container_io_read_bytes_total", MT_COUNTER, S_CONTAINER, "",
	  CG "io.stat rbytes (v1: blkio.throttle.io_service_bytes_recursive)", "Bytes read, summed over devices",
	  io_read },
	{ "nsctl_container_io_write_bytes_total", MT_COUNTER, S_CONTAINER, "",
	  CG "io.stat wbytes (v1: blkio.throttle.io_service_bytes_recursive)", "Bytes written, summed over devices",
	  io_write },
	{ "container_pressure_cpu_waiting_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.pressure some total",
	  "Total time duration tasks in the container have waited due to CPU congestion", cpu_waiting },
	{ "container_pressure_cpu_stalled_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "cpu.pressure full total",
	  "Total time duration no tasks in the container could make progress due to CPU congestion", cpu_stalled },
	{ "container_pressure_memory_waiting_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "memory.pressure some total",
	  "Total time duration tasks in the container have waited due to memory congestion", mem_waiting },
	{ "container_pressure_memory_stalled_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "memory.pressure full total",
	  "Total time duration no tasks in the container could make progress due to memory congestion", mem_stalled },
	{ "container_pressure_io_waiting_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "io.pressure some total",
	  "Total time duration tasks in the container have waited due to I/O congestion", io_waiting },
	{ "container_pressure_io_stalled_seconds_total", MT_COUNTER, S_CONTAINER, "", CG "io.pressure full total",
	  "Total time duration no tasks in the container could make progress due to I/O congestion", io_stalled },
	{ "nsctl_container_namespaces", MT_GAUGE, S_CONTAINER, "", "the task iterator's namespace ids",
	  "Distinct namespaces the container's processes are in", namespaces },
	{ "nsctl_container_namespace_shared_with_host", MT_GAUGE, S_CONTAINER_TYPE, "type",
	  "the task iterator's namespace ids; the host's are kthreadd's",
	  "1 when the container's first process shares the host's namespace of this type", shared_with_host },
	{ "nsctl_container_info", MT_INFO, S_CONTAINER_INFO, "name, image, pod, namespace, container",
	  "runtime state files (config.v2.json, containers.json, OCI config.json)",
	  "The container's names, for joins: always 1", NULL },
	{ "nsctl_container_security_info", MT_INFO, S_SECURITY_INFO,
	  "capabilities, seccomp, no_new_privs, user_namespace, read_only_root",
	  "/proc/PID/status and mountinfo of its first process (kept, read again after 60 s)",
	  "The posture of the container's first process: always 1", NULL },
	{ "nsctl_namespaces", MT_GAUGE, S_HOST_TYPE, "type (no container labels)", "the task iterator's namespace ids",
	  "Namespaces on the host with at least one process", host_namespaces },
	{ "nsctl_namespace_created_total", MT_COUNTER, S_HOST_TYPE, "type (no container labels)",
	  "eBPF tracer, counting mode (tp_btf sys_exit, sched_process_fork)",
	  "Namespaces made by clone, clone3 and unshare since the exporter started", created },
	{ "nsctl_setns_total", MT_COUNTER, S_HOST_TYPE, "type (no container labels)",
	  "eBPF tracer, counting mode (tp_btf sys_exit)", "Namespaces joined by setns since the exporter started",
	  entered },
	{ "nsctl_cgroup_mkdir_total", MT_COUNTER, S_HOST, "(none)", "eBPF tracer, counting mode (tp_btf cgroup_mkdir)",
	  "Cgroup directories made in any hierarchy since the exporter started", mkdirs },
	{ "nsctl_cgroup_rmdir_total", MT_COUNTER, S_HOST, "(none)", "eBPF tracer, counting mode (tp_btf cgroup_rmdir)",
	  "Cgroup directories removed in any hierarchy since the exporter started", rmdirs },
	{ "nsctl_cgroup_attach_total", MT_COUNTER, S_HOST, "(none)",
	  "eBPF tracer, counting mode (tp_btf cgroup_attach_task)",
	  "Tasks moved between cgroups in any hierarchy since the exporter started", attaches },
	{ "nsctl_exporter_scrape_duration_seconds", MT_GAUGE, S_HOST, "(none)", "the exporter",
	  "How long the collection that answered this scrape took", duration },
	{ "nsctl_exporter_scrape_partial", MT_GAUGE, S_HOST, "(none)", "the exporter",
	  "1 when this answer is incomplete: the collection stopped at its deadline or failed", partial },
	{ "nsctl_exporter_errors_total", MT_COUNTER, S_ERRORS, "kind (no container labels)", "the exporter",
	  "Faults and failures since the start, by kind", NULL },
	{ "nsctl_exporter_processes", MT_GAUGE, S_HOST, "(none)", "the exporter", "Processes the collection saw",
	  seen_processes },
	{ "nsctl_exporter_cgroups", MT_GAUGE, S_HOST, "(none)", "the exporter", "Cgroups the collection saw",
	  seen_cgroups },
	{ "nsctl_exporter_containers", MT_GAUGE, S_HOST, "(none)", "the exporter", "Containers the collection saw",
	  seen_containers },
	{ "nsctl_exporter_counters_enabled", MT_GAUGE, S_HOST, "(none)", "the exporter",
	  "1 when the eBPF namespace and cgroup counters run", counters_on },
	{ "nsctl_exporter_build_info", MT_INFO, S_BUILD_INFO, "version (no container labels)", "the exporter",
	  "The exporter's version: always 1", NULL },
};

static const char *seccomp_name(int mode)
{
	return mode == INSP_SECCOMP_FILTER ? "filter" : mode == INSP_SECCOMP_STRICT ? "strict" : "disabled";
}

static const char *bool_text(int v)
{
	return v < 0 ? "unknown" : v ? "true" : "false";
}

static void container_series(struct expo *e, const struct metric *m, const struct exp_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct exp_container *c = &s->c[i];
		struct expo_label l[8] = { { "container_id", c->id }, { "runtime", c->runtime } };

		switch (m->scope) {
		case S_CONTAINER:
			expo_sample(e, m->name, l, 2, m->value(s, c, 0));
			break;
		case S_CONTAINER_TYPE:
			for (unsigned t = 0; t < INSP_NS_NTYPES; t++) {
				l[2] = (struct expo_label){ "type", insp_ns_type_name(t) };
				expo_sample(e, m->name, l, 3, m->value(s, c, t));
			}
			break;
		case S_CONTAINER_INFO:
			l[2] = (struct expo_label){ "name", c->name };
			l[3] = (struct expo_label){ "image", c->image };
			l[4] = (struct expo_label){ "pod", c->pod };
			l[5] = (struct expo_label){ "namespace", c->pod_namespace };
			l[6] = (struct expo_label){ "container", c->k8s_container };
			expo_sample(e, m->name, l, 7, 1);
			break;
		default:
			if (!c->posture.known)
				break;
			l[2] = (struct expo_label){ "capabilities", c->posture.capabilities };
			l[3] = (struct expo_label){ "seccomp", seccomp_name(c->posture.seccomp) };
			l[4] = (struct expo_label){ "no_new_privs", bool_text(c->posture.no_new_privs) };
			l[5] = (struct expo_label){ "user_namespace", bool_text(c->posture.user_namespace) };
			l[6] = (struct expo_label){ "read_only_root", bool_text(c->posture.read_only_root) };
			expo_sample(e, m->name, l, 7, 1);
		}
	}
}

static void host_series(struct expo *e, const struct metric *m, const struct exp_snapshot *s,
			const struct exporter_errors *errors)
{
	struct expo_label l;

	switch (m->scope) {
	case S_HOST:
		expo_sample(e, m->name, NULL, 0, m->value(s, NULL, 0));
		break;
	case S_HOST_TYPE:
		for (unsigned t = 0; t < INSP_NS_NTYPES; t++) {
			l = (struct expo_label){ "type", insp_ns_type_name(t) };
			expo_sample(e, m->name, &l, 1, m->value(s, NULL, t));
		}
		break;
	case S_ERRORS:
		for (unsigned k = 0; k < EXP_NERRORS; k++) {
			l = (struct expo_label){ "kind", exporter_error_names[k] };
			expo_sample(e, m->name, &l, 1, (double)atomic_load(&errors->n[k]));
		}
		break;
	default:
		l = (struct expo_label){ "version", NSCTL_VERSION };
		expo_sample(e, m->name, &l, 1, 1);
	}
}

static bool per_container(enum scope s)
{
	return s == S_CONTAINER || s == S_CONTAINER_TYPE || s == S_CONTAINER_INFO || s == S_SECURITY_INFO;
}

static bool has_samples(const struct metric *m, const struct exp_snapshot *s)
{
	/* The counters' families are absent, not zero, when the counters are off. */
	if (m->value == created || m->value == entered || m->value == mkdirs || m->value == rmdirs ||
	    m->value == attaches)
		return s->counters_on;
	return true;
}

void exp_render(const struct exp_snapshot *s, const struct exporter_errors *errors, enum expo_format f,
		struct expo *out)
{
	out->format = f;
	out->b.len = 0;
	text_append(&out->b, "");
	for (size_t i = 0; i < ARRAY_LEN(metrics); i++) {
		const struct metric *m = &metrics[i];

		if (!has_samples(m, s))
			continue;
		expo_family(out, m->name, m->type, m->help);
		if (per_container(m->scope))
			container_series(out, m, s);
		else
			host_series(out, m, s, errors);
	}
	expo_end(out);
}

static void metric_labels(const struct metric *m, char *buf, size_t size)
{
	if (per_container(m->scope))
		snprintf(buf, size, "container_id, runtime%s%s", m->labels[0] ? ", " : "", m->labels);
	else
		snprintf(buf, size, "%s", m->labels);
}

static int widest(int w, const char *s)
{
	return (int)strlen(s) > w ? (int)strlen(s) : w;
}

/* Columns apart by two spaces at least, so that the man page's table can be checked against it. */
void exp_list_metrics(FILE *out)
{
	static const char *const types[] = { "gauge", "counter", "info" };
	int name_w = 4, labels_w = 6;
	char labels[160];

	for (size_t i = 0; i < ARRAY_LEN(metrics); i++) {
		metric_labels(&metrics[i], labels, sizeof(labels));
		name_w = widest(name_w, metrics[i].name);
		labels_w = widest(labels_w, labels);
	}
	fprintf(out, "%-*s  %-7s  %-*s  %s\n", name_w, "NAME", "TYPE", labels_w, "LABELS", "SOURCE: MEANING");
	for (size_t i = 0; i < ARRAY_LEN(metrics); i++) {
		const struct metric *m = &metrics[i];

		metric_labels(m, labels, sizeof(labels));
		fprintf(out, "%-*s  %-7s  %-*s  %s: %s\n", name_w, m->name, types[m->type], labels_w, labels, m->source,
			m->help);
	}
}
