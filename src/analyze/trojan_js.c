/*
 * trojan_js.c - finds the tokens of trojan scripts in a page's inline
 * scripts and handlers (one Vectorscan pass over all of them), then turns
 * them into events (navigations, writes of script or frame tags, script
 * creation) that trojan_jsrule.c judges.
 *
 * Why tokens and not a parser: the techniques are few and stable (referrer
 * or user-agent test followed by a navigation, document.write of a script
 * tag, eval of a decoded string) and the tokens that carry them are
 * distinctive; one multi-pattern pass keeps the whole page linear.
 */
#include "analyze/hs_cache.h"
#include "analyze/trojan_js.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/js_scan.h"

/* The token patterns; ids are enum sw__tj_tok. */
static const struct {
	int id;
	const char *re;
	unsigned flags;
} toks[] = {
	{SW_TJ_T_EVAL, "\\beval\\s*\\(", 0},
	{SW_TJ_T_FUNCTION, "\\bFunction\\s*\\(", 0},
	{SW_TJ_T_UNESCAPE, "\\bunescape\\s*\\(", 0},
	{SW_TJ_T_FROMCHAR, "fromCharCode\\s*\\(", 0},
	{SW_TJ_T_ATOB, "\\batob\\s*\\(", 0},
	{SW_TJ_T_PACKER, "eval\\s*\\(\\s*function\\s*\\(\\s*p\\s*,\\s*a\\s*,\\s*c\\s*,\\s*k\\s*,"
			 "\\s*e\\s*,\\s*[rd]\\s*\\)", 0},
	{SW_TJ_T_WRITE, "\\bdocument\\s*(\\.\\s*write(ln)?|\\[\\s*[\"']write(ln)?[\"']\\s*\\])\\s*\\(", 0},
	{SW_TJ_T_HTML, "\\.\\s*(inner|outer)HTML\\s*\\+?=", 0},
	{SW_TJ_T_HTML, "(insertAdjacentHTML\\s*\\(\\s*[\"'][a-zA-Z]+[\"']\\s*,|"
		       "\\.\\s*(append|prepend|html|after|before)\\s*\\()", 0},
	{SW_TJ_T_CREATE_SCRIPT, "createElement\\s*\\(\\s*[\"']script[\"']\\s*\\)", HS_FLAG_CASELESS},
	{SW_TJ_T_CREATE_FRAME, "createElement\\s*\\(\\s*[\"']i?frame[\"']\\s*\\)", HS_FLAG_CASELESS},
	{SW_TJ_T_REFERRER, "referr?er", HS_FLAG_CASELESS},
	{SW_TJ_T_ENGINE, "(baidu|sogou|so\\.com|sm\\.cn|bing|google|360\\.cn|soso|youdao|haosou|"
			 "yahoo|toutiao|sousuo|yandex|so\\.m\\.sm)", HS_FLAG_CASELESS},
	{SW_TJ_T_UA, "(userAgent|appVersion)", HS_FLAG_CASELESS},
	{SW_TJ_T_MOBILE, "(android|iphone|ipad|ipod|mobile|windows\\s*phone|symbian|midp|ucweb|"
			 "blackberry|webos|opera\\s*mini|phone|wap)", HS_FLAG_CASELESS},
	{SW_TJ_T_LOCATION, "\\blocation\\b", 0},
	{SW_TJ_T_OPEN, "\\bwindow\\s*\\.\\s*open\\s*\\(", 0},
	{SW_TJ_T_MINER, "(coinhive|coin-hive|cryptonight|coinimp|authedmine|crypto-?loot|"
			"webminepool|jsecoin|deepminer|minero\\.cc|monerominer|webmine\\.|"
			"cryptaloot|hashvault\\.pro|miner\\.start\\s*\\(|\\.Anonymous\\s*\\(\\s*[\"'])",
	 HS_FLAG_CASELESS},
};
#define NTOKS (sizeof toks / sizeof *toks)

enum sw_err sw__tj_js_load(struct sw__tj_state *st, struct sw_errbuf *eb)
{
	const char *res[NTOKS];
	unsigned flags[NTOKS], ids[NTOKS];
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;

