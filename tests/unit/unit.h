/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test harness: unit_begin() names a test, CHECK*() record the first
 * failure, unit_end() prints "ok - name" or "not ok - name: reason".
 */
#ifndef UNIT_H
#define UNIT_H

#include <string.h>

void unit_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void unit_end(void);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond) do {						\
	if (!(cond))							\
		unit_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long _a = (a), _b = (b);					\
	if (_a != _b)							\
		unit_fail(__FILE__, __LINE__, "%s is %lld, not %lld",	\
			  #a, _a, _b);					\
} while (0)

#define CHECK_U64(a, b) do {						\
	unsigned long long _a = (a), _b = (b);				\
	if (_a != _b)							\
		unit_fail(__FILE__, __LINE__, "%s is %llu, not %llu",	\
			  #a, _a, _b);					\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || strcmp(_a, _b))					\
		unit_fail(__FILE__, __LINE__, "%s is \"%s\", not \"%s\"", \
			  #a, _a ? _a : "(null)", _b);			\
} while (0)

/* The suites. */
void test_parse(void);
void test_cli(void);
void test_build(void);
void test_reply(void);
void test_extack(void);
void test_json(void);
void test_show(void);
void test_board(void);
void test_frame(void);

#endif /* UNIT_H */
