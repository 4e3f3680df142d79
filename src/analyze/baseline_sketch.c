/*
 * baseline_sketch.c - reduces one parsed page to what defacement checks
 * compare: title, text blocks as hashes, element paths, images, script
 * hosts.  Used for every baseline version and for the page under check,
 * so both sides are reduced the same way.
 *
 * One pass over the flat node array in document order: a node's path hash,
 * innermost block and inherited flags derive from its parent's, which comes
 * earlier, so there is no recursion and the cost is linear in the page.
 *
 * Facts that shaped it: portal pages churn in news lists (repeated <li>
 * with a link and a date), date lines, visitor counters and carousels;
 * class names toggle with state ("active", "on", "cur"); ids carry serial
 * numbers.  Digit runs are folded and state classes dropped so that none of
 * this looks like a change, and date-bearing blocks and repeated link lists
 * are marked soft (dynamic by shape).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/baseline_int.h"

/* Per-node flags inherited from ancestors. */
#define NF_LINK     0x01 /* inside <a> */
#define NF_PROM     0x02 /* inside a prominent element */
#define NF_CAROUSEL 0x04 /* inside a carousel/scroller */
#define NF_HEADER   0x08 /* inside a header-like region (logo, banner, top) */
#define NF_BODY     0x10 /* inside <body> */
#define NF_MARQUEE  0x20 /* inside <marquee> */

#define FNV_OFF 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* Finalising mixer (splitmix64) so that sums of hashes stay well spread. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Normalisation state of one block's text, fed piece by piece. */
struct norm {
	uint64_t h;
	uint32_t len;
	uint8_t digit;   /* last emitted byte was the '#' of a digit run */
	uint8_t date;    /* 0 none, 1 after digits, 2 after a date separator */
	uint8_t run;     /* length of the current/last digit run (capped) */
	uint8_t dots;    /* '.' separators in the current chain */
	uint8_t found;   /* a date or time was seen */
};

static void norm_init(struct norm *st)
{
	memset(st, 0, sizeof *st);
	st->h = FNV_OFF;
}

static void emit(struct norm *st, unsigned char c)
{
	st->h = (st->h ^ c) * FNV_PRIME;
	st->len++;
}

/*
 * Date separators: '-', '/', ':', 年, 月 after any digits; '.' only after a
 * four-digit year or as the second dot of a chain, so decimals such as
 * "5.2%" are not dates.
 */
static void date_sep(struct norm *st, const unsigned char *p, size_t cl)
{
	int sep = 0;

	if (st->date == 1) {
		if (cl == 1 && (*p == '-' || *p == '/' || *p == ':'))
			sep = 1;
		else if (cl == 1 && *p == '.')
			sep = st->run == 4 || st->dots >= 1;
		else if (cl == 3 && (!memcmp(p, "\xe5\xb9\xb4", 3) || !memcmp(p, "\xe6\x9c\x88", 3)))
			sep = 1;
	}
	if (sep && cl == 1 && *p == '.')
		st->dots++;
	else if (!sep)
		st->dots = 0;
	st->date = sep ? 2 : 0;
}

/* Feeds n bytes of well-formed UTF-8 text into st. */
static void norm_feed(struct norm *st, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned char c = *p;
		size_t cl = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (cl > (size_t)(e - p))
			cl = (size_t)(e - p);
		if (c == ' ' || (c >= '\t' && c <= '\r') ||
		    (cl == 2 && c == 0xc2 && p[1] == 0xa0) ||
		    (cl == 3 && c == 0xe3 && p[1] == 0x80 && p[2] == 0x80)) {
			p += cl; /* blanks, NBSP and the ideographic space */
			continue;
		}
		if (c >= '0' && c <= '9') {
			if (!st->digit) {
				emit(st, '#');
				st->run = 0;
				if (st->date == 2)
					st->found = 1;
			}
			st->digit = 1;
			st->date = 1;
			if (st->run < 255)
				st->run++;
			p++;
			continue;
		}
		st->digit = 0;
		date_sep(st, p, cl);
		for (size_t k = 0; k < cl; k++)
			emit(st, (unsigned char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]));
		p += cl;
	}
}

