/* assets.h: files from assets/ compiled into the binary.
 *
 * The server needs no files beside its database: the stylesheet (and any
 * other asset) is turned into a C array at build time by
 * scripts/embed-assets, so a copied binary serves the same look, and no
 * page ever makes a third-party request. Each asset has a content hash,
 * used in its URL ("/style.css?v=HASH") so it can be cached for a year. */
#ifndef SLACKLOG_ASSETS_H
#define SLACKLOG_ASSETS_H
#include <stddef.h>

typedef struct asset {
	const char *path;            /* "/style.css" */
	const char *type;            /* "text/css; charset=utf-8" */
	const unsigned char *data;
	size_t len;
} asset;

/* Generated: build/.../gen/assets-data.c */
extern const asset assets_table[];
extern const size_t assets_count;

const asset *asset_find(const char *path);
/* First 16 hex digits of the asset's SHA-256 (computed once). */
const char *asset_hash(const asset *a);
/* "/style.css?v=HASH" for a known asset path, else the path itself. */
const char *assets_versioned_path(const char *path);
#endif
