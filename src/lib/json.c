/* json.c: yajl callbacks that build jv trees in an arena. See json.h. */
#include "lib/json.h"
#include "lib/utf8.h"
#include <yajl/yajl_parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXDEPTH = 256 };

typedef struct builder {
	arena_t *a;
	arena_t own;                 /* json_each's per-item arena */
	jv *stack[MAXDEPTH];
	jv *last[MAXDEPTH];
	int depth;
	const char *key;
	jv *root;
	json_stats *st;
	buf_t tmp;
	yajl_handle h;
	/* streaming */
	int stream, in_top, not_array, stopped, too_deep;
	int arrays;                  /* top-level arrays opened so far */
	size_t item_start;           /* offsets count from the input's start: */
	size_t base;                 /* the offset of data[0] */
	size_t fed;                  /* of the bytes given to yajl_parse last */
	const char *data;
	json_item_fn fn;
	void *ctx;
} builder;

static void deliver(builder *b, jv *v, size_t start, size_t end)
{
	const char *raw = start < end ? b->data + (start - b->base) : NULL;
	if (b->fn(b->ctx, v, raw, raw ? end - start : 0))
		b->stopped = 1;
	arena_reset(b->a);
}

/* Attach a new node to the current container (or make it the root). */
static jv *add(builder *b, jv_type t)
{
	jv *v = arena_alloc(b->a, sizeof *v);
	v->type = t;
	v->n = 0;
	v->s = NULL;
	v->first = v->next = NULL;
	v->key = NULL;
	if (b->depth == 0) {
		b->root = v;
		return v;
	}
	jv *parent = b->stack[b->depth - 1];
	if (parent->type == JV_OBJ) {
		v->key = b->key ? b->key : "";
		b->key = NULL;
	}
	if (b->last[b->depth - 1])
		b->last[b->depth - 1]->next = v;
	else
		parent->first = v;
	b->last[b->depth - 1] = v;
	parent->n++;
	return v;
}

static const char *clean_str(builder *b, const unsigned char *s, size_t n, size_t *outlen)
{
	if (utf8_valid((const char *)s, n) && !memchr(s, 0, n)) {
		*outlen = n;
		return arena_strndup(b->a, (const char *)s, n);
	}
	buf_reset(&b->tmp);
	size_t fixes = utf8_repair(&b->tmp, (const char *)s, n);
	/* NUL cannot live in a C string: replace it too */
	buf_t t2 = BUF_INIT;
	for (size_t i = 0; i < b->tmp.len; i++) {
		if (b->tmp.p[i] == 0) {
			buf_put(&t2, "\xEF\xBF\xBD", 3);
			fixes++;
		} else {
			buf_putc(&t2, b->tmp.p[i]);
		}
	}
	if (b->st && fixes)
		b->st->fixed_utf8++;
	*outlen = t2.len;
	const char *r = arena_strndup(b->a, buf_str(&t2), t2.len);
	buf_free(&t2);
	return r;
}

/* A scalar at the top level of a streamed array is delivered on its own. */
static int scalar_done(builder *b, jv *v)
{
	if (b->stream && b->in_top && b->depth == 0) {
		deliver(b, v, 0, 0);
		return !b->stopped;
	}
	return 1;
}

static int top_scalar_check(builder *b)
{
	if (b->stream && !b->in_top && b->depth == 0) {
		b->not_array = 1;
		return 0;
	}
	return 1;
}

static int cb_null(void *ctx)
{
	builder *b = ctx;
	if (!top_scalar_check(b))
		return 0;
	return scalar_done(b, add(b, JV_NULL));
}

static int cb_bool(void *ctx, int val)
{
	builder *b = ctx;
	if (!top_scalar_check(b))
		return 0;
	return scalar_done(b, add(b, val ? JV_TRUE : JV_FALSE));
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	builder *b = ctx;
	if (!top_scalar_check(b))
		return 0;
	jv *v = add(b, JV_NUM);
	v->s = arena_strndup(b->a, s, n);
	v->n = (uint32_t)n;
	return scalar_done(b, v);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
	builder *b = ctx;
	if (!top_scalar_check(b))
		return 0;
	jv *v = add(b, JV_STR);
	size_t len;
	v->s = clean_str(b, s, n, &len);
	v->n = (uint32_t)len;
	return scalar_done(b, v);
}

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
	builder *b = ctx;
	size_t len;
	b->key = clean_str(b, s, n, &len);
	return 1;
}

static int open_container(builder *b, jv_type t)
{
	if (b->stream && b->depth == 0 && !b->in_top) {
		if (t != JV_ARR) {
			b->not_array = 1;
			return 0;
		}
		b->in_top = 1;       /* the top-level array itself has no node */
		b->arrays++;
		return 1;
	}
	if (b->depth >= MAXDEPTH) {
		b->too_deep = 1;
		return 0;
	}
	if (b->stream && b->depth == 0)
		b->item_start = b->fed + yajl_get_bytes_consumed(b->h) - 1;
	jv *v = add(b, t);
	b->stack[b->depth] = v;
	b->last[b->depth] = NULL;
	b->depth++;
	return 1;
}

