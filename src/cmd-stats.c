/* cmd-stats.c: `slacklog stats [--db FILE] [--json]`: what the archive
 * holds, per channel and per day.
 *
 * --json prints exactly one object, stable for scripts and tests:
 *   {"channels": [{"id", "name", "kind", "messages", "days": {"YYYY-MM-DD": N}}],
 *    "users": N, "messages": N, "time_zone": "...", "waiting": {"type": N, "name": N}}
 * A channel's "messages" counts every stored record (any subtype); "days"
 * counts what each day's page shows (no joins/leaves, thread replies on
 * their parent's day). Every channel is listed, published or not.
 * "waiting" counts the conversations of unknown kind, and those public or
 * of unknown kind known only by their ID (store_channels_waiting). */
#include "cmd.h"
#include "cli.h"
#include "lib/json.h"
#include "moderation.h"
#include "lib/utf8.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: slacklog stats [--db FILE] [--json]\n"
	"\n"
	"Show what the archive holds: channels with their kind, stored messages and\n"
	"days, users, and the time zone days are counted in. Unpublished channels\n"
	"(private, DMs, group DMs) are included, and how many conversations events\n"
	"named wait for a kind or a name to be published.\n"
	"\n"
	"  --db FILE   the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --json      one JSON object: {\"channels\": [{\"id\", \"name\", \"kind\",\n"
	"              \"messages\", \"days\": {day: count}}], \"users\", \"messages\",\n"
	"              \"time_zone\", \"waiting\": {\"type\", \"name\"}}\n";

static void put_str(buf_t *b, const char *s)
{
	s = s ? s : "";
	json_write_str(b, s, strlen(s));
}

/* A channel's stored records and its days with their shown counts. */
static int numbers(store_t *s, arena_t *a, const st_channel *c, int64_t *records, st_daycount **days, size_t *n)
{
	*records = store_channel_records(s, c->id);
	return *records < 0 || store_channel_days(s, a, c->id, days, n) != 0 ? -1 : 0;
}

static int channel_json(store_t *s, arena_t *a, const st_channel *c, buf_t *b)
{
	st_daycount *days;
	size_t n;
	int64_t records;
	if (numbers(s, a, c, &records, &days, &n) != 0)
		return -1;
	buf_puts(b, "{\"id\": ");
	put_str(b, c->id);
	buf_puts(b, ", \"name\": ");
	put_str(b, c->name);
	buf_printf(b, ", \"kind\": \"%s\", \"messages\": %lld, \"days\": {", channel_kind_name(c->kind),
		   (long long)records);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ", " : "");
		put_str(b, days[i].day);
		buf_printf(b, ": %lld", (long long)days[i].count);
	}
	buf_puts(b, "}}");
	return 0;
}

/* A channel's line, its name padded to namew columns (not bytes: names
 * may hold wide characters, emoji and combining marks). */
static int channel_text(store_t *s, arena_t *a, const st_channel *c, size_t namew, buf_t *b)
{
	st_daycount *days;
	size_t n;
	int64_t records;
	if (numbers(s, a, c, &records, &days, &n) != 0)
		return -1;
	buf_printf(b, "  %s%*s %-7s %8lld stored %8lld shown  %5zu days", c->name, (int)(namew - utf8_width(c->name)), "",
		   channel_kind_name(c->kind), (long long)records, (long long)c->messages, n);
	if (n)
		buf_printf(b, "  %s .. %s", days[0].day, days[n - 1].day);
	buf_puts(b, c->published ? "\n" : "  (unpublished)\n");
	return 0;
}

static int report(store_t *s, bool as_json, buf_t *b)
{
	arena_t a = {0};
	st_channel *ch;
	size_t n;
	st_totals t;
	int rc = store_channels(s, &a, &ch, &n) == 0 && store_totals(s, &t) == 0 ? 0 : -1;
	const char *tz = rc == 0 ? store_get_setting(s, &a, "time_zone") : NULL;
	tz = tz ? tz : "UTC";
	int64_t wtype = 0, wname = 0;
	if (rc == 0)
		rc = store_channels_waiting(s, &wtype, &wname);
	if (rc == 0 && as_json) {
		buf_puts(b, "{\"channels\": [");
		for (size_t i = 0; rc == 0 && i < n; i++) {
			buf_puts(b, i ? ",\n  " : "\n  ");
			rc = channel_json(s, &a, &ch[i], b);
		}
		buf_printf(b, "],\n \"users\": %lld, \"messages\": %lld, \"time_zone\": ", (long long)t.users,
			   (long long)t.messages);
		put_str(b, tz);
		buf_printf(b, ", \"waiting\": {\"type\": %lld, \"name\": %lld}}\n", (long long)wtype, (long long)wname);
	} else if (rc == 0) {
		size_t namew = 24;
		for (size_t i = 0; i < n; i++)
			if (utf8_width(ch[i].name) > namew)
				namew = utf8_width(ch[i].name);
		buf_printf(b, "channels: %zu\n", n);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = channel_text(s, &a, &ch[i], namew, b);
		buf_printf(b, "users: %lld\nmessages: %lld stored (%lld threads, %lld replies, %lld with files)\n"
			   "reactions: %lld\ntime zone: %s\n", (long long)t.users, (long long)t.messages,
			   (long long)t.threads, (long long)t.replies, (long long)t.files, (long long)t.reactions, tz);
		rc = moderation_waiting(s, b);
	}
	arena_free(&a);
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--json", false, 'j'}, {"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "stats", .opts = opts, .shorts = "h", .argc = argc, .argv = argv};
	const char *db = NULL;
	bool as_json = false;
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 'j': as_json = true; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (a.nargs)
		return cli_usage_error("stats", "unexpected argument '%s'", argv[0]);
	char err[512];
	store_t *s = store_open(cli_db_path(db), STORE_READONLY | STORE_ALL, err, sizeof err);
	if (!s) {
		log_err("%s", err);
		return EXIT_FAIL;
	}
	buf_t b = BUF_INIT;
	int rc = report(s, as_json, &b);
	if (rc == 0)
		fwrite(b.p, 1, b.len, stdout);
	else
		log_err("stats: %s", store_errmsg(s));
	buf_free(&b);
	store_close(s);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
