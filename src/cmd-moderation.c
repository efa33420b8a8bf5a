/* cmd-moderation.c: `slacklog moderation log|publish`, and the helpers the
 * moderation commands share (moderation.h).
 *
 * `moderation log` prints the audit log: every opt-out, takedown, erasure
 * and policy change, who did it (--by, $SUDO_USER or $USER), when, and why.
 * `moderation publish` makes the archive follow the settings file's
 * publish/unpublish lists; serve does the same at start and on SIGHUP
 * with a short-lived write handle, since its own handles are read-only. */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include "render/render.h"
#include "web/conf.h"
#include "lib/buf.h"
#include "lib/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *moderation_actor(const char *by)
{
	const char *v[] = {by, getenv("SUDO_USER"), getenv("USER")};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (v[i] && *v[i])
			return v[i];
	return "unknown";
}

static bool looks_like_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 7 || (s[0] != 'U' && s[0] != 'W'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

const char *moderation_user_id(store_t *s, arena_t *a, const char *who)
{
	const st_user *u = store_user_find(s, a, who);
	if (u)
		return u->id;
	if (looks_like_id(who))
		return who;
	log_err("no user '%s' in the archive (give an ID, a handle or a display name)", who);
	return NULL;
}

int moderation_args(const char *cmd, const char *usage, int argc, char **argv, unsigned allow, int npos,
		    mod_args *out)
{
	cli_opt opts[9] = {
		{"--db", true, 'd'}, {"--by", true, 'b'}, {"--reason", true, 'r'}, {"--quiet", false, 'q'},
		{"--help", false, 'h'},
	};
	size_t n = 5;
	if (allow & MOD_WAIT)
		opts[n++] = (cli_opt){"--wait", true, 'w'};
	if (allow & MOD_UNDO)
		opts[n++] = (cli_opt){"--undo", false, 'u'};
	if (allow & MOD_THREAD)
		opts[n++] = (cli_opt){"--thread", false, 't'};
	cli_args a = {.cmd = cmd, .opts = opts, .shorts = "qh", .argc = argc, .argv = argv};
	memset(out, 0, sizeof *out);
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': out->db = a.val; break;
		case 'b': out->by = a.val; break;
		case 'r': out->reason = a.val; break;
		case 'w': out->wait = a.val; break;
		case 'q': cli_verbosity = 0; break;
		case 'u': out->undo = true; break;
		case 't': out->thread = true; break;
		case 'h': return cli_help(usage), 1;
		default: return -1;
		}
	}
	if (a.nargs > npos)
		return cli_usage_error(cmd, "unexpected '%s'", argv[npos]), -1;
	if (a.nargs < npos)
		return cli_usage_error(cmd, "missing arguments"), -1;
	for (int i = 0; i < npos; i++)
		out->pos[i] = argv[i];
	return 0;
}

store_t *moderation_open(const mod_args *a)
{
	char err[512];
	store_t *s = store_open(cli_db_path(a->db), STORE_ALL, err, sizeof err);
	if (!s)
		log_err("%s", err);
	else if (moderation_index_current(s) < 0)
		store_close(s), s = NULL;
	return s;
}

int moderation_done(store_t *s, const mod_args *a, const char *action, const char *target)
{
	int rc = EXIT_OK;
	int64_t n = moderation_reindex(s);
	if (n < 0) {
		log_err("indexing for search: %s", store_errmsg(s));
		rc = EXIT_FAIL;
	}
	if (store_modlog_add(s, moderation_actor(a->by), action, target, a->reason) < 0) {
		log_err("writing the moderation log: %s", store_errmsg(s));
		rc = EXIT_FAIL;
	}
	store_close(s);
	return rc;
}

/* ---- re-indexing ------------------------------------------------------ */

typedef struct names {
	store_t *s;
	arena_t a;
} names;

static const char *user_name(void *ud, const char *id)
{
	names *n = ud;
	const st_user *u = store_user(n->s, &n->a, id);
	return u ? u->shown : NULL;
}

static const char *channel_name(void *ud, const char *id)
{
	names *n = ud;
	const st_channel *c = store_channel_by_id(n->s, &n->a, id);
	return c ? c->name : NULL;
}

static const char *custom_emoji(void *ud, const char *name)
{
	names *n = ud;
	return store_emoji(n->s, &n->a, name);
}

static int index_batch(store_t *s, names *nm, const render_ctx *rc, st_message *v, size_t n, buf_t *b)
{
	for (size_t i = 0; i < n; i++) {
		json_err err;
		arena_reset(&nm->a);
		const jv *j = json_parse(&nm->a, v[i].raw, v[i].rawlen, &err, NULL);
		buf_reset(b);
		if (j)
			render_message_text(b, rc, j);
		if (store_search_index(s, v[i].channel_id, v[i].ts, buf_str(b), b->len) < 0)
			return -1;
	}
	return 0;
}

