/* fuzz-evlog.c: libFuzzer target for an event log: the input is the log
 * file, read by evlog (line splitting, as `slacklog ingest` reads it) and
 * every line applied by events.c to an in-memory archive, in one
 * transaction that is rolled back after each input.
 *
 * Invariants, beyond "no crash":
 *   - the lines handed over are the file's bytes: each is the input from
 *     where the previous one ended, up to a newline (a CR before it
 *     dropped) or the end of the file, numbered 1, 2, 3...; or none, when
 *     the file is refused as not JSON Lines;
 *   - every line is counted as an event, and applying one never fails
 *     (EV_FAILED is a store error);
 *   - replaying the whole log (a second `slacklog ingest` of the same file)
 *     changes nothing: the totals and every conversation's name, kind,
 *     topic, purpose and archived flag stay as they were.
 * A gzip-compressed input (zlib reads those transparently) skips the
 * byte comparison, which is about the file as stored. */
#include "fuzz.h"
#include "ingest/events.h"
#include "ingest/evlog.h"
#include "lib/ts.h"
#include "store/store.h"

static store_t *db;
static memfile file;

typedef struct run {
	ev *e;
	const uint8_t *data;
	size_t size, off, lines;
	bool gz;
} run;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	ts_set_zone("UTC");
	db = store_open(":memory:", STORE_CREATE | STORE_ALL, err, sizeof err);
	FUZZ_CHECK(db != NULL, "%s", err);
	return 0;
}

static int line(void *ctx, const char *text, size_t len, const char *name, size_t lineno)
{
	(void)name;
	run *r = ctx;
	r->lines++;
	FUZZ_CHECK(lineno == r->lines, "line numbered %zu, expected %zu", lineno, r->lines);
	FUZZ_CHECK(!fuzz_has(text, len, '\n'), "line %zu holds a newline", lineno);
	if (!r->gz) {
		FUZZ_CHECK(r->off + len <= r->size && memcmp(r->data + r->off, text, len) == 0,
			   "line %zu is not the file's bytes at %zu", lineno, r->off);
		size_t end = r->off + len;
		if (end < r->size && r->data[end] == '\r' && (end + 1 == r->size || r->data[end + 1] == '\n'))
			end++;
		FUZZ_CHECK(end == r->size || r->data[end] == '\n', "line %zu does not end at a newline (%zu)", lineno, end);
		r->off = end + (end < r->size);
	}
	int rc = ev_apply_text(r->e, text, len, "fuzz");
	FUZZ_CHECK(rc != EV_FAILED, "line %zu: store error: %s", lineno, store_errmsg(db));
	return 0;
}

static int snapshot(void *ctx, const char *path, int which)
{
	(void)ctx;
	(void)path;
	(void)which;
	return 0;
}

/* Apply the whole log once, with a fresh reader and event state, as a new
 * `slacklog ingest` run would. */
static void ingest(run *r)
{
	r->off = r->lines = 0;
	r->e = ev_new(db, &fuzz_quiet);
	evlog *l = evlog_new(line, snapshot, r, &fuzz_quiet);
	char err[512];
	FUZZ_CHECK(evlog_add(l, file.path, err, sizeof err) >= 0, "cannot add %s: %s", file.path, err);
	FUZZ_CHECK(evlog_poll(l, true) == 0, "evlog_poll stopped");
	FUZZ_CHECK(ev_counts_of(r->e)->events == r->lines, "%llu events for %zu lines",
		   (unsigned long long)ev_counts_of(r->e)->events, r->lines);
	if (evlog_refused(l))
		FUZZ_CHECK(r->lines == 0, "%zu lines of a file refused as a whole were handed over", r->lines);
	else if (!r->gz)
		FUZZ_CHECK(r->off == r->size, "lines cover %zu of %zu bytes", r->off, r->size);
	evlog_free(l);
	ev_free(r->e);
}

/* Totals and every conversation's visible state. */
static void digest(buf_t *b)
{
	st_totals t;
	FUZZ_CHECK(store_totals(db, &t) == 0, "%s", store_errmsg(db));
	buf_printf(b, "users %lld messages %lld threads %lld replies %lld reactions %lld files %lld channels %lld\n",
		   (long long)t.users, (long long)t.messages, (long long)t.threads, (long long)t.replies,
		   (long long)t.reactions, (long long)t.files, (long long)t.channels);
	arena_t a = {0};
	st_channel *cs;
	size_t n;
	FUZZ_CHECK(store_channels(db, &a, &cs, &n) == 0, "%s", store_errmsg(db));
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s %s %d %s|%s %d %lld\n", cs[i].id, cs[i].name ? cs[i].name : "-", cs[i].kind,
			   cs[i].topic ? cs[i].topic : "-", cs[i].purpose ? cs[i].purpose : "-", cs[i].archived,
			   (long long)store_channel_records(db, cs[i].id));
	arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FUZZ_CHECK(memfile_set(&file, "evlog", data, size) == 0, "memfd");
	run r = {.data = data, .size = size, .gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b};
	FUZZ_CHECK(store_begin(db) == 0, "%s", store_errmsg(db));
	ingest(&r);
	buf_t once = BUF_INIT, twice = BUF_INIT;
	digest(&once);
	ingest(&r);
	digest(&twice);
	FUZZ_CHECK(once.len == twice.len && memcmp(once.p, twice.p, once.len) == 0,
		   "replaying the log changed the archive:\n%s---\n%s", buf_str(&once), buf_str(&twice));
	buf_free(&once);
	buf_free(&twice);
	FUZZ_CHECK(store_rollback(db) == 0, "%s", store_errmsg(db));
	return 0;
}
