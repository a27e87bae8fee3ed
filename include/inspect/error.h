/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_ERROR_H
#define INSPECT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every fallible libinspect function returns 0 on success or a negative
 * errno value, and, when given one, fills a struct insp_error with a message
 * naming the object it failed on. The library never prints and never exits.
 */
enum insp_error_kind {
	INSP_ERROR_SYSTEM,	/* the system failed or refused */
	INSP_ERROR_INPUT,	/* what the caller asked for is malformed, ambiguous or contradictory */
};

struct insp_error {
	int code;	/* positive errno value, 0 when unset */
	int kind;	/* enum insp_error_kind */
	char msg[512];	/* "<what>: <why>" */
};

/* Record an error; returns -code so callers can `return insp_error_set(...)`. */
int insp_error_set(struct insp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same when the message says it all (no strerror appended). */
int insp_error_set_msg(struct insp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error in the caller's input (no strerror appended): kind INSP_ERROR_INPUT. */
int insp_error_input(struct insp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an already recorded message with more context ("ctx: old"). */
int insp_error_prefix(struct insp_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void insp_error_clear(struct insp_error *err);

#ifdef __cplusplus
}
#endif
#endif
