// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "event_line.h"
#include "json.h"
#include "procinfo.h"
#include "text.h"

unsigned event_asked_types(const struct insp_event *e)
{
	unsigned types = 0;

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (e->flags & (uint64_t)insp_ns_type_clone_flag((enum insp_ns_type)t))
			types |= 1u << t;
	return types;
}

bool event_is_cgroup(const struct insp_event *e)
{
	return e->kind >= INSP_EVENT_CGROUP_MKDIR;
}

static void type_list(unsigned types, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int t = 0; t < INSP_NS_NTYPES && len < size; t++)
		if (types & (1u << t))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "",
						insp_ns_type_name((enum insp_ns_type)t));
	if (!buf[0])
		snprintf(buf, size, "-");
}

static const char *result_text(const struct insp_event *e, char *buf, size_t size)
{
	if (e->result >= 0)
		snprintf(buf, size, "%lld", e->result);
	else
		snprintf(buf, size, "%s", strerrorname_np((int)-e->result) ?: "error");
	return buf;
}

void event_print_text_header(FILE *out)
{
	fprintf(out, "%-15s %-7s %7s %7s %5s %-15s %-20s %-14s %-7s %s\n", "TIME", "EVENT", "PID", "TID",
		"UID", "COMM", "CONTAINER", "TYPES", "RESULT", "DETAIL");
}

static void print_new_ids(FILE *out, const struct insp_event *e)
{
	bool first = true;

	if (e->child > 0)
		fprintf(out, "child=%d", (int)e->child), first = false;
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		if (!(e->types & (1u << t)))
			continue;
		fprintf(out, "%s%s:%lu", first ? "" : " ", insp_ns_type_name((enum insp_ns_type)t),
			(unsigned long)e->ns_ino[t]);
		first = false;
	}
}

void event_print_text(FILE *out, const struct insp_event *e, const struct insp_container_info *container,
		      const char *controllers)
{
	time_t secs = (time_t)(e->time_ns / 1000000000);
	char clock[16], types[80], result[32], label[320];
	struct text_buf b = { 0 };
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	type_list(event_is_cgroup(e) ? 0 : (e->types | event_asked_types(e)), types, sizeof(types));
	fprintf(out, "%s.%06u %-7s %7d %7d %5u ", clock, (unsigned)(e->time_ns % 1000000000 / 1000),
		insp_event_kind_name(e->kind), (int)e->pid, (int)e->tid, (unsigned)e->uid);
	/* comm, the container's name and the cgroup path are the caller's to choose: shown whole, escaped. */
	fprintf(out, "%s ", text_pad(&b, e->comm, 15, false));
	fprintf(out, "%s ", text_pad(&b, container ? container_label(container, label, sizeof(label)) : "-", 20, false));
	fprintf(out, "%-14s %-7s ", types, event_is_cgroup(e) ? "-" : result_text(e, result, sizeof(result)));
	if (event_is_cgroup(e)) {
		fprintf(out, "%s (%s)", text_escaped(&b, e->path, 0), controllers ? controllers : "?");
		if (e->kind == INSP_EVENT_CGROUP_ATTACH)
			fprintf(out, " pid=%d", (int)e->child);
	} else {
		print_new_ids(out, e);
	}
	fputc('\n', out);
	text_buf_free(&b);
}

static json_object *json_types(unsigned types)
{
	json_object *a = json_object_new_array();

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (types & (1u << t))
			json_object_array_add(a, json_object_new_string(insp_ns_type_name((enum insp_ns_type)t)));
	return a;
}

static json_object *json_new_ids(const struct insp_event *e)
{
	json_object *o = json_object_new_object();

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (e->types & (1u << t))
			json_object_object_add(o, insp_ns_type_name((enum insp_ns_type)t), json_ns(e->ns_ino[t], e->ns_id[t]));
	return o;
}

static void add_ns_members(json_object *o, const struct insp_event *e)
{
	char err[32];

	json_object_object_add(o, "flags", json_object_new_uint64(e->flags));
	json_object_object_add(o, "asked", json_types(event_asked_types(e)));
	json_object_object_add(o, "types", json_types(e->types));
	json_object_object_add(o, "new_ids", json_new_ids(e));
	json_object_object_add(o, "child", e->child > 0 ? json_object_new_int(e->child) : NULL);
	json_object_object_add(o, "result", json_object_new_int64(e->result));
	json_object_object_add(o, "error", e->result < 0 ? json_object_new_string(result_text(e, err, sizeof(err))) : NULL);
}

static void add_cgroup_members(json_object *o, const struct insp_event *e, const char *controllers)
{
	json_object_object_add(o, "hierarchy", json_object_new_int(e->hierarchy));
	json_object_object_add(o, "controllers", controllers ? json_object_new_string(controllers) : NULL);
	json_object_object_add(o, "cgroup_id", json_object_new_uint64(e->cgroup_id));
	json_object_object_add(o, "path", json_object_new_string(e->path));
	if (e->kind == INSP_EVENT_CGROUP_ATTACH)
		json_object_object_add(o, "moved_pid", json_object_new_int(e->child));
}

void event_print_json(FILE *out, const struct insp_event *e, const struct insp_container_info *container,
		      const char *controllers)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "time", json_time(e->time_ns));
	json_object_object_add(o, "event", json_object_new_string(insp_event_kind_name(e->kind)));
	json_object_object_add(o, "pid", json_object_new_int(e->pid));
	json_object_object_add(o, "tid", json_object_new_int(e->tid));
	json_object_object_add(o, "comm", json_object_new_string(e->comm));
	json_object_object_add(o, "uid", json_object_new_int64(e->uid));
	json_object_object_add(o, "container", container ? json_container(container) : NULL);
	if (event_is_cgroup(e))
		add_cgroup_members(o, e, controllers);
	else
		add_ns_members(o, e);
	json_print(out, o, false);
}
