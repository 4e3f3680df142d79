/*
 * links.c - the same-site links of a parsed page, for the monitoring
 * engine's bounded crawl (analyze.h, sw_an_links_collect).
 *
 * The rule, chosen so that the crawl stays on the site's own connection
 * and cannot be steered by a page:
 *  - links of <a>, <area>, <frame> and <iframe>, in document order,
 *    resolved against <base href> (itself resolved against the page) or
 *    the page's URL;
 *  - same origin only: the page's scheme, host and port.  Other hosts of
 *    the same registrable domain are usually other registered sites (a
 *    portal's departments), checked on their own schedule;
 *  - http and https only, no user name or password, the fragment dropped,
 *    at most SW_AN_LINK_LEN bytes;
 *  - nothing that looks like an action (logout, delete, remove ...): a
 *    crawler that follows a "delete" link of an admin page left open does
 *    damage, and none of them is a page a visitor reads;
 *  - nothing that ends in the extension of a large or non-HTML file
 *    (documents, archives, images, media, executables): the body would be
 *    fetched up to the cap for nothing to analyse;
 *  - each URL once, the page itself not, at most out->max.
 * Only the first LINKS_SCAN anchors are looked at: a hostile page of a
 * million links costs a bounded amount.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyze.h"

#define LINKS_SCAN 5000 /* link elements looked at per page */

