/* t-ingest-walk.c: the export walker's name rules and directory listing,
 * entry classification, the folder -> conversation map (with a real store),
 * warning positions, and the reader/writer queue. */
#include "unit.h"
#include "ingest/batch.h"
#include "ingest/meta.h"
#include "ingest/names.h"
#include "ingest/walk.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int nwarn;
static char lastwarn[1024];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	nwarn++;
	snprintf(lastwarn, sizeof lastwarn, "%s", msg);
}

static void bad_names(void)
{
	CHECK(walk_bad_name("general/2016-01-01.json", 23) == NULL, "ordinary name accepted");
	CHECK(walk_bad_name("日本語/2016-01-01.json", strlen("日本語/2016-01-01.json")) == NULL, "UTF-8 name accepted");
	CHECK_STR(walk_bad_name("../etc/passwd", 13), "\"..\" in path", "parent directory refused");
	CHECK_STR(walk_bad_name("a/../../b.json", 14), "\"..\" in path", "inner .. refused");
	CHECK_STR(walk_bad_name("/etc/passwd", 11), "absolute path", "absolute path refused");
	CHECK_STR(walk_bad_name("general\\2016-01-01.json", 23), "backslash in name", "backslash refused");
	CHECK_STR(walk_bad_name("C:x.json", 8), "drive letter in name", "drive letter refused");
	CHECK_STR(walk_bad_name("a\0b.json", 8), "NUL byte in name", "NUL refused");
	CHECK_STR(walk_bad_name("a\nb.json", 8), "control character in name", "newline refused");
	CHECK_STR(walk_bad_name("bad\xff.json", 9), "name is not valid UTF-8", "invalid UTF-8 refused");
	CHECK_STR(walk_bad_name("a//b.json", 9), "empty path component", "empty component refused");
	CHECK(walk_bad_name("..json", 6) == NULL, "a name merely starting with dots is fine");
}

static void classify(void)
{
	size_t n = 99;
	CHECK(meta_classify("users.json", &n) == ENT_META && n == 0, "root metadata");
	CHECK(meta_classify("canvases.json", &n) == ENT_META, "unknown top-level json is metadata");
	CHECK(meta_classify("general/2016-01-15.json", &n) == ENT_DAY && n == 7, "day file, folder length 7");
	CHECK(meta_classify("general/2016-02-30.json", &n) == ENT_OTHER, "not a calendar day");
	CHECK(meta_classify("general/notes.json", &n) == ENT_OTHER, "other file in a folder");
	CHECK(meta_classify("general/attachments/2016-01-15.json", &n) == ENT_OTHER, "too deep");
	CHECK(meta_classify("README.txt", &n) == ENT_OTHER, "not json");
	CHECK(meta_classify("teams/T1/users.json", &n) == ENT_META && n == 9, "workspace metadata, prefix teams/T1/");
	CHECK(meta_classify("teams/T1/general/2016-01-15.json", &n) == ENT_DAY && n == 16,
	      "workspace day file, folder teams/T1/general");
	CHECK(meta_classify("teams/2016-01-15.json", &n) == ENT_DAY && n == 5, "a channel named teams");
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void directory(void)
{
	char dir[] = "/tmp/slacklog-t-walk-XXXXXX";
	if (!mkdtemp(dir))
		return;
	char sub[600];
	snprintf(sub, sizeof sub, "%s/general", dir);
	mkdir(sub, 0700);
	put(dir, "users.json", "[]");
	put(dir, "general/2016-01-02.json", "[1]");
	put(dir, "general/2016-01-01.json", "[]");
	put(dir, "bad\\name.json", "[]");
	warner w = {collect, NULL};
	char err[256];
	nwarn = 0;
	walker *wk = walk_open(dir, &w, err, sizeof err);
	CHECK(wk != NULL, "directory opened");
	if (!wk)
		return;
	const char *want[] = {"general/2016-01-01.json", "general/2016-01-02.json", "users.json"};
	const char *got;
	size_t i = 0;
	buf_t b = BUF_INIT;
	while ((got = walk_next(wk)) != NULL && i < 3) {
		CHECK_STR(got, want[i], "entry %zu in byte order", i);
		if (i == 1)
			CHECK(walk_read(wk, &b) == 0 && strcmp(buf_str(&b), "[1]") == 0, "entry contents read");
		i++;
	}
	CHECK(i == 3 && got == NULL, "three entries, the backslash one skipped");
	CHECK(nwarn == 1 && strstr(lastwarn, "backslash in name"), "skipped entry warned about: %s", lastwarn);
	CHECK(walk_rewind(wk, err, sizeof err) == 0 && (got = walk_next(wk)) && strcmp(got, want[0]) == 0, "rewind starts over");
	walk_close(wk);
	buf_free(&b);
	CHECK(walk_open("/nonexistent/export", &w, err, sizeof err) == NULL && strstr(err, "/nonexistent/export"),
	      "missing path fails with its name");
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# cleanup failed\n");
}

static void positions(void)
{
	const char *text = "[\n  {\"a\": 1},\n  {\"b\": \"\xc3\xa9\"}, {\"c\": 3}\n]";
	locator l;
	size_t line, col;
	locator_init(&l, text);
	locator_at(&l, strstr(text, "{\"a\""), &line, &col);
	CHECK(line == 2 && col == 3, "first item at 2:3");
	locator_at(&l, strstr(text, "{\"c\""), &line, &col);
	/* line 3: two spaces, {"b": "é"} (10 characters, é counts once), ", " */
	CHECK(line == 3 && col == 15, "third item at 3:15 (columns count characters): %zu:%zu", line, col);
}

/* A new store on a temporary file named after path (a mkstemp pattern). */
static store_t *temp_store(char *path)
{
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "store opened");
	return s;
}

