/*
 * json.h - a minimal JSON writer for the agent's events, quarantine
 * records and heartbeats (the agent links no JSON library).
 *
 * A struct ag_json accumulates the members of one object without its
 * braces: "kind":"tamper","path":"a/b.html"; the spool adds sequence,
 * time and agent id around it.  Strings are escaped per RFC 8259; bytes
 * that are not valid UTF-8 (file names are arbitrary bytes) become
 * \u00XX of the raw byte, so the output is always valid JSON.
 */
#ifndef SW_AGENT_JSON_H
#define SW_AGENT_JSON_H

#include <stddef.h>
#include <stdint.h>

struct ag_json {
	char *s;
	size_t len, cap;
	int oom;
};

void ag_json_init(struct ag_json *j);
void ag_json_free(struct ag_json *j);
void ag_json_reset(struct ag_json *j);

/* Appends "key":"value" (value NULL: skipped). */
void ag_json_str(struct ag_json *j, const char *key, const char *val);
void ag_json_strn(struct ag_json *j, const char *key, const char *val, size_t n);
/* Appends "key":number. */
void ag_json_int(struct ag_json *j, const char *key, int64_t v);
/* Appends "key":raw (raw must be valid JSON). */
void ag_json_raw(struct ag_json *j, const char *key, const char *raw);
/* Appends raw text as is. */
void ag_json_append(struct ag_json *j, const char *s, size_t n);
/* Appends a JSON string literal (quotes included). */
void ag_json_quote(struct ag_json *j, const char *s, size_t n);

#endif
