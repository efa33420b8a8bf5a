/* search.c: parse, resolve, query the store, write results (search.h).
 *
 * from: takes a user ID, handle or display name (store_user_find); in:
 * takes a channel name or ID, and only published channels resolve, so a
 * private channel's name gets the same answer as a name that does not
 * exist. Several from: (or in:) mean any of them. A channel scope (the
 * /{channel}/?q= page) is one more in: that must also hold. */
#include "search/search.h"
#include "search/query.h"
#include "lib/json.h"
#include "render/html.h"
#include <stdio.h>
#include <string.h>

static int bad(search_res *out, const char *fmt, const char *arg)
{
	snprintf(out->err, sizeof out->err, fmt, arg);
	return SEARCH_BAD;
}

static int resolve_users(store_t *s, arena_t *a, const query *q, st_search *st, search_res *out)
{
	if (!q->nfrom)
		return SEARCH_OK;
	st->user_ids = arena_alloc(a, q->nfrom * sizeof *st->user_ids);
	for (size_t i = 0; i < q->nfrom; i++) {
		const st_user *u = store_user_find(s, a, q->from[i]);
		if (!u)
			return bad(out, "from:%s: no one in the archive has that name, handle or ID", q->from[i]);
		st->user_ids[st->nusers++] = u->id;
	}
	return SEARCH_OK;
}


/* in: filters, then the page's scope: the result is the channels that
 * satisfy both (possibly none). */
static int resolve_channels(store_t *s, arena_t *a, const query *q, const char *scope, st_search *st,
			    search_res *out, bool *none)
{
	*none = false;
	st->channel_ids = arena_alloc(a, (q->nin + 1) * sizeof *st->channel_ids);
	for (size_t i = 0; i < q->nin; i++) {
		const char *id = store_search_channel(s, a, q->in[i]);
		if (!id)
			return bad(out, "in:#%s: the archive has no public channel by that name", q->in[i]);
		st->channel_ids[st->nchannels++] = id;
	}
	if (!scope)
		return SEARCH_OK;
	const char *id = store_search_channel(s, a, scope);
	if (!id)
		return bad(out, "#%s: the archive has no public channel by that name", scope);
	bool found = st->nchannels == 0;
	for (size_t i = 0; i < st->nchannels; i++)
		if (strcmp(st->channel_ids[i], id) == 0)
			found = true;
	*none = !found;
	st->channel_ids[0] = id;
	st->nchannels = 1;
	return SEARCH_OK;
}

int search_run(store_t *s, arena_t *a, const search_req *r, search_res *out)
{
	memset(out, 0, sizeof *out);
	out->limit = r->limit > 0 ? (r->limit > SEARCH_LIMIT_MAX ? SEARCH_LIMIT_MAX : r->limit) : SEARCH_LIMIT_DEFAULT;
	out->offset = r->offset > 0 ? (r->offset > SEARCH_OFFSET_MAX ? SEARCH_OFFSET_MAX : r->offset) : 0;
	query q;
	if (query_parse(a, r->q ? r->q : "", r->q ? r->qlen : 0, &q, out->err, sizeof out->err) < 0)
		return SEARCH_BAD;
	out->sort = q.sort;
	st_search st = {.sort = q.sort, .limit = out->limit, .offset = out->offset, .count_max = SEARCH_COUNT_MAX,
			.has_link = q.has_link, .has_file = q.has_file, .has_reaction = q.has_reaction,
			.is_thread = q.is_thread};
	bool none;
	int rc = resolve_users(s, a, &q, &st, out);
	if (rc == SEARCH_OK)
		rc = resolve_channels(s, a, &q, r->channel, &st, out, &none);
	if (rc != SEARCH_OK || none)
		return rc;
	buf_t match = BUF_INIT, exclude = BUF_INIT;
	query_fts(&q, &match, &exclude);
	st.match = match.len ? arena_strndup(a, match.p, match.len) : NULL;
	st.exclude = exclude.len ? arena_strndup(a, exclude.p, exclude.len) : NULL;
	buf_free(&match);
	buf_free(&exclude);
	/* the store lists what no words rank newest first */
	if (!st.match && st.sort == ST_SORT_RELEVANCE)
		out->sort = ST_SORT_NEW;
	st.day_from = q.day_from[0] ? q.day_from : NULL;
	st.day_to = q.day_to[0] ? q.day_to : NULL;
	int found = store_search(s, a, &st, &out->hits, &out->n, &out->total);
	if (found < 0) {
		snprintf(out->err, sizeof out->err, "%s", store_errmsg(s));
		return SEARCH_ERROR;
	}
	out->total_capped = found > 0;
	return SEARCH_OK;
}

int search_check(const char *q, size_t qlen, char *err, size_t errlen)
{
	arena_t a = {0};
	query parsed;
	int rc = query_parse(&a, q, qlen, &parsed, err, errlen) < 0 ? SEARCH_BAD : SEARCH_OK;
	arena_free(&a);
	return rc;
}

void search_hit_url(buf_t *b, const st_hit *h)
{
	buf_putc(b, '/');
	url_segment(b, h->path ? h->path : h->channel_id);
	buf_printf(b, "/%s/#p", h->page_day ? h->page_day : h->day);
	for (const char *c = h->ts; *c; c++)
		if (*c != '.')
			buf_putc(b, *c);
}

void search_snippet_html(buf_t *b, const char *snippet)
{
	const char *p = snippet;
	while (*p) {
		size_t n = strcspn(p, ST_MARK_OPEN ST_MARK_CLOSE);
		html_txtn(b, p, n);
		p += n;
		if (*p == ST_MARK_OPEN[0])
			buf_puts(b, "<mark>");
		else if (*p == ST_MARK_CLOSE[0])
			buf_puts(b, "</mark>");
		if (*p)
			p++;
	}
}

static void json_member(buf_t *b, const char *key, const char *v, bool comma)
{
	if (comma)
		buf_puts(b, ", ");
	json_write_str(b, key, strlen(key));
	buf_puts(b, ": ");
	if (v)
		json_write_str(b, v, strlen(v));
	else
		buf_puts(b, "null");
}

void search_json(buf_t *b, const search_res *r, const char *prefix)
{
	buf_printf(b, "{\"total\": %lld, %s\"results\": [", (long long)r->total,
		   r->total_capped ? "\"total_capped\": true, " : "");
	buf_t tmp = BUF_INIT;
	for (size_t i = 0; i < r->n; i++) {
		const st_hit *h = &r->hits[i];
		buf_puts(b, i ? ", {" : "{");
		json_member(b, "channel", h->channel, false);
		json_member(b, "ts", h->ts, true);
		json_member(b, "day", h->day, true);
		json_member(b, "user", h->user, true);
		buf_reset(&tmp);
		search_snippet_html(&tmp, h->snippet);
		json_member(b, "snippet", buf_str(&tmp), true);
		buf_reset(&tmp);
		buf_puts(&tmp, prefix ? prefix : "");
		search_hit_url(&tmp, h);
		json_member(b, "url", buf_str(&tmp), true);
		buf_putc(b, '}');
	}
	buf_free(&tmp);
	buf_puts(b, "]}");
}
