/* norm.h: Slack JSON objects -> store records.
 *
 * One place decides what a message's author, day, thread, edit time, files
 * and reactions are, so every way into the archive (export files, event
 * lines, the Web API) stores the same record for the same message. The
 * functions only read the parsed value and copy what they keep into the
 * caller's arena: the JSON tree may be freed right after.
 *
 * Slack's quirks handled here: numbers written as strings (and strings as
 * numbers), null where an object or array is expected, file_comment
 * messages whose author is comment.user, the old single `file` next to the
 * newer `files[]`, reaction user lists shorter than their count. */
#ifndef SLACKLOG_INGEST_NORM_H
#define SLACKLOG_INGEST_NORM_H
#include "lib/arena.h"
#include "lib/json.h"
#include "store/store.h"

/* A message of channel_id. raw/rawlen are the object's original bytes
 * (kept as is when valid UTF-8, else the repaired value is written back).
 * The day is ts's day in the archive's zone (ts.h). When the message
 * embeds a user_profile, *profile gets a user record from it (profile->id
 * is NULL otherwise). Returns 0, or -1 with *why set when the object
 * cannot be a message (not an object, no usable ts). */
int norm_message(arena_t *a, const jv *o, const char *raw, size_t rawlen, const char *channel_id,
		 st_message *m, st_user *profile, const char **why);

/* A users.json / org_users.json member. -1 when it has no id. */
int norm_user(arena_t *a, const jv *o, const char *raw, size_t rawlen, st_user *u);

/* A channels/groups/mpims/dms.json entry of the given kind (the name stays
 * NULL for a DM, which has none). -1 when it has no id. */
int norm_channel(arena_t *a, const jv *o, const char *raw, size_t rawlen, channel_kind kind, st_channel *c);

/* The name pages show for a user: display name, real name, handle, ID. */
const char *norm_shown_name(const st_user *u);

/* The original bytes without the whitespace between tokens when they are
 * valid UTF-8, else o written back as JSON
 * (the parser has already repaired its strings). */
const char *norm_raw(arena_t *a, const jv *o, const char *raw, size_t rawlen, size_t *outlen);
#endif
