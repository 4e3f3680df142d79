/*
 * exposure_paths.c - which leaking paths to ask for and how to tell a real
 * leak from a soft 404 (rules in exposure_paths.h).
 *
 * Each content test looks only at the first bytes the real file always
 * has (archive signatures, a git ref) or at a few lines of text, and
 * rejects HTML: a soft-404 or home page served for every path is HTML,
 * while none of these files is.  The one exception is phpinfo, which is
 * HTML and is recognised by its own headings.
 */
#include "probe/exposure_paths.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOK 4096  /* bytes of a body the text tests read */
#define HEAD 64    /* bytes of a body quoted in the evidence */

/* True when the len bytes of body begin with the n bytes of sig. */
static int starts(const char *body, size_t len, const char *sig, size_t n)
{
	return len >= n && memcmp(body, sig, n) == 0;
}

/* True when the first LOOK bytes of body contain lit, ignoring ASCII case. */
static int has(const char *body, size_t len, const char *lit)
{
	size_t k = strlen(lit), i, j;

	if (len > LOOK)
		len = LOOK;
	for (i = 0; i + k <= len; i++) {
		for (j = 0; j < k; j++) {
			char a = body[i + j], b = lit[j];

			if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != (b >= 'A' && b <= 'Z' ? b + 32 : b))
				break;
		}
		if (j == k)
			return 1;
	}
	return 0;
}

/* True when the body looks like HTML (a soft-404 or home page). */
static int is_html(const char *body, size_t len)
{
	return has(body, len, "<html") || has(body, len, "<!doctype") || has(body, len, "<body") ||
	       has(body, len, "<head") || has(body, len, "<div") || has(body, len, "<script");
}

/* .git/HEAD: "ref: refs/heads/master" or a detached 40-hex commit id. */
static int git_head(const char *b, size_t n)
{
	size_t i;

	if (starts(b, n, "ref: refs/", 10))
		return 1;
	for (i = 0; i < n && i < 40; i++)
		if (!((b[i] >= '0' && b[i] <= '9') || (b[i] >= 'a' && b[i] <= 'f')))
			return 0;
	return i == 40 && (n == 40 || b[40] == '\n' || b[40] == '\r');
}

/* .git/config: an INI file with a [core] section. */
static int git_config(const char *b, size_t n)
{
	return !is_html(b, n) && has(b, n, "[core]") &&
	       (has(b, n, "repositoryformatversion") || has(b, n, "bare ="));
}

/* .svn/entries: a format number line (svn 1.4-1.6) or the old XML form. */
static int svn_entries(const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && i < 4 && b[i] >= '0' && b[i] <= '9')
		i++;
	if (i > 0 && i < n && b[i] == '\n')
		return 1;
	return starts(b, n, "<?xml", 5) && has(b, n, "<wc-entries");
}

/* .svn/wc.db (svn 1.7+): an SQLite database. */
static int sqlite_db(const char *b, size_t n)
{
	return starts(b, n, "SQLite format 3", 16);
}

/* .env: at least two KEY=value lines and no HTML. */
static int dotenv(const char *b, size_t n)
{
	size_t i = 0, lines = 0, end = n < LOOK ? n : LOOK;

	if (is_html(b, n))
		return 0;
	while (i < end && lines < 2) {
		size_t k = i;

		while (k < end && ((b[k] >= 'A' && b[k] <= 'Z') || b[k] == '_' ||
				   (k > i && b[k] >= '0' && b[k] <= '9')))
			k++;
		if (k > i && k < end && b[k] == '=')
			lines++;
		while (i < end && b[i] != '\n')
			i++;
		i++;
	}
	return lines >= 2;
}

/* WEB-INF/web.xml: a Java web application descriptor. */
static int web_xml(const char *b, size_t n)
{
	return has(b, n, "<web-app") && !has(b, n, "<html");
}

/* Archive signatures. */
static int zip(const char *b, size_t n)
{
	return starts(b, n, "PK\x03\x04", 4);
}

static int gzip(const char *b, size_t n)
{
	return starts(b, n, "\x1f\x8b\x08", 3);
}

static int rar(const char *b, size_t n)
{
	return starts(b, n, "Rar!\x1a\x07", 6);
}

static int sevenzip(const char *b, size_t n)
{
	return starts(b, n, "7z\xbc\xaf\x27\x1c", 6);
}