typedef int (*batch_fn)(store_t *s, arena_t *a, int64_t *cursor, st_message **v, size_t *n);

static int pending(store_t *s, arena_t *a, int64_t *cursor, st_message **v, size_t *n)
{
	return store_search_pending(s, a, cursor, 500, v, n);
}

static int stale(store_t *s, arena_t *a, int64_t *cursor, st_message **v, size_t *n)
{
	(void)cursor;
	return store_search_stale(s, a, 500, v, n);
}

/* settings key: the RENDER_TEXT_VERSION of the index's texts (none: 1) */
static const char outdated_key[] = "search_render";

/* Everything, when the index holds an older renderer's texts: the first
 * call (cursor 0) empties the index and notes the version, or ends the
 * walk at once when the index is of this version or a newer one. */
static int outdated(store_t *s, arena_t *a, int64_t *cursor, st_message **v, size_t *n)
{
	if (*cursor == 0) {
		const char *have = store_get_setting(s, a, outdated_key);
		char want[16];
		*v = NULL;
		*n = 0;
		if (have && atoi(have) >= RENDER_TEXT_VERSION)
			return 0;
		snprintf(want, sizeof want, "%d", (int)RENDER_TEXT_VERSION);
		if (store_search_clear(s) < 0 || store_set_setting(s, outdated_key, want) < 0)
			return -1;
	}
	return pending(s, a, cursor, v, n);
}

/* Render and index the batches next() gives, in one transaction. */
static int64_t reindex(store_t *s, batch_fn next)
{
	names nm = {s, {0}};
	render_ctx rc = {.ud = &nm, .user_name = user_name, .channel_name = channel_name, .custom_emoji = custom_emoji,
			 .base = ""};
	arena_t a = {0};
	buf_t b = BUF_INIT;
	int64_t cursor = 0, done = 0;
	int rc_ = store_begin(s);
	while (rc_ == 0) {
		st_message *v;
		size_t n;
		arena_reset(&a);
		if (next(s, &a, &cursor, &v, &n) < 0 || index_batch(s, &nm, &rc, v, n, &b) < 0)
			rc_ = -1;
		else if (!n)
			break;
		done += (int64_t)n;
	}
	if (rc_ == 0)
		rc_ = store_commit(s);
	else
		store_rollback(s);
	arena_free(&a);
	arena_free(&nm.a);
	buf_free(&b);
	return rc_ < 0 ? -1 : done;
}

int64_t moderation_reindex(store_t *s)
{
	int64_t missing = store_search_missing(s);
	if (missing <= 0)
		return missing;
	return reindex(s, pending);
}

int64_t moderation_reindex_stale(store_t *s)
{
	return reindex(s, stale);
}

int64_t moderation_reindex_outdated(store_t *s)
{
	return reindex(s, outdated);
}

int moderation_index_current(store_t *s)
{
	int64_t n = moderation_reindex_outdated(s);
	if (n < 0) {
		log_err("indexing for search with this version's text: %s", store_errmsg(s));
		return -1;
	}
	if (n > 0)
		log_info("search index: %lld messages indexed again with this version's text", (long long)n);
	return 0;
}

/* ---- publish policy --------------------------------------------------- */

static bool same_list(const char *stored, char *const *l)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; l && l[i]; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, l[i]);
	}
	bool same = strcmp(stored ? stored : "", buf_str(&b)) == 0;
	buf_free(&b);
	return same;
}

int moderation_publish(const char *db, char *const *publish, char *const *unpublish)
{
	char err[512];
	store_t *s = store_open(db, STORE_ALL, err, sizeof err);
	if (!s) {
		log_err("%s", err);
		return -1;
	}
	if (moderation_index_current(s) < 0) {
		store_close(s);
		return -1;
	}
	arena_t a = {0};
	int changed = 0;
	if (!same_list(store_get_setting(s, &a, "publish"), publish) ||
	    !same_list(store_get_setting(s, &a, "unpublish"), unpublish)) {
		changed = store_set_publish_policy(s, publish, unpublish);
		if (changed < 0)
			log_err("%s: applying the publish policy: %s", db, store_errmsg(s));
		else if (moderation_reindex(s) < 0)
			log_err("%s: indexing newly published channels: %s", db, store_errmsg(s)), changed = -1;
		else if (store_modlog_add(s, moderation_actor(NULL), "publish-policy", "channels", NULL) < 0)
			log_err("%s: %s", db, store_errmsg(s)), changed = -1;
	}
	arena_free(&a);
	store_close(s);
	return changed;
}

