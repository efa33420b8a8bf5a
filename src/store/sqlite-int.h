/* sqlite-int.h: what the files of the SQLite store share, and nothing
 * outside src/store/ may use. sqlite.c owns the handle, the schema and the
 * migrations; search-sqlite.c owns the full-text index and plugs in here:
 * its tokenizer is registered on every connection before the schema is
 * touched, its tables are one migration, its statements live in the
 * handle's extra statement slots. */
#ifndef SLACKLOG_STORE_SQLITE_INT_H
#define SLACKLOG_STORE_SQLITE_INT_H
#include "store/store.h"
#include <sqlite3.h>

/* Extra prepared-statement slots in a handle, for search-sqlite.c. */
enum { STORE_XSTMT = 8 };

sqlite3 *store_sqlite_db(store_t *s);
/* Prepare once per handle (slot < STORE_XSTMT), then reset and reuse. */
sqlite3_stmt *store_sqlite_stmt(store_t *s, int slot, const char *sql);
/* Set the handle's error message: "what: sqlite's message"; returns -1. */
int store_sqlite_fail(store_t *s, const char *what);
void store_sqlite_seterr(store_t *s, const char *msg);

/* Texts to index wait in the handle's queue until the transaction
 * commits (store_commit flushes, store_rollback and store_close discard):
 * see search-sqlite.c for why. */
struct search_queue;
struct search_queue **store_sqlite_searchq(store_t *s);
bool store_sqlite_in_tx(store_t *s);
int search_sqlite_flush(store_t *s);
void search_sqlite_discard(store_t *s);
/* After store_upsert_message: drop a replaced message's entry, queue the
 * new plain text (m->plain) when there is one. */
int search_sqlite_upserted(store_t *s, const st_message *m, int result);
/* The same for a message just inserted as row id, which the index skips
 * when hidden (a join or leave, or not in a published channel). */
int search_sqlite_inserted(store_t *s, int64_t id, const st_message *m, bool hidden);
/* A channel stopped being published: its messages leave the index. */
int search_sqlite_unpublished(store_t *s, const char *channel_id);

/* Registers the "slacklog" FTS5 tokenizer on a connection. */
int search_sqlite_init(sqlite3 *db);

/* Schema version 2: the index. No triggers: store_upsert_message and
 * store_delete_message keep it in step (a trigger would make every write
 * to messages open a savepoint, and FTS5 flushes at each one). */
#define SEARCH_SCHEMA_V2 \
	"CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'slacklog');"
#endif
