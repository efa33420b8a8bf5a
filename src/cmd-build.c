/* cmd-build.c: `slacklog build OUTDIR`, the archive as static files.
 *
 * Every URL that publish.c lists is fetched with page_get(), the function
 * the server answers with, and written where a static server finds it at
 * the same URL ("/general/2016-03-14/" -> general/2016-03-14/index.html),
 * so the files are byte for byte what `slacklog serve` sends with the same
 * settings. Legacy "/{channel}/{day}.html" URLs, which the server answers
 * with a 301, become small pages that refresh to the new address.
 *
 * Incremental: OUTDIR.slacklog-build, beside OUTDIR (where_to), lists
 * each file written with the hash of its content, under a header naming
 * the archive (by a hash), the store's change sequence the files are as
 * of, and a fingerprint of the settings and of this program. With the
 * same archive, settings and program, only
 * URLs whose content may have changed since that sequence are rendered
 * (publish.c decides which from the store's change log) and files of new
 * URLs; other listed files are left alone, without a look: the list is of
 * a build that finished, so they are there as it wrote them (--verify
 * checks that each is still there, and renders those that are not). Anything
 * else renders every URL. A rendered file whose content has the listed
 * hash (and is still there, with that size) is not touched; files listed
 * before and not published any more are removed.
 *
 * With only some things changed, the walk is narrow (publish.c): it lists
 * the URLs that may have changed and every URL of the scopes around them
 * (a channel, a person, the site's own files), and the list is read only
 * there: a finished build writes it sorted, with its number of lines, and
 * the next one maps it and finds its lines by binary search. Files under
 * no scope keep their lines, copied as they are. So a new day in a
 * million-message archive looks at 5,100 files (its channel's), not 347,000.
 *
 * Before writing, the list is replaced by the union of the old and the
 * new file sets under the old sequence, so a build killed half way leaves
 * a list that still covers every file it may have written and renders
 * again what it was rendering; the next build finishes the job. Each
 * file is written to a temporary name in its own directory and renamed,
 * so a site served during a build never shows a half-written page;
 * except in a first build (no list: a new site, not served yet), whose
 * files are created in place, a rename fewer each. A first build killed
 * half way leaves a list under no sequence: the next renders and writes
 * every file again.
 *
 * Jobs are threads, each with its own read-only store handle (site.c),
 * each taking the items of its own part of the list (take()). */
#include "cmd.h"
#include "cli.h"
#include "pages/pages.h"
#include "render/html.h"
#include "settings.h"
#include "web/conf.h"
#include "lib/buf.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: slacklog build [--db FILE] [--base-url URL] [--search-url URL]\n"
	"                      [--config FILE] [--jobs N] [--verify] [--force] [-q] OUTDIR\n"
	"\n"
	"Write the published archive to OUTDIR as static files: every page at the\n"
	"URL `slacklog serve` gives it (DIR/index.html), the same bytes; redirect\n"
	"pages for the old /{channel}/{day}.html addresses; robots.txt, sitemaps,\n"
	"Atom feeds, the JSON API documents and the stylesheet. Run again after an\n"
	"import: only files whose content changed are written, and files of\n"
	"content no longer published are removed. The list of the files written\n"
	"is kept beside OUTDIR, as OUTDIR.slacklog-build, where a server of OUTDIR\n"
	"does not publish it. OUTDIR must be empty, missing or an earlier build.\n"
	"\n"
	"  --db FILE          the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --base-url URL     public address: canonical links, sitemaps, feeds\n"
	"  --search-url URL   where the search box sends queries (default: no box)\n"
	"  --config FILE      settings file, as for serve (site_title, ...)\n"
	"  --jobs N           parallel jobs (default: one per core)\n"
	"  --verify           check that every file the last build wrote is still\n"
	"                     there (and write those that are not)\n"
	"  --force            build into a directory that holds other files: the\n"
	"                     build's replace those of the same name, no other is touched\n"
	"  -q, --quiet        print nothing but errors\n";

#define LIST_SUFFIX ".slacklog-build"   /* the list: OUTDIR.slacklog-build */
#define OLD_LIST "/.slacklog-build"     /* where builds before kept it, in OUTDIR */
#define TMP_SUFFIX ".slacklog-tmp"
#define HEADER "# slacklog-build"

typedef struct item {
	char *path;                   /* URL path, decoded, from "/" */
	char *file;                   /* relative file name in OUTDIR (in path's block) */
	unsigned kind;
	char hash[17];                /* of the content written (or listed) */
	bool dirty;                   /* may have changed since the listed sequence */
	bool listed;                  /* in the list as it was */
	bool done, written;
	bool with_prev;               /* taken with the item before it */
} item;

/* What the list's header says the listed files are as of. */
typedef struct mark {
	int64_t seq;                  /* -1: unknown (render everything) */
	int64_t files;                /* lines of a finished, sorted list; -1 */
	char archive[40];
	char conf[24];
	bool complete;                /* the build that wrote it finished */
} mark;

typedef struct old_entry {
	char *file;                   /* in the list's text (a copy, mapped) */
	size_t off, len;              /* the line in the mapped text */
	char hash[17];
	bool keep;                    /* listed again by this build */
	bool retain;                  /* not looked at (narrow): as it was */
} old_entry;

typedef struct build {
	site_t *site;
	const conf_t *conf;
	const char *out;
	char *list;                   /* the file list, beside out (where_to) */
	const char *from;             /* the list to read: list, oldlist or NULL */
	char *oldlist;                /* an older build's, in out: removed once list is written */
	item *items;
	size_t n, cap;
	old_entry *old;
	size_t nold;
	char *oldtext;                /* the list as read */
	const char *map;              /* the list, mapped (lines from body) */
	size_t maplen, body;
	struct region *reg;           /* what each job has left to take */
	int nreg;
	pthread_mutex_t take;         /* guards reg */
	size_t ndone, nwritten, nunchanged, nfailed, nrendered;
	progress prog;
	mark was, now;                /* the list's header; this build's */
	int64_t since;                /* render what changed after this (-1: all) */
	bool verify;                  /* stat() listed files nothing changed */
	bool fresh;                   /* no list: create files in place */
	bool foreign;                 /* out held files no build wrote (--force): replace them atomically */
	bool narrow;                  /* the walk listed what changed (scopes) */
	bool mapped;                  /* old[] holds only the lines it needs */
	char **scopes;                /* its scopes, as file names, sorted */
	size_t nscopes, capscopes;
	size_t nretained;             /* listed files out of every scope */
} build;

