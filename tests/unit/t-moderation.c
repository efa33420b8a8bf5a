/* t-moderation.c: the store's moderation (store.h): stand-ins, the neutral
 * record, takedowns, erasure's refusals and rewrites, the publish policy. */
#include "unit.h"
#include "store/store.h"
#include "lib/json.h"
#include <stdlib.h>
#include <unistd.h>

static st_message msg(const char *user, const char *ts, const char *thread, const char *raw)
{
	st_message m = {.channel_id = "C1", .ts = ts, .day = "2020-01-01", .thread_ts = thread, .user_id = user,
			.text = raw, .raw = raw, .rawlen = strlen(raw)};
	return m;
}

static const st_message *find(st_message *v, size_t n, const char *ts)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].ts, ts) == 0)
			return &v[i];
	return NULL;
}

static size_t day(store_t *s, arena_t *a, st_message **v)
{
	size_t n = 0;
	store_day_messages(s, a, "C1", "2020-01-01", false, v, &n);
	return n;
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-moderation-XXXXXX";
	close(mkstemp(path));
	unlink(path);
	char err[256];
	arena_t a = {0};
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "create archive");
	if (!s)
		return 1;
	st_channel pub = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	st_channel priv = {.id = "G1", .name = "club", .kind = CH_PRIVATE};
	st_channel dm = {.id = "D1", .name = "D1", .kind = CH_DM, .raw = "{\"members\":[\"U0AAAAAA1\",\"U0BBBBBB2\"]}"};
	dm.rawlen = strlen(dm.raw);
	store_upsert_channel(s, &pub);
	store_upsert_channel(s, &priv);
	store_upsert_channel(s, &dm);
	st_user ann = {.id = "U0AAAAAA1", .name = "ann", .display_name = "Ann"};
	st_user bob = {.id = "U0BBBBBB2", .name = "bob", .display_name = "Bob", .avatar = "https://x/b.png"};
	store_upsert_user(s, &ann);
	store_upsert_user(s, &bob);
	st_message m1 = msg("U0BBBBBB2", "0000000100.000001", "0000000100.000001", "{\"text\":\"bob starts\"}");
	st_message m2 = msg("U0AAAAAA1", "0000000200.000001", "0000000100.000001", "{\"text\":\"hi <@U0BBBBBB2>\"}");
	st_message m3 = msg("U0BBBBBB2", "0000000300.000001", NULL, "{\"text\":\"bob alone\"}");
	st_reaction r = {"wave", 2, "U0AAAAAA1,U0BBBBBB2"};
	m3.reactions = &r;
	m3.nreactions = 1;
	store_upsert_message(s, &m1);
	store_upsert_message(s, &m2);
	store_upsert_message(s, &m3);

	/* opt-out */
	CHECK(store_optout(s, "U0BBBBBB2", false) == 2, "opt-out hides both of his messages");
	CHECK(store_optout(s, "U0BBBBBB2", false) == ST_MOD_ALREADY, "opting him out again changes nothing");
	CHECK(store_optout(s, "U0AAAAAA1", true) == ST_MOD_ALREADY, "opting back in someone who never left changes nothing");
	CHECK(store_is_opted_out(s, "U0BBBBBB2") && !store_is_opted_out(s, "U0AAAAAA1"), "opted out: him only");
	st_message *v;
	size_t n = day(s, &a, &v);
	CHECK(n == 2, "day: the stand-in and the reply (n=%zu)", n);
	const st_message *p = find(v, n, "0000000100.000001");
	CHECK(p && p->withheld && !p->hidden && !p->raw && !p->user_id, "the thread parent is a blank stand-in");
	CHECK(!find(v, n, "0000000300.000001"), "his message without replies is left out");
	const st_user *u = store_user(s, &a, "U0BBBBBB2");
	CHECK(u && !strcmp(u->shown, ST_NEUTRAL_NAME) && !u->avatar && !u->name, "his record is the neutral one");
	CHECK(store_user_find(s, &a, "bob") == NULL, "not found by his handle");
	const st_message *one = store_message(s, &a, "C1", "0000000300.000001");
	CHECK(one && one->withheld && one->hidden && !one->raw, "asked for alone, his message is blank and hidden");
	CHECK(store_upsert_message(s, &m3) == ST_UNCHANGED, "the same message again changes nothing");
	CHECK(store_optout(s, "U0BBBBBB2", true) == 2, "undo shows both again");
	n = day(s, &a, &v);
	CHECK(n == 3 && !v[0].withheld, "day: all three back (n=%zu)", n);

	/* takedown */
	CHECK(store_redact(s, "C1", "0000000100.000001", true) == 2, "a thread takedown hides parent and reply");
	CHECK(store_redact(s, "C1", "0000000999.000001", false) == 0, "no such message: 0");
	n = day(s, &a, &v);
	CHECK(n == 1 && find(v, n, "0000000300.000001"), "day: only the other message (n=%zu)", n);
	CHECK(store_upsert_message(s, &(st_message){.channel_id = "C1", .ts = "0000000400.000001", .day = "2020-01-01",
						   .thread_ts = "0000000100.000001", .user_id = "U0AAAAAA1",
						   .raw = "{}", .rawlen = 2}) == ST_INSERTED, "a late reply arrives");
	n = day(s, &a, &v);
	CHECK(n == 1, "the late reply to a taken-down thread is hidden too (n=%zu)", n);
	CHECK(store_redact(s, "C1", "0000000100.000001", true) == ST_MOD_ALREADY, "the same takedown again changes nothing");
	CHECK(store_redact(s, "C1", "0000000100.000001", false) == ST_MOD_ALREADY,
	      "its parent alone: already down with the thread");
	CHECK(store_redact(s, "C1", "0000000200.000001", false) == ST_MOD_ALREADY, "a reply alone: already down too");
	CHECK(store_upsert_message(s, &(st_message){.channel_id = "C1", .ts = "0000000401.000001", .day = "2020-01-01",
						   .thread_ts = "0000000100.000001", .user_id = "U0AAAAAA1",
						   .raw = "{}", .rawlen = 2}) == ST_INSERTED, "another late reply arrives");
	n = day(s, &a, &v);
	CHECK(n == 1, "it is hidden too: taking the parent down alone did not narrow the thread's takedown (n=%zu)", n);
	CHECK(store_redact(s, "C1", "0000000300.000001", false) == 1, "a message alone is taken down");
	CHECK(store_redact(s, "C1", "0000000300.000001", true) == 1, "then with its thread: more, not already done");
	CHECK(store_redact(s, "C1", "0000000300.000001", true) == ST_MOD_ALREADY, "and that again changes nothing");

	/* erasure */
	CHECK(store_forget(s, "U0BBBBBB2") == 2, "erasure deletes his two messages");
	CHECK(store_is_erased(s, "U0BBBBBB2"), "he is recorded as erased");
	CHECK(store_user(s, &a, "U0BBBBBB2") == NULL, "his profile is gone");
	CHECK(store_upsert_user(s, &bob) == ST_REFUSED, "his profile is refused");
	CHECK(store_upsert_message(s, &m3) == ST_REFUSED, "his message is refused");
	const st_message *m = store_message(s, &a, "C1", "0000000200.000001");
	CHECK(m && m->withheld, "ann's reply stays taken down");
	st_message m5 = msg("U0AAAAAA1", "0000000500.000001", NULL, "{\"text\":\"bye <@U0BBBBBB2>\"}");
	m5.plain = "bye @Bob";
	m5.plainlen = 8;
	m5.reactions = &r;
	m5.nreactions = 1;
	CHECK(store_upsert_message(s, &m5) == ST_INSERTED, "a new message mentioning him is stored");
	m = store_message(s, &a, "C1", "0000000500.000001");
	json_err jerr;
	const jv *j = m ? json_parse(&a, m->raw, m->rawlen, &jerr, NULL) : NULL;
	CHECK_STR(json_getstr(j, "text"), "bye <@" ST_ERASED_ID ">", "the mention names the erased label");
	CHECK(m && m->nreactions == 1 && m->reactions[0].count == 1, "his reaction is left out");
	CHECK_STR(m && m->nreactions ? m->reactions[0].users : NULL, "U0AAAAAA1", "ann's reaction stays");
	CHECK(store_search_missing(s) == 1, "its plain text (which named him) waits to be indexed again");
	CHECK_STR(store_user(s, &a, ST_ERASED_ID) ? store_user(s, &a, ST_ERASED_ID)->shown : NULL, ST_NEUTRAL_NAME,
		  "the erased label reads as the neutral name");
	CHECK(store_reaction_add(s, "C1", "0000000500.000001", "wave", "U0BBBBBB2") == 0 &&
	      store_message(s, &a, "C1", "0000000500.000001")->reactions[0].count == 1, "his live reaction is ignored");
	CHECK(store_set_setting(s, "ev:user:U0BBBBBB2", "0000000600.000000 ") == 0 &&
	      store_get_setting(s, &a, "ev:user:U0BBBBBB2") == NULL, "the order of events about him is not kept");
	CHECK(store_set_setting(s, "ev:ch:C1:topic", "0000000600.000000 ask <@U0BBBBBB2|bob>") == 0, "a topic naming him");
	CHECK_STR(store_get_setting(s, &a, "ev:ch:C1:topic"), "0000000600.000000 ask <@" ST_ERASED_ID ">",
		  "is kept with the erased label");
	st_user cy = {.id = "U0CCCCCC3", .name = "cy", .raw = "{\"id\":\"U0CCCCCC3\",\"manager\":\"U0BBBBBB2\"}"};
	cy.rawlen = strlen(cy.raw);
	CHECK(store_upsert_user(s, &cy) == ST_UPDATED, "someone whose profile names him is stored");
	const st_user *got = store_user(s, &a, "U0CCCCCC3");
	CHECK_STR(got ? got->raw : NULL, "{\"id\":\"U0CCCCCC3\",\"manager\":\"" ST_ERASED_ID "\"}",
		  "with the erased ID in his place");
	CHECK(store_upsert_channel(s, &dm) == ST_UPDATED, "the DM comes back from an old export");
	const st_channel *c = store_channel_by_id(s, &a, "D1");
	CHECK(c == NULL, "but is never published");

	/* publish policy */
	char *pubs[] = {"club", "D1", NULL}, *unpubs[] = {"general", NULL};
	CHECK(store_set_publish_policy(s, pubs, unpubs) == 2, "the lists change two channels");
	CHECK(store_channel_by_name(s, &a, "club") != NULL, "the named private channel is published");
	CHECK(store_channel_by_name(s, &a, "general") == NULL, "the unpublished public one is not");
	CHECK(store_upsert_channel(s, &(st_channel){.id = "G1", .name = "club", .kind = CH_PRIVATE, .topic = "new"}) ==
		      ST_UPDATED && store_channel_by_name(s, &a, "club"), "an import keeps the policy");
	char *none[] = {NULL};
	CHECK(store_set_publish_policy(s, none, none) == 2, "empty lists: back to public only");

	st_modlog *log;
	CHECK(store_modlog_add(s, "me", "optout", "U0AAAAAA1", "why") == 0 && store_modlog(s, &a, &log, &n) == 0 &&
	      n == 1 && !strcmp(log[0].reason, "why") && log[0].at > 0, "the audit log keeps an entry");
	store_close(s);
	arena_free(&a);
	unlink(path);
	char wal[64];
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	unlink(wal);
	UNIT_DONE();
}
