/* buf.h: a growable byte buffer, the one way the program assembles text.
 *
 * Pages, renderers and the store all write into a buf_t. It is always
 * NUL-terminated (p[len] == 0) so it can be handed to C string functions,
 * and it never fails: allocation failure aborts (there is no sane recovery
 * for a server that cannot get a few kilobytes). */
#ifndef SLACKLOG_BUF_H
#define SLACKLOG_BUF_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>

typedef struct buf {
	char *p;
	size_t len, cap;
} buf_t;

#define BUF_INIT {0, 0, 0}

/* Room for extra more bytes (and the NUL). The common case, room
 * already there, and the small writers below are inline: pages are made
 * of millions of them, and a call each was a tenth of a build's time. */
void buf_grow_slow(buf_t *b, size_t extra);
static inline void buf_grow(buf_t *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow_slow(b, extra);
}

static inline void buf_put(buf_t *b, const void *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static inline void buf_puts(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static inline void buf_putc(buf_t *b, char c)
{
	buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_putint(buf_t *b, int64_t v);  /* decimal, as "%" PRId64 */
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
void buf_reset(buf_t *b);            /* len = 0, keeps memory */
void buf_free(buf_t *b);
char *buf_detach(buf_t *b);          /* caller owns the string; b is reset */
void buf_truncate(buf_t *b, size_t len);

static inline const char *buf_str(const buf_t *b) { return b->p ? b->p : ""; }

/* xmalloc & co: allocate or abort with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
#endif
