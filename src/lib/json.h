/* json.h: JSON values in an arena, parsed with yajl's streaming parser.
 *
 * Why yajl: measured on a 103k-message export (100 MB of JSON), yajl parses
 * at 282-344 MB/s against json-c's 108-126 and jansson's 45-62 (see
 * docs/ARCHITECTURE.md). Its callbacks also tell us where each value starts
 * and ends in the input, so every message keeps its original JSON bytes.
 *
 * A value is a small tree of jv nodes allocated in an arena_t; objects keep
 * their members in input order (lookup is a linear scan: Slack objects have
 * a few dozen keys at most). Strings are NUL-terminated, valid UTF-8:
 * invalid bytes and lone surrogate escapes become U+FFFD and are counted.
 *
 * json_each() is the streaming entry point for export day files: for a
 * top-level array it hands each element to a callback with its byte span,
 * resetting the arena in between, so memory follows the largest element. */
#ifndef SLACKLOG_JSON_H
#define SLACKLOG_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "lib/arena.h"
#include "lib/buf.h"

typedef enum { JV_NULL, JV_FALSE, JV_TRUE, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
	jv_type type;
	uint32_t n;          /* string length in bytes, or number of children */
	const char *key;     /* member name when the parent is an object */
	const char *s;       /* string bytes, or the number's text */
	struct jv *first;    /* first child (arrays, objects) */
	struct jv *next;     /* next sibling */
} jv;

typedef struct json_err {
	size_t offset, line, col;    /* 1-based line and column of the error */
	char msg[160];
} json_err;

typedef struct json_stats {
	size_t fixed_utf8;           /* strings repaired (invalid UTF-8, lone surrogates) */
} json_stats;

/* Parse one complete JSON text. Returns the root, or NULL and fills *err. */
jv *json_parse(arena_t *a, const char *data, size_t len, json_err *err, json_stats *st);

/* Callback for json_each: item is valid until the callback returns.
 * raw/rawlen: the item's original bytes. Return nonzero to stop. */
typedef int (*json_item_fn)(void *ctx, const jv *item, const char *raw, size_t rawlen);

enum { JSON_OK = 0, JSON_SYNTAX = 1, JSON_NOT_ARRAY = 2, JSON_STOPPED = 3, JSON_EMPTY = 4 };

/* Stream the elements of a top-level array (several concatenated arrays are
 * accepted, as seen in real exports). Items before a syntax error have been
 * delivered when JSON_SYNTAX is returned. A top-level value that is not an
 * array gives JSON_NOT_ARRAY (nothing delivered). */
int json_each(const char *data, size_t len, json_item_fn fn, void *ctx,
	      json_err *err, json_stats *st);

/* json_each over an input read in pieces, for files too large to hold:
 * memory follows the largest element, not the input. read() fills up to
 * cap bytes and returns how many, 0 at the end, or < 0 on an error (which
 * ends the input there). During a callback, the items' raw bytes point
 * into a window of the input that starts at base, which is at line, col
 * of the input (for locating a warning). An input of white space only
 * gives JSON_EMPTY, and nothing else is done. */
enum { JSON_READ_BLOCK = 64 * 1024 };
typedef struct json_reader {
	long (*read)(void *ctx, char *p, size_t cap);
	void *ctx;
	const char *base;        /* set by json_each_read */
	size_t line, col;
} json_reader;
int json_each_read(json_reader *rd, json_item_fn fn, void *ctx, json_err *err, json_stats *st);

/* Accessors: all accept NULL and return NULL / defaults on type mismatch. */
const jv *json_get(const jv *obj, const char *key);
const jv *json_path(const jv *v, const char *dotted);     /* "edited.ts" */
const char *json_str(const jv *v);                         /* string only */
const char *json_getstr(const jv *obj, const char *key);   /* string member or NULL */
/* A string, or a number's text (Slack writes numbers as strings and back). */
const char *json_scalar(const jv *v);
const char *json_getscalar(const jv *obj, const char *key);
int64_t json_int(const jv *v, int64_t dflt);               /* number or numeric string */
int64_t json_getint(const jv *obj, const char *key, int64_t dflt);
bool json_truthy(const jv *v);
bool json_getbool(const jv *obj, const char *key);
bool json_is(const jv *v, jv_type t);
const jv *json_arr(const jv *obj, const char *key);       /* array member or NULL */
#define json_foreach(it, parent) \
	for (const jv *it = ((parent) && ((parent)->type == JV_ARR || (parent)->type == JV_OBJ)) ? (parent)->first : NULL; \
	     it; it = it->next)

/* Write a value back as compact JSON (strings escaped, UTF-8 kept). */
void json_write(buf_t *b, const jv *v);
/* Append s as a JSON string literal, quotes included. */
void json_write_str(buf_t *b, const char *s, size_t n);
#endif
