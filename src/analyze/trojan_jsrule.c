/*
 * trojan_jsrule.c - judges one inline script (or handler) from its tokens
 * and events: search-engine and mobile redirects, plain redirects,
 * document.write/createElement of foreign script or frames, obfuscation and
 * miners.
 *
 * The honest look-alikes that shaped the rules:
 *  - the identification badge and CNZZ write a script tag with
 *    document.write(unescape(...)): the tag's host is judged, not the
 *    technique, and both hosts are on the allow list;
 *  - Baidu analytics creates a script element: the same;
 *  - mobile sites redirect to m.<same site>, language switches go to
 *    en.<same site>: only other sites count;
 *  - "go to the provincial portal" buttons call location.href or
 *    window.open inside click handlers and named functions: only
 *    navigations that run by themselves (top level, if/else, IIFE, onload,
 *    timers) are redirects, except behind a referrer or user-agent test,
 *    which honest pages do not use to leave the site;
 *  - minified libraries use new Function, fromCharCode and long strings,
 *    but not a decoder's output fed to eval, nor dozens of ASCII escapes in
 *    a row.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/js_scan.h"
#include "analyze/trojan_js.h"

#define MAX_EVENTS 32
#define WINDOW_BEFORE 600u  /* a test may come this far before its navigation */
#define WINDOW_AFTER 3000u  /* ... and the navigation this far after the test */

/* Offset in page->text and length of evidence at segment offset pos. */
static void where_in_page(const struct sw__tj_seg *g, size_t pos, size_t len, uint32_t *off,
			  uint32_t *plen)
{
	if (g->kind == SW_TJ_SEG_SCRIPT) {
		*off = g->poff + (uint32_t)pos;
		*plen = (uint32_t)(len > 200 ? 200 : len);
	} else {
		*off = g->poff;
		*plen = g->plen;
	}
}

/* Reports key for the segment at pos with the given details. */
static enum sw_err emit(struct sw__tj_run *r, const struct sw__tj_seg *g, const char *key,
			double conf, const char *tech, size_t pos, size_t len, const char *target,
			const char *title)
{
	uint32_t off, plen;

	where_in_page(g, pos, len, &off, &plen);
	return sw_an_emit(r->ctx, &(struct sw_an_hit){.key = key, .sev = -1, .confidence = conf,
			  .technique = tech, .off = off, .len = plen,
			  .target = target && *target ? target : NULL},
			  "%s%s%s", title, target && *target ? ": " : "", target ? target : "");
}

/* Words that mark a block as the body of a visitor-triggered handler. */
static const char *const user_words[] = {
	"click", "change", "submit", "mouse", "keydown", "keyup", "keypress", "touch",
	"hover", "select",
};

/* Case-insensitive search of word in s[0..n). */
static int has_word(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && (s[i + j] | 0x20) == word[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/*
 * True when s[0..n) holds one of user_words.  Runs for every '{' before a
 * navigation, so it looks only where a word's first letter is.
 */
static int has_user_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (char)(s[i] | 0x20);
		if (c != 'c' && c != 's' && c != 'm' && c != 'k' && c != 't' && c != 'h')
			continue;
		for (size_t k = 0; k < sizeof user_words / sizeof *user_words; k++) {
			size_t l = strlen(user_words[k]);
			if (user_words[k][0] == c && i + l <= n && has_word(s + i, l, user_words[k]))
				return 1;
		}
	}
	return 0;
}

/* True for identifier bytes. */
static int ident(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? 1 : (c >= '0' && c <= '9') || c == '_' ||
							     c == '$';
}

/*
 * True when the block opened by the '{' at s[b] is a function that a
 * visitor triggers or that something else calls (a handler, a named
 * function, a method), so navigations in it are not automatic.
 */
static int user_block(const char *s, size_t b)
{
	size_t lo = b > 160 ? b - 160 : 0, i = b;

	if (has_user_word(s + lo, b - lo))
		return 1;
	while (i > lo && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' ||
			  s[i - 1] == '\r'))
		i--;
	if (i == lo || s[i - 1] != ')')
		return 0; /* else, try, object literal, arrow body: neutral */
	int depth = 0;
	for (i--; i > lo; i--) {
		depth += s[i] == ')' ? 1 : s[i] == '(' ? -1 : 0;
		if (depth == 0)
			break;
	}
	size_t we = i;
	while (we > lo && (s[we - 1] == ' ' || s[we - 1] == '\t'))
		we--;
	size_t ws = we;
	while (ws > lo && ident(s[ws - 1]))
		ws--;
	size_t wl = we - ws;
	static const char *const ctl[] = {"if", "for", "while", "switch", "catch", "with"};
	for (size_t k = 0; k < sizeof ctl / sizeof *ctl; k++)
		if (wl == strlen(ctl[k]) && !strncmp(s + ws, ctl[k], wl))
			return 0;
	if (wl == 8 && !strncmp(s + ws, "function", 8)) {
		/* Anonymous: a method value (name: function) is called by others. */
		size_t p = ws;
		while (p > lo && (s[p - 1] == ' ' || s[p - 1] == '\t'))
			p--;
		return p > lo && s[p - 1] == ':';
	}
	return wl > 0; /* function name(...) { or method name(...) { */
}

