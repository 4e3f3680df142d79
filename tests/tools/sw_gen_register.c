/*
 * sw_gen_register.c - deterministic generator of realistic site-register CSV
 * files, for the importer's tests and the import benchmark (bench/import).
 *
 * Facts that shaped it:
 * - Every value must pass the importer's validators, and every uniqueness
 *   rule must hold for any row count, so uniqueness is built in rather than
 *   hoped for: hosts carry the row number, credit codes, ICP, PSB and MLPS
 *   numbers come from bijections of the unit or row number, and unit names
 *   are checked against a set of 64-bit hashes (a false hit only costs a
 *   retry, never a duplicate).
 * - The benchmark feeds it 100,000 rows, so rows are assembled with memcpy
 *   into one large buffer that is flushed at row boundaries; flushing there
 *   also means iconv never sees a character split across two chunks.
 * - Output depends only on the seed and the row count: the PRNG is our own
 *   xorshift64*, and --bad-row/--bad-column/--encoding/--headers change how
 *   values are written, never which random numbers are drawn.
 * - All text is in the GBK repertoire, so --encoding gbk is lossless.
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/validate.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define VAL_MAX 384
#define OUT_CAP (4u << 20)
#define OUT_FLUSH (3u << 20)

#include "sw_gen_register_data.h"

/* ---- small utilities --------------------------------------------------- */

struct rng { uint64_t s; };

/* Seeds r from seed through splitmix64 so nearby seeds give unrelated
 * streams; the state is never zero, which xorshift cannot leave. */
static void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	r->s = (z ^ (z >> 31)) | 1;
}

/* Returns the next 64 bits of xorshift64*. */
static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

/* Returns a number in [0, n) (multiply-shift; the bias is negligible here). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* A string builder over a caller's fixed buffer.  Our values are short and
 * bounded, so running out of room is a bug in this file, hence sw_fatal. */
struct sb { char *p; size_t len, cap; };

/* Points sb at buf (cap bytes) and empties it. */
static void sb_init(struct sb *sb, char *buf, size_t cap)
{
	sb->p = buf;
	sb->len = 0;
	sb->cap = cap;
	buf[0] = '\0';
}

/* Appends n bytes of s. */
static void sb_catn(struct sb *sb, const char *s, size_t n)
{
	if (sb->len + n >= sb->cap)
		sw_fatal("sw_gen_register: value longer than %zu bytes", sb->cap);
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

/* Appends NUL-terminated s. */
static void sb_cat(struct sb *sb, const char *s)
{
	sb_catn(sb, s, strlen(s));
}

/* Appends v in decimal, zero-padded to at least width digits. */
static void sb_num(struct sb *sb, uint64_t v, int width)
{
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v || (int)sizeof(tmp) - i < width);
	sb_catn(sb, tmp + i, sizeof(tmp) - (size_t)i);
}

/* Appends n random decimal digits, the first from [lo, 9]. */
static void sb_digits(struct sb *sb, struct rng *r, int n, unsigned lo)
{
	char tmp[24];

	for (int i = 0; i < n; i++)
		tmp[i] = (char)('0' + (i ? rng_below(r, 10) : lo + rng_below(r, 10 - lo)));
	sb_catn(sb, tmp, (size_t)n);
}

/*
 * Returns (x * mul + off) mod m without overflow (m < 2^62).  With mul
 * coprime to m this is a bijection of [0, m): distinct unit or row numbers
 * give distinct codes.  mul near 0.618 m (golden ratio) spreads neighbours
 * far apart, so consecutive rows do not get visibly consecutive codes.
 */
static uint64_t scramble(uint64_t x, uint64_t mul, uint64_t off, uint64_t m)
{
	uint64_t r = 0, a = x % m;

	for (; mul; mul >>= 1) {
		if (mul & 1 && (r += a) >= m)
			r -= m;
		if ((a <<= 1) >= m)
			a -= m;
	}
	return (r + off % m) % m;
}

/* Returns the 64-bit FNV-1a hash of s, never 0 (0 marks a free slot). */
static uint64_t hash64(const char *s)
{
	uint64_t h = 0xCBF29CE484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
	return h ? h : 1;
}

/* Open-addressing set of name hashes (owned slots array). */
struct hset { uint64_t *slot; size_t cap, n; };

