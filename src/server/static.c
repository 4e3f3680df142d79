/*
 * static.c - serves the dashboard's embedded files (webfiles.h).
 *
 * The files are a sorted table compiled into the binary, so a request can
 * only ever reach one of them: a path is looked up as an exact string,
 * never joined to a directory, which rules out traversal ("/../etc/passwd"
 * is simply not in the table) whatever the server's decoding did.  Every
 * answer carries the file's ETag; a matching If-None-Match gets 304
 * without a body.  The dashboard's own files change with each build, so
 * they are revalidated ("no-cache"); the bundled ECharts under /vendor/
 * changes only with its version, which is in its ETag as well, and is
 * revalidated the same way: one 304 per page load is cheap on the
 * operations networks this runs on, and it never serves a stale chart
 * library after an upgrade.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/http.h"
#include "server/webfiles.h"

/* Longest URL path looked up; longer ones cannot be table entries. */
#define STATIC_PATH_MAX 256

/* Content types by file extension; the first match wins. */
static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".csv", "text/csv; charset=utf-8"},
};

/* bsearch comparator: a path string against a table entry. */
static int webfile_cmp(const void *key, const void *ent)
{
	return strcmp(key, ((const struct sw_webfile *)ent)->path);
}

/* See webfiles.h. */
const struct sw_webfile *sw_webfile_find(const char *path)
{
	if (!path || path[0] != '/' || strlen(path) > STATIC_PATH_MAX)
		return NULL;
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	return bsearch(path, sw_webfiles, sw_webfiles_count, sizeof sw_webfiles[0], webfile_cmp);
}

/* The Content-Type for a path, by its extension; a static string. */
static const char *content_type(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);
		if (n >= e && strcmp(path + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* Says whether an If-None-Match header value names etag: "*" or a
 * comma-separated list containing it (weak "W/" forms compare equal, as
 * RFC 9110 asks for If-None-Match).  The header is the client's, so it is
 * scanned, never copied. */
static int etag_matches(const char *inm, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (strncmp(p, etag, el) == 0 && (p[el] == '\0' || p[el] == ',' || p[el] == ' ' ||
						  p[el] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

/* See http.h.  GET and HEAD both get the body: the server sends only the
 * headers for HEAD, with the same Content-Length. */
int sw_static_serve(const struct sw_req *rq, struct sw_resp *rs)
{
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
		return 1;
	if (strncmp(rq->path, "/api/", 5) == 0 || strcmp(rq->path, "/api") == 0)
		return 1;
	const struct sw_webfile *f = sw_webfile_find(rq->path);
	if (!f)
		return 1;
	snprintf(rs->etag, sizeof rs->etag, "%s", f->etag);
	rs->cache_control = "no-cache";
	const char *inm = sw_req_header(rq, "If-None-Match");
	if (inm && etag_matches(inm, f->etag)) {
		rs->status = 304;
		return 0;
	}
	char *body = malloc(f->len ? f->len : 1);
	if (!body)
		return sw_resp_error(rs, 500, NULL, "out of memory");
	memcpy(body, f->data, f->len);
	return sw_resp_bytes(rs, 200, content_type(f->path), body, f->len);
}
