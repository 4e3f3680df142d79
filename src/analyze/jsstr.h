/*
 * jsstr.h - the HTML a script writes into the page, read without running
 * the script: the string literals of document.write(...) calls, with JS
 * escapes and unescape("%3C...") undone.
 */
#ifndef SW_ANALYZE_JSSTR_H
#define SW_ANALYZE_JSSTR_H

#include <stddef.h>

/*
 * Finds the next document.write/writeln call in s[*pos..len) and puts the
 * concatenation of its string-literal arguments (decoded) into out (cap
 * bytes, NUL-terminated, cut when full).  *pos moves past the call; *at
 * gets the offset of the call in s.  Returns the length written, or -1
 * when there is no further call.
 */
long sw_js_next_write(const char *s, size_t len, size_t *pos, size_t *at, char *out, size_t cap);

#endif
