/* meta.c: export layout, metadata files, folder -> conversation map.
 * See meta.h.
 *
 * Metadata files are streamed (json_each_read) and stored as they go
 * past: users.json and channels.json grow with the workspace (13 MB of
 * channels.json for 300 channels and 5,000 people, with members lists),
 * and holding them cost the first pass their size, twice for a
 * conversation file. Conversation files are read in whatever order the
 * export has them, but stored as if read in the order of their kinds
 * (kind_rank): a folder keeps the conversation of the first kind that
 * names it, and an ID the record of the last kind. dms.json alone is kept
 * until the end of the pass, because a DM's name is made of its members'
 * names and users.json may come after it. Lookups use libc's tsearch
 * trees. */
#include "ingest/meta.h"
#include "ingest/names.h"
#include "ingest/norm.h"
#include "ingest/order.h"
#include "cli.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <dirent.h>
#include <openssl/evp.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { F_USERS = 10, F_INTEG, F_EMOJI, F_UNKNOWN };

typedef struct folder {
	char *key;
	conv c;
	int rank;                    /* of the file it came from (kind_rank) */
} folder;

/* A conversation ID stored, and the rank of the file that stored it. */
typedef struct stored {
	char *id;
	int rank;
} stored;

typedef struct pending {
	channel_kind kind;
	char *name, *data;
	size_t prefix_len, len;
} pending;

/* A channel's name in this export, for meta_settle_names. */
typedef struct named {
	char *id, *name;
	size_t seq;                  /* later records of an ID win */
} named;

struct meta {
	store_t *s;
	const warner *w;
	char *label;
	void *folders;
	void *stored;
	names handles, shown;        /* user ID -> handle, and -> name to show */
	pending *pend;
	size_t npend, cappend;
	char **days;
	size_t ndays, capdays;
	named *named;                /* channels' names as the export gives them */
	size_t nnamed, capnamed;
	meta_counts n;
	arena_t arena;
	bool failed;
};

/* A metadata file, read in pieces: from the walker or from memory. */
typedef struct source {
	json_reader rd;
	walker *w;
	bool failed;                 /* the walker warned (a limit, a read error) */
	const char *data;
	size_t len, pos;
} source;

/* What json_each_read's callbacks need to know about the file. */
typedef struct each {
	meta *m;
	const char *name;
	const char *prefix;
	size_t prefix_len, index;
	channel_kind kind;
	locator loc;
	const json_reader *rd;
} each;

/* Conversation files are read in this order of their kinds, as if the
 * whole first pass had been read before any: a folder goes to the
 * conversation of the first file (public channels first), and the store
 * keeps the conversation as the last one describes it. */
static int kind_rank(channel_kind k)
{
	switch (k) {
	case CH_PUBLIC: return 0;
	case CH_PRIVATE: return 1;
	case CH_MPIM: return 2;
	case CH_DM: return 3;
	case CH_UNKNOWN: break;      /* never a file's */
	}
	return 4;
}

static int what_file(const char *base)
{
	static const struct { const char *name; int what; } known[] = {
		{"users.json", F_USERS}, {"org_users.json", F_USERS},
		{"channels.json", CH_PUBLIC}, {"groups.json", CH_PRIVATE},
		{"mpims.json", CH_MPIM}, {"dms.json", CH_DM},
		{"integration_logs.json", F_INTEG}, {"emoji.json", F_EMOJI},
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(base, known[i].name) == 0)
			return known[i].what;
	return F_UNKNOWN;
}

static bool is_day_file(const char *s, size_t n)
{
	char day[11];
	if (n != 15 || memcmp(s + 10, ".json", 5) != 0)
		return false;
	memcpy(day, s, 10);
	day[10] = 0;
	return day_valid(day);
}

