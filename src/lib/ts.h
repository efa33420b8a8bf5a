/* ts.h: Slack timestamps and days.
 *
 * A Slack ts ("1458969700.000002") is the message's identity within its
 * channel. We keep it as canonical text "SSSSSSSSSS.FFFFFF" (10-digit
 * seconds, 6-digit fraction) so that text order is numeric order, in the
 * store and everywhere else.
 *
 * The day a message belongs to is computed from its ts in the archive's time
 * zone (never from the export's file names, which are Los Angeles dates).
 * The zone is process-wide: ts_set_zone() sets TZ once at start-up. */
#ifndef SLACKLOG_TS_H
#define SLACKLOG_TS_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum { TS_LEN = 17 };   /* "SSSSSSSSSS.FFFFFF" */

/* Parse a ts given as "123.456", "123", or a JSON number's text; write the
 * canonical form into out[TS_LEN+1]. Returns false if it is not a ts. */
bool ts_canon(const char *s, char out[TS_LEN + 1]);
int64_t ts_seconds(const char *canon);
/* Set the archive's time zone ("UTC", "America/Chicago"); false if unknown. */
bool ts_set_zone(const char *zone);
const char *ts_zone(void);
/* Day of a unix time in the archive's zone: out = "YYYY-MM-DD". */
void ts_day(int64_t sec, char out[11]);
/* "HH:MM" and an ISO 8601 timestamp with the zone's offset. */
void ts_clock(int64_t sec, char out[6]);
void ts_iso(int64_t sec, char out[32]);
/* Validate "YYYY-MM-DD" (a real calendar date, on which a ts can fall:
 * 1969-12-31 and later). */
bool day_valid(const char *s);
/* Neighbouring calendar day, for "the nearest days" suggestions. */
void day_add(const char *day, int delta, char out[11]);
#endif
