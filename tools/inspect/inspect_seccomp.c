// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl inspect --seccomp: what each syscall meets, per chain of filters and ABI. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "output.h"
#include "report.h"
#include "text.h"

#define X32_NR_LIMIT 548	/* x32's numbers run to 547 */
#define ADD(o, k, v) json_object_object_add((o), (k), (v))

enum { COL_ABI, COL_NR, COL_SYSCALL, COL_ACTION, COL_ARGS };
static const struct column columns[] = {
	[COL_ABI] = { "ABI", "x86_64 or i386", 0, COL_JSON_STRING, NULL },
	[COL_NR] = { "NR", "syscall number of the ABI", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_SYSCALL] = { "SYSCALL", "name (libseccomp)", 0, COL_JSON_STRING, NULL },
	[COL_ACTION] = { "ACTION", "what the chain does; the worst case if it depends", 0, COL_JSON_STRING, NULL },
	[COL_ARGS] = { "ARGUMENTS", "what other arguments can meet", 0, COL_JSON_STRING, NULL },
};

static const char *source_name(enum insp_seccomp_source s)
{
	return s == INSP_SECCOMP_SOURCE_PTRACE ? "ptrace" : "bpf";
}

static void possible_text(const struct insp_seccomp_verdict *v, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	if (!v->depends_on_args)
		return;
	for (int a = 0; a < INSP_SECCOMP_NACTIONS && at < size; a++)
		if (v->possible & (1u << a))
			at += (size_t)snprintf(buf + at, size - at, "%s%s", at ? "|" : "depends: ",
					       insp_seccomp_action_name((enum insp_seccomp_action)a));
}

static json_object *verdict_json(const struct insp_seccomp_verdict *v)
{
	json_object *o = json_object_new_object(), *possible = json_object_new_array();

	ADD(o, "action", json_object_new_string(insp_seccomp_action_name((enum insp_seccomp_action)v->action)));
	ADD(o, "errno", v->action == INSP_SECCOMP_ERRNO ? json_object_new_int(v->data) : NULL);
	ADD(o, "trace_data", v->action == INSP_SECCOMP_TRACE ? json_object_new_int(v->data) : NULL);
	ADD(o, "depends_on_arguments", json_object_new_boolean(v->depends_on_args));
	for (int a = 0; a < INSP_SECCOMP_NACTIONS; a++)
		if (v->possible & (1u << a))
			json_object_array_add(possible, json_object_new_string(
				insp_seccomp_action_name((enum insp_seccomp_action)a)));
	ADD(o, "possible", possible);
	return o;
}

/* x32 gets one line: a profile rarely treats its syscalls one by one. */
static int x32_verdict(const struct insp_seccomp *s, size_t chain, struct insp_seccomp_verdict *out, bool *uniform)
{
	struct insp_seccomp_verdict v;
	int rc = insp_seccomp_eval(s, chain, INSP_SECCOMP_X32, 0, out);

	*uniform = true;
	for (uint32_t nr = 1; rc == 0 && nr < X32_NR_LIMIT; nr++)
		if ((rc = insp_seccomp_eval(s, chain, INSP_SECCOMP_X32, nr, &v)) == 0 &&
		    (v.ret != out->ret || v.depends_on_args != out->depends_on_args))
			*uniform = false;
	return rc;
}

static bool same_verdict(const struct insp_seccomp_verdict *a, const struct insp_seccomp_verdict *b)
{
	return a->ret == b->ret && a->depends_on_args == b->depends_on_args && a->possible == b->possible;
}

/* Every row meets what unknown numbers meet: one line says it for people. */
static bool all_default(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
			const struct insp_seccomp_row *rows, size_t n)
{
	struct insp_seccomp_verdict d;

	if (insp_seccomp_default(s, chain, abi, &d) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!same_verdict(&rows[i].verdict, &d))
			return false;
	return true;
}

