/* assets.c: lookup and content hashes of the embedded assets (assets.h).
 * Hashes are computed once, on first use, for all assets together. */
#include "web/assets.h"
#include "lib/buf.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { MAX_ASSETS = 64 };

static char hashes[MAX_ASSETS][17];
static char versioned[MAX_ASSETS][128];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compute(void)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < assets_count && i < MAX_ASSETS; i++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int n = 0;
		EVP_Digest(assets_table[i].data, assets_table[i].len, md, &n, EVP_sha256(), NULL);
		for (int k = 0; k < 8; k++) {
			hashes[i][2 * k] = hex[md[k] >> 4];
			hashes[i][2 * k + 1] = hex[md[k] & 15];
		}
		hashes[i][16] = 0;
		snprintf(versioned[i], sizeof versioned[i], "%.100s?v=%.16s", assets_table[i].path, hashes[i]);
	}
}

const asset *asset_find(const char *path)
{
	for (size_t i = 0; i < assets_count; i++)
		if (strcmp(assets_table[i].path, path) == 0)
			return &assets_table[i];
	return NULL;
}

const char *asset_hash(const asset *a)
{
	pthread_once(&once, compute);
	size_t i = (size_t)(a - assets_table);
	return i < MAX_ASSETS ? hashes[i] : "";
}

const char *assets_versioned_path(const char *path)
{
	const asset *a = asset_find(path);
	if (!a)
		return path;
	pthread_once(&once, compute);
	size_t i = (size_t)(a - assets_table);
	return i < MAX_ASSETS ? versioned[i] : path;
}
