/* events.h: POST /slack/events, Slack's Events API.
 *
 * Enabled when a signing secret is configured (signing_secret,
 * $SLACKLOG_SIGNING_SECRET). A request is checked in this order: both
 * Content-Length and Transfer-Encoding (a request smuggling shape) 400,
 * a body over 1 MB 413, a content type other than application/json 415,
 * then the signature: X-Slack-Request-Timestamp within 5 minutes of now
 * and X-Slack-Signature equal (in constant time) to "v0=" + the hex
 * HMAC-SHA256 of "v0:{timestamp}:{body}" under the secret, else 401.
 *
 * A signed url_verification is answered with its challenge. An event is
 * applied (src/ingest/events.c) and committed before the 200 is sent; its
 * event_id is kept in the archive for a day (store_event_id), so Slack's
 * retries and duplicates change nothing. The pages notice the write by
 * themselves: their cache is keyed by the archive files' state, and the
 * commit changes the WAL file.
 *
 * Writes go through one store handle guarded by a mutex; pages read
 * through their own read-only connections (WAL), so a burst of events
 * does not hold up page serving. */
#ifndef SLACKLOG_WEB_EVENTS_H
#define SLACKLOG_WEB_EVENTS_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/buf.h"

#define EVENTS_PATH "/slack/events"
#define EVENTS_MAX_BODY ((size_t)1 << 20)

typedef struct evsink evsink_t;

evsink_t *evsink_new(const char *db, const char *secret, char *err, size_t errlen);
void evsink_free(evsink_t *e);

/* What the request said, as far as the endpoint cares. The counts and
 * bad_field_name let the precheck refuse the shapes of request smuggling
 * that a single looked-up value would hide: a repeated Content-Length or
 * Transfer-Encoding, or a field name with whitespace in it
 * ("Transfer-Encoding : chunked"), which a proxy in front may read
 * differently. */
typedef struct evreq {
	const char *content_type, *content_length, *transfer_encoding;
	int n_content_length, n_transfer_encoding;
	bool bad_field_name;
	const char *timestamp, *signature;
	const char *body;
	size_t len;
} evreq;

/* Checks on the headers alone, before the body is read: 0 to go on, or
 * an HTTP status (400, 413, 415) with a short text in *why. */
int evsink_precheck(const evreq *r, const char **why);
/* The whole request: the status, and the answer's content type and body. */
int evsink_handle(evsink_t *e, const evreq *r, const char **type, buf_t *out);
/* Exposed for the unit tests: "v0=" + hex HMAC-SHA256 of v0:ts:body. */
void evsink_sign(const char *secret, const char *ts, const char *body, size_t len, char out[68]);
#endif