/* A database dump: SQL statements, not a page about SQL. */
static int sql_dump(const char *b, size_t n)
{
	return !is_html(b, n) && (has(b, n, "CREATE TABLE") || has(b, n, "INSERT INTO") ||
				  has(b, n, "-- MySQL dump") || has(b, n, "-- PostgreSQL database dump"));
}

/* phpinfo() output: its title or two of its headings. */
static int phpinfo(const char *b, size_t n)
{
	return has(b, n, "phpinfo()") || (has(b, n, "PHP Version") && has(b, n, "Server API"));
}

static const struct sw_exposure_path paths[] = {
	{"/.git/HEAD", "exposure.vcs", "git repository metadata", git_head},
	{"/.git/config", "exposure.vcs", "git repository configuration", git_config},
	{"/.svn/entries", "exposure.vcs", "Subversion working-copy metadata", svn_entries},
	{"/.svn/wc.db", "exposure.vcs", "Subversion working-copy database", sqlite_db},
	{"/.env", "exposure.env", "environment file with settings and secrets", dotenv},
	{"/WEB-INF/web.xml", "exposure.env", "Java web application descriptor", web_xml},
	{"/www.zip", "exposure.backup", "site backup archive", zip},
	{"/wwwroot.zip", "exposure.backup", "site backup archive", zip},
	{"/web.zip", "exposure.backup", "site backup archive", zip},
	{"/backup.zip", "exposure.backup", "site backup archive", zip},
	{"/www.rar", "exposure.backup", "site backup archive", rar},
	{"/www.7z", "exposure.backup", "site backup archive", sevenzip},
	{"/www.tar.gz", "exposure.backup", "site backup archive", gzip},
	{"/backup.tar.gz", "exposure.backup", "site backup archive", gzip},
	{"/backup.sql", "exposure.backup", "database dump", sql_dump},
	{"/db.sql", "exposure.backup", "database dump", sql_dump},
	{"/phpinfo.php", "exposure.phpinfo", "phpinfo() page", phpinfo},
	{"/info.php", "exposure.phpinfo", "phpinfo() page", phpinfo},
	{"/test.php", "exposure.phpinfo", "phpinfo() page", phpinfo},
};

const struct sw_exposure_path *sw_exposure_paths(size_t *n)
{
	*n = sizeof paths / sizeof paths[0];
	return paths;
}

int sw_exposure_exposed(const struct sw_exposure_path *p, const struct sw_exposure_resp *r,
			const struct sw_exposure_resp *soft404)
{
	if (r == NULL || (r->status != 200 && r->status != 206) || r->len == 0 || r->body == NULL)
		return 0;
	if (soft404 && soft404->body && soft404->len == r->len &&
	    memcmp(soft404->body, r->body, r->len) == 0)
		return 0;
	return p->looks(r->body, r->len);
}

/* The first HEAD bytes of body with non-printable bytes as \xNN, for
 * evidence that is safe to show and store. */
static void head_of(const char *body, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < len && i < HEAD && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c >= 0x20 && c < 0x7F)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
	}
	out[o] = '\0';
}

/* Appends the finding for one exposed path. */
static enum sw_err add(const char *base_url, const struct sw_exposure_path *p,
		       const struct sw_exposure_resp *r, struct sw_findings *out)
{
	char url[2200], head[HEAD * 4 + 8];
	const struct sw_finding_kind *k = sw_finding_kind(p->key);
	json_t *ev;
	char *evs;
	enum sw_err rc;

	snprintf(url, sizeof url, "%s%s", base_url ? base_url : "", p->path);
	head_of(r->body, r->len, head, sizeof head);
	ev = json_pack("{s:s, s:s, s:i, s:I, s:s, s:s}", "url", url, "path", p->path, "status",
		       (int)r->status, "bytes", (json_int_t)r->len, "head", head, "technique",
		       "content-check");
	evs = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (evs == NULL)
		return SW_ENOMEM;
	rc = sw_findings_add(out, p->key, k ? k->sev : SW_SEV_HIGH, evs, "%s exposed at %s",
			     p->what, url);
	free(evs);
	return rc;
}

enum sw_err sw_exposure_judge(const char *base_url, const struct sw_exposure_resp *resp,
			      size_t n, const struct sw_exposure_resp *soft404,
			      struct sw_findings *out)
{
	size_t np = sizeof paths / sizeof paths[0];
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < n && i < np && !rc; i++)
		if (sw_exposure_exposed(&paths[i], &resp[i], soft404))
			rc = add(base_url, &paths[i], &resp[i], out);
	return rc;
}
