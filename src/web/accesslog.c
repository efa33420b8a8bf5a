/* accesslog.c: see accesslog.h. Lines are formatted in a local buffer and
 * written with one call under a mutex, so lines from worker threads never
 * interleave. */
#include "web/accesslog.h"
#include "lib/buf.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct accesslog {
	pthread_mutex_t lock;
	FILE *f;
	int own;                     /* f is ours to close */
};

static FILE *open_file(const char *path, int *own, char *err, size_t errlen)
{
	*own = 0;
	if (!path || !*path || !strcmp(path, "-"))
		return stderr;
	FILE *f = fopen(path, "a");
	if (!f) {
		snprintf(err, errlen, "access log %s: %s", path, strerror(errno));
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	*own = 1;
	return f;
}

accesslog_t *accesslog_open(const char *path, char *err, size_t errlen)
{
	int own;
	FILE *f = open_file(path, &own, err, errlen);
	if (!f)
		return NULL;
	accesslog_t *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->lock, NULL);
	l->f = f;
	l->own = own;
	return l;
}

int accesslog_reopen(accesslog_t *l, const char *path, char *err, size_t errlen)
{
	int own;
	FILE *f = open_file(path, &own, err, errlen);
	if (!f)
		return -1;
	pthread_mutex_lock(&l->lock);
	if (l->own)
		fclose(l->f);
	l->f = f;
	l->own = own;
	pthread_mutex_unlock(&l->lock);
	return 0;
}

static void put_clean(buf_t *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x21 || c > 0x7e || c == '\\')
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
}

void accesslog_write(accesslog_t *l, const char *client, const char *method, const char *path,
		     int status, size_t bytes, double seconds)
{
	if (!l)
		return;
	char when[32];
	struct tm tm;
	time_t now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s %s ", when, client && *client ? client : "-");
	put_clean(&b, method ? method : "-");
	buf_putc(&b, ' ');
	put_clean(&b, path ? path : "-");
	buf_printf(&b, " %d %zu %.1fms\n", status, bytes, seconds * 1000.0);
	pthread_mutex_lock(&l->lock);
	fwrite(b.p, 1, b.len, l->f);
	fflush(l->f);
	pthread_mutex_unlock(&l->lock);
	buf_free(&b);
}

void accesslog_close(accesslog_t *l)
{
	if (!l)
		return;
	if (l->own)
		fclose(l->f);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
