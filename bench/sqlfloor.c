/* sqlfloor: the fastest an importer could write N messages into SQLite.
 *
 *   bench/out/sqlfloor DB ROWS BYTES [CHANNELS [SQL]]
 *
 * Creates DB afresh and inserts ROWS rows of about BYTES bytes each (the
 * export's average message size, so the database grows as the archive
 * would) in one transaction, through one prepared statement, into a table
 * keyed like the archive's messages: (channel_id, ts) unique, plus the
 * columns a page query needs. Rows go channel by channel in ts order, as an
 * importer walking day files would write them. The settings are the ones
 * store.h documents (WAL); SQL, if given, runs after them to try others
 * ("PRAGMA cache_size=-65536"). Prints the wall and CPU seconds from open
 * to close (commit and checkpoint included) and rows per second.
 *
 * It is a floor, not a model: no JSON, no reactions table, no search
 * index. An importer can be compared with it to see what its own work
 * costs beyond the unavoidable writes. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "sqlfloor: %s: %s\n", what, sqlite3_errmsg(db));
		exit(2);
	}
}

static void exec(sqlite3 *db, const char *sql)
{
	check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static const char *SETTINGS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
static const char *SCHEMA =
	"CREATE TABLE messages ("
	" id INTEGER PRIMARY KEY,"
	" channel_id TEXT NOT NULL, ts TEXT NOT NULL, day TEXT NOT NULL,"
	" thread_ts TEXT, user_id TEXT, subtype TEXT, text TEXT,"
	" edited_ts TEXT, reply_count INTEGER NOT NULL DEFAULT 0,"
	" raw TEXT NOT NULL, UNIQUE (channel_id, ts));"
	"CREATE INDEX messages_day ON messages(channel_id, day);";

/* Row contents are slices of one pool of text, so that rows differ
 * without the filling itself being measured. */
enum { POOL = 1 << 20 };
static char pool[POOL + 1];

static void fill_pool(void)
{
	static const char words[] = "the build passed after the fix, thanks! see "
		"<https://example.org|docs> and :tada: &amp; then we can ship it \n";
	unsigned x = 12345;
	for (size_t i = 0; i < POOL; i++) {
		x = x * 1103515245 + 12345;
		pool[i] = words[(x >> 16) % (sizeof words - 1)];
	}
}

static const char *slice(long i, size_t n)
{
	return pool + (size_t)(i * 7919) % (POOL - n);
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: sqlfloor DB ROWS BYTES [CHANNELS [SQL]]\n");
		return 2;
	}
	const char *path = argv[1];
	long rows = atol(argv[2]), bytes = atol(argv[3]);
	long channels = argc > 4 ? atol(argv[4]) : 100;
	if (rows < 1 || bytes < 64 || channels < 1) {
		fprintf(stderr, "sqlfloor: ROWS >= 1, BYTES >= 64, CHANNELS >= 1\n");
		return 2;
	}
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char side[4096];
		snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
		unlink(side);
	}
	size_t textlen = (size_t)bytes / 10, rawlen = (size_t)bytes - textlen;
	if (rawlen >= POOL / 2) {
		fprintf(stderr, "sqlfloor: BYTES too large\n");
		return 2;
	}
	fill_pool();

	double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	sqlite3 *db = NULL;
	check(db, sqlite3_open(path, &db), path);
	exec(db, SETTINGS);
	if (argc > 5)
		exec(db, argv[5]);
	exec(db, SCHEMA);
	exec(db, "BEGIN");
	sqlite3_stmt *st;
	check(db, sqlite3_prepare_v2(db,
		"INSERT INTO messages (channel_id, ts, day, thread_ts, user_id, subtype,"
		" text, edited_ts, reply_count, raw) VALUES (?,?,?,?,?,?,?,?,?,?)",
		-1, &st, NULL), "prepare");
	long per = (rows + channels - 1) / channels;
	for (long i = 0; i < rows; i++) {
		char ch[32], ts[48], day[48], user[32];
		long c = i / per, k = i % per;
		long sec = 1672560000 + k * (63072000 / per);
		snprintf(ch, sizeof ch, "C%09ld", c);
		snprintf(ts, sizeof ts, "%ld.%06ld", sec, i % 1000000);
		snprintf(day, sizeof day, "2023-%02ld-%02ld", 1 + (k * 12 / per), 1 + k % 28);
		snprintf(user, sizeof user, "U%09ld", (i * 7919) % 5000);
		sqlite3_bind_text(st, 1, ch, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, ts, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
		if (i % 3 == 0)
			sqlite3_bind_text(st, 4, ts, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_text(st, 5, user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_null(st, 6);
		sqlite3_bind_text(st, 7, slice(i, textlen), (int)textlen, SQLITE_STATIC);
		sqlite3_bind_null(st, 8);
		sqlite3_bind_int(st, 9, (int)(i % 5 == 0 ? i % 7 : 0));
		sqlite3_bind_text(st, 10, slice(i * 31, rawlen), (int)rawlen, SQLITE_STATIC);
		check(db, sqlite3_step(st), "insert");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
	check(db, sqlite3_close(db), "close");
	double t = clock_s(CLOCK_MONOTONIC) - t0, c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("sqlfloor: %ld rows of %ld bytes: wall %.3f s, cpu %.3f s, %.0f rows/s\n",
	       rows, bytes, t, c, rows / t);
	return 0;
}
