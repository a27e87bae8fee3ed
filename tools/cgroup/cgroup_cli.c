// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <json-c/json.h>

#include <inspect/proc.h>
#include <inspect/target.h>

#include "cgroup_cli.h"
#include "cli.h"
#include "json.h"
#include "units.h"
#include "xalloc.h"

int cgroup_cli_hierarchies(struct insp_cgroup_hierarchies **out)
{
	struct insp_error err = { 0 };

	if (insp_cgroup_hierarchies_read(out, &err) < 0)
		return cli_insp_error(CGROUP_CMD, &err);
	if (insp_cgroup_hierarchies_count(*out) == 0) {
		insp_cgroup_hierarchies_free(*out);
		cli_error(CGROUP_CMD, "no cgroup hierarchy is mounted here");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int open_process(const char *spec, const char *state_root, const struct insp_cgroup_hierarchies *hs,
			struct insp_cgroup **out)
{
	struct insp_cgroup_membership m = { 0 };
	struct insp_error err = { 0 };
	struct insp_target t;
	int r = cli_resolve_target(CGROUP_CMD, spec, state_root, &t);

	if (r != EXIT_OK)
		return r;
	/* Resolution read its /proc/PID/cgroup already. */
	r = insp_target_fill(&t, INSP_PROC_CGROUP, &err);
	if (r == 0 && (r = insp_cgroup_membership_parse(t.proc.cgroup_file, hs, &m)) < 0)
		insp_error_set(&err, -r, "pid %d: /proc/%d/cgroup", (int)t.pid, (int)t.pid);
	if (r == 0)
		r = insp_cgroup_open_membership(hs, &m, out, &err);
	insp_cgroup_membership_free(&m);
	insp_target_release(&t);
	return r < 0 ? cli_insp_error(CGROUP_CMD, &err) : EXIT_OK;
}

int cgroup_cli_open(const char *spec, const char *state_root, const struct insp_cgroup_hierarchies *hs,
		    struct insp_cgroup **out)
{
	struct insp_error err = { 0 };

	if (spec[0] != '/')
		return open_process(spec, state_root, hs, out);
	return insp_cgroup_open(hs, spec, out, &err) < 0 ? cli_insp_error(CGROUP_CMD, &err) : EXIT_OK;
}

bool cgroup_cli_number(const char *text, uint64_t *out)
{
	char *end;

	if (strcmp(text, "max") == 0) {
		*out = INSP_CGROUP_UNLIMITED;
		return true;
	}
	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return !errno && !*end;
}

const char *cgroup_cli_human(const char *knob, const char *value, char *buf, size_t size)
{
	const struct insp_cgroup_knob_info *k = insp_cgroup_knob_info(knob);
	unsigned long long quota, period;
	char cpus[32];
	uint64_t v;

	if (!*value)
		return "(none)";
	if (!k)
		return value;
	if (k->unit == INSP_CGROUP_BYTES && cgroup_cli_number(value, &v))
		return units_bytes(v, buf, size);
	if (k->unit == INSP_CGROUP_CPU_MAX) {
		if (strncmp(value, "max", 3) == 0)
			return "max";
		if (sscanf(value, "%llu %llu", &quota, &period) == 2 && period) {
			snprintf(buf, size, "%s (%llu/%llu)", units_cpu_limit(quota, period, cpus, sizeof(cpus)),
				 quota, period);
			return buf;
		}
	}
	return value;
}

/* The login uid survives su and sudo: the person, not the account. */
static void who(char *buf, size_t size)
{
	char auid[16] = "", tty[64] = "";
	const char *sudo = getenv("SUDO_USER");
	FILE *f = fopen("/proc/self/loginuid", "re");

	if (f) {
		if (!fgets(auid, sizeof(auid), f) || strcmp(auid, "4294967295") == 0)
			auid[0] = '\0';
		auid[strcspn(auid, "\n")] = '\0';
		fclose(f);
	}
	if (ttyname_r(STDIN_FILENO, tty, sizeof(tty)) != 0)
		tty[0] = '\0';
	snprintf(buf, size, "uid=%u%s%s%s%s%s%s", (unsigned)getuid(), *auid ? " auid=" : "", auid,
		 sudo ? " sudo_user=" : "", sudo ? sudo : "", *tty ? " tty=" : "", tty);
}

void cgroup_cli_audit(const char *fmt, ...)
{
	char what[1024], by[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	who(by, sizeof(by));
	openlog("nsctl", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "%s (%s)", what, by);
	closelog();
}

static json_object *json_number(const char *text)
{
	uint64_t v;

	if (strcmp(text, "max") == 0 || !cgroup_cli_number(text, &v))
		return json_object_new_string(text);
	return json_object_new_uint64(v);
}

/* "k v" lines, or "k=v" words, into an object; a line that does not fit keeps the text. */
static json_object *json_pairs(const char *text, char sep)
{
	json_object *o = json_object_new_object();
	char *copy = xstrdup(text), *save = NULL;

	for (char *tok = strtok_r(copy, sep == ' ' ? "\n" : " ", &save); tok;
	     tok = strtok_r(NULL, sep == ' ' ? "\n" : " ", &save)) {
		char *at = strchr(tok, sep);

		if (!at)
			continue;
		*at = '\0';
		json_object_object_add(o, tok, json_number(at + 1));
	}
	free(copy);
	return o;
}

/* "8:0 rbps=1 wbps=max" lines into {"8:0": {"rbps": 1, "wbps": "max"}}. */
static json_object *json_devices(const char *text)
{
	json_object *o = json_object_new_object();
	char *copy = xstrdup(text), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		json_object_object_add(o, line, json_pairs(sp + 1, '='));
	}
	free(copy);
	return o;
}

static json_object *json_psi_line(const struct insp_cgroup_psi_line *l)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "avg10", json_object_new_double(l->avg10));
	json_object_object_add(o, "avg60", json_object_new_double(l->avg60));
	json_object_object_add(o, "avg300", json_object_new_double(l->avg300));
	json_object_object_add(o, "total_usec", json_object_new_uint64(l->total_us));
	return o;
}

static json_object *json_psi(const char *text)
{
	struct insp_cgroup_psi psi;
	json_object *o;

	if (insp_cgroup_psi_parse(text, &psi) < 0)
		return json_object_new_string(text);
	o = json_object_new_object();
	json_object_object_add(o, "some", json_psi_line(&psi.some));
	if (psi.full.present)
		json_object_object_add(o, "full", json_psi_line(&psi.full));
	return o;
}

json_object *cgroup_cli_json(const char *knob, const char *text)
{
	const struct insp_cgroup_knob_info *k = insp_cgroup_knob_info(knob);
	unsigned long long quota, period;
	char word[16];

	switch (k ? k->unit : INSP_CGROUP_TEXT) {
	case INSP_CGROUP_BYTES:
	case INSP_CGROUP_COUNT:
	case INSP_CGROUP_FLAG:
		return json_number(text);
	case INSP_CGROUP_CPU_MAX:
		if (sscanf(text, "%15s %llu", word, &period) != 2)
			return json_object_new_object();
		quota = strcmp(word, "max") == 0 ? INSP_CGROUP_UNLIMITED : strtoull(word, NULL, 10);
		return json_cpu_max(quota, period);
	case INSP_CGROUP_IO_MAX:
		return json_devices(text);
	case INSP_CGROUP_KEYED:
		return json_pairs(text, ' ');
	case INSP_CGROUP_PSI:
		return json_psi(text);
	default:
		return strcmp(knob, "io.stat") == 0 ? json_devices(text) : json_object_new_string(text);
	}
}
