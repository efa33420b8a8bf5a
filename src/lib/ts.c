/* ts.c: see ts.h. The zone is applied through the C library (TZ + tzset),
 * with a one-entry cache per hour: consecutive messages are usually in the
 * same hour, which makes bucketing a million messages cheap. */
#include "lib/ts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char zone_name[128] = "UTC";
static int zone_generation;     /* bumped on every zone change: invalidates caches */

bool ts_canon(const char *s, char out[TS_LEN + 1])
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	const char *p = s;
	int64_t sec = 0;
	int nd = 0;
	while (*p >= '0' && *p <= '9') {
		if (++nd > 10)
			return false;
		sec = sec * 10 + (*p - '0');
		p++;
	}
	if (nd == 0)
		return false;
	int frac = 0, nf = 0;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (nf < 6) {
				frac = frac * 10 + (*p - '0');
				nf++;
			} else if (*p != '0') {
				return false;   /* more precision than Slack ever writes */
			}
			p++;
		}
		for (; nf < 6; nf++)
			frac *= 10;
	}
	if (*p)
		return false;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%010lld.%06d", (long long)sec, frac);
	memcpy(out, tmp, TS_LEN + 1);
	return true;
}

int64_t ts_seconds(const char *canon)
{
	return strtoll(canon, NULL, 10);
}

bool ts_set_zone(const char *zone)
{
	if (!zone || !*zone)
		zone = "UTC";
	if (strlen(zone) >= sizeof zone_name || strstr(zone, ".."))
		return false;
	if (strcmp(zone, "UTC") != 0) {
		/* the C library silently falls back to UTC for unknown names */
		char path[256];
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
		if (zone[0] == '/' || access(path, R_OK) != 0)
			return false;
	}
	snprintf(zone_name, sizeof zone_name, "%s", zone);
	setenv("TZ", zone, 1);
	tzset();
	__atomic_add_fetch(&zone_generation, 1, __ATOMIC_SEQ_CST);
	return true;
}

const char *ts_zone(void)
{
	return zone_name;
}

/* v's last n decimal digits at o; returns the end */
static char *digits(char *o, long v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + n;
}

/* YYYY-MM-DD, each field cut to its width; returns the end (no NUL) */
static char *put_day(const struct tm *tm, char *o)
{
	o = digits(o, ((long)tm->tm_year + 1900) % 10000, 4);
	*o++ = '-';
	o = digits(o, tm->tm_mon + 1, 2);
	*o++ = '-';
	return digits(o, tm->tm_mday, 2);
}

/* HH:MM; returns the end (no NUL) */
static char *put_clock(const struct tm *tm, char *o)
{
	o = digits(o, tm->tm_hour, 2);
	*o++ = ':';
	return digits(o, tm->tm_min, 2);
}

static void fmt_day(const struct tm *tm, char out[11])
{
	*put_day(tm, out) = 0;
}

static void tm_of(int64_t sec, struct tm *tm)
{
	/* cache by hour: zone offsets change on hour boundaries everywhere
	 * that matters (a few zones use :30/:45 offsets, still constant
	 * within a UTC hour) */
	static __thread int64_t cached_hour = INT64_MIN;
	static __thread struct tm cached;
	static __thread int cached_gen = -1;
	int gen = __atomic_load_n(&zone_generation, __ATOMIC_RELAXED);
	int64_t hour = sec / 3600;
	if (sec < 0)
		hour = (sec - 3599) / 3600;
	if (hour != cached_hour || gen != cached_gen) {
		cached_gen = gen;
		time_t t = (time_t)(hour * 3600);
		localtime_r(&t, &cached);
		cached_hour = hour;
	}
	*tm = cached;
	int64_t rem = sec - hour * 3600;
	tm->tm_min += (int)(rem / 60);
	tm->tm_sec += (int)(rem % 60);
	/* within the hour, minutes can carry into the next local hour only for
	 * half-hour zones: normalise */
	if (tm->tm_sec >= 60) {
		tm->tm_min += tm->tm_sec / 60;
		tm->tm_sec %= 60;
	}
	if (tm->tm_min >= 60) {
		time_t t = (time_t)sec;
		localtime_r(&t, tm);
	}
}

void ts_day(int64_t sec, char out[11])
{
	struct tm tm;
	tm_of(sec, &tm);
	fmt_day(&tm, out);
}

void ts_clock(int64_t sec, char out[6])
{
	struct tm tm;
	tm_of(sec, &tm);
	*put_clock(&tm, out) = 0;
}

void ts_iso(int64_t sec, char out[32])
{
	struct tm tm;
	tm_of(sec, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	/* YYYY-MM-DDTHH:MM:SS+HH:MM */
	char *o = put_day(&tm, out);
	*o++ = 'T';
	o = put_clock(&tm, o);
	*o++ = ':';
	o = digits(o, tm.tm_sec, 2);
	*o++ = sign;
	o = digits(o, (off / 3600) % 100, 2);
	*o++ = ':';
	o = digits(o, (off / 60) % 60, 2);
	*o = 0;
}

bool day_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	/* a ts counts from 1970-01-01 UTC, which is still 1969-12-31 west of
	 * Greenwich: the one earlier day a message can have */
	if (y < 1970 && strcmp(s, "1969-12-31") != 0)
		return false;
	if (m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int md = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		md = 29;
	return d <= md;
}

void day_add(const char *day, int delta, char out[11])
{
	struct tm tm = {0};
	tm.tm_year = atoi(day) - 1900;
	tm.tm_mon = atoi(day + 5) - 1;
	tm.tm_mday = atoi(day + 8) + delta;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	fmt_day(&tm, out);
}
