/* socketmode.c: the listener's loop. See socketmode.h.
 *
 * One thread does the sockets and the archive: it polls the open
 * connections (two at most, during a refresh), reads every message they
 * hold, and stores and acknowledges each event before reading the next, so
 * an acknowledgement always follows its commit. Timers (hello, pings, the
 * old connection's end, the backoff, the minute's count) are checked after
 * each poll, which wakes at least once a second. */
#include "live/socketmode.h"
#include "live/backfill.h"
#include "live/rawlog.h"
#include "live/ws.h"
#include "cli.h"
#include "ingest/events.h"
#include "ingest/order.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "sync/api.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_CONNS = 2, OPEN_TIMEOUT_MS = 10000, API_TIMEOUT = 20 };
#define HELLO_WAIT 10.0      /* from the upgrade to Slack's hello */
#define PING_IDLE 30.0       /* silence before a ping */
#define PONG_WAIT 15.0       /* then silence before giving up */
#define OLD_MAX 30.0         /* a replaced connection, after the new hello */
#define CLOSE_WAIT 2.0       /* for the answer to our close frame */
#define BACKOFF_MAX 60.0
#define SEEN_MARGIN 300      /* the backfill starts this long before the last event */
#define SEEN_KEY "listen:seen"

typedef struct conn {
	ws_t *ws;
	unsigned n;                  /* numbered from 1, for the logs */
	bool hello, old;             /* old: replaced after a disconnect */
	double opened, last_rx, ping_at, old_until, close_at;
} conn;

typedef struct sm {
	const sm_opts *o;
	store_t *s;
	ev *e;
	warner w;
	api_t *api;
	rawlog *log;
	backfill *bf;
	conn c[MAX_CONNS];
	unsigned opened;             /* connections opened so far */
	int attempt;                 /* failures since the last hello */
	double retry_at;             /* when to open the next connection */
	bool gap;                    /* events may have been missed: backfill at the next hello */
	bool fatal, stopping;
	char seen[TS_LEN + 1];       /* event_time of the newest event stored ("": none) */
	arena_t a;
	double minute;               /* start of the minute being counted */
	unsigned long events, fresh;
} sm;

static void log_warning(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

/* ---- connections ------------------------------------------------------------- */

/* The delay before the attempt-th try: 0.5-1 s doubling up to 30-60 s. */
static double backoff(int attempt)
{
	double base = 1.0;
	for (int i = 1; i < attempt && base < BACKOFF_MAX; i++)
		base *= 2;
	if (base > BACKOFF_MAX)
		base = BACKOFF_MAX;
	return base / 2 + base / 2 * ((double)rand() / RAND_MAX);
}

static conn *current(sm *m)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (m->c[i].ws && !m->c[i].old)
			return &m->c[i];
	return NULL;
}

static bool delivering(const sm *m)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (m->c[i].ws && m->c[i].hello && !ws_close_sent(m->c[i].ws))
			return true;
	return false;
}

static void retry_later(sm *m, const char *why)
{
	double d = backoff(++m->attempt);
	m->retry_at = now_seconds() + d;
	log_warn("%s; reconnecting in %.1fs", why, d);
}

/* Close c's socket. When it was the one delivering events, another is
 * opened after the backoff (clean: at once) and a backfill follows it. */
static void drop(sm *m, conn *c, const char *why, bool clean)
{
	bool was_current = !c->old;
	unsigned n = c->n;
	ws_free(c->ws);
	*c = (conn){0};
	if (!delivering(m))
		m->gap = true;
	if (!was_current || current(m) || m->stopping) {
		log_info("connection %u closed: %s", n, why);
		return;
	}
	char line[600];
	snprintf(line, sizeof line, "connection %u lost: %s", n, why);
	if (clean) {
		log_info("%s; reconnecting", line);
		m->retry_at = now_seconds();
	} else {
		retry_later(m, line);
	}
}

