/* moderation.h: what the moderation commands (optout, redact, forget,
 * moderation) and serve share: who is acting, finding the person meant,
 * indexing again what an action dropped from the search index, and
 * applying the publish policy of the settings file to the archive. The
 * store does the moderation itself (store.h, "moderation"); these are the
 * parts that need the renderer or the command line. */
#ifndef SLACKLOG_MODERATION_H
#define SLACKLOG_MODERATION_H
#include <stdbool.h>
#include <stdint.h>
#include "lib/arena.h"
#include "lib/buf.h"
#include "store/store.h"

/* The moderation commands' command line: --db, --by, --reason, the
 * switches allowed (MOD_UNDO, MOD_THREAD) and npos arguments. Returns 0,
 * 1 when help was shown, -1 on bad usage (reported). */
enum { MOD_UNDO = 1, MOD_THREAD = 2, MOD_WAIT = 4 };
typedef struct mod_args {
	const char *db, *by, *reason, *wait;
	bool undo, thread;
	const char *pos[2];
} mod_args;
int moderation_args(const char *cmd, const char *usage, int argc, char **argv, unsigned allow, int npos,
		    mod_args *out);
/* Open the archive for an action (everything visible). */
store_t *moderation_open(const mod_args *a);
/* After an action: index again what it dropped, write the audit log
 * entry, close. Returns the exit status. */
int moderation_done(store_t *s, const mod_args *a, const char *action, const char *target);

/* --by, else $SUDO_USER, else $USER, else "unknown". */
const char *moderation_actor(const char *by);
/* The user meant by an ID, handle, display or real name; a bare ID the
 * store holds messages of but no profile is taken as it is. NULL with a
 * message logged when nobody matches. The handle must see everything
 * (STORE_ALL). */
const char *moderation_user_id(store_t *s, arena_t *a, const char *who);
/* Index the messages missing from the search index, rendered with the
 * names the store gives now (the neutral label for people opted out).
 * Returns how many, or -1. */
int64_t moderation_reindex(store_t *s);
/* Index what the store listed to be rendered again (store_search_stale:
 * messages naming someone opted out, erased or renamed), with the names
 * the store gives now. Returns how many, or -1. */
int64_t moderation_reindex_stale(store_t *s);
/* When the search index holds plain text of an older renderer (its
 * version, RENDER_TEXT_VERSION, is kept in the settings), render and
 * index every message again, in one transaction: readers search the old
 * texts until it commits. A new or up-to-date archive costs a setting's
 * read. Every command that writes to an archive calls it first. Returns
 * how many were indexed, or -1. */
int64_t moderation_reindex_outdated(store_t *s);
/* moderation_reindex_outdated for a command: says what it did, or
 * why it failed (logged, with the archive left as it was); 0 or -1. */
int moderation_index_current(store_t *s);
/* Make the archive at db follow the lists (publish = private channels to
 * show, unpublish = public ones to hide) and index what became public.
 * Returns the number of channels that changed, or -1 (logged). */
int moderation_publish(const char *db, char *const *publish, char *const *unpublish);
/* Conversations events named without saying enough to publish them
 * (store_channels_waiting), and how to fill them in: one line appended to
 * out, nothing when there are none. -1 on a store error. */
int moderation_waiting(store_t *s, buf_t *out);
#endif
