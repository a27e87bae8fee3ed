// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl inspect --seccomp: what each syscall meets, per chain of filters and ABI. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
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

/* Everything shown of one chain, evaluated once: its tables, defaults, x32 line and profile. */
struct chain_view {
	struct insp_seccomp_row *rows[INSP_SECCOMP_NABIS];	/* x86_64 and i386 */
	size_t n[INSP_SECCOMP_NABIS];
	struct insp_seccomp_verdict dflt[INSP_SECCOMP_NABIS];
	struct insp_seccomp_verdict x32;
	bool x32_uniform;			/* x32 gets one line: profiles rarely treat its syscalls one by one */
	char profile[128];
};

static const enum insp_seccomp_abi table_abis[] = { INSP_SECCOMP_X86_64, INSP_SECCOMP_I386 };

static void chain_view_free(struct chain_view *v)
{
	for (size_t i = 0; i < INSP_SECCOMP_NABIS; i++)
		insp_seccomp_table_free(v->rows[i], v->n[i]);
}

static int chain_view_load(const struct insp_seccomp *s, size_t chain, struct chain_view *v, struct insp_error *err)
{
	struct insp_seccomp_verdict x;
	int rc = 0;

	*v = (struct chain_view){ .x32_uniform = true };
	for (size_t i = 0; rc == 0 && i < ARRAY_LEN(table_abis); i++) {
		enum insp_seccomp_abi abi = table_abis[i];

		rc = insp_seccomp_table(s, chain, abi, &v->rows[abi], &v->n[abi], err);
		if (rc == 0)
			rc = insp_seccomp_default(s, chain, abi, &v->dflt[abi]);
	}
	if (rc == 0)
		rc = insp_seccomp_eval(s, chain, INSP_SECCOMP_X32, 0, &v->x32);
	for (uint32_t nr = 1; rc == 0 && nr < X32_NR_LIMIT; nr++)
		if ((rc = insp_seccomp_eval(s, chain, INSP_SECCOMP_X32, nr, &x)) == 0 &&
		    (x.ret != v->x32.ret || x.depends_on_args != v->x32.depends_on_args))
			v->x32_uniform = false;
	if (rc == 0)
		rc = insp_seccomp_profile_of_table(s, chain, v->rows[INSP_SECCOMP_X86_64], v->n[INSP_SECCOMP_X86_64],
						   v->profile, sizeof(v->profile));
	if (rc < 0) {
		chain_view_free(v);
		return err->code ? rc : insp_error_set_msg(err, -rc, "seccomp: a filter is not a valid program");
	}
	return 0;
}

static bool same_verdict(const struct insp_seccomp_verdict *a, const struct insp_seccomp_verdict *b)
{
	return a->ret == b->ret && a->depends_on_args == b->depends_on_args && a->possible == b->possible;
}

/* Every row meets what unknown numbers meet: one line says it for people. */
static bool all_default(const struct chain_view *v, enum insp_seccomp_abi abi)
{
	for (size_t i = 0; i < v->n[abi]; i++)
		if (!same_verdict(&v->rows[abi][i].verdict, &v->dflt[abi]))
			return false;
	return v->n[abi] > 0;
}

static json_object *row_json(enum insp_seccomp_abi abi, const struct insp_seccomp_row *r)
{
	json_object *o = verdict_json(&r->verdict);

	ADD(o, "abi", json_object_new_string(insp_seccomp_abi_name(abi)));
	ADD(o, "nr", json_object_new_int64(r->nr));
	ADD(o, "name", json_object_new_string(r->name));
	return o;
}

/* For people: an ABI all of one verdict is one row. */
static void table_rows(const struct chain_view *v, struct table *t)
{
	for (size_t k = 0; k < ARRAY_LEN(table_abis); k++) {
		enum insp_seccomp_abi abi = table_abis[k];
		bool one = all_default(v, abi);

		for (size_t i = 0; i < (one ? 1 : v->n[abi]); i++) {
			const struct insp_seccomp_row *r = &v->rows[abi][i];
			struct row *row = table_add_row(t);
			char action[32], args[128];

			insp_seccomp_verdict_format(&r->verdict, action, sizeof(action));
			possible_text(&r->verdict, args, sizeof(args));
			row_set(row, COL_ABI, insp_seccomp_abi_name(abi));
			if (one) {
				row_set(row, COL_NR, "*");
				row_set(row, COL_SYSCALL, "(every syscall)");
			} else {
				row_setf(row, COL_NR, "%u", r->nr);
				row_set(row, COL_SYSCALL, r->name);
			}
			row_set(row, COL_ACTION, action);
			row_set(row, COL_ARGS, args);
		}
	}
}

