/*
 * compliance_marks.c - parsers for the compliance marks around one anchor
 * (rules in compliance_marks.h).
 *
 * Each parser folds a window of at most WIN bytes around its anchor
 * (full-width ASCII, ideographic and no-break spaces, Word's dashes to
 * ASCII; zero-width characters dropped), remembering for every folded
 * byte where it came from, so that evidence still points at the page's
 * own bytes.  Footers are hand-made and vary a lot in blanks, colons and
 * widths; the numbers themselves do not, so the parsers insist only on
 * the parts that carry meaning (the word, the digits) and accept the rest
 * loosely.  The register side is canonicalised with the validators of
 * model/validate.h first, then keyed by the same parsers, so both sides
 * are compared in one form.
 */
#include "analyze/compliance_marks.h"

#include <stdio.h>
#include <string.h>

#include "model/validate.h"

#define WIN 240  /* folded bytes looked at around one anchor */
#define BACK 16  /* bytes before the anchor: a province abbreviation and blanks */
#define NAME_MAX_BYTES 120 /* longest organisation name kept (40 CJK characters) */

/* A folded window of text: s[i] came from the byte src[i] of the original. */
struct fold {
	char s[WIN + 8];
	uint32_t src[WIN + 8];
	size_t n;
	size_t at, at_end; /* folded index of the anchor's first byte and one past it */
};

/* Decodes the UTF-8 character at p (m bytes left) into *cp; returns its
 * length, or 0 for a broken sequence (the caller steps one byte). */
static size_t utf8_dec(const unsigned char *p, size_t m, unsigned *cp)
{
	size_t len, i;

	if (p[0] < 0x80)
		return *cp = p[0], 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, *cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, *cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, *cp = p[0] & 0x07;
	else
		return 0;
	if (len > m)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3F);
	}
	return len;
}

/* What code point cp folds to: an ASCII byte, 0 to drop it, or -1 to keep
 * it as it is. */
static int fold_cp(unsigned cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return (int)(cp - 0xFEE0);
	if (cp == 0x3000 || cp == 0xA0 || cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x2002 && cp <= 0x200A))
		return ' ';
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF || cp == 0x2060)
		return 0;
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
		return '-';
	return -1;
}

/*
 * Folds t[lo, hi) into f (at most WIN bytes out) and notes where the anchor
 * [a, ae) landed.  lo must be a character boundary or is moved forward to
 * one.  A broken byte is kept as '?' so offsets still advance.
 */
static void fold_range(const char *t, size_t lo, size_t hi, size_t a, size_t ae, struct fold *f)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = lo, len;
	unsigned cp = 0;
	int c;

	while (i < a && (u[i] & 0xC0) == 0x80)
		i++;
	f->n = 0;
	f->at = f->at_end = SIZE_MAX;
	while (i < hi && f->n + 4 <= WIN) {
		if (i == a)
			f->at = f->n;
		if (i == ae)
			f->at_end = f->n;
		len = utf8_dec(u + i, hi - i, &cp);
		c = len ? fold_cp(cp) : '?';
		if (len == 0)
			len = 1;
		if (c > 0) {
			f->src[f->n] = (uint32_t)i;
			f->s[f->n++] = (char)c;
		} else if (c < 0) {
			for (size_t k = 0; k < len; k++) {
				f->src[f->n] = (uint32_t)i;
				f->s[f->n++] = t[i + k];
			}
		}
		i += len;
	}
	if (i == ae && f->at_end == SIZE_MAX)
		f->at_end = f->n;
	f->src[f->n] = (uint32_t)i;
	f->s[f->n] = '\0';
}

/* Folds the window around the anchor [a, a + alen) of t; returns 0 when
 * the anchor did not fit (never for the sizes the analyzer uses). */
static int fold_anchor(const char *t, size_t n, size_t a, size_t alen, struct fold *f)
{
	size_t lo = a > BACK ? a - BACK : 0, hi = a + WIN - BACK;

	if (a > n || alen > n - a)
		return 0;
	fold_range(t, lo, hi < n ? hi : n, a, a + alen, f);
	return f->at != SIZE_MAX && f->at_end != SIZE_MAX;
}

/* Index of the first byte at or after i that is not a blank. */
static size_t skip_sp(const struct fold *f, size_t i)
{
	while (i < f->n && f->s[i] == ' ')
		i++;
	return i;
}

/* Skips blanks and colons (a label's "：" folds to ':'). */
static size_t skip_sep(const struct fold *f, size_t i)
{
	while (i < f->n && (f->s[i] == ' ' || f->s[i] == ':'))
		i++;
	return i;
}

