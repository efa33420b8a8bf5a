/* t-ingest-norm.c: Slack JSON -> store records (src/ingest/norm.c).
 * Expected values are worked out by hand from the rules in
 * ../shared/docs/slack-format.md, noted next to each check. */
#include "unit.h"
#include "ingest/norm.h"
#include "lib/ts.h"
#include "lib/utf8.h"
#include <stdlib.h>

static arena_t in, out;

static const jv *parse(const char *s)
{
	json_err err;
	const jv *v = json_parse(&in, s, strlen(s), &err, NULL);
	if (!v)
		printf("# parse error in test input: %s\n", err.msg);
	return v;
}

/* Normalize one message given as JSON text; returns norm_message's result. */
static int msg(const char *s, st_message *m, st_user *p, const char **why)
{
	arena_reset(&in);
	arena_reset(&out);
	return norm_message(&out, parse(s), s, strlen(s), "C1", m, p, why);
}

static void plain(void)
{
	st_message m;
	st_user p;
	const char *why = NULL;
	const char *s = "{\"type\":\"message\",\"user\":\"U1\",\"text\":\"hi\",\"ts\":\"1458969700.000002\"}";
	CHECK(msg(s, &m, &p, &why) == 0, "plain message accepted");
	CHECK_STR(m.channel_id, "C1", "channel id copied");
	CHECK_STR(m.ts, "1458969700.000002", "ts kept in canonical form");
	/* 1458969700 = 2016-03-26 05:21:40 UTC */
	CHECK_STR(m.day, "2016-03-26", "day of ts in UTC");
	CHECK_STR(m.user_id, "U1", "author from user");
	CHECK_STR(m.text, "hi", "text");
	CHECK(m.thread_ts == NULL && m.subtype == NULL && m.edited_ts == NULL && m.bot_id == NULL,
	      "absent fields are NULL");
	CHECK(m.rawlen == strlen(s) && memcmp(m.raw, s, m.rawlen) == 0, "raw is the original bytes");
	CHECK(!m.has_files && !m.has_links && m.nreactions == 0 && m.reply_count == 0, "no files, links, reactions");
	CHECK(p.id == NULL, "no user_profile, no profile record");
}

static void short_ts(void)
{
	st_message m;
	st_user p;
	const char *why;
	/* a JSON number and a short fraction both become SSSSSSSSSS.FFFFFF */
	CHECK(msg("{\"ts\":1458969700.5,\"text\":\"x\"}", &m, &p, &why) == 0, "ts as a JSON number");
	CHECK_STR(m.ts, "1458969700.500000", "number ts canonical");
	CHECK(msg("{\"ts\":\"1458969700\",\"thread_ts\":1458969600.1,\"reply_count\":\"3\"}", &m, &p, &why) == 0,
	      "ts without fraction");
	CHECK_STR(m.ts, "1458969700.000000", "ts without fraction canonical");
	CHECK_STR(m.thread_ts, "1458969600.100000", "thread_ts number canonical");
	CHECK(m.reply_count == 3, "reply_count given as a string");
	CHECK_STR(m.text, "", "missing text is empty");
}

static void rejected(void)
{
	st_message m;
	st_user p;
	const char *why = NULL;
	CHECK(msg("{\"type\":\"message\",\"text\":\"no ts\"}", &m, &p, &why) == -1, "message without ts refused");
	CHECK_STR(why, "no ts", "reason: no ts");
	CHECK(msg("{\"ts\":\"yesterday\"}", &m, &p, &why) == -1, "non-numeric ts refused");
	CHECK_STR(why, "ts is not a Slack timestamp", "reason: bad ts");
	CHECK(msg("{\"ts\":null}", &m, &p, &why) == -1, "null ts refused");
	CHECK(msg("[1,2]", &m, &p, &why) == -1, "an array is not a message");
	CHECK_STR(why, "not an object", "reason: not an object");
}

static void nulls(void)
{
	st_message m;
	st_user p;
	const char *why;
	const char *s = "{\"ts\":\"1.000001\",\"user\":null,\"bot_id\":null,\"text\":null,\"reactions\":null,"
			"\"files\":null,\"file\":null,\"attachments\":null,\"edited\":null,\"replies\":null,"
			"\"user_profile\":null,\"comment\":null}";
	CHECK(msg(s, &m, &p, &why) == 0, "nulls everywhere accepted");
	CHECK(m.user_id == NULL && m.bot_id == NULL && m.edited_ts == NULL, "null fields are NULL");
	CHECK_STR(m.text, "", "null text is empty");
	CHECK(!m.has_files && m.nreactions == 0 && p.id == NULL, "null arrays mean none");
	CHECK_STR(m.day, "1970-01-01", "ts 1 is 1970-01-01");
}

