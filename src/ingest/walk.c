/* walk.c: export entries from a zip (libarchive) or a directory. See walk.h.
 *
 * Zip names: libarchive leaves names without the UTF-8 flag as raw bytes
 * and converts flagged ones to the current locale, which under the C locale
 * fails for anything non-ASCII. The walker therefore runs libarchive under
 * a thread-local C.UTF-8 locale (uselocale), where both kinds come out as
 * the UTF-8 they are, and still checks every name it hands out.
 *
 * Zips are read with libarchive's streamable reader, entry by entry from
 * the local headers: the seekable one reads the central directory first
 * and keeps all of it (12 MB for the 83k entries of a million-message
 * export), and an import reads each entry once anyway.
 *
 * A directory is listed once at open (recursively, sorted by byte order so
 * imports are reproducible); its entries are read with plain stdio. */
#include "ingest/walk.h"
#include "lib/utf8.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { READ_BLOCK = 64 * 1024, MAX_DEPTH = 16 };
/* archive.h names it but leaves its value to a private header: it is
 * EILSEQ on Linux (an unrecognized format) */
#ifndef ARCHIVE_ERRNO_FILE_FORMAT
#define ARCHIVE_ERRNO_FILE_FORMAT EILSEQ
#endif
#define RATIO_AFTER ((size_t)1 << 20)

struct walker {
	char *path;
	int64_t size;                /* of the zip file */
	bool is_dir, damaged;
	bool again;                  /* a later pass: names and damage were warned about */
	const warner *warn;
	/* zip */
	struct archive *a;
	struct archive_entry *e;
	locale_t loc;
	size_t entries;
	/* directory */
	char **names;
	size_t nnames, capnames, pos;
	buf_t full;
	/* current entry's name, and how far it has been read */
	buf_t name;
	int rd;                      /* 0: not started, 1: reading, 2: done */
	bool limited;                /* stopped by a limit: nothing of it counts */
	FILE *f;                     /* directory: the open entry */
	int64_t rstart;              /* zip: compressed bytes before the entry */
	size_t rgot;                 /* bytes handed out so far */
	/* entries outside root are skipped, and root is cut from the names */
	char *root;
	size_t rootlen;
};

/* A name as it may be shown on a terminal: control bytes and invalid
 * UTF-8 become '?'. */
static const char *shown(buf_t *tmp, const char *s, size_t n)
{
	buf_reset(tmp);
	for (size_t i = 0; i < n;) {
		size_t l = utf8_valid_len((const unsigned char *)s + i, n - i);
		if (l == 0 || (l == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f))) {
			buf_putc(tmp, '?');
			i++;
			continue;
		}
		buf_put(tmp, s + i, l);
		i += l;
	}
	return buf_str(tmp);
}

const char *walk_bad_name(const char *name, size_t len)
{
	if (len == 0)
		return "empty name";
	if (memchr(name, 0, len))
		return "NUL byte in name";
	if (name[0] == '/')
		return "absolute path";
	if (memchr(name, '\\', len))
		return "backslash in name";
	if (len >= 2 && name[1] == ':')
		return "drive letter in name";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "control character in name";
	if (!utf8_valid(name, len))
		return "name is not valid UTF-8";
	for (size_t i = 0; i < len;) {
		const char *seg = name + i, *sl = memchr(seg, '/', len - i);
		size_t n = sl ? (size_t)(sl - seg) : len - i;
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return "\"..\" in path";
		if (n == 1 && seg[0] == '.')
			return "\".\" in path";
		if (n == 0 && sl)
			return "empty path component";
		i += n + 1;
	}
	return NULL;
}

/* ---- zip ---------------------------------------------------------------- */

static int zip_open(walker *w, char *err, size_t errlen)
{
	locale_t old = w->loc ? uselocale(w->loc) : (locale_t)0;
	w->a = archive_read_new();
	archive_read_support_format_zip_streamable(w->a);
	int r = archive_read_open_filename(w->a, w->path, READ_BLOCK);
	if (r != ARCHIVE_OK && archive_errno(w->a) == ARCHIVE_ERRNO_FILE_FORMAT)
		snprintf(err, errlen, "%s: not a zip file or directory%s", w->path, w->size ? "" : " (it is empty)");
	else if (r != ARCHIVE_OK)
		snprintf(err, errlen, "%s: %s", w->path, archive_error_string(w->a));
	if (w->loc)
		uselocale(old);
	if (r != ARCHIVE_OK) {
		archive_read_free(w->a);
		w->a = NULL;
		return -1;
	}
	w->entries = 0;
	return 0;
}

