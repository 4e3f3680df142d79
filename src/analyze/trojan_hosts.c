/*
 * trojan_hosts.c - allow lists of hosts (rules/allow/ *.txt) for the trojan
 * analyzer: which script, frame and redirect hosts are honest.
 *
 * Lists are data so that users add their own providers without a rebuild.
 * They are short (tens to hundreds of lines), so a sorted array searched
 * with bsearch for the host and each of its parent domains is plenty.
 */
#include "analyze/trojan_int.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/rules.h"

/* Growable collection of line pointers while a list loads. */
struct collect {
	char **v;
	size_t n, cap;
};

/* sw_rules_lines callback: keeps one line (lower-cased in place). */
static enum sw_err add_line(char *line, size_t no, void *arg)
{
	struct collect *c = arg;

	(void)no;
	for (char *p = line; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p | 0x20);
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char **v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return SW_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = line;
	return SW_OK;
}

/* qsort/bsearch comparator over char * elements. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum sw_err sw__tj_hosts_load(const char *dir, const char *path, struct sw__tj_hosts *h,
			      struct sw_errbuf *eb)
{
	struct collect c = {NULL, 0, 0};
	enum sw_err rc;

	memset(h, 0, sizeof *h);
	rc = sw_rules_read(dir, path, &h->buf, NULL, eb);
	if (rc == SW_ENOTFOUND) {
		sw_errbuf_clear(eb);
		return SW_OK;
	}
	if (rc)
		return rc;
	rc = sw_rules_lines(h->buf, add_line, &c);
	if (rc) {
		free(c.v);
		free(h->buf);
		h->buf = NULL;
		return sw_errf(eb, rc, "cannot load %s", path);
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, cmp_str);
	h->v = c.v;
	h->n = c.n;
	return SW_OK;
}

void sw__tj_hosts_cleanup(struct sw__tj_hosts *h)
{
	if (!h)
		return;
	free(h->v);
	free(h->buf);
	memset(h, 0, sizeof *h);
}

/* True when s is an entry of h. */
static int has(const struct sw__tj_hosts *h, const char *s)
{
	return h->n && bsearch(&s, h->v, h->n, sizeof *h->v, cmp_str) != NULL;
}

int sw__tj_hosts_match(const struct sw__tj_hosts *h, const char *host)
{
	if (!h || !host || !*host)
		return 0;
	if (has(h, host))
		return 1;
	/* ".example.cn" allows example.cn itself and every host below it. */
	char dotted[300];
	size_t len = strlen(host);
	if (len + 2 > sizeof dotted)
		return 0;
	dotted[0] = '.';
	memcpy(dotted + 1, host, len + 1);
	for (const char *p = dotted; p; p = strchr(p + 1, '.'))
		if (has(h, p))
			return 1;
	return 0;
}
