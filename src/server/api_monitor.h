/*
 * api_monitor.h - the pure parts of the defacement diff (GET
 * /api/sites/{id}/diff): a page's visible text as lines, and a bounded
 * line diff.  No I/O, so they are tested on their own.
 */
#ifndef SW_SERVER_API_MONITOR_H
#define SW_SERVER_API_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* At most this many lines per page, each cut to SW_DIFF_LINE_MAX bytes. */
#define SW_DIFF_LINES_MAX 2000
#define SW_DIFF_LINE_MAX 1000
/* The middle part (after the common head and tail) is diffed line by line
 * only when rows x columns of its table stay under this; else it shows as
 * all removed then all added. */
#define SW_DIFF_CELLS_MAX (1u << 20)

/* A page's lines: owned strings. */
struct sw_text_lines {
	char **v;
	size_t n;
	char *title; /* owned; "" when none */
};

/*
 * Parses html (len bytes, any charset the importer's detection knows:
 * UTF-8, GBK/GB18030) within fixed limits and writes the visible text of
 * its body into out, one line per block element (paragraph, list item,
 * cell, heading, <br> ...), blanks collapsed, empty lines dropped.  Hidden
 * text (CSS, hidden attribute), scripts and styles are left out: the diff
 * shows what a visitor sees.  SW_ENOMEM, or SW_ECHARSET for undecodable
 * bytes.
 */
enum sw_err sw_text_lines_of(const char *html, size_t len, struct sw_text_lines *out,
			     struct sw_errbuf *eb);

void sw_text_lines_free(struct sw_text_lines *t);

enum sw_diff_op { SW_DIFF_SAME, SW_DIFF_DEL, SW_DIFF_ADD };

/* One line of a diff: op and an index into a (SAME, DEL) or b (ADD). */
struct sw_diff_line {
	enum sw_diff_op op;
	size_t i;
};

/*
 * Diffs lines a[0..na) against b[0..nb) into *out (malloc'd, caller
 * frees; *nout entries, at most na + nb): common head and tail, then a
 * longest-common-subsequence diff of the rest when it fits
 * SW_DIFF_CELLS_MAX, else the rest as removed and added.  SW_ENOMEM.
 */
enum sw_err sw_diff_lines(char *const *a, size_t na, char *const *b, size_t nb,
			  struct sw_diff_line **out, size_t *nout);

#endif
