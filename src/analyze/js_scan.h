/*
 * js_scan.h - a small, linear JavaScript scanner for the trojan analyzer:
 * string-literal statistics that betray obfuscation, and extraction of the
 * literal strings an expression is built from (the URL given to
 * location.href, the HTML given to document.write).
 *
 * It is not a parser.  Attackers' scripts are short and written to run, so
 * a lexer that knows strings, comments and (by the usual heuristic) regular
 * expression literals is enough to find their payloads; a mistake costs one
 * feature of one script, never time: every function is one bounded pass.
 * Nothing here allocates.
 */
#ifndef SW_ANALYZE_JS_SCAN_H
#define SW_ANALYZE_JS_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* What the lexer learned about the string and number literals of a script. */
struct sw_js_stats {
	uint32_t esc_run;      /* longest run of consecutive ASCII escapes (\xHH, \u00HH, %HH) */
	uint32_t esc_off;      /* offset of the literal holding it */
	uint32_t blob_len;     /* longest literal of base64/hex alphabet, no blanks, not data: */
	uint32_t blob_off;
	double blob_entropy;   /* its Shannon entropy in bits per byte (0 when blob_len == 0) */
	uint32_t num_list;     /* longest comma-separated list of integer literals */
	uint32_t num_list_off;
	uint32_t n_strings;    /* string literals seen */
};

/* Scans s[0..n) once and fills st. */
void sw_js_stats(const char *s, size_t n, struct sw_js_stats *st);

/*
 * Reads the expression that starts at s[0] (the text after `=` or `(`) up
 * to its end: a `;`, a `,` or `)` at depth 0 after an opening `(` was not
 * seen, a newline outside strings, or max bytes.  The contents of its string
 * literals are decoded (JS escapes \xHH \uHHHH \n ... to UTF-8) into out:
 * literals joined by `+` run together, others are separated by '\n' (so a
 * ternary yields two candidates).  out is NUL-terminated, at most cap-1
 * bytes.  Returns the number of bytes written; *used (may be NULL) gets the
 * length of the expression read.
 */
size_t sw_js_expr_strings(const char *s, size_t n, char *out, size_t cap, size_t *used);

/*
 * Decodes %HH and %uHHHH (as unescape() does) in buf in place, to UTF-8.
 * Returns the new length; buf stays NUL-terminated.
 */
size_t sw_js_pct_decode(char *buf, size_t len);

/* Tag kinds sw_js_html_src finds. */
enum sw_js_tag { SW_JS_TAG_SCRIPT = 1, SW_JS_TAG_IFRAME = 2 };

/*
 * Finds the next <script ...> or <iframe/frame ...> start tag in html from
 * *pos on, writes its src attribute value into url (cap bytes, "" when it
 * has none) and returns its enum sw_js_tag, or 0 when there is no more.
 * *pos moves past the tag.
 */
int sw_js_html_src(const char *html, size_t n, size_t *pos, char *url, size_t cap);

/*
 * Host of an absolute URL ("http://", "https://" or "//" first, after
 * blanks) written lower case into host (cap bytes); "" when url is not
 * absolute.  Returns host.
 */
char *sw_js_url_host(const char *url, char *host, size_t cap);

/*
 * Lexes s[0..n) and calls fn(pos, c, arg) for every '{' and '}' outside
 * strings, comments and regex literals, in order; stops early when fn
 * returns nonzero.  Lets a caller tell which block a position is in.
 */
void sw_js_braces(const char *s, size_t n, int (*fn)(size_t pos, char c, void *arg), void *arg);

/* Shannon entropy of s[0..n) in bits per byte. */
double sw_js_entropy(const char *s, size_t n);

#endif