/* Normalised copy of s (see baseline_int.h); NULL on ENOMEM. */
char *sw__bl_norm_dup(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *out = malloc(n + 1);
	int digit = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || (c >= '\t' && c <= '\r'))
			continue;
		if (c == 0xc2 && (unsigned char)s[i + 1] == 0xa0) {
			i++;
			continue;
		}
		if (c == 0xe3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) {
			i += 2;
			continue;
		}
		if (c >= '0' && c <= '9') {
			if (!digit)
				out[j++] = '#';
			digit = 1;
			continue;
		}
		digit = 0;
		out[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[j] = '\0';
	return out;
}

/* FNV of s[0..n) with digit runs folded, for ids and class tokens. */
static uint64_t token_hash(const char *s, size_t n)
{
	uint64_t h = FNV_OFF;
	int digit = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9') {
			if (!digit)
				h = (h ^ '#') * FNV_PRIME;
			digit = 1;
			continue;
		}
		digit = 0;
		h = (h ^ (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * FNV_PRIME;
	}
	return h;
}

/* Class tokens that toggle with UI state and must not change a path. */
static int state_token(const char *s, size_t n)
{
	static const struct {
		const char *w;
		size_t n;
	} words[] = {{"on", 2}, {"in", 2}, {"cur", 3}, {"curr", 4}, {"show", 4}, {"hide", 4},
		{"open", 4}, {"fade", 4}, {"last", 4}, {"even", 4}, {"first", 5}, {"hover", 5},
		{"focus", 5}, {"hidden", 6}, {"active", 6}, {"select", 6}, {"current", 7},
		{"visible", 7}, {"selected", 8}, {"animated", 8}, {"clearfix", 8}, {"odd", 3}};

	if (n > 8) /* long tokens: only compound state words such as slick-active */
		goto sub;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (words[i].n == n && !strncasecmp(s, words[i].w, n))
			return 1;
sub:
	for (size_t i = 0; i + 6 <= n; i++)
		if ((s[i] | 32) == 'a' || (s[i] | 32) == 's')
			if (!strncasecmp(s + i, "active", 6) || !strncasecmp(s + i, "select", 6))
				return 1;
	return 0;
}

/* Order-independent hash of the class attribute's tokens, state dropped. */
static uint64_t class_hash(const char *cls)
{
	uint64_t h = 0;
	const char *p = cls;

	while (*p) {
		size_t n;

		while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		n = strcspn(p, " \t\n\v\f\r");
		if (n && !state_token(p, n))
			h += mix(token_hash(p, n));
		p += n;
	}
	return h;
}

/* Words in ids and classes that mark carousels (NF_CAROUSEL) and header
 * regions (NF_HEADER). */
static const struct {
	const char *w;
	uint8_t n, flag;
} region_words[] = {
	{"slide", 5, NF_CAROUSEL}, {"swiper", 6, NF_CAROUSEL}, {"carousel", 8, NF_CAROUSEL},
	{"focus", 5, NF_CAROUSEL}, {"lunbo", 5, NF_CAROUSEL}, {"scroll", 6, NF_CAROUSEL},
	{"roll", 4, NF_CAROUSEL}, {"flash", 5, NF_CAROUSEL}, {"switch", 6, NF_CAROUSEL},
	{"rotat", 5, NF_CAROUSEL}, {"slick", 5, NF_CAROUSEL}, {"owl-", 4, NF_CAROUSEL},
	{"gallery", 7, NF_CAROUSEL}, {"logo", 4, NF_HEADER}, {"head", 4, NF_HEADER},
	{"top", 3, NF_HEADER}, {"banner", 6, NF_HEADER}, {"brand", 5, NF_HEADER},
	{"masthead", 8, NF_HEADER},
};

/*
 * NF_CAROUSEL/NF_HEADER bits for the region words in v (an id or class),
 * case-insensitively.  One pass: only positions whose letter starts some
 * word are compared, so long class lists stay cheap.
 */
static unsigned region_flags(const char *v)
{
	unsigned f = 0;

	for (const char *p = v; *p; p++) {
		char c = (char)(*p | 32);

		if (!strchr("scflrogthbm", c))
			continue;
		for (size_t k = 0; k < sizeof region_words / sizeof *region_words; k++)
			if (region_words[k].w[0] == c &&
			    !strncasecmp(p, region_words[k].w, region_words[k].n))
				f |= region_words[k].flag;
	}
	return f;
}

