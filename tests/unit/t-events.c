/* t-events.c: the pieces of live ingest that need no network: times for
 * ordering changes, the "newest change wins" rule, envelope unwrapping,
 * the Events API signature (against a value computed by hand with
 * `printf 'v0:1531420618:body' | openssl dgst -sha256 -hmac SECRET`, and
 * Slack's documented example), and the header checks. */
#include "unit.h"
#include "ingest/events.h"
#include "ingest/order.h"
#include "web/events.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void times(void)
{
	char t[TS_LEN + 1];
	CHECK(order_time("1458969700.000002", t) && strcmp(t, "1458969700.000002") == 0, "a ts is its own time");
	CHECK(order_time("1458969700", t) && strcmp(t, "1458969700.000000") == 0, "seconds");
	CHECK(order_time("1678229664302", t) && strcmp(t, "1678229664.000000") == 0, "milliseconds scaled down");
	CHECK(!order_time("", t) && !order_time(NULL, t) && !order_time("soon", t), "not a time");
	order_time_int(5, t);
	CHECK_STR(t, "0000000005.000000", "an integer time is zero-padded");
}

static void newest_wins(void)
{
	char path[] = "/tmp/t-events-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char err[256];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "open a scratch archive");
	if (!s)
		return;
	CHECK(order_take(s, "ev:k", "0000000002.000000", "b") == 1, "first change applies");
	CHECK(order_take(s, "ev:k", "0000000001.000000", "z") == 0, "an older change is ignored");
	CHECK(order_take(s, "ev:k", "0000000002.000000", "b") == 0, "the same change again is ignored");
	CHECK(order_take(s, "ev:k", "0000000002.000000", "a") == 0, "same time: the smaller state loses");
	CHECK(order_take(s, "ev:k", "0000000002.000000", "c") == 1, "same time: the larger state wins");
	CHECK(order_take(s, "ev:k", "0000000003.000000", "a") == 1, "a newer change applies");
	arena_t a = {0};
	CHECK_STR(order_state(s, &a, "ev:k"), "a", "the kept state");
	CHECK_STR(order_state(s, &a, "ev:none"), "", "no state kept");
	arena_free(&a);
	store_close(s);
	unlink(path);
	char aux[64];
	snprintf(aux, sizeof aux, "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof aux, "%s-shm", path);
	unlink(aux);
}

static void unwrap(void)
{
	arena_t a = {0};
	json_err err;
	json_stats st = {0};
	const char *id;
	int64_t t;
	const char *cb = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event_time\":7,\"event\":{\"type\":\"message\"}}";
	const jv *e = ev_unwrap(json_parse(&a, cb, strlen(cb), &err, &st), &id, &t);
	CHECK(e && strcmp(json_getstr(e, "type"), "message") == 0 && id && strcmp(id, "Ev1") == 0 && t == 7,
	      "event_callback: the inner event, its id and time");
	const char *sm = "{\"type\":\"events_api\",\"envelope_id\":\"x\",\"payload\":{\"type\":\"event_callback\",\"event_id\":\"Ev2\",\"event\":{\"type\":\"reaction_added\"}}}";
	e = ev_unwrap(json_parse(&a, sm, strlen(sm), &err, &st), &id, &t);
	CHECK(e && strcmp(json_getstr(e, "type"), "reaction_added") == 0 && strcmp(id, "Ev2") == 0,
	      "Socket Mode: the envelope inside the payload");
	const char *bare = "{\"type\":\"message\",\"ts\":\"1.2\"}";
	const jv *root = json_parse(&a, bare, strlen(bare), &err, &st);
	CHECK(ev_unwrap(root, &id, &t) == root && id == NULL && t == 0, "a bare RTM event is itself");
	const char *empty = "{\"type\":\"event_callback\",\"event\":null}";
	CHECK(ev_unwrap(json_parse(&a, empty, strlen(empty), &err, &st), &id, &t) == NULL, "an envelope without an event");
	arena_free(&a);
}

static void signature(void)
{
	char sig[68];
	const char *body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
		"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
		"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
		"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
	evsink_sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body, strlen(body), sig);
	CHECK_STR(sig, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "Slack's documented example");
	evsink_sign("s3cret", "1531420618", "body", 4, sig);
	CHECK_STR(sig, "v0=2c287a00636595d123f122edbc122c9ac9a579a28e932a6a786ccbdf9b4115b1", "computed with openssl dgst");
}

static void prechecks(void)
{
	const char *why;
	evreq r = {.content_type = "application/json", .content_length = "10"};
	CHECK(evsink_precheck(&r, &why) == 0, "JSON with a length: go on");
	r.content_type = "application/json; charset=utf-8";
	CHECK(evsink_precheck(&r, &why) == 0, "JSON with a charset: go on");
	r.content_type = "application/jsonp";
	CHECK(evsink_precheck(&r, &why) == 415, "application/jsonp: 415");
	r.content_type = NULL;
	CHECK(evsink_precheck(&r, &why) == 415, "no content type: 415");
	r.content_type = "application/json";
	r.content_length = "1048577";
	CHECK(evsink_precheck(&r, &why) == 413, "over 1 MB: 413");
	r.content_length = "12x";
	CHECK(evsink_precheck(&r, &why) == 400, "a malformed length: 400");
	r.content_length = "+12";
	CHECK(evsink_precheck(&r, &why) == 400, "a signed length: 400");
	r.content_length = "";
	CHECK(evsink_precheck(&r, &why) == 400, "an empty length: 400");
	r.content_length = "99999999999999999999999";
	CHECK(evsink_precheck(&r, &why) == 413, "a length past 64 bits: 413");
	r.content_length = "10";
	r.transfer_encoding = "chunked";
	CHECK(evsink_precheck(&r, &why) == 400, "Content-Length and Transfer-Encoding: 400");
	r.content_length = NULL;
	CHECK(evsink_precheck(&r, &why) == 0, "chunked alone: go on");
	r.transfer_encoding = "Chunked";
	CHECK(evsink_precheck(&r, &why) == 0, "chunked in any case: go on");
	const char *odd[] = {"xchunked", "chunked, identity", "identity", "chunked ", " chunked", "gzip, chunked", ""};
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		r.transfer_encoding = odd[i];
		CHECK(evsink_precheck(&r, &why) == 400, "Transfer-Encoding '%s': 400", odd[i]);
	}
	r.transfer_encoding = "chunked";
	r.n_transfer_encoding = 2;
	CHECK(evsink_precheck(&r, &why) == 400, "two Transfer-Encoding fields: 400");
	r.n_transfer_encoding = 1;
	r.transfer_encoding = NULL;
	r.content_length = "2";
	r.n_content_length = 2;
	CHECK(evsink_precheck(&r, &why) == 400, "two Content-Length fields, even equal: 400");
	r.n_content_length = 1;
	r.bad_field_name = true;
	CHECK(evsink_precheck(&r, &why) == 400, "a field name with whitespace: 400");
}

int main(void)
{
	times();
	newest_wins();
	unwrap();
	signature();
	prechecks();
	UNIT_DONE();
}