ent_kind meta_classify(const char *name, size_t *len)
{
	size_t prefix = 0;
	const char *rest = name;
	const char *s1 = strchr(rest, '/');
	/* teams/<ws>/... (a channel named "teams" has only day files) */
	if (strncmp(name, "teams/", 6) == 0) {
		const char *ws_end = strchr(name + 6, '/');
		if (ws_end && ws_end > name + 6 && ws_end[1]) {
			prefix = (size_t)(ws_end + 1 - name);
			rest = ws_end + 1;
			s1 = strchr(rest, '/');
		}
	}
	size_t rlen = strlen(rest);
	if (!s1) {
		*len = prefix;
		return rlen > 5 && strcmp(rest + rlen - 5, ".json") == 0 ? ENT_META : ENT_OTHER;
	}
	const char *file = s1 + 1;
	if (s1 == rest || strchr(file, '/') || !is_day_file(file, strlen(file)))
		return ENT_OTHER;
	*len = (size_t)(s1 - name);
	return ENT_DAY;
}

/* ---- trees --------------------------------------------------------------- */

static int cmp_folder(const void *a, const void *b)
{
	return strcmp(((const folder *)a)->key, ((const folder *)b)->key);
}

static int cmp_stored(const void *a, const void *b)
{
	return strcmp(((const stored *)a)->id, ((const stored *)b)->id);
}

static void free_stored(void *p)
{
	stored *st = p;
	free(st->id);
	free(st);
}

/* Whether a conversation read from a file of this rank is to be stored:
 * not over one from a file that comes later in the order. */
static bool store_wanted(meta *m, const char *id, int rank)
{
	stored *st = xcalloc(1, sizeof *st);
	st->id = xstrdup(id);
	st->rank = rank;
	stored **got = tsearch(st, &m->stored, cmp_stored);
	if (*got == st)
		return true;
	free_stored(st);
	if ((*got)->rank > rank)
		return false;
	(*got)->rank = rank;
	return true;
}

static void free_folder(void *p)
{
	folder *f = p;
	free(f->key);
	free((char *)f->c.id);
	free((char *)f->c.name);
	free(f);
}

/* Map prefix+key to a conversation; the first mapping of a key wins, in
 * the order of kind_rank. */
static void map_folder(meta *m, const char *prefix, size_t plen, const char *key, const st_channel *c, int rank)
{
	folder *f = xcalloc(1, sizeof *f);
	buf_t k = BUF_INIT;
	buf_put(&k, prefix, plen);
	buf_puts(&k, key);
	f->key = buf_detach(&k);
	f->rank = rank;
	folder **got = tsearch(f, &m->folders, cmp_folder);
	if (*got != f) {
		free(f->key);
		free(f);
		if ((*got)->rank <= rank)
			return;
		f = *got;
		f->rank = rank;
		free((char *)f->c.id);
		free((char *)f->c.name);
	}
	f->c.id = xstrdup(c->id);
	f->c.name = xstrdup(c->name ? c->name : c->id);
	f->c.kind = c->kind;
}

const conv *meta_folder(const meta *m, const char *folder_name, size_t len)
{
	folder key = {.key = xstrndup(folder_name, len)};
	folder **got = tfind(&key, &m->folders, cmp_folder);
	if (!got && strncmp(key.key, "teams/", 6) == 0) {
		/* a workspace folder described only at the organisation's root */
		const char *base = strrchr(key.key, '/') + 1;
		folder root = {.key = (char *)base};
		got = tfind(&root, &m->folders, cmp_folder);
	}
	free(key.key);
	return got ? &(*got)->c : NULL;
}

bool meta_user_known(const meta *m, const char *id)
{
	return names_has(&m->handles, id);
}

const char *meta_user_shown(const meta *m, const char *id)
{
	return names_get(&m->shown, id);
}

const char *meta_channel_name(const meta *m, const char *id)
{
	folder key = {.key = (char *)id};
	folder **got = tfind(&key, &m->folders, cmp_folder);
	return got ? (*got)->c.name : NULL;
}

/* A user's handle: from this export's users, else from the archive (a
 * later export may come without users.json), else the ID. */
static const char *handle(meta *m, const char *id)
{
	const char *h = names_get(&m->handles, id);
	const st_user *u = h ? NULL : store_user(m->s, &m->arena, id);
	return h ? h : u && u->name ? u->name : id;
}

/* ---- pass one ------------------------------------------------------------ */

