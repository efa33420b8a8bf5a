/* accesslog.h: one line per request, for an operator to read or grep:
 *
 *   2024-05-01T12:00:00Z 127.0.0.1 GET /general/2016-03-14/ 200 10234 1.2ms
 *
 * time (UTC), client address, method, path as sent (bytes outside
 * printable ASCII written as \xNN, so a hostile path cannot forge lines),
 * status, body bytes sent, time to answer. To stderr, or to a file that
 * SIGHUP reopens (for log rotation). */
#ifndef SLACKLOG_ACCESSLOG_H
#define SLACKLOG_ACCESSLOG_H
#include <stddef.h>

typedef struct accesslog accesslog_t;

/* path NULL, "" or "-": stderr. */
accesslog_t *accesslog_open(const char *path, char *err, size_t errlen);
int accesslog_reopen(accesslog_t *l, const char *path, char *err, size_t errlen);
void accesslog_write(accesslog_t *l, const char *client, const char *method, const char *path,
		     int status, size_t bytes, double seconds);
void accesslog_close(accesslog_t *l);
#endif