/*
 * Brace walk state: which events sit inside a visitor-triggered block.
 * Blocks are classified lazily, only when an event is inside them, so a
 * script of a million braces costs one pass and no look-backs.
 */
struct walk {
	const char *s;
	struct sw__tj_ev *ev;
	size_t ne, next;
	uint32_t open[64];   /* positions of the innermost open blocks' '{' */
	int8_t cls[64];      /* per open block: -1 unknown, else user_block() */
	size_t depth;        /* open blocks (may exceed 64: deeper ones are not kept) */
	uint8_t *ev_user;    /* out: per event */
};

/* Marks events before pos: inside a user block when any kept open block is one. */
static void walk_mark(struct walk *w, size_t pos)
{
	while (w->next < w->ne && w->ev[w->next].pos < pos) {
		size_t kept = w->depth < 64 ? w->depth : 64;
		uint8_t u = 0;
		for (size_t b = 0; b < kept && !u; b++) {
			if (w->cls[b] < 0)
				w->cls[b] = (int8_t)user_block(w->s, w->open[b]);
			u = (uint8_t)w->cls[b];
		}
		w->ev_user[w->next++] = u;
	}
}

/* sw_js_braces callback. */
static int walk_brace(size_t pos, char c, void *arg)
{
	struct walk *w = arg;

	walk_mark(w, pos);
	if (c == '{') {
		if (w->depth < 64) {
			w->open[w->depth] = (uint32_t)pos;
			w->cls[w->depth] = -1;
		}
		w->depth++;
	} else if (w->depth) {
		w->depth--;
	}
	return w->next >= w->ne;
}

/* Fills ev_user[k] for each event: inside a visitor-triggered block. */
static void mark_user(const char *s, size_t n, struct sw__tj_ev *ev, size_t ne, uint8_t *ev_user)
{
	struct walk w = {.s = s, .ev = ev, .ne = ne, .ev_user = ev_user};

	if (!ne)
		return;
	sw_js_braces(s, n, walk_brace, &w);
	walk_mark(&w, (size_t)-1);
}

/*
 * The first absolute URL literal in s[0..n) that points off the site, into
 * url; its verdict, or SW_TJ_SAME when there is none.  Used when a
 * navigation's target is a variable set elsewhere in the script.
 */
static enum sw__tj_where foreign_url(const struct sw__tj_run *r, const char *s, size_t n,
				     char *url, size_t cap)
{
	const char *p = s, *end = s + n;
	char host[256];

	for (int tries = 0; tries < 64 && p < end; tries++) {
		const char *m = memmem(p, (size_t)(end - p), "://", 3);
		if (!m)
			break;
		const char *a = m;
		while (a > s && ((a[-1] | 0x20) >= 'a' && (a[-1] | 0x20) <= 'z'))
			a--;
		size_t len = 0;
		while (a + len < end && len + 1 < cap && !strchr("\"'` <>)\\;\n", a[len]))
			len++;
		memcpy(url, a, len);
		url[len] = '\0';
		sw_js_url_host(url, host, sizeof host);
		enum sw__tj_where w = sw__tj_foreign(r, host, &r->st->redirect_ok);
		if (w != SW_TJ_SAME)
			return w;
		p = m + 3;
	}
	url[0] = '\0';
	return SW_TJ_SAME;
}

/* True when url's host is a mobile edition's name (m., wap., 3g. ...). */
static int mobile_edition(const char *url)
{
	static const char *const pre[] = {"m.", "wap.", "3g.", "mobile.", "touch.", "h5."};
	char host[256];

	sw_js_url_host(url, host, sizeof host);
	for (size_t k = 0; k < sizeof pre / sizeof *pre; k++)
		if (!strncmp(host, pre[k], strlen(pre[k])))
			return 1;
	return 0;
}

/* True when hits h[0..nh) hold token tok ending within [lo, hi]. */
static int tok_near(const struct sw__tj_hit *h, size_t nh, int tok, size_t lo, size_t hi)
{
	for (size_t k = 0; k < nh; k++)
		if (h[k].tok == tok && h[k].end >= lo && h[k].end <= hi)
			return 1;
	return 0;
}

/*
 * Looks for a navigation gated by a test: a token `test` whose companion
 * token `word` is within `near` bytes, and an event within the window
 * after it that leaves the site.  Reports key; marks the event used.
 */