/* Adds h; returns 1 when it was new, 0 when already there. */
static int hset_add(struct hset *hs, uint64_t h)
{
	if (2 * (hs->n + 1) > hs->cap) {
		struct hset big = {calloc(hs->cap ? 2 * hs->cap : 1024, sizeof(uint64_t)),
				   hs->cap ? 2 * hs->cap : 1024, 0};
		if (!big.slot)
			sw_fatal("sw_gen_register: out of memory");
		for (size_t i = 0; i < hs->cap; i++)
			if (hs->slot[i])
				hset_add(&big, hs->slot[i]);
		free(hs->slot);
		*hs = big;
	}
	for (size_t i = h & (hs->cap - 1);; i = (i + 1) & (hs->cap - 1)) {
		if (hs->slot[i] == h)
			return 0;
		if (!hs->slot[i]) {
			hs->slot[i] = h;
			hs->n++;
			return 1;
		}
	}
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

/* Appends the date `z` days after 1970-01-01 as YYYY-MM-DD. */
static void sb_date(struct sb *sb, int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);

	sb_num(sb, (uint64_t)y, 4);
	sb_cat(sb, "-");
	sb_num(sb, m, 2);
	sb_cat(sb, "-");
	sb_num(sb, d, 2);
}

/* ---- output ------------------------------------------------------------ */

/* Buffered output, converted to GBK through cd when cd is not (iconv_t)-1. */
struct out {
	char *buf, *conv;
	size_t len;
	FILE *f;
	iconv_t cd;
	int failed;
};

/* Writes and empties the buffer.  Called at row boundaries only, so a chunk
 * never ends inside a UTF-8 sequence.  Failure is remembered in o->failed. */
static void out_flush(struct out *o)
{
	char *in = o->buf;
	size_t inleft = o->len;

	while (inleft && !o->failed) {
		char *dst = o->buf;
		size_t n = inleft;

		if (o->cd != (iconv_t)-1) {
			size_t outleft = OUT_CAP;
			dst = o->conv;
			if (iconv(o->cd, &in, &inleft, &dst, &outleft) == (size_t)-1 &&
			    errno != E2BIG) {
				fprintf(stderr, "sw_gen_register: text not representable in GBK: %s\n",
					strerror(errno));
				o->failed = 1;
				break;
			}
			n = OUT_CAP - outleft;
			dst = o->conv;
		} else {
			inleft = 0;
		}
		if (fwrite(dst, 1, n, o->f) != n)
			o->failed = 1;
	}
	o->len = 0;
}

/* Appends n bytes.  Rows are far smaller than the slack left by OUT_FLUSH. */
static void out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_CAP)
		sw_fatal("sw_gen_register: row larger than the output buffer");
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Appends one CSV field (RFC 4180): NUL-terminated s of n bytes, preceded
 * by a comma unless first.  Quoted only when it holds a comma, quote, CR or
 * LF (strcspn is vectorised in glibc; this runs over every output byte). */
static void out_field(struct out *o, const char *s, size_t n, int first)
{
	if (!first)
		out_put(o, ",", 1);
	if (strcspn(s, ",\"\r\n") == n) {
		out_put(o, s, n);
		return;
	}
	out_put(o, "\"", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		out_put(o, s, (size_t)(q - s) + 1);
		out_put(o, "\"", 1);
	}
	out_put(o, s, strlen(s));
	out_put(o, "\"", 1);
}

/* ---- generation ---------------------------------------------------------- */

struct opts {
	uint64_t rows, seed, bad_row;
	int bad_col;           /* enum col, or -1 */
	const char *encoding;  /* "utf8", "utf8-bom", "gbk" */
	int headers_en;
	const char *path;      /* NULL: stdout */
};

/* A unit and the per-unit values its 1-3 consecutive rows share. */
struct unit {
	char name[192], dept[192], group[128], credit[19];
	const struct region *rg;
	const struct province *pv;
	const char *label, *tld;
	enum utype type;
	unsigned nsites, site, badge;
	uint64_t num;          /* 0-based unit ordinal */
	uint32_t icp;
};

struct gen {
	struct rng rng;
	struct out out;
	struct hset names;
	uint64_t off_credit, off_icp, off_psb, off_mlps;
	uint32_t gov_seq[NELEM(regions)];
	const unsigned char *pick[T__COUNT][K__COUNT]; /* template indices */
	unsigned npick[T__COUNT][K__COUNT];
	unsigned char pick_store[NELEM(tmpls)];
	const struct opts *opt;
};

