/* render-walk.h: hand every day file of a Slack export (a directory or a
 * zip) to a callback, for the render benchmark and the render fixture
 * test. Day files are "<channel>/<anything>.json"; top-level metadata
 * files are skipped. Header-only: both programs link only libslacklog.a
 * and libarchive. Returns the number of files, or -1 if path cannot be
 * read. */
#ifndef RENDER_WALK_H
#define RENDER_WALK_H
#include "lib/buf.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef void (*walk_fn)(void *ud, const char *name, const char *data, size_t len);

static void walk_read(FILE *f, buf_t *b)
{
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(b, tmp, n);
}

static int walk_dir(const char *root, walk_fn fn, void *ud)
{
	DIR *d = opendir(root);
	struct dirent *e;
	char sub[4096], path[8192];
	int files = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", root, e->d_name);
		DIR *c = opendir(sub);
		struct dirent *f;
		while (c && (f = readdir(c))) {
			FILE *fp;
			if (!strstr(f->d_name, ".json"))
				continue;
			snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
			if (!(fp = fopen(path, "rb")))
				continue;
			buf_t b = BUF_INIT;
			walk_read(fp, &b);
			fclose(fp);
			fn(ud, path, buf_str(&b), b.len);
			buf_free(&b);
			files++;
		}
		if (c)
			closedir(c);
	}
	closedir(d);
	return files;
}

static int walk_zip(const char *path, walk_fn fn, void *ud)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int files = 0;
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		archive_read_free(a);
		return -1;
	}
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!strchr(name, '/') || !strstr(name, ".json"))
			continue;
		buf_t b = BUF_INIT;
		char tmp[65536];
		la_ssize_t n;
		while ((n = archive_read_data(a, tmp, sizeof tmp)) > 0)
			buf_put(&b, tmp, (size_t)n);
		fn(ud, name, buf_str(&b), b.len);
		buf_free(&b);
		files++;
	}
	archive_read_free(a);
	return files;
}

static int walk_export(const char *path, walk_fn fn, void *ud)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	return S_ISDIR(st.st_mode) ? walk_dir(path, fn, ud) : walk_zip(path, fn, ud);
}
#endif
