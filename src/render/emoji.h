/* emoji.h: the standard emoji table (generated into emoji-table.c by
 * scripts/gen-emoji) and its lookup. Internal to src/render/. */
#ifndef SLACKLOG_EMOJI_H
#define SLACKLOG_EMOJI_H
#include <stddef.h>

struct emoji_skin {
	const char *tone;      /* "2".."6", or "2-3" for two people */
	const char *chars;     /* UTF-8 */
};

struct emoji_name {
	const char *name;      /* short name or alias, sorted by strcmp() */
	const char *chars;     /* UTF-8 */
	unsigned short skin_first, skin_count;   /* range in emoji_skins */
};

extern const struct emoji_skin emoji_skins[];
extern const struct emoji_name emoji_names[];
extern const size_t emoji_nnames;

/* Standard emoji by name (n bytes) and tone (NULL or "3", "2-3"); NULL when
 * the name is not standard. An unknown tone gives the plain emoji. */
const char *emoji_std(const char *name, size_t n, const char *tone);
#endif
