/* conf.h: the server's settings, from four layers.
 *
 * defaults < slacklog.conf < environment (SLACKLOG_*) < command-line flags.
 * The file is `key = value` lines with `#` comments; every key can also be
 * given as SLACKLOG_KEY in the environment and most as --key on the command
 * line. A conf_t is immutable once built: a reload (SIGHUP) builds a new one
 * from the same layers and swaps it in, so a request always sees one
 * consistent set of settings.
 *
 * Keys (see docs/slacklog.conf.example):
 *   db, listen, base_url, access_log, threads, cache_mb, cache_debug (server)
 *   site_title, workspace_url, disclaimer, time_zone,
 *   remote_avatars, publish, unpublish, search_url     (pages)
 *   signing_secret                     (POST /slack/events: the Events API) */
#ifndef SLACKLOG_CONF_H
#define SLACKLOG_CONF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct conf {
	char *db, *listen, *base_url, *access_log;
	int threads;                 /* 0: one per core */
	int cache_mb;                /* finished answers kept in memory (MB); 0: none */
	/* For tests of the cache: -1 (off); 0: each answer says X-Cache: hit
	 * or miss; N > 0: also wait N ms between building an answer and
	 * keeping it (time for a change to come in). */
	int cache_debug;
	char *site_title, *workspace_url, *disclaimer, *time_zone;
	bool remote_avatars;
	char **publish, **unpublish; /* NULL-terminated channel name lists */
	/* The search box's target: NULL (unset) searches this server ("/");
	 * "off" leaves the box out (a static copy has no search); else a URL. */
	char *search_url;
	char *path;                  /* the file it was read from, or NULL */
	char *signing_secret;        /* Slack app's; NULL: no events endpoint */
	bool no_mmap;                /* not a setting: serve and build read the
				      * archive without mapping it (STORE_NOMAP) */
} conf_t;

/* A flag given on the command line, replayed on every reload. */
typedef struct conf_flag {
	const char *key, *value;
} conf_flag;

conf_t *conf_new(void);       /* defaults only */
void conf_free(conf_t *c);
/* Set one key; returns -1 with a message for unknown keys or bad values. */
int conf_set(conf_t *c, const char *key, const char *value, char *err, size_t errlen);
/* Read a file of `key = value` lines. Errors name the file and line. */
int conf_read_file(conf_t *c, const char *path, char *err, size_t errlen);
/* Apply SLACKLOG_* environment variables. */
int conf_read_env(conf_t *c, char *err, size_t errlen);
/* All layers: defaults, the file (flag "config", else $SLACKLOG_CONFIG,
 * else ./slacklog.conf when it exists), the environment, then flags. */
conf_t *conf_build(const conf_flag *flags, size_t nflags, char *err, size_t errlen);
/* Is name in a NULL-terminated list? */
bool conf_listed(char *const *list, const char *name);
#endif
