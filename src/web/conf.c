/* conf.c: settings from defaults, a small file, the environment and flags.
 * See conf.h. The parser is deliberately tiny: one `key = value` per line,
 * whitespace around both trimmed, `#` starts a comment at line start, and a
 * value may be wrapped in double quotes to keep leading spaces or a '#'. */
#include "web/conf.h"
#include "lib/buf.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DEFAULT_DISCLAIMER "This page is not created by, affiliated with, or supported by Slack Technologies, Inc."

static const char *const keys[] = {
	"db", "listen", "base_url", "access_log", "threads", "cache_mb", "site_title", "workspace_url",
	"disclaimer", "time_zone", "remote_avatars", "publish", "unpublish", "signing_secret", "search_url",
	"cache_debug", NULL,
};

conf_t *conf_new(void)
{
	conf_t *c = xcalloc(1, sizeof *c);
	c->listen = xstrdup("127.0.0.1:8080");
	c->site_title = xstrdup("Slack archive");
	c->disclaimer = xstrdup(DEFAULT_DISCLAIMER);
	c->base_url = xstrdup("");
	c->cache_mb = 64;
	c->cache_debug = -1;
	return c;
}

static void free_list(char **l)
{
	for (size_t i = 0; l && l[i]; i++)
		free(l[i]);
	free(l);
}

void conf_free(conf_t *c)
{
	if (!c)
		return;
	free(c->db);
	free(c->listen);
	free(c->base_url);
	free(c->access_log);
	free(c->site_title);
	free(c->workspace_url);
	free(c->disclaimer);
	free(c->time_zone);
	free(c->search_url);
	free(c->path);
	free(c->signing_secret);
	free_list(c->publish);
	free_list(c->unpublish);
	free(c);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* "a, b c" -> {"a","b","c",NULL}; '#' may prefix a name. */
static char **parse_list(const char *v)
{
	size_t n = 0, cap = 4;
	char **l = xmalloc(cap * sizeof *l);
	while (*v) {
		while (*v == ',' || isspace((unsigned char)*v))
			v++;
		if (*v == '#')
			v++;
		const char *s = v;
		while (*v && *v != ',' && !isspace((unsigned char)*v))
			v++;
		if (v > s) {
			if (n + 2 > cap)
				l = xrealloc(l, (cap *= 2) * sizeof *l);
			l[n++] = xstrndup(s, (size_t)(v - s));
		}
	}
	l[n] = NULL;
	return l;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "on") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "off") || !strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