static void authors(void)
{
	st_message m;
	st_user p;
	const char *why;
	msg("{\"type\":\"message\",\"subtype\":\"file_comment\",\"ts\":\"1.0\",\"text\":\"c\","
	    "\"comment\":{\"id\":\"Fc1\",\"user\":\"U7\",\"comment\":\"c\"},\"file\":{\"id\":\"F1\"}}", &m, &p, &why);
	CHECK_STR(m.user_id, "U7", "file_comment author is comment.user");
	CHECK_STR(m.subtype, "file_comment", "subtype kept");
	CHECK(m.has_files, "single file object counts as files");
	msg("{\"subtype\":\"bot_message\",\"ts\":\"1.0\",\"bot_id\":\"B1\",\"username\":\"ci\",\"text\":\"\"}", &m, &p, &why);
	CHECK(m.user_id == NULL, "old bot message has no author");
	CHECK_STR(m.bot_id, "B1", "bot_id kept");
	CHECK_STR(m.username, "ci", "username kept");
	msg("{\"subtype\":\"some_future_subtype\",\"ts\":\"1.0\",\"user\":\"U1\"}", &m, &p, &why);
	CHECK_STR(m.subtype, "some_future_subtype", "unknown subtype kept as is");
}

static void reactions_and_edits(void)
{
	st_message m;
	st_user p;
	const char *why;
	msg("{\"ts\":\"10.000001\",\"user\":\"U1\",\"edited\":{\"user\":\"U1\",\"ts\":\"20\"},"
	    "\"reactions\":[{\"name\":\"clap::skin-tone-3\",\"users\":[\"U1\",\"U2\"],\"count\":5},"
	    "{\"name\":\"+1\",\"users\":[\"U3\"]},{\"users\":[\"U9\"],\"count\":1},"
	    "{\"name\":\"x\",\"count\":\"2\",\"users\":null}]}", &m, &p, &why);
	CHECK_STR(m.edited_ts, "0000000020.000000", "edited.ts canonical");
	CHECK(m.nreactions == 3, "reactions without a name dropped (3 of 4 kept)");
	CHECK_STR(m.reactions[0].name, "clap::skin-tone-3", "reaction name with skin tone");
	CHECK(m.reactions[0].count == 5, "count is authoritative over the users list");
	CHECK_STR(m.reactions[0].users, "U1,U2", "users joined with commas");
	CHECK(m.reactions[1].count == 1, "missing count: number of users");
	CHECK(m.reactions[2].count == 2 && strcmp(m.reactions[2].users, "") == 0, "count as string, users null");
}

static void files_and_links(void)
{
	st_message m;
	st_user p;
	const char *why;
	msg("{\"ts\":\"1.0\",\"files\":[]}", &m, &p, &why);
	CHECK(!m.has_files, "empty files[] is no files");
	msg("{\"ts\":\"1.0\",\"files\":[{\"id\":\"F1\",\"mode\":\"tombstone\"}]}", &m, &p, &why);
	CHECK(m.has_files, "files[] with a stub counts");
	msg("{\"ts\":\"1.0\",\"text\":\"see <https://example.org|this>\"}", &m, &p, &why);
	CHECK(m.has_links, "https link token");
	msg("{\"ts\":\"1.0\",\"text\":\"mail <mailto:a@b.c|a@b.c>\"}", &m, &p, &why);
	CHECK(m.has_links, "mailto link token");
	msg("{\"ts\":\"1.0\",\"text\":\"<@U1> and <#C1|general>\"}", &m, &p, &why);
	CHECK(!m.has_links, "mentions are not links");
	msg("{\"ts\":\"1.0\",\"text\":\"\",\"attachments\":[{\"from_url\":\"https://x.org\"}]}", &m, &p, &why);
	CHECK(m.has_links, "unfurled attachment is a link");
}

static void profile(void)
{
	st_message m;
	st_user p;
	const char *why;
	msg("{\"ts\":\"1.0\",\"user\":\"U5\",\"user_profile\":{\"image_72\":\"https://a/72.png\","
	    "\"real_name\":\"Harry Potter\",\"display_name\":\"\",\"name\":\"harry\"}}", &m, &p, &why);
	CHECK_STR(p.id, "U5", "profile for the author");
	CHECK_STR(p.name, "harry", "profile name");
	CHECK_STR(p.real_name, "Harry Potter", "profile real name");
	CHECK(p.display_name == NULL, "empty display name is NULL");
	CHECK_STR(p.avatar, "https://a/72.png", "profile avatar image_72");
	CHECK(p.raw && p.raw[0] == '{', "profile raw JSON kept");
	msg("{\"ts\":\"1.0\",\"user_profile\":{\"name\":\"ghost\"}}", &m, &p, &why);
	CHECK(p.id == NULL, "no author, no profile record");
}

static void zone(void)
{
	st_message m;
	st_user p;
	const char *why;
	/* 1451624400 = 2016-01-01 05:00 UTC = 2015-12-31 23:00 in Chicago (UTC-6) */
	CHECK(ts_set_zone("America/Chicago"), "zone set");
	msg("{\"ts\":\"1451624400.000100\"}", &m, &p, &why);
	CHECK_STR(m.day, "2015-12-31", "day in America/Chicago");
	ts_set_zone("UTC");
	msg("{\"ts\":\"1451624400.000100\"}", &m, &p, &why);
	CHECK_STR(m.day, "2016-01-01", "same ts in UTC");
}

