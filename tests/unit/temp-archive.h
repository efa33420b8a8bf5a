/* temp-archive.h: a new archive in a temp file for a unit test, and its
 * removal with the WAL files SQLite leaves next to it. */
#ifndef SLACKLOG_TEMP_ARCHIVE_H
#define SLACKLOG_TEMP_ARCHIVE_H
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* path: a mkstemp template, filled in and kept for temp_archive_remove;
 * NULL and a "not ok" line when the archive cannot be made. */
static store_t *temp_archive(char *path)
{
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	printf("%s - create archive %s\n", s ? "ok" : "not ok", s ? "" : err);
	return s;
}

static void temp_archive_remove(const char *path)
{
	char side[300];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}
#endif