static int is_block(const struct sw_node *nd)
{
	static const char *const names[] = {"dl", "dt", "dd", "blockquote", "pre", "th",
		"caption", "figure", "figcaption", "address", "tbody", "thead", "tfoot"};

	switch (nd->tag) {
	case SW_TAG_BODY: case SW_TAG_DIV: case SW_TAG_P: case SW_TAG_LI: case SW_TAG_TD:
	case SW_TAG_TR: case SW_TAG_TABLE: case SW_TAG_UL: case SW_TAG_OL: case SW_TAG_H1:
	case SW_TAG_H2: case SW_TAG_H3: case SW_TAG_H4: case SW_TAG_H5: case SW_TAG_H6:
	case SW_TAG_FORM: case SW_TAG_CENTER: case SW_TAG_NAV: case SW_TAG_HEADER:
	case SW_TAG_FOOTER: case SW_TAG_SECTION: case SW_TAG_ARTICLE: case SW_TAG_MAIN:
	case SW_TAG_ASIDE: case SW_TAG_DETAILS: case SW_TAG_DIALOG: case SW_TAG_MARQUEE:
		return 1;
	case SW_TAG_OTHER:
		for (size_t k = 0; nd->name && k < sizeof names / sizeof *names; k++)
			if (!strcmp(nd->name, names[k]))
				return 1;
		return 0;
	default:
		return 0;
	}
}

/* Flags element i (with attributes id and cls, either may be NULL) adds
 * for its subtree. */
static unsigned own_flags(const struct sw_node *nd, const char *id, const char *cls)
{
	unsigned f = 0;

	switch (nd->tag) {
	case SW_TAG_A: f |= NF_LINK; break;
	case SW_TAG_MARQUEE: f |= NF_PROM | NF_CAROUSEL | NF_MARQUEE; break;
	case SW_TAG_H1: case SW_TAG_H2: case SW_TAG_H3: case SW_TAG_CENTER: case SW_TAG_FONT:
	case SW_TAG_STRONG: case SW_TAG_B: f |= NF_PROM; break;
	case SW_TAG_HEADER: f |= NF_HEADER; break;
	case SW_TAG_BODY: f |= NF_BODY; break;
	default: break;
	}
	if (id)
		f |= region_flags(id);
	if (cls)
		f |= region_flags(cls);
	return f;
}

/* Path hash of an element given its parent's, its tag and id/class. */
static uint64_t path_hash(const struct sw_node *nd, const char *id, const char *cls,
			  uint64_t parent)
{
	uint64_t h = parent * 31 + mix(nd->tag == SW_TAG_OTHER && nd->name
			? token_hash(nd->name, strlen(nd->name)) : nd->tag + 1u);

	if (id && *id)
		h += mix(token_hash(id, strlen(id)) ^ 0x1d);
	if (cls && *cls)
		h += mix(class_hash(cls) ^ 0xc1);
	return mix(h);
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

size_t sw__bl_sort_unique64(uint64_t *v, size_t n)
{
	size_t j = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp64);
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[j])
			v[++j] = v[i];
	return j + 1;
}

int sw__bl_has64(const uint64_t *v, size_t n, uint64_t x)
{
	return n && bsearch(&x, v, n, sizeof *v, cmp64) != NULL;
}

static int cmpstrp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sw__bl_has_str(char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof *v, cmpstrp) != NULL;
}

uint64_t sw__bl_src_hash(const char *src)
{
	size_t n;

	while (*src == ' ' || (*src >= '\t' && *src <= '\r'))
		src++;
	n = strcspn(src, "?#");
	while (n && (src[n - 1] == ' ' || (src[n - 1] >= '\t' && src[n - 1] <= '\r')))
		n--;
	return n ? mix(token_hash(src, n)) | 1 : 0;
}

/* Working arrays of one sketch build. */
struct walk {
	uint64_t *ph;        /* per node: path hash */
	uint32_t *blk;       /* per node: innermost block (index in blocks) */
	uint8_t *fl;         /* per node: NF_* */
	struct norm *st;     /* per block */
	size_t cap_blocks, cap_spans;
	size_t imgs_key;     /* key-candidate images seen */
};

