/*
 * trojan_html.c - the trojan checks that need only the HTML: hidden or
 * zero-size frames to other sites, meta refresh to other sites, and
 * external scripts from hosts that are neither the site's, nor allowed, nor
 * in the baseline.
 *
 * False alarms to avoid, each seen on honest portals: video and map embeds
 * inside tab panels or carousels that are hidden until clicked (the frame is
 * hidden by an ancestor that also holds the panel's text), the Google Tag
 * Manager <noscript> frame, hidden same-site frames used as form targets
 * (src about:blank), pages that refresh themselves, and scripts from the
 * site's own CDN or from statistics services.
 */
#include "analyze/hostset.h"
#include "analyze/trojan_int.h"

#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/js_scan.h"
/* The baseline (deface worker's baseline.h) knows the site's usual script
 * hosts; until it is on this branch, pages are judged without it. */
#if defined(__has_include)
#if __has_include("analyze/baseline.h")
#include "analyze/baseline.h"
#define SW_TJ_HAVE_BASELINE 1
#endif
#endif

enum sw__tj_where sw__tj_foreign(const struct sw__tj_run *r, const char *host,
				 const struct sw_hostset *ok)
{
	if (!host || !*host)
		return SW_TJ_SAME;
	if (sw_hostset_has(ok, host))
		return SW_TJ_SAME;
	for (size_t i = 0; r->ctx->site && i < r->ctx->site->n_allow; i++) {
		const char *a = r->ctx->site->allow_hosts[i];
		if (a && (!strcmp(a, host) || sw_an_same_site(a, host)))
			return SW_TJ_SAME;
	}
	if (!r->site[0])
		return SW_TJ_UNKNOWN;
	return sw_an_same_site(r->site, host) ? SW_TJ_SAME : SW_TJ_FOREIGN;
}

/* Pixels of a size attribute or CSS length value at s ("0", "1px"); -1 when
 * it is not a plain number (percentages, auto). */
static long size_px(const char *s)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end == '.')
		while (isdigit((unsigned char)*++end))
			;
	while (*end == ' ')
		end++;
	return (*end == '\0' || *end == ';' || *end == '"' || !strncmp(end, "px", 2) ||
		!strncmp(end, "!", 1)) ? v : -1;
}

/* CSS property prop's pixel value in the inline style s, or -1. */
static long style_px(const char *s, const char *prop)
{
	size_t k = strlen(prop);

	for (const char *p = s; (p = strstr(p, prop)) != NULL; p += k) {
		/* "max-width", "border-width" are not the box size. */
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		const char *q = p + k;
		while (*q == ' ')
			q++;
		if (*q == ':')
			return size_px(q + 1);
	}
	return -1;
}

/* True when a frame's own size makes it invisible (0 or 1 pixel wide or high). */
static int tiny_frame(const struct sw_doc *d, uint32_t i)
{
	const char *w = sw_doc_attr(d, i, "width"), *h = sw_doc_attr(d, i, "height");
	const char *st = sw_doc_attr(d, i, "style");
	long wv = w ? size_px(w) : -1, hv = h ? size_px(h) : -1;

	if ((wv >= 0 && wv <= 1) || (hv >= 0 && hv <= 1))
		return 1;
	if (st) {
		long sw = style_px(st, "width"), sh = style_px(st, "height");
		if ((sw >= 0 && sw <= 1) || (sh >= 0 && sh <= 1))
			return 1;
	}
	return 0;
}

/*
 * True when the hidden ancestor that hides frame i also holds text a
 * visitor would read once it is shown: a tab panel or carousel slide, not a
 * wrapper made to hide the frame.
 */
static int hidden_in_panel(const struct sw_doc *d, uint32_t i)
{
	uint32_t a = d->nodes[i].parent;
	char text[64];

	for (int hops = 0; a != SW_NONE && hops < 64; hops++, a = d->nodes[a].parent) {
		if (!d->nodes[a].hide_self)
			continue;
		return sw_doc_text(d, a, text, sizeof text) >= 12;
	}
	return 0;
}

enum sw_err sw__tj_frame(struct sw__tj_run *r, uint32_t i)
{
	const struct sw_doc *d = r->ctx->doc;
	const struct sw_node *nd = &d->nodes[i];
	const char *src = sw_doc_attr(d, i, "src");
	char host[256];
	const char *tech;
	double conf = 0.9;

