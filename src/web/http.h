/* http.h: the HTTP manners that do not need a socket.
 *
 * Conditional requests (If-None-Match / If-Modified-Since), content
 * negotiation for gzip, HTTP dates, cache and security header values.
 * Kept apart from the libmicrohttpd glue so each rule can be unit-tested
 * on strings. */
#ifndef SLACKLOG_HTTP_H
#define SLACKLOG_HTTP_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "lib/buf.h"
#include "pages/pages.h"

/* Does an If-None-Match header match etag ("\"hex\"")? Weak comparison,
 * as RFC 9110 asks for If-None-Match: W/ is ignored, and the gzip variant's
 * tag ("\"hex-gz\"") matches too, "*" matches anything. */
bool http_etag_match(const char *if_none_match, const char *etag);
/* Should the answer be 304? If-None-Match wins over If-Modified-Since. */
bool http_not_modified(const char *inm, const char *ims, const char *etag, int64_t last_modified);
/* Does Accept-Encoding allow gzip (gzip, x-gzip or *, q > 0)? */
bool http_accepts_gzip(const char *accept_encoding);
/* gzip-compress n bytes into out (replaced). -1 on zlib failure. */
int http_gzip(const void *in, size_t n, buf_t *out);
/* "Sun, 06 Nov 1994 08:49:37 GMT" and back (also RFC 850 / asctime). */
void http_date(int64_t t, char out[40]);
bool http_parse_date(const char *s, int64_t *t);
/* Cache-Control value for a policy. */
const char *http_cache_control(cache_policy c);
/* The gzip variant of a strong ETag: "\"hex\"" -> "\"hex-gz\"". */
void http_etag_gz(const char *etag, char out[32]);
/* Is it worth compressing this content type? */
bool http_compressible(const char *type);

/* How a request's body is framed, as its header fields say. */
typedef struct http_framing {
	const char *content_length, *transfer_encoding;   /* first of each */
	int n_content_length, n_transfer_encoding;        /* how many */
	bool bad_field_name;       /* a name with whitespace, ':' or empty */
} http_framing;
/* NULL when the framing is unambiguous: at most one Content-Length, of
 * digits only, or one Transfer-Encoding that is exactly "chunked", never
 * both, and no field name a proxy in front could read another way
 * ("Transfer-Encoding : chunked"). Else why not, for a 400: these are the
 * shapes of request smuggling (RFC 9112, 6.1 and 6.3). */
const char *http_framing_error(const http_framing *f);

extern const char HTTP_CSP[];
#endif
