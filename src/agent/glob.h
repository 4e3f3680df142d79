/*
 * glob.h - exclusion patterns of a protected root, matched against paths
 * relative to the root ("cache/a/b.html").
 *
 * Semantics follow .gitignore, which site owners know: a pattern without
 * '/' matches a name at any depth ("*.log", "cache"); a pattern with '/'
 * is anchored at the root ("wp-content/cache", "/tmp"); a component "**"
 * matches any number of path components.  A matched directory
 * is excluded with everything below it.
 */
#ifndef SW_AGENT_GLOB_H
#define SW_AGENT_GLOB_H

#include <stddef.h>

/* 1 when rel (no leading '/') matches pattern pat. */
int ag_glob_match(const char *pat, const char *rel);

/* 1 when rel matches any of the n patterns. */
int ag_glob_any(char *const *pats, size_t n, const char *rel);

#endif