static enum sw_err add_block(struct sw__sketch *sk, struct walk *w, uint32_t i)
{
	if (sk->nblocks == w->cap_blocks) {
		size_t cap = w->cap_blocks ? w->cap_blocks * 2 : 64;
		struct sw__bl_block *b = realloc(sk->blocks, cap * sizeof *b);
		struct norm *s;

		if (!b)
			return SW_ENOMEM;
		sk->blocks = b;
		s = realloc(w->st, cap * sizeof *s);
		if (!s)
			return SW_ENOMEM;
		w->st = s;
		w->cap_blocks = cap;
	}
	memset(&sk->blocks[sk->nblocks], 0, sizeof *sk->blocks);
	sk->blocks[sk->nblocks].path = w->ph[i];
	sk->blocks[sk->nblocks].node = i;
	sk->blocks[sk->nblocks].off = SW_NONE;
	sk->blocks[sk->nblocks].flags = w->fl[i] & NF_CAROUSEL ? SW__BL_CAROUSEL : 0;
	norm_init(&w->st[sk->nblocks]);
	w->blk[i] = (uint32_t)sk->nblocks++;
	return SW_OK;
}

/* A visible text node: fed to its block's hash, recorded as a span. */
static enum sw_err add_text(struct sw__sketch *sk, struct walk *w, uint32_t i, uint32_t b)
{
	const struct sw_node *nd = &sk->doc->nodes[i];
	struct sw__bl_block *bl = &sk->blocks[b];
	uint32_t before = w->st[b].len;

	norm_feed(&w->st[b], nd->text, nd->text_len);
	if (w->fl[i] & NF_LINK)
		bl->link += w->st[b].len - before;
	/* Prominence comes from the text's own markup (<font>, <b> inside a div). */
	if (w->fl[i] & NF_PROM)
		bl->flags |= SW__BL_PROMINENT;
	if (w->fl[i] & NF_MARQUEE)
		bl->flags |= SW__BL_MARQUEE;
	if (w->st[b].len == before || !nd->len)
		return SW_OK;
	if (bl->off == SW_NONE || nd->off < bl->off)
		bl->off = nd->off;
	if (nd->off + nd->len > bl->end)
		bl->end = nd->off + nd->len;
	if (sk->nspans == w->cap_spans) {
		size_t cap = w->cap_spans ? w->cap_spans * 2 : 128;
		struct sw__bl_span *s = realloc(sk->spans, cap * sizeof *s);

		if (!s)
			return SW_ENOMEM;
		sk->spans = s;
		w->cap_spans = cap;
	}
	sk->spans[sk->nspans++] = (struct sw__bl_span){nd->off, nd->off + nd->len, b};
	return SW_OK;
}

static int pixel(const char *v)
{
	return v && (strtol(v, NULL, 10) <= 2 && *v >= '0' && *v <= '9');
}

/* An img in the body: kept with its path and source hash. */
static void add_img(struct sw__sketch *sk, struct walk *w, uint32_t i)
{
	const struct sw_doc *d = sk->doc;
	const char *src = sw_doc_attr(d, i, "src");
	struct sw__bl_img *im;
	uint64_t h = src ? sw__bl_src_hash(src) : 0;

	if (!h || sk->nimgs == SW__BL_MAX_IMGS || d->nodes[i].hide)
		return;
	im = &sk->imgs[sk->nimgs++];
	im->path = w->ph[i];
	im->src = h;
	im->node = i;
	im->key = !(w->fl[i] & NF_CAROUSEL) && !pixel(sw_doc_attr(d, i, "width")) &&
		  !pixel(sw_doc_attr(d, i, "height")) && strncmp(src, "data:", 5) != 0 &&
		  ((w->fl[i] & NF_HEADER) || w->imgs_key < 4);
	if (!(w->fl[i] & NF_CAROUSEL))
		w->imgs_key++;
}

/* A script or frame source: its host joins the sketch's host list. */
static enum sw_err add_host(struct sw__sketch *sk, const char *src)
{
	char host[256];
	char **v;