/* Values a template expansion draws on. */
struct ctx {
	const struct region *rg;
	const struct province *pv;
	const struct bureau *b;
	const char *town;
	unsigned n;
	uint64_t unum;
};

/* Returns the province of a region code (every table row has one). */
static const struct province *province_of(const char *code)
{
	for (size_t i = 0; i < NELEM(provinces); i++)
		if (!memcmp(provinces[i].code, code, 2))
			return &provinces[i];
	sw_fatal("sw_gen_register: no province for %s", code);
}

/* Appends template t with its placeholders filled from cx. */
static void expand(struct sb *sb, const char *t, const struct ctx *cx)
{
	for (const char *pc; (pc = strchr(t, '%')); t = pc + 2) {
		sb_catn(sb, t, (size_t)(pc - t));
		const char *city = cx->rg->city;
		switch (pc[1]) {
		case 'P': sb_cat(sb, cx->pv->name); break;
		case 'p': sb_cat(sb, cx->pv->shortname); break;
		case 'C': sb_cat(sb, city); break;
		case 'c': sb_catn(sb, city, strlen(city) - strlen("市")); break;
		case 'X': sb_cat(sb, cx->rg->county); break;
		case 'B': sb_cat(sb, cx->b->name); break;
		case 'T': sb_cat(sb, cx->town); break;
		case 'N': sb_num(sb, cx->n, 1); break;
		case 'U': sb_num(sb, cx->unum, 1); break;
		default: sw_fatal("sw_gen_register: bad template %s", t);
		}
	}
	sb_cat(sb, t);
}

/* Fills u's name, department, host label and TLD from template t; returns 1
 * when the name was not used before (it is then reserved), else 0. */
static int unit_try(struct gen *g, struct unit *u, const struct tmpl *t)
{
	char town[16];
	struct ctx cx = {u->rg, u->pv, NULL, town, 0, u->num};
	struct sb sb;

	/* One draw per statement: the order of evaluation inside an initializer
	 * list or an argument list is unspecified, and output must not depend on
	 * the compiler. */
	cx.b = &bureaus[rng_below(&g->rng, NELEM(bureaus))];
	cx.n = t->nmax ? 1 + rng_below(&g->rng, t->nmax) : 0;
	sb_init(&sb, town, sizeof(town));
	sb_cat(&sb, town_first[rng_below(&g->rng, NELEM(town_first))]);
	sb_cat(&sb, town_second[rng_below(&g->rng, NELEM(town_second))]);
	sb_init(&sb, u->name, sizeof(u->name));
	expand(&sb, t->name, &cx);
	if (!hset_add(&g->names, hash64(u->name)))
		return 0;
	const char *dept = t->dept;
	if (strstr(t->name, "%B")) {
		const char *own = strstr(t->name, "%X") ? cx.b->dept_county : cx.b->dept_city;
		if (own)
			dept = own;
	}
	if (u->type == T_GOV && rng_below(&g->rng, 100) < 15)
		dept = "%P网信办";
	sb_init(&sb, u->dept, sizeof(u->dept));
	expand(&sb, dept, &cx);
	if (!strcmp(u->dept, u->name)) {
		sb_init(&sb, u->dept, sizeof(u->dept));
		expand(&sb, "%P网信办", &cx);
	}
	u->label = t->label ? t->label : cx.b->label;
	u->tld = t->tld;
	return 1;
}

/* Names u: a few tries at the common templates, then town-level ones, then
 * a template with the unit ordinal, which cannot collide. */
static void unit_name(struct gen *g, struct unit *u)
{
	static const unsigned tries[K__COUNT] = {4, 24, 1};

	for (int k = 0; k < K__COUNT; k++) {
		unsigned n = g->npick[u->type][k];
		for (unsigned i = 0; n && i < tries[k]; i++) {
			const struct tmpl *t = &tmpls[g->pick[u->type][k][rng_below(&g->rng, n)]];
			if (unit_try(g, u, t))
				return;
		}
	}
	sw_fatal("sw_gen_register: unit %llu has no unique name", (unsigned long long)u->num);
}

/* Builds u's credit code: type prefix, region, nine characters from a
 * bijection of the unit ordinal modulo 31^9 (so never repeated), check. */
