/* url.h: turning a request target into a path the pages can trust.
 *
 * The server receives the path exactly as the client sent it (libmicrohttpd's
 * own unescaping is switched off) and decodes it here, once, strictly: a
 * percent escape must be two hex digits, and a path whose decoded form holds
 * NUL, a control character, an encoded '/' or '\', a "." or ".." segment,
 * an empty segment, or bytes that are not valid shortest-form UTF-8 is
 * refused. Refusing (400) is better than guessing: no lookup ever sees a
 * path that could mean two things. */
#ifndef SLACKLOG_URL_H
#define SLACKLOG_URL_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/buf.h"

enum {
	URL_MAX_PATH = 2048,
	URL_MAX_QUERY = 2048,   /* bytes of the raw query string */
	URL_MAX_PARAMS = 32,    /* its '&'-separated parameters */
};

typedef enum {
	URL_OK = 0,
	URL_BAD,        /* malformed or hostile: answer 400 */
	URL_TOO_LONG,   /* longer than URL_MAX_PATH: answer 414 */
} url_status;

/* Decode a raw path ("/general/2016-03-14/") into out. */
url_status url_decode_path(const char *raw, buf_t *out);

/* Check a raw query string (after '?', NULL for none) before anything
 * reads it: URL_TOO_LONG over URL_MAX_QUERY bytes or URL_MAX_PARAMS
 * parameters (answer 414), URL_BAD when it holds a NUL or other control
 * character, raw or percent-encoded (answer 400). No page takes more than a
 * few parameters, and a search query is a line of words. */
url_status url_check_query(const char *q);

/* Decode one application/x-www-form-urlencoded value ('+' is a space).
 * Invalid escapes are kept literally and invalid UTF-8 is repaired: a
 * query is data to show, never a path to look up. */
void url_decode_form(const char *s, size_t n, buf_t *out);

/* Find key in a raw query string "a=1&b=2"; decodes its value into out.
 * Returns false when the key is absent. */
bool url_query_get(const char *query, const char *key, buf_t *out);
#endif
