// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A one-line name for what a chain enforces, like the capability profile:
 * the runtimes' default profile is recognised by what every version of it
 * denies, so a container that got a capability back reads as
 * "docker default + mount allowed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <inspect/security.h>

#include "seccomp_internal.h"
#include "util.h"

/* Denied with EPERM by docker's (and podman's) default profile unless a capability is added. */
static const char *const runtime_default_denies[] = {
	"mount", "umount2", "unshare", "setns", "pivot_root", "bpf", "keyctl", "add_key",
	"request_key", "kexec_load", "init_module", "finit_module", "delete_module", "reboot",
	"swapon", "swapoff", "acct", "open_by_handle_at",
};

#define ENOSYS_ERRNO 38

static bool denied(const struct insp_seccomp_verdict *v)
{
	return !v->depends_on_args && v->action < INSP_SECCOMP_LOG;
}

static const struct insp_seccomp_row *row_named(const struct insp_seccomp_row *rows, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	return NULL;
}

/* Appends a separator and a word, never past size; returns the new length. */
static size_t append(char *buf, size_t size, size_t at, const char *sep, const char *word)
{
	int n;

	if (at >= size)
		return at;
	n = snprintf(buf + at, size - at, "%s%s", sep, word);
	return n < 0 ? at : at + (size_t)n;
}

/* Denied by it whatever capabilities the container has. */
static const char *const runtime_default_always[] = { "keyctl", "add_key", "request_key" };

/* An allowlist that lets most of the system through: fewer allowed is someone's own profile. */
#define RUNTIME_DEFAULT_MIN_ALLOWED 250

static bool eperm(const struct insp_seccomp_row *r)
{
	return r && denied(&r->verdict) && r->verdict.action == INSP_SECCOMP_ERRNO && r->verdict.data == 1;
}

/* "docker default", with the markers it lets through and clone3 if glibc cannot fall back. */
static bool runtime_default(const struct insp_seccomp_row *rows, size_t n, size_t nallowed_all,
			    char *buf, size_t size)
{
	const struct insp_seccomp_row *clone3 = row_named(rows, n, "clone3");
	const char *allowed[ARRAY_SIZE(runtime_default_denies)];
	size_t nallowed = 0, at;

	if (nallowed_all < RUNTIME_DEFAULT_MIN_ALLOWED)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(runtime_default_always); i++)
		if (!eperm(row_named(rows, n, runtime_default_always[i])))
			return false;
	for (size_t i = 0; i < ARRAY_SIZE(runtime_default_denies); i++) {
		const struct insp_seccomp_row *r = row_named(rows, n, runtime_default_denies[i]);

		if (r && !denied(&r->verdict))
			allowed[nallowed++] = runtime_default_denies[i];
	}
	if (nallowed * 3 > ARRAY_SIZE(runtime_default_denies))
		return false;
	at = append(buf, size, 0, "", "docker default");
	for (size_t i = 0; i < nallowed; i++)
		at = append(buf, size, at, i ? ", " : " + ", allowed[i]);
	if (nallowed)
		at = append(buf, size, at, " ", "allowed");
	if (clone3 && denied(&clone3->verdict) &&
	    !(clone3->verdict.action == INSP_SECCOMP_ERRNO && clone3->verdict.data == ENOSYS_ERRNO))
		append(buf, size, at, " ", "- clone3 blocked");
	return true;
}

INSP_EXPORT int insp_seccomp_profile_of_table(const struct insp_seccomp *s, size_t chain,
					     const struct insp_seccomp_row *rows, size_t n, char *buf, size_t size)
{
	struct insp_seccomp_verdict dflt;
	size_t ndenied = 0, ndepends = 0;
	int rc;

	if (!size)
		return -EINVAL;
	if (s->mode == INSP_SECCOMP_STRICT)
		return snprintf(buf, size, "strict"), 0;
	if (chain >= s->nchains || s->chains[chain].nfilters == 0)
		return snprintf(buf, size, "none"), 0;
	if ((rc = insp_seccomp_default(s, chain, INSP_SECCOMP_X86_64, &dflt)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		ndenied += denied(&rows[i].verdict);
		ndepends += rows[i].verdict.depends_on_args;
	}
	if (!ndenied && !ndepends && !denied(&dflt))
		snprintf(buf, size, "allow-all");
	else if (!denied(&dflt) || !runtime_default(rows, n, n - ndenied - ndepends, buf, size))
		snprintf(buf, size, "custom: %zu syscalls denied%s", ndenied, ndepends ? ", some depend on arguments" : "");
	return 0;
}

INSP_EXPORT int insp_seccomp_profile(const struct insp_seccomp *s, size_t chain, char *buf, size_t size)
{
	struct insp_seccomp_row *rows;
	size_t n;
	int rc = insp_seccomp_table(s, chain, INSP_SECCOMP_X86_64, &rows, &n, NULL);

	if (rc < 0)
		return rc;
	rc = insp_seccomp_profile_of_table(s, chain, rows, n, buf, size);
	insp_seccomp_table_free(rows, n);
	return rc;
}
