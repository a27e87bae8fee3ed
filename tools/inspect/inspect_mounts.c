// SPDX-License-Identifier: GPL-2.0-or-later
/* Mounts as the target sees them, placed on the host: inspect's section and --mounts. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "json.h"
#include "output.h"
#include "report.h"
#include "text.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))

enum { COL_TARGET, COL_FSTYPE, COL_SOURCE, COL_HOST_PATH, COL_MODE, COL_PROPAGATION, COL_ID, COL_ROOT, NCOLS };
static const struct column columns[NCOLS] = {
	[COL_TARGET] = { "TARGET", "the mount point, as the process sees it", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_FSTYPE] = { "FSTYPE", "filesystem type", 0, COL_JSON_STRING, NULL },
	[COL_SOURCE] = { "SOURCE", "the source the kernel names", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_HOST_PATH] = { "HOST_PATH", "the same directory as the host sees it", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_MODE] = { "MODE", "ro or rw; masked when hidden", 0, COL_JSON_STRING, NULL },
	[COL_PROPAGATION] = { "PROPAGATION", "shared:N, master:N, private, unbindable", 0, COL_JSON_STRING, NULL },
	[COL_ID] = { "ID", "mount id", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_ROOT] = { "ROOT", "the directory of the filesystem mounted", COL_TRUNC, COL_JSON_STRING, NULL },
};

static const char *mode(const struct insp_mount *m)
{
	return m->masked ? "masked" : m->read_only ? "ro" : "rw";
}

static json_object *strv_json(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static json_object *mount_json(const struct insp_mount *m)
{
	json_object *o = json_object_new_object();
	char prop[64];

	insp_mount_propagation(m, prop, sizeof(prop));
	ADD(o, "id", json_object_new_int(m->id));
	ADD(o, "parent", json_object_new_int(m->parent));
	ADD(o, "target", json_object_new_string(m->target));
	ADD(o, "root", json_object_new_string(m->root));
	ADD(o, "fstype", json_object_new_string(m->fstype));
	ADD(o, "source", json_object_new_string(m->source));
	ADD(o, "host_path", json_str(m->host_path));
	ADD(o, "read_only", json_object_new_boolean(m->read_only));
	ADD(o, "masked", json_object_new_boolean(m->masked));
	ADD(o, "propagation", json_object_new_string(prop));
	ADD(o, "lower", m->nlower ? strv_json(m->lower, m->nlower) : NULL);
	ADD(o, "upper", json_str(m->upper));
	return o;
}

static void counts(const struct insp_mounts *m, size_t *ro, size_t *masked)
{
	*ro = *masked = 0;
	for (size_t i = 0; i < m->n; i++) {
		*masked += m->v[i].masked;
		*ro += m->v[i].read_only && !m->v[i].masked;
	}
}

json_object *mounts_summary_json(const struct insp_mounts *m)
{
	const struct insp_mount *root = insp_mounts_root(m);
	json_object *o = json_object_new_object();
	size_t ro, masked;

	counts(m, &ro, &masked);
	ADD(o, "count", json_object_new_int64((int64_t)m->n));
	ADD(o, "read_only", json_object_new_int64((int64_t)ro));
	ADD(o, "masked", json_object_new_int64((int64_t)masked));
	ADD(o, "root", root ? mount_json(root) : NULL);
	ADD(o, "host_view", json_object_new_boolean(m->host_view));
	ADD(o, "warnings", strv_json(m->warnings, m->nwarnings));
	return o;
}

void mounts_print_summary(const struct insp_mounts *m, FILE *out)
{
	const struct insp_mount *root = insp_mounts_root(m);
	size_t ro, masked;

	counts(m, &ro, &masked);
	fputs("MOUNTS\n", out);
	if (root && root->nlower)
		text_line(out, "  %-13s overlay, %zu lower dir%s (top %s), upper %s", "root", root->nlower,
			  root->nlower == 1 ? "" : "s", root->lower[0], root->upper ? root->upper : "none");
	else if (root)
		text_line(out, "  %-13s %s %s, host path %s", "root", root->fstype, mode(root),
			  root->host_path ? root->host_path : "?");
	text_line(out, "  %-13s %zu (%zu read-only, %zu masked)%s", "mounts", m->n, ro, masked,
		  m->host_view ? ", the host's own mount namespace" : "");
	for (size_t i = 0; i < m->nwarnings; i++)
		text_line(out, "  %-13s %s", "WARNING", m->warnings[i]);
}

static void add_row(struct table *t, const struct insp_mount *m)
{
	struct row *row = table_add_row(t);
	char prop[64];

	insp_mount_propagation(m, prop, sizeof(prop));
	row_set(row, COL_TARGET, m->target);
	row_set(row, COL_FSTYPE, m->fstype);
	row_set(row, COL_SOURCE, m->source);
	row_set(row, COL_HOST_PATH, m->host_path ? m->host_path : m->nlower ? "(overlay)" : "");
	row_set(row, COL_MODE, mode(m));
	row_set(row, COL_PROPAGATION, prop);
	row_setf(row, COL_ID, "%d", m->id);
	row_set(row, COL_ROOT, m->root);
}

static int print(const struct insp_target *t, const struct insp_mounts *m, bool json, FILE *out)
{
	static const int ids[] = { COL_TARGET, COL_FSTYPE, COL_SOURCE, COL_HOST_PATH, COL_MODE, COL_PROPAGATION };
	struct table *tab;
	int r;

	if (json) {
		json_object *doc = json_object_new_object(), *a = json_object_new_array();

		ADD(doc, "pid", json_object_new_int(t->pid));
		for (size_t i = 0; i < m->n; i++)
			json_object_array_add(a, mount_json(&m->v[i]));
		ADD(doc, "mounts", a);
		ADD(doc, "host_view", json_object_new_boolean(m->host_view));
		ADD(doc, "warnings", strv_json(m->warnings, m->nwarnings));
		return json_print(out, doc, true);
	}
	tab = table_new(columns, ids, sizeof(ids) / sizeof(ids[0]));
	for (size_t i = 0; i < m->n; i++)
		add_row(tab, &m->v[i]);
	r = table_print(tab, out, &(struct out_opts){ .mode = OUT_TABLE });
	table_free(tab);
	for (size_t i = 0; i < m->nwarnings; i++)
		text_line(out, "WARNING %s", m->warnings[i]);
	return r;
}

int mounts_report(const struct insp_target *t, bool json, FILE *out, struct insp_error *err)
{
	struct insp_mounts m;
	int dirfd = insp_proc_dir_open(t->pid, err), r;

	if (dirfd < 0)
		return dirfd;
	r = insp_mounts_read(dirfd, &m, err);
	close(dirfd);
	if (r < 0)
		return r;
	/* The mountinfo must be the pinned process's, not a successor's. */
	if (insp_target_alive(t) < 0)
		r = insp_error_set_msg(err, ESRCH, "pid %d exited during inspection", (int)t->pid);
	else
		r = print(t, &m, json, out);
	insp_mounts_free(&m);
	return r;
}