/* ---- the file list ---------------------------------------------------- */

static bool safe_path(const char *p)
{
	if (p[0] != '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") || strchr(p, '\\'))
		return false;
	size_t n = strlen(p);
	return !(n >= 2 && strcmp(p + n - 2, "/.") == 0) && !(n >= 3 && strcmp(p + n - 3, "/..") == 0);
}

/* A scope of a narrow walk (pages.h), as a file name: "general/" covers
 * the files under it, "api.v1/users/U1.json" itself. */
static void add_scope(build *b, const char *path)
{
	if (!strcmp(path, "/")) {
		b->narrow = true;
		return;
	}
	if (!strcmp(path, "*") || !safe_path(path))
		return;
	if (b->nscopes == b->capscopes)
		b->scopes = xrealloc(b->scopes, (b->capscopes = b->capscopes ? b->capscopes * 2 : 64) * sizeof *b->scopes);
	b->scopes[b->nscopes++] = xstrdup(path + 1);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_url(void *ud, unsigned kind, const char *path, int64_t changed, bool dirty)
{
	(void)changed;
	build *b = ud;
	if (kind == URL_SCOPE) {
		add_scope(b, path);
		return 0;
	}
	if (!safe_path(path)) {
		log_warn("skipping a URL that cannot be a file name: %s", path);
		return 0;
	}
	if (b->n == b->cap)
		b->items = xrealloc(b->items, (b->cap = b->cap ? b->cap * 2 : 1024) * sizeof *b->items);
	item *it = &b->items[b->n++];
	memset(it, 0, sizeof *it);
	/* one block: the path, then the file name */
	size_t n = strlen(path);
	const char *index = path[n - 1] == '/' ? "index.html" : "";
	it->path = xmalloc(2 * n + 11);
	memcpy(it->path, path, n + 1);
	it->file = it->path + n + 1;
	memcpy(it->file, path + 1, n - 1);
	strcpy(it->file + n - 1, index);
	it->kind = kind;
	it->dirty = dirty;
	/* a day's redirect stub, API document and the documents of threads
	 * that start that day follow its page in the walk: one job takes them
	 * together (the page's rendering is kept for the documents, ui-memo.c) */
	it->with_prev = kind == URL_LEGACY ||
			(kind == URL_API && strncmp(path, "/api.v1/channels/", 17) == 0 && strchr(path + 17, '/')) ||
			(kind == URL_API && strncmp(path, "/api.v1/threads/", 16) == 0);
	return 0;
}

/* The list's order: the site's own files (no directory) first, then by
 * name, byte by byte. */
static int span_cmp(const char *f, size_t n, const char *key)
{
	bool tf = !memchr(f, '/', n), tk = !strchr(key, '/');
	if (tf != tk)
		return tf ? -1 : 1;
	size_t kn = strlen(key);
	int c = memcmp(f, key, n < kn ? n : kn);
	return c ? c : (n > kn) - (n < kn);
}

static int file_cmp(const char *a, const char *b)
{
	return span_cmp(a, strlen(a), b);
}

static int by_item_file(const void *a, const void *b)
{
	return file_cmp((*(item *const *)a)->file, (*(item *const *)b)->file);
}

static int by_file(const void *a, const void *b)
{
	return file_cmp(((const old_entry *)a)->file, ((const old_entry *)b)->file);
}

/* "# slacklog-build seq=... archive=... conf=... complete=... [files=N]" */
static void parse_header(build *b, const char *line)
{
	long long seq;
	int complete;
	if (sscanf(line, HEADER " seq=%lld archive=%39s conf=%23s complete=%d", &seq, b->was.archive, b->was.conf,
		   &complete) == 4) {
		b->was.seq = seq;
		b->was.complete = complete == 1;
	}
	const char *f = strstr(line, " files=");
	b->was.files = f && b->was.complete ? strtoll(f + 7, NULL, 10) : -1;
}

/* The list in one read; entries point into its text. */
static void read_manifest(build *b)
{
	buf_t text = BUF_INIT;
	FILE *f = b->from ? fopen(b->from, "r") : NULL;
	if (!f)
		return;
	/* sized once: a list of 1M files is tens of MB, and growing a buffer
	 * by doubling copied and faulted in most of it again */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0)
		buf_grow(&text, (size_t)st.st_size + 1);
	size_t got;
	do {
		if (text.cap - text.len < 2)    /* full: only then grow */
			buf_grow(&text, 1 << 16);
		got = fread(text.p + text.len, 1, text.cap - text.len - 1, f);
		text.len += got;
	} while (got > 0);
	fclose(f);
	buf_putc(&text, 0);   /* a NUL after the last line */
	b->oldtext = buf_detach(&text);
	size_t acap = 0;
	bool sorted = true;
	for (char *line = b->oldtext, *end; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		size_t len = (size_t)(end - line);
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (strncmp(line, HEADER " ", sizeof HEADER) == 0) {
			parse_header(b, line);
			continue;
		}
		if (len < 18)
			continue;
		line[16] = '/';   /* the file name is the path without its '/' */
		if (!safe_path(line + 16))
			continue;
		if (b->nold == acap)
			b->old = xrealloc(b->old, (acap = acap ? acap * 2 : 1024) * sizeof *b->old);
		old_entry *e = &b->old[b->nold++];
		memcpy(e->hash, line, 16);
		e->hash[16] = 0;
		e->file = line + 17;
		e->keep = e->retain = false;
		sorted = sorted && (b->nold < 2 || file_cmp(e[-1].file, e->file) < 0);
	}
	/* a finished build writes it sorted; a killed one's may not be */
	if (!sorted)
		qsort(b->old, b->nold, sizeof *b->old, by_file);
}

static old_entry *old_find(build *b, const char *file)
{
	old_entry key = {.file = (char *)file};
	if (!b->nold)
		return NULL;      /* a first build: no list (bsearch wants an array) */
	return bsearch(&key, b->old, b->nold, sizeof *b->old, by_file);
}

/* ---- the list, mapped: what a narrow build reads ------------------------
 * A finished build writes the list sorted (file_cmp) with its number of
 * files. A build that looked only at what changed (b->narrow) reads only
 * the lines it needs: those of the files it lists, found by binary search,
 * and those under its scopes (ranges, the site's own files first). Every
 * other line is copied as it is into the next list. */

static bool map_manifest(build *b)
{
	int fd = b->from ? open(b->from, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			b->map = m;
			b->maplen = (size_t)st.st_size;
		}
	}
	close(fd);
	if (b->map && b->maplen > sizeof HEADER && !memcmp(b->map, HEADER " ", sizeof HEADER)) {
		const char *nl = memchr(b->map, '\n', b->maplen);
		size_t n = nl ? (size_t)(nl - b->map) : b->maplen;
		char *line = xmalloc(n + 1);
		memcpy(line, b->map, n);
		line[n] = 0;
		parse_header(b, line);
		free(line);
		b->body = nl ? n + 1 : n;
	}
	/* the count of lines catches a list cut short or added to: one not
	 * as written is treated as a killed build's (every file checked) */
	int64_t lines = 0;
	for (const char *q = b->map + b->body, *end = b->map + b->maplen; b->was.files >= 0 && q < end; lines++) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		q = nl ? nl + 1 : end;
	}
	if (b->was.files >= 0 && lines != b->was.files)
		b->was.complete = false, b->was.files = -1;
	return true;
}