int conf_set(conf_t *c, const char *key, const char *v, char *err, size_t errlen)
{
	if (!strcmp(key, "db")) {
		set_str(&c->db, v);
	} else if (!strcmp(key, "listen")) {
		set_str(&c->listen, v);
	} else if (!strcmp(key, "base_url")) {
		if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
			snprintf(err, errlen, "base_url must start with http:// or https://: '%s'", v);
			return -1;
		}
		set_str(&c->base_url, v);
		size_t n = strlen(c->base_url);
		while (n > 0 && c->base_url[n - 1] == '/')
			c->base_url[--n] = 0;
	} else if (!strcmp(key, "access_log")) {
		set_str(&c->access_log, v);
	} else if (!strcmp(key, "threads")) {
		char *end;
		errno = 0;
		long t = strtol(v, &end, 10);
		if (errno || *end || t < 0 || t > 1024) {
			snprintf(err, errlen, "threads must be a number from 0 to 1024: '%s'", v);
			return -1;
		}
		c->threads = (int)t;
	} else if (!strcmp(key, "cache_mb")) {
		char *end;
		errno = 0;
		long t = strtol(v, &end, 10);
		if (errno || *end || end == v || t < 0 || t > 65536) {
			snprintf(err, errlen, "cache_mb must be a number from 0 to 65536: '%s'", v);
			return -1;
		}
		c->cache_mb = (int)t;
	} else if (!strcmp(key, "cache_debug")) {
		bool on;
		char *end;
		errno = 0;
		long t = strtol(v, &end, 10);
		if (parse_bool(v, &on) == 0) {
			c->cache_debug = on ? 0 : -1;
		} else if (errno || *end || end == v || t < 1 || t > 60000) {
			snprintf(err, errlen, "cache_debug must be off, on or a number of milliseconds up to 60000: '%s'", v);
			return -1;
		} else {
			c->cache_debug = (int)t;
		}
	} else if (!strcmp(key, "site_title")) {
		set_str(&c->site_title, v);
	} else if (!strcmp(key, "workspace_url")) {
		set_str(&c->workspace_url, v);
	} else if (!strcmp(key, "disclaimer")) {
		set_str(&c->disclaimer, v);
	} else if (!strcmp(key, "time_zone")) {
		set_str(&c->time_zone, v);
	} else if (!strcmp(key, "remote_avatars")) {
		if (parse_bool(v, &c->remote_avatars) < 0) {
			snprintf(err, errlen, "remote_avatars must be on or off: '%s'", v);
			return -1;
		}
	} else if (!strcmp(key, "signing_secret")) {
		set_str(&c->signing_secret, v);
	} else if (!strcmp(key, "publish")) {
		free_list(c->publish);
		c->publish = parse_list(v);
	} else if (!strcmp(key, "unpublish")) {
		free_list(c->unpublish);
		c->unpublish = parse_list(v);
	} else if (!strcmp(key, "search_url")) {
		if (strcmp(v, "off") && strncmp(v, "http://", 7) && strncmp(v, "https://", 8) && v[0] != '/') {
			snprintf(err, errlen, "search_url must be off, a path or an http(s) URL: '%s'", v);
			return -1;
		}
		set_str(&c->search_url, v);
	} else {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int parse_line(conf_t *c, char *line, char *err, size_t errlen)
{
	char *s = trim(line);
	if (!*s || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(err, errlen, "expected 'key = value'");
		return -1;
	}
	*eq = 0;
	char *key = trim(s), *val = trim(eq + 1);
	size_t vn = strlen(val);
	if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
		val[vn - 1] = 0;
		val++;
	}
	return conf_set(c, key, val, err, errlen);
}

int conf_read_file(conf_t *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096], msg[512];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (parse_line(c, line, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	fclose(f);
	if (rc == 0)
		set_str(&c->path, path);
	return rc;
}

int conf_read_env(conf_t *c, char *err, size_t errlen)
{
	char name[64], msg[512];
	for (size_t i = 0; keys[i]; i++) {
		size_t k = 9;
		memcpy(name, "SLACKLOG_", k);
		for (const char *p = keys[i]; *p && k < sizeof name - 1; p++)
			name[k++] = (char)toupper((unsigned char)*p);
		name[k] = 0;
		const char *v = getenv(name);
		if (v && *v && conf_set(c, keys[i], v, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s: %s", name, msg);
			return -1;
		}
	}
	return 0;
}

bool conf_listed(char *const *list, const char *name)
{
	for (size_t i = 0; list && list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static const char *config_path(const conf_flag *flags, size_t nflags)
{
	for (size_t i = 0; i < nflags; i++)
		if (!strcmp(flags[i].key, "config"))
			return flags[i].value;
	const char *env = getenv("SLACKLOG_CONFIG");
	if (env && *env)
		return env;
	if (access("slacklog.conf", F_OK) == 0)
		return "slacklog.conf";
	return NULL;
}

conf_t *conf_build(const conf_flag *flags, size_t nflags, char *err, size_t errlen)
{
	conf_t *c = conf_new();
	char msg[512];
	const char *path = config_path(flags, nflags);
	if (path && conf_read_file(c, path, err, errlen) < 0)
		goto fail;
	if (conf_read_env(c, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < nflags; i++) {
		if (!strcmp(flags[i].key, "config"))
			continue;
		if (conf_set(c, flags[i].key, flags[i].value, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "--%s: %s", flags[i].key, msg);
			goto fail;
		}
	}
	return c;
fail:
	conf_free(c);
	return NULL;
}
