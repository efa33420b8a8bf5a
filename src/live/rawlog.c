/* rawlog.c: daily JSON Lines files. See rawlog.h. */
#include "live/rawlog.h"
#include "lib/buf.h"
#include "lib/ts.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rawlog {
	char *dir;
	char day[11];                /* the open file's day */
	int fd;
	bool dirty;                  /* written since the last fdatasync */
	buf_t line;
};

rawlog *rawlog_open(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	errno = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
		snprintf(err, errlen, "%s: not a writable directory (%s)", dir,
			 errno ? strerror(errno) : "not a directory");
		return NULL;
	}
	rawlog *l = xcalloc(1, sizeof *l);
	l->dir = xstrdup(dir);
	l->fd = -1;
	return l;
}

void rawlog_flush(rawlog *l)
{
	if (l && l->fd >= 0 && l->dirty)
		fdatasync(l->fd);
	if (l)
		l->dirty = false;
}

static int file_of(rawlog *l, const char *day, char *err, size_t errlen)
{
	if (l->fd >= 0 && strcmp(day, l->day) == 0)
		return 0;
	rawlog_flush(l);
	if (l->fd >= 0)
		close(l->fd);
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.jsonl", l->dir, day);
	l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (l->fd < 0) {
		snprintf(err, errlen, "%s: cannot open it for appending: %s", path, strerror(errno));
		return -1;
	}
	memcpy(l->day, day, sizeof l->day);
	return 0;
}

int rawlog_put(rawlog *l, int64_t when, const char *line, size_t len, char *err, size_t errlen)
{
	char day[11];
	ts_day(when, day);
	if (file_of(l, day, err, errlen) != 0)
		return -1;
	buf_reset(&l->line);
	buf_put(&l->line, line, len);
	buf_putc(&l->line, '\n');
	struct stat st;
	if (fstat(l->fd, &st) != 0) {
		snprintf(err, errlen, "%s/%s.jsonl: %s", l->dir, day, strerror(errno));
		return -1;
	}
	ssize_t n = write(l->fd, l->line.p, l->line.len);
	if (n == (ssize_t)l->line.len) {
		l->dirty = true;
		return 0;
	}
	snprintf(err, errlen, "%s/%s.jsonl: writing failed: %s", l->dir, day, n < 0 ? strerror(errno) : "short write");
	if (n > 0 && ftruncate(l->fd, st.st_size) != 0)
		snprintf(err, errlen, "%s/%s.jsonl: a short write could not be cut back: %s", l->dir, day, strerror(errno));
	return -1;
}

void rawlog_close(rawlog *l)
{
	if (!l)
		return;
	rawlog_flush(l);
	if (l->fd >= 0)
		close(l->fd);
	buf_free(&l->line);
	free(l->dir);
	free(l);
}
