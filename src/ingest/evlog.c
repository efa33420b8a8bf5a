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
#include "cli.h"
#include "lib/buf.h"
#include "lib/json.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum { CHUNK = 1 << 16, SNIFF_LINES = 5 };
#define MAX_LINE ((size_t)64 << 20)

typedef struct lfile {
	char *path;
	ino_t ino;
	off_t disk;                  /* size on disk when last read */
	struct timespec mtime;
	z_off_t off;                 /* uncompressed bytes handed over */
	size_t line;
	bool seen, gz;
	bool named;                  /* given as a PATH, not found in a directory */
	bool judged, refused;        /* its first lines were looked at; not JSON Lines */
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
	char **snaps;                /* snapshot files read */
	size_t nsnaps;
	size_t refused;              /* named files that are not event logs */
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
	for (size_t i = 0; i < l->nsnaps; i++)
		free(l->snaps[i]);
	free(l->files);
	free(l->src);
	free(l->snaps);
	free(l);
}

size_t evlog_files(const evlog *l)
{
	return l->nfiles;
}

size_t evlog_refused(const evlog *l)
{
	return l->refused;
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

static void track(evlog *l, const char *path, bool named)
{
	for (size_t i = 0; i < l->nfiles; i++)
		if (strcmp(l->files[i].path, path) == 0) {
			l->files[i].named |= named;
			return;
		}
	if (l->nfiles == l->capfiles) {
		l->capfiles = l->capfiles ? 2 * l->capfiles : 16;
		l->files = xrealloc(l->files, l->capfiles * sizeof *l->files);
	}
	/* keep name order: a directory's files are read oldest name first */
	size_t at = l->nfiles;
	while (at > 0 && strcmp(l->files[at - 1].path, path) > 0)
		at--;
	memmove(&l->files[at + 1], &l->files[at], (l->nfiles - at) * sizeof *l->files);
	l->files[at] = (lfile){.path = xstrdup(path), .gz = ends_with(path, ".gz"), .named = named};
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
			track(l, names[i], false);
		free(names[i]);
	}
	free(names);
}

/* A directory's snapshot file, else its parent's (logs in DIR/logs/,
 * snapshots in DIR). The path found, or NULL. */
static char *find_snapshot(const char *dir, const char *name)
{
	for (int up = 0; up < 2; up++) {
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s%s/%s", dir, up ? "/.." : "", name);
		struct stat st;
		if (stat(buf_str(&p), &st) == 0 && S_ISREG(st.st_mode))
			return buf_detach(&p);
		buf_free(&p);
	}
	return NULL;
}

/* The snapshots for the logs of dir, each handed over once. Returns the
 * EV_SNAP_* found, or -1 when the callback stopped. */
static int snapshots(evlog *l, const char *dir)
{
	static const struct { const char *name; int which; } snaps[] = {
		{"users.json", EV_SNAP_USERS}, {"channels.json", EV_SNAP_CHANNELS},
	};
	int found = 0;
	for (size_t i = 0; i < 2; i++) {
		char *path = find_snapshot(dir, snaps[i].name);
		if (!path)
			continue;
		found |= snaps[i].which;
		bool seen = false;
		for (size_t k = 0; k < l->nsnaps && !seen; k++)
			seen = strcmp(l->snaps[k], path) == 0;
		if (seen) {
			free(path);
			continue;
		}
		l->snaps = xrealloc(l->snaps, (l->nsnaps + 1) * sizeof *l->snaps);
		l->snaps[l->nsnaps++] = path;
		if (l->snap(l->ctx, path, snaps[i].which) != 0)
			return -1;
	}
	return found;
}

