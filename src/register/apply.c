/*
 * apply.c - user input to canonical field values (sw_reg_apply) and
 * reference resolution (sw_reg_resolve).
 *
 * Input comes from the command line, CSV files typed in Excel and later the
 * API, so it is trimmed, checked as UTF-8 and bounded before anything else;
 * a rejected value leaves the record as it was.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/charset.h"
#include "model/validate.h"
#include "register/register.h"

char *sw_reg_trim(char *s)
{
	static const char ideo_space[] = "\xe3\x80\x80"; /* U+3000 */
	char *end;

	for (;;) {
		if (*s && isspace((unsigned char)*s))
			s++;
		else if (strncmp(s, ideo_space, 3) == 0)
			s += 3;
		else
			break;
	}
	end = s + strlen(s);
	for (;;) {
		if (end > s && isspace((unsigned char)end[-1]))
			end--;
		else if (end - s >= 3 && memcmp(end - 3, ideo_space, 3) == 0)
			end -= 3;
		else
			break;
	}
	*end = '\0';
	return s;
}

/* Chinese numerals for MLPS grades as spreadsheets write them ("第三级"). */
static const char *const cn_digits[] = {"零", "一", "二", "三", "四", "五",
					"六", "七", "八", "九", "十"};

/* Parses an integer, accepting the forms "3", "第三级", "三级", "3级".
 * Returns 0 on success. */
static int parse_int(const char *s, long *out)
{
	char buf[64];
	size_t n;
	char *end;

	if (strlen(s) >= sizeof buf)
		return -1; /* no integer field needs that many characters */
	snprintf(buf, sizeof buf, "%s", s);
	if (strncmp(buf, "第", 3) == 0)
		memmove(buf, buf + 3, strlen(buf + 3) + 1);
	n = strlen(buf);
	if (n >= 3 && strcmp(buf + n - 3, "级") == 0)
		buf[n - 3] = '\0';
	for (int d = 0; d <= 10; d++)
		if (strcmp(buf, cn_digits[d]) == 0) {
			*out = d;
			return 0;
		}
	*out = strtol(buf, &end, 10);
	return (end == buf || *end) ? -1 : 0;
}

/* Accepts the spellings of yes and no found in registers. */
static int parse_bool(const char *s, const char **out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "是", "有", "已挂", "已悬挂", NULL};
	static const char *const no[] = {"0", "no", "n", "false", "否", "无", "未挂", "未悬挂", NULL};

	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *out = "1", 0;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *out = "0", 0;
	return -1;
}

/* Writes "a, b, c" (the keys of an enum) into buf for error messages. */
static void enum_choices(const struct sw_enum_val *vals, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct sw_enum_val *v = vals; v->key && used < n; v++) {
		int w = snprintf(buf + used, n - used, "%s%s (%s)", used ? ", " : "", v->key, v->zh);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Replaces the Chinese list separators ， ； 、 (three bytes each in
 * UTF-8) with ';' and two spaces, which the splitter below skips. */
static void fold_separators(char *s)
{
	static const char *const seps[] = {"\xef\xbc\x8c", "\xef\xbc\x9b", "\xe3\x80\x81"};

	for (; *s; s++)
		for (size_t i = 0; i < 3; i++)
			if (strncmp(s, seps[i], 3) == 0)
				memcpy(s, ";  ", 3);
}

/* Canonicalises a list: items split on ';' ',' '，' '；' '、' or space,
 * each validated, duplicates dropped, joined with ';'. */
static enum sw_err apply_list(const struct sw_field *f, const char *in, char *out, size_t outsz,
			      struct sw_errbuf *eb)
{
	char buf[SW_REG_TEXT_MAX + 1], item[SW_URL_MAX];
	size_t used = 0;
	char *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", in);
	fold_separators(buf);
	out[0] = '\0';
	for (p = strtok_r(buf, ";, \t", &save); p; p = strtok_r(NULL, ";, \t", &save)) {
		enum sw_err rc = f->validate(p, item, sizeof item, eb);
		const char *dup;
		size_t len = strlen(item);

		if (rc)
			return rc;
		/* Drop an item already in the list (exact match of a whole item). */
		for (dup = out; (dup = strstr(dup, item)); dup += len)
			if ((dup == out || dup[-1] == ';') && (dup[len] == ';' || dup[len] == '\0'))
				break;
		if (dup)
			continue;
		if (used + len + 2 > outsz)
			return sw_errf(eb, SW_ELIMIT, "list too long");
		used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? ";" : "", item);
	}
	return SW_OK;
}

