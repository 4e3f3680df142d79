/*
 * api_monitor_text.c - visible text of a page as lines, and a bounded
 * line diff (see api_monitor.h).
 *
 * Pages are hostile: the parser runs with limits (bytes, nodes, depth)
 * and everything here is a single pass over its flat node array, so time
 * and memory follow the limits, not the page.  The diff trims the common
 * head and tail first (a defaced page usually keeps its frame) and runs a
 * quadratic LCS only on a middle that fits SW_DIFF_CELLS_MAX cells.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/doc.h"
#include "io/charset.h"
#include "server/api_monitor.h"

/* Elements that start a line of their own. */
static int is_block(const struct sw_node *n)
{
	static const char *const other[] = {"dt", "dd", "blockquote", "pre", "th", "address",
					    "figure", "figcaption", "hr", "caption", "legend", NULL};

	if (n->type != SW_NODE_ELEMENT)
		return 0;
	switch (n->tag) {
	case SW_TAG_P: case SW_TAG_DIV: case SW_TAG_LI: case SW_TAG_TR: case SW_TAG_TD:
	case SW_TAG_TABLE: case SW_TAG_UL: case SW_TAG_OL: case SW_TAG_H1: case SW_TAG_H2:
	case SW_TAG_H3: case SW_TAG_H4: case SW_TAG_H5: case SW_TAG_H6: case SW_TAG_BR:
	case SW_TAG_CENTER: case SW_TAG_FORM: case SW_TAG_SECTION: case SW_TAG_ARTICLE:
	case SW_TAG_HEADER: case SW_TAG_FOOTER: case SW_TAG_NAV: case SW_TAG_MAIN:
	case SW_TAG_ASIDE: case SW_TAG_BODY: case SW_TAG_DETAILS: case SW_TAG_DIALOG:
	case SW_TAG_OPTION:
		return 1;
	case SW_TAG_OTHER:
		for (int i = 0; other[i]; i++)
			if (n->name && !strcmp(n->name, other[i]))
				return 1;
		return 0;
	default:
		return 0;
	}
}

/* The line being built. */
struct line {
	char buf[SW_DIFF_LINE_MAX + 1];
	size_t len;
	int space; /* a blank is pending */
};

/* Appends text with runs of blanks collapsed, cut at the line's size on
 * a UTF-8 boundary. */
static void line_add(struct line *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			l->space = l->len > 0;
			continue;
		}
		if (l->space && l->len < SW_DIFF_LINE_MAX)
			l->buf[l->len++] = ' ';
		l->space = 0;
		if (l->len >= SW_DIFF_LINE_MAX)
			return; /* line_end drops a character cut in two */
		l->buf[l->len++] = (char)c;
	}
}

/* Ends the current line into t (dropping it when empty); -1 on ENOMEM. */
static int line_end(struct line *l, struct sw_text_lines *t)
{
	size_t len = l->len;

	while (len > 0 && ((unsigned char)l->buf[len - 1] & 0xc0) == 0x80 &&
	       l->len >= SW_DIFF_LINE_MAX)
		len--; /* do not end a cut line inside a character */
	if (len && l->len >= SW_DIFF_LINE_MAX && ((unsigned char)l->buf[len - 1] & 0xc0) == 0xc0)
		len--;
	l->len = 0;
	l->space = 0;
	if (!len || t->n >= SW_DIFF_LINES_MAX)
		return 0;
	if (!(t->v[t->n] = strndup(l->buf, len)))
		return -1;
	t->n++;
	return 0;
}

/* Walks the doc's visible body text into t. */
static enum sw_err doc_lines(const struct sw_doc *d, struct sw_text_lines *t)
{
	uint32_t *blk = malloc((d->n ? d->n : 1) * sizeof *blk);
	struct line *l = calloc(1, sizeof *l);
	uint32_t cur = SW_NONE;
	enum sw_err rc = SW_OK;

	if (!blk || !l) {
		rc = SW_ENOMEM;
		goto out;
	}
	/* Parents come before children: one pass finds each node's block. */
	for (size_t i = 0; i < d->n; i++) {
		const struct sw_node *n = &d->nodes[i];

		blk[i] = is_block(n) ? (uint32_t)i : n->parent == SW_NONE ? SW_NONE : blk[n->parent];
	}
	for (size_t i = 0; i < d->n && t->n < SW_DIFF_LINES_MAX; i++) {
		const struct sw_node *n = &d->nodes[i];

		if (n->type == SW_NODE_ELEMENT && n->tag == SW_TAG_BR) {
			cur = SW_NONE; /* the next text starts a line */
			continue;
		}
		if (n->type != SW_NODE_TEXT || (n->flags & (SW_NODE_IN_HEAD | SW_NODE_RAW_TEXT)) ||
		    !sw_doc_visible(d, (uint32_t)i) || !n->text)
			continue;
		if (blk[i] != cur && line_end(l, t)) {
			rc = SW_ENOMEM;
			goto out;
		}
		cur = blk[i];
		line_add(l, n->text, n->text_len);
	}
	if (line_end(l, t))
		rc = SW_ENOMEM;
out:
	free(blk);
	free(l);
	return rc;
}