int evlog_add(evlog *l, const char *path, char *err, size_t errlen)
{
	struct stat st;
	const char *why = NULL;
	if (stat(path, &st) != 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		why = "not a file or directory";
	else if (access(path, R_OK) != 0)
		why = strerror(errno);
	if (why) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if (l->nsrc == l->capsrc) {
		l->capsrc = l->capsrc ? 2 * l->capsrc : 8;
		l->src = xrealloc(l->src, l->capsrc * sizeof *l->src);
	}
	bool dir = S_ISDIR(st.st_mode);
	l->src[l->nsrc++] = (source){xstrdup(path), dir};
	buf_t d = BUF_INIT;       /* the logs' directory */
	if (dir) {
		buf_puts(&d, path);
	} else {
		const char *sl = strrchr(path, '/');   /* "x.jsonl" is in ".", "/x.jsonl" in "/" */
		buf_put(&d, sl ? path : ".", sl ? (size_t)(sl - path) + (sl == path) : 1);
	}
	int found = snapshots(l, buf_str(&d));
	buf_free(&d);
	if (found < 0)
		return EVLOG_STOPPED;
	if (!dir) {
		track(l, path, true);
		return found;
	}
	size_t before = l->nfiles;
	scan(l, path);
	if (l->nfiles == before)
		warnf(l->w, "%s: no event logs (*.txt, *.jsonl, *.json, .gz) in this directory", path);
	return found;
}

/* The line of b at start: its length without the newline (and a '\r'
 * before it), and where the next one starts; false when it is not complete
 * (no newline, and more may come). */
static bool next_line(const buf_t *b, size_t start, bool final, size_t *len, size_t *next)
{
	const char *nl = memchr(b->p + start, '\n', b->len - start);
	if (!nl && !final)
		return false;
	size_t end = nl ? (size_t)(nl - b->p) : b->len;
	*len = end - start;
	if (*len && b->p[start + *len - 1] == '\r')
		(*len)--;
	*next = nl ? end + 1 : end;
	return true;
}

static bool blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

static bool json_object(const char *p, size_t n)
{
	arena_t a = {0};
	json_err err;
	const jv *v = json_parse(&a, p, n, &err, NULL);
	bool yes = json_is(v, JV_OBJ);
	arena_free(&a);
	return yes;
}

/* Before a file's first line is handed over: is it JSON Lines? Its first
 * SNIFF_LINES lines that are not blank (or all of them, at its end) must
 * hold one JSON object, else the file is refused with one message rather
 * than a warning a line (a README, a day file of an export). 0 when it
 * is, 1 when it is refused, -1 when there is not enough of it yet. */
static int judge(evlog *l, lfile *f, const buf_t *b, bool final)
{
	size_t start = 0, len, next, seen = 0;
	while (seen < SNIFF_LINES && start < b->len && next_line(b, start, final, &len, &next)) {
		if (!blank(b->p + start, len)) {
			if (json_object(b->p + start, len))
				return f->judged = true, 0;
			seen++;
		}
		start = next;
	}
	if (seen < SNIFF_LINES && !final)
		return -1;
	f->judged = true;
	if (!seen)
		return 0;
	f->refused = true;
	if (f->named) {
		l->refused++;
		log_err("%s: not an event log (JSON Lines: one JSON object per line): none of its first %zu lines is one; "
			"file skipped", f->path, seen);
	} else {
		warnf(l->w, "%s: not an event log (JSON Lines: one JSON object per line): none of its first %zu lines is "
		      "one; file skipped", f->path, seen);
	}
	return 1;
}

/* Hand over the complete lines of b (and the rest when final); keep an
 * incomplete last line in b. */
static int lines(evlog *l, lfile *f, buf_t *b, bool final)
{
	if (!f->judged && judge(l, f, b, final) != 0)
		return 0;
	size_t start = 0, len, next;
	int rc = 0;
	while (rc == 0 && start < b->len && next_line(b, start, final, &len, &next)) {
		f->line++;
		rc = l->line(l->ctx, b->p + start, len, f->path, f->line);
		start = next;
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
	int rc = 0, n = 0;
	char chunk[CHUNK];
	final = final || f->gz;
	while (rc == 0 && !f->refused && (n = gzread(z, chunk, sizeof chunk)) > 0) {
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
	if (rc == 0 && final && !f->refused)
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
		f->judged = f->refused = false;
	}
	f->seen = true;
	f->ino = st.st_ino;
	f->disk = st.st_size;
	f->mtime = st.st_mtim;
	return f->refused ? 0 : read_file(l, f, final);
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
