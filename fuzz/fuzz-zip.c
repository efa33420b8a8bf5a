/* fuzz-zip.c: libFuzzer target for the export walker on a zip (libarchive
 * reading the input from an in-memory file), and for the whole import of
 * what it yields into an in-memory archive.
 *
 * Invariants, beyond "no crash":
 *   - a zip that cannot be opened says why;
 *   - every name handed out passes walk_bad_name() (no absolute path,
 *     "..", backslash, control byte or invalid UTF-8) and is a file, not a
 *     directory; no entry read is larger than WALK_MAX_ENTRY;
 *   - a rewind walks the same entries again: same names, same bytes, same
 *     damage (import reads an export twice and relies on it);
 *   - importing the zip a second time into the same archive inserts
 *     nothing and leaves the totals as they were (an import is an
 *     idempotent upsert). */
#include "fuzz.h"
#include "cli.h"
#include "ingest/import.h"
#include "ingest/walk.h"
#include "lib/ts.h"

enum { MAX_ENTRIES = 256 };

static memfile file;

typedef struct entry {
	char *name;
	size_t len;
	uint64_t hash;
	int rc;
} entry;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cli_verbosity = 0;
	ts_set_zone("UTC");
	return 0;
}

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* One pass; pass 0 records the entries, pass 1 compares. Returns how
 * many entries were seen. */
static size_t walk_pass(walker *w, entry *e, size_t n0, int pass)
{
	buf_t b = BUF_INIT;
	const char *name;
	size_t n = 0;
	while ((name = walk_next(w)) != NULL && n < MAX_ENTRIES) {
		size_t len = strlen(name);
		const char *why = walk_bad_name(name, len);
		FUZZ_CHECK(!why, "entry [%s] handed out: %s", name, why);
		FUZZ_CHECK(name[len - 1] != '/', "directory entry [%s] handed out", name);
		int rc = walk_read(w, &b);
		FUZZ_CHECK(rc == 0 || rc == -1, "walk_read: %d", rc);
		FUZZ_CHECK((int64_t)b.len <= WALK_MAX_ENTRY, "entry [%s]: %zu bytes", name, b.len);
		uint64_t h = fnv(b.p, b.len);
		if (pass == 0) {
			e[n] = (entry){strdup(name), b.len, h, rc};
		} else {
			FUZZ_CHECK(n < n0, "the second pass has more entries than the first (%zu)", n0);
			FUZZ_CHECK(strcmp(e[n].name, name) == 0, "entry %zu: [%s], first [%s]", n, name, e[n].name);
			FUZZ_CHECK(e[n].rc == rc && e[n].len == b.len && e[n].hash == h,
				   "entry [%s] reads differently the second time: %d %zu, first %d %zu",
				   name, rc, b.len, e[n].rc, e[n].len);
		}
		n++;
	}
	buf_free(&b);
	return n;
}

/* Walk the zip twice; true when it has a JSON entry, something for an
 * import to read (opening an archive costs more than most walks). */
static bool walk_twice(void)
{
	char err[600] = "";
	walker *w = walk_open(file.path, &fuzz_quiet, err, sizeof err);
	if (!w) {
		FUZZ_CHECK(err[0], "walk_open failed without saying why");
		return false;
	}
	static entry e[MAX_ENTRIES];
	size_t n = walk_pass(w, e, 0, 0);
	bool damaged = walk_damaged(w);
	FUZZ_CHECK(walk_rewind(w, err, sizeof err) == 0, "rewind failed");
	size_t n2 = walk_pass(w, e, n, 1);
	FUZZ_CHECK(n2 == n, "%zu entries the second time, %zu the first", n2, n);
	FUZZ_CHECK(walk_damaged(w) == damaged, "damage seen in one pass only");
	bool json = false;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(e[i].name);
		json = json || (len > 5 && strcmp(e[i].name + len - 5, ".json") == 0);
		free(e[i].name);
	}
	walk_close(w);
	return json;
}

static void import_twice(void)
{
	char err[256];
	store_t *s = store_open(":memory:", STORE_CREATE | STORE_ALL, err, sizeof err);
	FUZZ_CHECK(s, "%s", err);
	import_totals t1, t2;
	st_totals s1, s2;
	if (import_path(s, file.path, 1, &t1) == 0) {
		FUZZ_CHECK(t1.messages == t1.inserted + t1.updated + t1.unchanged + t1.refused,
			   "%llu messages read, %llu stored", (unsigned long long)t1.messages,
			   (unsigned long long)(t1.inserted + t1.updated + t1.unchanged + t1.refused));
		FUZZ_CHECK(store_totals(s, &s1) == 0, "%s", store_errmsg(s));
		FUZZ_CHECK(import_path(s, file.path, 1, &t2) == 0, "the second import failed");
		FUZZ_CHECK(t2.inserted == 0, "the second import inserted %llu messages", (unsigned long long)t2.inserted);
		FUZZ_CHECK(t2.messages == t1.messages, "%llu messages read, then %llu",
			   (unsigned long long)t1.messages, (unsigned long long)t2.messages);
		FUZZ_CHECK(store_totals(s, &s2) == 0, "%s", store_errmsg(s));
		FUZZ_CHECK(memcmp(&s1, &s2, sizeof s1) == 0, "the second import changed the totals");
	}
	store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FUZZ_CHECK(memfile_set(&file, "export.zip", data, size) == 0, "memfd");
	if (walk_twice())
		import_twice();
	return 0;
}
