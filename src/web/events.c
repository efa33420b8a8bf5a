/* events.c: the Events API endpoint. See events.h.
 *
 * The HMAC is libcrypto's (HMAC with EVP_sha256) and the comparison
 * CRYPTO_memcmp, so how much of a forged signature matches does not show
 * in the answer's timing. One mutex serialises the writes: SQLite has one
 * writer at a time anyway, and a transaction per event keeps each answer's
 * promise (committed before 200) simple to see. */
#include "web/events.h"
#include "web/http.h"
#include "ingest/events.h"
#include "cli.h"
#include "lib/json.h"
#include "store/store.h"
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { MAX_SKEW = 300 };

struct evsink {
	pthread_mutex_t mu;
	store_t *s;
	ev *e;
	warner w;
	char *secret;
};

static void log_warning(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

evsink_t *evsink_new(const char *db, const char *secret, char *err, size_t errlen)
{
	store_t *s = store_open(db, STORE_ALL, err, errlen);
	if (!s)
		return NULL;
	evsink_t *e = xcalloc(1, sizeof *e);
	pthread_mutex_init(&e->mu, NULL);
	e->s = s;
	e->w.fn = log_warning;
	e->e = ev_new(s, &e->w);
	e->secret = xstrdup(secret);
	return e;
}

void evsink_free(evsink_t *e)
{
	if (!e)
		return;
	ev_free(e->e);
	store_close(e->s);
	OPENSSL_cleanse(e->secret, strlen(e->secret));
	free(e->secret);
	pthread_mutex_destroy(&e->mu);
	free(e);
}

void evsink_sign(const char *secret, const char *ts, const char *body, size_t len, char out[68])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "v0:%s:", ts);
	buf_put(&msg, body, len);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)msg.p, msg.len, md, &mdlen);
	buf_free(&msg);
	memcpy(out, "v0=", 3);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 3 + 2 * i, 3, "%02x", md[i]);
	out[67] = 0;
}

int evsink_precheck(const evreq *r, const char **why)
{
	http_framing f = {r->content_length, r->transfer_encoding, r->n_content_length, r->n_transfer_encoding,
			  r->bad_field_name};
	if ((*why = http_framing_error(&f)))
		return 400;
	if (r->content_length) {
		errno = 0;
		unsigned long long n = strtoull(r->content_length, NULL, 10);
		if (errno || n > EVENTS_MAX_BODY) {
			*why = "Request body too large (1 MB at most).\n";
			return 413;
		}
	}
	const char *ct = r->content_type;
	size_t n = strlen("application/json");
	if (!ct || strncasecmp(ct, "application/json", n) != 0 || (ct[n] && ct[n] != ';' && ct[n] != ' ')) {
		*why = "Unsupported media type: application/json only.\n";
		return 415;
	}
	return 0;
}

static bool signed_ok(const evsink_t *e, const evreq *r)
{
	if (!r->timestamp || !r->signature)
		return false;
	char *end;
	long long ts = strtoll(r->timestamp, &end, 10);
	if (*end || end == r->timestamp)
		return false;
	long long skew = (long long)time(NULL) - ts;
	if (skew > MAX_SKEW || skew < -MAX_SKEW)
		return false;
	char want[68];
	evsink_sign(e->secret, r->timestamp, r->body, r->len, want);
	return strlen(r->signature) == 67 && CRYPTO_memcmp(want, r->signature, 67) == 0;
}

static int text(buf_t *out, const char **type, int status, const char *msg)
{
	*type = "text/plain; charset=utf-8";
	buf_puts(out, msg);
	return status;
}

/* Apply one event once: its event_id is recorded in the same transaction,
 * and the store forgets ids a day old (store_event_id). */
static int apply(evsink_t *e, const jv *root, const char *id, int64_t etime)
{
	pthread_mutex_lock(&e->mu);
	int rc = store_begin(e->s) == 0 ? 0 : -1;
	int fresh = 1;
	if (rc == 0 && id && *id)
		rc = (fresh = store_event_id(e->s, id, etime, (int64_t)time(NULL))) < 0 ? -1 : 0;
	if (rc == 0 && fresh && ev_apply(e->e, root, EVENTS_PATH) == EV_FAILED)
		rc = -1;
	if (rc == 0)
		rc = store_commit(e->s);
	else
		store_rollback(e->s);
	if (rc != 0)
		log_err("%s: storing event %s: %s", EVENTS_PATH, id ? id : "(no id)", store_errmsg(e->s));
	pthread_mutex_unlock(&e->mu);
	return rc;
}

int evsink_handle(evsink_t *e, const evreq *r, const char **type, buf_t *out)
{
	const char *why;
	int st = evsink_precheck(r, &why);
	if (st)
		return text(out, type, st, why);
	if (r->len > EVENTS_MAX_BODY)
		return text(out, type, 413, "Request body too large (1 MB at most).\n");
	if (!signed_ok(e, r))
		return text(out, type, 401, "Bad or missing signature, or a stale timestamp.\n");
	arena_t a = {0};
	json_err err;
	json_stats js = {0};
	const jv *root = json_parse(&a, r->body, r->len, &err, &js);
	const char *t = json_getstr(root, "type");
	if (!root || !t) {
		arena_free(&a);
		return text(out, type, 400, "Bad request: not a JSON event.\n");
	}
	if (strcmp(t, "url_verification") == 0) {
		const char *ch = json_getstr(root, "challenge");
		*type = "application/json";
		buf_puts(out, "{\"challenge\":");
		json_write_str(out, ch ? ch : "", ch ? strlen(ch) : 0);
		buf_puts(out, "}");
		arena_free(&a);
		return 200;
	}
	const char *id;
	int64_t etime;
	ev_unwrap(root, &id, &etime);
	st = apply(e, root, id, etime) == 0 ? 200 : 500;
	arena_free(&a);
	return text(out, type, st, st == 200 ? "ok\n" : "Internal error: the event was not stored.\n");
}