static const char *zip_next(walker *w)
{
	buf_t tmp = BUF_INIT;
	const char *out = NULL;
	locale_t old = w->loc ? uselocale(w->loc) : (locale_t)0;
	while (w->a && !w->damaged) {
		int r = archive_read_next_header(w->a, &w->e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			w->damaged = true;
			if (!w->again)
				warnf(w->warn, "%s: archive damaged after %zu entries, the rest cannot be read: %s",
				      w->path, w->entries, archive_error_string(w->a));
			break;
		}
		w->entries++;
		const char *n = archive_entry_pathname_utf8(w->e);
		if (!n)
			n = archive_entry_pathname(w->e);
		if (!n) {
			if (!w->again)
				warnf(w->warn, "%s: entry %zu skipped: its name cannot be decoded", w->path, w->entries);
			continue;
		}
		size_t len = strlen(n);
		if (archive_entry_filetype(w->e) == AE_IFDIR || (len && n[len - 1] == '/'))
			continue;
		while (len > 2 && n[0] == '.' && n[1] == '/')
			n += 2, len -= 2;
		const char *why = walk_bad_name(n, len);
		if (!why && archive_entry_filetype(w->e) != AE_IFREG)
			why = "not a regular file";
		if (why) {
			if (!w->again)
				warnf(w->warn, "%s: %s: entry skipped: %s", w->path, shown(&tmp, n, len), why);
			continue;
		}
		buf_reset(&w->name);
		buf_put(&w->name, n, len);
		out = buf_str(&w->name);
		break;
	}
	if (w->loc)
		uselocale(old);
	buf_free(&tmp);
	return out;
}

/* Stop reading an entry that inflates too far. */
static const char *zip_limit(walker *w, size_t got, int64_t start)
{
	if ((int64_t)got > WALK_MAX_ENTRY)
		return "larger than the per-file limit";
	if (got > RATIO_AFTER) {
		int64_t raw = archive_filter_bytes(w->a, -1) - start;
		if (raw < 1)
			raw = 1;
		if ((int64_t)got / raw > WALK_MAX_RATIO)
			return "compression ratio too high (zip bomb?)";
	}
	return NULL;
}

static long zip_read_some(walker *w, char *p, size_t cap)
{
	const char *name = buf_str(&w->name);
	if (w->rd == 0) {
		w->rd = 1;
		if (archive_entry_size_is_set(w->e) && archive_entry_size(w->e) > WALK_MAX_ENTRY) {
			warnf(w->warn, "%s: %s: skipped: %lld bytes uncompressed, over the %lld MiB limit",
			      w->path, name, (long long)archive_entry_size(w->e), (long long)(WALK_MAX_ENTRY >> 20));
			w->limited = true;
			return -1;
		}
		w->rstart = archive_filter_bytes(w->a, -1);
	}
	la_ssize_t n = archive_read_data(w->a, p, cap);
	if (n < 0) {
		warnf(w->warn, "%s: %s: read error after %zu bytes: %s", w->path, name, w->rgot,
		      archive_error_string(w->a));
		return -1;
	}
	if (n == 0)
		return 0;
	w->rgot += (size_t)n;
	const char *why = zip_limit(w, w->rgot, w->rstart);
	if (why) {
		warnf(w->warn, "%s: %s: skipped after %zu bytes: %s", w->path, name, w->rgot, why);
		w->limited = true;
		return -1;
	}
	return (long)n;
}

/* ---- directory ---------------------------------------------------------- */

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void add_name(walker *w, const char *rel)
{
	if (w->nnames == w->capnames) {
		w->capnames = w->capnames ? w->capnames * 2 : 256;
		w->names = xrealloc(w->names, w->capnames * sizeof *w->names);
	}
	w->names[w->nnames++] = xstrdup(rel);
}

static void list_dir(walker *w, const char *rel, int depth)
{
	buf_t dir = BUF_INIT, child = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&dir, "%s%s%s", w->path, *rel ? "/" : "", rel);
	DIR *d = opendir(buf_str(&dir));
	if (!d) {
		warnf(w->warn, "%s: cannot list %s: %s", w->path, *rel ? rel : ".", strerror(errno));
		goto out;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		buf_reset(&child);
		buf_printf(&child, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		const char *why = walk_bad_name(child.p, child.len);
		if (why) {
			warnf(w->warn, "%s: %s: entry skipped: %s", w->path, shown(&tmp, child.p, child.len), why);
			continue;
		}
		buf_reset(&w->full);
		buf_printf(&w->full, "%s/%s", w->path, child.p);
		struct stat st;
		if (lstat(w->full.p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
			list_dir(w, child.p, depth + 1);
		else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(w->full.p, &st) == 0 && S_ISREG(st.st_mode)))
			add_name(w, child.p);
	}
	closedir(d);
out:
	buf_free(&dir);
	buf_free(&child);
	buf_free(&tmp);
}

