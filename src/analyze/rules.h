/*
 * rules.h - the analyzers' data files: word lists, YARA rules, allow lists.
 *
 * They live in rules/ in the source tree and are compiled into the binary
 * (cmake/embed_files.cmake), so a fresh install needs no files.  Users edit
 * their own copies and point `--rules DIR` (or SITEWARDEN_RULES) at them: a
 * file present in DIR replaces the embedded file of the same relative path.
 */
#ifndef SW_ANALYZE_RULES_H
#define SW_ANALYZE_RULES_H

#include <stddef.h>

#include "core/err.h"

struct sw_rule_file {
	const char *path; /* relative to rules/, e.g. "sensitive/gambling.txt" */
	const char *data; /* NUL-terminated; the NUL is not counted in len */
	size_t len;
};

/* Generated table, sorted by path. */
extern const struct sw_rule_file sw_rules_embedded[];
extern const size_t sw_rules_embedded_count;

/*
 * Reads rules file path: from dir when dir is not NULL and has the file,
 * else the embedded copy.  *out gets a malloc'd NUL-terminated copy (caller
 * frees), *len its length (len may be NULL).  SW_ENOTFOUND when neither has
 * it, SW_EIO when dir's file cannot be read.
 */
enum sw_err sw_rules_read(const char *dir, const char *path, char **out, size_t *len,
			  struct sw_errbuf *eb);

/*
 * Calls fn for the relative path of every rules file whose path starts with
 * prefix (e.g. "sensitive/"), embedded and in dir together, each once, in
 * path order.  Stops and returns fn's first non-SW_OK result.
 */
enum sw_err sw_rules_list(const char *dir, const char *prefix,
			  enum sw_err (*fn)(const char *path, void *arg), void *arg,
			  struct sw_errbuf *eb);

/*
 * Splits a word-list file in place into its lines: '#' starts a comment,
 * blanks around a line are dropped, empty lines are skipped.  Calls fn for
 * each line (NUL-terminated, inside buf) with its 1-based line number.
 */
enum sw_err sw_rules_lines(char *buf, enum sw_err (*fn)(char *line, size_t no, void *arg),
			   void *arg);

#endif
