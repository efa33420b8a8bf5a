/* order.c: "TIME STATE" per changed thing, in the archive's settings.
 * See order.h. */
#include "ingest/order.h"
#include "lib/buf.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void order_time_int(int64_t sec, char out[TS_LEN + 1])
{
	if (sec < 0)
		sec = 0;
	if (sec > 9999999999LL)
		sec = 9999999999LL;
	snprintf(out, TS_LEN + 1, "%010" PRId64 ".000000", sec);
}

bool order_time(const char *v, char out[TS_LEN + 1])
{
	if (!v || !*v)
		return false;
	size_t digits = strspn(v, "0123456789");
	if (v[digits] == 0 && digits >= 13) {
		char sec[16];
		snprintf(sec, sizeof sec, "%.*s", (int)(digits - 3), v);
		return ts_canon(sec, out);
	}
	return ts_canon(v, out);
}

const char *order_state(store_t *s, arena_t *a, const char *key)
{
	const char *v = store_get_setting(s, a, key);
	const char *sp = v ? strchr(v, ' ') : NULL;
	return sp ? sp + 1 : "";
}

int order_take(store_t *s, const char *key, const char *time, const char *state)
{
	buf_t want = BUF_INIT;
	buf_printf(&want, "%s %s", time, state ? state : "");
	arena_t a = {0};
	const char *have = store_get_setting(s, &a, key);
	int rc = 0;
	if (!have || strcmp(buf_str(&want), have) > 0)
		rc = store_set_setting(s, key, buf_str(&want)) == 0 ? 1 : -1;
	arena_free(&a);
	buf_free(&want);
	return rc;
}