static void unit_credit(struct gen *g, struct unit *u)
{
	uint64_t v = scramble(u->num, 16340585143680ull, g->off_credit, 26439622160671ull);

	memcpy(u->credit, utypes[u->type].credit_prefix, 2);
	memcpy(u->credit + 2, u->rg->code, 6);
	for (int i = 16; i >= 8; i--, v /= 31)
		u->credit[i] = credit_alphabet[v % 31];
	u->credit[17] = '\0';
	u->credit[17] = sw_credit_code_check_char(u->credit);
	u->credit[18] = '\0';
	if (!u->credit[17])
		sw_fatal("sw_gen_register: no check character for %s", u->credit);
}

/* Picks the unit's website group (60% none), tied to its region and type. */
static void unit_group(struct gen *g, struct unit *u)
{
	static const char *const kinds[T__COUNT][2] = {
		{"%P政府网站群", "%C政府网站群"}, {"%P教育系统网站群", "%C事业单位网站群"},
		{"%P国资系统网站群", "%P国资系统网站群"}, {NULL, NULL},
		{"%C社会组织网站群", "%C社会组织网站群"},
	};
	struct ctx cx = {u->rg, u->pv, NULL, NULL, 0, 0};
	struct sb sb;
	unsigned r = rng_below(&g->rng, 100);

	sb_init(&sb, u->group, sizeof(u->group));
	if (r < 60 || !kinds[u->type][0])
		return;
	unsigned k = u->type == T_INST ? strcmp(u->tld, "edu.cn") != 0 : r & 1;
	expand(&sb, kinds[u->type][k], &cx);
}

/* Starts the next unit: type, region, names, codes and how many sites. */
static void unit_new(struct gen *g, struct unit *u, uint64_t num)
{
	unsigned w = rng_below(&g->rng, 100), r;

	u->num = num;
	for (u->type = T_GOV; u->type < T_OTHER && w >= utypes[u->type].weight; u->type++)
		w -= utypes[u->type].weight;
	u->rg = &regions[rng_below(&g->rng, NELEM(regions))];
	u->pv = province_of(u->rg->code);
	unit_name(g, u);
	unit_credit(g, u);
	unit_group(g, u);
	u->icp = (uint32_t)scramble(num, 61803399u, g->off_icp, 100000000u);
	u->badge = u->type == T_GOV && rng_below(&g->rng, 100) < 85;
	r = rng_below(&g->rng, 100);
	u->nsites = r < 60 ? 1 : r < 88 ? 2 : 3;
	u->site = 0;
}

/* Appends a random Chinese name, and its pinyin to py when py is not NULL. */
static void person(struct gen *g, struct sb *zh, struct sb *py)
{
	const struct syllable *s = &surnames[rng_below(&g->rng, NELEM(surnames))];
	unsigned n = rng_below(&g->rng, 10) < 3 ? 1 : 2;

	sb_cat(zh, s->zh);
	if (py)
		sb_cat(py, s->py);
	for (unsigned i = 0; i < n; i++) {
		const struct syllable *c = &given[rng_below(&g->rng, NELEM(given))];
		sb_cat(zh, c->zh);
		if (py)
			sb_cat(py, c->py);
	}
}

/* Appends a mainland mobile number, or a landline of the unit's area. */
static void phone(struct gen *g, const struct unit *u, struct sb *sb, unsigned mobile_pct)
{
	if (rng_below(&g->rng, 100) < mobile_pct) {
		sb_cat(sb, "1");
		sb_digits(sb, &g->rng, 1, 3);
		sb_digits(sb, &g->rng, 9, 0);
		return;
	}
	sb_cat(sb, u->rg->area);
	sb_cat(sb, "-");
	sb_digits(sb, &g->rng, strlen(u->rg->area) == 3 || rng_below(&g->rng, 4) ? 8 : 7, 2);
}

/* One row's values, one fixed buffer per column. */
struct row {
	char v[C__COUNT][VAL_MAX];
	struct sb s[C__COUNT];
	char host[128];        /* "<label><row>.<tld>", the base of all hosts */
	int64_t launch;        /* launch date in days since 1970 */
};

/* Extra domains (k of 10 picks 0, 1 or 2; prefixes from `first` on) and
 * 0-2 IPv4 addresses.  Domains are the row's host under prefixes other than
 * "www.", so they are unique in the file and never a url's host. */
