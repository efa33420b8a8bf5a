/* fuzz-day.c: libFuzzer target for one export day file, read as the
 * importer reads it: json_each over the top-level array, norm_message on
 * every element, the plain text for the search index, then an upsert into
 * an in-memory archive (one transaction per input, rolled back after).
 *
 * Invariants, beyond "no crash":
 *   - a normalized message has a canonical ts (ts_canon of it is itself), a
 *     real calendar day, canonical thread and edit times when it has them,
 *     valid UTF-8 in its text and plain text;
 *   - its raw JSON (compacted from the file's bytes) is valid UTF-8 and
 *     parses again to an object whose ts is the same message's ts;
 *   - the archive hands the message back with that day and those raw bytes;
 *   - reading the same file a second time changes nothing: every message
 *     whose ts is unique in the file is ST_UNCHANGED, and the totals stay.
 * Elements that are not messages must be refused with a reason. */
#include "fuzz.h"
#include "ingest/norm.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "lib/utf8.h"
#include "render/render.h"
#include "store/store.h"

enum { MAX_MSGS = 4096 };

static store_t *db;

typedef struct run {
	arena_t a;                    /* one element at a time */
	render_ctx rctx;
	buf_t plain;
	int pass;
	size_t n;                     /* messages so far in this pass */
	char ts[MAX_MSGS][TS_LEN + 1];
	int results[MAX_MSGS];
} run;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	/* a zone with daylight saving time: day bucketing has two offsets */
	ts_set_zone("America/Los_Angeles");
	db = store_open(":memory:", STORE_CREATE | STORE_ALL, err, sizeof err);
	FUZZ_CHECK(db != NULL, "%s", err);
	st_channel c = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	FUZZ_CHECK(store_upsert_channel(db, &c) != ST_ERROR, "%s", store_errmsg(db));
	return 0;
}

static bool canonical(const char *ts)
{
	char c[TS_LEN + 1];
	return ts && strlen(ts) == TS_LEN && ts_canon(ts, c) && strcmp(c, ts) == 0;
}

static void check_message(const st_message *m)
{
	FUZZ_CHECK(canonical(m->ts), "ts [%s]", m->ts);
	FUZZ_CHECK(day_valid(m->day), "day [%s] of ts %s", m->day, m->ts);
	FUZZ_CHECK(!m->thread_ts || canonical(m->thread_ts), "thread_ts [%s]", m->thread_ts);
	FUZZ_CHECK(!m->edited_ts || canonical(m->edited_ts), "edited_ts [%s]", m->edited_ts);
	FUZZ_CHECK(m->text && utf8_valid(m->text, strlen(m->text)), "text of %s is not valid UTF-8", m->ts);
	FUZZ_CHECK(m->reply_count >= 0, "reply_count %d", m->reply_count);
	for (size_t i = 0; i < m->nreactions; i++)
		FUZZ_CHECK(m->reactions[i].name && *m->reactions[i].name && m->reactions[i].count >= 0,
			   "reaction %zu of %s", i, m->ts);
	FUZZ_CHECK(m->raw && strlen(m->raw) == m->rawlen && utf8_valid(m->raw, m->rawlen),
		   "raw of %s: %zu bytes, not valid UTF-8 or with a NUL", m->ts, m->rawlen);
	arena_t a = {0};
	json_err err;
	jv *again = json_parse(&a, m->raw, m->rawlen, &err, NULL);
	FUZZ_CHECK(again && again->type == JV_OBJ, "raw of %s does not parse back: %s: %.200s",
		   m->ts, again ? "not an object" : err.msg, m->raw);
	char ts[TS_LEN + 1];
	const char *t = json_getscalar(again, "ts");
	FUZZ_CHECK(t && ts_canon(t, ts) && strcmp(ts, m->ts) == 0, "raw's ts [%s] is not %s", t, m->ts);
	arena_free(&a);
}

static void check_stored(const st_message *m)
{
	arena_t a = {0};
	const st_message *got = store_message(db, &a, "C1", m->ts);
	FUZZ_CHECK(got, "message %s not found after its upsert", m->ts);
	FUZZ_CHECK(strcmp(got->day, m->day) == 0, "stored day %s, normalized %s", got->day, m->day);
	arena_free(&a);
}

