/* api.h: calls to Slack's Web API (libcurl), with Slack's manners.
 *
 * Each call is an HTTP GET of BASE/METHOD?PARAMS with the token in an
 * Authorization header (never in the URL, never logged). Slack limits
 * calls per method by tier; the client keeps a minimum interval between
 * two calls of the same method (api_set_interval), sleeps for Retry-After
 * when told 429 (or "ratelimited"), and retries a few times on network
 * errors and 5xx answers. The answer is parsed into the caller's arena. */
#ifndef SLACKLOG_SYNC_API_H
#define SLACKLOG_SYNC_API_H
#include <stdbool.h>
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/json.h"

typedef struct api api_t;

/* base ends with '/' ("https://slack.com/api/"). */
api_t *api_new(const char *base, const char *token);
void api_free(api_t *a);
/* Minimum seconds between two calls of method (NULL: every method). */
void api_set_interval(api_t *a, const char *method, double seconds);
/* POST the parameters as a form instead of a GET (apps.connections.open
 * takes nothing else). */
void api_set_post(api_t *a, bool post);
/* Seconds one exchange may take (120) and tries on network errors and
 * 5xx (4), for a caller that has something better to do than wait. */
void api_set_patience(api_t *a, long seconds, int tries);
/* Whether Slack's error code says the token itself was refused. */
bool api_auth_error(const char *error);

typedef struct api_param {
	const char *key, *value;     /* value NULL: left out */
} api_param;

enum { API_OK = 0, API_SLACK_ERROR = 1, API_FAILED = -1 };

/* Call method. API_OK: *out is the answer ("ok": true). API_SLACK_ERROR:
 * "ok": false, *error is Slack's error code ("not_in_channel"). API_FAILED:
 * the network, HTTP or JSON failed after the retries; *error says why. */
int api_call(api_t *a, arena_t *ar, const char *method, const api_param *params, size_t nparams,
	     const jv **out, const char **error);
/* Calls made and time spent sleeping for rate limits, for the summary. */
unsigned long api_calls(const api_t *a);
double api_waited(const api_t *a);
#endif