meta *meta_new(store_t *s, const warner *w, const char *label)
{
	meta *m = xcalloc(1, sizeof *m);
	m->s = s;
	m->w = w;
	m->label = xstrdup(label);
	return m;
}

void meta_free(meta *m)
{
	if (!m)
		return;
	tdestroy(m->folders, free_folder);
	tdestroy(m->stored, free_stored);
	names_free(&m->handles);
	names_free(&m->shown);
	for (size_t i = 0; i < m->npend; i++) {
		free(m->pend[i].name);
		free(m->pend[i].data);
	}
	free(m->pend);
	for (size_t i = 0; i < m->ndays; i++)
		free(m->days[i]);
	free(m->days);
	for (size_t i = 0; i < m->nnamed; i++) {
		free(m->named[i].id);
		free(m->named[i].name);
	}
	free(m->named);
	arena_free(&m->arena);
	free(m->label);
	free(m);
}

/* "LABEL: NAME:LINE:COL" prefix for one item's warning. */
static void item_warn(each *e, const char *raw, const char *what)
{
	locator_sync(&e->loc, e->rd);
	warn_item(e->m->w, e->m->label, e->name, &e->loc, raw, e->index, what);
}

static int user_item(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	each *e = ctx;
	meta *m = e->m;
	st_user u;
	e->index++;
	if (norm_user(&m->arena, item, raw, rawlen, &u) != 0) {
		item_warn(e, raw, "user without an id skipped");
		return 0;
	}
	if (store_upsert_user(m->s, &u) == ST_ERROR) {
		log_err("%s: %s: storing user %s: %s", m->label, e->name, u.id, store_errmsg(m->s));
		m->failed = true;
		return 1;
	}
	if (names_put(&m->handles, u.id, u.name ? u.name : u.id))
		m->n.users++;
	names_put(&m->shown, u.id, norm_shown_name(&u));
	arena_reset(&m->arena);
	return 0;
}

static int count_item(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	each *e = ctx;
	(void)rawlen;
	e->index++;
	if (!json_is(item, JV_OBJ))
		item_warn(e, raw, "not an object");
	else
		e->m->n.integration_logs++;
	return 0;
}

static long read_walker(void *ctx, char *p, size_t cap)
{
	source *src = ctx;
	long n = walk_read_some(src->w, p, cap);
	src->failed |= n < 0;
	return n;
}

static long read_memory(void *ctx, char *p, size_t cap)
{
	source *src = ctx;
	size_t n = src->len - src->pos < cap ? src->len - src->pos : cap;
	memcpy(p, src->data + src->pos, n);
	src->pos += n;
	return (long)n;
}

/* The whole file, for those read as one tree or kept for later. */
static void slurp(source *src, buf_t *b)
{
	long n;
	buf_reset(b);
	do {
		buf_grow(b, JSON_READ_BLOCK);
		n = src->rd.read(src, b->p + b->len, JSON_READ_BLOCK);
		if (n > 0)
			b->len += (size_t)n;
		b->p[b->len] = 0;
	} while (n > 0);
	if (src->w && walk_read_limited(src->w))
		buf_reset(b);
}

/* Stream a file's top-level array through fn: memory follows its largest
 * element (users.json and channels.json grow with the workspace). */
static int stream(meta *m, const char *name, source *src, json_item_fn fn, each *e)
{
	json_err err;
	json_stats st = {0};
	e->m = m;
	e->name = name;
	e->rd = &src->rd;
	locator_init(&e->loc, NULL);
	int rc = json_each_read(&src->rd, fn, e, &err, &st);
	if (src->w && walk_read_limited(src->w))
		return m->failed ? -1 : 0;
	if (rc == JSON_EMPTY && !src->failed)
		warn_if_empty(m->w, m->label, name, "", 0);
	else if (rc != JSON_EMPTY)
		warn_json(m->w, m->label, name, rc, &err, &st);
	return m->failed ? -1 : 0;
}