static void repaired_raw(void)
{
	st_message m;
	st_user p;
	const char *why;
	const char *s = "{\"ts\":\"1.0\",\"text\":\"bad \xff byte\"}";
	msg(s, &m, &p, &why);
	CHECK(utf8_valid(m.raw, m.rawlen), "raw with invalid UTF-8 is written back repaired");
	CHECK(strstr(m.raw, "\xEF\xBF\xBD") != NULL, "the bad byte became U+FFFD in raw");
	CHECK(strstr(m.text, "\xEF\xBF\xBD") != NULL, "and in text");
}

static void users(void)
{
	st_user u;
	arena_reset(&in);
	const char *s = "{\"id\":\"U0BMYT2FL\",\"name\":\"abilinski\",\"deleted\":false,\"tz\":\"America/Chicago\","
			"\"profile\":{\"title\":\"\",\"real_name\":\"Harry Potter\",\"display_name\":\"hp\","
			"\"image_72\":\"https://x/72\"},\"is_bot\":false}";
	CHECK(norm_user(&out, parse(s), s, strlen(s), &u) == 0, "user accepted");
	CHECK_STR(u.id, "U0BMYT2FL", "user id");
	CHECK_STR(u.name, "abilinski", "handle");
	CHECK_STR(u.real_name, "Harry Potter", "real name from profile when not at top level");
	CHECK_STR(u.display_name, "hp", "display name");
	CHECK(u.title == NULL, "empty title is NULL");
	CHECK_STR(u.avatar, "https://x/72", "avatar image_72");
	CHECK_STR(u.tz, "America/Chicago", "tz");
	CHECK(u.rawlen == strlen(s), "raw kept");
	/* deleted users are sparse */
	s = "{\"id\":\"U2\",\"name\":\"gone\",\"deleted\":true,\"profile\":{}}";
	CHECK(norm_user(&out, parse(s), s, strlen(s), &u) == 0 && u.deleted && !u.is_bot && u.real_name == NULL,
	      "sparse deleted user");
	s = "{\"name\":\"noid\"}";
	CHECK(norm_user(&out, parse(s), s, strlen(s), &u) == -1, "user without id refused");
}

static void channels(void)
{
	st_channel c;
	arena_reset(&in);
	const char *s = "{\"id\":\"C061A0WJG\",\"name\":\"datajam\",\"created\":\"1433558319\",\"creator\":\"U1\","
			"\"is_archived\":true,\"members\":null,\"topic\":{\"value\":\"\",\"last_set\":\"0\"},"
			"\"purpose\":{\"value\":\"data\",\"creator\":\"U1\"}}";
	CHECK(norm_channel(&out, parse(s), s, strlen(s), CH_PUBLIC, &c) == 0, "channel accepted");
	CHECK_STR(c.name, "datajam", "channel name");
	CHECK(c.created == 1433558319, "created given as a string");
	CHECK(c.archived, "archived");
	CHECK(c.topic == NULL, "empty topic is NULL");
	CHECK_STR(c.purpose, "data", "purpose value");
	CHECK(c.kind == CH_PUBLIC, "kind as given");
	s = "{\"id\":\"D1\",\"created\":1,\"members\":[\"U1\",\"U2\"]}";
	CHECK(norm_channel(&out, parse(s), s, strlen(s), CH_DM, &c) == 0 && c.name == NULL && c.kind == CH_DM,
	      "DM has no name of its own");
	s = "{\"name\":\"x\"}";
	CHECK(norm_channel(&out, parse(s), s, strlen(s), CH_PUBLIC, &c) == -1, "channel without id refused");
}

/* Pretty-printed input is stored without the whitespace between tokens;
 * whitespace, escaped quotes and backslashes inside strings stay. */
static void compact_raw(void)
{
	st_message m;
	st_user p;
	const char *why = NULL;
	const char *s = "{\n    \"type\": \"message\",\n\t\"user\" : \"U1\",\r\n"
			"    \"text\": \"a  \\\"b\\\" \\\\\\n c\\\\\",\n"
			"    \"ts\": \"1458969700.000002\",\n    \"n\": [ 1, 2.5 ]\n}";
	const char *want = "{\"type\":\"message\",\"user\":\"U1\","
			   "\"text\":\"a  \\\"b\\\" \\\\\\n c\\\\\","
			   "\"ts\":\"1458969700.000002\",\"n\":[1,2.5]}";
	CHECK(msg(s, &m, &p, &why) == 0, "pretty-printed message accepted");
	CHECK(m.rawlen == strlen(want), "raw without whitespace between tokens has the compact length");
	CHECK_STR(m.raw, want, "raw keeps every string byte for byte, drops the indentation");
	CHECK_STR(m.text, "a  \"b\" \\\n c\\", "text decoded from the same strings");
}

int main(void)
{
	plain();
	short_ts();
	rejected();
	nulls();
	authors();
	reactions_and_edits();
	files_and_links();
	profile();
	zone();
	repaired_raw();
	compact_raw();
	users();
	channels();
	arena_free(&in);
	arena_free(&out);
	UNIT_DONE();
}