/* True when the folded text at i begins with lit. */
static int at(const struct fold *f, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i <= f->n && f->n - i >= k && memcmp(f->s + i, lit, k) == 0;
}

/* True when the folded text at i begins with "ICP" in any case. */
static int at_icp(const struct fold *f, size_t i)
{
	return i + 3 <= f->n && (f->s[i] | 0x20) == 'i' && (f->s[i + 1] | 0x20) == 'c' &&
	       (f->s[i + 2] | 0x20) == 'p';
}

/* Number of ASCII digits at i. */
static size_t digits(const struct fold *f, size_t i)
{
	size_t k = 0;

	while (i + k < f->n && f->s[i + k] >= '0' && f->s[i + k] <= '9')
		k++;
	return k;
}

/* Copies the province abbreviation that ends at folded index j (blanks
 * before j skipped) into abbr (8 bytes); returns its start or j. */
static size_t abbr_before(const struct fold *f, size_t j, char *abbr)
{
	size_t len = 0;

	abbr[0] = '\0';
	while (j > 0 && f->s[j - 1] == ' ')
		j--;
	if (j >= 3 && sw_province_by_abbr(f->s + j - 3, &len) && len == 3) {
		memcpy(abbr, f->s + j - 3, 3);
		abbr[3] = '\0';
		return j - 3;
	}
	return j;
}

/* Records the byte range [from, to) of the fold as v's place in the text. */
static void set_range(const struct fold *f, size_t from, size_t to, struct sw__cm_val *v)
{
	v->off = f->src[from];
	v->len = f->src[to] - f->src[from];
}

/* Reads the "号" and "-N" that may end an ICP number at i; *sfx gets N or 0.
 * Both the usual "号-1" and the occasional "-1号" order are accepted. */
static size_t icp_tail(const struct fold *f, size_t i, unsigned *sfx)
{
	size_t j = skip_sp(f, i), k;
	int hao = at(f, j, "号");

	*sfx = 0;
	if (hao)
		j += strlen("号");
	k = skip_sp(f, j);
	if (k < f->n && f->s[k] == '-') {
		size_t d = skip_sp(f, k + 1), nd = digits(f, d);

		if (nd >= 1 && nd <= 3) {
			for (size_t q = 0; q < nd; q++)
				*sfx = *sfx * 10 + (unsigned)(f->s[d + q] - '0');
			j = d + nd;
			if (!hao && at(f, skip_sp(f, j), "号"))
				j = skip_sp(f, j) + strlen("号");
		}
	}
	return j;
}

/* After "ICP备案号：" comes either the whole number again (its own anchor
 * reads it: return 0) or only "京05070218号".  Reads the optional province
 * into abbr and returns the index of the digits, or 0. */
static size_t icp_after_label(const struct fold *f, size_t i, char *abbr)
{
	size_t len = 0;

	if (at(f, i, "编号"))
		i += strlen("编号");
	else if (at(f, i, "号"))
		i += strlen("号");
	i = skip_sep(f, i);
	if (i < f->n && sw_province_by_abbr(f->s + i, &len) && len == 3) {
		if (at_icp(f, skip_sp(f, i + len)))
			return 0;
		memcpy(abbr, f->s + i, 3);
		abbr[3] = '\0';
		i = skip_sp(f, i + len);
	}
	return at_icp(f, i) ? 0 : i;
}

int sw__cm_icp(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v)
{
	struct fold f;
	char abbr[8];
	size_t start, i, k, end;
	unsigned sfx;
	int lic;

	if (!fold_anchor(t, n, a, alen, &f))
		return 0;
	start = abbr_before(&f, f.at, abbr);
	i = skip_sp(&f, f.at_end);
	lic = at(&f, i, "证");
	if (!lic && !at(&f, i, "备"))
		return 0;
	i += strlen("备");
	if (!lic && at(&f, i, "案")) {
		if ((i = icp_after_label(&f, i + strlen("案"), abbr)) == 0)
			return 0;
	}
	i = skip_sep(&f, i);
	k = digits(&f, i);
	if (k < 4 || k > 12)
		return 0;
	end = icp_tail(&f, i + k, &sfx);
	snprintf(v->key, sizeof v->key, "%sICP%s%.*s", abbr, lic ? "证" : "备", (int)k, f.s + i);
	if (sfx)
		snprintf(v->shown, sizeof v->shown, "%sICP%s%.*s号-%u", abbr, lic ? "证" : "备",
			 (int)k, f.s + i, sfx);
	else
		snprintf(v->shown, sizeof v->shown, "%sICP%s%.*s号", abbr, lic ? "证" : "备",
			 (int)k, f.s + i);
	set_range(&f, start < f.at ? start : f.at, end, v);
	return 1;
}