static long dir_read_some(walker *w, char *p, size_t cap)
{
	const char *name = buf_str(&w->name);
	if (w->rd == 0) {
		w->rd = 1;
		buf_reset(&w->full);
		buf_printf(&w->full, "%s/%s", w->path, name);
		w->f = fopen(w->full.p, "rb");
		if (!w->f) {
			warnf(w->warn, "%s: %s: %s", w->path, name, strerror(errno));
			return -1;
		}
		struct stat st;
		if (fstat(fileno(w->f), &st) == 0 && st.st_size > WALK_MAX_ENTRY) {
			warnf(w->warn, "%s: %s: skipped: %lld bytes, over the %lld MiB limit", w->path, name,
			      (long long)st.st_size, (long long)(WALK_MAX_ENTRY >> 20));
			w->limited = true;
			return -1;
		}
	}
	size_t n = fread(p, 1, cap, w->f);
	w->rgot += n;
	if ((int64_t)w->rgot > WALK_MAX_ENTRY) {
		warnf(w->warn, "%s: %s: skipped: over the %lld MiB limit", w->path, name, (long long)(WALK_MAX_ENTRY >> 20));
		w->limited = true;
		return -1;
	}
	if (n < cap && ferror(w->f)) {
		warnf(w->warn, "%s: %s: read error after %zu bytes", w->path, name, w->rgot);
		return -1;
	}
	return (long)n;
}

/* The current entry is done with: close what reading it opened. */
static void entry_done(walker *w)
{
	if (w->f)
		fclose(w->f);
	w->f = NULL;
	w->rd = 0;
	w->limited = false;
	w->rgot = 0;
}

/* ---- the interface ------------------------------------------------------ */

walker *walk_open(const char *path, const warner *warn, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	walker *w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->warn = warn;
	w->is_dir = S_ISDIR(st.st_mode);
	w->size = st.st_size;
	if (w->is_dir) {
		size_t n = strlen(w->path);
		while (n > 1 && w->path[n - 1] == '/')
			w->path[--n] = 0;
		list_dir(w, "", 0);
		if (w->nnames)
			qsort(w->names, w->nnames, sizeof *w->names, cmp_names);
		return w;
	}
	w->loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (zip_open(w, err, errlen) != 0) {
		walk_close(w);
		return NULL;
	}
	return w;
}

static const char *dir_next(walker *w)
{
	if (w->pos >= w->nnames)
		return NULL;
	buf_reset(&w->name);
	buf_puts(&w->name, w->names[w->pos++]);
	return buf_str(&w->name);
}

const char *walk_next(walker *w)
{
	entry_done(w);
	for (;;) {
		const char *n = w->is_dir ? dir_next(w) : zip_next(w);
		if (!n || !w->root)
			return n;
		if (strncmp(n, w->root, w->rootlen) == 0 && n[w->rootlen])
			return n + w->rootlen;
	}
}

void walk_set_root(walker *w, const char *folder, size_t len)
{
	free(w->root);
	w->root = xstrndup(folder, len);
	w->rootlen = len;
}

long walk_read_some(walker *w, char *p, size_t cap)
{
	if (w->rd == 2)
		return w->limited ? -1 : 0;
	long n = w->is_dir ? dir_read_some(w, p, cap) : zip_read_some(w, p, cap);
	if (n <= 0)
		w->rd = 2;
	return n;
}

bool walk_read_limited(const walker *w)
{
	return w->limited;
}

int walk_read(walker *w, buf_t *b)
{
	buf_reset(b);
	for (;;) {
		buf_grow(b, READ_BLOCK);
		long n = walk_read_some(w, b->p + b->len, READ_BLOCK);
		if (n < 0 && w->limited)
			buf_reset(b);
		if (n <= 0)
			return n < 0 ? -1 : 0;
		b->len += (size_t)n;
		b->p[b->len] = 0;
	}
}

int walk_rewind(walker *w, char *err, size_t errlen)
{
	entry_done(w);
	w->again = true;
	if (w->is_dir) {
		w->pos = 0;
		return 0;
	}
	if (w->a)
		archive_read_free(w->a);
	w->a = NULL;
	w->damaged = false;
	return zip_open(w, err, errlen);
}

bool walk_damaged(const walker *w)
{
	return w->damaged;
}

void walk_close(walker *w)
{
	if (!w)
		return;
	entry_done(w);
	if (w->a)
		archive_read_free(w->a);
	if (w->loc)
		freelocale(w->loc);
	for (size_t i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	buf_free(&w->full);
	buf_free(&w->name);
	free(w->root);
	free(w->path);
	free(w);
}
