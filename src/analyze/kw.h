/*
 * kw.h - the keyword engine: word lists compiled into one Vectorscan
 * (Hyperscan) database and matched in one pass over a text.
 *
 * The lists are data files users edit (rules/<dir>/<category>.txt, UTF-8,
 * one entry a line, '#' starts a comment).  The file name without ".txt"
 * is the category of every entry in it.  An entry is:
 *
 *   word          a literal, matched as written (regex metacharacters mean
 *                 themselves); ASCII letters match in either case, and an
 *                 entry that starts or ends with an ASCII letter or digit
 *                 matches only at a word boundary there, so "av" does not
 *                 match inside "java";
 *   re:REGEX      a Vectorscan regular expression (PCRE syntax, UTF-8);
 *                 like every Vectorscan pattern it reports each end it can
 *                 have ("[0-9]{6,}" fires 4 times in "123456789");
 *   @strong       the entries below are strong (the default at the top of
 *   @weak         each file) or weak; what a tier means is the caller's
 *                 business (sensitive.c: strong flags alone, weak needs
 *                 corroboration; the dark-link analyzer just counts).
 *
 * A bad entry (invalid regex, ill-formed UTF-8, unknown @directive, word
 * too long) fails the load with "file:line: reason" in the errbuf.
 *
 * A struct sw_kw is immutable after loading and may be shared by threads
 * and processes.  Scanning needs scratch space: either a struct
 * sw_kw_scratch the caller keeps per thread, or NULL, in which case the
 * engine borrows one from a small mutex-guarded pool inside the sw_kw
 * (cheap: no allocation once the pool is warm).
 */
#ifndef SW_ANALYZE_KW_H
#define SW_ANALYZE_KW_H

#include <stddef.h>

#include "core/err.h"

struct sw_kw;
struct sw_kw_scratch;

enum sw_kw_tier { SW_KW_STRONG = 0, SW_KW_WEAK = 1 };

/* Limits that keep a user's list from making the compiler run away. */
#define SW_KW_MAX_WORDS 100000u /* entries over all files */
#define SW_KW_MAX_WORD 512u     /* bytes in one entry */
#define SW_KW_MAX_CATS 256u     /* files */

/* One list given in memory (sw_kw_compile); all borrowed. */
struct sw_kw_src {
	const char *category; /* "gambling" */
	const char *path;     /* for error messages: "sensitive/gambling.txt" */
	const char *data;     /* file contents; need not be NUL-terminated */
	size_t len;
};

/*
 * Compiles the lists srcs[0..n) into *out (caller frees with sw_kw_free).
 * Lists of the same category add up.  No entries at all is not an error:
 * the engine then matches nothing.  SW_EINVAL with "path:line: reason" for
 * a bad entry, SW_ELIMIT past the limits above, SW_ENOMEM.
 */
enum sw_err sw_kw_compile(const struct sw_kw_src *srcs, size_t n, struct sw_kw **out,
			  struct sw_errbuf *eb);

/*
 * Loads every "*.txt" rules file whose path starts with prefix (e.g.
 * "spam/") from rules_dir (NULL: the embedded copies only; see rules.h)
 * and compiles them as sw_kw_compile does; the category is the file name
 * without the prefix and ".txt".
 */
enum sw_err sw_kw_load(const char *rules_dir, const char *prefix, struct sw_kw **out,
		       struct sw_errbuf *eb);

/* Frees kw and its scratch pool; NULL does nothing.  No scan may be running. */
void sw_kw_free(struct sw_kw *kw);

/* Number of categories, their names (borrowed from kw), entries. */
size_t sw_kw_ncats(const struct sw_kw *kw);
const char *sw_kw_cat_name(const struct sw_kw *kw, size_t cat);
size_t sw_kw_nwords(const struct sw_kw *kw);

/* Index of category name, or -1 when kw has none of that name. */
int sw_kw_cat_find(const struct sw_kw *kw, const char *name);

/* Entry id's text as written in its file (a regex without "re:"), borrowed. */
const char *sw_kw_word(const struct sw_kw *kw, unsigned id);
/* Entry id's category index and tier. */
size_t sw_kw_word_cat(const struct sw_kw *kw, unsigned id);
enum sw_kw_tier sw_kw_word_tier(const struct sw_kw *kw, unsigned id);
/* Entry id's file path and line, for messages; borrowed. */
const char *sw_kw_word_where(const struct sw_kw *kw, unsigned id, size_t *line);

/*
 * Scratch space for scanning with kw on one thread at a time.  One scratch
 * may serve several engines: sw_kw_scratch_new with an existing *s grows it
 * to fit kw as well.  SW_ENOMEM.
 */
enum sw_err sw_kw_scratch_new(const struct sw_kw *kw, struct sw_kw_scratch **s);
void sw_kw_scratch_free(struct sw_kw_scratch *s);

/* One match: [start, end) in the scanned text. */
struct sw_kw_hit {
	unsigned id;          /* entry id (sw_kw_word) */
	size_t cat;           /* category index (sw_kw_cat_name) */
	enum sw_kw_tier tier;
	size_t start, end;
};

/* Called for every match in order of end offset; nonzero stops the scan. */
typedef int (*sw_kw_fn)(const struct sw_kw_hit *h, void *arg);

/*
 * Scans text[0..len) and calls fn for every match.  s may be NULL (pool).
 * text should be well-formed UTF-8 (the analyzers' text always is): on
 * ill-formed bytes the scan is safe but which entries match is unspecified.
 * Returns SW_OK (also when fn stopped it), SW_ENOMEM, SW_ELIMIT when len
 * is 4 GiB or more.
 */
enum sw_err sw_kw_scan(const struct sw_kw *kw, struct sw_kw_scratch *s, const char *text,
		       size_t len, sw_kw_fn fn, void *arg);

/*
 * Counts the matches in text[0..len) (every occurrence of every entry),
 * stopping at max (0: no cap).  first, when not NULL, gets the earliest
 * ending match (first->id is UINT_MAX when there is none).  s may be NULL.
 * Returns the count, or (size_t)-1 on SW_ENOMEM/SW_ELIMIT.
 */
size_t sw_kw_count(const struct sw_kw *kw, struct sw_kw_scratch *s, const char *text,
		   size_t len, size_t max, struct sw_kw_hit *first);

#endif
