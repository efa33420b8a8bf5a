/* search-token.c: the "slacklog" FTS5 tokenizer.
 *
 * It is SQLite's unicode61 tokenizer (case folding and diacritics removal
 * for all of Unicode, "remove_diacritics 2") with one change: letters of
 * scripts written without spaces between words (Chinese, Japanese kana,
 * Hangul, Thai, Lao, Khmer, Myanmar) become one token each. unicode61
 * alone would make a whole CJK sentence one token, so a word inside it
 * could never be found. With one token per character, a query word is
 * tokenized the same way and becomes a phrase of consecutive characters:
 * exact substring search for those scripts at the cost of one posting per
 * character, no second index. (The trigram tokenizer does substring search
 * for every script, but cannot match words of one or two characters, the
 * common case in Chinese and Japanese, and triples the index; see
 * docs/ARCHITECTURE.md.)
 *
 * Code identifiers need nothing special: unicode61 splits snake_case,
 * dotted.names and paths/like/this into their words, and the query side
 * quotes every term, so `snake_case` is the phrase "snake case" and finds
 * exactly the identifier (and the same words written apart). camelCase
 * stays one token, found by its full name or a prefix (camel*).
 *
 * Text without any byte >= 0xE0 (no code point >= U+0800) goes straight
 * to unicode61, so Latin-script text pays one byte scan. */
#include "store/sqlite-int.h"
#include <string.h>

typedef struct sl_tokenizer {
	fts5_tokenizer inner;
	Fts5Tokenizer *it;
} sl_tokenizer;

typedef int (*token_fn)(void *, int, const char *, int, int, int);

/* Code points that form words without spaces around them. */
static int unspaced(unsigned cp)
{
	return (cp >= 0x0E01 && cp <= 0x0EFF) ||      /* Thai, Lao */
	       (cp >= 0x1000 && cp <= 0x109F) ||      /* Myanmar */
	       (cp >= 0x1780 && cp <= 0x17DD) ||      /* Khmer */
	       (cp >= 0x3041 && cp <= 0x30FF && cp != 0x30FB) ||  /* kana (not the middle dot) */
	       (cp >= 0x31F0 && cp <= 0x31FF) ||      /* katakana extension */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||      /* CJK extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||      /* CJK unified ideographs */
	       (cp >= 0xAC00 && cp <= 0xD7A3) ||      /* Hangul syllables */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||      /* CJK compatibility */
	       (cp >= 0xFF66 && cp <= 0xFF9F) ||      /* halfwidth katakana */
	       (cp >= 0x20000 && cp <= 0x323AF);      /* CJK extensions B-H */
}

/* Decode one UTF-8 sequence (3 or 4 bytes: the only lengths of the
 * ranges above); returns its length, or 1 with *cp = 0 when it is not one. */
static int decode(const unsigned char *s, int n, unsigned *cp)
{
	*cp = 0;
	if (s[0] >= 0xE0 && s[0] < 0xF0 && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] < 0xF5 && n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 | (unsigned)(s[2] & 0x3F) << 6 |
		      (s[3] & 0x3F);
		return 4;
	}
	return 1;
}

/* unicode61 over a slice of the text, with offsets moved back into the
 * whole text. */
struct slice {
	void *ctx;
	token_fn emit;
	int base;
};

static int slice_token(void *p, int flags, const char *tok, int n, int start, int end)
{
	struct slice *sl = p;
	return sl->emit(sl->ctx, flags, tok, n, start + sl->base, end + sl->base);
}

static int inner_run(sl_tokenizer *t, void *ctx, int flags, const char *text, int from, int to, token_fn emit)
{
	if (from >= to)
		return SQLITE_OK;
	struct slice sl = {ctx, emit, from};
	return t->inner.xTokenize(t->it, &sl, flags, text + from, to - from, slice_token);
}

static int tok_tokenize(Fts5Tokenizer *tk, void *ctx, int flags, const char *text, int n, token_fn emit)
{
	sl_tokenizer *t = (sl_tokenizer *)tk;
	const unsigned char *s = (const unsigned char *)text;
	int i = 0;
	while (i < n && s[i] < 0xE0)
		i++;
	if (i == n)
		return t->inner.xTokenize(t->it, ctx, flags, text, n, emit);
	int seg = 0, rc = SQLITE_OK;
	while (i < n && rc == SQLITE_OK) {
		if (s[i] < 0xE0) {
			i++;
			continue;
		}
		unsigned cp;
		int len = decode(s + i, n - i, &cp);
		if (unspaced(cp)) {
			rc = inner_run(t, ctx, flags, text, seg, i, emit);
			if (rc == SQLITE_OK)
				rc = emit(ctx, 0, text + i, len, i, i + len);
			seg = i + len;
		}
		i += len;
	}
	if (rc == SQLITE_OK)
		rc = inner_run(t, ctx, flags, text, seg, n, emit);
	return rc;
}

static int tok_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv;
	(void)argc;
	fts5_api *api = api_ptr;
	sl_tokenizer *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	void *ud = NULL;
	int rc = api->xFindTokenizer(api, "unicode61", &ud, &t->inner);
	const char *args[] = {"remove_diacritics", "2"};
	if (rc == SQLITE_OK)
		rc = t->inner.xCreate(ud, args, 2, &t->it);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *tk)
{
	sl_tokenizer *t = (sl_tokenizer *)tk;
	if (t->it)
		t->inner.xDelete(t->it);
	sqlite3_free(t);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(q, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(q);
	sqlite3_finalize(q);
	return api;
}

int search_sqlite_init(sqlite3 *db)
{
	fts5_api *api = fts5_api_of(db);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
	return api->xCreateTokenizer(api, "slacklog", api, &tok, NULL);
}
