/* fuzz.h: what the libFuzzer targets share.
 *
 * FUZZ_CHECK states an invariant: when it does not hold the target prints
 * what was expected and aborts, so libFuzzer saves the input like a crash.
 * A target that only asserted "no crash" would miss a parser that quietly
 * stores the wrong thing; every target here checks what its code promises.
 *
 * memfile() puts the input in an anonymous in-memory file (memfd) and
 * returns a path to it (/proc/self/fd/N), for code that reads files by
 * name (the zip walker, the event-log reader): nothing touches the disk and
 * nothing is left behind. fuzz_quiet is a warner that drops the warnings
 * bad input is expected to cause. Header-only: targets link only libslacklog.a. */
#ifndef SLACKLOG_FUZZ_H
#define SLACKLOG_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ingest/warn.h"

#define FUZZ_CHECK(cond, ...)                                                              \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "invariant failed at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
			abort();                                                           \
		}                                                                          \
	} while (0)

typedef struct memfile {
	int fd;
	char path[64];
} memfile;

/* Open (once) and fill the in-memory file with data; its path is in
 * f->path. Returns -1 when the system gives no memfd. */
static inline int memfile_set(memfile *f, const char *name, const uint8_t *data, size_t size)
{
	if (f->fd <= 0) {
		f->fd = memfd_create(name, 0);
		if (f->fd < 0)
			return -1;
		snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) != 0 || lseek(f->fd, 0, SEEK_SET) != 0)
		return -1;
	for (size_t off = 0; off < size;) {
		ssize_t n = write(f->fd, data + off, size - off);
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Warnings about bad input are expected by the thousand: dropped. */
static inline void fuzz_drop_warning(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static const warner fuzz_quiet = {fuzz_drop_warning, NULL};

/* Does s (n bytes) contain c? */
static inline int fuzz_has(const char *s, size_t n, char c)
{
	return memchr(s, c, n) != NULL;
}
#endif
