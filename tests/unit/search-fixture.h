/* search-fixture.h: the hand-made archive the search unit tests share:
 * four channels (two public, one private, one DM), three users, a few
 * messages whose words, days, threads, links, files and reactions the
 * tests' expectations are read from. Included by t-query-*.c only. */
#ifndef SLACKLOG_SEARCH_FIXTURE_H
#define SLACKLOG_SEARCH_FIXTURE_H
#include "store/store.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct row {
	const char *ch, *ts, *day, *thread, *user, *text;
	bool link, file, reaction;
} row;

/* ts: seconds 100..; days 2020-01-01 .. 2020-03-02 */
static const row rows[] = {
	{"C1", "0000000100.000001", "2020-01-01", NULL, "U1", "The deploy failed on staging", false, false, false},
	{"C1", "0000000200.000001", "2020-01-05", NULL, "U2", "Deploy to production went fine. Café open", true, false, true},
	{"C1", "0000000300.000001", "2020-02-10", "0000000300.000001", "U1", "failed deploy again, rollback", false, true, false},
	{"C1", "0000000400.000001", "2020-02-11", "0000000300.000001", "U3", "fixed in snake_case_name and os.path.join", false, false, false},
	{"C2", "0000000500.000001", "2020-02-20", NULL, "U3", "私は東京に住んでいます", false, false, false},
	{"C2", "0000000600.000001", "2020-03-01", NULL, "U2", "see /usr/lib/libfoo.so and parseHttpRequest", true, false, false},
	{"C2", "0000000700.000001", "2020-03-02", NULL, "U1", "staging deploy is green <script>alert(1)</script>", false, false, false},
	{"G1", "0000000800.000001", "2020-01-01", NULL, "U1", "secret deploy plans zebra", false, false, false},
	{"D1", "0000000900.000001", "2020-01-01", NULL, "U2", "private zebra talk deploy", false, false, false},
};
enum { NROWS = sizeof rows / sizeof *rows };

static void load(store_t *S)
{
	st_channel chans[] = {
		{.id = "C1", .name = "general", .kind = CH_PUBLIC},
		{.id = "C2", .name = "random", .kind = CH_PUBLIC},
		{.id = "G1", .name = "secret", .kind = CH_PRIVATE},
		{.id = "D1", .name = "D1", .kind = CH_DM},
	};
	for (size_t i = 0; i < 4; i++)
		store_upsert_channel(S, &chans[i]);
	st_user users[] = {
		{.id = "U1", .name = "ann", .display_name = "Ann", .real_name = "Ann Example"},
		{.id = "U2", .name = "bob", .real_name = "Bob Builder"},
		{.id = "U3", .name = "chen", .display_name = "陈"},
	};
	for (size_t i = 0; i < 3; i++)
		store_upsert_user(S, &users[i]);
	store_begin(S);
	for (size_t i = 0; i < NROWS; i++) {
		const row *r = &rows[i];
		char raw[64];
		snprintf(raw, sizeof raw, "{\"ts\":\"%s\"}", r->ts);
		st_reaction re = {.name = "+1", .count = 1, .users = "U1"};
		st_message m = {.channel_id = r->ch, .ts = r->ts, .day = r->day, .thread_ts = r->thread,
				.user_id = r->user, .text = r->text, .has_links = r->link, .has_files = r->file,
				.raw = raw, .rawlen = strlen(raw), .reactions = r->reaction ? &re : NULL,
				.nreactions = r->reaction ? 1 : 0};
		store_upsert_message(S, &m);
		store_search_index(S, r->ch, r->ts, r->text, strlen(r->text));
	}
	store_commit(S);
}

/* A new archive in a temp file (path: a mkstemp template, kept for
 * fixture_remove), with the rows loaded; NULL and a "not ok" line if not. */
static store_t *fixture_open(char *path)
{
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	printf("%s - create archive %s\n", s ? "ok" : "not ok", s ? "" : err);
	if (s)
		load(s);
	return s;
}

static void fixture_remove(const char *path)
{
	char side[300];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}
#endif