static json_object *tids_json(const struct insp_seccomp_chain *c)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < c->ntids; i++)
		json_object_array_add(a, json_object_new_int(c->tids[i]));
	return a;
}

static json_object *chain_json(const struct insp_seccomp_chain *c, const struct chain_view *v)
{
	json_object *o = json_object_new_object(), *filters = json_object_new_array(), *dflt, *syscalls;

	ADD(o, "tids", tids_json(c));
	for (size_t k = 0; k < c->nfilters; k++)
		json_object_array_add(filters, json_object_new_int((int)c->filters[k]));
	ADD(o, "filters", filters);
	ADD(o, "truncated", json_object_new_boolean(c->truncated));
	ADD(o, "profile", json_object_new_string(v->profile));
	ADD(o, "unknown_numbers", dflt = json_object_new_object());
	ADD(o, "x32", verdict_json(&v->x32));
	ADD(o, "x32_uniform", json_object_new_boolean(v->x32_uniform));
	ADD(o, "syscalls", syscalls = json_object_new_array());
	for (size_t k = 0; k < ARRAY_LEN(table_abis); k++) {
		enum insp_seccomp_abi abi = table_abis[k];

		ADD(dflt, insp_seccomp_abi_name(abi), verdict_json(&v->dflt[abi]));
		for (size_t i = 0; i < v->n[abi]; i++)
			json_object_array_add(syscalls, row_json(abi, &v->rows[abi][i]));
	}
	return o;
}

static int print_json(const struct insp_seccomp *s, FILE *out, struct insp_error *err)
{
	json_object *doc = json_object_new_object(), *filters = json_object_new_array(), *chains;

	ADD(doc, "pid", json_object_new_int(s->pid));
	ADD(doc, "mode", json_object_new_string(insp_seccomp_mode_name(s->mode)));
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
	for (size_t i = 0; i < s->nchains; i++) {
		struct chain_view v;

		if (chain_view_load(s, i, &v, err) < 0) {
			json_object_put(doc);
			return -err->code;
		}
		json_object_array_add(chains, chain_json(&s->chains[i], &v));
		chain_view_free(&v);
	}
	return json_print(out, doc, true);
}

static void print_chain_head(const struct insp_seccomp_chain *c, size_t i, const struct chain_view *v, FILE *out)
{
	char text[32];

	fprintf(out, "chain %zu: thread%s", i + 1, c->ntids == 1 ? "" : "s");
	for (size_t k = 0; k < c->ntids; k++)
		fprintf(out, " %d", (int)c->tids[k]);
	fputs(c->nfilters ? "; filters" : "; no filter", out);
	for (size_t k = 0; k < c->nfilters; k++)
		fprintf(out, " #%u", c->filters[k]);
	fputs(c->truncated ? " (more not read)\n" : "\n", out);
	text_line(out, "  profile: %s", v->profile);
	fputs("  other numbers:", out);
	for (size_t k = 0; k < ARRAY_LEN(table_abis); k++) {
		insp_seccomp_verdict_format(&v->dflt[table_abis[k]], text, sizeof(text));
		fprintf(out, " %s %s,", insp_seccomp_abi_name(table_abis[k]), text);
	}
	insp_seccomp_verdict_format(&v->x32, text, sizeof(text));
	fprintf(out, " x32 %s%s\n", v->x32_uniform ? "" : "mostly ", text);
}

static int print_text(const struct insp_seccomp *s, FILE *out, struct insp_error *err)
{
	static const int ids[] = { COL_ABI, COL_NR, COL_SYSCALL, COL_ACTION, COL_ARGS };
	int rc = 0;

	text_line(out, "pid %d: seccomp %s, read by %s%s", (int)s->pid, insp_seccomp_mode_name(s->mode),
		  source_name(s->source), s->source == INSP_SECCOMP_SOURCE_BPF ? " (no thread stopped)" : "");
	if (s->source == INSP_SECCOMP_SOURCE_PTRACE)
		text_line(out, "  each thread read was stopped for at most %llu us",
			  (unsigned long long)s->longest_stop_usec);
	for (size_t i = 0; i < s->nfilters; i++)
		text_line(out, "filter #%zu: %u instructions%s", i, s->filters[i].len,
			  s->filters[i].listener == 1 ? ", user-notification listener open" : "");
	for (size_t i = 0; rc == 0 && i < s->nchains; i++) {
		struct chain_view v;
		struct table *t;

		if ((rc = chain_view_load(s, i, &v, err)) < 0)
			break;
		print_chain_head(&s->chains[i], i, &v, out);
		if (s->chains[i].nfilters) {
			t = table_new(columns, ids, ARRAY_LEN(ids));
			table_rows(&v, t);
			rc = table_print(t, out, &(struct out_opts){ .mode = OUT_TABLE });
			table_free(t);
		}
		chain_view_free(&v);
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
