/* utf8.h: UTF-8 validation, repair and width. Slack data is mostly valid
 * UTF-8, but exports carry lone surrogates and stray bytes; we never reject
 * text for it, we replace the bad sequence with U+FFFD and count it. */
#ifndef SLACKLOG_UTF8_H
#define SLACKLOG_UTF8_H
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "lib/buf.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t utf8_valid_len(const unsigned char *s, size_t n);
bool utf8_valid(const char *s, size_t n);
/* Append s to b, replacing invalid sequences with U+FFFD. Returns how many
 * replacements were made. */
size_t utf8_repair(buf_t *b, const char *s, size_t n);
/* Decode one code point at *s (advancing it); invalid bytes give 0xFFFD. */
uint32_t utf8_next(const char **s, const char *end);
void utf8_put(buf_t *b, uint32_t cp);
/* The columns a terminal gives s: wcwidth(3) of each character in the
 * C.UTF-8 locale, whatever the process's own (East Asian wide characters
 * and most emoji take two, combining marks none); a character with no
 * width of its own (a control) counts one. */
size_t utf8_width(const char *s);
#endif
