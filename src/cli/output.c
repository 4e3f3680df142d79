/*
 * output.c - how the CLI shows records: aligned tables that account for
 * double-width Chinese characters, and JSON with typed values.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/finding.h"
#include "register/register.h"

/* Decodes one UTF-8 code point at s (validated input), returns its length. */
static size_t next_cp(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80)
		return *cp = s[0], 1;
	if ((s[0] & 0xe0) == 0xc0 && s[1])
		return *cp = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu), 2;
	if ((s[0] & 0xf0) == 0xe0 && s[1] && s[2])
		return *cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu), 3;
	if (s[1] && s[2] && s[3])
		return *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) |
			     ((s[2] & 0x3fu) << 6) | (s[3] & 0x3fu),
		       4;
	return *cp = '?', 1;
}

/* East Asian wide ranges that occur in register data (CJK, full-width
 * forms, Hangul); good enough for aligning columns. */
static int wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t sw_cli_width(const char *s)
{
	size_t w = 0;
	unsigned cp;

	while (*s) {
		s += next_cp((const unsigned char *)s, &cp);
		w += wide(cp) ? 2 : 1;
	}
	return w;
}

void sw_cli_pad(FILE *f, const char *s, size_t w, int cut)
{
	size_t used = 0;
	unsigned cp;

	while (*s) {
		size_t len = next_cp((const unsigned char *)s, &cp);
		size_t cw = wide(cp) ? 2 : 1;

		if (cut && used + cw > w - 1 && sw_cli_width(s) + used > w) {
			fputs("…", f);
			used++;
			break;
		}
		/* Newlines would break the table: show them as spaces. */
		if (cp == '\n' || cp == '\r' || cp == '\t')
			fputc(' ', f);
		else
			fwrite(s, 1, len, f);
		used += cw;
		s += len;
	}
	for (; used < w; used++)
		fputc(' ', f);
}

void sw_cli_field_text(struct sw_store *st, const struct sw_rec *rec, int i, int zh, char *buf,
		       size_t n)
{
	const struct sw_field *f = &rec->ent->fields[i];
	const char *v = sw_rec_get(rec, i);
	char label[256];

	if (!v) {
		snprintf(buf, n, "%s", "");
		return;
	}
	switch (f->type) {
	case SW_FT_REF:
		sw_reg_label(st, f->ref, strtoll(v, NULL, 10), label, sizeof label);
		snprintf(buf, n, "%s", label);
		return;
	case SW_FT_ENUM:
		if (zh)
			snprintf(buf, n, "%s (%s)", v, sw_enum_zh(f->enums, v));
		else
			snprintf(buf, n, "%s", v);
		return;
	case SW_FT_BOOL:
		snprintf(buf, n, "%s", strcmp(v, "1") == 0 ? (zh ? "yes (是)" : "yes")
							    : (zh ? "no (否)" : "no"));
		return;
	default:
		snprintf(buf, n, "%s", v);
	}
}

/* Converts one field value to its JSON type. */
static json_t *field_json(const struct sw_field *f, const char *v)
{
	json_t *arr;
	char *copy, *p, *save = NULL;

	switch (f->type) {
	case SW_FT_INT:
	case SW_FT_REF:
		return json_integer(strtoll(v, NULL, 10));
	case SW_FT_BOOL:
		return json_boolean(strcmp(v, "1") == 0);
	case SW_FT_LIST:
		arr = json_array();
		if (!(copy = strdup(v)))
			return arr;
		for (p = strtok_r(copy, ";", &save); p; p = strtok_r(NULL, ";", &save))
			json_array_append_new(arr, json_string(p));
		free(copy);
		return arr;
	default:
		return json_string(v);
	}
}

json_t *sw_cli_rec_json(struct sw_store *st, const struct sw_rec *rec)
{
	json_t *o = json_object();
	char label[256], key[80];

	json_object_set_new(o, "id", json_integer(rec->id));
	for (size_t i = 0; i < rec->ent->nfields; i++) {
		const struct sw_field *f = &rec->ent->fields[i];
		const char *v = rec->v[i];

		if (!v) {
			json_object_set_new(o, f->key, json_null());
			continue;
		}
		json_object_set_new(o, f->key, field_json(f, v));
		/* References also carry the label, so a reader needs no second query. */
		if (f->type == SW_FT_REF) {
			sw_reg_label(st, f->ref, strtoll(v, NULL, 10), label, sizeof label);
			snprintf(key, sizeof key, "%s_name", f->key);
			json_object_set_new(o, key, json_string(label));
		}
	}
	if (rec->created_at)
		json_object_set_new(o, "created_at", json_string(rec->created_at));
	if (rec->updated_at)
		json_object_set_new(o, "updated_at", json_string(rec->updated_at));
	return o;
}

int sw_cli_print_json(json_t *json)
{
	int rc = json_dumpf(json, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));

	fputc('\n', stdout);
	json_decref(json);
	return rc == 0 ? SW_EXIT_OK : sw_cli_fail("cannot write output");
}

json_t *sw_cli_finding_json(const char *key, const char *severity, const char *title,
			    const char *evidence)
{
	const struct sw_finding_kind *k = sw_finding_kind(key);
	json_t *ev = evidence ? json_loads(evidence, 0, NULL) : NULL;
	json_t *o = json_pack("{s:s%, s:s, s:s, s:s}", "kind", key,
			      k ? strlen(k->family) : strcspn(key, "."), "check", key, "severity",
			      severity, "title", title);

	/* Technique and confidence are what users filter by: lift them. */
	if (json_is_object(ev)) {
		json_t *t = json_object_get(ev, "technique"), *c = json_object_get(ev, "confidence");

		if (t)
			json_object_set(o, "technique", t);
		if (c)
			json_object_set(o, "confidence", c);
	}
	if (ev)
		json_object_set_new(o, "evidence", ev);
	return o;
}

int sw_cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	char *buf;

	*data = NULL;
	*len = 0;
	if (!fp)
		return sw_cli_fail("cannot open %s: %s", path, strerror(errno));
	buf = malloc(cap + 1);
	for (;;) {
		size_t r;

		if (!buf) {
			if (fp != stdin)
				fclose(fp);
			return sw_cli_fail("out of memory");
		}
		if (!(r = fread(buf + n, 1, cap - n, fp)))
			break;
		n += r;
		if (n == cap) {
			char *nb;

			if (cap >= max) {
				free(buf);
				if (fp != stdin)
					fclose(fp);
				return sw_cli_fail("%s: larger than %zu MiB", path, max >> 20);
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (ferror(fp)) {
		free(buf);
		if (fp != stdin)
			fclose(fp);
		return sw_cli_fail("cannot read %s", path);
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return SW_EXIT_OK;
}