static void unmap_manifest(build *b)
{
	if (b->map)
		munmap((void *)b->map, b->maplen);
	b->map = NULL;
}

/* The line at off: its file name's span; *next: the next line's offset. */
static const char *line_file(const build *b, size_t off, size_t *n, size_t *next)
{
	const char *s = b->map + off, *end = b->map + b->maplen;
	const char *nl = memchr(s, '\n', (size_t)(end - s)), *e = nl ? nl : end;
	*next = nl ? (size_t)(nl + 1 - b->map) : b->maplen;
	if (e - s < 18) {
		*n = (size_t)(e - s);   /* not a line of ours: compares as its text */
		return s;
	}
	*n = (size_t)(e - s - 17);
	return s + 17;
}

/* The offset of the first line whose file is not before key. */
static size_t lower_bound(const build *b, const char *key)
{
	size_t lo = b->body, hi = b->maplen;
	while (lo < hi) {
		size_t s = lo + (hi - lo) / 2, n, next;
		while (s > lo && b->map[s - 1] != '\n')
			s--;
		const char *f = line_file(b, s, &n, &next);
		if (span_cmp(f, n, key) < 0)
			lo = next;
		else
			hi = s;
	}
	return lo;
}

/* The line at off as an entry, if it is a safe file name. */
static void take_line(build *b, size_t off, size_t *cap)
{
	size_t n, next;
	const char *f = line_file(b, off, &n, &next);
	if (f != b->map + off + 17 || b->map[off + 16] != ' ')
		return;
	char *file = xmalloc(n + 2);
	file[0] = '/';
	memcpy(file + 1, f, n);
	file[n + 1] = 0;
	if (!safe_path(file) || memchr(file, 0, n + 1)) {
		free(file);
		return;
	}
	if (b->nold == *cap)
		b->old = xrealloc(b->old, (*cap = *cap ? *cap * 2 : 256) * sizeof *b->old);
	old_entry *e = &b->old[b->nold++];
	memset(e, 0, sizeof *e);
	memcpy(e->hash, b->map + off, 16);
	e->file = file + 1;
	e->off = off;
	e->len = next - off;
}

static int by_off(const void *a, const void *b)
{
	const old_entry *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

/* The entries a narrow build needs: its files', and every file under its
 * scopes; sorted (by offset, so by file), each once. */
static void gather_mapped(build *b)
{
	size_t cap = 0, n, next;
	for (size_t off = b->body; off < b->maplen; off = next) {   /* the site's own files */
		const char *f = line_file(b, off, &n, &next);
		if (memchr(f, '/', n))
			break;
		take_line(b, off, &cap);
	}
	for (size_t i = 0; i < b->nscopes; i++) {
		const char *sc = b->scopes[i];
		size_t sl = strlen(sc);
		for (size_t off = lower_bound(b, sc); off < b->maplen; off = next) {
			const char *f = line_file(b, off, &n, &next);
			if (n < sl || memcmp(f, sc, sl) != 0 || (sc[sl - 1] != '/' && n != sl))
				break;
			take_line(b, off, &cap);
		}
	}
	for (size_t i = 0; i < b->n; i++) {
		size_t off = lower_bound(b, b->items[i].file);
		const char *f = off < b->maplen ? line_file(b, off, &n, &next) : NULL;
		if (f && span_cmp(f, n, b->items[i].file) == 0)
			take_line(b, off, &cap);
	}
	if (b->nold)
		qsort(b->old, b->nold, sizeof *b->old, by_off);
	size_t k = 0;
	for (size_t i = 0; i < b->nold; i++) {
		if (k && b->old[k - 1].off == b->old[i].off) {
			free(b->old[i].file - 1);
			continue;
		}
		b->old[k++] = b->old[i];
	}
	b->nold = k;
	b->mapped = true;
}

static void list_line(buf_t *body, const char *hash, const char *file)
{
	size_t n = strlen(file);
	buf_grow(body, n + 18);
	memcpy(body->p + body->len, hash, 16);
	body->p[body->len + 16] = ' ';
	memcpy(body->p + body->len + 17, file, n);
	body->p[body->len + 17 + n] = '\n';
	body->len += n + 18;
}

enum { LIST_CHUNK = 1 << 20 };

/* Write what body holds once it has a chunk's worth (or at the end):
 * a list of 1M files is tens of MB, not worth holding whole. */
static bool flush_list(int fd, buf_t *body, bool last)
{
	if (!last && body->len < LIST_CHUNK)
		return true;
	bool ok = fd >= 0 && write(fd, body->p, body->len) == (ssize_t)body->len;
	buf_reset(body);
	return ok;
}

/* The files this build wrote or kept, in the list's order (free it). */
static item **sorted_done(build *b, size_t *nd)
{
	item **done = xmalloc((b->n + 1) * sizeof *done);
	*nd = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].done)
			done[(*nd)++] = &b->items[i];
	qsort(done, *nd, sizeof *done, by_item_file);
	return done;
}