static void drop_store(const char *path)
{
	unlink(path);
	char side[600];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* A store on a temporary file with the metadata of a small export. */
static void folders(void)
{
	char path[] = "/tmp/slacklog-t-meta-XXXXXX", err[256];
	store_t *s = temp_store(path);
	if (!s)
		return;
	warner w = {collect, NULL};
	nwarn = 0;
	meta *m = meta_new(s, &w, "export");
	store_begin(s);
	/* dms.json comes before users.json in an export: names resolve at the end */
	const char *dms = "[{\"id\":\"D0AAAAAAA1\",\"created\":1,\"members\":[\"U1\",\"U2\"]}]";
	const char *users = "[{\"id\":\"U1\",\"name\":\"alice\"},{\"id\":\"U2\",\"name\":\"bob\"},{\"name\":\"noid\"}]";
	const char *chans = "[{\"id\":\"C1\",\"name\":\"general\",\"created\":\"1\"},"
			    "{\"id\":\"C2\",\"name\":\"secret\",\"is_private\":true}]";
	const char *groups = "[{\"id\":\"G1\",\"name\":\"mpdm-alice--bob--carol-1\",\"is_mpim\":true},"
			     "{\"id\":\"G2\",\"name\":\"staff\"}]";
	CHECK(meta_file(m, "dms.json", 0, dms, strlen(dms)) == 0, "dms.json read");
	CHECK(meta_file(m, "users.json", 0, users, strlen(users)) == 0, "users.json read");
	CHECK(nwarn == 1 && strstr(lastwarn, "export: users.json:1:") && strstr(lastwarn, "without an id"),
	      "user without id warned with its position: %s", lastwarn);
	CHECK(meta_file(m, "channels.json", 0, chans, strlen(chans)) == 0, "channels.json read");
	CHECK(meta_file(m, "groups.json", 0, groups, strlen(groups)) == 0, "groups.json read");
	meta_day_folder(m, "general", 7);
	meta_day_folder(m, "notes", 5);
	meta_day_folder(m, "teams/T1/general", 16);
	CHECK(meta_finish(m) == 0, "metadata stored");
	store_commit(s);
	const conv *c = meta_folder(m, "general", 7);
	CHECK(c && strcmp(c->id, "C1") == 0 && c->kind == CH_PUBLIC, "folder by channel name");
	c = meta_folder(m, "C1", 2);
	CHECK(c && strcmp(c->id, "C1") == 0, "folder by channel ID");
	c = meta_folder(m, "secret", 6);
	CHECK(c && c->kind == CH_PRIVATE, "is_private in channels.json makes it private");
	c = meta_folder(m, "mpdm-alice--bob--carol-1", 24);
	CHECK(c && c->kind == CH_MPIM, "is_mpim in groups.json makes it an MPIM");
	c = meta_folder(m, "staff", 5);
	CHECK(c && c->kind == CH_PRIVATE, "groups.json is private");
	c = meta_folder(m, "D0AAAAAAA1", 10);
	CHECK(c && c->kind == CH_DM && strcmp(c->name, "alice--bob") == 0, "DM by ID, named after its members");
	c = meta_folder(m, "teams/T1/general", 16);
	CHECK(c && strcmp(c->id, "C1") == 0, "workspace folder falls back to the root's channels");
	/* X + first 10 hex digits of sha1("notes"), from python's hashlib */
	c = meta_folder(m, "notes", 5);
	CHECK(c && strcmp(c->id, "X3ADD7B9612") == 0 && c->kind == CH_PRIVATE, "undescribed folder: synthetic private");
	CHECK(strstr(lastwarn, "notes/: no metadata file describes this folder"), "undescribed folder warned: %s",
	      lastwarn);
	CHECK(meta_user_known(m, "U1") && !meta_user_known(m, "U9"), "users.json users are known");
	CHECK_STR(meta_user_shown(m, "U2"), "bob", "shown name falls back to the handle");
	CHECK_STR(meta_channel_name(m, "G2"), "staff", "conversation name by ID");
	CHECK(meta_channel_name(m, "C404") == NULL, "unknown conversation ID");
	const meta_counts *n = meta_counts_of(m);
	CHECK(n->users == 2 && n->conversations == 6 && n->undescribed == 1, "counts: 2 users, 6 conversations");
	arena_t a = {0};
	const st_channel *ch = store_channel_by_id(s, &a, "X3ADD7B9612");
	CHECK(ch == NULL, "synthetic private channel is not published");
	store_close(s);
	s = store_open(path, STORE_READONLY | STORE_ALL, err, sizeof err);
	ch = s ? store_channel_by_id(s, &a, "X3ADD7B9612") : NULL;
	CHECK(ch && strcmp(ch->name, "notes") == 0, "synthetic channel stored under the folder name");
	ch = s ? store_channel_by_id(s, &a, "D0AAAAAAA1") : NULL;
	CHECK(ch && ch->kind == CH_DM && !ch->published, "DM stored, unpublished");
	store_close(s);
	arena_free(&a);
	meta_free(m);
	drop_store(path);
}

enum { NBATCH = 200 };

static void *producer(void *arg)
{
	bqueue *q = arg;
	for (int i = 0; i < NBATCH; i++) {
		batch *b = batch_new();
		b->files_done = (uint64_t)i;
		if (bq_put(q, b) != 0)
			break;
	}
	bq_close(q);
	return NULL;
}

static void queue(void)
{
	bqueue q;
	bq_init(&q, 2);
	pthread_t th;
	pthread_create(&th, NULL, producer, &q);
	int n = 0, in_order = 1, max_depth = 0;
	batch *b;
	while ((b = bq_take(&q)) != NULL) {
		in_order &= b->files_done == (uint64_t)n;
		n++;
		if ((int)q.n > max_depth)
			max_depth = (int)q.n;
		batch_free(b);
	}
	pthread_join(th, NULL);
	bq_destroy(&q);
	CHECK(n == NBATCH && in_order, "all batches through the queue, in order");
	CHECK(max_depth <= 2, "queue never deeper than its bound");
	/* the consumer gives up: the producer's next put fails */
	bq_init(&q, 1);
	bq_abort(&q);
	CHECK(bq_put(&q, batch_new()) == -1, "put after abort fails");
	bq_destroy(&q);
}

static void name_maps(void)
{
	names n = {0};
	CHECK(names_put(&n, "U1", NULL), "new ID added");
	CHECK(names_has(&n, "U1") && names_get(&n, "U1") == NULL, "present without a value");
	CHECK(!names_put(&n, "U1", "alice"), "second put of an ID is not new");
	CHECK_STR(names_get(&n, "U1"), "alice", "a value fills an empty one");
	names_put(&n, "U1", "mallory");
	CHECK_STR(names_get(&n, "U1"), "alice", "a value is not replaced");
	CHECK(!names_has(&n, "U2") && names_get(&n, "U2") == NULL, "absent ID");
	names_free(&n);
}

/* Conversation files are stored as they come, but the result is that of
 * reading them in the order of their kinds (channels, groups, MPIMs,
 * DMs): a folder goes to the first kind that names it, and the store
 * keeps the last kind's record of an ID. Here groups.json comes first and
 * describes C1 (under another name) as well as a group named like the
 * public channel. */
static void kind_order(void)
{
	char path[] = "/tmp/slacklog-t-meta-XXXXXX", err[256];
	store_t *s = temp_store(path);
	if (!s)
		return;
	warner w = {collect, NULL};
	meta *m = meta_new(s, &w, "export");
	store_begin(s);
	const char *groups = "[{\"id\":\"G9\",\"name\":\"general\"},{\"id\":\"C1\",\"name\":\"old-general\"}]";
	const char *chans = "[{\"id\":\"C1\",\"name\":\"general\"}]";
	CHECK(meta_file(m, "groups.json", 0, groups, strlen(groups)) == 0, "groups.json read first");
	CHECK(meta_file(m, "channels.json", 0, chans, strlen(chans)) == 0, "channels.json read second");
	CHECK(meta_finish(m) == 0, "metadata stored");
	store_commit(s);
	const conv *c = meta_folder(m, "general", 7);
	CHECK(c && strcmp(c->id, "C1") == 0 && c->kind == CH_PUBLIC, "folder name: the public channel wins over the group");
	c = meta_folder(m, "C1", 2);
	CHECK(c && strcmp(c->name, "general") == 0, "folder by ID: as channels.json names it");
	c = meta_folder(m, "old-general", 11);
	CHECK(c && strcmp(c->id, "C1") == 0, "the group file's name of C1 still maps to it");
	CHECK(meta_counts_of(m)->conversations == 3, "three conversation records read");
	arena_t a = {0};
	store_close(s);
	s = store_open(path, STORE_READONLY | STORE_ALL, err, sizeof err);
	const st_channel *ch = s ? store_channel_by_id(s, &a, "C1") : NULL;
	CHECK(ch && strcmp(ch->name, "old-general") == 0 && ch->kind == CH_PRIVATE,
	      "stored: C1 as groups.json, read last in kind order, describes it (%s)", ch ? ch->name : "-");
	store_close(s);
	arena_free(&a);
	meta_free(m);
	drop_store(path);
}

int main(void)
{
	bad_names();
	classify();
	directory();
	positions();
	folders();
	kind_order();
	name_maps();
	queue();
	UNIT_DONE();
}
