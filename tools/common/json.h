/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON for every command, by one rule set (nsctl(8), "JSON output"):
 * snake_case keys with the unit in the key (_bytes, _usec, _seconds,
 * _percent); numbers as numbers; unlimited is "max" and unknown is null;
 * one timestamp form (RFC 3339, UTC, microseconds); a namespace is
 * {"ino", "id"}; a container is always the object json_container makes.
 *
 * Strings carry the original bytes. So that a document printed on a
 * terminal cannot drive it, DEL, C1 controls and bidirectional or invisible
 * characters inside strings are written as \u escapes, which decode to the
 * same characters.
 */
#ifndef NSCTL_JSON_H
#define NSCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <json-c/json.h>

#include <inspect/container.h>

/* Print a document and release it: pretty, or on one line (NDJSON). Returns 0 or -EIO. */
int json_print(FILE *out, json_object *doc, bool pretty);
/* Write json-c's text of a value with the escapes above, indenting every line after the first. */
void json_write_text(FILE *out, const char *text, int indent);

/* A string as a JSON string (or null for NULL), by the same escapes: for rows streamed without json-c objects. */
void json_put_string(FILE *out, const char *s);

/* A string, or null for NULL and "". */
json_object *json_str(const char *s);
/* A cgroup value: null when unknown, "max" when unlimited, else the number. */
json_object *json_limit(uint64_t v);
/* A tri-state (1, 0, INSP_UNKNOWN): true, false or null. */
json_object *json_tri(int v);
/* "2026-12-01T09:34:11.123456Z" from nanoseconds since the epoch. */
json_object *json_time(uint64_t realtime_ns);
/* cpu.max: {"quota_usec": N or "max", "period_usec": N}. */
json_object *json_cpu_max(uint64_t quota_usec, uint64_t period_usec);
/* A namespace: {"ino": N, "id": N or null}. */
json_object *json_ns(ino_t ino, uint64_t id);
/* A container: {"runtime", "id", "name", "image", "pod", "namespace"}. */
json_object *json_container(const struct insp_container_info *c);

#endif