int moderation_waiting(store_t *s, buf_t *out)
{
	int64_t type, name;
	if (store_channels_waiting(s, &type, &name) < 0)
		return -1;
	if (type || name)
		buf_printf(out, "waiting: %lld conversation%s of unknown kind (not published), %lld known only by ID; "
			   "`slacklog sync --token TOKEN` fills in the public ones\n", (long long)type, type == 1 ? "" : "s",
			   (long long)name);
	return 0;
}

/* ---- the command ------------------------------------------------------ */

static const char usage[] =
	"usage: slacklog moderation log [--db FILE] [--json]\n"
	"       slacklog moderation publish [--db FILE] [--config FILE]\n"
	"\n"
	"log: the audit log of opt-outs, takedowns, erasures and publish policy\n"
	"changes: when, who (--by, $SUDO_USER or $USER), what, and why; then, on\n"
	"stderr, how many conversations wait for a kind or a name to be published.\n"
	"publish: make the archive follow the settings file's lists (publish =\n"
	"private channels to show, unpublish = public channels to hide); DMs and\n"
	"group DMs are never published. serve does this at start and on SIGHUP.\n"
	"\n"
	"  --db FILE       the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --json          the log as a JSON array\n"
	"  --config FILE   settings file (default: ./slacklog.conf if present)\n";

static void print_log(const st_modlog *v, size_t n, bool json)
{
	buf_t b = BUF_INIT;
	if (json)
		buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		char when[32];
		time_t t = (time_t)v[i].at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (!json) {
			buf_printf(&b, "%s\t%s\t%s\t%s\t%s\n", when, v[i].by ? v[i].by : "", v[i].action, v[i].target,
				   v[i].reason ? v[i].reason : "");
			continue;
		}
		const char *k[] = {"by", "action", "target", "reason"};
		const char *f[] = {v[i].by, v[i].action, v[i].target, v[i].reason};
		buf_printf(&b, "%s\n{\"id\": %lld, \"at\": \"%s\"", i ? "," : "", (long long)v[i].id, when);
		for (int j = 0; j < 4; j++) {
			buf_printf(&b, ", \"%s\": ", k[j]);
			if (f[j])
				json_write_str(&b, f[j], strlen(f[j]));
			else
				buf_puts(&b, "null");
		}
		buf_putc(&b, '}');
	}
	if (json)
		buf_puts(&b, n ? "\n]\n" : "]\n");
	fwrite(b.p ? b.p : "", 1, b.len, stdout);
	buf_free(&b);
}

static int show_log(const char *db, bool json)
{
	char err[512];
	store_t *s = store_open(db, STORE_READONLY, err, sizeof err);
	if (!s) {
		log_err("%s", err);
		return EXIT_FAIL;
	}
	arena_t a = {0};
	st_modlog *v;
	size_t n;
	int rc = EXIT_OK;
	buf_t note = BUF_INIT;
	if (store_modlog(s, &a, &v, &n) < 0 || moderation_waiting(s, &note) < 0) {
		log_err("%s: %s", db, store_errmsg(s));
		rc = EXIT_FAIL;
	} else {
		print_log(v, n, json);
		if (note.len)
			log_info("%.*s", (int)note.len - 1, note.p);
	}
	buf_free(&note);
	arena_free(&a);
	store_close(s);
	return rc;
}

static int publish(const char *db, const char *config)
{
	conf_flag f[] = {{"config", config}};
	char err[512];
	conf_t *c = conf_build(f, config ? 1 : 0, err, sizeof err);
	if (!c) {
		log_err("%s", err);
		return EXIT_FAIL;
	}
	int n = moderation_publish(db, c->publish, c->unpublish);
	conf_free(c);
	if (n < 0)
		return EXIT_FAIL;
	log_info("%d channel%s changed", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_moderation(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--config", true, 'c'}, {"--json", false, 'j'}, {"--help", false, 'h'},
		{NULL, false, 0},
	};
	cli_args a = {.cmd = "moderation", .opts = opts, .shorts = "h", .argc = argc, .argv = argv};
	const char *db = NULL, *config = NULL;
	bool json = false;
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 'c': config = a.val; break;
		case 'j': json = true; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (a.nargs > 1)
		return cli_usage_error("moderation", "unexpected '%s'", argv[1]);
	const char *what = a.nargs ? argv[0] : "";
	db = cli_db_path(db);
	if (!strcmp(what, "log"))
		return show_log(db, json);
	if (!strcmp(what, "publish"))
		return publish(db, config);
	return cli_usage_error("moderation", "say 'log' or 'publish'");
}