/* Province abbreviation before "网安备": X公网安备 or X公安网安备. */
static size_t psb_abbr(const struct fold *f, char *abbr)
{
	size_t j = f->at;

	abbr[0] = '\0';
	if (j >= 3 && at(f, j - 3, "公"))
		return abbr_before(f, j - 3, abbr);
	if (j >= 6 && at(f, j - 6, "公安"))
		return abbr_before(f, j - 6, abbr);
	return j;
}

int sw__cm_psb(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v)
{
	struct fold f;
	char abbr[8] = "";
	size_t start, i, k, end, len = 0;

	if (!fold_anchor(t, n, a, alen, &f))
		return 0;
	if (at(&f, f.at, "网安备")) {
		start = psb_abbr(&f, abbr);
		i = f.at_end;
		if (at(&f, i, "案号"))
			i += strlen("案号");
	} else {
		/* "公安备案号：": a label; the full number may follow as its own mark. */
		start = f.at;
		i = f.at_end;
		if (at(&f, i, "编号"))
			i += strlen("编号");
		else if (at(&f, i, "号"))
			i += strlen("号");
		i = skip_sep(&f, i);
		if (i < f.n && sw_province_by_abbr(f.s + i, &len) && len == 3)
			return 0;
	}
	i = skip_sep(&f, i);
	k = digits(&f, i);
	if (k < 10 || k > 16)
		return 0;
	end = skip_sp(&f, i + k);
	end = at(&f, end, "号") ? end + strlen("号") : i + k;
	snprintf(v->key, sizeof v->key, "%.*s", (int)k, f.s + i);
	snprintf(v->shown, sizeof v->shown, "%s公网安备 %.*s号", abbr, (int)k, f.s + i);
	set_range(&f, start, end, v);
	return 1;
}

/* True for an ASCII letter or digit. */
static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int sw__cm_code(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v)
{
	struct fold f;
	size_t i, k;

	if (!fold_anchor(t, n, a, alen, &f))
		return 0;
	i = skip_sep(&f, f.at_end);
	if (at(&f, i, "为") || at(&f, i, "是"))
		i = skip_sep(&f, i + strlen("为"));
	for (k = 0; i + k < f.n && is_alnum(f.s[i + k]); k++)
		;
	if (k < 6 || k > 12)
		return 0;
	for (size_t q = 0; q < k; q++) {
		char c = f.s[i + q];

		v->key[q] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	v->key[k] = '\0';
	snprintf(v->shown, sizeof v->shown, "网站标识码%.12s", v->key);
	set_range(&f, f.at, i + k, v);
	return 1;
}

/* Labels that end a sponsor name written without a blank before them
 * ("主办：某某市人民政府承办：某某中心"). */
static const char *const next_labels[] = {
	"承办", "主管", "协办", "主办", "地址", "电话", "邮编", "邮箱", "联系", "技术支持",
	"版权", "网站标识码", "备案", "传真", "Copyright", "ICP", "维护",
};

/* True when a label of next_labels begins at folded index i. */
static int at_label(const struct fold *f, size_t i)
{
	for (size_t k = 0; k < sizeof next_labels / sizeof next_labels[0]; k++)
		if (at(f, i, next_labels[k]))
			return 1;
	return 0;
}

/* True when the byte at i ends a name: a blank or a separator. */
static int name_stop(const struct fold *f, size_t i)
{
	static const char *const seps[] = {"。", "、", "丨", "│", "┃", "·", "【", "《", "（"};
	char c = f->s[i];

	if (c == ' ' || c == '|' || c == ',' || c == ';' || c == '(' || c == '/' || c == ':' ||
	    c == '[' || c == '<')
		return 1;
	for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++)
		if (at(f, i, seps[k]))
			return 1;
	return 0;
}

int sw__cm_org(const char *t, size_t n, size_t a, size_t alen, int need_colon,
	       struct sw__cm_val *v)
{
	struct fold f;
	size_t i, j, chars = 0;

	if (!fold_anchor(t, n, a, alen, &f))
		return 0;
	i = skip_sp(&f, f.at_end);
	if (i < f.n && f.s[i] == ':')
		i++;
	else if (need_colon)
		return 0;
	i = skip_sp(&f, i);
	for (j = i; j < f.n && j - i < NAME_MAX_BYTES; chars++) {
		if (name_stop(&f, j) || at_label(&f, j))
			break;
		j++;
		while (j < f.n && ((unsigned char)f.s[j] & 0xC0) == 0x80)
			j++;
	}
	if (chars < 2)
		return 0;
	snprintf(v->key, sizeof v->key, "%.*s", (int)(j - i), f.s + i);
	snprintf(v->shown, sizeof v->shown, "%.*s", (int)(j - i), f.s + i);
	set_range(&f, f.at, j, v);
	return 1;
}