	if (!src || !*sw_an_url_host(src, host, sizeof host) || sk->nhosts >= SW__BL_MAX_HOSTS)
		return SW_OK;
	for (size_t k = 0; k < sk->nhosts; k++)
		if (!strcmp(sk->hosts[k], host))
			return SW_OK;
	v = realloc(sk->hosts, (sk->nhosts + 1) * sizeof *v);
	if (!v)
		return SW_ENOMEM;
	sk->hosts = v;
	if (!(v[sk->nhosts] = strdup(host)))
		return SW_ENOMEM;
	sk->nhosts++;
	return SW_OK;
}

/* Visits element i: path, flags, block, structure, images, hosts. */
static enum sw_err visit_element(struct sw__sketch *sk, struct walk *w, uint32_t i)
{
	const struct sw_doc *d = sk->doc;
	const struct sw_node *nd = &d->nodes[i];
	uint32_t p = nd->parent;
	enum sw_err rc = SW_OK;

	const char *id = NULL, *cls = NULL;

	for (uint32_t a = nd->attr; a < nd->attr + nd->nattr; a++) {
		if (!strcmp(d->attrs[a].name, "id"))
			id = d->attrs[a].value;
		else if (!strcmp(d->attrs[a].name, "class"))
			cls = d->attrs[a].value;
	}
	w->ph[i] = path_hash(nd, id, cls, p == SW_NONE ? 0 : w->ph[p]);
	w->fl[i] = (uint8_t)((p == SW_NONE ? 0 : w->fl[p]) | own_flags(nd, id, cls));
	w->blk[i] = p == SW_NONE ? SW_NONE : w->blk[p];
	if (!(w->fl[i] & NF_BODY))
		return SW_OK;
	sk->paths[sk->npaths++] = w->ph[i];
	if (is_block(nd) && (rc = add_block(sk, w, i)))
		return rc;
	if (nd->tag == SW_TAG_IMG)
		add_img(sk, w, i);
	else if (nd->tag == SW_TAG_SCRIPT || nd->tag == SW_TAG_IFRAME || nd->tag == SW_TAG_FRAME)
		rc = add_host(sk, sw_doc_attr(d, i, "src"));
	else if (nd->tag == SW_TAG_A && !nd->hide && sw_doc_attr(d, i, "href"))
		sk->links++;
	return rc;
}

struct pathflag {
	uint64_t path;
	uint32_t date, link; /* date: dated or in a carousel; link: mostly link text */
};

static int cmp_pathflag(const void *a, const void *b)
{
	return cmp64(&((const struct pathflag *)a)->path, &((const struct pathflag *)b)->path);
}

/*
 * Drops empty blocks (renumbering spans) and marks soft paths: a path with
 * a date-bearing block or a block inside a carousel (only the current
 * slide's caption shows), or one repeated three or more times where most
 * blocks are link text (a news list, even when it has no dates).
 */
static enum sw_err finish_blocks(struct sw__sketch *sk, struct walk *w)
{
	uint32_t *remap = malloc((sk->nblocks + 1) * sizeof *remap);
	struct pathflag *pf;
	size_t j = 0, npf = 0;

	if (!remap)
		return SW_ENOMEM;
	for (size_t i = 0; i < sk->nblocks; i++) {
		remap[i] = (uint32_t)j;
		if (!w->st[i].len)
			continue;
		sk->blocks[j] = sk->blocks[i];
		sk->blocks[j].text = mix(w->st[i].h);
		sk->blocks[j].len = w->st[i].len;
		sk->blocks[j].flags |= w->st[i].found ? SW__BL_DATE : 0;
		sk->vis_bytes += w->st[i].len;
		j++;
	}
	sk->nblocks = j;
	for (size_t i = 0; i < sk->nspans; i++)
		sk->spans[i].block = remap[sk->spans[i].block];
	free(remap);
	pf = malloc((j + 1) * sizeof *pf);
	sk->soft = malloc((j + 1) * sizeof *sk->soft);
	if (!pf || !sk->soft) {
		free(pf);
		return SW_ENOMEM;
	}
	for (size_t i = 0; i < j; i++)
		pf[i] = (struct pathflag){sk->blocks[i].path,
					  (sk->blocks[i].flags & (SW__BL_DATE | SW__BL_CAROUSEL)) != 0,
					  sk->blocks[i].link * 2 >= sk->blocks[i].len};
	qsort(pf, j, sizeof *pf, cmp_pathflag);
	for (size_t a = 0, b; a < j; a = b) {
		size_t dates = 0, links = 0;

		for (b = a; b < j && pf[b].path == pf[a].path; b++) {
			dates += pf[b].date;
			links += pf[b].link;
		}
		if (dates || (b - a >= 3 && links * 2 >= b - a))
			sk->soft[npf++] = pf[a].path;
	}
	free(pf);
	sk->nsoft = npf;
	for (size_t i = 0; i < j; i++)
		if (sw__bl_has64(sk->soft, npf, sk->blocks[i].path))
			sk->blocks[i].flags |= SW__BL_SOFT;
	return SW_OK;
}