/* Bytes of the mapped list as they are: big runs straight from the map. */
static bool put_range(int fd, buf_t *body, const char *p, size_t n)
{
	if (n < LIST_CHUNK) {
		buf_put(body, p, n);
		return flush_list(fd, body, false);
	}
	return flush_list(fd, body, true) && write(fd, p, n) == (ssize_t)n;
}

/* The mapped list's lines from cursor to pos, ending with a newline. */
static bool put_lines(build *b, int fd, buf_t *body, size_t *cursor, size_t pos)
{
	if (pos <= *cursor)
		return true;
	bool ok = put_range(fd, body, b->map + *cursor, pos - *cursor);
	if (ok && b->map[pos - 1] != '\n') {
		buf_putc(body, '\n');
		ok = flush_list(fd, body, false);
	}
	*cursor = pos;
	return ok;
}

/* The lines of a mapped list: as it was, with the files a narrow build
 * listed added, and (final) those it wrote updated and those it removed
 * left out. */
static bool write_mapped(build *b, int fd, buf_t *body, bool with_old)
{
	size_t cursor = b->body;
	bool ok = true;
	if (with_old) {
		ok = put_lines(b, fd, body, &cursor, b->maplen);
		for (size_t i = 0; ok && i < b->n; i++) {
			if (!b->items[i].listed)
				list_line(body, "0000000000000000", b->items[i].file);
			ok = flush_list(fd, body, false);
		}
		return ok;
	}
	size_t nd;
	item **done = sorted_done(b, &nd);
	size_t i = 0, k = 0;
	while (ok && (i < nd || k < b->nold)) {
		size_t at = i < nd ? lower_bound(b, done[i]->file) : SIZE_MAX;
		if (k < b->nold && b->old[k].off < at) {
			ok = put_lines(b, fd, body, &cursor, b->old[k].off);   /* up to a line dropped */
			cursor = b->old[k].off + b->old[k].len;
			k++;
		} else {
			ok = put_lines(b, fd, body, &cursor, at);
			list_line(body, done[i]->hash[0] ? done[i]->hash : "0000000000000000", done[i]->file);
			ok = ok && flush_list(fd, body, false);
			i++;
		}
	}
	free(done);
	return ok && put_lines(b, fd, body, &cursor, b->maplen);
}

/* Write the list atomically; with_old: also every old entry (the union). */
static int write_manifest(build *b, bool with_old)
{
	buf_t p = BUF_INIT, t = BUF_INIT, body = BUF_INIT;
	buf_puts(&p, b->list);
	buf_printf(&t, "%s" TMP_SUFFIX, b->list);
	int fd = open(buf_str(&t), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int open_err = errno;
	buf_grow(&body, LIST_CHUNK + 4096);
	/* while writing: as of what this build started from */
	buf_printf(&body, HEADER " seq=%lld archive=%s conf=%s complete=%d",
		   (long long)(with_old ? b->since : b->now.seq), b->now.archive[0] ? b->now.archive : "-", b->now.conf,
		   !with_old);
	if (!with_old)
		buf_printf(&body, " files=%zu", b->n + b->nretained);
	buf_putc(&body, '\n');
	bool ok = fd >= 0;
	if (b->mapped) {
		ok = ok && write_mapped(b, fd, &body, with_old);
	} else if (with_old) {
		for (size_t i = 0; ok && i < b->n; i++) {
			item *it = &b->items[i];
			list_line(&body, it->hash[0] ? it->hash : "0000000000000000", it->file);
			ok = flush_list(fd, &body, false);
		}
		for (size_t i = 0; ok && i < b->nold; i++) {
			if (!b->old[i].keep)
				list_line(&body, b->old[i].hash, b->old[i].file);
			ok = flush_list(fd, &body, false);
		}
	} else {
		/* sorted, so that the next build need not sort it: the files
		 * written, merged with the listed ones the walk did not look at */
		size_t nd;
		item **done = sorted_done(b, &nd);
		size_t i = 0, k = 0;
		while (ok && (i < nd || k < b->nold)) {
			if (k < b->nold && !b->old[k].retain) {
				k++;
				continue;
			}
			if (k < b->nold && (i == nd || strcmp(b->old[k].file, done[i]->file) < 0)) {
				list_line(&body, b->old[k].hash, b->old[k].file);
				k++;
			} else {
				list_line(&body, done[i]->hash[0] ? done[i]->hash : "0000000000000000", done[i]->file);
				i++;
			}
			ok = flush_list(fd, &body, false);
		}
		free(done);
	}
	int rc = -1, err = fd < 0 ? open_err : 0;
	if (ok && flush_list(fd, &body, true) && fsync(fd) == 0) {
		int closed = close(fd);
		fd = -1;
		if (closed == 0)
			rc = rename(buf_str(&t), buf_str(&p));
	}
	if (rc < 0 && !err)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		unlink(buf_str(&t));
		log_err("%s: %s (the list of the files written, kept beside %s)", buf_str(&p), strerror(err), b->out);
	}
	if (rc == 0 && b->oldlist) {
		/* the new list covers what the old one named: it goes, with
		 * the temporary file an older killed build may have left */
		unlink(b->oldlist);
		buf_reset(&t);
		buf_printf(&t, "%s/." LIST_SUFFIX TMP_SUFFIX, b->out);
		unlink(buf_str(&t));
		free(b->oldlist);
		b->oldlist = NULL;
	}
	buf_free(&p);
	buf_free(&t);
	buf_free(&body);
	return rc;
}

