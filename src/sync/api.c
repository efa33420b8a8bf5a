/* api.c: the Web API client on libcurl's easy interface. See api.h.
 *
 * One easy handle is reused for every call (keep-alive to the API host).
 * The last call time of each method is kept in a short list: sync uses five
 * methods. Sleeping is plain nanosleep: sync is a batch job with nothing
 * else to do while it waits. */
#include "sync/api.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_METHODS = 16, MAX_TRIES = 4, MAX_WAITS = 100 };
#define MAX_ANSWER ((size_t)64 << 20)

typedef struct pace {
	char method[48];
	double interval, last;
} pace;

struct api {
	CURL *curl;
	char *base;
	struct curl_slist *headers;
	double dflt;                 /* interval for methods not listed */
	pace paces[MAX_METHODS];
	size_t npaces;
	unsigned long calls;
	double waited;
	bool post;
	long timeout;
	int tries;
	long retry_after;
	char errbuf[CURL_ERROR_SIZE];
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_for(api_t *a, double s)
{
	if (s <= 0)
		return;
	a->waited += s;
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0)
		;
}

api_t *api_new(const char *base, const char *token)
{
	static int global;
	if (!global++)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	api_t *a = xcalloc(1, sizeof *a);
	a->curl = curl_easy_init();
	a->base = xstrdup(base);
	a->timeout = 120;
	a->tries = MAX_TRIES;
	buf_t h = BUF_INIT;
	buf_printf(&h, "Authorization: Bearer %s", token);
	a->headers = curl_slist_append(NULL, buf_str(&h));
	buf_free(&h);
	return a;
}

void api_free(api_t *a)
{
	if (!a)
		return;
	curl_easy_cleanup(a->curl);
	curl_slist_free_all(a->headers);
	free(a->base);
	free(a);
}

static pace *pace_of(api_t *a, const char *method)
{
	for (size_t i = 0; i < a->npaces; i++)
		if (strcmp(a->paces[i].method, method) == 0)
			return &a->paces[i];
	if (a->npaces == MAX_METHODS)
		return NULL;
	pace *p = &a->paces[a->npaces++];
	snprintf(p->method, sizeof p->method, "%s", method);
	p->interval = a->dflt;
	p->last = -1e9;
	return p;
}

void api_set_interval(api_t *a, const char *method, double seconds)
{
	if (!method) {
		a->dflt = seconds;
		for (size_t i = 0; i < a->npaces; i++)
			a->paces[i].interval = seconds;
		return;
	}
	pace *p = pace_of(a, method);
	if (p)
		p->interval = seconds;
}

void api_set_post(api_t *a, bool post)
{
	a->post = post;
}

void api_set_patience(api_t *a, long seconds, int tries)
{
	a->timeout = seconds;
	a->tries = tries;
}

bool api_auth_error(const char *e)
{
	static const char *const fatal[] = {"invalid_auth", "not_authed", "token_revoked", "token_expired",
					    "account_inactive", "no_permission", "org_login_required",
					    "not_allowed_token_type"};
	for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
		if (strcmp(e, fatal[i]) == 0)
			return true;
	return false;
}

unsigned long api_calls(const api_t *a)
{
	return a->calls;
}

double api_waited(const api_t *a)
{
	return a->waited;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	buf_t *b = ud;
	if (b->len + size * n > MAX_ANSWER)
		return 0;
	buf_put(b, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	api_t *a = ud;
	size_t len = size * n;
	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		a->retry_after = strtol(p + 12, NULL, 10);
	return len;
}

static void url_of(api_t *a, buf_t *url, const char *method, const api_param *params, size_t n)
{
	buf_printf(url, "%s%s", a->base, method);
	char sep = '?';
	for (size_t i = 0; i < n; i++) {
		if (!params[i].value)
			continue;
		char *v = curl_easy_escape(a->curl, params[i].value, 0);
		buf_printf(url, "%c%s=%s", sep, params[i].key, v ? v : "");
		curl_free(v);
		sep = '&';
	}
}

/* One HTTP exchange: the status, or -1 on a network error. A POST sends
 * the URL's query as its form body. */
static long exchange(api_t *a, const char *url, buf_t *body)
{
	CURL *c = a->curl;
	curl_easy_reset(c);
	const char *q = a->post ? strchr(url, '?') : NULL;
	char *bare = q ? xstrndup(url, (size_t)(q - url)) : NULL;
	curl_easy_setopt(c, CURLOPT_URL, bare ? bare : url);
	if (a->post)
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, q ? q + 1 : "");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, a->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, a->errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "slacklog");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, a->timeout);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	a->retry_after = -1;
	a->errbuf[0] = 0;
	a->calls++;
	CURLcode rc = curl_easy_perform(c);
	free(bare);
	if (rc != CURLE_OK)
		return -1;
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

int api_call(api_t *a, arena_t *ar, const char *method, const api_param *params, size_t nparams,
	     const jv **out, const char **error)
{
	buf_t url = BUF_INIT, body = BUF_INIT;
	url_of(a, &url, method, params, nparams);
	pace *p = pace_of(a, method);
	int rc = API_FAILED;
	*out = NULL;
	*error = "no answer";
	int waits = 0;
	for (int tries = 0; tries < a->tries; tries++) {
		if (p)
			sleep_for(a, p->last + p->interval - mono());
		buf_reset(&body);
		long status = exchange(a, buf_str(&url), &body);
		if (p)
			p->last = mono();
		if (status == 429) {
			sleep_for(a, a->retry_after >= 0 ? (double)a->retry_after : 30.0);
			if (++waits < MAX_WAITS)
				tries--;        /* being told to wait is not a failure */
			*error = "rate limited";
			continue;
		}
		if (status < 0 || status >= 500) {
			*error = status < 0 ? arena_strndup(ar, a->errbuf, strlen(a->errbuf)) : "server error";
			if (tries + 1 < a->tries)
				sleep_for(a, (double)(1 << tries));
			continue;
		}
		json_err err;
		json_stats st = {0};
		const jv *root = json_parse(ar, buf_str(&body), body.len, &err, &st);
		if (!root || !json_is(root, JV_OBJ)) {
			*error = status != 200 ? "HTTP error" : "the answer is not a JSON object";
			break;
		}
		if (json_getbool(root, "ok")) {
			*out = root;
			rc = API_OK;
			break;
		}
		const char *e = json_getstr(root, "error");
		*error = e ? e : "unknown_error";
		if (strcmp(*error, "ratelimited") == 0) {
			sleep_for(a, a->retry_after >= 0 ? (double)a->retry_after : 30.0);
			if (++waits < MAX_WAITS)
				tries--;
			continue;
		}
		rc = API_SLACK_ERROR;
		break;
	}
	buf_free(&url);
	buf_free(&body);
	return rc;
}