static enum sw_err gated(struct sw__tj_run *r, const struct sw__tj_seg *g, const char *s,
			 const struct sw__tj_hit *h, size_t nh, struct sw__tj_ev *ev, size_t ne,
			 uint8_t *used, int test, int word, size_t near, const char *key,
			 const char *tech, const char *title)
{
	int tries = 0;

	for (size_t k = 0; k < nh && tries < 16; k++) {
		if (h[k].tok != test)
			continue;
		tries++;
		size_t p = h[k].end - g->boff;
		size_t lo = h[k].end > near ? h[k].end - near : 0;
		if (!tok_near(h, nh, word, lo, h[k].end + near))
			continue;
		for (size_t e = 0; e < ne; e++) {
			struct sw__tj_ev *x = &ev[e];
			if (x->pos + WINDOW_BEFORE < p || x->pos > p + WINDOW_AFTER)
				continue;
			if (x->where == SW_TJ_SAME)
				continue;
			/* The page's own host unknown (a saved page): a phone visitor
			 * sent to m.<something> is most likely going to the site's
			 * own mobile edition, not to an attacker. */
			if (test == SW_TJ_T_UA && x->where == SW_TJ_UNKNOWN && mobile_edition(x->target))
				continue;
			char url[SW_TJ_URL_CAP];
			const char *target = x->target;
			double conf = x->where == SW_TJ_FOREIGN ? 0.95 : 0.85;
			if (x->where == SW_TJ_EV_COMPUTED) {
				if (foreign_url(r, s, g->blen, url, sizeof url) == SW_TJ_SAME &&
				    test == SW_TJ_T_UA)
					continue; /* m.<same site> built from location */
				target = url;
				conf = 0.85;
			}
			used[e] = 1;
			return emit(r, g, key, conf, tech, p, x->pos > p ? x->pos - p + 40 : 80,
				    target, title);
		}
	}
	return SW_OK;
}

/* Reports the events no gate claimed: foreign writes and automatic redirects. */
static enum sw_err plain_events(struct sw__tj_run *r, const struct sw__tj_seg *g,
				struct sw__tj_ev *ev, size_t ne, const uint8_t *used,
				const uint8_t *user)
{
	enum sw_err rc = SW_OK;

	for (size_t e = 0; e < ne && !rc; e++) {
		struct sw__tj_ev *x = &ev[e];
		if (used[e] || (x->where != SW_TJ_FOREIGN && x->where != SW_TJ_UNKNOWN))
			continue;
		/* As in gated(): with the page's host unknown, m.<...> is taken
		 * for the site's own mobile edition. */
		if (x->where == SW_TJ_UNKNOWN && x->kind == SW_TJ_EV_NAV && mobile_edition(x->target))
			continue;
		double conf = x->where == SW_TJ_FOREIGN ? 0.9 : 0.75;
		if (x->kind == SW_TJ_EV_WRITE || x->kind == SW_TJ_EV_CREATE) {
			int frame = x->tag == SW_JS_TAG_IFRAME;
			rc = emit(r, g, "trojan.doc_write", conf - (x->kind == SW_TJ_EV_CREATE) * 0.1,
				  x->kind == SW_TJ_EV_WRITE ? "document-write" : "create-element",
				  x->pos, 120, x->target,
				  frame ? "script writes a frame from another site" :
					  "script writes a script from another site");
		} else if (!user[e] && g->kind != SW_TJ_SEG_USER) {
			rc = emit(r, g, "trojan.redirect", conf - 0.05,
				  x->kind == SW_TJ_EV_NAV ? "location" : "window-open", x->pos, 120,
				  x->target, "script redirects to another site");
		}
	}
	return rc;
}

/* True when s[p..) (after blanks) starts with a decoder call. */
static int decoder_after(const char *s, size_t n, size_t p)
{
	static const char *const dec[] = {"unescape", "atob", "window.atob", "String.fromCharCode",
					  "decodeURIComponent", "decodeURI", "escape"};
	while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '('))
		p++;
	for (size_t k = 0; k < sizeof dec / sizeof *dec; k++) {
		size_t l = strlen(dec[k]);
		if (p + l <= n && !strncmp(s + p, dec[k], l))
			return 1;
	}
	if (p < n && (s[p] == '"' || s[p] == '\'')) {
		struct sw_js_stats st;
		sw_js_stats(s + p, n - p < 256 ? n - p : 256, &st);
		return st.esc_run >= 8;
	}
	return 0;
}

/*
 * True when the number list at s[off] read as character codes spells
 * script: a tag, an API name or a URL.  Honest number lists (chart data,
 * lookup tables) next to an honest fromCharCode do not.
 */