const jv *meta_emoji_list(const jv *root)
{
	const jv *list = json_get(root, "emoji");
	if (json_is(list, JV_OBJ))
		return list;
	if (!json_is(root, JV_OBJ) || !root->n)
		return NULL;
	json_foreach(v, root)
		if (!json_str(v))
			return NULL;
	return root;
}

int meta_emoji_store(meta *m, const char *name, const jv *list)
{
	json_foreach(v, list) {
		const char *val = json_str(v);
		if (!val || !*v->key)
			continue;
		if (store_upsert_emoji(m->s, v->key, val) == ST_ERROR) {
			log_err("%s: %s: storing emoji %s: %s", m->label, name, v->key, store_errmsg(m->s));
			return -1;
		}
		m->n.emoji++;
	}
	return 0;
}

int meta_emoji(meta *m, const char *name, const char *data, size_t len)
{
	json_err err;
	json_stats st = {0};
	arena_reset(&m->arena);
	const jv *root = json_parse(&m->arena, data, len, &err, &st);
	if (!root) {
		warnf(m->w, "%s: %s:%zu:%zu: invalid JSON: %s; no emoji read", m->label, name, err.line, err.col, err.msg);
		return 0;
	}
	warn_json(m->w, m->label, name, JSON_OK, &err, &st);
	const jv *list = meta_emoji_list(root);
	int rc = 0;
	if (!list)
		warnf(m->w, "%s: %s: not an emoji list (expected {\"emoji\": {name: url}}); skipped", m->label, name);
	else
		rc = meta_emoji_store(m, name, list);
	arena_reset(&m->arena);
	return rc;
}

static int conv_item(void *ctx, const jv *item, const char *raw, size_t rawlen);

/* DMs wait for the end of the pass: their names are made of their
 * members' names, and users.json may come later. */
static void keep_for_later(meta *m, const char *name, size_t prefix_len, source *src)
{
	buf_t b = BUF_INIT;
	slurp(src, &b);
	if (!b.len && src->failed) {
		buf_free(&b);
		return;
	}
	if (m->npend == m->cappend) {
		m->cappend = m->cappend ? 2 * m->cappend : 8;
		m->pend = xrealloc(m->pend, m->cappend * sizeof *m->pend);
	}
	pending *p = &m->pend[m->npend++];
	p->kind = CH_DM;
	p->name = xstrdup(name);
	p->prefix_len = prefix_len;
	p->len = b.len;
	p->data = buf_detach(&b);
}

static int meta_input(meta *m, const char *name, size_t prefix_len, source *src)
{
	each e = {0};
	buf_t b = BUF_INIT;
	int rc = 0, what = what_file(name + prefix_len);
	switch (what) {
	case F_USERS:
		return stream(m, name, src, user_item, &e);
	case F_INTEG:
		return stream(m, name, src, count_item, &e);
	case F_EMOJI:
		slurp(src, &b);
		if (b.len || !src->failed)
			rc = meta_emoji(m, name, buf_str(&b), b.len);
		buf_free(&b);
		return rc;
	case F_UNKNOWN:
		log_debug("%s: %s: metadata file not used", m->label, name);
		return 0;
	case CH_DM:
		keep_for_later(m, name, prefix_len, src);
		return 0;
	}
	e.kind = (channel_kind)what;
	e.prefix = name;
	e.prefix_len = prefix_len;
	return stream(m, name, src, conv_item, &e);
}

int meta_file(meta *m, const char *name, size_t prefix_len, const char *data, size_t len)
{
	source src = {.rd = {.read = read_memory}, .data = data, .len = len};
	src.rd.ctx = &src;
	return meta_input(m, name, prefix_len, &src);
}

int meta_read(meta *m, walker *w, const char *name, size_t prefix_len)
{
	source src = {.rd = {.read = read_walker}, .w = w};
	src.rd.ctx = &src;
	return meta_input(m, name, prefix_len, &src);
}

void meta_day_folder(meta *m, const char *folder_name, size_t len)
{
	const char *last = m->ndays ? m->days[m->ndays - 1] : NULL;
	if (last && strlen(last) == len && memcmp(last, folder_name, len) == 0)
		return;
	if (m->ndays == m->capdays) {
		m->capdays = m->capdays ? 2 * m->capdays : 64;
		m->days = xrealloc(m->days, m->capdays * sizeof *m->days);
	}
	m->days[m->ndays++] = xstrndup(folder_name, len);
}