/* Rows into a table (text; an ABI all of one verdict is left to the chain's head) or a JSON array. */
static int chain_rows(const struct insp_seccomp *s, size_t chain, struct table *t, json_object *syscalls,
		      struct insp_error *err)
{
	for (int abi = INSP_SECCOMP_X86_64; abi <= INSP_SECCOMP_I386; abi++) {
		struct insp_seccomp_row *rows;
		size_t n;
		int rc = insp_seccomp_table(s, chain, (enum insp_seccomp_abi)abi, &rows, &n, err);

		if (rc < 0)
			return rc;
		size_t shown = n;

		if (t && n && all_default(s, chain, (enum insp_seccomp_abi)abi, rows, n)) {
			char action[32];
			struct row *row = table_add_row(t);

			shown = 0;
			insp_seccomp_verdict_format(&rows[0].verdict, action, sizeof(action));
			row_set(row, COL_ABI, insp_seccomp_abi_name((enum insp_seccomp_abi)abi));
			row_set(row, COL_NR, "*");
			row_set(row, COL_SYSCALL, "(every syscall)");
			row_set(row, COL_ACTION, action);
		}
		for (size_t i = 0; i < shown; i++) {
			const struct insp_seccomp_verdict *v = &rows[i].verdict;
			char action[32], args[128];

			insp_seccomp_verdict_format(v, action, sizeof(action));
			possible_text(v, args, sizeof(args));
			if (syscalls) {
				json_object *o = verdict_json(v);

				ADD(o, "abi", json_object_new_string(insp_seccomp_abi_name((enum insp_seccomp_abi)abi)));
				ADD(o, "nr", json_object_new_int64(rows[i].nr));
				ADD(o, "name", json_object_new_string(rows[i].name));
				json_object_array_add(syscalls, o);
				continue;
			}
			struct row *row = table_add_row(t);
			row_set(row, COL_ABI, insp_seccomp_abi_name((enum insp_seccomp_abi)abi));
			row_setf(row, COL_NR, "%u", rows[i].nr);
			row_set(row, COL_SYSCALL, rows[i].name);
			row_set(row, COL_ACTION, action);
			row_set(row, COL_ARGS, args);
		}
		insp_seccomp_table_free(rows, n);
	}
	return 0;
}

static json_object *tids_json(const struct insp_seccomp_chain *c)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < c->ntids; i++)
		json_object_array_add(a, json_object_new_int(c->tids[i]));
	return a;
}

static int chain_json(const struct insp_seccomp *s, size_t i, json_object *chains, struct insp_error *err)
{
	const struct insp_seccomp_chain *c = &s->chains[i];
	json_object *o = json_object_new_object(), *filters = json_object_new_array(), *dflt, *syscalls;
	struct insp_seccomp_verdict v;
	char profile[128];
	bool uniform;

	json_object_array_add(chains, o);
	ADD(o, "tids", tids_json(c));
	for (size_t k = 0; k < c->nfilters; k++)
		json_object_array_add(filters, json_object_new_int((int)c->filters[k]));
	ADD(o, "filters", filters);
	ADD(o, "truncated", json_object_new_boolean(c->truncated));
	if (insp_seccomp_profile(s, i, profile, sizeof(profile)) < 0)
		return insp_error_set_msg(err, EINVAL, "seccomp: a filter is not a valid program");
	ADD(o, "profile", json_object_new_string(profile));
	ADD(o, "unknown_numbers", dflt = json_object_new_object());
	for (int abi = INSP_SECCOMP_X86_64; abi <= INSP_SECCOMP_I386; abi++)
		if (insp_seccomp_default(s, i, (enum insp_seccomp_abi)abi, &v) == 0)
			ADD(dflt, insp_seccomp_abi_name((enum insp_seccomp_abi)abi), verdict_json(&v));
	if (x32_verdict(s, i, &v, &uniform) < 0)
		return insp_error_set_msg(err, EINVAL, "seccomp: a filter is not a valid program");
	ADD(o, "x32", verdict_json(&v));
	ADD(o, "x32_uniform", json_object_new_boolean(uniform));
	ADD(o, "syscalls", syscalls = json_object_new_array());
	return chain_rows(s, i, NULL, syscalls, err);
}