static int charcodes_say_code(const char *s, size_t n, size_t off)
{
	static const char *const words[] = {"script", "iframe", "document", "window", "eval",
					    "location", "http", "write", "src="};
	char text[1024];
	size_t w = 0, i = off;

	while (i < n && w + 1 < sizeof text) {
		long v = 0;
		int digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 7) {
			v = v * 10 + (s[i++] - '0');
			digits++;
		}
		if (!digits)
			break;
		text[w++] = v >= 32 && v < 127 ? (char)v : '?';
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
	}
	text[w] = '\0';
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (has_word(text, w, words[k]))
			return 1;
	return 0;
}

/* Reports obfuscation in the segment: the strongest technique found. */
static enum sw_err obfuscation(struct sw__tj_run *r, const struct sw__tj_seg *g, const char *s,
			       const struct sw__tj_hit *h, size_t nh, const unsigned *cnt)
{
	size_t n = g->blen;
	struct sw_js_stats st;

	for (size_t k = 0, sinks = 0; k < nh && sinks < 64; k++) {
		size_t p = h[k].end - g->boff;
		sinks += h[k].tok == SW_TJ_T_EVAL || h[k].tok == SW_TJ_T_FUNCTION;
		if (h[k].tok == SW_TJ_T_PACKER)
			return emit(r, g, "trojan.obfuscated", 0.85, "packer", p, 80, NULL,
				    "packed (p,a,c,k,e,d) script");
		if ((h[k].tok == SW_TJ_T_EVAL || h[k].tok == SW_TJ_T_FUNCTION) &&
		    decoder_after(s, n, p))
			return emit(r, g, "trojan.obfuscated", 0.85, "eval-decode",
				    p > 8 ? p - 8 : 0, 120, NULL, "script evaluates decoded code");
	}
	sw_js_stats(s, n, &st);
	if (st.esc_run >= 24)
		return emit(r, g, "trojan.obfuscated", 0.75, "encoded-string", st.esc_off, 160, NULL,
			    "long escaped string in script");
	if (st.num_list >= 24 && cnt[SW_TJ_T_FROMCHAR] && charcodes_say_code(s, n, st.num_list_off))
		return emit(r, g, "trojan.obfuscated", 0.8, "charcode-array", st.num_list_off, 160,
			    NULL, "script decodes a long character-code array");
	if (st.blob_len >= 400 && st.blob_entropy >= 4.0 &&
	    (cnt[SW_TJ_T_ATOB] || cnt[SW_TJ_T_EVAL] || cnt[SW_TJ_T_FUNCTION] ||
	     cnt[SW_TJ_T_UNESCAPE]))
		return emit(r, g, "trojan.obfuscated", 0.7, "encoded-blob", st.blob_off, 160, NULL,
			    "script decodes a long encoded string");
	return SW_OK;
}

enum sw_err sw__tj_js_segment(struct sw__tj_run *r, const struct sw__tj_seg *g,
			      const struct sw__tj_hit *h, size_t nh)
{
	const char *s = r->buf + g->boff;
	unsigned cnt[SW_TJ_T__COUNT] = {0};
	struct sw__tj_ev ev[MAX_EVENTS];
	uint8_t used[MAX_EVENTS] = {0}, user[MAX_EVENTS] = {0};
	enum sw_err rc;
	size_t miner = SIZE_MAX;

	for (size_t k = 0; k < nh; k++) {
		if (h[k].tok < SW_TJ_T__COUNT)
			cnt[h[k].tok]++;
		if (h[k].tok == SW_TJ_T_MINER && miner == SIZE_MAX)
			miner = h[k].end - g->boff;
	}
	if (miner != SIZE_MAX) {
		char tgt[SW_TJ_URL_CAP];
		snprintf(tgt, sizeof tgt, "%.*s", (int)(g->blen < 200 ? g->blen : 200), s);
		rc = emit(r, g, "trojan.miner", 0.9, "miner-signature", miner > 40 ? miner - 40 : 0,
			  80, g->kind == SW_TJ_SEG_SRC ? tgt : NULL, "crypto-miner script");
		if (rc)
			return rc;
	}
	if (g->kind == SW_TJ_SEG_SRC)
		return SW_OK;
	size_t ne = sw__tj_js_events(r, s, g->blen, h, nh, g->boff, ev, MAX_EVENTS);
	mark_user(s, g->blen, ev, ne, user);
	rc = gated(r, g, s, h, nh, ev, ne, used, SW_TJ_T_REFERRER, SW_TJ_T_ENGINE, 600,
		   "trojan.search_redirect", "referrer-test",
		   "redirect for visitors from search engines");
	if (!rc)
		rc = gated(r, g, s, h, nh, ev, ne, used, SW_TJ_T_UA, SW_TJ_T_MOBILE, 400,
			   "trojan.mobile_redirect", "user-agent-test",
			   "redirect for mobile visitors");
	if (!rc)
		rc = plain_events(r, g, ev, ne, used, user);
	if (!rc)
		rc = obfuscation(r, g, s, h, nh, cnt);
	return rc;
}