/* An entry of an export, perhaps inside one folder (an export zipped
 * with the folder it was unpacked into). */
static ent_kind export_entry(const char *name)
{
	size_t len;
	ent_kind k = meta_classify(name, &len);
	const char *sl = strchr(name, '/');
	if (k == ENT_OTHER && sl)
		k = meta_classify(sl + 1, &len);
	if (k == ENT_META) {
		const char *base = strrchr(name, '/');
		int what = what_file(base ? base + 1 : name);
		if (what != F_USERS && what != CH_PUBLIC)
			k = ENT_OTHER;
	}
	return k;
}

/* The first character that is not white space in the first bytes of p
 * (0 when there is none). */
static char first_char(const char *p, long n)
{
	for (long i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return p[i];
	return 0;
}

/* A zip holding an export: metadata and a day file that is an array. */
static bool zip_is_export(walker *w)
{
	bool meta = false, day = false;
	const char *name;
	char head[256];
	while (!(meta && day) && (name = walk_next(w)) != NULL) {
		ent_kind k = export_entry(name);
		meta |= k == ENT_META;
		if (k == ENT_DAY && !day) {
			char c = first_char(head, walk_read_some(w, head, sizeof head));
			if (c && c != '[')
				return false;   /* JSON Lines named by the day: logs */
			day = c == '[';
		}
	}
	return meta && day;
}

static bool file_starts_array(const char *path)
{
	FILE *f = fopen(path, "rb");
	char head[256];
	size_t n = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	return first_char(head, (long)n) == '[';
}

/* A directory holding an export: users.json or channels.json, and a
 * folder whose first day file is an array. Only the directory and its
 * folders are looked at, not what is below them. */
static bool dir_is_export(const char *dir)
{
	buf_t p = BUF_INIT;
	struct stat st;
	bool meta = false, day = false;
	for (int i = 0; i < 2 && !meta; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, i ? "channels.json" : "users.json");
		meta = stat(buf_str(&p), &st) == 0 && S_ISREG(st.st_mode);
	}
	DIR *d = meta ? opendir(dir) : NULL;
	struct dirent *de;
	while (d && !day && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		DIR *sub = opendir(buf_str(&p));
		struct dirent *fe;
		while (sub && !day && (fe = readdir(sub)) != NULL)
			if (is_day_file(fe->d_name, strlen(fe->d_name))) {
				buf_t f = BUF_INIT;
				buf_printf(&f, "%s/%s", buf_str(&p), fe->d_name);
				day = file_starts_array(buf_str(&f));
				buf_free(&f);
				break;
			}
		if (sub)
			closedir(sub);
	}
	if (d)
		closedir(d);
	buf_free(&p);
	return day;
}

bool meta_is_export(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	if (S_ISDIR(st.st_mode))
		return dir_is_export(path);
	char err[512];
	walker *w = S_ISREG(st.st_mode) ? walk_open(path, NULL, err, sizeof err) : NULL;
	bool yes = w && zip_is_export(w);
	walk_close(w);
	return yes;
}

const char *meta_export_part(const char *path, char **export)
{
	*export = NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	int what = what_file(base);
	bool dayfile = is_day_file(base, strlen(base));
	if (!dayfile && (what == F_UNKNOWN || what == F_EMOJI))
		return NULL;
	/* the export: the folder above a day file's, a metadata file's own */
	char *full = realpath(path, NULL);
	for (int up = dayfile ? 2 : 1; full && up > 0; up--) {
		char *sl = strrchr(full, '/');
		if (sl)
			*(sl == full ? sl + 1 : sl) = 0;     /* "/a" is in "/" */
	}
	if (full && meta_is_export(full))
		*export = full;
	else
		free(full);
	return dayfile ? "a day file" : "a metadata file";
}

/* ---- end of pass one ------------------------------------------------------ */

