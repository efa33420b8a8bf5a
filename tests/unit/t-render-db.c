/* t-render-db.c: `slacklog render --db` resolves names from a real
 * archive. Builds a small SQLite archive with the store API, then runs the
 * command function itself with stdin and stdout redirected to files. */
#include "unit.h"
#include "cmd.h"
#include "store/store.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char *run(const char *db, const char *input, const char *flag)
{
	char in[] = "/tmp/slacklog-t-render-in-XXXXXX", out[] = "/tmp/slacklog-t-render-out-XXXXXX";
	int fi = mkstemp(in), fo = mkstemp(out);
	if (write(fi, input, strlen(input)) < 0)
		return NULL;
	lseek(fi, 0, SEEK_SET);
	fflush(stdout);
	int save_in = dup(0), save_out = dup(1);
	dup2(fi, 0);
	dup2(fo, 1);
	clearerr(stdin);
	char *argv[] = {"render", "--db", (char *)db, (char *)flag, NULL};
	int rc = cmd_render(flag ? 4 : 3, argv);
	fflush(stdout);
	dup2(save_in, 0);
	dup2(save_out, 1);
	close(save_in);
	close(save_out);
	clearerr(stdin);
	static char buf[4096];
	lseek(fo, 0, SEEK_SET);
	ssize_t n = read(fo, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fi);
	close(fo);
	unlink(in);
	unlink(out);
	return rc == 0 ? buf : NULL;
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-render-db-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "create archive (%s)", s ? "" : err);
	if (!s)
		return 1;
	st_user u = {.id = "U1", .name = "ann", .real_name = "Ann Example", .display_name = "annie"};
	st_channel c = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	st_channel g = {.id = "G1", .name = "secret", .kind = CH_PRIVATE};
	CHECK(store_upsert_user(s, &u) >= 0, "insert user");
	CHECK(store_upsert_channel(s, &c) >= 0, "insert channel");
	CHECK(store_upsert_channel(s, &g) >= 0, "insert private channel");
	CHECK(store_upsert_emoji(s, "partyparrot", "https://e.example/p.gif") >= 0, "insert custom emoji");
	CHECK(store_upsert_emoji(s, "yes", "alias:+1") >= 0, "insert custom alias");
	store_close(s);

	const char *msg = "{\"text\":\"<@U1|old> in <#C1|old> and <#G1> :partyparrot: :yes: <@U9|gone>\"}";
	CHECK_STR(run(path, msg, NULL),
		  "<div class=\"text\"><a class=\"mention\" href=\"/user.U1/\">@annie</a> in "
		  "<a class=\"channel\" href=\"/general/\">#general</a> and <a class=\"channel\" href=\"/secret/\">#secret</a> "
		  ":partyparrot: <span class=\"emoji\" title=\":yes:\">\xF0\x9F\x91\x8D</span> <span class=\"mention\">@gone</span></div>\n",
		  "render --db: current names, custom alias, unknown user unlinked");
	CHECK_STR(run(path, msg, "--text"), "@annie in #general and #secret :partyparrot: \xF0\x9F\x91\x8D @gone\n", "render --db --text");
	CHECK_STR(run(path, ":partyparrot:", "--mrkdwn"), ":partyparrot:\n", "custom emoji stays text without --remote-images");
	CHECK_STR(run(path, "{\"text\":\":partyparrot:\"}", "--remote-images"),
		  "<div class=\"text\"><img class=\"emoji\" src=\"https://e.example/p.gif\" alt=\":partyparrot:\" title=\":partyparrot:\"></div>\n",
		  "custom emoji image with --remote-images");
	CHECK(run("/nonexistent/dir/x.db", msg, NULL) == NULL, "a missing archive fails");
	unlink(path);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	UNIT_DONE();
}
