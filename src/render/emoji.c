/* emoji.c: emoji short names to characters or images.
 *
 * Standard names come from the generated table (emoji-table.c, iamcal's
 * emoji-data as Slack uses it), found by binary search: no start-up cost,
 * no allocation. A name resolves in this order: the standard table, the
 * workspace's custom emoji (ctx->custom_emoji: a URL or "alias:other",
 * followed across both tables at most EMOJI_ALIAS_DEPTH times), then a few
 * names that only Slack's own image set had. An unknown name stays the
 * literal ":name:" so no text is lost.
 *
 * Skin tones arrive in three spellings: ":+1::skin-tone-3:" in text,
 * "+1::skin-tone-3" in reactions, and {name, skin_tone, unicode} in rich
 * text; all end up as (name, tone) with tone "2".."6" or "2-3". An emoji
 * shown in a tone says so in its tooltip, by the tone's Unicode name:
 * ":+1: (light skin tone)". */
#include "render/rd.h"
#include "render/emoji.h"
#include "lib/utf8.h"
#include <string.h>
#include <stdio.h>

enum { EMOJI_ALIAS_DEPTH = 8, EMOJI_NAME_MAX = 100 };

static const char *const legacy[][2] = {
	{"simple_smile", "slightly_smiling_face"},
	{"squirrel", "chipmunk"},
	{"white_smiling_face", "relaxed"},
	{"thumbsup_all", "+1"},
};

static int cmpn(const char *a, const char *b, size_t n)
{
	int r = strncmp(a, b, n);
	if (r)
		return r;
	return a[n] ? 1 : 0;    /* table name longer than the key */
}