enum sw_err sw_text_lines_of(const char *html, size_t len, struct sw_text_lines *out,
			     struct sw_errbuf *eb)
{
	struct sw_doc_limits lim;
	struct sw_doc *d = NULL;
	enum sw_charset cs;
	char *utf8 = NULL;
	size_t ulen = 0;
	enum sw_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = sw_charset_to_utf8(html, len, &utf8, &ulen, &cs, eb)))
		return rc;
	sw_doc_limits_init(&lim);
	lim.max_bytes = 4u << 20;
	lim.max_nodes = 200000;
	lim.max_depth = 256;
	if (!(out->v = calloc(SW_DIFF_LINES_MAX, sizeof *out->v)) ||
	    (rc = sw_doc_parse(utf8, ulen, &lim, &d, eb)) == SW_OK) {
		if (!out->v)
			rc = SW_ENOMEM;
		else if (!(rc = doc_lines(d, out)))
			rc = (out->title = strdup(d->title_text ? d->title_text : "")) ? SW_OK : SW_ENOMEM;
	}
	sw_doc_free(d);
	/* A request thread parses rarely: do not keep a parser per thread. */
	sw_doc_thread_cleanup();
	free(utf8);
	if (rc)
		sw_text_lines_free(out);
	return rc;
}

void sw_text_lines_free(struct sw_text_lines *t)
{
	for (size_t i = 0; t->v && i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->title);
	memset(t, 0, sizeof *t);
}

/* Appends one op. */
static void put(struct sw_diff_line *o, size_t *n, enum sw_diff_op op, size_t i)
{
	o[*n].op = op;
	o[(*n)++].i = i;
}

/* The LCS diff of a[0..na) and b[0..nb) (already trimmed), offsets
 * ao/bo added to the indexes; na * nb fits SW_DIFF_CELLS_MAX. */
static enum sw_err lcs(char *const *a, size_t na, char *const *b, size_t nb, size_t ao, size_t bo,
		       struct sw_diff_line *o, size_t *n)
{
	size_t w = nb + 1, i = 0, j = 0;
	/* L[i][j]: LCS length of a[i..] and b[j..]; lines are at most
	 * SW_DIFF_LINES_MAX, so 16 bits hold it. */
	uint16_t *L = calloc((na + 1) * w, sizeof *L);

	if (!L)
		return SW_ENOMEM;
	for (size_t x = na; x-- > 0;)
		for (size_t y = nb; y-- > 0;)
			L[x * w + y] = !strcmp(a[x], b[y]) ? (uint16_t)(L[(x + 1) * w + y + 1] + 1)
			: L[(x + 1) * w + y] >= L[x * w + y + 1] ? L[(x + 1) * w + y]
								 : L[x * w + y + 1];
	while (i < na && j < nb) {
		if (!strcmp(a[i], b[j]))
			put(o, n, SW_DIFF_SAME, ao + i++), j++;
		else if (L[(i + 1) * w + j] >= L[i * w + j + 1])
			put(o, n, SW_DIFF_DEL, ao + i++);
		else
			put(o, n, SW_DIFF_ADD, bo + j++);
	}
	while (i < na)
		put(o, n, SW_DIFF_DEL, ao + i++);
	while (j < nb)
		put(o, n, SW_DIFF_ADD, bo + j++);
	free(L);
	return SW_OK;
}

enum sw_err sw_diff_lines(char *const *a, size_t na, char *const *b, size_t nb,
			  struct sw_diff_line **out, size_t *nout)
{
	struct sw_diff_line *o = malloc((na + nb + 1) * sizeof *o);
	size_t head = 0, tail = 0, n = 0, ma, mb;
	enum sw_err rc = SW_OK;

	*out = NULL;
	*nout = 0;
	if (!o)
		return SW_ENOMEM;
	while (head < na && head < nb && !strcmp(a[head], b[head]))
		head++;
	while (tail < na - head && tail < nb - head && !strcmp(a[na - 1 - tail], b[nb - 1 - tail]))
		tail++;
	for (size_t i = 0; i < head; i++)
		put(o, &n, SW_DIFF_SAME, i);
	ma = na - head - tail;
	mb = nb - head - tail;
	if (ma && mb && ma <= SW_DIFF_CELLS_MAX / mb && ma < 65535 && mb < 65535) {
		rc = lcs(a + head, ma, b + head, mb, head, head, o, &n);
	} else {
		for (size_t i = 0; i < ma; i++)
			put(o, &n, SW_DIFF_DEL, head + i);
		for (size_t j = 0; j < mb; j++)
			put(o, &n, SW_DIFF_ADD, head + j);
	}
	for (size_t i = 0; i < tail; i++)
		put(o, &n, SW_DIFF_SAME, na - tail + i);
	if (rc) {
		free(o);
		return rc;
	}
	*out = o;
	*nout = n;
	return SW_OK;
}