void sw_an_links_cleanup(struct sw_an_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Extensions of files that are not pages (lower case, with the dot). */
static const char *const skip_ext[] = {
	".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".odt",
	".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".exe", ".msi",
	".apk", ".ipa", ".dmg", ".iso", ".bin", ".img", ".jar", ".mp3", ".mp4", ".avi",
	".mov", ".wmv", ".flv", ".mkv", ".wav", ".ogg", ".webm", ".m4a", ".jpg", ".jpeg",
	".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".tif", ".tiff", ".psd", ".css",
	".js", ".json", ".xml", ".txt", ".csv", ".woff", ".woff2", ".ttf", ".eot", ".swf",
	".dwg", ".caj", ".ofd",
};

/* Words in a path or query that say "this link does something". */
static const char *const skip_word[] = {
	"logout", "log_out", "log-out", "signout", "sign_out", "sign-out", "logoff",
	"delete", "remove", "destroy", "unsubscribe", "purge", "action=del", "op=del",
	"/del/", "/admin", "uninstall",
};

/* True when path (not NUL-terminated, n bytes) ends in a skipped extension. */
static int bad_ext(const char *path, size_t n)
{
	for (size_t i = 0; i < sizeof skip_ext / sizeof skip_ext[0]; i++) {
		size_t l = strlen(skip_ext[i]);

		if (n >= l && strncasecmp(path + n - l, skip_ext[i], l) == 0)
			return 1;
	}
	return 0;
}

int sw_an_link_crawlable(const char *path_query)
{
	size_t n = strcspn(path_query, "?");
	char low[SW_AN_LINK_LEN + 1];
	size_t k = 0;

	if (bad_ext(path_query, n))
		return 0;
	for (; path_query[k] && k < SW_AN_LINK_LEN; k++)
		low[k] = (char)tolower((unsigned char)path_query[k]);
	low[k] = '\0';
	for (size_t i = 0; i < sizeof skip_word / sizeof skip_word[0]; i++)
		if (strstr(low, skip_word[i]))
			return 0;
	return 1;
}

/* scheme, host and port of h as one string ("https://a.example:443") into
 * buf; 0 when any part is missing. */
static int origin_of(CURLU *h, char *buf, size_t cap)
{
	char *scheme = NULL, *host = NULL, *port = NULL;
	int ok = 0;

	if (!curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(h, CURLUPART_HOST, &host, 0) &&
	    !curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
		for (char *p = host; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		ok = (size_t)snprintf(buf, cap, "%s://%s:%s", scheme, host, port) < cap;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	return ok;
}

/* Resolves href against base (a URL handle, untouched) and, when the result
 * passes the rule above, returns it as a new string (caller frees). */
static char *resolve(CURLU *base, const char *origin, const char *href)
{
	CURLU *h = curl_url_dup(base);
	char o[600], *user = NULL, *pq = NULL, *path = NULL, *query = NULL, *url = NULL;
	size_t hl = strlen(href);

	if (!h || hl == 0 || hl > SW_AN_LINK_LEN ||
	    curl_url_set(h, CURLUPART_URL, href, 0) ||
	    !origin_of(h, o, sizeof o) || strcmp(o, origin) != 0 ||
	    curl_url_get(h, CURLUPART_USER, &user, 0) != CURLUE_NO_USER)
		goto out;
	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	/* The host in lower case, so that one page is one URL. */
	if (!curl_url_get(h, CURLUPART_HOST, &path, 0)) {
		for (char *p = path; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		curl_url_set(h, CURLUPART_HOST, path, 0);
	}
	curl_free(path);
	path = NULL;
	if (curl_url_get(h, CURLUPART_PATH, &path, 0))
		goto out;
	if (curl_url_get(h, CURLUPART_QUERY, &query, 0))
		query = NULL;
	if (!(pq = malloc(strlen(path) + (query ? strlen(query) : 0) + 2)))
		goto out;
	strcpy(pq, path);
	if (query)
		strcat(strcat(pq, "?"), query);
	if (!sw_an_link_crawlable(pq) || curl_url_get(h, CURLUPART_URL, &url, 0))
		goto out;
	if (strlen(url) > SW_AN_LINK_LEN) {
		curl_free(url);
		url = NULL;
	}
out:
	free(pq);
	curl_free(user);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	if (url) {
		char *mine = strdup(url);

		curl_free(url);
		return mine;
	}
	return NULL;
}

/* The attribute of node i that holds its link, or NULL. */
static const char *link_attr(const struct sw_doc *d, uint32_t i)
{
	switch (d->nodes[i].tag) {
	case SW_TAG_A:
	case SW_TAG_AREA:
		return sw_doc_attr(d, i, "href");
	case SW_TAG_FRAME:
	case SW_TAG_IFRAME:
		return sw_doc_attr(d, i, "src");
	default:
		return NULL;
	}
}

/* True when url is the page itself or already in out. */
static int known(const struct sw_an_links *out, const char *self, const char *url)
{
	if (self && strcmp(self, url) == 0)
		return 1;
	for (size_t k = 0; k < out->n; k++)
		if (strcmp(out->v[k], url) == 0)
			return 1;
	return 0;
}

enum sw_err sw_an_links_collect(const struct sw_doc *d, const char *page_url,
				struct sw_an_links *out)
{
	CURLU *base = NULL;
	char origin[600], *self = NULL;
	size_t max = out->max < SW_AN_LINKS_MAX ? out->max : SW_AN_LINKS_MAX, scanned = 0;
	enum sw_err rc = SW_OK;

	if (!page_url || max == 0 || out->n >= max)
		return SW_OK;
	if (!(base = curl_url()))
		return SW_ENOMEM;
	if (curl_url_set(base, CURLUPART_URL, page_url, 0) ||
	    !origin_of(base, origin, sizeof origin))
		goto out;
	curl_url_set(base, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(base, CURLUPART_URL, &self, 0))
		self = NULL;
	/* <base href> moves where relative links point (on the same origin
	 * only: a base elsewhere makes every relative link off-site). */
	for (uint32_t i = 0; i < d->n; i++) {
		const char *b;

		if (d->nodes[i].tag == SW_TAG_BASE && (b = sw_doc_attr(d, i, "href"))) {
			if (*b && curl_url_set(base, CURLUPART_URL, b, 0))
				goto out;
			break;
		}
	}
	for (uint32_t i = 0; i < d->n && out->n < max && scanned < LINKS_SCAN; i++) {
		const char *href = link_attr(d, i);
		char *url;

		if (!href)
			continue;
		scanned++;
		while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r')
			href++;
		if (!*href || *href == '#' || !(url = resolve(base, origin, href)))
			continue;
		if (known(out, self, url))
			free(url);
		else
			out->v[out->n++] = url;
	}
out:
	curl_free(self);
	curl_url_cleanup(base);
	return rc;
}
