/* evlog.c: event-log files followed line by line. See evlog.h.
 *
 * Each file is remembered with its inode, its size on disk and the offset
 * (in its uncompressed bytes) after the last complete line handed over. A
 * poll that finds the same inode and size skips the file without opening
 * it, so following a quiet directory costs a stat per file. zlib's gzopen
 * reads uncompressed files transparently, so plain and gzip logs share one
 * path; gzseek to the offset decompresses up to it for a gzip file, which
 * only happens when a compressed log changes (rare: logs are compressed
 * once they are finished). */
#include "ingest/evlog.h"
#include "ingest/events.h"
#include "lib/buf.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

enum { CHUNK = 1 << 16 };
#define MAX_LINE ((size_t)64 << 20)

typedef struct lfile {
	char *path;
	ino_t ino;
	off_t disk;                  /* size on disk when last read */
	struct timespec mtime;
	z_off_t off;                 /* uncompressed bytes handed over */
	size_t line;
	bool seen, gz;
} lfile;

typedef struct source {
	char *path;
	bool dir;
} source;

struct evlog {
	evlog_line_fn line;
	evlog_snap_fn snap;
	void *ctx;
	const warner *w;
	lfile *files;
	size_t nfiles, capfiles;
	source *src;
	size_t nsrc, capsrc;
};

evlog *evlog_new(evlog_line_fn line, evlog_snap_fn snap, void *ctx, const warner *w)
{
	evlog *l = xcalloc(1, sizeof *l);
	l->line = line;
	l->snap = snap;
	l->ctx = ctx;
	l->w = w;
	return l;
}

void evlog_free(evlog *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i].path);
	for (size_t i = 0; i < l->nsrc; i++)
		free(l->src[i].path);
	free(l->files);
	free(l->src);
	free(l);
}

size_t evlog_files(const evlog *l)
{
	return l->nfiles;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A log file's name: *.txt, *.jsonl, *.json, each perhaps .gz. */
static bool is_log_name(const char *name)
{
	char base[1024];
	snprintf(base, sizeof base, "%s", name);
	if (ends_with(base, ".gz"))
		base[strlen(base) - 3] = 0;
	if (name[0] == '.' || strcmp(base, "users.json") == 0 || strcmp(base, "channels.json") == 0)
		return false;
	return ends_with(base, ".txt") || ends_with(base, ".jsonl") || ends_with(base, ".json");
}

static void track(evlog *l, const char *path)
{
	for (size_t i = 0; i < l->nfiles; i++)
		if (strcmp(l->files[i].path, path) == 0)
			return;
	if (l->nfiles == l->capfiles) {
		l->capfiles = l->capfiles ? 2 * l->capfiles : 16;
		l->files = xrealloc(l->files, l->capfiles * sizeof *l->files);
	}
	/* keep name order: a directory's files are read oldest name first */
	size_t at = l->nfiles;
	while (at > 0 && strcmp(l->files[at - 1].path, path) > 0)
		at--;
	memmove(&l->files[at + 1], &l->files[at], (l->nfiles - at) * sizeof *l->files);
	l->files[at] = (lfile){.path = xstrdup(path), .gz = ends_with(path, ".gz")};
	l->nfiles++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* New log files of a directory, tracked in name order. */
static void scan(evlog *l, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_log_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, de->d_name);
		names[n++] = buf_detach(&p);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			track(l, names[i]);
		free(names[i]);
	}
	free(names);
}

static int snapshots(evlog *l, const char *dir)
{
	static const struct { const char *name; int which; } snaps[] = {
		{"users.json", EV_SNAP_USERS}, {"channels.json", EV_SNAP_CHANNELS},
	};
	for (size_t i = 0; i < 2; i++) {
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, snaps[i].name);
		struct stat st;
		int rc = 0;
		if (stat(buf_str(&p), &st) == 0 && S_ISREG(st.st_mode))
			rc = l->snap(l->ctx, buf_str(&p), snaps[i].which);
		buf_free(&p);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int evlog_add(evlog *l, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
		warnf(l->w, "%s: cannot read it (not a file or directory)", path);
		return -1;
	}
	if (l->nsrc == l->capsrc) {
		l->capsrc = l->capsrc ? 2 * l->capsrc : 8;
		l->src = xrealloc(l->src, l->capsrc * sizeof *l->src);
	}
	l->src[l->nsrc++] = (source){xstrdup(path), S_ISDIR(st.st_mode)};
	if (!S_ISDIR(st.st_mode)) {
		track(l, path);
		return 0;
	}
	size_t before = l->nfiles;
	if (snapshots(l, path) != 0)
		return -1;
	scan(l, path);
	if (l->nfiles == before)
		warnf(l->w, "%s: no event logs (*.txt, *.jsonl, *.json, .gz) in this directory", path);
	return 0;
}