static void fill_net(struct gen *g, unsigned k, unsigned first, struct row *w)
{
	for (unsigned i = 0; i < (k < 4 ? 0u : k < 8 ? 1u : 2u); i++) {
		if (i)
			sb_cat(&w->s[C_DOMAINS], ";");
		sb_cat(&w->s[C_DOMAINS], domain_prefix[(first + i) % NELEM(domain_prefix)]);
		sb_cat(&w->s[C_DOMAINS], w->host);
	}
	k = rng_below(&g->rng, 10);
	unsigned last = 0;
	for (unsigned i = 0; i < (k < 3 ? 0u : k < 8 ? 1u : 2u); i++) {
		struct sb *s = &w->s[C_IPS];
		unsigned d = 1 + rng_below(&g->rng, 254);
		if (i) {
			sb_cat(s, ";");
			d = d == last ? d % 254 + 1 : d; /* two different addresses */
		}
		last = d;
		sb_num(s, ip_first[rng_below(&g->rng, NELEM(ip_first))], 1);
		sb_cat(s, ".");
		sb_num(s, rng_below(&g->rng, 256), 1);
		sb_cat(s, ".");
		sb_num(s, rng_below(&g->rng, 256), 1);
		sb_cat(s, ".");
		sb_num(s, d, 1);
	}
}

/* Site columns: name, url, extra domains, IPs, hosting, status, launch. */
static void fill_site(struct gen *g, const struct unit *u, uint64_t rowno, struct row *w)
{
	static const char *const paths[] = {"/", "/", "/", "/", "/", "/", "/index.html", "/portal/"};
	static const char *const statuses[] = {"待上线", "暂停", "规划中"};
	struct sb h;
	unsigned k = rng_below(&g->rng, 10), first = rng_below(&g->rng, 4);

	sb_init(&h, w->host, sizeof(w->host));
	sb_cat(&h, u->rg->label);
	sb_cat(&h, u->label);
	sb_num(&h, rowno, 1);
	sb_cat(&h, ".");
	sb_cat(&h, u->tld);
	sb_cat(&w->s[C_NAME], u->name);
	sb_cat(&w->s[C_NAME], utypes[u->type].site_suffix[u->site]);
	sb_cat(&w->s[C_URL], rng_below(&g->rng, 100) < 85 ? "https://www." : "http://www.");
	sb_cat(&w->s[C_URL], w->host);
	sb_cat(&w->s[C_URL], paths[rng_below(&g->rng, NELEM(paths))]);
	fill_net(g, k, first, w);
	k = rng_below(&g->rng, 100);
	sb_cat(&w->s[C_HOSTING], u->group[0] && k < 70 ? hostings[3]
				 : hostings[k % 20 < 7 ? 0 : k % 20 < 12 ? 1 : 2]);
	k = rng_below(&g->rng, 100);
	sb_cat(&w->s[C_STATUS], k < 85 ? "运行" : statuses[k % 3]);
	w->launch = days_from_civil(2005, 1, 1) +
		    rng_below(&g->rng, (uint32_t)(days_from_civil(2025, 1, 1) - days_from_civil(2005, 1, 1)));
	sb_date(&w->s[C_LAUNCH], w->launch);
}

/* Unit columns, the same on every row of the unit, and the badge. */
static void fill_unit(const struct unit *u, struct row *w)
{
	sb_cat(&w->s[C_UNIT], u->name);
	sb_cat(&w->s[C_UNIT_TYPE], utypes[u->type].zh);
	sb_cat(&w->s[C_CREDIT], u->credit);
	sb_cat(&w->s[C_REGION], u->rg->code);
	sb_cat(&w->s[C_DEPT], u->dept);
	sb_cat(&w->s[C_GROUP], u->group);
	sb_cat(&w->s[C_BADGE], u->badge ? "是" : "否");
}

/* Filing numbers: ICP (unit number + site index), PSB (80%, region + a
 * bijection of the row) and the government site code (per-region serial,
 * 党政机关 and 事业单位 only, empty once a region's 10,000 are used). */