/* Checks free text: valid UTF-8, bounded, no control characters other than
 * tab and line ends (which only multi-line fields need, but are harmless). */
static enum sw_err check_text(const char *s, struct sw_errbuf *eb)
{
	size_t n = strlen(s);

	if (n > SW_REG_TEXT_MAX)
		return sw_errf(eb, SW_ELIMIT, "longer than %d bytes", SW_REG_TEXT_MAX);
	if (!sw_utf8_valid(s, n))
		return sw_errf(eb, SW_EINVAL, "not valid UTF-8 text");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return sw_errf(eb, SW_EINVAL, "contains a control character (byte 0x%02x)", *p);
		/* Register values are plain text shown in pages, reports and
		 * spreadsheets: markup in them is an injection attempt, never data
		 * ("a < b" stays allowed). */
		if (*p == '<' && (isalpha(p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
			return sw_errf(eb, SW_EINVAL, "contains HTML markup ('<%c')", p[1]);
	}
	return SW_OK;
}

/* Copies s into out (outsz bytes), cut if need be; snprintf("%s") would do
 * the same at several times the cost on this hot path. */
static void copy(char *out, size_t outsz, const char *s)
{
	size_t len = strnlen(s, outsz - 1);

	memcpy(out, s, len);
	out[len] = '\0';
}

/* Turns a trimmed, non-empty value for field f into its canonical text in
 * out.  Messages go to eb without the field name (the caller adds it). */
static enum sw_err canonical(struct sw_store *st, const struct sw_field *f, const char *s,
			     char *out, size_t outsz, struct sw_errbuf *eb)
{
	const struct sw_enum_val *ev;
	const char *b;
	char choices[400];
	enum sw_err rc;
	int64_t id;
	long n;

	if ((rc = check_text(s, eb)))
		return rc;
	switch (f->type) {
	case SW_FT_TEXT:
		if (f->validate)
			return f->validate(s, out, outsz, eb);
		copy(out, outsz, s);
		return SW_OK;
	case SW_FT_INT:
		if (parse_int(s, &n) || n < f->imin || n > f->imax)
			return sw_errf(eb, SW_EINVAL, "'%s' is not a whole number from %d to %d", s, f->imin,
				       f->imax);
		snprintf(out, outsz, "%ld", n);
		return SW_OK;
	case SW_FT_DATE:
		return sw_valid_date(s, out, outsz, eb);
	case SW_FT_ENUM:
		if (!(ev = sw_enum_find(f->enums, s))) {
			enum_choices(f->enums, choices, sizeof choices);
			return sw_errf(eb, SW_EINVAL, "'%s' is not one of %s", s, choices);
		}
		copy(out, outsz, ev->key);
		return SW_OK;
	case SW_FT_BOOL:
		if (parse_bool(s, &b))
			return sw_errf(eb, SW_EINVAL, "'%s' is not yes/no (是/否)", s);
		copy(out, outsz, b);
		return SW_OK;
	case SW_FT_REF:
		if ((rc = sw_reg_resolve(st, sw_entity_get(f->ref), s, &id, eb)))
			return rc;
		snprintf(out, outsz, "%" PRId64, id);
		return SW_OK;
	case SW_FT_LIST:
		return apply_list(f, s, out, outsz, eb);
	}
	return SW_EINVAL;
}

enum sw_err sw_reg_apply(struct sw_store *st, struct sw_rec *rec, int i, const char *input,
			 struct sw_errbuf *eb)
{
	const struct sw_field *f = &rec->ent->fields[i];
	char *copy, *s, out[SW_REG_TEXT_MAX + SW_URL_MAX];
	struct sw_errbuf why;
	enum sw_err rc;

	sw_errbuf_clear(&why);
	if (!input)
		return sw_rec_set(rec, i, NULL);
	if (!(copy = strdup(input)))
		return SW_ENOMEM;
	s = sw_reg_trim(copy);
	if (*s == '\0') {
		rc = sw_rec_set(rec, i, NULL);
	} else if ((rc = canonical(st, f, s, out, sizeof out, &why))) {
		sw_errf_field(eb, rc, f->key, "%s", why.msg);
	} else {
		rc = sw_rec_set(rec, i, out);
	}
	free(copy);
	/* The next due assessment follows from grade and last assessment. */
	if (!rc && rec->ent->id == SW_ENT_SITE &&
	    (!strcmp(f->key, "mlps_grade") || !strcmp(f->key, "mlps_assess_date")))
		rc = sw_rec_set(rec, sw_field_index(SW_ENT_SITE, "mlps_next_due"), NULL);
	return rc;
}

/* True when s is 1-18 ASCII digits (an id typed by a user). */
static int is_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 18 && strspn(s, "0123456789") == n;
}

/* Finds by field `key` of ent; SW_EINVAL when the value is ambiguous. */
static enum sw_err find_by(struct sw_store *st, const struct sw_entity *ent, const char *key,
			   const char *value, int64_t *id, struct sw_errbuf *eb)
{
	int matches = 0;
	enum sw_err rc;

	rc = sw_store_find(st, ent, sw_field_index(ent->id, key), value, id, &matches, eb);
	if (!rc && matches > 1)
		return sw_errf(eb, SW_EINVAL, "several %ss have %s '%s'; give the id instead",
			       ent->name, key, value);
	return rc;
}

/* Resolves a site by URL or host name (the usual way people name one). */
static enum sw_err resolve_site(struct sw_store *st, const char *ref, int64_t *id)
{
	char url[SW_URL_MAX + 1], host[SW_DOMAIN_MAX + 1];
	int is_ip = 0;