/* Hand over the complete lines of b (and the rest when final); keep an
 * incomplete last line in b. */
static int lines(evlog *l, lfile *f, buf_t *b, bool final)
{
	size_t start = 0;
	int rc = 0;
	while (rc == 0 && start < b->len) {
		char *nl = memchr(b->p + start, '\n', b->len - start);
		if (!nl && !final)
			break;
		size_t end = nl ? (size_t)(nl - b->p) : b->len;
		size_t n = end - start;
		f->line++;
		if (n && b->p[start + n - 1] == '\r')
			n--;
		rc = l->line(l->ctx, b->p + start, n, f->path, f->line);
		start = nl ? end + 1 : end;
	}
	f->off += (z_off_t)start;
	if (start) {            /* an empty buffer may have no memory yet */
		memmove(b->p, b->p + start, b->len - start);
		buf_truncate(b, b->len - start);
	}
	return rc;
}

static int read_file(evlog *l, lfile *f, bool final)
{
	gzFile z = gzopen(f->path, "rb");
	if (!z) {
		warnf(l->w, "%s: cannot open it", f->path);
		return 0;
	}
	gzbuffer(z, CHUNK);
	if (f->off && gzseek(z, f->off, SEEK_SET) != f->off) {
		f->off = 0;
		f->line = 0;
		gzrewind(z);
	}
	buf_t b = BUF_INIT;
	int rc = 0, n;
	char chunk[CHUNK];
	final = final || f->gz;
	while (rc == 0 && (n = gzread(z, chunk, sizeof chunk)) > 0) {
		buf_put(&b, chunk, (size_t)n);
		rc = lines(l, f, &b, false);
		if (b.len > MAX_LINE) {
			f->line++;
			warnf(l->w, "%s:%zu: line longer than %zu MiB; skipped", f->path, f->line, MAX_LINE >> 20);
			f->off += (z_off_t)b.len;
			buf_reset(&b);
		}
	}
	if (n < 0) {
		int errnum;
		warnf(l->w, "%s: read error after line %zu: %s", f->path, f->line, gzerror(z, &errnum));
	}
	if (rc == 0 && final)
		rc = lines(l, f, &b, true);
	buf_free(&b);
	gzclose(z);
	return rc;
}

static int poll_file(evlog *l, lfile *f, bool final)
{
	struct stat st;
	if (stat(f->path, &st) != 0)
		return 0;    /* rotated away: its replacement is picked up by name */
	bool same_time = st.st_mtim.tv_sec == f->mtime.tv_sec && st.st_mtim.tv_nsec == f->mtime.tv_nsec;
	if (f->seen && st.st_ino == f->ino && st.st_size == f->disk && same_time)
		return 0;
	/* a new file under this name, one cut shorter, or one rewritten to
	 * the same size: read again from the start */
	if (f->seen && (st.st_ino != f->ino || st.st_size <= f->disk || f->gz)) {
		f->off = 0;
		f->line = 0;
	}
	f->seen = true;
	f->ino = st.st_ino;
	f->disk = st.st_size;
	f->mtime = st.st_mtim;
	return read_file(l, f, final);
}

int evlog_poll(evlog *l, bool final)
{
	for (size_t i = 0; i < l->nsrc; i++)
		if (l->src[i].dir)
			scan(l, l->src[i].path);
	for (size_t i = 0; i < l->nfiles; i++)
		if (poll_file(l, &l->files[i], final) != 0)
			return -1;
	return 0;
}