static const struct emoji_name *find(const char *name, size_t n)
{
	size_t lo = 0, hi = emoji_nnames;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmpn(emoji_names[mid].name, name, n);
		if (r == 0)
			return &emoji_names[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *emoji_std(const char *name, size_t n, const char *tone)
{
	const struct emoji_name *e = find(name, n);
	if (!e)
		return NULL;
	if (tone && *tone)
		for (unsigned i = 0; i < e->skin_count; i++)
			if (strcmp(emoji_skins[e->skin_first + i].tone, tone) == 0)
				return emoji_skins[e->skin_first + i].chars;
	return e->chars;
}

static const char *legacy_name(const char *name)
{
	for (size_t i = 0; i < sizeof legacy / sizeof *legacy; i++)
		if (strcmp(legacy[i][0], name) == 0)
			return legacy[i][1];
	return NULL;
}

/* Split "clap::skin-tone-2" (or ":clap::skin-tone-2:") into name and
 * tone, copied into nb/tb. */
static void split_name(const char *s, char *nb, size_t nbl, char *tb, size_t tbl)
{
	size_t n = strlen(s);
	if (n && s[0] == ':') {
		s++;
		n--;
	}
	if (n && s[n - 1] == ':')
		n--;
	tb[0] = 0;
	const char *sep = memchr(s, ':', n);
	size_t nl = sep ? (size_t)(sep - s) : n;
	if (sep && (size_t)(s + n - sep) > 12 && memcmp(sep, "::skin-tone-", 12) == 0) {
		size_t tl = (size_t)(s + n - sep) - 12;
		if (tl < tbl) {
			memcpy(tb, sep + 12, tl);
			tb[tl] = 0;
		}
	} else if (sep) {
		nl = n;         /* not a tone suffix: keep the whole thing */
	}
	if (nl >= nbl)
		nl = nbl - 1;
	memcpy(nb, s, nl);
	nb[nl] = 0;
}

const char *emoji_unicode(const char *name, char *tmp, size_t tmplen)
{
	char nb[EMOJI_NAME_MAX + 1], tb[16];
	if (!name)
		return NULL;
	split_name(name, nb, sizeof nb, tb, sizeof tb);
	const char *u = emoji_std(nb, strlen(nb), tb);
	if (!u) {
		const char *l = legacy_name(nb);
		u = l ? emoji_std(l, strlen(l), tb) : NULL;
	}
	if (u && tmp && tmplen) {
		snprintf(tmp, tmplen, "%s", u);
		return strlen(u) < tmplen ? tmp : u;
	}
	return u;
}

/* Slack's skin tones 2..6 are the modifiers U+1F3FB..U+1F3FF, whose
 * Unicode (CLDR) names these are. */
static const char *const tone_names[] = {"light", "medium-light", "medium", "medium-dark", "dark"};

/* " (light skin tone)" for "2"; " (light skin tone, dark skin tone)" for
 * "2-6"; nothing for a tone that names no modifier. */
static void tone_title(buf_t *b, const char *tone)
{
	size_t at = b->len;
	for (const char *t = tone; *t; t++) {
		if (*t == '-')
			continue;
		if (*t < '2' || *t > '6' || (t[1] && t[1] != '-')) {
			buf_truncate(b, at);
			return;
		}
		buf_puts(b, b->len == at ? " (" : ", ");
		buf_puts(b, tone_names[*t - '2']);
		buf_puts(b, " skin tone");
	}
	if (b->len > at)
		buf_putc(b, ')');
}

void rd_emoji_put(rw *w, const char *name, const char *tone, const char *chars)
{
	if (w->text) {
		buf_puts(w->b, chars);
		return;
	}
	buf_puts(w->b, "<span class=\"emoji\" title=\":");
	html_attr(w->b, name);
	buf_putc(w->b, ':');
	if (tone)
		tone_title(w->b, tone);
	buf_puts(w->b, "\">");
	buf_puts(w->b, chars);
	buf_puts(w->b, "</span>");
}

/* A standard emoji with tone; *toned is the tone when it changed the
 * characters (the emoji has that skin variation), else NULL. */
static const char *std_toned(const char *name, const char *tone, const char **toned)
{
	size_t n = strlen(name);
	const char *u = emoji_std(name, n, tone);
	*toned = u && tone && *tone && u != emoji_std(name, n, NULL) ? tone : NULL;
	return u;
}

static void put_literal(rw *w, const char *name)
{
	rw_txt(w, ":", 1);
	rw_txts(w, name);
	rw_txt(w, ":", 1);
}

static void put_image(rw *w, const char *name, const char *url)
{
	if (w->text || !w->c->remote_images || !rd_url_ok(url, strlen(url))) {
		put_literal(w, name);
		return;
	}
	buf_puts(w->b, "<img class=\"emoji\" src=\"");
	html_href(w->b, url);
	buf_puts(w->b, "\" alt=\":");
	html_attr(w->b, name);
	buf_puts(w->b, ":\" title=\":");
	html_attr(w->b, name);
	buf_puts(w->b, ":\">");
}

bool rd_emoji(rw *w, const char *name, const char *tone)
{
	const char *toned;
	const char *u = std_toned(name, tone, &toned);
	if (u) {
		rd_emoji_put(w, name, toned, u);
		return true;
	}
	const char *cur = name;
	char hop[EMOJI_NAME_MAX + 1];
	for (int depth = 0; w->c->custom_emoji && depth < EMOJI_ALIAS_DEPTH; depth++) {
		const char *v = w->c->custom_emoji(w->c->ud, cur);
		if (!v)
			break;
		if (strncmp(v, "alias:", 6) != 0) {
			put_image(w, name, v);
			return true;
		}
		snprintf(hop, sizeof hop, "%s", v + 6);
		cur = hop;
		u = std_toned(cur, tone, &toned);
		if (!u && legacy_name(cur))
			u = std_toned(legacy_name(cur), tone, &toned);
		if (u) {
			rd_emoji_put(w, name, toned, u);
			return true;
		}
	}
	const char *l = legacy_name(name);
	if (l && (u = std_toned(l, tone, &toned))) {
		rd_emoji_put(w, name, toned, u);
		return true;
	}
	return false;
}

void render_emoji_html(buf_t *out, const render_ctx *c, const char *name)
{
	char nb[EMOJI_NAME_MAX + 1], tb[16];
	rw w;
	rw_init(&w, out, c, false);
	split_name(name ? name : "", nb, sizeof nb, tb, sizeof tb);
	if (!rd_emoji(&w, nb, tb[0] ? tb : NULL))
		put_literal(&w, nb);
	rw_done(&w);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool rd_unicode_hex(buf_t *out, const char *hex)
{
	size_t start = out->len;
	const char *p = hex;
	int count = 0;
	while (p && *p) {
		uint32_t cp = 0;
		int digits = 0, v;
		while ((v = hexval(*p)) >= 0 && digits < 7) {
			cp = cp * 16 + (uint32_t)v;
			digits++;
			p++;
		}
		/* ASCII only as keycap bases (# * 0-9): never markup */
		bool ascii_ok = cp == '#' || cp == '*' || (cp >= '0' && cp <= '9');
		if (!digits || (cp < 0xA0 && !ascii_ok) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
		    ++count > 16 || (*p && *p != '-'))
			goto bad;
		utf8_put(out, cp);
		if (*p == '-')
			p++;
	}
	if (count)
		return true;
bad:
	buf_truncate(out, start);
	return false;
}
