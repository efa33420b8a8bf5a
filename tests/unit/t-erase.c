/* t-erase.c: erasure's walk (src/store/erase.c) on records written by
 * hand: which objects become stand-ins and what they keep, how strings,
 * links and mentions are rewritten, where names count, and that a second
 * walk changes nothing. The identifiers are known here in plain text; the
 * store knows them by hash only. */
#include "unit.h"
#include "store/sqlite-int.h"

/* Ernestine: her ID, handle, names, email, her file, one of her messages. */
static const char *const hers[] = {"U0ERNIE01", "ernestine", "ernestinex", "Ernestine Erasewell",
				   "ernie@mail.example", "F0ERNFILE1", "C0GENERAL/1462093600.000500", NULL};

static bool theirs(void *ud, const char *s, size_t n)
{
	(void)ud;
	for (size_t i = 0; hers[i]; i++)
		if (strlen(hers[i]) == n && memcmp(hers[i], s, n) == 0)
			return true;
	return false;
}

static arena_t a;
static erase_ctx e = {theirs, NULL, &a};

/* The record after the walk ("" when unchanged), and a second walk of the
 * result changes nothing. */
static const char *json(const char *raw, bool names)
{
	size_t n;
	const char *r = erase_json(&e, raw, strlen(raw), names, &n);
	if (r)
		CHECK(erase_json(&e, r, n, names, &n) == NULL, "walking %.40s... again changes nothing", raw);
	return r ? r : "";
}

static const char *text(const char *t)
{
	size_t n;
	const char *r = erase_text(&e, t, strlen(t), false, &n);
	return r ? r : "";
}

