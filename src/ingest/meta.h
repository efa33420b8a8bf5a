/* meta.h: an export's layout and its metadata files.
 *
 * A Slack export is a set of metadata files at its root (users.json,
 * channels.json, groups.json, mpims.json, dms.json, integration_logs.json,
 * and more) and one folder per conversation holding YYYY-MM-DD.json day
 * files. Folders are named after the conversation's current name (channels,
 * private channels, MPIMs) or its ID (DMs), so the metadata must be read
 * before the first day file can be given a channel: import reads the export
 * twice, and this module is what the first pass builds.
 *
 * Enterprise Grid nests per-workspace exports under teams/<ws>/; their
 * metadata files and folders are handled the same way, a folder being
 * looked up first in its workspace and then at the root.
 *
 * A folder that no metadata file describes is still imported: it becomes a
 * conversation named after the folder whose ID is "X" followed by the first
 * ten hex digits (upper case) of the SHA-1 of the folder's path inside the
 * export, so that importing the same export again finds the same channel.
 * Its kind is guessed from the name (mpdm-… is an MPIM, a D… ID a DM) and
 * is private otherwise: an undescribed conversation is never published by
 * accident. */
#ifndef SLACKLOG_INGEST_META_H
#define SLACKLOG_INGEST_META_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ingest/walk.h"
#include "ingest/warn.h"
#include "store/store.h"

typedef enum { ENT_OTHER, ENT_META, ENT_DAY } ent_kind;

/* What an entry is. For ENT_META, *len is the length of its workspace
 * prefix ("" or "teams/<ws>/"); for ENT_DAY, the length of its folder
 * (prefix included: "teams/<ws>/general"). */
ent_kind meta_classify(const char *name, size_t *len);

typedef struct conv {
	const char *id, *name;
	channel_kind kind;
} conv;

typedef struct meta_counts {
	uint64_t users, conversations, undescribed, emoji, integration_logs;
} meta_counts;

typedef struct meta meta;

/* label names the export in warnings. Writes go to s (the caller holds the
 * transaction). */
meta *meta_new(store_t *s, const warner *w, const char *label);
void meta_free(meta *m);

/* Pass one: a metadata file (ENT_META) and its contents. Returns -1 only
 * on a store error; bad input is warned about and skipped. */
int meta_file(meta *m, const char *name, size_t prefix_len, const char *data, size_t len);
/* The same, for the walker's current entry, read in pieces: users and
 * conversations are stored as their files stream past, in an order that
 * gives the same result as reading every file first (dms.json alone is
 * kept until meta_finish, for its members' names). */
int meta_read(meta *m, walker *w, const char *name, size_t prefix_len);
/* Pass one: a day file lives in this folder. */
void meta_day_folder(meta *m, const char *folder, size_t len);
/* End of pass one: store the conversations, give undescribed folders their
 * own. -1 on a store error. */
int meta_finish(meta *m);
/* After the messages: settle each channel's name. The export's names
 * count as changes at asof (its newest message's ts; NULL or "" when it
 * has none: then they are taken as they are), ordered with the archive's
 * other changes of the names (events, other exports) by time. -1 on a
 * store error. */
int meta_settle_names(meta *m, const char *asof);
/* The conversation of a folder (after meta_finish; safe to call from
 * another thread as long as nothing else changes m). */
const conv *meta_folder(const meta *m, const char *folder, size_t len);

/* Custom emoji in emoji.list shape ({"emoji":{"name":"https://…" or
 * "alias:other"}}) or a bare name->value object: an export's emoji.json,
 * warned about and skipped when it is neither. -1 on a store error. */
int meta_emoji(meta *m, const char *name, const char *data, size_t len);
/* The same in two steps, for a file given alone: the name->value object
 * of root (its "emoji" object, or root itself when it is a non-empty
 * object of strings), NULL when root is neither; and storing it. */
const jv *meta_emoji_list(const jv *root);
int meta_emoji_store(meta *m, const char *name, const jv *list);
/* path is an export: a directory or zip file with users.json or
 * channels.json and folders of day files (arrays: a directory of event
 * logs has JSON Lines, perhaps named by the day, and may have those
 * two files too). */
bool meta_is_export(const char *path);
/* What a file of an export is, by its name, when it means nothing alone:
 * "a day file" (YYYY-MM-DD.json), "a metadata file" (users.json,
 * channels.json, ...); NULL otherwise (emoji.json is an emoji list).
 * *export is the export's directory when the file is in one (the caller
 * frees it), else NULL. */
const char *meta_export_part(const char *path, char **export);

/* Read-only lookups, safe from another thread after meta_finish: a user
 * of users.json, the name pages show for one (NULL when unknown), a
 * conversation's name by ID (NULL when unknown). */
bool meta_user_known(const meta *m, const char *id);
const char *meta_user_shown(const meta *m, const char *id);
const char *meta_channel_name(const meta *m, const char *id);

const meta_counts *meta_counts_of(const meta *m);
#endif
