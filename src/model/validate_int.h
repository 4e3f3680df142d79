/*
 * validate_int.h - text helpers shared by validate.c (identifiers, dates)
 * and validate_contact.c (domains, URLs, IPs, e-mail, phones); internal to
 * src/model/validate*.c.  The contract is validate.h.
 */
#ifndef SW_MODEL_VALIDATE_INT_H
#define SW_MODEL_VALIDATE_INT_H

#include <stddef.h>

#include "model/validate.h"

/* Working buffer for the short identifiers (codes, numbers, dates). */
#define SW__SHORT_MAX 256

/* A slice of the caller's input: not NUL-terminated at n. */
struct sw__text {
	const char *p;
	size_t n;
};

/* ASCII digit test that ignores the locale and never sees a negative index. */
static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True for an ASCII letter. */
static inline int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Upper-cases an ASCII letter; other bytes, UTF-8 included, pass through. */
static inline char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Lower-cases an ASCII letter; other bytes pass through. */
static inline char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True when s begins with lit; the scan stops at s's NUL. */
int sw__starts(const char *s, const char *lit);

/* As sw__starts, ignoring ASCII case. */
int sw__starts_nocase(const char *s, const char *lit);

/* Number of ASCII digits at s[i], stopping at the first other byte. */
size_t sw__digits_at(const char *s, size_t i);

/*
 * Writes a description of the character at s (n bytes left) into buf that
 * is safe to put in a message: 'x', 'X' (U+XXXX), U+XXXX alone for bidi and
 * other invisible format characters, "byte 0xNN" for controls and broken
 * UTF-8.  Returns the bytes the character takes (at least 1).
 */
size_t sw__describe_char(const char *s, size_t n, char *buf, size_t bufsz);

/*
 * Finds the text of `in` (NULL counts as empty) without ASCII white space
 * and U+3000 at either end.  Fails, with the message every validator
 * shares, for empty text and for text too long to be worth parsing.
 */
enum sw_err sw__trim(const char *in, struct sw__text *t, struct sw_errbuf *eb);

/* Trims `in` and folds full-width forms and dash look-alikes to ASCII
 * into buf (bufsz bytes, NUL-terminated); *len gets the folded length. */
enum sw_err sw__prepare(const char *in, char *buf, size_t bufsz, size_t *len,
			struct sw_errbuf *eb);

/* Empties out (when it has room) so that a failure leaves no stale text. */
void sw__clear_out(char *out, size_t outsz);

/* Copies the canonical form s (n bytes) and a NUL into out, or returns
 * SW_ELIMIT, leaving out empty, when it does not fit. */
enum sw_err sw__emit(char *out, size_t outsz, const char *s, size_t n, struct sw_errbuf *eb);

#endif
