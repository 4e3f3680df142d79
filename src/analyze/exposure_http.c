/*
 * exposure_http.c - exposure findings drawn from the HTTP exchange rather
 * than the page's words: version banners, missing security headers and
 * mixed content (rules in exposure_int.h).
 *
 * Banners: a product name alone ("nginx", "ASP.NET") tells an attacker
 * little; a version number ("nginx/1.18.0", "PHP/5.6.40") tells him which
 * published flaws to try, so only values with a version are reported.
 * Security headers are judged on successful HTML answers only: an error
 * page or an image without CSP is not what a visitor's browser renders as
 * the site.  X-Frame-Options is not missing when the CSP already says
 * frame-ancestors, which replaces it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/exposure_hdr.h"
#include "analyze/exposure_int.h"

#define MAX_MIXED 64 /* mixed-content hits reported per page (findings merge by host) */

/* Fields that carry software names and, often, versions. */
static const char *const banner_fields[] = {
	"Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Generator",
};

/* True when the n bytes at p contain a version number: digits, a dot,
 * a digit ("2.4", "1.18.0", "4.0.30319"). */
static int has_version(const char *p, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (p[i] >= '0' && p[i] <= '9' && p[i + 1] == '.' && p[i + 2] >= '0' &&
		    p[i + 2] <= '9')
			return 1;
	return 0;
}

/* Copies the n bytes at p into buf (cap bytes) with control bytes
 * replaced, so a hostile header cannot break a title or a log line. */
static void copy_clean(char *buf, size_t cap, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++)
		buf[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7F ? '?' : p[i];
	buf[i] = '\0';
}

/* One finding per banner field that shows a version. */
static enum sw_err check_banners(struct sw_an_ctx *ctx)
{
	const struct sw_an_page *pg = ctx->page;
	struct sw__hdr_val v;
	char val[160], tech[40];
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < sizeof banner_fields / sizeof banner_fields[0] && !rc; i++) {
		if (!sw__hdr_get(pg->headers, pg->headers_len, banner_fields[i], &v) ||
		    !has_version(v.p, v.n))
			continue;
		copy_clean(val, sizeof val, v.p, v.n);
		snprintf(tech, sizeof tech, "%s", banner_fields[i]);
		for (char *c = tech; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		rc = sw_an_emit(ctx,
				&(struct sw_an_hit){.key = "exposure.banner", .sev = -1,
						    .confidence = 0.95, .technique = tech,
						    .off = SW_NONE, .detail = val},
				"%s header shows the software version: %s", banner_fields[i], val);
	}
	return rc;
}

/* True when url starts with scheme (e.g. "https://"), any case, after blanks. */
static int url_is(const char *url, const char *scheme)
{
	if (url == NULL)
		return 0;
	while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r' || *url == '\f')
		url++;
	return strncasecmp(url, scheme, strlen(scheme)) == 0;
}

/* Missing CSP / X-Frame-Options / HSTS, as one finding listing them. */
static enum sw_err check_security_headers(struct sw_an_ctx *ctx)
{
	const struct sw_an_page *pg = ctx->page;
	struct sw__hdr_val v, csp;
	char missing[160] = "";
	int has_csp, n = 0;

	if (pg->status && (pg->status < 200 || pg->status >= 300))
		return SW_OK;
	if (sw__hdr_get(pg->headers, pg->headers_len, "Content-Type", &v) &&
	    !sw__hdr_has(v.p, v.n, "html"))
		return SW_OK;
	has_csp = sw__hdr_get(pg->headers, pg->headers_len, "Content-Security-Policy", &csp);
	if (!has_csp)
		n++, strcat(missing, "Content-Security-Policy");
	if (!sw__hdr_get(pg->headers, pg->headers_len, "X-Frame-Options", &v) &&
	    !(has_csp && sw__hdr_has(csp.p, csp.n, "frame-ancestors")))
		strcat(missing, n++ ? ", X-Frame-Options" : "X-Frame-Options");
	if (url_is(pg->url, "https://") &&
	    !sw__hdr_get(pg->headers, pg->headers_len, "Strict-Transport-Security", &v))
		strcat(missing, n++ ? ", Strict-Transport-Security" : "Strict-Transport-Security");
	if (n == 0)
		return SW_OK;
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = "exposure.header_missing", .sev = SW_SEV_LOW,
					      .confidence = 0.95, .technique = "missing",
					      .off = SW_NONE, .detail = missing},
			  "response lacks security headers: %s", missing);
}

enum sw_err sw__ex_headers(struct sw_an_ctx *ctx)
{
	enum sw_err rc;

	if (ctx->page->headers == NULL || ctx->page->headers_len == 0)
		return SW_OK;
	rc = check_banners(ctx);
	return rc ? rc : check_security_headers(ctx);
}

/* What node i loads and how it is called, or NULL when it loads nothing
 * that counts (links other than stylesheets, anchors ...). */
static const char *loaded_url(const struct sw_doc *d, uint32_t i, const char **what, int *active)
{
	const struct sw_node *nd = &d->nodes[i];
	const char *rel;

	*active = 1;
	switch (nd->tag) {
	case SW_TAG_SCRIPT:
		return *what = "script", sw_doc_attr(d, i, "src");
	case SW_TAG_IFRAME:
	case SW_TAG_FRAME:
		return *what = "iframe", sw_doc_attr(d, i, "src");
	case SW_TAG_EMBED:
		return *what = "object", sw_doc_attr(d, i, "src");
	case SW_TAG_OBJECT:
		return *what = "object", sw_doc_attr(d, i, "data");
	case SW_TAG_LINK:
		rel = sw_doc_attr(d, i, "rel");
		if (rel == NULL || !sw__hdr_has(rel, strlen(rel), "stylesheet"))
			return NULL;
		return *what = "stylesheet", sw_doc_attr(d, i, "href");
	case SW_TAG_IMG:
		*active = 0;
		return *what = "image", sw_doc_attr(d, i, "src");
	default:
		break;
	}
	if (nd->name && (strcmp(nd->name, "audio") == 0 || strcmp(nd->name, "video") == 0 ||
			 strcmp(nd->name, "source") == 0)) {
		*active = 0;
		return *what = "media", sw_doc_attr(d, i, "src");
	}
	return NULL;
}

enum sw_err sw__ex_mixed(struct sw_an_ctx *ctx)
{
	const struct sw_doc *d = ctx->doc;
	enum sw_err rc = SW_OK;
	int hits = 0, active;
	const char *what, *u;

	if (!url_is(ctx->page->url, "https://"))
		return SW_OK;
	for (uint32_t i = 0; i < d->n && !rc && hits < MAX_MIXED; i++) {
		const struct sw_node *nd = &d->nodes[i];

		/* <noscript> and <template> content never loads for a visitor. */
		if (nd->type != SW_NODE_ELEMENT ||
		    (nd->hide & (SW_HIDE(TEMPLATE) | SW_HIDE(NOSCRIPT))))
			continue;
		u = loaded_url(d, i, &what, &active);
		if (!url_is(u, "http://"))
			continue;
		hits++;
		rc = sw_an_emit(ctx,
				&(struct sw_an_hit){.key = "exposure.mixed_content",
						    .sev = active ? SW_SEV_MEDIUM : -1,
						    .confidence = 0.95, .technique = what,
						    .off = nd->off, .len = nd->len, .target = u},
				"https page loads %s %s over plain http", what, u);
	}
	return rc;
}
