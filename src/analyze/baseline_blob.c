/*
 * baseline_blob.c - a baseline as bytes, so the prober can store it and a
 * later check can read it back.
 *
 * Layout (all integers little-endian):
 *   "SWBL" u16 format-version u16 flags(bit0 title dynamic) u32 versions
 *   str title  u32 title_pre  u32 title_suf
 *   u32 npaths  u64 path[npaths]            (strictly increasing)
 *   u32 ndyn    u64 dyn[ndyn]               (strictly increasing)
 *   u32 nstable {u64 text, u32 len}[nstable] (text strictly increasing)
 *   u32 nimgs   {u64 path, u64 src, str url}[nimgs]
 *   u32 nhosts  str host[nhosts]            (strictly increasing)
 *   u64 checksum: FNV-1a 64 of every byte before it
 * where str is u32 length then bytes (no NUL).  A stored blob may come
 * from an older program or a damaged row, so the reader checks every count
 * against the bytes left and the limits, every order, and the checksum,
 * and rejects trailing bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline_int.h"

#define MAX_STR 4096

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *p;

		while (cap < w->len + n)
			cap *= 2;
		if (!(p = realloc(w->p, cap))) {
			w->oom = 1;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put_u(struct wbuf *w, uint64_t v, size_t bytes)
{
	unsigned char b[8];

	for (size_t i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, bytes);
}

static void put_str(struct wbuf *w, const char *s)
{
	size_t n = strnlen(s, MAX_STR);

	put_u(w, n, 4);
	put(w, s, n);
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

enum sw_err sw_baseline_to_blob(const struct sw_baseline *b, unsigned char **blob,
				size_t *len, struct sw_errbuf *eb)
{
	struct wbuf w = {0};

	*blob = NULL;
	*len = 0;
	put(&w, "SWBL", 4);
	put_u(&w, SW_BASELINE_BLOB_VERSION, 2);
	put_u(&w, b->title_dyn ? 1 : 0, 2);
	put_u(&w, b->versions, 4);
	put_str(&w, b->title ? b->title : "");
	put_u(&w, b->title_pre, 4);
	put_u(&w, b->title_suf, 4);
	put_u(&w, b->npaths, 4);
	for (size_t i = 0; i < b->npaths; i++)
		put_u(&w, b->paths[i], 8);
	put_u(&w, b->ndyn, 4);
	for (size_t i = 0; i < b->ndyn; i++)
		put_u(&w, b->dyn[i], 8);
	put_u(&w, b->nstable, 4);
	for (size_t i = 0; i < b->nstable; i++) {
		put_u(&w, b->stable[i].text, 8);
		put_u(&w, b->stable[i].len, 4);
	}
	put_u(&w, b->nimgs, 4);
	for (size_t i = 0; i < b->nimgs; i++) {
		put_u(&w, b->imgs[i].path, 8);
		put_u(&w, b->imgs[i].src, 8);
		put_str(&w, b->imgs[i].url);
	}
	put_u(&w, b->nhosts, 4);
	for (size_t i = 0; i < b->nhosts; i++)
		put_str(&w, b->hosts[i]);
	if (!w.oom)
		put_u(&w, fnv(w.p, w.len), 8);
	if (w.oom) {
		free(w.p);
		return sw_errf(eb, SW_ENOMEM, "out of memory serialising a baseline");
	}
	*blob = w.p;
	*len = w.len;
	return SW_OK;
}

/* Reader over a blob; the first failure sets bad and sticks. */
struct rbuf {
	const unsigned char *p;
	size_t len, pos;
	const char *bad;
};

