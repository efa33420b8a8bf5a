/* query.c: the search query parser (see query.h).
 *
 * Two passes. The lexer cuts the text into items: terms (word or quoted
 * phrase, maybe negated, maybe a prefix), the OR operator and filters
 * (key:value). The parser then folds the items into a tree: a term, or a
 * run of terms joined by OR, is one clause; the clauses are ANDed; a
 * negated term is a NOT clause. Filters fill the query's fields as they
 * come. Every error names what was wrong in the user's terms. */
#include "search/query.h"
#include "store/store.h"
#include "lib/ts.h"
#include "lib/utf8.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { L_TERM, L_OR, L_FILTER } lex_kind;

typedef struct item {
	lex_kind kind;
	bool neg;
	qnode *term;                 /* L_TERM */
	const char *key, *val;       /* L_FILTER */
} item;

typedef struct parser {
	arena_t *a;
	const char *s, *end;
	item items[QUERY_MAX_TERMS + 1];
	size_t n;
	char *err;
	size_t errlen;
} parser;

static int perr(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Punctuation and symbols the tokenizer drops (an approximation of
 * "not a letter or digit" for the common non-ASCII ranges). */
static bool symbol_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||      /* punctuation, arrows, symbols */
	       (cp >= 0x3000 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3020) || cp == 0x30FB ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	       (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF);     /* emoji */
}

/* Does the text hold anything the index can match? */
static bool has_word(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	while (p < e) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			if (isalnum(c))
				return true;
			p++;
			continue;
		}
		if (!symbol_cp(utf8_next(&p, e)))
			return true;
	}
	return false;
}

static qnode *term(parser *p, const char *s, size_t n, bool phrase, bool prefix)
{
	qnode *t = arena_zalloc(p->a, sizeof *t);
	t->kind = QN_TERM;
	t->text = arena_strndup(p->a, s, n);
	t->phrase = phrase;
	t->prefix = prefix;
	return t;
}

static int push(parser *p, item it)
{
	if (p->n >= QUERY_MAX_TERMS)
		return perr(p, "the query has more than %d terms and filters; search with fewer", QUERY_MAX_TERMS);
	p->items[p->n++] = it;
	return 0;
}

static bool known_filter(const char *k, size_t n)
{
	static const char *const keys[] = {"from", "in", "before", "after", "on", "during", "has", "is", "sort"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strlen(keys[i]) == n && strncasecmp(keys[i], k, n) == 0)
			return true;
	return false;
}

/* A quoted string starting at *pp (on the quote); sets *pp past it. */
static int quoted(parser *p, const char **pp, const char **s, size_t *n)
{
	const char *start = *pp + 1;
	const char *close = memchr(start, '"', (size_t)(p->end - start));
	if (!close)
		return perr(p, "unbalanced quote: a phrase opened with \" is not closed");
	*s = start;
	*n = (size_t)(close - start);
	*pp = close + 1;
	return 0;
}

/* key:value, with the value possibly quoted (from:"Ann Example"). Returns
 * 1 when the word is a filter, 0 when it is not, -1 on error. */
