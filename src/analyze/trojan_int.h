/*
 * trojan_int.h - the pieces of the trojan (挂马) analyzer, shared between its
 * files: trojan.c (load, run, the page walk), trojan_hosts.c (allow lists),
 * trojan_html.c (iframes, meta refresh, script sources), trojan_js.c
 * (inline script features), trojan_yara.c (YARA rules over inline script).
 *
 * Module-internal: names carry the sw__tj_ prefix.
 */
#ifndef SW_ANALYZE_TROJAN_INT_H
#define SW_ANALYZE_TROJAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "analyze/hostset.h"

/* Caps that keep one page's script work linear and bounded. */
#define SW_TJ_SCRIPT_CAP (512u * 1024)      /* a bigger inline script is skipped */
#define SW_TJ_BUF_CAP (4u * 1024 * 1024)    /* all scanned script text of a page */
#define SW_TJ_MAX_HITS 16384u               /* token hits per page; the scan stops there */
#define SW_TJ_URL_CAP 512                   /* longest URL we look at */

/* Everything load compiles; immutable afterwards and shared by all runs. */
struct sw__tj_state {
	/* Allow lists: "a.b.cn" that host, ".b.cn" b.cn and below (hostset.h). */
	struct sw_hostset script_ok;     /* rules/allow/script-hosts.txt */
	struct sw_hostset frame_ok;      /* rules/allow/frame-hosts.txt */
	struct sw_hostset redirect_ok;   /* rules/allow/redirect-hosts.txt */
	void *hs_db;                     /* hs_database_t *: script tokens */
	void *yara;                      /* YR_RULES *, or NULL when rules/yara/ is empty */
	int yara_ref;                    /* 1 while this state holds a libyara reference */
};

/* What a segment of the scan buffer came from. */
enum sw__tj_seg_kind {
	SW_TJ_SEG_SCRIPT,  /* text of an inline <script> */
	SW_TJ_SEG_AUTO,    /* an event handler that fires by itself (onload, onerror) */
	SW_TJ_SEG_USER,    /* an event handler a visitor triggers (onclick), or javascript: URL */
	SW_TJ_SEG_SRC,     /* the src URL of an external script (miner rules only) */
};

/* One piece of the scan buffer. */
struct sw__tj_seg {
	uint32_t boff, blen;  /* range in the scan buffer */
	uint32_t poff, plen;  /* range in page->text (the element for attributes) */
	uint32_t node;        /* doc node it came from */
	uint8_t kind;         /* enum sw__tj_seg_kind */
};

/* One page's run: the context plus what the walk collected. */
struct sw__tj_run {
	struct sw_an_ctx *ctx;
	const struct sw__tj_state *st;
	char site[256];       /* the page's host (ctx->host); "" unknown */
	uint32_t html_start;  /* offset of the first "<html" in page->text, or 0 */
	uint32_t html_end;    /* offset of the last "</html", or text_len */
	char *buf;            /* owned: inline scripts and handlers, '\n'-separated */
	size_t buf_len, buf_cap;
	struct sw__tj_seg *segs; /* owned */
	size_t nsegs, segs_cap;
	uint32_t skipped;     /* scripts over SW_TJ_SCRIPT_CAP or past SW_TJ_BUF_CAP */
};

/* Verdict of sw__tj_foreign on a target host. */
enum sw__tj_where {
	SW_TJ_SAME,     /* relative, same site, or on the allow list: honest */
	SW_TJ_FOREIGN,  /* another site and the page's own host is known */
	SW_TJ_UNKNOWN,  /* another host, but the page's own host is unknown */
};

/* Where host lies relative to the page, honouring allow list ok (may be NULL). */
enum sw__tj_where sw__tj_foreign(const struct sw__tj_run *r, const char *host,
				 const struct sw_hostset *ok);

/* HTML checks on element i: hidden frames, meta refresh, script sources. */
enum sw_err sw__tj_frame(struct sw__tj_run *r, uint32_t i);
enum sw_err sw__tj_refresh(struct sw__tj_run *r, uint32_t i);
enum sw_err sw__tj_script_src(struct sw__tj_run *r, uint32_t i, const char *src);

/* Compiles the script token database into st->hs_db. */
enum sw_err sw__tj_js_load(struct sw__tj_state *st, struct sw_errbuf *eb);
void sw__tj_js_free(struct sw__tj_state *st);

/* Scans every segment of r's buffer for trojan script features and reports. */
enum sw_err sw__tj_js_run(struct sw__tj_run *r);

/* Compiles rules/yara/ *.yar into st->yara (NULL when there are none). */
enum sw_err sw__tj_yara_load(const char *dir, struct sw__tj_state *st, struct sw_errbuf *eb);
void sw__tj_yara_free(struct sw__tj_state *st);

/* Runs the YARA rules over r's buffer and reports matches. */
enum sw_err sw__tj_yara_run(struct sw__tj_run *r);

#endif
