// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "inspect/error.h"
#include "util.h"

__attribute__((format(printf, 4, 0)))
static int set_error(struct insp_error *err, int code, bool with_strerror, const char *fmt, va_list ap)
{
	size_t len;

	if (code < 0)
		code = -code;
	if (!err)
		return -code;
	err->code = code;
	err->kind = INSP_ERROR_SYSTEM;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	len = strlen(err->msg);
	if (with_strerror && code && len + 3 < sizeof(err->msg))
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(code));
	return -code;
}

INSP_EXPORT int insp_error_set(struct insp_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_error(err, code, true, fmt, ap);
	va_end(ap);
	return r;
}

INSP_EXPORT int insp_error_set_msg(struct insp_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_error(err, code, false, fmt, ap);
	va_end(ap);
	return r;
}

INSP_EXPORT int insp_error_input(struct insp_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_error(err, code, false, fmt, ap);
	va_end(ap);
	if (err)
		err->kind = INSP_ERROR_INPUT;
	return r;
}

INSP_EXPORT int insp_error_prefix(struct insp_error *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	va_list ap;
	int n;

	if (!err)
		return 0;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n + 2 < sizeof(err->msg)) {
		size_t len = (size_t)n;

		memcpy(err->msg + len, ": ", 2);
		len += 2;
		memcpy(err->msg + len, old, strnlen(old, sizeof(err->msg) - len - 1));
		err->msg[len + strnlen(old, sizeof(err->msg) - len - 1)] = '\0';
	}
	return -err->code;
}

INSP_EXPORT void insp_error_clear(struct insp_error *err)
{
	if (err) {
		err->code = 0;
		err->kind = INSP_ERROR_SYSTEM;
		err->msg[0] = '\0';
	}
}