static int close_container(builder *b)
{
	if (b->stream && b->depth == 0) {
		b->in_top = 0;       /* end of a top-level array */
		return 1;
	}
	b->depth--;
	if (b->stream && b->depth == 0) {
		deliver(b, b->stack[0], b->item_start, b->fed + yajl_get_bytes_consumed(b->h));
		return !b->stopped;
	}
	return 1;
}

static int cb_start_map(void *ctx) { return open_container(ctx, JV_OBJ); }
static int cb_end_map(void *ctx) { return close_container(ctx); }
static int cb_start_array(void *ctx) { return open_container(ctx, JV_ARR); }
static int cb_end_array(void *ctx) { return close_container(ctx); }

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_key, cb_end_map, cb_start_array, cb_end_array,
};

/* Line and column after the n bytes at data, starting from *line, *col
 * (columns count characters). */
static void advance(const char *data, size_t n, size_t *line, size_t *col)
{
	const char *p = data, *e = data + n, *nl;
	while ((nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		(*line)++;
		*col = 1;
		p = nl + 1;
	}
	for (; p < e; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			(*col)++;
}

/* err's position: offset off of the input, of which data holds the bytes
 * from offset base on, which start at line, col. */
static void locate_at(const char *data, size_t base, size_t line, size_t col, size_t off, json_err *err)
{
	advance(data, off - base, &line, &col);
	err->offset = off;
	err->line = line;
	err->col = col;
}

static void locate(const char *data, size_t off, json_err *err)
{
	locate_at(data, 0, 1, 1, off, err);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static int read_u(const char *p, const char *e)
{
	if (e - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	int v = 0;
	for (int i = 2; i < 6; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* yajl turns lone surrogate escapes into '?' or garbage: each one (6
 * bytes) is rewritten as \ufffd (6 bytes) so byte offsets stay the same.
 * The next lone one from p on, or NULL; *resume is where to look next.
 * With more (the input goes on past e), a backslash too close to e to be
 * judged ends the search there. */
static const char *next_lone(const char *p, const char *e, int more, const char **resume)
{
	while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		if (more && e - p < 12) {
			*resume = p;
			return NULL;
		}
		if (p + 1 >= e)
			break;
		if (p[1] != 'u') {
			p += 2;
			continue;
		}
		int c = read_u(p, e);
		if (c < 0xD800 || c > 0xDFFF) {
			p += 2;
			continue;
		}
		if (c <= 0xDBFF) {
			int d = read_u(p + 6, e);
			if (d >= 0xDC00 && d <= 0xDFFF) {
				p += 12;
				continue;
			}
		}
		*resume = p + 6;
		return p;
	}
	*resume = e;
	return NULL;
}

/* A patched copy of the input, or NULL when it has no lone surrogate. */
static char *fix_surrogates(const char *data, size_t len, size_t *count)
{
	char *out = NULL;
	const char *p = data, *e = data + len, *next;
	while ((p = next_lone(p, e, 0, &next)) != NULL) {
		if (!out) {
			out = xmalloc(len + 1);
			memcpy(out, data, len);
			out[len] = 0;
		}
		memcpy(out + (p - data), "\\ufffd", 6);
		(*count)++;
		p = next;
	}
	return out;
}

static yajl_handle new_parser(builder *b)
{
	b->h = yajl_alloc(&callbacks, NULL, b);
	yajl_config(b->h, yajl_dont_validate_strings, 1);
	yajl_config(b->h, yajl_allow_multiple_values, 1);
	return b->h;
}

/* What the parse came to. data holds the input from offset b->base on,
 * which starts at line, col; total is the input's length so far. */
static int outcome(builder *b, yajl_status s, int at_end, size_t total, size_t line, size_t col, json_err *err)
{
	if (s == yajl_status_ok)
		return JSON_OK;
	size_t off = at_end ? total : b->fed + yajl_get_bytes_consumed(b->h);
	int rc = JSON_SYNTAX;
	if (b->not_array && !b->arrays) {
		rc = JSON_NOT_ARRAY;
		if (err) {
			locate_at(b->data, b->base, line, col, off > b->base ? off - 1 : b->base, err);
			snprintf(err->msg, sizeof err->msg, "top-level value is not an array");
		}
	} else if (b->not_array) {
		/* items of the arrays before it were delivered: a syntax
		 * error, so that JSON_NOT_ARRAY keeps meaning "nothing" */
		if (err) {
			locate_at(b->data, b->base, line, col, off > b->base ? off - 1 : b->base, err);
			snprintf(err->msg, sizeof err->msg, "a value that is not an array follows the top-level array");
		}
	} else if (b->stopped) {
		rc = JSON_STOPPED;
	} else if (err) {
		if (b->too_deep) {
			snprintf(err->msg, sizeof err->msg, "nesting deeper than %d levels", MAXDEPTH);
		} else {
			unsigned char *m = yajl_get_error(b->h, 0, NULL, 0);
			snprintf(err->msg, sizeof err->msg, "%s", m ? (char *)m : "parse error");
			/* yajl messages end with a newline */
			size_t ml = strlen(err->msg);
			while (ml && (err->msg[ml - 1] == '\n' || err->msg[ml - 1] == ' '))
				err->msg[--ml] = 0;
			if (m)
				yajl_free_error(b->h, m);
		}
		if (at_end)
			snprintf(err->msg, sizeof err->msg, "unexpected end of input (truncated?)");
		locate_at(b->data, b->base, line, col, off, err);
	}
	return rc;
}

static int run(builder *b, const char *data, size_t len, json_err *err)
{
	size_t fixes = 0;
	char *patched = fix_surrogates(data, len, &fixes);
	if (patched) {
		data = patched;
		if (b->st)
			b->st->fixed_utf8 += fixes;
	}
	b->data = data;
	new_parser(b);
	yajl_status s = yajl_parse(b->h, (const unsigned char *)data, len);
	int at_end = 0;
	if (s == yajl_status_ok) {
		s = yajl_complete_parse(b->h);
		at_end = 1;
	}
	int rc = outcome(b, s, at_end, len, 1, 1, err);
	yajl_free(b->h);
	buf_free(&b->tmp);
	free(patched);
	return rc;
}

jv *json_parse(arena_t *a, const char *data, size_t len, json_err *err, json_stats *st)
{
	builder *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->a = a;
	b->st = st;
	jv *root = NULL;
	if (run(b, data, len, err) == JSON_OK) {
		root = b->root;
		if (!root && err) {
			locate(data, len, err);
			snprintf(err->msg, sizeof err->msg, "empty input");
		}
	}
	free(b);
	return root;
}

/* A builder that hands each element of a top-level array to fn. */
static builder *each_builder(json_item_fn fn, void *ctx, json_stats *st)
{
	builder *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->a = &b->own;
	b->st = st;
	b->stream = 1;
	b->fn = fn;
	b->ctx = ctx;
	return b;
}

int json_each(const char *data, size_t len, json_item_fn fn, void *ctx, json_err *err, json_stats *st)
{
	builder *b = each_builder(fn, ctx, st);
	if (!b)
		return JSON_SYNTAX;
	int rc = run(b, data, len, err);
	arena_free(&b->own);
	free(b);
	return rc;
}

static int only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* Bytes of the window before keep (an offset) are given up when they are
 * half of it or more, so that moving the rest costs little overall. */
static void slide(builder *b, buf_t *win, size_t keep, json_reader *rd)
{
	size_t drop = keep - b->base;
	if (!drop || drop < win->len / 2)
		return;
	advance(win->p, drop, &rd->line, &rd->col);
	memmove(win->p, win->p + drop, win->len - drop);
	win->len -= drop;
	b->base = keep;
}

/* Rewrite the lone surrogates of the unchecked bytes (from offset from) in
 * place; returns the offset up to which the bytes are final. */
static size_t fix_window(builder *b, buf_t *win, size_t from, int more)
{
	char *e = win->p + win->len;
	const char *p = win->p + (from - b->base), *next = e;
	while ((p = next_lone(p, e, more, &next)) != NULL) {
		memcpy(win->p + (p - win->p), "\\ufffd", 6);
		if (b->st)
			b->st->fixed_utf8++;
		p = next;
	}
	return b->base + (size_t)(next - win->p);
}

int json_each_read(json_reader *rd, json_item_fn fn, void *ctx, json_err *err, json_stats *st)
{
	builder *b = each_builder(fn, ctx, st);
	if (!b)
		return JSON_SYNTAX;
	new_parser(b);
	buf_t win = BUF_INIT;
	size_t fed = 0, total = 0;
	int eof = 0, blank = 1, at_end = 0, rc = JSON_EMPTY;
	rd->line = rd->col = 1;
	yajl_status s = yajl_status_ok;
	while (s == yajl_status_ok && !at_end) {
		slide(b, &win, b->depth ? b->item_start : fed, rd);
		buf_grow(&win, JSON_READ_BLOCK);
		long n = rd->read(rd->ctx, win.p + win.len, JSON_READ_BLOCK);
		if (n > 0) {
			blank = blank && only_space(win.p + win.len, (size_t)n);
			win.len += (size_t)n;
			total += (size_t)n;
		}
		eof = n <= 0;
		if (eof && blank)
			goto out;
		size_t upto = fix_window(b, &win, fed, !eof);
		b->data = rd->base = win.p;
		b->fed = fed;
		s = yajl_parse(b->h, (const unsigned char *)win.p + (fed - b->base), upto - fed);
		fed = upto;
		if (s == yajl_status_ok && eof) {
			s = yajl_complete_parse(b->h);
			at_end = 1;
		}
	}
	rc = outcome(b, s, at_end, total, rd->line, rd->col, err);
out:
	yajl_free(b->h);
	buf_free(&b->tmp);
	buf_free(&win);
	arena_free(&b->own);
	free(b);
	return rc;
}

const jv *json_get(const jv *obj, const char *key)
{
	if (!obj || obj->type != JV_OBJ)
		return NULL;
	/* the first byte before strcmp: most keys differ there */
	for (const jv *v = obj->first; v; v = v->next)
		if (v->key[0] == key[0] && strcmp(v->key, key) == 0)
			return v;
	return NULL;
}

const jv *json_path(const jv *v, const char *dotted)
{
	char part[128];
	while (v && *dotted) {
		const char *dot = strchr(dotted, '.');
		size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, dotted, n);
		part[n] = 0;
		v = json_get(v, part);
		dotted += n + (dot ? 1 : 0);
	}
	return v;
}

const char *json_str(const jv *v)
{
	return v && v->type == JV_STR ? v->s : NULL;
}

const char *json_getstr(const jv *obj, const char *key)
{
	return json_str(json_get(obj, key));
}

const char *json_scalar(const jv *v)
{
	return v && (v->type == JV_STR || v->type == JV_NUM) ? v->s : NULL;
}

const char *json_getscalar(const jv *obj, const char *key)
{
	return json_scalar(json_get(obj, key));
}

int64_t json_int(const jv *v, int64_t dflt)
{
	const char *s = json_scalar(v);
	if (!s || !*s)
		return dflt;
	char *end;
	long long r = strtoll(s, &end, 10);
	if (end == s)
		return dflt;
	return r;
}

int64_t json_getint(const jv *obj, const char *key, int64_t dflt)
{
	return json_int(json_get(obj, key), dflt);
}

bool json_truthy(const jv *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case JV_TRUE: return true;
	case JV_NUM: return strtod(v->s, NULL) != 0;
	case JV_STR: return v->n && strcmp(v->s, "0") && strcmp(v->s, "false");
	default: return false;
	}
}

bool json_getbool(const jv *obj, const char *key)
{
	return json_truthy(json_get(obj, key));
}

bool json_is(const jv *v, jv_type t)
{
	return v && v->type == t;
}

const jv *json_arr(const jv *obj, const char *key)
{
	const jv *v = json_get(obj, key);
	return v && v->type == JV_ARR ? v : NULL;
}

/* How json_write_str writes a byte: 0 as itself, 'u' as \u00XX, another
 * letter as a backslash and that letter. <, > and & are escaped so that
 * JSON is safe inside <script>. */
static const unsigned char json_esc[256] = {
	['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	[0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u',
	[0x06] = 'u', [0x07] = 'u', [0x08] = 'u', [0x0b] = 'u', [0x0c] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u',
	[0x11] = 'u', [0x12] = 'u', [0x13] = 'u', [0x14] = 'u', [0x15] = 'u', [0x16] = 'u',
	[0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u',
	[0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u',
	['"'] = '"', ['\\'] = '\\', ['<'] = 'u', ['>'] = 'u', ['&'] = 'u',
};

void json_write_str(buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_grow(b, 6 * n + 2);         /* every byte as \u00XX at worst */
	char *o = b->p + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], e = json_esc[c];
		if (!e) {
			*o++ = (char)c;
		} else if (e != 'u') {
			*o++ = '\\';
			*o++ = (char)e;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
	b->p[b->len] = 0;
}

void json_write(buf_t *b, const jv *v)
{
	if (!v) {
		buf_puts(b, "null");
		return;
	}
	switch (v->type) {
	case JV_NULL: buf_puts(b, "null"); break;
	case JV_FALSE: buf_puts(b, "false"); break;
	case JV_TRUE: buf_puts(b, "true"); break;
	case JV_NUM: buf_put(b, v->s, v->n); break;
	case JV_STR: json_write_str(b, v->s, v->n); break;
	case JV_ARR:
	case JV_OBJ: {
		buf_putc(b, v->type == JV_ARR ? '[' : '{');
		for (const jv *c = v->first; c; c = c->next) {
			if (c != v->first)
				buf_putc(b, ',');
			if (v->type == JV_OBJ) {
				json_write_str(b, c->key, strlen(c->key));
				buf_putc(b, ':');
			}
			json_write(b, c);
		}
		buf_putc(b, v->type == JV_ARR ? ']' : '}');
		break;
	}
	}
}