/* Number of UTF-8 characters in s. */
static size_t nchars(const char *s)
{
	size_t k = 0;

	for (; *s; s++)
		k += ((unsigned char)*s & 0xC0) != 0x80;
	return k;
}

/* ---- register values ----------------------------------------------------- */

/* Folds all of reg (at most WIN bytes of it) into f. */
static void fold_all(const char *reg, struct fold *f)
{
	size_t n = strnlen(reg, WIN);

	fold_range(reg, 0, n, 0, 0, f);
}

int sw__cm_icp_key(const char *reg, char *key, size_t cap)
{
	char canon[128];
	struct fold f;
	struct sw__cm_val v;

	if (reg == NULL || cap == 0)
		return 0;
	if (sw_valid_icp(reg, canon, sizeof canon, NULL) == SW_OK)
		reg = canon;
	fold_all(reg, &f);
	for (size_t i = 0; i + 3 <= f.n; i++) {
		if (at_icp(&f, i) && sw__cm_icp(f.s, f.n, i, 3, &v)) {
			snprintf(key, cap, "%s", v.key);
			return 1;
		}
	}
	return 0;
}

/* The longest run of ASCII digits in f; *k gets its length. */
static size_t longest_digits(const struct fold *f, size_t *k)
{
	size_t best = 0, bk = 0, i = 0, d;

	while (i < f->n) {
		d = digits(f, i);
		if (d > bk)
			best = i, bk = d;
		i += d ? d : 1;
	}
	*k = bk;
	return best;
}

int sw__cm_psb_key(const char *reg, char *key, size_t cap)
{
	char canon[128];
	struct fold f;
	size_t i, k;

	if (reg == NULL || cap == 0)
		return 0;
	if (sw_valid_psb(reg, canon, sizeof canon, NULL) == SW_OK)
		reg = canon;
	fold_all(reg, &f);
	i = longest_digits(&f, &k);
	if (k < 10 || k > 16)
		return 0;
	snprintf(key, cap, "%.*s", (int)k, f.s + i);
	return 1;
}

int sw__cm_code_key(const char *reg, char *key, size_t cap)
{
	char canon[64];
	struct fold f;
	size_t i, best = 0, bk = 0, k;

	if (reg == NULL || cap == 0)
		return 0;
	if (sw_valid_gov_code(reg, canon, sizeof canon, NULL) == SW_OK)
		reg = canon;
	fold_all(reg, &f);
	for (i = 0; i < f.n; i += k ? k : 1) {
		for (k = 0; i + k < f.n && is_alnum(f.s[i + k]); k++)
			;
		if (k > bk)
			best = i, bk = k;
	}
	if (bk < 6 || bk > 12 || bk >= cap)
		return 0;
	for (k = 0; k < bk; k++) {
		char c = f.s[best + k];

		key[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	key[bk] = '\0';
	return 1;
}

int sw__cm_org_key(const char *reg, char *key, size_t cap)
{
	struct fold f;
	size_t o = 0, i = 0, len;

	if (reg == NULL || cap == 0)
		return 0;
	fold_all(reg, &f);
	/* Blanks dropped; a character is copied only whole. */
	while (i < f.n) {
		for (len = 1; i + len < f.n && ((unsigned char)f.s[i + len] & 0xC0) == 0x80; len++)
			;
		if (f.s[i] != ' ') {
			if (o + len >= cap)
				break;
			memcpy(key + o, f.s + i, len);
			o += len;
		}
		i += len;
	}
	key[o] = '\0';
	return nchars(key) >= 2;
}

int sw__cm_icp_same(const char *a, const char *b)
{
	const char *pa, *pb;

	if (strcmp(a, b) == 0)
		return 1;
	pa = strstr(a, "ICP");
	pb = strstr(b, "ICP");
	if (pa == NULL || pb == NULL || (pa != a && pb != b))
		return 0;
	return strcmp(pa, pb) == 0;
}

int sw__cm_org_same(const char *a, const char *b)
{
	const char *shorter, *longer;

	if (strcmp(a, b) == 0)
		return 1;
	shorter = strlen(a) < strlen(b) ? a : b;
	longer = shorter == a ? b : a;
	return nchars(shorter) >= 4 && strstr(longer, shorter) != NULL;
}