/* Ask Slack for a URL and connect to it. */
static void open_conn(sm *m)
{
	conn *slot = NULL;
	for (int i = 0; i < MAX_CONNS && !slot; i++)
		if (!m->c[i].ws)
			slot = &m->c[i];
	if (!slot) {                 /* two old ones: the older goes */
		slot = m->c[0].opened < m->c[1].opened ? &m->c[0] : &m->c[1];
		drop(m, slot, "replaced before it ended", true);
	}
	arena_t a = {0};             /* not m->a: a disconnect's message is still in it */
	const jv *root;
	const char *err;
	int rc = api_call(m->api, &a, "apps.connections.open", NULL, 0, &root, &err);
	const char *url = rc == API_OK ? json_getstr(root, "url") : NULL;
	char line[1200], shown[512], why[512];
	ws_t *w = NULL;
	if (rc == API_SLACK_ERROR && api_auth_error(err)) {
		log_err("Slack refused the app token (%s): check --app-token or $SLACKLOG_APP_TOKEN", err);
		m->fatal = true;
	} else if (!url) {
		snprintf(line, sizeof line, "apps.connections.open failed: %s", rc == API_OK ? "no url in the answer" : err);
		retry_later(m, line);
	} else {
		ws_url_redact(url, shown, sizeof shown);
		w = ws_open(url, SM_MAX_MESSAGE, OPEN_TIMEOUT_MS, why, sizeof why);
		if (!w) {
			snprintf(line, sizeof line, "cannot open %s: %s", shown, why);
			retry_later(m, line);
		}
	}
	arena_free(&a);
	if (!w)
		return;
	double t = now_seconds();
	*slot = (conn){.ws = w, .n = ++m->opened, .opened = t, .last_rx = t};
	log_info("connection %u: opened %s, waiting for hello", slot->n, shown);
}

static void send_ack(sm *m, conn *c, const char *envelope)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "{\"envelope_id\":");
	json_write_str(&b, envelope, strlen(envelope));
	buf_putc(&b, '}');
	int rc = ws_send(c->ws, WS_TEXT, b.p, b.len);
	buf_free(&b);
	if (rc != 0)
		drop(m, c, "the acknowledgement could not be sent", false);
}

/* ---- events ------------------------------------------------------------------ */

static int log_event(sm *m, const jv *root, int64_t when)
{
	const jv *payload = json_get(root, "payload");
	buf_t line = BUF_INIT;
	json_write(&line, payload ? payload : root);
	char err[600];
	int rc = rawlog_put(m->log, when, line.p, line.len, err, sizeof err);
	if (rc != 0)
		log_err("%s", err);
	buf_free(&line);
	return rc;
}

/* The event, its id and the newest event time, in one transaction. */
static int store_event(sm *m, const jv *root, const char *id, int64_t etime, bool *fresh)
{
	int64_t t = time(NULL);
	char where[200], seen[TS_LEN + 1];
	snprintf(where, sizeof where, "event %.150s", id ? id : "(without an event_id)");
	order_time_int(etime ? etime : t, seen);
	if (store_begin(m->s) != 0)
		return -1;
	int rc = 0, isnew = 1;
	if (id && *id)
		rc = (isnew = store_event_id(m->s, id, etime, t)) < 0 ? -1 : 0;
	if (rc == 0 && isnew && m->log)
		rc = log_event(m, root, etime ? etime : t);
	if (rc == 0 && isnew && ev_apply(m->e, root, where) == EV_FAILED)
		rc = -1;
	if (rc == 0 && isnew && strcmp(seen, m->seen) > 0)
		rc = store_set_setting(m->s, SEEN_KEY, seen);
	if (rc == 0)
		rc = store_commit(m->s);
	else
		store_rollback(m->s);
	if (rc == 0 && isnew && strcmp(seen, m->seen) > 0)
		memcpy(m->seen, seen, sizeof seen);
	*fresh = isnew > 0;
	return rc;
}

static void on_event(sm *m, conn *c, const jv *root)
{
	const char *env = json_getstr(root, "envelope_id"), *id;
	int64_t etime, retry = json_getint(root, "retry_attempt", 0);
	ev_unwrap(root, &id, &etime);
	if (retry > 0)
		log_debug("event %s sent again (attempt %lld, %s)", id ? id : "?", (long long)retry,
			  json_getstr(root, "retry_reason") ? json_getstr(root, "retry_reason") : "no reason given");
	bool fresh;
	if (store_event(m, root, id, etime, &fresh) != 0) {
		log_err("event %s not stored (%s): not acknowledged, so Slack sends it again", id ? id : "?",
			store_errmsg(m->s));
		return;
	}
	m->events++;
	m->fresh += fresh;
	if (env)
		send_ack(m, c, env);
}

