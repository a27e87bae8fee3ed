/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal TAP producer for the C unit tests: one "ok"/"not ok" line per
 * TEST, with the failing CHECKs as diagnostics.
 */
#ifndef NSCTL_TAP_H
#define NSCTL_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool tap_current_failed;
static int tap_count, tap_failures;

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);    \
			tap_current_failed = true;                                          \
		}                                                                           \
	} while (0)

#define CHECK_INT(a, b)                                                                     \
	do {                                                                                \
		long long _a = (long long)(a), _b = (long long)(b);                        \
		if (_a != _b) {                                                             \
			printf("#   %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
			       _a, _b);                                                     \
			tap_current_failed = true;                                          \
		}                                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                                     \
	do {                                                                                \
		const char *_a = (a), *_b = (b);                                            \
		if (!_a || strcmp(_a, _b) != 0) {                                           \
			printf("#   %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
			       #a, _a ? _a : "(null)", _b);                                \
			tap_current_failed = true;                                          \
		}                                                                           \
	} while (0)

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define TEST(name) static void name(void)
#define TEST_ENTRY(name) { #name, name }

static inline int tap_run(const char *suite, const struct tap_test *tests, size_t n)
{
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		tap_current_failed = false;
		tests[i].fn();
		tap_count++;
		if (tap_current_failed)
			tap_failures++;
		printf("%s %d - %s: %s\n", tap_current_failed ? "not ok" : "ok", tap_count, suite,
		       tests[i].name);
	}
	return tap_failures ? 1 : 0;
}

#define TAP_MAIN(suite, ...)                                                  \
	int main(void)                                                        \
	{                                                                     \
		static const struct tap_test tests[] = { __VA_ARGS__ };       \
		return tap_run(suite, tests, sizeof(tests) / sizeof(tests[0])); \
	}

#endif
