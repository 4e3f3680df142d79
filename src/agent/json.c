/*
 * json.c - the agent's JSON writer (json.h).
 */
#include "agent/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ag_json_init(struct ag_json *j)
{
	memset(j, 0, sizeof *j);
}

void ag_json_free(struct ag_json *j)
{
	free(j->s);
	memset(j, 0, sizeof *j);
}

void ag_json_reset(struct ag_json *j)
{
	j->len = 0;
	j->oom = 0;
	if (j->s)
		j->s[0] = '\0';
}

void ag_json_append(struct ag_json *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		char *p;
		while (cap < j->len + n + 1)
			cap *= 2;
		if (!(p = realloc(j->s, cap))) {
			j->oom = 1;
			return;
		}
		j->s = p;
		j->cap = cap;
	}
	memcpy(j->s + j->len, s, n);
	j->len += n;
	j->s[j->len] = '\0';
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void ag_json_quote(struct ag_json *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	ag_json_append(j, "\"", 1);
	for (size_t i = 0; i < n;) {
		size_t run = i;
		/* Copy plain runs in one go. */
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			ag_json_append(j, s + i, run - i);
			i = run;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)p[i];
			ag_json_append(j, esc, 2);
			i++;
		} else if (p[i] < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", p[i]);
			ag_json_append(j, esc, 6);
			i++;
		} else {
			size_t l = utf8_len(p + i, n - i);
			if (l) {
				ag_json_append(j, s + i, l);
				i += l;
			} else {
				snprintf(esc, sizeof esc, "\\u%04x", p[i]);
				ag_json_append(j, esc, 6);
				i++;
			}
		}
	}
	ag_json_append(j, "\"", 1);
}

/* Appends ,"key": (the comma only after an earlier member). */
static void key(struct ag_json *j, const char *k)
{
	if (j->len)
		ag_json_append(j, ",", 1);
	ag_json_quote(j, k, strlen(k));
	ag_json_append(j, ":", 1);
}

void ag_json_str(struct ag_json *j, const char *k, const char *val)
{
	if (val)
		ag_json_strn(j, k, val, strlen(val));
}

void ag_json_strn(struct ag_json *j, const char *k, const char *val, size_t n)
{
	key(j, k);
	ag_json_quote(j, val, n);
}

void ag_json_int(struct ag_json *j, const char *k, int64_t v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%lld", (long long)v);

	key(j, k);
	ag_json_append(j, b, (size_t)n);
}

void ag_json_raw(struct ag_json *j, const char *k, const char *raw)
{
	key(j, k);
	ag_json_append(j, raw, strlen(raw));
}