static void on_hello(sm *m, conn *c, const jv *root)
{
	c->hello = true;
	m->attempt = 0;
	log_info("connected (connection %u; %lld open to this app)", c->n,
		 (long long)json_getint(root, "num_connections", 1));
	log_debug("connection %u: Slack refreshes it in about %lld s", c->n,
		  (long long)json_getint(json_get(root, "debug_info"), "approximate_connection_time", 0));
	for (int i = 0; i < MAX_CONNS; i++)
		if (m->c[i].ws && m->c[i].old && !m->c[i].old_until)
			m->c[i].old_until = now_seconds() + OLD_MAX;
	if (!m->gap || !m->bf)
		return;
	m->gap = false;
	char since[TS_LEN + 1];
	if (*m->seen)
		order_time_int(ts_seconds(m->seen) - SEEN_MARGIN, since);
	backfill_ask(m->bf, *m->seen ? since : NULL);
}

static void on_disconnect(sm *m, conn *c, const jv *root)
{
	const char *reason = json_getstr(root, "reason");
	if (reason && strcmp(reason, "link_disabled") == 0) {
		log_err("Slack turned Socket Mode off for this app (link_disabled): turn it on in the app's settings");
		m->fatal = true;
		return;
	}
	if (c->old)
		return;
	log_info("connection %u: Slack asks for a new one (%s); opening it before this one closes", c->n,
		 reason ? reason : "no reason given");
	c->old = true;
	open_conn(m);
}

static void on_text(sm *m, conn *c, const char *text, size_t len)
{
	json_err err;
	json_stats st = {0};
	arena_reset(&m->a);
	const jv *root = json_parse(&m->a, text, len, &err, &st);
	const char *type = json_getstr(root, "type");
	if (!type) {
		char why[300];
		if (root)
			snprintf(why, sizeof why, "a message without a type");
		else
			snprintf(why, sizeof why, "a message that is not JSON (column %zu: %s)", err.col, err.msg);
		ws_close(c->ws, 1008, "bad message");
		drop(m, c, why, false);
		return;
	}
	if (ws_close_sent(c->ws))
		return;              /* no acknowledgement can follow our close: Slack sends it again */
	if (strcmp(type, "hello") == 0)
		on_hello(m, c, root);
	else if (strcmp(type, "disconnect") == 0)
		on_disconnect(m, c, root);
	else if (strcmp(type, "events_api") == 0)
		on_event(m, c, root);
	else if (json_getstr(root, "envelope_id")) {
		log_debug("connection %u: %s acknowledged and ignored", c->n, type);
		send_ack(m, c, json_getstr(root, "envelope_id"));
	} else
		log_debug("connection %u: a message of type %s ignored", c->n, type);
}

/* Read everything c holds. */
static void drain(sm *m, conn *c)
{
	while (c->ws && !m->fatal) {
		ws_msg msg;
		int code;
		char err[300];
		int rc = ws_read(c->ws, &msg, &code, err, sizeof err);
		if (rc == WS_NEED)
			return;
		if (rc == WS_EOF) {
			drop(m, c, err, ws_close_sent(c->ws));
			return;
		}
		if (rc == WS_BAD) {
			char why[400];
			snprintf(why, sizeof why, "the server sent %s (closed with %d)", err, code);
			ws_close(c->ws, code, "protocol error");
			drop(m, c, why, false);
			return;
		}
		c->last_rx = now_seconds();
		c->ping_at = 0;
		if (msg.op == WS_TEXT) {
			on_text(m, c, msg.data, msg.len);
		} else if (msg.op == WS_PING) {
			if (!ws_close_sent(c->ws) && ws_send(c->ws, WS_PONG, msg.data, msg.len) != 0)
				drop(m, c, "a pong could not be sent", false);
		} else if (msg.op == WS_CLOSE) {
			char why[200] = "closed";
			if (!ws_close_sent(c->ws))
				snprintf(why, sizeof why, "closed by the server (%d%s%.*s)", msg.code, msg.len ? ": " : "",
					 (int)(msg.len > 100 ? 100 : msg.len), msg.data);
			ws_close(c->ws, 1000, NULL);
			drop(m, c, why, true);
		} else if (msg.op == WS_BINARY) {
			log_debug("connection %u: a binary message ignored", c->n);
		}
	}
}

/* ---- time -------------------------------------------------------------------- */