static uint64_t get_u(struct rbuf *r, size_t bytes)
{
	uint64_t v = 0;

	if (r->bad || r->len - r->pos < bytes) {
		r->bad = r->bad ? r->bad : "truncated";
		return 0;
	}
	for (size_t i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += bytes;
	return v;
}

/* A count of items of at least `each` bytes, checked against max and the
 * bytes left (so a forged count cannot make us allocate much). */
static size_t get_count(struct rbuf *r, size_t max, size_t each)
{
	uint64_t n = get_u(r, 4);

	if (!r->bad && (n > max || n * each > r->len - r->pos))
		r->bad = "count out of range";
	return r->bad ? 0 : (size_t)n;
}

/* A new NUL-terminated string without embedded NULs; NULL on failure. */
static char *get_str(struct rbuf *r, int *oom)
{
	size_t n = get_count(r, MAX_STR, 1);
	char *s;

	if (r->bad)
		return NULL;
	if (memchr(r->p + r->pos, '\0', n)) {
		r->bad = "string holds a NUL";
		return NULL;
	}
	if (!(s = malloc(n + 1))) {
		*oom = 1;
		r->bad = "out of memory";
		return NULL;
	}
	memcpy(s, r->p + r->pos, n);
	s[n] = '\0';
	r->pos += n;
	return s;
}

/* Reads a strictly increasing u64 array. */
static uint64_t *get_set(struct rbuf *r, size_t *n, int *oom)
{
	uint64_t *v;

	*n = get_count(r, SW__BL_MAX_ITEMS, 8);
	if (r->bad)
		return NULL;
	if (!(v = malloc((*n + 1) * sizeof *v))) {
		*oom = 1;
		r->bad = "out of memory";
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		v[i] = get_u(r, 8);
		if (i && v[i] <= v[i - 1] && !r->bad)
			r->bad = "set not sorted";
	}
	return v;
}

static void read_header(struct rbuf *r, struct sw_baseline *b, int *oom)
{
	uint64_t flags;

	if (r->len < 4 || memcmp(r->p, "SWBL", 4)) {
		r->bad = "not a baseline";
		return;
	}
	r->pos = 4;
	if (get_u(r, 2) != SW_BASELINE_BLOB_VERSION && !r->bad)
		r->bad = "unknown format version";
	flags = get_u(r, 2);
	if (flags & ~1ull)
		r->bad = r->bad ? r->bad : "unknown flags";
	b->title_dyn = (int)(flags & 1);
	b->versions = (uint32_t)get_u(r, 4);
	if (!r->bad && (b->versions == 0 || b->versions > SW_BASELINE_MAX_VERSIONS))
		r->bad = "version count out of range";
	b->title = get_str(r, oom);
	b->title_pre = (uint32_t)get_u(r, 4);
	b->title_suf = (uint32_t)get_u(r, 4);
	if (!r->bad && (b->title_pre > strlen(b->title) || b->title_suf > strlen(b->title)))
		r->bad = "title bounds out of range";
}

static void read_stable(struct rbuf *r, struct sw_baseline *b, int *oom)
{
	b->nstable = get_count(r, SW__BL_MAX_ITEMS, 12);
	if (r->bad)
		return;
	if (!(b->stable = malloc((b->nstable + 1) * sizeof *b->stable))) {
		*oom = 1;
		r->bad = "out of memory";
		return;
	}
	for (size_t i = 0; i < b->nstable; i++) {
		b->stable[i].text = get_u(r, 8);
		b->stable[i].len = (uint32_t)get_u(r, 4);
		b->stable_total += b->stable[i].len;
		if (i && b->stable[i].text <= b->stable[i - 1].text && !r->bad)
			r->bad = "blocks not sorted";
	}
}

static void read_images_hosts(struct rbuf *r, struct sw_baseline *b, int *oom)
{
	size_t n = get_count(r, SW__BL_MAX_KEYIMGS, 20);

	if (r->bad || !(b->imgs = calloc(n + 1, sizeof *b->imgs))) {
		if (!r->bad)
			*oom = 1, r->bad = "out of memory";
		return;
	}
	for (; b->nimgs < n && !r->bad; b->nimgs++) {
		b->imgs[b->nimgs].path = get_u(r, 8);
		b->imgs[b->nimgs].src = get_u(r, 8);
		b->imgs[b->nimgs].url = get_str(r, oom);
	}
	n = get_count(r, SW__BL_MAX_HOSTS, 4);
	if (r->bad || !(b->hosts = calloc(n + 1, sizeof *b->hosts))) {
		if (!r->bad)
			*oom = 1, r->bad = "out of memory";
		return;
	}
	for (; b->nhosts < n && !r->bad; b->nhosts++) {
		b->hosts[b->nhosts] = get_str(r, oom);
		if (b->nhosts && b->hosts[b->nhosts] &&
		    strcmp(b->hosts[b->nhosts - 1], b->hosts[b->nhosts]) >= 0)
			r->bad = "hosts not sorted";
	}
}

enum sw_err sw_baseline_from_blob(const unsigned char *blob, size_t len,
				  struct sw_baseline **out, struct sw_errbuf *eb)
{
	struct rbuf r = {blob, len, 0, NULL}, tail;
	struct sw_baseline *b;
	int oom = 0;

	*out = NULL;
	if (!blob || len > SW_BASELINE_BLOB_MAX || len < 12)
		return sw_errf(eb, SW_EINVAL, "baseline blob: %s", len < 12 ? "too short" : "too large");
	tail = (struct rbuf){blob + len - 8, 8, 0, NULL};
	if (fnv(blob, len - 8) != get_u(&tail, 8))
		return sw_errf(eb, SW_EINVAL, "baseline blob: checksum mismatch");
	r.len = len - 8;
	if (!(b = calloc(1, sizeof *b)))
		return sw_errf(eb, SW_ENOMEM, "out of memory reading a baseline");
	read_header(&r, b, &oom);
	b->paths = get_set(&r, &b->npaths, &oom);
	b->dyn = get_set(&r, &b->ndyn, &oom);
	read_stable(&r, b, &oom);
	read_images_hosts(&r, b, &oom);
	if (!r.bad && r.pos != r.len)
		r.bad = "trailing bytes";
	if (r.bad) {
		sw_baseline_free(b);
		if (oom)
			return sw_errf(eb, SW_ENOMEM, "out of memory reading a baseline");
		return sw_errf(eb, SW_EINVAL, "baseline blob: %s", r.bad);
	}
	*out = b;
	return SW_OK;
}
