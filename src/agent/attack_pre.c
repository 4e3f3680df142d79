/*
 * attack_pre.c - the Vectorscan first pass (attack_pre.h).
 */
#include "agent/attack_pre.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <glob.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/attack_crs.h"

#define MAX_PATTERNS 20000

struct ag_pre {
	hs_database_t *db;
	hs_scratch_t *scratch;
	unsigned n;
	unsigned char *uri_only; /* per pattern id */
	int utf8_check;
};

/* Pattern list being built. */
struct plist {
	char **expr;
	unsigned *flags, *ids;
	unsigned char *uri_only;
	unsigned n, cap;
};

static int plist_add(struct plist *l, char *expr, int uri_only)
{
	if (l->n >= MAX_PATTERNS) {
		free(expr);
		return -1;
	}
	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 256;
		char **e = realloc(l->expr, cap * sizeof *e);
		unsigned *f = e ? realloc(l->flags, cap * sizeof *f) : NULL;
		unsigned *i = f ? realloc(l->ids, cap * sizeof *i) : NULL;
		unsigned char *u = i ? realloc(l->uri_only, cap) : NULL;
		if (e)
			l->expr = e;
		if (f)
			l->flags = f;
		if (i)
			l->ids = i;
		if (u)
			l->uri_only = u;
		if (!u) {
			free(expr);
			return -1;
		}
		l->cap = cap;
	}
	l->expr[l->n] = expr;
	l->flags[l->n] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
	l->ids[l->n] = l->n;
	l->uri_only[l->n] = (unsigned char)uri_only;
	l->n++;
	return 0;
}

static void plist_free(struct plist *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->expr[i]);
	free(l->expr);
	free(l->flags);
	free(l->ids);
	free(l->uri_only);
}

/* A phrase as a regex: every byte but letters and digits as \xHH. */
static char *lit_regex(const char *s, size_t n)
{
	char *r = malloc(n * 4 + 1), *o = r;

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c))
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	*o = '\0';
	return r;
}

/* Adds each phrase of a CRS .data file. */
static void add_data_file(struct plist *l, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\r\n");
		char *e;
		line[n] = '\0';
		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if ((e = lit_regex(line, n)))
			plist_add(l, e, 0);
	}
	fclose(f);
}

/* Every data file that a REQUEST-*.conf names with @pmFromFile/@pmf. */
static int add_crs_data(struct plist *l, const char *dir)
{
	char pat[4200], line[8192], seen[64][128];
	int n_seen = 0, files = 0;
	glob_t g;

	snprintf(pat, sizeof pat, "%s/REQUEST-*.conf", dir);
	if (glob(pat, 0, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			char *p = line;
			while ((p = strstr(p, "@pm"))) {
				char *q = p + 3;
				if (!strncmp(q, "FromFile", 8))
					q += 8;
				else if (*q == 'f')
					q++;
				else {
					p = q;
					continue;
				}
				while (*q == ' ')
					q++;
				/* names up to the closing quote */
				while (*q && *q != '"') {
					char name[128];
					size_t k = strcspn(q, " \"");
					int dup = 0;
					if (k && k < sizeof name && strstr(q, ".data") &&
					    !strncmp(q + k - 5, ".data", 5)) {
						memcpy(name, q, k);
						name[k] = '\0';
						for (int s = 0; s < n_seen; s++)
							dup |= !strcmp(seen[s], name);
						if (!dup && n_seen < 64) {
							char path[4400];
							snprintf(seen[n_seen++], sizeof seen[0], "%s", name);
							snprintf(path, sizeof path, "%s/%s", dir, name);
							add_data_file(l, path);
							files++;
						}
					}
					q += k;
					while (*q == ' ')
						q++;
				}
				p = q;
			}
		}
		fclose(f);
	}
	globfree(&g);
	return files;
}

/* The setup validates UTF-8 when it sets tx.crs_validate_utf8_encoding=1
 * on a line that is not a comment. */
static int setup_validates_utf8(const char *setup)
{
	char line[4096];
	int on = 0;
	FILE *f = fopen(setup, "r");

	if (!f)
		return 1; /* unknown: be safe */
	while (fgets(line, sizeof line, f)) {
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '#' && strstr(s, "tx.crs_validate_utf8_encoding=1"))
			on = 1;
	}
	fclose(f);
	return on;
}

enum sw_err ag_pre_new(const char *crs_setup, const char *crs_rules, const char *vocab,
		       struct ag_pre **out, struct sw_errbuf *eb)
{
	struct plist l = {0};
	struct ag_pre *p = calloc(1, sizeof *p);
	hs_compile_error_t *cerr = NULL;
	const char *s;
	enum sw_err rc = SW_OK;

