/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One traced event as a line: text for people, an NDJSON object for machines. */
#ifndef NSCTL_EVENT_LINE_H
#define NSCTL_EVENT_LINE_H

#include <stdio.h>

#include <inspect/container.h>
#include <inspect/events.h>

/* Namespace types a call asked for (CLONE_NEW* flags, or setns's nstype). */
unsigned event_asked_types(const struct insp_event *e);
bool event_is_cgroup(const struct insp_event *e);

/* container: the caller's, or NULL; controllers: the cgroup hierarchy's, or NULL. */
void event_print_text(FILE *out, const struct insp_event *e, const struct insp_container_info *container,
		      const char *controllers);
void event_print_json(FILE *out, const struct insp_event *e, const struct insp_container_info *container,
		      const char *controllers);
void event_print_text_header(FILE *out);

#endif
