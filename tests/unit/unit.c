// SPDX-License-Identifier: GPL-2.0
/* Runs every suite and ends with "unit: N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>

#include "unit.h"

static char name[256];
static char reason[512];
static int failed_now;
static int passed, failed;

void unit_begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	failed_now = 0;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failed_now++)
		return;
	n = snprintf(reason, sizeof(reason), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(reason + n, sizeof(reason) - n, fmt, ap);
	va_end(ap);
}

void unit_end(void)
{
	if (failed_now) {
		printf("not ok - %s: %s\n", name, reason);
		failed++;
	} else {
		printf("ok - %s\n", name);
		passed++;
	}
}

int main(void)
{
	test_parse();
	test_cli();
	test_build();
	test_reply();
	test_extack();
	test_json();
	test_show();
	test_board();
	test_frame();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