static int filter_item(parser *p, const char *w, size_t wn, const char **pp)
{
	const char *colon = memchr(w, ':', wn);
	if (!colon || colon == w)
		return 0;
	for (const char *c = w; c < colon; c++)
		if (!isalpha((unsigned char)*c))
			return 0;
	size_t kn = (size_t)(colon - w);
	const char *v = colon + 1;
	size_t vn = wn - kn - 1;
	if (vn == 0 && *pp < p->end && **pp == '"') {
		if (quoted(p, pp, &v, &vn) < 0)
			return -1;
	} else if (vn == 0 && !known_filter(w, kn)) {
		return 0;                /* "note:" is a word followed by a colon */
	}
	if (!known_filter(w, kn)) {
		if (vn >= 2 && v[0] == '/' && v[1] == '/')
			return 0;        /* a URL: http://example.com */
		return perr(p, "unknown filter '%.*s:'; the filters are from: in: before: after: on: during: has: is: sort: "
			       "(to search for the text, put it in quotes: \"%.*s\")", (int)kn, w, (int)wn, w);
	}
	if (vn == 0)
		return perr(p, "the filter '%.*s:' needs a value, e.g. %s", (int)kn, w,
			    strncasecmp(w, "from", 4) == 0 ? "from:@name" : strncasecmp(w, "in", 2) == 0 ? "in:#channel" : "before:2016-03");
	char *key = arena_strndup(p->a, w, kn);
	for (char *c = key; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	item it = {.kind = L_FILTER, .key = key, .val = arena_strndup(p->a, v, vn)};
	return push(p, it) < 0 ? -1 : 1;
}

/* One word (up to a space or a quote) at *pp. */
static int word_item(parser *p, const char **pp, bool neg)
{
	const char *w = *pp;
	while (*pp < p->end && !space(**pp) && **pp != '"')
		(*pp)++;
	size_t wn = (size_t)(*pp - w);
	if (!neg && wn == 2 && memcmp(w, "OR", 2) == 0)
		return push(p, (item){.kind = L_OR});
	if (!neg) {
		int f = filter_item(p, w, wn, pp);
		if (f)
			return f < 0 ? -1 : 0;
	}
	bool prefix = false;
	while (wn && w[wn - 1] == '*') {
		prefix = true;
		wn--;
	}
	if (wn == 0)
		return perr(p, "'*' must follow a word: prefix* finds the words that start with prefix");
	if (!has_word(w, wn))
		return 0;                /* only punctuation: nothing to find */
	return push(p, (item){.kind = L_TERM, .neg = neg, .term = term(p, w, wn, false, prefix)});
}

static int phrase_item(parser *p, const char **pp, bool neg)
{
	const char *s = NULL;
	size_t n = 0;
	if (quoted(p, pp, &s, &n) < 0)
		return -1;
	bool prefix = false;
	while (*pp < p->end && **pp == '*') {
		prefix = true;
		(*pp)++;
	}
	if (!has_word(s, n))
		return 0;
	return push(p, (item){.kind = L_TERM, .neg = neg, .term = term(p, s, n, true, prefix)});
}

static int lex(parser *p)
{
	const char *c = p->s;
	while (c < p->end) {
		if (space(*c)) {
			c++;
			continue;
		}
		bool neg = false;
		if (*c == '-') {
			neg = true;
			c++;
			if (c == p->end || space(*c))
				return perr(p, "'-' must be followed by a word or \"phrase\" to leave out, as in -word");
		}
		int rc = *c == '"' ? phrase_item(p, &c, neg) : word_item(p, &c, neg);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- filters ---------------------------------------------------------- */

/* A period: YYYY, YYYY-MM or YYYY-MM-DD as [start, end) in day-string
 * order ("2016" sorts before every day of 2016, "2017" after them). */
static bool period(const char *v, char start[11], char end[11])
{
	size_t n = strlen(v);
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)v[i]) || ((i == 4 || i == 7) && v[i] == '-')))
			return false;
	if (n == 10)
		return day_valid(v) && (memcpy(start, v, 11), day_add(v, 1, end), true);
	if (n != 4 && !(n == 7 && v[4] == '-'))
		return false;
	unsigned y = (unsigned)atoi(v) % 10000, m = n == 7 ? (unsigned)atoi(v + 5) % 100 : 0;
	if (y < 1970 || y > 9998 || (n == 7 && (m < 1 || m > 12)))
		return false;
	if (n == 4) {
		snprintf(start, 11, "%04u", y);
		snprintf(end, 11, "%04u", y + 1);
	} else {
		snprintf(start, 11, "%04u-%02u", y, m);
		snprintf(end, 11, "%04u-%02u", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	}
	return true;
}

static void lower_bound(char cur[11], const char *v)
{
	if (!cur[0] || strcmp(v, cur) > 0)
		snprintf(cur, 11, "%s", v);
}

static void upper_bound(char cur[11], const char *v)
{
	if (!cur[0] || strcmp(v, cur) < 0)
		snprintf(cur, 11, "%s", v);
}

static void add_name(arena_t *a, const char ***v, size_t *n, const char *s)
{
	const char **nv = arena_alloc(a, (*n + 1) * sizeof *nv);
	if (*n)
		memcpy(nv, *v, *n * sizeof *nv);
	nv[(*n)++] = s;
	*v = nv;
}