	if (!sw_valid_url(ref, url, sizeof url, host, sizeof host, &is_ip, NULL)) {
		if (find_by(st, sw_entity_get(SW_ENT_SITE), "url", url, id, NULL) == SW_OK)
			return SW_OK;
		if (!is_ip && sw_store_site_by_domain(st, host, id, NULL) == SW_OK)
			return SW_OK;
	}
	return SW_ENOTFOUND;
}

enum sw_err sw_reg_resolve(struct sw_store *st, const struct sw_entity *ent, const char *ref,
			   int64_t *id, struct sw_errbuf *eb)
{
	char code[32];
	struct sw_rec tmp;
	enum sw_err rc;

	if (ent->id == SW_ENT_REGION) {
		if (!sw_valid_region_code(ref, code, sizeof code, NULL, NULL) &&
		    !find_by(st, ent, "code", code, id, NULL))
			return SW_OK;
	} else if (is_id(ref) && strlen(ref) < 18) {
		if (!(rc = sw_store_get(st, ent, strtoll(ref, NULL, 10), &tmp, NULL))) {
			*id = tmp.id;
			sw_rec_cleanup(&tmp);
			return SW_OK;
		}
	}
	if (ent->id == SW_ENT_UNIT && !sw_valid_credit_code(ref, code, sizeof code, NULL) &&
	    !find_by(st, ent, "credit_code", code, id, NULL))
		return SW_OK;
	if (ent->id == SW_ENT_SITE && resolve_site(st, ref, id) == SW_OK)
		return SW_OK;
	rc = find_by(st, ent, "name", ref, id, eb);
	if (rc == SW_ENOTFOUND)
		return sw_errf(eb, SW_ENOTFOUND, "no %s '%s' in the register", ent->name, ref);
	return rc;
}
