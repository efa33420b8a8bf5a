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

/* Moderation (moderation-sqlite.c): its per-handle state, forgotten at
 * each transaction's start. */
struct moderation;
struct moderation **store_sqlite_mod(store_t *s);
void moderation_sqlite_free(store_t *s);
void moderation_sqlite_reset(store_t *s);
/* Before storing a message: ST_REFUSED for an erased author; otherwise
 * *out is m or a copy with erased people's IDs rewritten and the plain
 * text dropped when it names someone opted out or erased, and *hidden is
 * raised to 2 for an opted-out author or a takedown. */
int moderation_sqlite_message(store_t *s, const st_message *m, const st_message **out, int *hidden);
/* Before storing a user, a channel, a reaction: refuse or rewrite. */
bool moderation_sqlite_refuse_user(store_t *s, const char *user_id);
const st_channel *moderation_sqlite_channel(store_t *s, const st_channel *c, int *published);
/* After reading messages: leave out moderated ones (hidden == 2), or
 * blank them into stand-ins: for thread parents with shown replies
 * (stand_ins), or all of them (a single message asked for). */
void moderation_sqlite_filter(st_message *v, size_t *n, bool stand_ins, bool keep_all);
/* The neutral record for an opted-out or erased person, or u. */
const st_user *moderation_sqlite_user(store_t *s, arena_t *a, const st_user *u, const char *id);

/* Registers the "slacklog" FTS5 tokenizer on a connection. */
int search_sqlite_init(sqlite3 *db);

/* Schema version 2: the index. No triggers: store_upsert_message and
 * store_delete_message keep it in step (a trigger would make every write
 * to messages open a savepoint, and FTS5 flushes at each one). */
#define SEARCH_SCHEMA_V2 \
	"CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'slacklog');"

/* Schema version 3: moderation (moderation-sqlite.c). A message hidden by
 * moderation has messages.hidden = 2. */
#define MODERATION_SCHEMA_V3 \
	"CREATE TABLE optout(user_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;" \
	"CREATE TABLE redacted(channel_id TEXT NOT NULL, ts TEXT NOT NULL, thread INTEGER NOT NULL DEFAULT 0," \
	"  PRIMARY KEY(channel_id, ts)) WITHOUT ROWID;" \
	"CREATE TABLE erased(hash TEXT PRIMARY KEY) WITHOUT ROWID;" \
	"CREATE TABLE modlog(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, by TEXT, action TEXT NOT NULL," \
	"  target TEXT NOT NULL, reason TEXT);"
#endif