static void fill_codes(struct gen *g, const struct unit *u, uint64_t rowno, struct row *w)
{
	size_t ri = (size_t)(u->rg - regions);

	sb_cat(&w->s[C_ICP], u->pv->abbr);
	sb_cat(&w->s[C_ICP], "ICP备");
	sb_num(&w->s[C_ICP], u->icp, 8);
	sb_cat(&w->s[C_ICP], "号-");
	sb_num(&w->s[C_ICP], u->site + 1, 1);
	if (rng_below(&g->rng, 100) < 80) {
		sb_cat(&w->s[C_PSB], u->pv->abbr);
		sb_cat(&w->s[C_PSB], "公网安备 ");
		sb_cat(&w->s[C_PSB], u->rg->code);
		sb_num(&w->s[C_PSB], scramble(rowno, 61803399u, g->off_psb, 100000000u), 8);
		sb_cat(&w->s[C_PSB], "号");
	}
	if ((u->type == T_GOV || u->type == T_INST) && g->gov_seq[ri] < 10000) {
		sb_cat(&w->s[C_GOV_CODE], u->rg->code);
		sb_num(&w->s[C_GOV_CODE], (g->gov_seq[ri]++ * 37u + 1) % 10000u, 4);
	}
}

/* MLPS columns: grade (10% none), filing number for grade 2+ (region + a
 * bijection of the row), assessment date no earlier than launch or 2019. */
static void fill_mlps(struct gen *g, const struct unit *u, uint64_t rowno, struct row *w)
{
	unsigned k = rng_below(&g->rng, 1000);
	unsigned grade = k < 100 ? 0 : k < 130 ? 1 : k < 580 ? 2 : k < 960 ? 3 : k < 995 ? 4 : 5;
	uint64_t v = scramble(rowno, 6180339u, g->off_mlps, 10000000u);

	if (!grade)
		return;
	sb_num(&w->s[C_MLPS_GRADE], grade, 1);
	if (grade < 2)
		return;
	sb_cat(&w->s[C_MLPS_FILING], u->rg->code);
	sb_cat(&w->s[C_MLPS_FILING], "43");
	sb_num(&w->s[C_MLPS_FILING], v / 10000, 3);
	sb_cat(&w->s[C_MLPS_FILING], "-");
	sb_num(&w->s[C_MLPS_FILING], grade, 1);
	sb_num(&w->s[C_MLPS_FILING], v % 10000, 4);
	if (rng_below(&g->rng, 10) == 0)
		return;
	int64_t lo = days_from_civil(2019, 1, 1), hi = days_from_civil(2025, 1, 1);
	if (w->launch > lo)
		lo = w->launch;
	sb_date(&w->s[C_MLPS_DATE], lo + rng_below(&g->rng, (uint32_t)(hi - lo)));
	struct ctx cx = {u->rg, u->pv, NULL, NULL, 0, 0};
	expand(&w->s[C_MLPS_AGENCY], agencies[rng_below(&g->rng, NELEM(agencies))], &cx);
}

/* People: security officer, contact (e-mail at the site's domain), note. */
static void fill_people(struct gen *g, const struct unit *u, struct row *w)
{
	char py[64];
	struct sb p;

	person(g, &w->s[C_SEC_NAME], NULL);
	phone(g, u, &w->s[C_SEC_PHONE], 80);
	sb_init(&p, py, sizeof(py));
	person(g, &w->s[C_CONTACT_NAME], &p);
	phone(g, u, &w->s[C_CONTACT_PHONE], 40);
	sb_cat(&w->s[C_CONTACT_EMAIL], py);
	sb_cat(&w->s[C_CONTACT_EMAIL], "@");
	sb_cat(&w->s[C_CONTACT_EMAIL], w->host);
	if (rng_below(&g->rng, 100) < 12)
		sb_cat(&w->s[C_NOTE], notes[rng_below(&g->rng, NELEM(notes))]);
}

/* Writes the value that --bad-column puts into --bad-row instead of v. */
static void corrupt(struct out *o, enum col c, const char *v, int first)
{
	char tmp[VAL_MAX];

	if (c == C_CREDIT && strlen(v) == 18) {
		const char *at = strchr(credit_alphabet, v[17]);
		size_t i = at ? (size_t)(at - credit_alphabet) : 0;
		memcpy(tmp, v, 17);
		tmp[17] = credit_alphabet[(i + 1) % 31];
		tmp[18] = '\0';
		v = tmp;
	} else if (c == C_ICP) {
		v = "京ICP备123号";
	} else if (c == C_URL) {
		v = "ftp://x";
	} else if (c == C_REGION) {
		v = "990101";
	} else {
		v = "!!bad!!";
	}
	out_field(o, v, strlen(v), first);
}