/* ---- writing one file ------------------------------------------------- */

/* The directories of a file, deepest first: most new files need one new
 * directory (a day's) whose parent is there already. */
static int mkdir_p(char *d, size_t root)
{
	if (mkdir(d, 0755) == 0 || errno == EEXIST)
		return 0;
	char *slash = strrchr(d, '/');
	if (errno != ENOENT || !slash || (size_t)(slash - d) <= root)
		return -1;
	*slash = 0;
	int rc = mkdir_p(d, root);
	*slash = '/';
	return rc < 0 ? -1 : mkdir(d, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int mkdirs(build *b, const char *file)
{
	buf_t d = BUF_INIT;
	buf_printf(&d, "%s/%s", b->out, file);
	*strrchr(d.p, '/') = 0;
	int rc = mkdir_p(d.p, strlen(b->out));
	if (rc < 0)
		log_err("%s: %s", d.p, strerror(errno));
	buf_free(&d);
	return rc;
}

static int write_atomic(build *b, const char *file, const buf_t *body);

/* A new file of a new site, in place; one that is there already is
 * replaced as in any build. */
static int write_new(build *b, const char *file, const buf_t *body)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/%s", b->out, file);
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	/* a page's directory is its own, new in a new site: made first, not
	 * after an open that fails */
	size_t n = strlen(file);
	if (n > 11 && strcmp(file + n - 11, "/index.html") == 0) {
		p.p[p.len - 11] = 0;
		mkdir(p.p, 0755);
		p.p[p.len - 11] = '/';
	}
	int fd = open(buf_str(&p), flags, 0644);
	if (fd < 0 && errno == ENOENT && mkdirs(b, file) == 0)
		fd = open(buf_str(&p), flags, 0644);
	int rc = -1;
	if (fd < 0 && errno == EEXIST) {
		rc = write_atomic(b, file, body);
	} else if (fd >= 0) {
		ssize_t w = body->len ? write(fd, body->p, body->len) : 0;
		rc = close(fd) == 0 && w == (ssize_t)body->len ? 0 : -1;
		if (rc < 0) {
			log_err("%s: %s", buf_str(&p), strerror(errno));
			unlink(buf_str(&p));
		}
	} else {
		log_err("%s: %s", buf_str(&p), strerror(errno));
	}
	buf_free(&p);
	return rc;
}

static int write_atomic(build *b, const char *file, const buf_t *body)
{
	buf_t p = BUF_INIT, t = BUF_INIT;
	buf_printf(&p, "%s/%s", b->out, file);
	const char *slash = strrchr(buf_str(&p), '/');
	buf_put(&t, p.p, (size_t)(slash + 1 - p.p));
	buf_printf(&t, ".%s.%ld%s", slash + 1, (long)gettid(), TMP_SUFFIX);
	int fd = open(buf_str(&t), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && mkdirs(b, file) == 0)
		fd = open(buf_str(&t), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = -1;
	if (fd >= 0) {
		ssize_t w = body->len ? write(fd, body->p, body->len) : 0;
		if (close(fd) == 0 && w == (ssize_t)body->len)
			rc = rename(buf_str(&t), buf_str(&p));
		if (rc < 0)
			unlink(buf_str(&t));
	}
	if (rc < 0)
		log_err("%s: %s", buf_str(&p), strerror(errno));
	buf_free(&p);
	buf_free(&t);
	return rc;
}

/* The page a legacy URL's 301 becomes: a refresh and a canonical link. */
static void stub(build *b, const char *location, buf_t *out)
{
	buf_reset(out);
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n"
		      "<meta http-equiv=\"refresh\" content=\"0; url=");
	html_attr(out, location);
	buf_puts(out, "\">\n<link rel=\"canonical\" href=\"");
	const char *base = b->conf->base_url, *scheme = base ? strstr(base, "://") : NULL;
	if (scheme) {
		const char *slash = strchr(scheme + 3, '/');
		html_attrn(out, base, slash ? (size_t)(slash - base) : strlen(base));
	}
	html_attr(out, location);
	buf_puts(out, "\">\n</head>\n<body>\n<p>Moved to <a href=\"");
	html_attr(out, location);
	buf_puts(out, "\">");
	html_txt(out, location);
	buf_puts(out, "</a>.</p>\n</body>\n</html>\n");
}

static bool same_as_listed(build *b, const item *it, size_t len)
{
	old_entry *e = old_find(b, it->file);
	if (!e || strcmp(e->hash, it->hash) != 0)
		return false;
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/%s", b->out, it->file);
	struct stat st;
	bool same = stat(buf_str(&p), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	buf_free(&p);
	return same;
}

/* A listed file nothing changed: still there? */
static bool still_there(build *b, const item *it)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/%s", b->out, it->file);
	struct stat st;
	bool there = stat(buf_str(&p), &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&p);
	return there;
}

static void one(build *b, item *it, page_out *o, buf_t *tmp)
{
	if (!it->dirty && it->hash[0] && (!b->verify || still_there(b, it))) {
		__atomic_add_fetch(&b->nunchanged, 1, __ATOMIC_RELAXED);
		it->done = true;
		return;
	}
	__atomic_add_fetch(&b->nrendered, 1, __ATOMIC_RELAXED);
	page_get(b->site, it->path, NULL, o);
	const buf_t *body = &o->body;
	int want = it->kind == URL_LEGACY ? 301 : strcmp(it->path, "/404.html") == 0 ? 404 : 200;
	bool ok = o->status == want;
	if (!ok) {
		log_warn("%s: status %d, not written", it->path, o->status);
		__atomic_add_fetch(&b->nfailed, 1, __ATOMIC_RELAXED);
		return;
	}
	if (it->kind == URL_LEGACY) {
		stub(b, buf_str(&o->location), tmp);
		body = tmp;
	}
	char etag[24];
	if (body == &o->body && o->etag[0] == '"')
		memcpy(etag, o->etag, sizeof etag);   /* the page's own, of these bytes */
	else
		page_etag(body->p, body->len, etag);
	memcpy(it->hash, etag + 1, 16);
	it->hash[16] = 0;
	if (same_as_listed(b, it, body->len)) {
		__atomic_add_fetch(&b->nunchanged, 1, __ATOMIC_RELAXED);
	} else if ((b->fresh && !b->foreign ? write_new : write_atomic)(b, it->file, body) == 0) {
		it->written = true;
		__atomic_add_fetch(&b->nwritten, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&b->nfailed, 1, __ATOMIC_RELAXED);
		return;
	}
	it->done = true;
}

/* ---- sharing the items among the jobs ---------------------------------- */

/* Each job takes the items of its own part of the list, in order: the
 * walk lists a channel's files together, so two jobs are rarely in one
 * directory at once (a file system locks a directory to create a file in
 * it; on ext4 jobs in the same directories waited for each other). A job
 * whose part is done takes the second half of the biggest part left. A
 * part starts at an item that does not go with the one before it. */
typedef struct region {
	size_t next, end;
} region;

static size_t group_start(const build *b, size_t i, size_t end)
{
	while (i < end && b->items[i].with_prev)
		i++;
	return i;
}

static void split_items(build *b, int jobs)
{
	b->nreg = jobs;
	b->reg = xcalloc((size_t)jobs, sizeof *b->reg);
	pthread_mutex_init(&b->take, NULL);
	size_t at = 0;
	for (int j = 0; j < jobs; j++) {
		size_t end = j + 1 == jobs ? b->n : group_start(b, b->n * (size_t)(j + 1) / (size_t)jobs, b->n);
		b->reg[j] = (region){at, end < at ? at : end};
		at = b->reg[j].end;
	}
}

/* The next item of job j and those that go with it: [*from, *to). */
static bool take(build *b, int j, size_t *from, size_t *to)
{
	pthread_mutex_lock(&b->take);
	region *r = &b->reg[j];
	if (r->next >= r->end) {
		region *v = NULL;
		for (int k = 0; k < b->nreg; k++)
			if (b->reg[k].next < b->reg[k].end &&
			    (!v || b->reg[k].end - b->reg[k].next > v->end - v->next))
				v = &b->reg[k];
		if (!v) {
			pthread_mutex_unlock(&b->take);
			return false;
		}
		/* its second half, from a group's start; else its next group */
		size_t mid = group_start(b, v->next + (v->end - v->next) / 2, v->end);
		if (mid > v->next && mid < v->end) {
			*r = (region){mid, v->end};
			v->end = mid;
		} else {
			r = v;
		}
	}
	*from = r->next;
	*to = group_start(b, r->next + 1, r->end);
	r->next = *to;
	pthread_mutex_unlock(&b->take);
	return true;
}

/* Take items until none is left; the main thread (job 0) also draws the
 * bar. */
static void work(build *b, int j)
{
	page_out o;
	page_out_init(&o);
	bool held = site_read_hold(b->site);
	buf_t tmp = BUF_INIT;
	size_t i, end;
	while (take(b, j, &i, &end)) {
		for (; i < end; i++) {
			one(b, &b->items[i], &o, &tmp);
			size_t d = __atomic_add_fetch(&b->ndone, 1, __ATOMIC_RELAXED);
			if (j == 0)
				progress_update(&b->prog, d, b->n, 0, NULL);
		}
	}
	if (held)
		site_read_release(b->site);
	page_out_free(&o);
	buf_free(&tmp);
}

typedef struct job_arg {
	build *b;
	int j;
} job_arg;

static void *job(void *ud)
{
	job_arg *a = ud;
	work(a->b, a->j);
	site_thread_done(a->b->site);
	return NULL;
}

/* ---- removing what is no longer published ----------------------------- */

static void prune_dirs(build *b, const char *file)
{
	buf_t d = BUF_INIT;
	buf_printf(&d, "%s/%s", b->out, file);
	size_t root = strlen(b->out);
	for (char *slash; (slash = strrchr(d.p, '/')) && (size_t)(slash - d.p) > root;) {
		*slash = 0;
		if (rmdir(d.p) < 0)
			break;
	}
	buf_free(&d);
}

static size_t remove_old(build *b)
{
	size_t removed = 0;
	for (size_t i = 0; i < b->nold; i++) {
		if (b->old[i].keep || b->old[i].retain)
			continue;
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", b->out, b->old[i].file);
		if (unlink(buf_str(&p)) == 0) {
			removed++;
			prune_dirs(b, b->old[i].file);
		} else if (errno != ENOENT) {
			log_warn("%s: %s", buf_str(&p), strerror(errno));
		}
		buf_free(&p);
	}
	return removed;
}

/* Temporary files a killed build left behind. */
static void remove_temps(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	size_t sl = strlen(TMP_SUFFIX);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, e->d_name);
		size_t n = strlen(e->d_name);
		if (e->d_type == DT_DIR && depth < 8)
			remove_temps(buf_str(&p), depth + 1);
		else if (n > sl && e->d_name[0] == '.' && strcmp(e->d_name + n - sl, TMP_SUFFIX) == 0)
			unlink(buf_str(&p));
		buf_free(&p);
	}
	closedir(d);
}

