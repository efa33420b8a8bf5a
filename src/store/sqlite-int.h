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

/* Registers the "slacklog" FTS5 tokenizer on a connection. */
int search_sqlite_init(sqlite3 *db);

/* Schema version 2: the index and the triggers that keep it in step with
 * the messages table (a replaced or deleted message loses its entry). */
#define SEARCH_SCHEMA_V2 \
	"CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'slacklog');" \
	"CREATE TRIGGER search_message_deleted AFTER DELETE ON messages BEGIN" \
	"  DELETE FROM search WHERE rowid = old.id; END;" \
	"CREATE TRIGGER search_message_replaced AFTER UPDATE OF raw, hidden ON messages" \
	"  WHEN old.raw IS NOT new.raw OR new.hidden BEGIN" \
	"  DELETE FROM search WHERE rowid = old.id; END;"
#endif