/* Generates data row rowno (1-based) of unit u and appends it. */
static void row_write(struct gen *g, const struct unit *u, uint64_t rowno, struct row *w)
{
	for (int c = 0; c < C__COUNT; c++)
		sb_init(&w->s[c], w->v[c], VAL_MAX);
	fill_site(g, u, rowno, w);
	fill_unit(u, w);
	fill_codes(g, u, rowno, w);
	fill_mlps(g, u, rowno, w);
	fill_people(g, u, w);
	for (int c = 0; c < C__COUNT; c++) {
		if (rowno == g->opt->bad_row && c == g->opt->bad_col)
			corrupt(&g->out, (enum col)c, w->v[c], c == 0);
		else
			out_field(&g->out, w->v[c], w->s[c].len, c == 0);
	}
	out_put(&g->out, "\r\n", 2);
}

/* Prepares g: PRNG, per-seed offsets of the bijections, template index. */
static void gen_init(struct gen *g, const struct opts *opt)
{
	unsigned char *next;

	memset(g, 0, sizeof(*g));
	g->opt = opt;
	rng_seed(&g->rng, opt->seed);
	g->off_credit = rng_next(&g->rng) % 26439622160671ull;
	g->off_icp = rng_next(&g->rng) % 100000000u;
	g->off_psb = rng_next(&g->rng) % 100000000u;
	g->off_mlps = rng_next(&g->rng) % 10000000u;
	next = g->pick_store;
	for (int t = 0; t < T__COUNT; t++) {
		for (int k = 0; k < K__COUNT; k++) {
			g->pick[t][k] = next;
			for (size_t i = 0; i < NELEM(tmpls); i++)
				if (tmpls[i].type == t && tmpls[i].kind == k)
					*next++ = (unsigned char)i;
			g->npick[t][k] = (unsigned)(next - g->pick[t][k]);
		}
	}
}

/* Writes the BOM (raw), the header and all rows; returns 0 or 1. */
static int generate(struct gen *g)
{
	const struct opts *opt = g->opt;
	struct row *w = malloc(sizeof(*w));
	struct unit u = {.nsites = 0, .site = 0};
	uint64_t units = 0;

	if (!w)
		sw_fatal("sw_gen_register: out of memory");
	if (!strcmp(opt->encoding, "utf8-bom") && fwrite("\xEF\xBB\xBF", 1, 3, g->out.f) != 3)
		g->out.failed = 1;
	for (int c = 0; c < C__COUNT; c++) {
		const char *h = opt->headers_en ? cols[c].en : cols[c].zh;
		out_field(&g->out, h, strlen(h), c == 0);
	}
	out_put(&g->out, "\r\n", 2);
	for (uint64_t r = 1; r <= opt->rows && !g->out.failed; r++) {
		if (u.site == u.nsites)
			unit_new(g, &u, units++);
		row_write(g, &u, r, w);
		u.site++;
		if (g->out.len >= OUT_FLUSH)
			out_flush(&g->out);
	}
	out_flush(&g->out);
	free(w);
	return g->out.failed;
}

/* Prints the usage text to f. */
static void usage(FILE *f)
{
	fputs("usage: sw_gen_register [--rows N] [--seed S] [--encoding utf8|utf8-bom|gbk]\n"
	      "                       [--headers zh|en] [--bad-row R --bad-column COL] [-o FILE]\n"
	      "\n"
	      "Writes a realistic site-register CSV (header line + N data rows, CRLF, RFC 4180\n"
	      "quoting) whose every value passes the importer's validation.  The same N and S\n"
	      "always give the same rows.  Defaults: --rows 1000 --seed 1 --encoding utf8\n"
	      "--headers zh, output to stdout.\n"
	      "\n"
	      "  --bad-row R --bad-column COL  corrupt column COL (English header name, e.g.\n"
	      "        credit_code) of data row R (the first row after the header is 1):\n"
	      "          credit_code  wrong check character\n"
	      "          icp          \"京ICP备123号\" (too few digits)\n"
	      "          url          \"ftp://x\"\n"
	      "          region       \"990101\" (no such province)\n"
	      "          any other    \"!!bad!!\" (invalid only where the column is validated)\n"
	      "        Everything else in the file stays as without the option.\n"
	      "  --encoding gbk  the whole file is converted to GBK (a subset of GB18030).\n"
	      "\n"
	      "Columns (--headers en):", f);
	for (int c = 0; c < C__COUNT; c++)
		fprintf(f, "%s%s", c % 7 ? " " : "\n  ", cols[c].en);
	fputs("\n", f);
}