/* ---- what the files depend on besides the archive ----------------------- */

static void put_list(buf_t *b, char *const *l)
{
	for (size_t i = 0; l && l[i]; i++)
		buf_printf(b, "%s,", l[i]);
	buf_putc(b, '\n');
}

/* The first 16 hex digits of the SHA-256 of n bytes. */
static void hash16(const char *p, size_t n, char out[17])
{
	char etag[24];
	page_etag(p, n, etag);
	memcpy(out, etag + 1, 16);
	out[16] = 0;
}

/* The settings pages read and this program itself: a build with another
 * of either renders everything. The archive's ID goes in first, so that
 * the list, should it be published after all, tells nothing about the
 * settings (the lists of channels not published) to one who guesses them. */
static void fingerprint(const conf_t *c, const char *archive_id, char out[24])
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s\n", archive_id);
	const char *v[] = {c->base_url, c->search_url, c->site_title, c->workspace_url, c->disclaimer, c->time_zone};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		buf_printf(&b, "%s\n", v[i] ? v[i] : "");
	buf_printf(&b, "%d\n", c->remote_avatars);
	put_list(&b, c->publish);
	put_list(&b, c->unpublish);
	FILE *f = fopen("/proc/self/exe", "rb");
	char chunk[65536];
	size_t n;
	while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	if (f)
		fclose(f);
	hash16(b.p, b.len, out);
	buf_free(&b);
}