	if (!p)
		return SW_ENOMEM;
	if (!vocab) {
		const struct ag_text_file *f = ag_attack_file("prefilter.txt");
		vocab = f ? f->text : "";
	}
	for (s = vocab; *s;) {
		size_t n = strcspn(s, "\n");
		if (n > 2 && (s[0] == 'u' || s[0] == 'a') && s[1] == ' ') {
			char *e = strndup(s + 2, n - 2);
			if (!e || plist_add(&l, e, s[0] == 'u')) {
				rc = SW_ENOMEM;
				goto out;
			}
		}
		s += n + (s[n] == '\n');
	}
	if (l.n == 0) {
		rc = sw_errf(eb, SW_EINVAL, "the first pass has no vocabulary (prefilter.txt)");
		goto out;
	}
	if (add_crs_data(&l, crs_rules) == 0) {
		rc = sw_errf(eb, SW_EINVAL, "no CRS phrase lists found in %s", crs_rules);
		goto out;
	}
	if (hs_compile_multi((const char *const *)l.expr, l.flags, l.ids, l.n, HS_MODE_BLOCK, NULL,
			     &p->db, &cerr) != HS_SUCCESS) {
		rc = sw_errf(eb, SW_EINVAL, "first-pass pattern %d ('%.100s'): %s",
			     cerr ? cerr->expression : -1,
			     cerr && cerr->expression >= 0 ? l.expr[cerr->expression] : "",
			     cerr ? cerr->message : "?");
		hs_free_compile_error(cerr);
		goto out;
	}
	if (hs_alloc_scratch(p->db, &p->scratch) != HS_SUCCESS) {
		rc = SW_ENOMEM;
		goto out;
	}
	p->n = l.n;
	p->uri_only = l.uri_only;
	l.uri_only = NULL;
	p->utf8_check = setup_validates_utf8(crs_setup);
out:
	plist_free(&l);
	if (rc) {
		ag_pre_free(p);
		return rc;
	}
	*out = p;
	return SW_OK;
}

void ag_pre_free(struct ag_pre *p)
{
	if (!p)
		return;
	hs_free_scratch(p->scratch);
	hs_free_database(p->db);
	free(p->uri_only);
	free(p);
}

unsigned ag_pre_patterns(const struct ag_pre *p)
{
	return p->n;
}

struct scan_ctx {
	const struct ag_pre *p;
	int header; /* scanning a header: "u" patterns do not apply */
	int hit;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
		    void *arg)
{
	struct scan_ctx *c = arg;

	(void)from, (void)to, (void)flags;
	if (c->header && c->p->uri_only[id])
		return 0;
	c->hit = 1;
	return 1; /* stop */
}

static int scan(struct ag_pre *p, const char *s, size_t n, int header)
{
	struct scan_ctx c = {p, header, 0};

	if (!n)
		return 0;
	hs_scan(p->db, s, (unsigned)n, 0, p->scratch, on_match, &c);
	return c.hit;
}

static int method_ok(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "POST") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

static int proto_ok(const char *v)
{
	return !*v || !strcmp(v, "HTTP/1.1") || !strcmp(v, "HTTP/1.0") || !strcmp(v, "HTTP/2.0") ||
	       !strcmp(v, "HTTP/2");
}

/* Raw target: control bytes, spaces, or a '%' that is not an encoding. */
static int raw_odd(const char *u)
{
	for (const unsigned char *s = (const unsigned char *)u; *s; s++) {
		if (*s <= 0x20 || *s == 0x7f)
			return 1;
		if (*s == '%' && !(isxdigit(s[1]) && isxdigit(s[2])) &&
		    !((s[1] == 'u' || s[1] == 'U') && isxdigit(s[2]) && isxdigit(s[3]) &&
		      isxdigit(s[4]) && isxdigit(s[5])))
			return 1;
	}
	return 0;
}

static int has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

static int numeric_host(const char *h)
{
	char b[256];
	unsigned char a[16];
	size_t n = strcspn(h, ":");

	if (h[0] == '[')
		return 1;
	if (n >= sizeof b)
		return 0;
	memcpy(b, h, n);
	b[n] = '\0';
	return inet_pton(AF_INET, b, a) == 1;
}

int ag_pre_check(struct ag_pre *p, const struct ag_logrec *r, const char *host)
{
	char d[8192];
	size_t n;
	int bad_utf8, leftover;

	if (!r->has_request)
		return 0; /* the rules are not run on it either */
	if (!method_ok(r->method) || !proto_ok(r->proto) || r->uri[0] != '/' || raw_odd(r->uri))
		return 1;
	if (numeric_host(r->host[0] ? r->host : host ? host : ""))
		return 1;
	if (scan(p, r->uri, strlen(r->uri), 0))
		return 1;
	n = ag_log_decode(r->uri, strlen(r->uri), d, sizeof d, &bad_utf8, &leftover);
	if (leftover || has_ctl(d, n) || (bad_utf8 && p->utf8_check) || scan(p, d, n, 0))
		return 1;
	if (r->ua[0]) {
		if (scan(p, r->ua, strlen(r->ua), 1) || has_ctl(r->ua, strlen(r->ua)))
			return 1;
		n = ag_log_decode(r->ua, strlen(r->ua), d, sizeof d, NULL, &leftover);
		if (scan(p, d, n, 1) || has_ctl(d, n))
			return 1;
	}
	if (r->referer[0]) {
		if (scan(p, r->referer, strlen(r->referer), 1) ||
		    has_ctl(r->referer, strlen(r->referer)))
			return 1;
		n = ag_log_decode(r->referer, strlen(r->referer), d, sizeof d, NULL, &leftover);
		if (scan(p, d, n, 1) || has_ctl(d, n))
			return 1;
	}
	return 0;
}
