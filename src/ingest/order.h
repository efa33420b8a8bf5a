/* order.h: which of two changes to the same thing is the newer one.
 *
 * Events can arrive twice and in any order (replayed logs, logs read in a
 * different order, Slack's retries). For messages and reactions the
 * store's rules decide (store_upsert_message, store_reaction_event); for
 * everything else an event changes (a channel's name, kind or topic, an
 * emoji, a user record, a membership) the archive keeps, per thing,
 * "TIME STATE" of the change applied last, in
 * its settings under a key starting with "ev:". A change is applied only
 * when its "TIME STATE" sorts after the kept one: TIME is a canonical ts
 * (fixed width, so text order is time order), and STATE breaks ties
 * between changes made in the same microsecond, so that any arrival order
 * ends the same way. */
#ifndef SLACKLOG_INGEST_ORDER_H
#define SLACKLOG_INGEST_ORDER_H
#include <stdint.h>
#include "lib/ts.h"
#include "store/store.h"

/* The key of one attribute of a conversation (ID, then "name", "topic",
 * "purpose", "archived", "kind", or "label": the name links to it give):
 * events and exports order by it. */
#define ORDER_CHANNEL_KEY "ev:ch:%s:%s"

/* 1 when (time, state) is newer than what key holds (and is now kept),
 * 0 when it is not, -1 on a store error. */
int order_take(store_t *s, const char *key, const char *time, const char *state);
/* The state kept under key, in a (empty when none). */
const char *order_state(store_t *s, arena_t *a, const char *key);
/* A time from a ts or a number of seconds ("1458969700.000002", 1458969700,
 * "1458969700"); milliseconds (13 digits and more) are scaled down. False
 * when it is none of these. */
bool order_time(const char *v, char out[TS_LEN + 1]);
void order_time_int(int64_t sec, char out[TS_LEN + 1]);
#endif