/* ---- where the build goes ----------------------------------------------
 * The list is kept beside OUTDIR, as OUTDIR.slacklog-build, not in it: a
 * static server hands out every file of the directory it serves, dotfiles
 * too (nginx and python's http.server do; `aws s3 sync` uploads them).
 * Builds before kept it in OUTDIR as .slacklog-build; such a list is read
 * as this one would be and removed once the new one is written.
 *
 * A directory with files in it and no list was not written by a build:
 * it is refused, unless --force, and then the files the build writes
 * replace those of the same name and nothing else is touched (the list
 * names only what the build wrote, so only that is ever removed). An
 * empty directory, or a missing one, is a new site; a list beside an
 * empty directory is of a site that was deleted, and is not read. */

static bool has_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			break;
	bool any = d && e;
	if (d)
		closedir(d);
	return any;
}

static int where_to(build *b, bool force)
{
	char *abs = realpath(b->out, NULL);
	if (!abs || !strcmp(abs, "/")) {
		log_err("%s: %s", b->out, abs ? "not /: the list of files goes beside the output directory" : strerror(errno));
		free(abs);
		return -1;
	}
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s" LIST_SUFFIX, abs);
	free(abs);
	b->list = buf_detach(&p);
	buf_printf(&p, "%s" OLD_LIST, b->out);
	int rc = 0;
	if (!has_files(b->out)) {
		/* a new site */
	} else if (access(b->list, F_OK) == 0) {
		b->from = b->list;
	} else if (access(buf_str(&p), F_OK) == 0) {
		b->from = b->oldlist = buf_detach(&p);
	} else if (force) {
		b->foreign = true;   /* served, perhaps: no half-written page */
		log_info("%s was not written by slacklog build: --force: the files the build writes replace those of "
			 "the same name, and no other file is touched", b->out);
	} else {
		log_err("%s is not empty and holds no slacklog build (there is no %s beside it): nothing written. "
			"Give --force to build into it anyway: the files the build writes replace those of the same "
			"name, and no other file is touched", b->out, b->list);
		rc = -1;
	}
	buf_free(&p);
	return rc;
}

/* ---- the command ------------------------------------------------------ */

enum { MAX_FLAGS = 8 };

static int parse_args(int argc, char **argv, conf_flag *flags, size_t *nflags, int *jobs, bool *verify,
		      bool *force, const char **out)
{
	static const struct {
		const char *flag, *key;
	} keys[] = {{"--db", "db"}, {"--base-url", "base_url"}, {"--search-url", "search_url"}, {"--config", "config"}};
	*nflags = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return cli_help(usage), 1;
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli_verbosity = 0;
			continue;
		}
		if (!strcmp(a, "--verify")) {
			*verify = true;
			continue;
		}
		if (!strcmp(a, "--force")) {
			*force = true;
			continue;
		}
		if (!strcmp(a, "--jobs")) {
			char *end;
			long j = i + 1 < argc ? strtol(argv[++i], &end, 10) : 0;
			if (j < 1 || j > 256 || *end)
				return cli_usage_error("build", "--jobs needs a number from 1 to 256"), -1;
			*jobs = (int)j;
			continue;
		}
		size_t k = 0, nk = sizeof keys / sizeof *keys;
		while (k < nk && strcmp(a, keys[k].flag))
			k++;
		if (k < nk) {
			if (i + 1 >= argc)
				return cli_usage_error("build", "%s needs a value", a), -1;
			if (settings_check_flag("build", keys[k].flag, keys[k].key, argv[i + 1]) < 0)
				return -1;
			flags[(*nflags)++] = (conf_flag){keys[k].key, argv[++i]};
			continue;
		}
		if (a[0] == '-' && a[1])
			return cli_usage_error("build", "unknown option '%s'", a), -1;
		if (*out)
			return cli_usage_error("build", "one output directory only"), -1;
		*out = a;
	}
	if (!*out)
		return cli_usage_error("build", "the output directory is missing"), -1;
	return 0;
}

static void free_build(build *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->items[i].path);
	free(b->items);
	for (size_t i = 0; i < b->nscopes; i++)
		free(b->scopes[i]);
	free(b->scopes);
	for (size_t i = 0; b->mapped && i < b->nold; i++)
		free(b->old[i].file - 1);
	free(b->old);
	free(b->oldtext);
	unmap_manifest(b);
	free(b->list);
	free(b->oldlist);
}

