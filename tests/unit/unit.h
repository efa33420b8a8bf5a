/* unit.h: a tiny test harness for the C unit tests (tests/unit/t-*.c).
 * Each check prints "ok - ..." or "not ok - ... (file:line)"; tests/run
 * counts the lines. main() returns nonzero if any check failed. */
#ifndef SLACKLOG_UNIT_H
#define SLACKLOG_UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(cond, ...) do { \
	if (cond) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { unit_failed++; printf("not ok - "); printf(__VA_ARGS__); printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { unit_failed++; printf("not ok - "); printf(__VA_ARGS__); \
		printf(" (%s:%d)\n#   got:  %s\n#   want: %s\n", __FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

#define UNIT_DONE() return unit_failed ? 1 : 0
#endif
