/* ui.h: what the page files share (not part of the pages.h contract).
 *
 * A `page` is one request being answered: the settings it started with,
 * this thread's store handle, an arena for everything the store hands out,
 * and the render context that resolves names for message bodies. The
 * layout functions write the frame every page has (head, header, search
 * box, disclaimer, footer); the link helpers write URLs, so the URL scheme
 * is spelled out in one file (ui-link.c). */
#ifndef SLACKLOG_UI_H
#define SLACKLOG_UI_H
#include "pages/pages.h"
#include "store/store.h"
#include "render/render.h"
#include "lib/arena.h"

typedef struct page {
	site_t *site;
	const conf_t *conf;
	store_t *st;
	arena_t a;
	page_out *out;
	buf_t *b;                  /* == &out->body */
	const char *query;
	const char *prefix;        /* path part of base_url ("" or "/archive") */
	render_ctx rc;
	void *memo;                /* ui-render.c's name cache */
	void *jsons;               /* ui-message.c's parsed messages */
	void *memo_day;            /* ui-memo.c's, when ui_memo_open kept one */
	void *ts;                  /* site.c's per-thread state */
	uint64_t version;          /* the data version at the start (site.c) */
	int64_t mtime;             /* site_data_mtime() at the start */
} page;

/* ---- site.c ---------------------------------------------------------- */
/* Set up a page for this thread (what page_get does before routing);
 * false: no store (out is a 500). page_end() in every case. */
bool page_begin(site_t *s, page *p, const char *query, page_out *out);
void page_end(page *p);
/* Is this channel shown anywhere? Published by the store (or listed in
 * `publish`), and not listed in `unpublish`. */
bool site_channel_visible(const page *p, const st_channel *c);
const st_channel *site_channel_by_name(page *p, const char *name);
const st_channel *site_channel_by_path(page *p, const char *seg);
const st_channel *site_channel_by_id(page *p, const char *id);
/* Every channel the store shows (visible or not: filter with the above). */
void site_channels(page *p, const st_channel **out, size_t *n);
/* Load the table of every day page's count and last change of the
 * page's data version, once (for walks of every URL; see site.c); false
 * if it cannot be read. */
bool site_days_load(page *p);
/* What store_channel_days and store_day_channels answer, from that table
 * if a walk loaded it: a channel's days, oldest first; a day's channels
 * in name order (.day is the channel ID). false when it is not loaded:
 * ask the store. */
bool site_channel_days(page *p, const st_channel *c, const st_daycount **out, size_t *n);
bool site_day_channels(page *p, const char *day, const st_daycount **out, size_t *n);
/* store_adjacent_day (the channel's nearest day with messages before,
 * dir < 0, or after `day`), from that table if a walk loaded it. */
const char *site_adjacent_day(page *p, const st_channel *c, const char *day, int dir);
/* store_channel_days_changed from a table of every channel's (for walks
 * of every URL: sitemaps, builds). */
bool site_days_changed(page *p, const st_channel *c, const st_daychange **out, size_t *n);
/* A channel's day pages, oldest first: its days with messages (their
 * count, or with dated their last change instead) and its days with only
 * replies to threads of other days (late, count 0; store_late_days). */
typedef struct site_dayp {
	const char *day;
	int64_t count, changed;
	bool late;
} site_dayp;
int site_day_pages(page *p, const st_channel *c, bool dated, site_dayp **out, size_t *n);
/* The people with a profile who wrote in a visible channel, by ID
 * (store_authors, once per data version); false if it cannot be read. */
bool site_authors(page *p, const char *const **ids, size_t *n);
/* Is the person one of site_authors'? 1 or 0; -1 if it cannot be read.
 * Without the list loaded, asks the store about this person alone. */
int site_is_author(page *p, const char *user_id);
/* The number of pages (ui_page_count), kept per data version: every
 * sitemap asks for it, and it is a walk of every URL. */
bool site_page_count(page *p, size_t *n);
void site_page_count_set(page *p, size_t n);
/* The newest shown message or edit of a person (store_user_changes), or 0. */
int64_t site_user_changed(page *p, const char *user_id);
/* A slot this thread keeps while the site is pinned (ui-memo.c's), freed
 * with ui_memo_free; NULL when nothing is kept. */