static int run(build *b, int jobs)
{
	/* the 404 page, for servers that can show one (nginx error_page) */
	add_url(b, URL_META, "/404.html", 0, b->since < 0);
	for (size_t i = 0; i < b->n; i++) {
		old_entry *e = old_find(b, b->items[i].file);
		if (e) {
			e->keep = b->items[i].listed = true;
			memcpy(b->items[i].hash, e->hash, 17);
		}
	}
	if (b->mapped) {
		/* the lines not read */
		b->nretained = b->was.files > (int64_t)b->nold ? (size_t)b->was.files - b->nold : 0;
	} else if (b->narrow) {
		/* what the walk did not look at stays as listed */
		if (b->nscopes)
			qsort(b->scopes, b->nscopes, sizeof *b->scopes, by_str);
		for (size_t i = 0; i < b->nold; i++)
			if (!b->old[i].keep && !site_url_scoped(b->scopes, b->nscopes, b->old[i].file)) {
				b->old[i].retain = true;
				b->nretained++;
			}
	}
	if (!b->was.complete && !b->fresh)
		remove_temps(b->out, 0);   /* a killed build's */
	if (write_manifest(b, true) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].dirty || !b->items[i].hash[0])
			b->items[i].hash[0] = 0;
	progress_start(&b->prog, "build");
	split_items(b, jobs);
	pthread_t *t = xcalloc((size_t)jobs, sizeof *t);
	job_arg *arg = xcalloc((size_t)jobs, sizeof *arg);
	bool *started = xcalloc((size_t)jobs, sizeof *started);
	for (int i = 1; i < jobs; i++) {
		arg[i] = (job_arg){b, i};
		started[i] = pthread_create(&t[i], NULL, job, &arg[i]) == 0;
	}
	work(b, 0);   /* the main thread works too (a part whose job did not start is taken over) */
	for (int i = 1; i < jobs; i++)
		if (started[i])
			pthread_join(t[i], NULL);
	free(t);
	free(arg);
	free(started);
	pthread_mutex_destroy(&b->take);
	free(b->reg);
	progress_end(&b->prog);
	return 0;
}

int cmd_build(int argc, char **argv)
{
	conf_flag flags[MAX_FLAGS];
	size_t nflags;
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	const char *out = NULL;
	bool verify = false, force = false;
	int rc = parse_args(argc, argv, flags, &nflags, &jobs, &verify, &force, &out);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	if (jobs < 1)
		jobs = 1;
	char err[512];
	conf_t *c = conf_build(flags, nflags, err, sizeof err);
	if (!c) {
		log_err("%s", err);
		return EXIT_FAIL;
	}
	if (!c->db)
		c->db = xstrdup(cli_db_path(NULL));
	if (!c->search_url)
		c->search_url = xstrdup("off");   /* static files cannot search */
	/* a walk of every URL touches much of the file: mapped, each page is a
	 * fault (a third of an incremental build at 1M messages) and counts
	 * in the process's resident size (GBs); read, it is neither */
	c->no_mmap = true;
	if (access(c->db, R_OK) != 0) {
		log_err("no archive at %s: run 'slacklog import EXPORT' first, or give --db", c->db);
		conf_free(c);
		return EXIT_FAIL;
	}
	if (!*c->base_url)
		log_info("no --base-url: sitemaps and feeds will hold paths, not addresses");
	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		log_err("%s: %s", out, strerror(errno));
		conf_free(c);
		return EXIT_FAIL;
	}
	double t0 = now_seconds();
	build b = {.conf = c, .out = out, .was.seq = -1, .since = -1, .verify = verify};
	if (where_to(&b, force) < 0) {
		free_build(&b);
		conf_free(c);
		return EXIT_FAIL;
	}
	site_t *site = site_new(c, err, sizeof err);   /* owns c from here */
	if (!site) {
		log_err("%s", err);
		free_build(&b);
		return EXIT_FAIL;
	}
	b.site = site;
	site_pin(site);
	b.fresh = !map_manifest(&b);   /* its header; the lines once the walk says which */
	char id[64];
	if (site_mark(site, &b.now.seq, id, sizeof id) < 0) {
		log_err("reading the archive's change log failed");
		free_build(&b);
		site_free(site);
		return EXIT_FAIL;
	}
	/* the list names the archive by a hash of its ID, not the ID */
	if (id[0])
		hash16(id, strlen(id), b.now.archive);
	fingerprint(c, id, b.now.conf);
	if (b.was.seq >= 0 && b.was.seq <= b.now.seq && b.now.archive[0] && strcmp(b.was.archive, b.now.archive) == 0 &&
	    strcmp(b.was.conf, b.now.conf) == 0)
		b.since = b.was.seq;
	if (!b.was.complete)
		b.verify = true;      /* a killed build's list names files it never wrote */
	/* narrow: only what changed, unless every listed file is to be checked */
	unsigned kinds = URL_ALL | URL_UNDATED | (b.verify ? 0 : URL_NARROW);
	if (site_urls_since(site, kinds, b.since, add_url, &b) < 0) {
		log_err("listing the archive's pages failed");
		free_build(&b);
		site_free(site);
		return EXIT_FAIL;
	}
	if (b.narrow && b.was.files >= 0 && b.map) {
		gather_mapped(&b);
	} else {
		unmap_manifest(&b);
		read_manifest(&b);
	}
	rc = run(&b, jobs);
	size_t removed = 0;
	if (rc == 0 && !b.nfailed) {
		rc = write_manifest(&b, false);
		removed = remove_old(&b);
	}
	double secs = now_seconds() - t0;
	size_t nfiles = b.n + b.nretained;
	if (b.narrow)
		log_info("looked at %zu of %zu files: what changed since the last build", b.n, nfiles);
	if (cli_verbosity >= 1)
		printf("build: %zu files: %zu written, %zu unchanged, %zu removed in %.2f s (%.0f files/s, %zu rendered)\n",
		       nfiles, b.nwritten, b.nunchanged + b.nretained, removed, secs, secs > 0 ? (double)nfiles / secs : 0.0,
		       b.nrendered);
	size_t failed = b.nfailed;
	free_build(&b);
	site_free(site);
	if (rc < 0)
		return EXIT_FAIL;
	return failed ? EXIT_WARN : EXIT_OK;
}