	for (size_t i = 0; i < NTOKS; i++) {
		res[i] = toks[i].re;
		flags[i] = toks[i].flags;
		ids[i] = (unsigned)toks[i].id;
	}
	if (sw_hs_compile_multi(res, flags, ids, (unsigned)NTOKS, &db, &ce) !=
	    HS_SUCCESS) {
		enum sw_err rc = sw_errf(eb, SW_EINVAL, "trojan: token pattern %d: %s",
					 ce ? ce->expression : -1, ce ? ce->message : "?");
		hs_free_compile_error(ce);
		return rc;
	}
	st->hs_db = db;
	return SW_OK;
}

void sw__tj_js_free(struct sw__tj_state *st)
{
	hs_free_database(st->hs_db);
	st->hs_db = NULL;
}

/* Growable token-hit list filled by the Vectorscan callback. */
struct hitlist {
	struct sw__tj_hit *v;
	size_t n, cap;
	int nomem;
};

/* Vectorscan match callback: records (token, end).  Stops at the cap. */
static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
		  void *arg)
{
	struct hitlist *h = arg;

	(void)from;
	(void)flags;
	if (h->n == h->cap) {
		if (h->cap >= SW_TJ_MAX_HITS)
			return 1; /* a token flood: stop, what was found is judged */
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct sw__tj_hit *v = realloc(h->v, cap * sizeof *v);
		if (!v) {
			h->nomem = 1;
			return 1;
		}
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (struct sw__tj_hit){(uint32_t)to, (uint16_t)id};
	return 0;
}

/* qsort comparator: hits by end offset. */
static int cmp_hit(const void *a, const void *b)
{
	const struct sw__tj_hit *x = a, *y = b;
	return x->end < y->end ? -1 : x->end > y->end;
}

enum sw_err sw__tj_js_run(struct sw__tj_run *r)
{
	struct hitlist h = {NULL, 0, 0, 0};
	hs_scratch_t *scratch = NULL;
	enum sw_err rc = SW_OK;
	size_t k = 0;

	if (!r->buf_len || !r->st->hs_db)
		return SW_OK;
	if (hs_alloc_scratch(r->st->hs_db, &scratch) != HS_SUCCESS)
		return SW_ENOMEM;
	hs_error_t he = hs_scan(r->st->hs_db, r->buf, (unsigned)r->buf_len, 0, scratch, on_hit, &h);
	hs_free_scratch(scratch);
	if (h.nomem || (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)) {
		free(h.v);
		return SW_ENOMEM;
	}
	if (h.n)
		qsort(h.v, h.n, sizeof *h.v, cmp_hit);
	for (size_t s = 0; s < r->nsegs && !rc; s++) {
		const struct sw__tj_seg *g = &r->segs[s];
		while (k < h.n && h.v[k].end < g->boff)
			k++;
		size_t lo = k;
		while (k < h.n && h.v[k].end <= g->boff + g->blen)
			k++;
		rc = sw__tj_js_segment(r, g, h.v ? h.v + lo : NULL, k - lo);
	}
	free(h.v);
	return rc;
}

/* Skips blanks from s[i]; returns the new index. */
static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/*
 * After the token "location" ending at s[p]: the index of the expression
 * that is assigned to it (location = x, location.href = x) or passed to
 * location.replace(x) / assign(x), or 0 when this is a read.
 */
static size_t location_value(const char *s, size_t n, size_t p)
{
	size_t i = skip_ws(s, n, p);

	if (i < n && s[i] == '.') {
		i = skip_ws(s, n, i + 1);
		size_t w = i;
		while (i < n && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			i++;
		size_t wl = i - w;
		i = skip_ws(s, n, i);
		if (wl == 4 && !strncmp(s + w, "href", 4))
			return i + 1 < n && s[i] == '=' && s[i + 1] != '=' ? i + 1 : 0;
		if ((wl == 7 && !strncmp(s + w, "replace", 7)) ||
		    (wl == 6 && !strncmp(s + w, "assign", 6)))
			return i < n && s[i] == '(' ? i + 1 : 0;
		return 0;
	}
	return i + 1 < n && s[i] == '=' && s[i + 1] != '=' ? i + 1 : 0;
}

/*
 * Judges the candidate strings of an expression (sw_js_expr_strings's
 * '\n'-separated output): the worst place any absolute URL among them
 * points to, with that URL in ev->target.  Relative strings are same-site.
 */
static void judge_targets(const struct sw__tj_run *r, char *strs, const struct sw_hostset *ok,
			  struct sw__tj_ev *ev)
{
	char host[256];

	ev->where = SW_TJ_EV_COMPUTED;
	for (char *line = strs, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		sw_js_url_host(line, host, sizeof host);
		enum sw__tj_where w = sw__tj_foreign(r, host, ok);
		int rank = w == SW_TJ_FOREIGN ? 3 : w == SW_TJ_UNKNOWN ? 2 : 1;
		int cur = ev->where == SW_TJ_FOREIGN ? 3 : ev->where == SW_TJ_UNKNOWN ? 2 :
			  ev->where == SW_TJ_SAME ? 1 : 0;
		if (rank > cur) {
			ev->where = (uint8_t)w;
			snprintf(ev->target, sizeof ev->target, "%s", line);
		}
	}
}

/*
 * Makes a navigation event for the expression at s[v]: kind is EV_NAV
 * (location) or EV_OPEN (window.open).
 */
static void nav_event(const struct sw__tj_run *r, const char *s, size_t n, size_t v,
		      uint32_t pos, int kind, struct sw__tj_ev *ev)
{
	char strs[1024];
	size_t lim = n - v < 2048 ? n - v : 2048;

	memset(ev, 0, sizeof *ev);
	ev->pos = pos;
	ev->kind = (uint8_t)kind;
	sw_js_expr_strings(s + v, lim, strs, sizeof strs, NULL);
	judge_targets(r, strs, &r->st->redirect_ok, ev);
}

/*
 * Makes a write event for document.write(...) / innerHTML = ... at s[v]:
 * decodes its literals (JS and %-escapes), finds script and frame tags in
 * the HTML and judges their sources.  Returns 0 when the HTML has no tag
 * with a source.
 */
static int write_event(const struct sw__tj_run *r, const char *s, size_t n, size_t v,
		       uint32_t pos, struct sw__tj_ev *ev)
{
	char html[4096], url[SW_TJ_URL_CAP], host[256];
	size_t lim = n - v < 8192 ? n - v : 8192, p = 0, len;
	int tag, found = 0;

	memset(ev, 0, sizeof *ev);
	ev->pos = pos;
	ev->kind = SW_TJ_EV_WRITE;
	ev->where = SW_TJ_SAME;
	len = sw_js_expr_strings(s + v, lim, html, sizeof html, NULL);
	len = sw_js_pct_decode(html, len);
	while ((tag = sw_js_html_src(html, len, &p, url, sizeof url)) != 0) {
		if (!url[0])
			continue;
		found = 1;
		sw_js_url_host(url, host, sizeof host);
		/* "http://" + a variable: the host is computed.  The site's own
		 * (location.host, document.domain) is honest; anything else is
		 * a host the page hides from a reader of its source. */
		if (!host[0] && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) &&
		    !memmem(s + v, lim, "location", 8) && !memmem(s + v, lim, "document.domain", 15)) {
			if (ev->where == SW_TJ_SAME) {
				ev->where = SW_TJ_UNKNOWN;
				ev->tag = (uint8_t)tag;
				snprintf(ev->target, sizeof ev->target, "%.200s(computed host)", url);
			}
			continue;
		}
		enum sw__tj_where w = sw__tj_foreign(r, host, tag == SW_JS_TAG_SCRIPT ?
						     &r->st->script_ok : &r->st->frame_ok);
		if (w != SW_TJ_SAME && (ev->where == SW_TJ_SAME || w == SW_TJ_FOREIGN)) {
			ev->where = (uint8_t)w;
			ev->tag = (uint8_t)tag;
			snprintf(ev->target, sizeof ev->target, "%s", url);
		}
	}
	/* A written meta refresh is a navigation, like assigning location. */
	if (!found) {
		const char *m = strcasestr(html, "http-equiv"), *u;

		if (m && strcasestr(m, "refresh") && (u = strcasestr(m, "url="))) {
			u += 4;
			while (*u == '\'' || *u == '"' || *u == ' ')
				u++;
			snprintf(url, sizeof url, "%.*s", (int)strcspn(u, "\"' >"), u);
			sw_js_url_host(url, host, sizeof host);
			if (host[0]) {
				enum sw__tj_where w = sw__tj_foreign(r, host, &r->st->redirect_ok);

				ev->kind = SW_TJ_EV_NAV;
				ev->where = (uint8_t)w;
				snprintf(ev->target, sizeof ev->target, "%s", url);
				found = 1;
			}
		}
	}
	return found;
}

/*
 * Makes a creation event for createElement('script'|'iframe') at s[p]:
 * the first `.src = ...` or setAttribute('src', ...) within the next bytes
 * gives the source.  Returns 0 when none is set from literals.
 */
static int create_event(const struct sw__tj_run *r, const char *s, size_t n, size_t p,
			uint32_t pos, int tag, struct sw__tj_ev *ev)
{
	size_t lim = n - p < 800 ? n - p : 800;
	char strs[1024];

	memset(ev, 0, sizeof *ev);
	ev->pos = pos;
	ev->kind = SW_TJ_EV_CREATE;
	ev->tag = (uint8_t)tag;
	for (size_t i = p; i + 4 < p + lim; i++) {
		size_t v = 0;
		if (!strncmp(s + i, ".src", 4)) {
			size_t j = skip_ws(s, n, i + 4);
			if (j + 1 < n && s[j] == '=' && s[j + 1] != '=')
				v = j + 1;
		} else if (!strncmp(s + i, "setAttribute", 12) && i + 12 < n) {
			size_t j = skip_ws(s, n, i + 12);
			if (j + 6 < n && s[j] == '(' && !strncmp(s + j + 2, "src", 3))
				v = j + 6;
		}
		if (!v)
			continue;
		sw_js_expr_strings(s + v, n - v < 1024 ? n - v : 1024, strs, sizeof strs, NULL);
		judge_targets(r, strs, tag == SW_JS_TAG_SCRIPT ? &r->st->script_ok :
				       &r->st->frame_ok, ev);
		return ev->where != SW_TJ_EV_COMPUTED;
	}
	return 0;
}

size_t sw__tj_js_events(const struct sw__tj_run *r, const char *s, size_t n,
			const struct sw__tj_hit *h, size_t nh, size_t boff,
			struct sw__tj_ev *ev, size_t cap)
{
	size_t ne = 0, tries = 0;

	/* Each try reads at most a few KB; the cap keeps a script of
	 * thousands of .append( calls linear. */
	for (size_t k = 0; k < nh && ne < cap && tries < 256; k++) {
		if (h[k].tok == SW_TJ_T_LOCATION || h[k].tok == SW_TJ_T_OPEN ||
		    h[k].tok == SW_TJ_T_WRITE || h[k].tok == SW_TJ_T_HTML ||
		    h[k].tok == SW_TJ_T_CREATE_SCRIPT || h[k].tok == SW_TJ_T_CREATE_FRAME)
			tries++;
		size_t e = h[k].end - boff, v;
		struct sw__tj_ev *x = &ev[ne];
		switch (h[k].tok) {
		case SW_TJ_T_LOCATION:
			if ((v = location_value(s, n, e)) != 0) {
				nav_event(r, s, n, v, (uint32_t)(e - 8), SW_TJ_EV_NAV, x);
				ne++;
			}
			break;
		case SW_TJ_T_OPEN:
			nav_event(r, s, n, e, (uint32_t)e, SW_TJ_EV_OPEN, x);
			ne++;
			break;
		case SW_TJ_T_WRITE:
		case SW_TJ_T_HTML:
			ne += (size_t)write_event(r, s, n, e, (uint32_t)e, x);
			break;
		case SW_TJ_T_CREATE_SCRIPT:
		case SW_TJ_T_CREATE_FRAME:
			ne += (size_t)create_event(r, s, n, e, (uint32_t)e,
						   h[k].tok == SW_TJ_T_CREATE_SCRIPT ?
						   SW_JS_TAG_SCRIPT : SW_JS_TAG_IFRAME, x);
			break;
		default:
			break;
		}
	}
	return ne;
}