static int print_json(const struct insp_seccomp *s, FILE *out, struct insp_error *err)
{
	json_object *doc = json_object_new_object(), *filters = json_object_new_array(), *chains;

	ADD(doc, "pid", json_object_new_int(s->pid));
	ADD(doc, "mode", json_object_new_string(s->mode == 2 ? "filter" : s->mode == 1 ? "strict" : "disabled"));
	ADD(doc, "source", json_object_new_string(source_name(s->source)));
	ADD(doc, "longest_stop_usec", s->source == INSP_SECCOMP_SOURCE_PTRACE
					      ? json_object_new_int64((int64_t)s->longest_stop_usec) : NULL);
	for (size_t i = 0; i < s->nfilters; i++) {
		json_object *f = json_object_new_object();

		ADD(f, "index", json_object_new_int((int)i));
		ADD(f, "instructions", json_object_new_int((int)s->filters[i].len));
		ADD(f, "listener", json_tri(s->filters[i].listener));
		json_object_array_add(filters, f);
	}
	ADD(doc, "filters", filters);
	ADD(doc, "chains", chains = json_object_new_array());
	for (size_t i = 0; i < s->nchains; i++)
		if (chain_json(s, i, chains, err) < 0) {
			json_object_put(doc);
			return -err->code;
		}
	return json_print(out, doc, true);
}

static void print_chain_head(const struct insp_seccomp *s, size_t i, FILE *out)
{
	const struct insp_seccomp_chain *c = &s->chains[i];
	struct insp_seccomp_verdict v;
	char profile[128] = "?", text[32];
	bool uniform;

	fprintf(out, "chain %zu: thread%s", i + 1, c->ntids == 1 ? "" : "s");
	for (size_t k = 0; k < c->ntids; k++)
		fprintf(out, " %d", (int)c->tids[k]);
	fputs(c->nfilters ? "; filters" : "; no filter", out);
	for (size_t k = 0; k < c->nfilters; k++)
		fprintf(out, " #%u", c->filters[k]);
	fputs(c->truncated ? " (more not read)\n" : "\n", out);
	insp_seccomp_profile(s, i, profile, sizeof(profile));
	text_line(out, "  profile: %s", profile);
	fputs("  other numbers:", out);
	for (int abi = INSP_SECCOMP_X86_64; abi <= INSP_SECCOMP_I386; abi++)
		if (insp_seccomp_default(s, i, (enum insp_seccomp_abi)abi, &v) == 0 &&
		    insp_seccomp_verdict_format(&v, text, sizeof(text)) > 0)
			fprintf(out, " %s %s,", insp_seccomp_abi_name((enum insp_seccomp_abi)abi), text);
	if (x32_verdict(s, i, &v, &uniform) == 0 && insp_seccomp_verdict_format(&v, text, sizeof(text)) > 0)
		fprintf(out, " x32 %s%s", uniform ? "" : "mostly ", text);
	fputc('\n', out);
}

static int print_text(const struct insp_seccomp *s, FILE *out, struct insp_error *err)
{
	static const int ids[] = { COL_ABI, COL_NR, COL_SYSCALL, COL_ACTION, COL_ARGS };
	int rc = 0;

	text_line(out, "pid %d: seccomp %s, read by %s%s", (int)s->pid,
		  s->mode == 2 ? "filter" : s->mode == 1 ? "strict" : "disabled", source_name(s->source),
		  s->source == INSP_SECCOMP_SOURCE_BPF ? " (no thread stopped)" : "");
	if (s->source == INSP_SECCOMP_SOURCE_PTRACE)
		text_line(out, "  each thread read was stopped for at most %llu us",
			  (unsigned long long)s->longest_stop_usec);
	for (size_t i = 0; i < s->nfilters; i++)
		text_line(out, "filter #%zu: %u instructions%s", i, s->filters[i].len,
			  s->filters[i].listener == 1 ? ", user-notification listener open" : "");
	for (size_t i = 0; rc == 0 && i < s->nchains; i++) {
		struct table *t = table_new(columns, ids, sizeof(ids) / sizeof(ids[0]));

		print_chain_head(s, i, out);
		if (s->chains[i].nfilters)
			rc = chain_rows(s, i, t, NULL, err);
		if (rc == 0 && s->chains[i].nfilters)
			rc = table_print(t, out, &(struct out_opts){ .mode = OUT_TABLE });
		table_free(t);
	}
	return rc;
}

int seccomp_report(const struct insp_target *t, enum insp_seccomp_source source, bool json, FILE *out,
		   struct insp_error *err)
{
	struct insp_seccomp *s;
	int rc = insp_seccomp_read(t->pidfd, t->pid, source, &s, err);

	if (rc < 0)
		return rc;
	rc = json ? print_json(s, out, err) : print_text(s, out, err);
	insp_seccomp_free(s);
	return rc;
}