	if (!src || !*src)
		return SW_OK;
	sw_js_url_host(src, host, sizeof host);
	enum sw__tj_where w = sw__tj_foreign(r, host, &r->st->frame_ok);
	if (w == SW_TJ_SAME)
		return SW_OK;
	if (tiny_frame(d, i)) {
		tech = "zero-size";
	} else if (nd->hide_self & ~(SW_HIDE(NOSCRIPT) | SW_HIDE(TEMPLATE))) {
		tech = sw_hide_name(nd->hide_self & ~(SW_HIDE(NOSCRIPT) | SW_HIDE(TEMPLATE)));
	} else if (nd->hide & ~(SW_HIDE(NOSCRIPT) | SW_HIDE(TEMPLATE)) &&
		   !hidden_in_panel(d, i)) {
		tech = sw_hide_name(nd->hide & ~(SW_HIDE(NOSCRIPT) | SW_HIDE(TEMPLATE)));
		conf = 0.8;
	} else {
		return SW_OK;
	}
	if (nd->hide & SW_HIDE(TEMPLATE))
		return SW_OK; /* never rendered */
	if (w == SW_TJ_UNKNOWN || (nd->hide & SW_HIDE(NOSCRIPT)))
		conf -= 0.15;
	return sw_an_emit(r->ctx, &(struct sw_an_hit){.key = "trojan.hidden_iframe", .sev = -1,
			  .confidence = conf, .technique = tech, .off = nd->off,
			  .len = nd->len, .target = src},
			  "hidden %s to %s (%s)", nd->name ? nd->name : "iframe", host, tech);
}

/* Target URL of a refresh content value "5; url=http://x/" into url, or "". */
static void refresh_url(const char *content, char *url, size_t cap)
{
	const char *p = content;

	url[0] = '\0';
	while (*p && *p != ';' && *p != ',')
		p++;
	while (*p == ';' || *p == ',' || *p == ' ' || *p == '\t')
		p++;
	if (!strncasecmp(p, "url", 3)) {
		const char *q = p + 3;
		while (*q == ' ')
			q++;
		if (*q == '=')
			p = q + 1;
	}
	while (*p == ' ' || *p == '\'' || *p == '"')
		p++;
	size_t n = strcspn(p, "'\" \t");
	if (n >= cap)
		n = cap - 1;
	memcpy(url, p, n);
	url[n] = '\0';
}

enum sw_err sw__tj_refresh(struct sw__tj_run *r, uint32_t i)
{
	const struct sw_doc *d = r->ctx->doc;
	const char *eq = sw_doc_attr(d, i, "http-equiv");
	const char *content = sw_doc_attr(d, i, "content");
	char url[SW_TJ_URL_CAP], host[256];

	if (!eq || strcasecmp(eq, "refresh") || !content)
		return SW_OK;
	refresh_url(content, url, sizeof url);
	sw_js_url_host(url, host, sizeof host);
	enum sw__tj_where w = sw__tj_foreign(r, host, &r->st->redirect_ok);
	if (w == SW_TJ_SAME)
		return SW_OK;
	return sw_an_emit(r->ctx, &(struct sw_an_hit){.key = "trojan.redirect", .sev = -1,
			  .confidence = w == SW_TJ_FOREIGN ? 0.9 : 0.75,
			  .technique = "meta-refresh", .off = d->nodes[i].off,
			  .len = d->nodes[i].len, .target = url},
			  "meta refresh to %s", host);
}

enum sw_err sw__tj_script_src(struct sw__tj_run *r, uint32_t i, const char *src)
{
	const struct sw_node *nd = &r->ctx->doc->nodes[i];
	char host[256];
	const char *why;
	double conf;
	int sev = -1;

	sw_js_url_host(src, host, sizeof host);
	enum sw__tj_where w = sw__tj_foreign(r, host, &r->st->script_ok);
	if (w == SW_TJ_SAME)
		return SW_OK;
#ifdef SW_TJ_HAVE_BASELINE
	if (r->ctx->base) {
		if (sw_baseline_has_host(r->ctx->base, host))
			return SW_OK;
		why = nd->off < r->html_start || nd->off >= r->html_end ? "outside-html" :
		      "not-in-baseline";
		return sw_an_emit(r->ctx, &(struct sw_an_hit){.key = "trojan.foreign_script",
				  .sev = -1, .confidence = w == SW_TJ_UNKNOWN ? 0.75 : 0.85,
				  .technique = why, .off = nd->off, .len = nd->len, .target = src},
				  "script from a host the site did not use before: %s", host);
	}
#endif
	/*
	 * Without a baseline an unknown host is medium evidence: honest sites
	 * may use a provider no list knows (add it to rules/allow/).  Where
	 * the tag sits (outside <html>, where injectors append) and cheap or
	 * look-alike hosts make it strong.
	 */
	if (nd->off < r->html_start || nd->off >= r->html_end) {
		why = "outside-html";
		conf = 0.85;
	} else if ((why = sw_host_shady(host)) != NULL) {
		conf = 0.75;
	} else {
		/* Not in the allow lists (rules/allow/: analytics, CDNs, maps,
		 * the badge, every .gov.cn and .edu.cn): reported, at medium
		 * severity, since the definition of an injected script
		 * is exactly "from a domain the site does not use". */
		why = "unknown-host";
		conf = 0.6;
		sev = SW_SEV_MEDIUM;
	}
	if (w == SW_TJ_UNKNOWN)
		conf -= 0.1;
	return sw_an_emit(r->ctx, &(struct sw_an_hit){.key = "trojan.foreign_script", .sev = sev,
			  .confidence = conf, .technique = why, .off = nd->off, .len = nd->len,
			  .target = src},
			  "script from unknown host %s", host);
}