/* Parses a decimal number into *v; returns 0, or -1 when s is not one. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!s[0] || s[0] == '-')
		return -1;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* Returns the column whose English key is s, or -1. */
static int col_by_name(const char *s)
{
	for (int c = 0; c < C__COUNT; c++)
		if (!strcmp(cols[c].en, s))
			return c;
	return -1;
}

/* Checks the combination of options; returns a sentence saying what is
 * wrong, or NULL when opt is usable. */
static const char *check_opts(const struct opts *opt)
{
	if (strcmp(opt->encoding, "utf8") && strcmp(opt->encoding, "utf8-bom") &&
	    strcmp(opt->encoding, "gbk"))
		return "--encoding must be utf8, utf8-bom or gbk";
	if (!opt->bad_row != (opt->bad_col < 0))
		return "--bad-row and --bad-column go together";
	if (opt->bad_row > opt->rows)
		return "--bad-row is past the last row";
	return NULL;
}

/* Parses argv into opt; returns 0, or 2 after printing why (usage error). */
static int parse_args(int argc, char **argv, struct opts *opt)
{
	static const struct option lo[] = {
		{"rows", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
		{"encoding", required_argument, NULL, 'e'}, {"headers", required_argument, NULL, 'H'},
		{"bad-row", required_argument, NULL, 'r'}, {"bad-column", required_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *why = NULL;
	int ch;

	*opt = (struct opts){.rows = 1000, .seed = 1, .bad_col = -1, .encoding = "utf8"};
	while (!why && (ch = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'n': why = parse_u64(optarg, &opt->rows) ? "bad --rows" : NULL; break;
		case 's': why = parse_u64(optarg, &opt->seed) ? "bad --seed" : NULL; break;
		case 'r':
			if (parse_u64(optarg, &opt->bad_row) || !opt->bad_row)
				why = "--bad-row must be 1 or more";
			break;
		case 'c':
			if ((opt->bad_col = col_by_name(optarg)) < 0)
				why = "--bad-column must be a column's English name";
			break;
		case 'e': opt->encoding = optarg; break;
		case 'H':
			opt->headers_en = !strcmp(optarg, "en");
			if (!opt->headers_en && strcmp(optarg, "zh"))
				why = "--headers must be zh or en";
			break;
		case 'o': opt->path = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: why = ""; /* getopt said why */
		}
	}
	if (!why && optind != argc)
		why = "unexpected argument";
	if (!why)
		why = check_opts(opt);
	if (!why)
		return 0;
	if (*why)
		fprintf(stderr, "sw_gen_register: %s\n", why);
	usage(stderr);
	return 2;
}

/* Parses the options, generates, and exits 0, 1 (write failed) or 2 (usage). */
int main(int argc, char **argv)
{
	struct opts opt;
	static struct gen g;
	int rc = parse_args(argc, argv, &opt);

	if (rc)
		return rc;
	gen_init(&g, &opt);
	g.out.f = opt.path ? fopen(opt.path, "wb") : stdout;
	g.out.buf = malloc(OUT_CAP);
	g.out.cd = (iconv_t)-1;
	if (!strcmp(opt.encoding, "gbk")) {
		g.out.conv = malloc(OUT_CAP);
		g.out.cd = iconv_open("GBK", "UTF-8");
		if (g.out.cd == (iconv_t)-1 || !g.out.conv)
			sw_fatal("sw_gen_register: no UTF-8 to GBK conversion");
	}
	if (!g.out.f || !g.out.buf) {
		fprintf(stderr, "sw_gen_register: %s: %s\n", opt.path ? opt.path : "-",
			strerror(errno));
		return 1;
	}
	rc = generate(&g);
	if (fflush(g.out.f) || (opt.path && fclose(g.out.f)))
		rc = 1;
	if (rc)
		fprintf(stderr, "sw_gen_register: write failed\n");
	if (g.out.cd != (iconv_t)-1)
		iconv_close(g.out.cd);
	free(g.out.buf);
	free(g.out.conv);
	free(g.names.slot);
	return rc;
}