static int cmp_span(const void *a, const void *b)
{
	uint32_t x = ((const struct sw__bl_span *)a)->off, y = ((const struct sw__bl_span *)b)->off;

	return (x > y) - (x < y);
}

static enum sw_err walk(struct sw__sketch *sk, struct walk *w)
{
	const struct sw_doc *d = sk->doc;
	enum sw_err rc;

	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *nd = &d->nodes[i];
		uint32_t p = nd->parent;

		if (nd->type == SW_NODE_ELEMENT) {
			if ((rc = visit_element(sk, w, i)))
				return rc;
			continue;
		}
		w->ph[i] = 0;
		w->fl[i] = p == SW_NONE ? 0 : w->fl[p];
		w->blk[i] = p == SW_NONE ? SW_NONE : w->blk[p];
		if (nd->type != SW_NODE_TEXT || !nd->text || nd->hide || w->blk[i] == SW_NONE ||
		    (nd->flags & (SW_NODE_RAW_TEXT | SW_NODE_IN_HEAD)))
			continue;
		if ((rc = add_text(sk, w, i, w->blk[i])))
			return rc;
	}
	return SW_OK;
}

enum sw_err sw__sketch_build(const struct sw_doc *d, struct sw__sketch *sk)
{
	struct walk w = {0};
	enum sw_err rc = SW_ENOMEM;
	size_t n = d->n ? d->n : 1;

	memset(sk, 0, sizeof *sk);
	sk->doc = d;
	w.ph = malloc(n * sizeof *w.ph);
	w.blk = malloc(n * sizeof *w.blk);
	w.fl = malloc(n);
	sk->paths = malloc(n * sizeof *sk->paths);
	sk->imgs = malloc(SW__BL_MAX_IMGS * sizeof *sk->imgs);
	sk->title = sw__bl_norm_dup(d->title_text ? d->title_text : "");
	if (!w.ph || !w.blk || !w.fl || !sk->paths || !sk->imgs || !sk->title)
		goto out;
	if ((rc = walk(sk, &w)) || (rc = finish_blocks(sk, &w)))
		goto out;
	sk->npaths = sw__bl_sort_unique64(sk->paths, sk->npaths);
	if (sk->nspans)
		qsort(sk->spans, sk->nspans, sizeof *sk->spans, cmp_span);
	if (sk->nhosts)
		qsort(sk->hosts, sk->nhosts, sizeof *sk->hosts, cmpstrp);
out:
	free(w.ph);
	free(w.blk);
	free(w.fl);
	free(w.st);
	if (rc)
		sw__sketch_cleanup(sk);
	return rc;
}

void sw__sketch_cleanup(struct sw__sketch *sk)
{
	free(sk->title);
	free(sk->blocks);
	free(sk->spans);
	free(sk->paths);
	free(sk->soft);
	free(sk->imgs);
	for (size_t i = 0; i < sk->nhosts; i++)
		free(sk->hosts[i]);
	free(sk->hosts);
	memset(sk, 0, sizeof *sk);
}

size_t sw__sketch_block_at(const struct sw__sketch *sk, uint32_t off)
{
	size_t lo = 0, hi = sk->nspans;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sk->spans[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sk->nspans && sk->spans[lo].off <= off && off < sk->spans[lo].end)
		return sk->spans[lo].block;
	return SIZE_MAX;
}