static void timers(sm *m)
{
	double t = now_seconds();
	for (int i = 0; i < MAX_CONNS; i++) {
		conn *c = &m->c[i];
		if (!c->ws)
			continue;
		if (c->close_at && t > c->close_at) {
			drop(m, c, "no answer to our close", true);
		} else if (!c->hello && t - c->opened > HELLO_WAIT) {
			drop(m, c, "no hello from Slack within 10 s", false);
		} else if (t - c->last_rx > PING_IDLE + PONG_WAIT) {
			drop(m, c, "no answer to a ping", false);
		} else if (t - c->last_rx > PING_IDLE && !c->ping_at && !ws_close_sent(c->ws)) {
			c->ping_at = t;
			if (ws_send(c->ws, WS_PING, "slacklog", 8) != 0)
				drop(m, c, "a ping could not be sent", false);
		} else if (c->old_until && t > c->old_until && !ws_close_sent(c->ws)) {
			ws_close(c->ws, 1000, "replaced");
			c->close_at = t + CLOSE_WAIT;
		}
	}
	if (t - m->minute >= 60) {
		if (m->events)
			log_info("%lu events in the last minute (%lu new, %lu already stored)", m->events, m->fresh,
				 m->events - m->fresh);
		m->events = m->fresh = 0;
		m->minute = t;
		rawlog_flush(m->log);
	}
	if (m->bf && backfill_refused(m->bf)) {
		log_err("the bot token (--token) was refused: without it, messages said while the listener is away are lost");
		m->fatal = true;
	}
}

/* Poll the connections (at most a second, or until the next try) and read
 * what they hold. */
static void step(sm *m)
{
	struct pollfd pf[MAX_CONNS];
	conn *who[MAX_CONNS];
	int n = 0, wait = 1000;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (!m->c[i].ws)
			continue;
		if (ws_pending(m->c[i].ws))
			wait = 0;
		pf[n] = (struct pollfd){ws_fd(m->c[i].ws), POLLIN, 0};
		who[n++] = &m->c[i];
	}
	double left = m->retry_at - now_seconds();
	if (!current(m) && left * 1000 < wait)
		wait = left > 0 ? (int)(left * 1000) + 1 : 0;
	if (poll(pf, (nfds_t)n, wait) < 0 && errno == EINTR)
		return;
	for (int i = 0; i < n; i++)
		if (who[i]->ws && (pf[i].revents || ws_pending(who[i]->ws)))
			drain(m, who[i]);
}

/* Close every connection and wait (CLOSE_WAIT at most) for the answers. */
static void close_all(sm *m)
{
	double until = now_seconds() + CLOSE_WAIT;
	m->stopping = true;
	for (int i = 0; i < MAX_CONNS; i++)
		if (m->c[i].ws) {
			ws_close(m->c[i].ws, 1000, "stopping");
			m->c[i].close_at = until;
		}
	while (now_seconds() < until) {
		bool open = false;
		for (int i = 0; i < MAX_CONNS; i++)
			open |= m->c[i].ws != NULL;
		if (!open)
			break;
		step(m);
		timers(m);
	}
}

/* ---- the run ----------------------------------------------------------------- */

static int setup(sm *m, const sm_opts *o)
{
	char err[600];
	if (o->log_dir && !(m->log = rawlog_open(o->log_dir, err, sizeof err))) {
		log_err("--log-dir %s", err);
		return -1;
	}
	const char *seen = store_get_setting(m->s, &m->a, SEEN_KEY);
	if (seen && !ts_canon(seen, m->seen))
		*m->seen = 0;
	m->api = api_new(o->api_url, o->app_token);
	api_set_post(m->api, true);
	api_set_patience(m->api, API_TIMEOUT, 1);
	m->w.fn = log_warning;
	m->e = ev_new(m->s, &m->w);
	if (!o->bot_token) {
		log_warn("no --token: messages said while the listener is not connected will be missing "
			 "(give a bot token, xoxb-..., to fetch them)");
		return 0;
	}
	sync_opts so = {.api_url = o->api_url, .token = o->bot_token, .min_interval = o->min_interval,
			.page = 200, .thread_window = o->thread_window};
	m->bf = backfill_new(o->db, &so);
	return m->bf ? 0 : -1;
}

int sm_run(store_t *s, const sm_opts *o, volatile sig_atomic_t *stop)
{
	sm m = {.o = o, .s = s, .gap = true};
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	m.minute = now_seconds();
	int rc = setup(&m, o);
	while (rc == 0 && !*stop && !m.fatal) {
		if (!current(&m) && now_seconds() >= m.retry_at)
			open_conn(&m);
		if (m.fatal || *stop)
			break;
		step(&m);
		timers(&m);
	}
	if (rc == 0)
		close_all(&m);
	backfill_free(m.bf);
	rawlog_close(m.log);
	if (m.e)
		ev_free(m.e);
	api_free(m.api);
	arena_free(&m.a);
	return rc == 0 && !m.fatal ? 0 : -1;
}