/* A DM's name: its members' names joined with "--", else its ID. */
static const char *dm_name(meta *m, const jv *item)
{
	buf_t b = BUF_INIT;
	json_foreach(u, json_arr(item, "members")) {
		const char *id = json_str(u);
		if (!id || !*id)
			continue;
		if (b.len)
			buf_puts(&b, "--");
		buf_puts(&b, handle(m, id));
	}
	const char *r = b.len ? arena_strndup(&m->arena, b.p, b.len) : NULL;
	buf_free(&b);
	return r;
}

/* The archive's order key of a channel's name, as events.c keeps it. */
static void name_key(buf_t *k, const char *id)
{
	buf_reset(k);
	buf_printf(k, ORDER_CHANNEL_KEY, id, "name");
}

/* A topic or purpose in an export is a change made at its last_set (the
 * channel's creation when it was never set), ordered by time with other
 * exports' and with channel_topic and channel_purpose events under the
 * same key: the newest stays, whatever order the sources come in. The
 * value to store: the export's, or the newest source's, kept with its time. */
static const char *settle_field(meta *m, arena_t *a, const char *id, const char *field, const jv *o,
				int64_t created, const char *value, bool *failed)
{
	char t[TS_LEN + 1];
	if (!order_time(json_getscalar(o, "last_set"), t) || strcmp(t, "0000000000.000000") == 0)
		order_time_int(created, t);
	buf_t k = BUF_INIT;
	buf_printf(&k, ORDER_CHANNEL_KEY, id, field);
	int take = order_take(m->s, buf_str(&k), t, value ? value : "");
	/* else the newest source's value, kept with its time */
	const char *kept = take ? value : order_state(m->s, a, buf_str(&k));
	buf_free(&k);
	if (take < 0)
		*failed = true;
	return take || *kept ? kept : NULL;
}

/* A channel's name in an export is a change made when the export was:
 * until the end of the import says when that was (its newest message),
 * a channel the archive has under another name, and whose name the
 * archive knows the time of, keeps that name (meta_settle_names). So an
 * export older than a rename imported after a newer one does not bring
 * the old name back. Topics and purposes carry their own times. */
static int upsert_conv(meta *m, st_channel *c, const jv *item)
{
	bool by_name = c->kind == CH_PUBLIC || c->kind == CH_PRIVATE;
	if (!by_name && !item)
		return store_upsert_channel(m->s, c);
	st_channel u = *c;
	arena_t a = {0};
	const st_channel *have = store_channel_by_id(m->s, &a, c->id);
	if (by_name) {
		if (m->nnamed == m->capnamed) {
			m->capnamed = m->capnamed ? 2 * m->capnamed : 64;
			m->named = xrealloc(m->named, m->capnamed * sizeof *m->named);
		}
		m->named[m->nnamed] = (named){xstrdup(c->id), xstrdup(c->name), m->nnamed};
		m->nnamed++;
		if (have && have->name && strcmp(have->name, c->name) != 0) {
			buf_t k = BUF_INIT;
			name_key(&k, c->id);
			if (*order_state(m->s, &a, buf_str(&k)))
				u.name = have->name;
			buf_free(&k);
		}
	}
	bool failed = false;
	if (item) {
		u.topic = settle_field(m, &a, c->id, "topic", json_get(item, "topic"), c->created, c->topic, &failed);
		u.purpose = settle_field(m, &a, c->id, "purpose", json_get(item, "purpose"), c->created, c->purpose,
					 &failed);
	}
	int rc = failed ? ST_ERROR : store_upsert_channel(m->s, &u);
	arena_free(&a);
	return rc;
}

static int by_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

