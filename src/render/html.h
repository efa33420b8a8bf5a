/* html.h: the escaping writers. Every byte of Slack-provided text reaches
 * HTML through one of these functions; page and render code never pastes a
 * data string into markup directly (the cgit html_txt()/html_attr() habit).
 *
 *   html_txt   text content:      & < > " ' escaped
 *   html_attr  attribute values:  the same set (we always quote with ")
 *   html_href  a URL attribute:   only http, https, mailto and relative
 *              URLs pass; anything else (javascript:, data:, vbscript:, in
 *              any case, with any whitespace or control characters) is
 *              replaced by "#".
 */
#ifndef SLACKLOG_HTML_H
#define SLACKLOG_HTML_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/buf.h"

void html_txt(buf_t *b, const char *s);
void html_txtn(buf_t *b, const char *s, size_t n);
void html_attr(buf_t *b, const char *s);
void html_attrn(buf_t *b, const char *s, size_t n);
/* true for http:, https:, mailto: and scheme-less relative URLs ("/x", "#a") */
bool html_url_ok(const char *url, size_t n);
void html_href(buf_t *b, const char *url);
void html_hrefn(buf_t *b, const char *url, size_t n);
/* Percent-encode one URL path segment (channel names can be non-ASCII). */
void url_segment(buf_t *b, const char *s);
#endif