void **site_thread_memo(page *p);
const char *site_css_href(const page *p);   /* "/style.css?v=HASH" */
int64_t site_data_mtime(site_t *s);          /* the database's last change */
/* The embedded asset at a path ("/style.css"), or NULL. */
const char *site_asset(const char *path, const char **type, size_t *len, const char **hash);

/* ---- ui-layout.c ----------------------------------------------------- */
/* What a page tells search engines and link previews (ui-seo.c helps). */
typedef struct ui_seo {
	const char *description;     /* plain text, trimmed */
	const char *og_type;         /* "website" (default), "article", "profile" */
	const st_channel *feed_channel;  /* also link this channel's Atom feed */
	void (*jsonld)(page *p, void *ud);   /* writes one JSON-LD object */
	void *ud;
} ui_seo;
/* Opens the document; title is plain text (escaped here). */
void ui_head(page *p, const char *title, const char *canonical);
void ui_head_seo(page *p, const char *title, const char *canonical, const ui_seo *s);
/* base_url's origin + an absolute path; false when base_url is unset. */
bool ui_absolute(page *p, buf_t *b, const char *path);
void ui_foot(page *p);
/* search_url is "off" (a static build's default): no search box; where it
 * would be, a link to /search.html, which says so. */
bool ui_search_off(const page *p);
/* A finished HTML answer: status, type, validators. */
void ui_finish(page *p, int status, cache_policy cache);
/* Text answers (robots.txt, errors without a store). */
void ui_text(page *p, int status, const char *type, const char *text, cache_policy cache);
void ui_redirect(page *p, const buf_t *location);
/* 404 page with an explanation and optional suggestions written by more(). */
void ui_not_found(page *p, const char *what, void (*more)(page *, void *), void *ud);
void ui_error(page *p, const char *what);     /* 500, store trouble */

/* ---- ui-seo.c -------------------------------------------------------- */
/* Collapse whitespace, trim, cut at max bytes (UTF-8 safe) with an ellipsis. */
void ui_trim_text(buf_t *b, size_t max);
/* A description from the first of n messages, trimmed. */
void ui_describe(page *p, const st_message *m, size_t n, buf_t *out);
/* A day page's JSON-LD (ui_seo.jsonld, ud: a ui_ld_day). */
typedef struct ui_ld_day {
	const char *headline;
	const char *url;             /* the page's URL: absolute if possible */
	const st_message *m;
	size_t n;
} ui_ld_day;
void ui_jsonld_day(page *p, void *ud);

/* ---- ui-link.c ------------------------------------------------------- */
void link_home(page *p, buf_t *b);
void link_channel(page *p, buf_t *b, const char *name);
void link_day(page *p, buf_t *b, const char *name, const char *day);
/* A message at its anchor on a day page. */
void link_message(page *p, buf_t *b, const char *name, const char *day, const char *ts);
void link_user(page *p, buf_t *b, const char *user_id);
/* "p" + ts without the dot: the anchor of a message on its page. */
void link_anchor(buf_t *b, const char *ts);
/* An attribute href="..." for one of the above, escaped. */
void ui_href_channel(page *p, const char *name);
void ui_href_day(page *p, const char *name, const char *day);
void ui_href_user(page *p, const char *user_id);
/* Avatar: coloured initials, or the remote image when allowed. */
void ui_avatar(page *p, const char *user_id, const char *name, const char *image, int size);
/* "Tuesday, 18 May 2021" for a YYYY-MM-DD. */
void ui_day_long(buf_t *b, const char *day);

/* ---- ui-message.c ----------------------------------------------------- */
enum {
	UI_MSG_NO_ID = 1,        /* a second copy (broadcast in the flow): no anchor */
	UI_MSG_ORPHAN = 2,       /* a reply whose thread start is not archived */
	UI_MSG_BROADCAST = 4,    /* a reply also sent to the channel, shown there */
};
/* Opens <li class="msg"> and writes the message; the caller may add a
 * thread, then ui_message_close(). page_day: replies from other days show
 * their date. */
void ui_message_open(page *p, const st_message *m, const char *page_day, unsigned flags);
void ui_message_close(page *p);
const jv *ui_message_json(page *p, const st_message *m);
/* The name shown for the message's author (see ui-message.c). */
const char *ui_message_author(page *p, const st_message *m);
/* What a thread's summary says (the inside of its <summary>): how many
 * replies (the start's reply_count, or the n replies r[] the page shows
 * if more; both when they differ), who replied, when last. */
void ui_thread_summary(page *p, const st_message *start, const st_message *const *r, size_t n);