int main(void)
{
	/* objects that are hers */
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"files\":[{\"id\":\"F0ERNFILE1\",\"user\":\"U0ERNIE01\",\"name\":\"z.pdf\","
		       "\"title\":\"Zanzibar\",\"preview\":\"secret\",\"mode\":\"hosted\",\"is_public\":true,\"size\":12,"
		       "\"permalink\":\"https://x.slack.com/files/ernestine/F0ERNFILE1/z.pdf\",\"shares\":{\"public\":{}}}]}",
		       true),
		  "{\"user\":\"U0QUINN01\",\"files\":[{\"id\":\"FERASED\",\"user\":\"UERASED\",\"is_public\":true,"
		  "\"erased\":true}]}",
		  "her file in another's message: IDs neutral, true/false kept, the rest gone");
	CHECK_STR(json("{\"subtype\":\"file_comment\",\"comment\":{\"id\":\"Fc01\",\"user\":\"U0ERNIE01\",\"comment\":\"hi\","
		       "\"is_intro\":false}}", true),
		  "{\"subtype\":\"file_comment\",\"comment\":{\"user\":\"UERASED\",\"is_intro\":false,\"erased\":true}}",
		  "her comment on a file");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"root\":{\"type\":\"message\",\"user\":\"U0ERNIE01\",\"ts\":\"1.000001\","
		       "\"text\":\"words\",\"user_profile\":{\"name\":\"ernestine\"}}}", true),
		  "{\"user\":\"U0QUINN01\",\"root\":{\"type\":\"message\",\"user\":\"UERASED\",\"ts\":\"1.000001\","
		  "\"erased\":true}}",
		  "a quoted message of hers: type and ts stay, nothing inside");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"attachments\":[{\"is_share\":true,\"author_name\":\"Ernestine Erasewell\","
		       "\"text\":\"words\"}]}", true),
		  "{\"user\":\"U0QUINN01\",\"attachments\":[{\"is_share\":true,\"author_name\":\"" ST_NEUTRAL_NAME "\","
		  "\"erased\":true}]}",
		  "a quote naming her only by name");
	CHECK_STR(json("{\"attachments\":[{\"is_msg_unfurl\":true,\"author_link\":\"https://x.slack.com/team/ernestine\","
		       "\"text\":\"words\"}]}", true),
		  "{\"attachments\":[{\"is_msg_unfurl\":true,\"erased\":true}]}", "a quote linking her profile by handle");
	CHECK_STR(json("{\"attachments\":[{\"is_share\":true,\"channel_id\":\"C0GENERAL\",\"ts\":\"1462093600.0005\","
		       "\"text\":\"words\"}]}", true),
		  "{\"attachments\":[{\"is_share\":true,\"ts\":\"1462093600.0005\",\"erased\":true}]}",
		  "a quote of one of her messages by channel and ts alone");
	CHECK_STR(json("{\"attachments\":[{\"is_share\":true,\"channel_id\":\"C0GENERAL\",\"ts\":\"1462093700.000600\","
		       "\"text\":\"words\"}]}", true),
		  "", "a quote of someone else's message stays");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"user_profile\":{\"name\":\"ernestine\",\"real_name\":\"Ernestine Erasewell\","
		       "\"image_72\":\"https://a/e.png\"}}", true),
		  "{\"user\":\"U0QUINN01\",\"user_profile\":{\"name\":\"" ST_NEUTRAL_NAME "\",\"real_name\":\"" ST_NEUTRAL_NAME
		  "\",\"erased\":true}}", "a profile snapshot of hers");
	CHECK_STR(json("{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":["
		       "{\"type\":\"text\",\"text\":\"hi \"},{\"type\":\"user\",\"user_id\":\"U0ERNIE01\"}]}]}]}", true),
		  "{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":["
		  "{\"type\":\"text\",\"text\":\"hi \"},{\"type\":\"user\",\"user_id\":\"UERASED\",\"erased\":true}]}]}]}",
		  "a rich-text mention keeps its type and names the erased ID");
	CHECK_STR(json("{\"edited\":{\"user\":\"U0ERNIE01\",\"ts\":\"5.000001\"}}", true),
		  "{\"edited\":{\"user\":\"UERASED\",\"ts\":\"5.000001\",\"erased\":true}}", "an edit by her");

	/* where names do not count */
	CHECK_STR(json("{\"attachments\":[{\"is_share\":true,\"author_id\":\"U0QUINN01\",\"author_name\":\"ernestinex\","
		       "\"text\":\"words\"}]}", true),
		  "", "a quote of someone else by ID who shares her display name stays");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"username\":\"ernestine\"}", true), "",
		  "the record's own members, its author named by ID: names do not count");
	CHECK_STR(json("{\"subtype\":\"bot_message\",\"username\":\"Ernestine Erasewell\",\"bot_profile\":"
		       "{\"id\":\"B0BOT\",\"name\":\"ernestinex\",\"icons\":{\"image_72\":\"https://a/e.png\"}}}", true),
		  "{\"subtype\":\"bot_message\",\"username\":\"" ST_NEUTRAL_NAME "\",\"bot_profile\":{\"name\":\""
		  ST_NEUTRAL_NAME "\",\"erased\":true}}",
		  "an app posting under her name, with a profile of hers");
	CHECK_STR(json("{\"id\":\"U0QUINN01\",\"profile\":{\"display_name\":\"ernestinex\"}}", false), "",
		  "a user's record (names off): a namesake's profile stays");
	CHECK_STR(json("{\"id\":\"U0QUINN01\",\"profile\":{\"fields\":{\"Xf1\":{\"value\":\"U0ERNIE01\",\"alt\":\"\"}}}}",
		       false),
		  "{\"id\":\"U0QUINN01\",\"profile\":{\"fields\":{\"Xf1\":{\"value\":\"UERASED\",\"alt\":\"\"}}}}",
		  "a user's record: a profile field naming her by ID, no stand-in");
	CHECK_STR(json("{\"id\":\"C1\",\"topic\":{\"value\":\"Ask <@U0ERNIE01|ernestine>\",\"creator\":\"U0ERNIE01\"}}",
		       false),
		  "{\"id\":\"C1\",\"topic\":{\"value\":\"Ask \\u003c@UERASED\\u003e\",\"creator\":\"UERASED\"}}",
		  "a channel's record: a topic she set stays, under the erased ID");

	/* strings */
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"inviter\":\"U0ERNIE01\",\"reply_users\":[\"U0PAT0001\",\"U0ERNIE01\"],"
		       "\"x_files\":[\"F0ERNFILE1\"],\"reactions\":[{\"name\":\"eyes\",\"users\":[\"U0ERNIE01\"],\"count\":1}]}",
		       true),
		  "{\"user\":\"U0QUINN01\",\"inviter\":\"UERASED\",\"reply_users\":[\"U0PAT0001\",\"UERASED\"],"
		  "\"x_files\":[\"FERASED\"],\"reactions\":[{\"name\":\"eyes\",\"users\":[\"UERASED\"],\"count\":1}]}",
		  "IDs in members and lists");
	CHECK_STR(json("{\"pinned_info\":{\"U0ERNIE01\":{\"at\":1}}}", true),
		  "{\"pinned_info\":{\"UERASED\":{\"at\":1}}}", "an ID as a key");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"text\":\"hi <@U0ERNIE01|ernestine>\"}", true),
		  "{\"user\":\"U0QUINN01\",\"text\":\"hi \\u003c@UERASED\\u003e\"}", "a mention in the text");
	CHECK_STR(text("<@U0QUINN01|quinn> commented on U0ERNIE01's file "
		       "<https://x.slack.com/files/ernestine/F0ERNFILE1/z.pdf|Zanzibar>: nice"),
		  "<@U0QUINN01|quinn> commented on UERASED's file " ST_NEUTRAL_FILE ": nice",
		  "an old file comment's text: a link to her file, her bare ID");
	CHECK_STR(text("see <https://x.slack.com/team/ernestine|her profile> or <mailto:ernie@mail.example|mail>"),
		  "see <@UERASED> or <@UERASED>", "links naming her by handle or email");
	CHECK_STR(text("read <https://example.com/a|Ernestine Erasewell> and <https://example.com/b|@ernestinex>"),
		  "read <https://example.com/a|" ST_NEUTRAL_NAME "> and <https://example.com/b|" ST_NEUTRAL_NAME ">",
		  "a link labelled with her name keeps its target");
	CHECK_STR(text("Group messaging with: @pat @ernestine."), "Group messaging with: @pat @" ST_NEUTRAL_NAME ".",
		  "her handle typed after an @");
	CHECK_STR(text("ernestine wrote to ernie@mail.example and @ernestinexx"), "",
		  "other words are not looked at (an email's part after @ is not a handle)");
	CHECK_STR(text("ask <@U0QUINN01> about UERASED and F0OTHER001"), "", "others and the erased IDs stay");
	CHECK_STR(text("U0ERNIE01x and xU0ERNIE01 and U0ERNIE01"), "U0ERNIE01x and xU0ERNIE01 and UERASED",
		  "an ID inside a longer word is not one");
	CHECK_STR(text("a < b > c <> <@U0ERNIE01"), "a < b > c <> <@UERASED", "no link without both brackets, the ID goes");
	CHECK_STR(json("not json U0ERNIE01", true), "not json UERASED", "what is not JSON loses her IDs");
	CHECK_STR(json("{\"user\":\"U0QUINN01\",\"text\":\"nothing of hers\",\"files\":[{\"id\":\"F0OTHER001\"}]}", true),
		  "", "a record naming nobody erased is left as it is");
	arena_free(&a);
	UNIT_DONE();
}
