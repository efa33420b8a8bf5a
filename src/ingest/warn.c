/* warn.c: format a warning and hand it to its receiver. See warn.h. */
#include "ingest/warn.h"
#include <stdarg.h>
#include <stdio.h>

void warnf(const warner *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (w && w->fn)
		w->fn(w->ctx, msg);
}

void warn_json(const warner *w, const char *label, const char *name, int rc,
	       const json_err *err, const json_stats *st)
{
	if (rc == JSON_SYNTAX)
		warnf(w, "%s: %s:%zu:%zu: invalid JSON: %s; kept the items before it",
		      label, name, err->line, err->col, err->msg);
	else if (rc == JSON_NOT_ARRAY)
		warnf(w, "%s: %s:%zu:%zu: not a JSON array; skipped", label, name, err->line, err->col);
	if (st && st->fixed_utf8)
		warnf(w, "%s: %s: %zu strings with invalid UTF-8 or lone surrogates repaired (U+FFFD)",
		      label, name, st->fixed_utf8);
}

void locator_init(locator *l, const char *base)
{
	l->base = base;
	l->off = 0;
	l->line = l->col = l->bline = l->bcol = 1;
}

void locator_sync(locator *l, const json_reader *rd)
{
	if (l->base == rd->base && l->bline == rd->line && l->bcol == rd->col)
		return;
	l->base = rd->base;
	l->off = 0;
	l->line = l->bline = rd->line;
	l->col = l->bcol = rd->col;
}

/* Columns count characters, as json.c's error positions do. */
void locator_at(locator *l, const char *p, size_t *line, size_t *col)
{
	size_t to = (size_t)(p - l->base);
	if (to < l->off) {
		l->off = 0;
		l->line = l->bline;
		l->col = l->bcol;
	}
	for (; l->off < to; l->off++) {
		unsigned char c = (unsigned char)l->base[l->off];
		if (c == '\n') {
			l->line++;
			l->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			l->col++;
		}
	}
	*line = l->line;
	*col = l->col;
}

bool warn_if_empty(const warner *w, const char *label, const char *name, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return false;
	warnf(w, "%s: %s: empty file; skipped", label, name);
	return true;
}

void warn_item(const warner *w, const char *label, const char *name, locator *l, const char *raw,
	       size_t index, const char *what)
{
	size_t line, col;
	if (raw) {
		locator_at(l, raw, &line, &col);
		warnf(w, "%s: %s:%zu:%zu: %s", label, name, line, col, what);
	} else {
		warnf(w, "%s: %s: item %zu: %s", label, name, index, what);
	}
}