static int item(void *ctx, const jv *it, const char *raw, size_t rawlen)
{
	run *r = ctx;
	arena_reset(&r->a);
	st_message m;
	st_user prof;
	const char *why = NULL;
	if (norm_message(&r->a, it, raw, rawlen, "C1", &m, &prof, &why) != 0) {
		FUZZ_CHECK(why && *why, "a refused element without a reason");
		return 0;
	}
	check_message(&m);
	FUZZ_CHECK(!prof.id || strcmp(prof.id, m.user_id) == 0, "profile of %s for author %s", prof.id, m.user_id);
	buf_reset(&r->plain);
	render_message_text(&r->plain, &r->rctx, it);
	FUZZ_CHECK(utf8_valid(r->plain.p, r->plain.len), "plain text of %s is not valid UTF-8", m.ts);
	m.plain = buf_str(&r->plain);
	m.plainlen = r->plain.len;
	int rc = store_upsert_message(db, &m);
	FUZZ_CHECK(rc != ST_ERROR && rc != ST_REFUSED, "upsert of %s: %d %s", m.ts, rc, store_errmsg(db));
	if (rc == ST_INSERTED || rc == ST_UPDATED) {
		/* a later element with this ts may replace the content; the raw
		 * bytes are those of the last copy stored */
		arena_t a = {0};
		const st_message *got = store_message(db, &a, "C1", m.ts);
		FUZZ_CHECK(got && got->rawlen == m.rawlen && memcmp(got->raw, m.raw, m.rawlen) == 0,
			   "stored raw of %s differs from what was upserted", m.ts);
		arena_free(&a);
	}
	check_stored(&m);
	if (r->n < MAX_MSGS) {
		if (r->pass == 0)
			memcpy(r->ts[r->n], m.ts, TS_LEN + 1);
		else
			FUZZ_CHECK(strcmp(r->ts[r->n], m.ts) == 0, "second pass: message %zu is %s, was %s",
				   r->n, m.ts, r->ts[r->n]);
		r->results[r->n] = rc;
	}
	r->n++;
	return 0;
}

static bool unique_ts(const run *r, size_t i)
{
	for (size_t j = 0; j < r->n && j < MAX_MSGS; j++)
		if (j != i && strcmp(r->ts[j], r->ts[i]) == 0)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static run r;
	r.rctx = (render_ctx){.base = ""};
	json_err err;
	st_totals t1, t2;
	FUZZ_CHECK(store_begin(db) == 0, "%s", store_errmsg(db));
	size_t first = 0;
	for (r.pass = 0; r.pass < 2; r.pass++) {
		json_stats st = {0};
		r.n = 0;
		int rc = json_each((const char *)data, size, item, &r, &err, &st);
		FUZZ_CHECK(rc == JSON_OK || rc == JSON_SYNTAX || rc == JSON_NOT_ARRAY, "json_each: %d", rc);
		FUZZ_CHECK(rc != JSON_NOT_ARRAY || r.n == 0, "a non-array delivered %zu messages", r.n);
		if (r.pass == 0) {
			first = r.n;
			FUZZ_CHECK(store_totals(db, &t1) == 0, "%s", store_errmsg(db));
		}
	}
	FUZZ_CHECK(r.n == first, "second pass read %zu messages, the first %zu", r.n, first);
	for (size_t i = 0; i < r.n && i < MAX_MSGS; i++)
		FUZZ_CHECK(!unique_ts(&r, i) || r.results[i] == ST_UNCHANGED,
			   "reading the file again changed message %s (%d)", r.ts[i], r.results[i]);
	FUZZ_CHECK(store_totals(db, &t2) == 0, "%s", store_errmsg(db));
	FUZZ_CHECK(memcmp(&t1, &t2, sizeof t1) == 0, "totals changed on the second pass: %lld -> %lld messages",
		   (long long)t1.messages, (long long)t2.messages);
	FUZZ_CHECK(store_rollback(db) == 0, "%s", store_errmsg(db));
	arena_reset(&r.a);
	return 0;
}