/* ---- ui-memo.c -------------------------------------------------------- */
/* A message's body (render_message_html), its plain text
 * (render_message_text) and its author's name, as every page shows them;
 * kept for the next page of the same channel-day after ui_memo_open. */
void ui_message_html(page *p, const st_message *m, buf_t *out);
void ui_message_plain(page *p, const st_message *m, buf_t *out);
const char *ui_author_name(page *p, const st_message *m);
/* This page shows the messages of channel_id's day: keep what it renders
 * of them for the thread's next page of that day (while the site is
 * pinned; otherwise nothing is kept). */
void ui_memo_open(page *p, const char *channel_id, const char *day);
/* store_day_messages (without hidden ones) for channel c's day page or
 * API document; opens the memo for that channel-day (ui_memo_open) and
 * keeps the list there for the next page of it. The array is the
 * caller's (in the page's arena). */
int ui_day_messages(page *p, const st_channel *c, const char *day, st_message **out, size_t *n);
/* store_thread for a thread's API document, from the kept list when it
 * holds the thread's start; opens the memo for the start's day. */
int ui_thread_messages(page *p, const st_channel *c, const char *ts, st_message **out, size_t *n);
/* Keep what the page itself did not need but the next one will: the
 * plain text, and the author's name the page showed. */
void ui_memo_fill(page *p, const st_message *m, const char *author);
void ui_memo_free(void *memo);

/* ---- ui-people.c ------------------------------------------------------ */
/* store_user() as pages show it (no raw JSON), kept by this thread until
 * the archive changes. NULL: no such person. */
const st_user *ui_person(page *p, const char *user_id);
/* Does the person have a page of their own (/user.ID/, and its API
 * document)? Those who wrote a shown message in a visible channel and
 * have a profile (site_is_author), unless opted out or erased. Everyone
 * else is named without a link, so the static site, which writes a page
 * for each author, has every page its pages link to. */
bool ui_has_page(page *p, const char *user_id);
/* A bot's name from the export's data (store_bot): its bot user's shown
 * name, else the label its channel's bot_add message gives it; NULL. */
const char *ui_bot_name(page *p, const char *channel_id, const char *bot_id);

/* ---- publish.c -------------------------------------------------------- */
int ui_urls(page *p, unsigned kinds, site_url_fn fn, void *ud);   /* site_urls */
int ui_urls_since(page *p, unsigned kinds, int64_t since, site_url_dirty_fn fn, void *ud);
size_t ui_page_count(page *p);                                    /* URL_PAGE ones */

/* ---- one file per page ---------------------------------------------- */
void page_index(page *p);
void page_channel(page *p, const st_channel *c);
void page_day(page *p, const st_channel *c, const char *day);
void page_user(page *p, const char *user_id);
void page_permalink(page *p, const char *channel_id, const char *p16);
void page_robots(page *p);
void page_search(page *p, const st_channel *scope);   /* ui-search.c */
void page_search_json(page *p);
void page_search_off(page *p);                       /* /search.html */
void page_asset(page *p, const char *path);
void page_feed(page *p, const st_channel *c);        /* ui-feed.c; NULL: all */
void page_sitemap_index(page *p);                    /* ui-sitemap.c */
void page_sitemap(page *p, size_t n);
void page_api(page *p, const char *rest);            /* ui-api.c: after /api.v1/ */
/* ---- ui-xml.c ---------------------------------------------------------- */
void xml_clean(buf_t *b, size_t from);
void xml_txt(buf_t *b, const char *s);
void xml_date(buf_t *b, int64_t t);                  /* RFC 3339, UTC */
void xml_url(page *p, buf_t *b, const char *path);   /* encoded, absolute if possible */
/* ---- ui-render.c ------------------------------------------------------ */
/* The render_ctx callbacks (user names, channel names, permalinks). */
void ui_render_ctx(page *p);
/* A user record, looked up once per page. */
const st_user *ui_user(page *p, const char *user_id);
/* Someone opted out or erased: named by the neutral label, never linked,
 * and without a page of their own. */
bool ui_user_hidden(page *p, const char *user_id);
/* "/{channel}/{day}/#p..." for a message the archive shows; false if not. */
bool ui_message_url(page *p, const char *channel_id, const char *ts, buf_t *out);
/* The same for a message in hand (store_message's). */
bool ui_message_url_of(page *p, const st_message *m, buf_t *out);
#endif
