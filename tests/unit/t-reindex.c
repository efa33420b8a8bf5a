/* t-reindex.c: an archive whose search index holds an older renderer's
 * plain text is indexed again, once (moderation_reindex_outdated, which
 * import, ingest, sync, serve and the moderation commands call first).
 *
 * The archive is made with the store API as an older slacklog left it: no
 * version in the settings, and the texts its renderer wrote (an
 * attachment's title with its link markup as text, a snippet without its
 * lines). Pages render from the stored JSON at read time and need nothing;
 * only these stored texts do. */
#include "unit.h"
#include "temp-archive.h"
#include "moderation.h"
#include "render/render.h"
#include "search/search.h"
#include "store/store.h"
#include <string.h>

static arena_t A;

/* The number of hits for q, and the first one's snippet in *snip. */
static int64_t hits(store_t *s, const char *q, const char **snip)
{
	search_req req = {.q = q, .qlen = strlen(q)};
	search_res r;
	*snip = "";
	if (search_run(s, &A, &req, &r) != SEARCH_OK)
		return -1;
	if (r.n)
		*snip = r.hits[0].snippet;
	return r.total;
}

static void add(store_t *s, const char *ts, const char *raw, const char *old_text)
{
	st_message m = {.channel_id = "C1", .ts = ts, .day = "2017-05-01", .user_id = "U1", .text = "",
			.raw = raw, .rawlen = strlen(raw), .plain = old_text, .plainlen = strlen(old_text)};
	CHECK(store_upsert_message(s, &m) == ST_INSERTED, "store %s with an older renderer's text", ts);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-reindex-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return 1;
	st_channel c = {.id = "C1", .name = "shapes", .kind = CH_PUBLIC};
	st_user u = {.id = "U1", .name = "ann", .display_name = "ann"};
	store_upsert_channel(s, &c);
	store_upsert_user(s, &u);
	add(s, "1493640000.000100",
	    "{\"bot_id\":\"B1\",\"attachments\":[{\"title\":\"<https://x.org/i/93|#93 Missing params>\"}]}",
	    "<https://x.org/i/93|#93 Missing params>");
	add(s, "1493640060.000100",
	    "{\"files\":[{\"title\":\"deploy.sh\",\"mode\":\"snippet\",\"preview\":\"make zebra\",\"lines_more\":2}]}",
	    "deploy.sh");
	add(s, "1493640120.000100", "{\"text\":\"plain words\"}", "plain words");

	const char *snip;
	CHECK(hits(s, "zebra", &snip) == 0, "before: the snippet's lines are not searchable");
	CHECK(hits(s, "Missing", &snip) == 1 && strstr(snip, "<https://x.org"), "before: the title's markup is in the text (%s)",
	      snip);

	int64_t n = moderation_reindex_outdated(s);
	CHECK(n == 3, "every message is indexed again (%lld)", (long long)n);
	CHECK(hits(s, "zebra", &snip) == 1, "after: the snippet's lines are found");
	CHECK(hits(s, "Missing", &snip) == 1 && !strstr(snip, "<https") && strstr(snip, "#93") &&
	      strstr(snip, "(https://x.org/i/93)"), "after: the title as the renderer writes it now (%s)", snip);
	CHECK(hits(s, "plain", &snip) == 1 && store_search_missing(s) == 0, "nothing lost, nothing missing");
	const char *v = store_get_setting(s, &A, "search_render");
	char want[16];
	snprintf(want, sizeof want, "%d", (int)RENDER_TEXT_VERSION);
	CHECK(v && strcmp(v, want) == 0, "the archive keeps the version its index is of (%s)", v ? v : "none");
	CHECK(moderation_reindex_outdated(s) == 0, "a second time there is nothing to do");

	/* an older version number: again; a newer one (an archive a later
	 * slacklog wrote to): left alone */
	CHECK(store_set_setting(s, "search_render", "1") == 0, "say the index is of version 1");
	CHECK(moderation_reindex_outdated(s) == 3, "indexed again");
	CHECK(store_set_setting(s, "search_render", "99") == 0, "say the index is of version 99");
	CHECK(moderation_reindex_outdated(s) == 0, "a newer index is not rendered by an older renderer");
	CHECK(hits(s, "zebra", &snip) == 1, "and stays searchable");

	/* a new archive: nothing to render, the version is written at once */
	char fresh[] = "/tmp/slacklog-t-reindex-new-XXXXXX";
	store_t *s2 = temp_archive(fresh);
	if (s2) {
		CHECK(moderation_reindex_outdated(s2) == 0, "a new archive: nothing to index");
		v = store_get_setting(s2, &A, "search_render");
		CHECK(v && strcmp(v, want) == 0, "and its version is set");
		store_close(s2);
		temp_archive_remove(fresh);
	}
	store_close(s);
	temp_archive_remove(path);
	arena_free(&A);
	UNIT_DONE();
}