int meta_settle_names(meta *m, const char *asof)
{
	if (m->nnamed)
		qsort(m->named, m->nnamed, sizeof *m->named, by_named);
	buf_t k = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->nnamed; i++) {
		const named *e = &m->named[i];
		if (i + 1 < m->nnamed && strcmp(m->named[i + 1].id, e->id) == 0)
			continue;   /* the last record of the ID is the export's */
		int take = 1;
		if (asof && *asof) {
			name_key(&k, e->id);
			take = order_take(m->s, buf_str(&k), asof, e->name);
		}
		if (take < 0) {
			rc = -1;
			break;
		}
		arena_t a = {0};
		const st_channel *have = take ? store_channel_by_id(m->s, &a, e->id) : NULL;
		if (have && strcmp(have->name, e->name) != 0) {
			st_channel u = *have;
			u.name = e->name;
			if (store_upsert_channel(m->s, &u) == ST_ERROR)
				rc = -1;
		}
		arena_free(&a);
	}
	buf_free(&k);
	return rc;
}

static int store_conv(meta *m, const char *name, const char *prefix, size_t plen, st_channel *c, const jv *item,
		      int rank)
{
	if (store_wanted(m, c->id, rank) && upsert_conv(m, c, item) == ST_ERROR) {
		log_err("%s: %s: storing conversation %s: %s", m->label, name, c->id, store_errmsg(m->s));
		m->failed = true;
		return -1;
	}
	m->n.conversations++;
	if (c->kind != CH_DM)
		map_folder(m, prefix, plen, c->name, c, rank);
	map_folder(m, prefix, plen, c->id, c, rank);
	return 0;
}

static int conv_item(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	each *e = ctx;
	meta *m = e->m;
	st_channel c;
	e->index++;
	channel_kind kind = e->kind;
	if (json_getbool(item, "is_mpim"))
		kind = CH_MPIM;
	else if (kind == CH_PUBLIC && json_getbool(item, "is_private"))
		kind = CH_PRIVATE;
	if (norm_channel(&m->arena, item, raw, rawlen, kind, &c) != 0) {
		item_warn(e, raw, "conversation without an id skipped");
		return 0;
	}
	if (kind == CH_DM)
		c.name = dm_name(m, item);
	if (!c.name)
		c.name = c.id;
	int rc = store_conv(m, e->name, e->prefix, e->prefix_len, &c, item, kind_rank(e->kind));
	arena_reset(&m->arena);
	return rc != 0;
}

static channel_kind guess_kind(const char *name)
{
	if (strncmp(name, "mpdm-", 5) == 0)
		return CH_MPIM;
	size_t n = strlen(name);
	bool id = name[0] == 'D' && n >= 9;
	for (size_t i = 1; id && i < n; i++)
		id = (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9');
	return id ? CH_DM : CH_PRIVATE;
}

static int undescribed(meta *m, const char *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha1(), NULL);
	char id[12];
	snprintf(id, sizeof id, "X%02X%02X%02X%02X%02X", md[0], md[1], md[2], md[3], md[4]);
	const char *base = strrchr(key, '/');
	base = base ? base + 1 : key;
	st_channel c = {.id = id, .name = base, .kind = guess_kind(base)};
	warnf(m->w, "%s: %s/: no metadata file describes this folder; imported as %s conversation %s (unpublished)",
	      m->label, key, channel_kind_name(c.kind), id);
	m->n.undescribed++;
	return store_conv(m, key, key, strlen(key) - strlen(base), &c, NULL, 4);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int meta_finish(meta *m)
{
	for (size_t i = 0; i < m->npend; i++) {
		pending *p = &m->pend[i];
		each e = {.kind = p->kind, .prefix = p->name, .prefix_len = p->prefix_len};
		source src = {.rd = {.read = read_memory}, .data = p->data, .len = p->len};
		src.rd.ctx = &src;
		int rc = stream(m, p->name, &src, conv_item, &e);
		free(p->data);
		p->data = NULL;
		if (rc != 0)
			return -1;
	}
	if (m->ndays)
		qsort(m->days, m->ndays, sizeof *m->days, cmp_str);
	for (size_t i = 0; i < m->ndays; i++) {
		if (i && strcmp(m->days[i], m->days[i - 1]) == 0)
			continue;
		if (!meta_folder(m, m->days[i], strlen(m->days[i])) && undescribed(m, m->days[i]) != 0)
			return -1;
	}
	return 0;
}

const meta_counts *meta_counts_of(const meta *m)
{
	return &m->n;
}
