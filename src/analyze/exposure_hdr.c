/*
 * exposure_hdr.c - field lookup in a raw response header block (rules in
 * exposure_hdr.h).  Header blocks are a few hundred bytes; a linear walk
 * per lookup is cheaper than building anything.  Every loop is bounded by
 * the block's length: the block came from the network.
 */
#include "analyze/exposure_hdr.h"

#include <string.h>

/* Lower-cases an ASCII letter. */
static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Offset of the first line of the last response in h: the line after the
 * last "HTTP/" status line, or 0 when there is none. */
static size_t last_block(const char *h, size_t n)
{
	size_t i = 0, start = 0, e;

	while (i < n) {
		const char *nl = memchr(h + i, '\n', n - i);

		e = nl ? (size_t)(nl - h) + 1 : n;
		if (e - i >= 5 && memcmp(h + i, "HTTP/", 5) == 0)
			start = e;
		i = e;
	}
	return start;
}

int sw__hdr_has(const char *p, size_t n, const char *lit)
{
	size_t k = strlen(lit), i, j;

	if (k == 0 || k > n)
		return k == 0;
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k && lower(p[i + j]) == lower(lit[j]); j++)
			;
		if (j == k)
			return 1;
	}
	return 0;
}

/* Trims blanks and CR at both ends of [*p, *p + *n). */
static void trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t'))
		(*p)++, (*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r'))
		(*n)--;
}

int sw__hdr_get(const char *h, size_t n, const char *name, struct sw__hdr_val *v)
{
	size_t k = strlen(name), i, e, j;

	if (h == NULL)
		return 0;
	for (i = last_block(h, n); i < n; i = e) {
		const char *nl = memchr(h + i, '\n', n - i);

		e = nl ? (size_t)(nl - h) + 1 : n;
		if (e - i <= k || h[i + k] != ':')
			continue;
		for (j = 0; j < k && lower(h[i + j]) == lower(name[j]); j++)
			;
		if (j < k)
			continue;
		v->p = h + i + k + 1;
		v->n = (nl ? (size_t)(nl - h) : n) - (i + k + 1);
		v->off = i;
		trim(&v->p, &v->n);
		return 1;
	}
	return 0;
}