static int date_filter(parser *p, query *q, const char *key, const char *val)
{
	char start[11], end[11];
	if (!period(val, start, end))
		return perr(p, "%s:%s: a date is YYYY, YYYY-MM or YYYY-MM-DD (e.g. %s:2016-03-15)", key, val, key);
	if (strcmp(key, "before") == 0) {
		upper_bound(q->day_to, start);
	} else if (strcmp(key, "after") == 0) {
		lower_bound(q->day_from, end);
	} else {
		lower_bound(q->day_from, start);
		upper_bound(q->day_to, end);
	}
	return 0;
}

static int apply_filter(parser *p, query *q, const char *key, const char *val)
{
	if (strcmp(key, "from") == 0) {
		add_name(p->a, &q->from, &q->nfrom, val[0] == '@' && val[1] ? val + 1 : val);
	} else if (strcmp(key, "in") == 0) {
		add_name(p->a, &q->in, &q->nin, val[0] == '#' && val[1] ? val + 1 : val);
	} else if (strcmp(key, "has") == 0) {
		if (strcasecmp(val, "link") == 0 || strcasecmp(val, "links") == 0)
			q->has_link = true;
		else if (strcasecmp(val, "file") == 0 || strcasecmp(val, "files") == 0)
			q->has_file = true;
		else if (strcasecmp(val, "reaction") == 0 || strcasecmp(val, "reactions") == 0)
			q->has_reaction = true;
		else
			return perr(p, "has:%s: use has:link, has:file or has:reaction", val);
	} else if (strcmp(key, "is") == 0) {
		if (strcasecmp(val, "thread") != 0)
			return perr(p, "is:%s: the only one is is:thread", val);
		q->is_thread = true;
	} else if (strcmp(key, "sort") == 0) {
		if (strcasecmp(val, "relevance") == 0)
			q->sort = ST_SORT_RELEVANCE;
		else if (strcasecmp(val, "new") == 0 || strcasecmp(val, "newest") == 0)
			q->sort = ST_SORT_NEW;
		else if (strcasecmp(val, "old") == 0 || strcasecmp(val, "oldest") == 0)
			q->sort = ST_SORT_OLD;
		else
			return perr(p, "sort:%s: use sort:relevance, sort:new or sort:old", val);
	} else {
		return date_filter(p, q, key, val);
	}
	return 0;
}

/* ---- tree ------------------------------------------------------------- */

static qnode *node(arena_t *a, qn_kind k, qnode **kids, size_t n)
{
	qnode *x = arena_zalloc(a, sizeof *x);
	x->kind = k;
	x->kids = arena_alloc(a, (n ? n : 1) * sizeof *kids);
	memcpy(x->kids, kids, n * sizeof *kids);
	x->nkids = n;
	return x;
}

static bool positive_term(const item *it)
{
	return it->kind == L_TERM && !it->neg;
}

/* Fold items into clauses: t1 OR t2 OR t3 is one clause. */
static int build(parser *p, query *q)
{
	qnode *clauses[QUERY_MAX_TERMS];
	size_t nc = 0;
	for (size_t i = 0; i < p->n; i++) {
		item *it = &p->items[i];
		if (it->kind == L_FILTER) {
			if (apply_filter(p, q, it->key, it->val) < 0)
				return -1;
			continue;
		}
		if (it->kind == L_OR)
			return perr(p, "OR must stand between two words or phrases, as in deploy OR release");
		if (it->neg) {
			clauses[nc++] = node(p->a, QN_NOT, &it->term, 1);
			continue;
		}
		qnode *alts[QUERY_MAX_TERMS];
		size_t na = 0;
		alts[na++] = it->term;
		while (i + 1 < p->n && p->items[i + 1].kind == L_OR) {
			if (i + 2 >= p->n || !positive_term(&p->items[i + 2]))
				return perr(p, "OR must stand between two words or phrases, as in deploy OR release");
			alts[na++] = p->items[i + 2].term;
			i += 2;
		}
		clauses[nc++] = na == 1 ? alts[0] : node(p->a, QN_OR, alts, na);
	}
	q->root = nc ? node(p->a, QN_AND, clauses, nc) : NULL;
	return 0;
}

static bool has_filters(const query *q)
{
	return q->nfrom || q->nin || q->day_from[0] || q->day_to[0] || q->has_link || q->has_file ||
	       q->has_reaction || q->is_thread;
}

int query_parse(arena_t *a, const char *text, size_t len, query *q, char *err, size_t errlen)
{
	memset(q, 0, sizeof *q);
	parser p = {.a = a, .s = text, .end = text + len, .err = err, .errlen = errlen};
	err[0] = 0;
	if (len > QUERY_MAX_BYTES)
		return perr(&p, "the query is too long (%zu bytes; the limit is %d)", len, QUERY_MAX_BYTES);
	if (!utf8_valid(text, len))
		return perr(&p, "the query is not valid UTF-8 text");
	if (memchr(text, 0, len))
		return perr(&p, "the query contains a NUL byte");
	size_t i = 0;
	while (i < len && space(text[i]))
		i++;
	if (i == len)
		return perr(&p, "the query is empty: type words to search for, or filters such as in:#general");
	if (lex(&p) < 0 || build(&p, q) < 0)
		return -1;
	if (!q->root && !has_filters(q) && !p.n)
		return perr(&p, "nothing to search for: the query has no words (only punctuation)");
	if (!q->root && !has_filters(q))
		return perr(&p, "the query only sorts; add words or filters to search for");
	return 0;
}

/* ---- output ----------------------------------------------------------- */

static void fts_string(buf_t *b, const qnode *t)
{
	buf_putc(b, '"');
	for (const char *c = t->text; *c; c++) {
		if (*c == '"')
			buf_putc(b, '"');
		buf_putc(b, *c);
	}
	buf_putc(b, '"');
	if (t->prefix)
		buf_putc(b, '*');
}

static void fts_node(buf_t *b, const qnode *x)
{
	if (x->kind == QN_TERM) {
		fts_string(b, x);
		return;
	}
	buf_putc(b, '(');
	for (size_t i = 0; i < x->nkids; i++) {
		if (i)
			buf_puts(b, x->kind == QN_OR ? " OR " : " AND ");
		fts_node(b, x->kids[i]);
	}
	buf_putc(b, ')');
}

void query_fts(const query *q, buf_t *match, buf_t *exclude)
{
	if (!q->root)
		return;
	size_t pos = 0, neg = 0;
	for (size_t i = 0; i < q->root->nkids; i++)
		q->root->kids[i]->kind == QN_NOT ? neg++ : pos++;
	bool first = true;
	for (size_t i = 0; i < q->root->nkids; i++) {
		const qnode *c = q->root->kids[i];
		if (c->kind == QN_NOT)
			continue;
		buf_puts(match, first ? "(" : " AND ");
		fts_node(match, c);
		first = false;
	}
	if (pos)
		buf_putc(match, ')');
	first = true;
	for (size_t i = 0; i < q->root->nkids; i++) {
		const qnode *c = q->root->kids[i];
		if (c->kind != QN_NOT)
			continue;
		if (pos) {
			buf_puts(match, " NOT ");
			fts_node(match, c->kids[0]);
		} else {
			if (!first)
				buf_puts(exclude, " OR ");
			fts_node(exclude, c->kids[0]);
			first = false;
		}
	}
	(void)neg;
}

static void describe_node(buf_t *b, const qnode *x)
{
	if (x->kind == QN_TERM) {
		buf_printf(b, "%s%s%s%s", x->phrase ? "\"" : "", x->text, x->phrase ? "\"" : "", x->prefix ? "*" : "");
		return;
	}
	buf_puts(b, x->kind == QN_AND ? "(and" : x->kind == QN_OR ? "(or" : "(not");
	for (size_t i = 0; i < x->nkids; i++) {
		buf_putc(b, ' ');
		describe_node(b, x->kids[i]);
	}
	buf_putc(b, ')');
}

void query_describe(const query *q, buf_t *b)
{
	if (q->root)
		describe_node(b, q->root);
	else
		buf_puts(b, "()");
	for (size_t i = 0; i < q->nfrom; i++)
		buf_printf(b, " from=%s", q->from[i]);
	for (size_t i = 0; i < q->nin; i++)
		buf_printf(b, " in=%s", q->in[i]);
	if (q->day_from[0])
		buf_printf(b, " day>=%s", q->day_from);
	if (q->day_to[0])
		buf_printf(b, " day<%s", q->day_to);
	if (q->has_link)
		buf_puts(b, " has=link");
	if (q->has_file)
		buf_puts(b, " has=file");
	if (q->has_reaction)
		buf_puts(b, " has=reaction");
	if (q->is_thread)
		buf_puts(b, " is=thread");
	if (q->sort)
		buf_printf(b, " sort=%s", q->sort == ST_SORT_NEW ? "new" : "old");
}
