/*
 * test_register.c - unit tests for the register's rules
 * (src/register/apply.c and src/register/register.c): input to canonical
 * values, reference resolution, required and unique fields, derived
 * fields, removal, policy inheritance and nesting in a caller's
 * transaction.
 *
 * Each test gets a fresh store (tests/unit/testutil.h).  Rejections are
 * checked for their code, the field named in eb.field and, where it
 * matters to the user, words of the message; and for leaving the record or
 * the store as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/validate.h"
#include "register/register.h"
#include "../testutil.h"

/* ---- helpers ---- */

/* Field index of key in rec's entity. */
static int fi(const struct sw_rec *r, const char *key)
{
	return sw_field_index(r->ent->id, key);
}

static const char *get(const struct sw_rec *r, const char *key)
{
	return sw_rec_get(r, fi(r, key));
}

/* Applies in to field key of r; fails the test on rejection. */
#define set(st, r, key, in) set_at(__LINE__, st, r, key, in)
static void set_at(int line, struct sw_store *st, struct sw_rec *r, const char *key,
		   const char *in)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_apply(st, r, fi(r, key), in, &eb)))
		fail_msg("line %d: %s '%s' rejected (%s): %s", line, key, in, sw_errname(rc), eb.msg);
}

/* Asserts that in is applied to field key of a fresh record as want
 * (NULL: cleared). */
#define canon(st, e, key, in, want) canon_at(__LINE__, st, e, key, in, want)
static void canon_at(int line, struct sw_store *st, enum sw_ent e, const char *key,
		     const char *in, const char *want)
{
	struct sw_rec r;
	const char *got;

	sw_rec_init(&r, sw_entity_get(e));
	set_at(line, st, &r, key, in);
	got = get(&r, key);
	if (want ? !got || strcmp(got, want) != 0 : got != NULL)
		fail_msg("line %d: %s '%s' gave '%s', want '%s'", line, key, in, got ? got : "(null)",
			 want ? want : "(null)");
	sw_rec_cleanup(&r);
}

/*
 * Asserts that in is rejected for field key with code rc, eb.field set to
 * key, a message holding words (may be NULL), and the previous value
 * `before` (applied first; NULL: none) left in place.
 */
#define rejected(st, e, key, before, in, rc, words) \
	rejected_at(__LINE__, st, e, key, before, in, rc, words)
static void rejected_at(int line, struct sw_store *st, enum sw_ent e, const char *key,
			const char *before, const char *in, enum sw_err want, const char *words)
{
	struct sw_errbuf eb;
	struct sw_rec r, copy;
	enum sw_err rc;

	sw_rec_init(&r, sw_entity_get(e));
	if (before)
		set_at(line, st, &r, key, before);
	assert_int_equal(sw_rec_copy(&copy, &r), SW_OK);
	sw_errbuf_clear(&eb);
	rc = sw_reg_apply(st, &r, fi(&r, key), in, &eb);
	if (rc != want)
		fail_msg("line %d: %s '%s' gave %s, want %s (%s)", line, key, in, sw_errname(rc),
			 sw_errname(want), eb.msg);
	if (strcmp(eb.field, key) != 0)
		fail_msg("line %d: eb.field is '%s', want '%s'", line, eb.field, key);
	if (words && !strstr(eb.msg, words))
		fail_msg("line %d: message '%s' lacks '%s'", line, eb.msg, words);
	for (size_t i = 0; i < r.ent->nfields; i++) {
		const char *a = sw_rec_get(&r, (int)i), *b = sw_rec_get(&copy, (int)i);

		if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
			fail_msg("line %d: field %s changed by a rejected value", line,
				 r.ent->fields[i].key);
	}
	sw_rec_cleanup(&r);
	sw_rec_cleanup(&copy);
}

/* Writes a valid credit code for the first 17 characters c17 into out. */
static int64_t count(struct sw_store *st, enum sw_ent e)
{
	struct sw_errbuf eb;
	int64_t n = -1;

	sw_errbuf_clear(&eb);
	if (sw_store_count(st, sw_entity_get(e), NULL, &n, &eb))
		fail_msg("count: %s", eb.msg);
	return n;
}

/* Adds a unit (party/government, Beijing); code may be NULL. */
static int64_t add_unit(struct sw_store *st, const char *name, const char *code)
{
	struct sw_errbuf eb;
	struct sw_rec u;
	int64_t id;

	sw_rec_init(&u, sw_entity_get(SW_ENT_UNIT));
	set(st, &u, "name", name);
	set(st, &u, "type", "党政机关");
	set(st, &u, "region", "110000");
	if (code)
		set(st, &u, "credit_code", code);
	sw_errbuf_clear(&eb);
	if (sw_reg_add(st, &u, &eb))
		fail_msg("unit %s: %s", name, eb.msg);
	id = u.id;
	sw_rec_cleanup(&u);
	assert_true(id > 0);
	return id;
}

static int64_t add_group(struct sw_store *st, const char *name)
{
	struct sw_errbuf eb;
	struct sw_rec g;
	int64_t id;

	sw_rec_init(&g, sw_entity_get(SW_ENT_GROUP));
	set(st, &g, "name", name);
	sw_errbuf_clear(&eb);
	if (sw_reg_add(st, &g, &eb))
		fail_msg("group %s: %s", name, eb.msg);
	id = g.id;
	sw_rec_cleanup(&g);
	return id;
}

/* Prepares a site record (not stored); unit 0 leaves the unit unset. */
static void site_rec(struct sw_store *st, struct sw_rec *s, const char *name, const char *url,
		     int64_t unit, const char *domains)
{
	char id[24];

	sw_rec_init(s, sw_entity_get(SW_ENT_SITE));
	snprintf(id, sizeof id, "%" PRId64, unit);
	set(st, s, "name", name);
	set(st, s, "url", url);
	if (unit)
		set(st, s, "unit", id);
	if (domains)
		set(st, s, "domains", domains);
}

/* Tries to add a site; returns the code, *id the new id (0 on failure). */
static enum sw_err try_site(struct sw_store *st, const char *name, const char *url,
			    int64_t unit, const char *domains, int64_t *id, struct sw_errbuf *eb)
{
	struct sw_rec s;
	enum sw_err rc;

	site_rec(st, &s, name, url, unit, domains);
	sw_errbuf_clear(eb);
	rc = sw_reg_add(st, &s, eb);
	if (rc)
		assert_true(s.id == 0);
	*id = s.id;
	sw_rec_cleanup(&s);
	return rc;
}

static int64_t add_site(struct sw_store *st, const char *name, const char *url, int64_t unit,
			const char *domains)
{
	struct sw_errbuf eb;
	int64_t id;

	if (try_site(st, name, url, unit, domains, &id, &eb))
		fail_msg("site %s: %s", name, eb.msg);
	assert_true(id > 0);
	return id;
}

/* Loads row id of e; fails the test when missing. */
static void load(struct sw_store *st, enum sw_ent e, int64_t id, struct sw_rec *r)
{
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_store_get(st, sw_entity_get(e), id, r, &eb))
		fail_msg("get %s %" PRId64 ": %s", sw_entity_get(e)->name, id, eb.msg);
}

/* Asserts that message msg names "<what> <id>". */
static void names_row(const char *msg, const char *what, int64_t id)
{
	char want[64];

	snprintf(want, sizeof want, "%s %" PRId64, what, id);
	if (!strstr(msg, want))
		fail_msg("message '%s' does not name %s", msg, want);
}

/* ---- sw_reg_trim ---- */

static void test_trim(void **state)
{
	char a[] = "", b[] = "   ", c[] = "\xe3\x80\x80 \t", d[] = " \xe3\x80\x80网站 名称\xe3\x80\x80\r\n";
	char e[] = "\xe3\x80", f[] = "x";

	(void)state;
	assert_string_equal(sw_reg_trim(a), "");
	assert_string_equal(sw_reg_trim(b), "");
	assert_string_equal(sw_reg_trim(c), "");
	assert_string_equal(sw_reg_trim(d), "网站 名称");
	assert_string_equal(sw_reg_trim(e), "\xe3\x80"); /* a cut U+3000 is not trimmed */
	assert_string_equal(sw_reg_trim(f), "x");
}

/* ---- sw_reg_apply, one field type at a time ---- */

static void test_apply_null_and_blank_clear(void **state)
{
	struct sw_store *st = *state;
	struct sw_rec r;

	sw_rec_init(&r, sw_entity_get(SW_ENT_SITE));
	set(st, &r, "name", "首都之窗");
	set(st, &r, "name", NULL);
	assert_null(get(&r, "name"));
	set(st, &r, "name", "首都之窗");
	set(st, &r, "name", "");
	assert_null(get(&r, "name"));
	set(st, &r, "name", "首都之窗");
	set(st, &r, "name", " \t\xe3\x80\x80 ");
	assert_null(get(&r, "name"));
	/* Blank needs no validation, even for a reference (no store look-up). */
	set(NULL, &r, "unit", "  ");
	assert_null(get(&r, "unit"));
	sw_rec_cleanup(&r);
}

static void test_apply_text(void **state)
{
	struct sw_store *st = *state;
	char big[SW_REG_TEXT_MAX + 2];

	canon(st, SW_ENT_SITE, "name", "  首都之窗\xe3\x80\x80", "首都之窗");
	canon(st, SW_ENT_SITE, "note", "line one\r\nline\ttwo", "line one\r\nline\ttwo");
	memset(big, 'a', SW_REG_TEXT_MAX);
	big[SW_REG_TEXT_MAX] = '\0';
	canon(st, SW_ENT_SITE, "note", big, big); /* exactly the limit */
	rejected(st, SW_ENT_SITE, "name", "old", "bad\x01name", SW_EINVAL, "control");
	rejected(st, SW_ENT_SITE, "name", "old", "del\x7f", SW_EINVAL, "control");
	rejected(st, SW_ENT_SITE, "name", "old", "\xff\xfe", SW_EINVAL, "UTF-8");
	rejected(st, SW_ENT_SITE, "name", "old", "\xe4\xb8", SW_EINVAL, "UTF-8"); /* cut 中 */
	/* Formatted text goes through its validator. */
	canon(st, SW_ENT_SITE, "icp", "京ICP备12345678号-1", "京ICP备12345678号-1");
	rejected(st, SW_ENT_SITE, "icp", NULL, "ICP12345678", SW_EINVAL, NULL);
	canon(st, SW_ENT_SITE, "url", "WWW.Example.GOV.cn", "http://www.example.gov.cn/");
	rejected(st, SW_ENT_SITE, "url", "http://a.gov.cn/", "ftp://a.gov.cn/", SW_EINVAL, NULL);
}

static void test_apply_text_oversize(void **state)
{
	struct sw_store *st = *state;
	char big[SW_REG_TEXT_MAX + 2];
	struct sw_rec r;
	struct sw_errbuf eb;
	enum sw_err rc;

	memset(big, 'a', SW_REG_TEXT_MAX + 1);
	big[SW_REG_TEXT_MAX + 1] = '\0';
	sw_rec_init(&r, sw_entity_get(SW_ENT_SITE));
	set(st, &r, "note", "kept");
	sw_errbuf_clear(&eb);
	rc = sw_reg_apply(st, &r, fi(&r, "note"), big, &eb);
	/* register.h promises SW_EINVAL; SW_ELIMIT says the same more precisely. */
	assert_true(rc == SW_EINVAL || rc == SW_ELIMIT);
	assert_string_equal(eb.field, "note");
	assert_non_null(strstr(eb.msg, "2000"));
	assert_string_equal(get(&r, "note"), "kept");
	sw_rec_cleanup(&r);
}

static void test_apply_enum(void **state)
{
	struct sw_store *st = *state;

	canon(st, SW_ENT_SITE, "status", "运行", "online");          /* Chinese label */
	canon(st, SW_ENT_SITE, "status", "正常运行", "online");      /* alias */
	canon(st, SW_ENT_SITE, "status", "ONLINE", "online");        /* key, any case */
	canon(st, SW_ENT_SITE, "status", "pre_launch", "pre-launch");
	canon(st, SW_ENT_SITE, "status", " 关停 ", "closed");
	canon(st, SW_ENT_SITE, "hosting", "政务云", "cloud");
	canon(st, SW_ENT_UNIT, "type", "事业单位", "institution");
	canon(st, SW_ENT_UNIT, "type", "国企", "soe");
	canon(st, SW_ENT_PERSON, "role", "安全责任人", "security");
	rejected(st, SW_ENT_SITE, "status", "closed", "半运行", SW_EINVAL, "online (运行)");
	rejected(st, SW_ENT_UNIT, "type", NULL, "company", SW_EINVAL, "party_gov");
}

static void test_apply_bool(void **state)
{
	struct sw_store *st = *state;

	canon(st, SW_ENT_SITE, "badge", "是", "1");
	canon(st, SW_ENT_SITE, "badge", "否", "0");
	canon(st, SW_ENT_SITE, "badge", "YES", "1");
	canon(st, SW_ENT_SITE, "badge", "no", "0");
	canon(st, SW_ENT_SITE, "badge", "已悬挂", "1");
	canon(st, SW_ENT_SITE, "badge", "未挂", "0");
	canon(st, SW_ENT_SITE, "badge", "1", "1");
	rejected(st, SW_ENT_SITE, "badge", "是", "maybe", SW_EINVAL, "是/否");
	rejected(st, SW_ENT_SITE, "badge", "否", "2", SW_EINVAL, NULL);
}

static void test_apply_int(void **state)
{
	struct sw_store *st = *state;

	canon(st, SW_ENT_SITE, "mlps_grade", "3", "3");
	canon(st, SW_ENT_SITE, "mlps_grade", "第三级", "3");
	canon(st, SW_ENT_SITE, "mlps_grade", "三级", "3");
	canon(st, SW_ENT_SITE, "mlps_grade", "3级", "3");
	canon(st, SW_ENT_SITE, "mlps_grade", "第5级", "5");
	canon(st, SW_ENT_SITE, "mlps_grade", "一", "1");
	canon(st, SW_ENT_SITE, "mlps_grade", "04", "4");
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "0", SW_EINVAL, "1 to 5");
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "6", SW_EINVAL, "1 to 5");
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "第六级", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "3.0", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "三 级", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "级", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "-3", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "mlps_grade", "2", "99999999999999999999999", SW_EINVAL, NULL);
}

/* A long value must be judged whole: parse_int copies the text into a
 * 64-byte buffer, so a value whose first 63 bytes read as a number is
 * accepted whatever follows.  Fails while that truncation is in place. */
static void test_apply_int_long_input_not_truncated(void **state)
{
	struct sw_store *st = *state;
	char in[128];

	memset(in, '0', 62);
	strcpy(in + 62, "3 is not a grade");
	rejected(st, SW_ENT_SITE, "mlps_grade", NULL, in, SW_EINVAL, NULL);
}

static void test_apply_date(void **state)
{
	struct sw_store *st = *state;

	canon(st, SW_ENT_SITE, "launch_date", "2024-03-05", "2024-03-05");
	canon(st, SW_ENT_SITE, "launch_date", "2024/3/5", "2024-03-05");
	canon(st, SW_ENT_SITE, "launch_date", "2024.03.05", "2024-03-05");
	canon(st, SW_ENT_SITE, "launch_date", "2024年3月5日", "2024-03-05");
	canon(st, SW_ENT_SITE, "launch_date", "2024-02-29", "2024-02-29");
	rejected(st, SW_ENT_SITE, "launch_date", "2020-01-01", "2023-02-29", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "launch_date", "2020-01-01", "1989-12-31", SW_EINVAL, "1990");
	rejected(st, SW_ENT_SITE, "launch_date", NULL, "yesterday", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "review_date", NULL, "2024-13-01", SW_EINVAL, NULL);
}

static void test_apply_list(void **state)
{
	struct sw_store *st = *state;
	struct sw_rec r;

	/* Chinese separators ， ； 、, and duplicates dropped (after
	 * canonicalisation: case). */
	canon(st, SW_ENT_SITE, "domains",
	      "a.example.cn，b.example.cn；c.example.cn、A.Example.CN", "a.example.cn;b.example.cn;"
									"c.example.cn");
	canon(st, SW_ENT_SITE, "domains", " a.example.cn ;; , b.example.cn\t", "a.example.cn;b.example.cn");
	/* A suffix or prefix of an item is not a duplicate of it. */
	canon(st, SW_ENT_SITE, "domains", "xab.cn;ab.cn;b.cn;ab.cn.net", "xab.cn;ab.cn;b.cn;ab.cn.net");
	canon(st, SW_ENT_SITE, "domains", "b.cn.net;b.cn", "b.cn.net;b.cn");
	canon(st, SW_ENT_SITE, "ips", "10.0.0.1, 10.0.0.1 10.0.0.2、2001:DB8::1",
	      "10.0.0.1;10.0.0.2;2001:db8::1");
	rejected(st, SW_ENT_SITE, "domains", "keep.cn", "a.example.cn;bad..name.cn", SW_EINVAL, NULL);
	rejected(st, SW_ENT_SITE, "ips", "10.0.0.1", "10.0.0.300", SW_EINVAL, NULL);
	/* IDN items become punycode. */
	sw_rec_init(&r, sw_entity_get(SW_ENT_SITE));
	set(st, &r, "domains", "政府.中国");
	assert_non_null(get(&r, "domains"));
	assert_memory_equal(get(&r, "domains"), "xn--", 4);
	assert_null(strchr(get(&r, "domains"), ';'));
	sw_rec_cleanup(&r);
}

static void test_apply_ref(void **state)
{
	struct sw_store *st = *state;
	char code[19], lower[19], idtxt[24];
	int64_t u1, u2, g;

	sw_test_credit(code, "91110000MA0000001");
	u1 = add_unit(st, "北京市网信办", code);
	u2 = add_unit(st, "北京市教委", NULL);
	g = add_group(st, "北京市政府网站群");
	snprintf(idtxt, sizeof idtxt, "%" PRId64, u2);
	canon(st, SW_ENT_SITE, "unit", idtxt, idtxt);                 /* by id */
	snprintf(idtxt, sizeof idtxt, "%" PRId64, u1);
	canon(st, SW_ENT_SITE, "unit", "北京市网信办", idtxt);        /* by name */
	canon(st, SW_ENT_SITE, "unit", code, idtxt);                  /* by credit code */
	for (size_t i = 0; i < sizeof code; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	canon(st, SW_ENT_SITE, "unit", lower, idtxt);                 /* code, lower case */
	snprintf(idtxt, sizeof idtxt, "%" PRId64, g);
	canon(st, SW_ENT_SITE, "group", " 北京市政府网站群 ", idtxt);
	rejected(st, SW_ENT_SITE, "unit", "北京市教委", "没有这个单位", SW_ENOTFOUND, "没有这个单位");
	rejected(st, SW_ENT_SITE, "unit", NULL, "999999", SW_ENOTFOUND, NULL); /* no such id */
	rejected(st, SW_ENT_SITE, "group", NULL, "北京市政府", SW_ENOTFOUND, NULL);
	/* An ambiguous name asks for the id. */
	add_unit(st, "同名单位", NULL);
	add_unit(st, "同名单位", NULL);
	rejected(st, SW_ENT_SITE, "unit", NULL, "同名单位", SW_EINVAL, "id");
}

static void test_resolve(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit, site, id = 0, bj = 0;

	unit = add_unit(st, "某市政府办公室", NULL);
	site = add_site(st, "某市政府门户", "https://www.example.gov.cn/portal", unit,
			"example.gov.cn;mirror.example.gov.cn");
	sw_errbuf_clear(&eb);
	/* Sites by URL, host, other domain, name. */
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE),
					"https://www.example.gov.cn/portal", &id, &eb), SW_OK);
	assert_true(id == site);
	id = 0;
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), "www.example.gov.cn", &id,
					&eb), SW_OK);
	assert_true(id == site);
	id = 0;
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), "MIRROR.example.gov.cn",
					&id, &eb), SW_OK);
	assert_true(id == site);
	id = 0;
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), "某市政府门户", &id, &eb),
			 SW_OK);
	assert_true(id == site);
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), "other.gov.cn", &id, &eb),
			 SW_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "other.gov.cn"));
	/* Regions by code or name (the provinces ship with the schema). */
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_REGION), "110000", &bj, &eb), SW_OK);
	id = 0;
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_REGION), "北京市", &id, &eb), SW_OK);
	assert_true(id == bj && bj > 0);
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_REGION), "", &id, &eb),
			 SW_ENOTFOUND);
}

/* ---- sw_reg_add ---- */

static void test_add_required_missing(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t unit = add_unit(st, "单位", NULL);

	/* An empty record: the first required field is named. */
	sw_rec_init(&r, sw_entity_get(SW_ENT_SITE));
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "name");
	sw_rec_cleanup(&r);

	/* A site without a URL. */
	site_rec(st, &r, "无网址网站", "http://x.gov.cn/", unit, NULL);
	set(st, &r, "url", "");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "url");
	assert_non_null(strstr(eb.msg, "首页地址"));
	assert_non_null(strstr(eb.msg, "required"));
	assert_true(r.id == 0);
	sw_rec_cleanup(&r);

	/* A unit without its type. */
	sw_rec_init(&r, sw_entity_get(SW_ENT_UNIT));
	set(st, &r, "name", "无类型单位");
	set(st, &r, "region", "110000");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "type");
	assert_non_null(strstr(eb.msg, "单位类型"));
	sw_rec_cleanup(&r);
	assert_int_equal(count(st, SW_ENT_SITE), 0);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
}

static void test_add_defaults(void **state)
{
	struct sw_store *st = *state;
	struct sw_rec r;
	int64_t unit = add_unit(st, "单位", NULL);
	int64_t site = add_site(st, "网站", "http://www.a.gov.cn", unit, NULL);

	load(st, SW_ENT_SITE, site, &r);
	assert_string_equal(get(&r, "status"), "online");
	assert_string_equal(get(&r, "review_state"), "pending");
	assert_string_equal(get(&r, "url"), "http://www.a.gov.cn/");
	assert_null(get(&r, "mlps_next_due"));
	sw_rec_cleanup(&r);
}

static void test_add_duplicate_url(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit = add_unit(st, "单位", NULL), first, id;

	first = add_site(st, "甲网站", "http://www.a.gov.cn/", unit, NULL);
	assert_int_equal(try_site(st, "乙网站", "HTTP://WWW.A.GOV.CN", unit, NULL, &id, &eb),
			 SW_EEXIST);
	assert_string_equal(eb.field, "url");
	names_row(eb.msg, "site", first);
	assert_non_null(strstr(eb.msg, "甲网站")); /* and by name */
	assert_non_null(strstr(eb.msg, "http://www.a.gov.cn/"));
	assert_int_equal(count(st, SW_ENT_SITE), 1);
}

static void test_add_domain_clash(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit = add_unit(st, "单位", NULL), a, id, found = 0;

	a = add_site(st, "甲网站", "http://www.a.gov.cn/", unit, "a.gov.cn;old.a.gov.cn");
	/* Another site listing a domain of site A. */
	assert_int_equal(try_site(st, "乙网站", "http://www.b.gov.cn/", unit, "b.gov.cn;old.a.gov.cn",
				  &id, &eb), SW_EEXIST);
	assert_string_equal(eb.field, "domains");
	assert_non_null(strstr(eb.msg, "old.a.gov.cn"));
	names_row(eb.msg, "site", a);
	assert_non_null(strstr(eb.msg, "甲网站"));
	/* A URL whose host site A holds as another domain: the URL is at fault. */
	assert_int_equal(try_site(st, "丙网站", "https://a.gov.cn/portal", unit, NULL, &id, &eb),
			 SW_EEXIST);
	assert_string_equal(eb.field, "url");
	assert_non_null(strstr(eb.msg, "a.gov.cn"));
	names_row(eb.msg, "site", a);
	/* Same host as A's home page, another path. */
	assert_int_equal(try_site(st, "丁网站", "http://www.a.gov.cn/other/", unit, NULL, &id, &eb),
			 SW_EEXIST);
	assert_string_equal(eb.field, "url");
	/* Nothing of the failed sites stays: their rows and host names. */
	assert_int_equal(count(st, SW_ENT_SITE), 1);
	assert_int_equal(sw_store_site_by_domain(st, "b.gov.cn", &found, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_site_by_domain(st, "old.a.gov.cn", &found, NULL), SW_OK);
	assert_true(found == a);
	/* A site whose URL is an IP address holds no host name. */
	id = add_site(st, "内网网站", "http://10.1.2.3/", unit, "ip.b.gov.cn");
	assert_int_equal(sw_store_site_by_domain(st, "10.1.2.3", &found, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_site_by_domain(st, "ip.b.gov.cn", &found, NULL), SW_OK);
	assert_true(found == id);
}

static void test_add_domain_listed_twice(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit = add_unit(st, "单位", NULL), id;

	/* The other domains repeat the home page's host. */
	assert_int_equal(try_site(st, "网站", "http://www.c.gov.cn/", unit, "c.gov.cn;WWW.C.GOV.CN",
				  &id, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "domains");
	assert_non_null(strstr(eb.msg, "www.c.gov.cn"));
	assert_non_null(strstr(eb.msg, "twice"));
	assert_int_equal(count(st, SW_ENT_SITE), 0);
}

/* Every host name of a site is indexed, however many it lists: otherwise
 * another site can claim one unnoticed.  save() collects at most 64 names
 * and drops the rest silently, so this fails while that cap is there. */
static void test_add_many_domains_all_indexed(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	char doms[2000];
	size_t used = 0;
	int64_t unit = add_unit(st, "单位", NULL), a, id, found = 0;

	for (int i = 0; i < 70; i++)
		used += (size_t)snprintf(doms + used, sizeof doms - used, "%sd%02d.many.cn",
					 i ? ";" : "", i);
	a = add_site(st, "多域名网站", "http://www.many.cn/", unit, doms);
	assert_int_equal(sw_store_site_by_domain(st, "d00.many.cn", &found, NULL), SW_OK);
	assert_true(found == a);
	assert_int_equal(sw_store_site_by_domain(st, "d69.many.cn", &found, NULL), SW_OK);
	assert_true(found == a);
	assert_int_equal(try_site(st, "抢域名", "http://d69.many.cn/", unit, NULL, &id, &eb),
			 SW_EEXIST);
}

static void test_add_region_derives_level_and_parent(void **state)
{
	struct sw_store *st = *state;
	const struct {
		const char *code, *name, *parent, *level;
	} cases[] = {
		{"440300", "深圳市", "440000", "2"},
		{"440305", "南山区", "440300", "3"}, /* its city is registered */
		{"110105", "朝阳区", "110000", "3"}, /* no 110100: the province */
		{"120101", "和平区", "120100", "3"}, /* an explicit parent is kept */
	};
	struct sw_errbuf eb;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sw_rec r, back;

		sw_rec_init(&r, sw_entity_get(SW_ENT_REGION));
		set(st, &r, "code", cases[i].code);
		set(st, &r, "name", cases[i].name);
		if (i == 3)
			set(st, &r, "parent", "120100");
		sw_errbuf_clear(&eb);
		if (sw_reg_add(st, &r, &eb))
			fail_msg("%s: %s", cases[i].code, eb.msg);
		load(st, SW_ENT_REGION, r.id, &back);
		assert_string_equal(get(&back, "level"), cases[i].level);
		assert_string_equal(get(&back, "parent"), cases[i].parent);
		sw_rec_cleanup(&r);
		sw_rec_cleanup(&back);
	}
	/* A code that exists already. */
	{
		struct sw_rec r;

		sw_rec_init(&r, sw_entity_get(SW_ENT_REGION));
		set(st, &r, "code", "440300");
		set(st, &r, "name", "深圳");
		sw_errbuf_clear(&eb);
		assert_int_equal(sw_reg_add(st, &r, &eb), SW_EEXIST);
		assert_string_equal(eb.field, "code");
		assert_non_null(strstr(eb.msg, "440300"));
		sw_rec_cleanup(&r);
	}
	rejected(st, SW_ENT_REGION, "code", NULL, "990000", SW_EINVAL, NULL);
	rejected(st, SW_ENT_REGION, "code", NULL, "11000", SW_EINVAL, NULL);
}

/* Adds a site with MLPS grade and assessment date; returns the stored
 * next-due date in due (empty when none). */
static void mlps_due(struct sw_store *st, int64_t unit, const char *url, const char *grade,
		     const char *assess, char *due, size_t n)
{
	struct sw_errbuf eb;
	struct sw_rec r, back;

	site_rec(st, &r, url, url, unit, NULL);
	set(st, &r, "mlps_grade", grade);
	set(st, &r, "mlps_assess_date", assess);
	sw_errbuf_clear(&eb);
	if (sw_reg_add(st, &r, &eb))
		fail_msg("%s: %s", url, eb.msg);
	load(st, SW_ENT_SITE, r.id, &back);
	snprintf(due, n, "%s", get(&back, "mlps_next_due") ? get(&back, "mlps_next_due") : "");
	sw_rec_cleanup(&r);
	sw_rec_cleanup(&back);
}

static void test_add_mlps_next_due(void **state)
{
	struct sw_store *st = *state;
	int64_t unit = add_unit(st, "单位", NULL);
	char due[16];

	mlps_due(st, unit, "http://m1.gov.cn/", "第三级", "2024-03-15", due, sizeof due);
	assert_string_equal(due, "2025-03-15");
	mlps_due(st, unit, "http://m2.gov.cn/", "4", "2024-08-31", due, sizeof due);
	assert_string_equal(due, "2025-02-28"); /* day clamped */
	mlps_due(st, unit, "http://m3.gov.cn/", "5", "2023-08-31", due, sizeof due);
	assert_string_equal(due, "2024-02-29"); /* leap year */
	mlps_due(st, unit, "http://m4.gov.cn/", "3", "2024-02-29", due, sizeof due);
	assert_string_equal(due, "2025-02-28");
	mlps_due(st, unit, "http://m5.gov.cn/", "4", "2024-07-15", due, sizeof due);
	assert_string_equal(due, "2025-01-15"); /* across the year */
	mlps_due(st, unit, "http://m6.gov.cn/", "4", "2024-06-30", due, sizeof due);
	assert_string_equal(due, "2024-12-30"); /* month 12 stays in the year */
	mlps_due(st, unit, "http://m7.gov.cn/", "2", "2024-03-15", due, sizeof due);
	assert_string_equal(due, ""); /* no fixed cycle */
	mlps_due(st, unit, "http://m8.gov.cn/", "3", "", due, sizeof due);
	assert_string_equal(due, ""); /* never assessed */
}

static void test_mlps_next_due_on_edit(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t unit = add_unit(st, "单位", NULL), id;

	/* A given next-due date is kept (applied after grade and date). */
	site_rec(st, &r, "网站", "http://e.gov.cn/", unit, NULL);
	set(st, &r, "mlps_grade", "3");
	set(st, &r, "mlps_assess_date", "2024-03-15");
	set(st, &r, "mlps_next_due", "2024-12-01");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_OK);
	id = r.id;
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, id, &r);
	assert_string_equal(get(&r, "mlps_next_due"), "2024-12-01");
	/* Changing the grade clears it at once and the update derives it. */
	set(st, &r, "mlps_grade", "4");
	assert_null(get(&r, "mlps_next_due"));
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, id, &r);
	assert_string_equal(get(&r, "mlps_next_due"), "2024-09-15");
	/* A new assessment date re-derives it. */
	set(st, &r, "mlps_assess_date", "2025-01-10");
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, id, &r);
	assert_string_equal(get(&r, "mlps_next_due"), "2025-07-10");
	/* An edit of another field leaves it alone. */
	set(st, &r, "note", "改备注");
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, id, &r);
	assert_string_equal(get(&r, "mlps_next_due"), "2025-07-10");
	/* Down to grade 2: no cycle, no date. */
	set(st, &r, "mlps_grade", "二级");
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, id, &r);
	assert_null(get(&r, "mlps_next_due"));
	/* A rejected grade leaves the date alone. */
	set(st, &r, "mlps_grade", "3");
	set(st, &r, "mlps_next_due", "2030-01-01");
	assert_int_equal(sw_reg_apply(st, &r, fi(&r, "mlps_grade"), "9", &eb), SW_EINVAL);
	assert_string_equal(get(&r, "mlps_next_due"), "2030-01-01");
	sw_rec_cleanup(&r);
}

/* ---- sw_reg_update ---- */

static void test_update_site(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t unit = add_unit(st, "单位", NULL), a, b, found = 0, id;

	a = add_site(st, "甲网站", "http://www.a.gov.cn/", unit, "a.gov.cn;old.a.gov.cn");
	b = add_site(st, "乙网站", "http://www.b.gov.cn/", unit, NULL);
	/* Re-saving A with its own host names is no clash. */
	load(st, SW_ENT_SITE, a, &r);
	set(st, &r, "name", "甲网站（新）");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	assert_true(r.id == a);
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_site_by_domain(st, "old.a.gov.cn", &found, NULL), SW_OK);
	assert_true(found == a);
	/* Dropping a domain frees it for another site. */
	load(st, SW_ENT_SITE, a, &r);
	set(st, &r, "domains", "a.gov.cn");
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_OK);
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_site_by_domain(st, "old.a.gov.cn", &found, NULL), SW_ENOTFOUND);
	assert_int_equal(try_site(st, "丙网站", "http://old.a.gov.cn/", unit, NULL, &id, &eb), SW_OK);
	/* B taking A's URL or a domain of A is refused and B stays as it was. */
	load(st, SW_ENT_SITE, b, &r);
	set(st, &r, "url", "http://www.a.gov.cn/");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_EEXIST);
	assert_string_equal(eb.field, "url");
	names_row(eb.msg, "site", a);
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, b, &r);
	assert_string_equal(get(&r, "url"), "http://www.b.gov.cn/");
	set(st, &r, "domains", "a.gov.cn");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_update(st, &r, &eb), SW_EEXIST);
	assert_string_equal(eb.field, "domains");
	sw_rec_cleanup(&r);
	load(st, SW_ENT_SITE, b, &r);
	assert_null(get(&r, "domains"));
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_site_by_domain(st, "www.b.gov.cn", &found, NULL), SW_OK);
	assert_true(found == b);
}

/* ---- sw_reg_remove ---- */

static void test_remove_refused_while_referenced(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	char label[64];
	int64_t unit = add_unit(st, "有网站的单位", NULL), s1, s2;

	s1 = add_site(st, "一", "http://one.gov.cn/", unit, NULL);
	s2 = add_site(st, "二", "http://two.gov.cn/", unit, NULL);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_UNIT), unit, &eb), SW_EINUSE);
	assert_non_null(strstr(eb.msg, "2 site(s)"));
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
	sw_reg_label(st, SW_ENT_UNIT, unit, label, sizeof label);
	assert_string_equal(label, "有网站的单位");

	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_SITE), s1, &eb), SW_OK);
	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_SITE), s2, &eb), SW_OK);
	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_UNIT), unit, &eb), SW_OK);
	assert_int_equal(count(st, SW_ENT_UNIT), 0);
	assert_int_equal(count(st, SW_ENT_SITE), 0);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_UNIT), unit, &eb), SW_ENOTFOUND);
	{
		char want[32];

		sw_reg_label(st, SW_ENT_UNIT, unit, label, sizeof label);
		snprintf(want, sizeof want, "#%" PRId64, unit);
		assert_string_equal(label, want);
	}
	/* The host names of a removed site are free again. */
	add_site(st, "一（新）", "http://one.gov.cn/", add_unit(st, "新单位", NULL), NULL);
}

/* ---- policy ---- */

static void test_policy_inheritance(void **state)
{
	struct sw_store *st = *state;
	struct sw_policy p;
	struct sw_errbuf eb;
	int64_t unit = add_unit(st, "单位", NULL);
	int64_t g1 = add_group(st, "一号网站群"), g2 = add_group(st, "二号网站群");
	int64_t s1 = add_site(st, "一", "http://one.gov.cn/", unit, NULL);
	int64_t s2 = add_site(st, "二", "http://two.gov.cn/", unit, NULL);
	int iv = sw_policy_field("interval");

	sw_errbuf_clear(&eb);
	/* Built-in default. */
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 300);
	assert_int_equal(p.from[iv], -1);
	/* Global setting. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GLOBAL, 0, "interval", "600", &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 600);
	assert_int_equal(p.from[iv], SW_SCOPE_GLOBAL);
	/* Group override, for that group's sites only. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GROUP, g1, "interval", "120", &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 120);
	assert_int_equal(p.from[iv], SW_SCOPE_GROUP);
	assert_int_equal(sw_reg_policy(st, g2, s2, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 600);
	assert_int_equal(sw_reg_policy(st, g1, 0, &p, &eb), SW_OK); /* the group itself */
	assert_int_equal(sw_policy_int(&p, "interval"), 120);
	/* Site override. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_SITE, s1, "interval", "60", &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 60);
	assert_int_equal(p.from[iv], SW_SCOPE_SITE);
	/* Per field: the site's other fields still inherit. */
	assert_int_equal(p.from[sw_policy_field("timeout")], -1);
	/* Unset: back to the group's value. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_SITE, s1, "interval", NULL, &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 120);
	assert_int_equal(p.from[iv], SW_SCOPE_GROUP);
	/* Values are stored canonical. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_SITE, s1, "checks", "tls;tls,dns", &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_string_equal(p.v[sw_policy_field("checks")], "tls,dns");
	/* Invalid values and unknown keys are refused and change nothing. */
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GROUP, g1, "interval", "5", &eb), SW_EINVAL);
	assert_string_equal(eb.field, "interval");
	assert_non_null(strstr(eb.msg, "30 to 86400"));
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GROUP, g1, "no_such", "1", &eb), SW_EINVAL);
	assert_string_equal(eb.field, "no_such");
	assert_int_equal(sw_reg_policy(st, g1, s1, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 120);
	/* '-' spelling of a key is stored under the table's key. */
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GLOBAL, 0, "fail-threshold", "7", &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, 0, 0, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "fail_threshold"), 7);
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_GLOBAL, 0, "fail_threshold", NULL, &eb), SW_OK);
	assert_int_equal(sw_reg_policy(st, 0, 0, &p, &eb), SW_OK);
	assert_int_equal(sw_policy_int(&p, "fail_threshold"), 3);
}

/* A removed site's settings must not pass to a later site that gets the
 * same id (SQLite reuses the highest rowid). */
static void test_policy_dropped_with_site(void **state)
{
	struct sw_store *st = *state;
	struct sw_policy p;
	struct sw_errbuf eb;
	int64_t unit = add_unit(st, "单位", NULL);
	int64_t s = add_site(st, "旧", "http://old.gov.cn/", unit, NULL), s2;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_policy_set(st, SW_SCOPE_SITE, s, "protection", "off", &eb), SW_OK);
	assert_int_equal(sw_reg_remove(st, sw_entity_get(SW_ENT_SITE), s, &eb), SW_OK);
	s2 = add_site(st, "新", "http://new.gov.cn/", unit, NULL);
	assert_int_equal(sw_reg_policy(st, 0, s2, &p, &eb), SW_OK);
	assert_string_equal(p.v[sw_policy_field("protection")], "restore");
	assert_int_equal(p.from[sw_policy_field("protection")], -1);
}

/* ---- transactions ---- */

/* A failed add inside a caller's transaction undoes only itself (a
 * savepoint): the caller's earlier writes survive and commit. */
static void test_failed_add_in_outer_transaction(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit, a, id, found = 0;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_begin(st, &eb), SW_OK);
	unit = add_unit(st, "事务内单位", NULL);
	a = add_site(st, "甲", "http://www.a.gov.cn/", unit, "a.gov.cn");
	/* Fails at the insert (duplicate URL). */
	assert_int_equal(try_site(st, "乙", "http://www.a.gov.cn/", unit, NULL, &id, &eb), SW_EEXIST);
	/* Fails after its row was inserted (domain clash): the row goes too. */
	assert_int_equal(try_site(st, "丙", "http://www.c.gov.cn/", unit, "a.gov.cn", &id, &eb),
			 SW_EEXIST);
	/* Fails before the store (missing field). */
	assert_int_equal(try_site(st, "丁", "http://www.d.gov.cn/", 0, NULL, &id, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "unit");
	assert_int_equal(sw_store_commit(st, &eb), SW_OK);

	assert_int_equal(count(st, SW_ENT_UNIT), 1);
	assert_int_equal(count(st, SW_ENT_SITE), 1);
	assert_int_equal(sw_store_site_by_domain(st, "a.gov.cn", &found, NULL), SW_OK);
	assert_true(found == a);
	assert_int_equal(sw_store_site_by_domain(st, "www.c.gov.cn", &found, NULL), SW_ENOTFOUND);
	/* And the store still takes new work. */
	add_site(st, "戊", "http://www.e.gov.cn/", unit, NULL);
	assert_int_equal(count(st, SW_ENT_SITE), 2);
}

static void test_outer_rollback_undoes_adds(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t unit;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_begin(st, &eb), SW_OK);
	unit = add_unit(st, "回滚单位", NULL);
	add_site(st, "甲", "http://www.a.gov.cn/", unit, NULL);
	sw_store_rollback(st);
	assert_int_equal(count(st, SW_ENT_UNIT), 0);
	assert_int_equal(count(st, SW_ENT_SITE), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sw_test_setup, sw_test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_trim),
		T(test_apply_null_and_blank_clear),
		T(test_apply_text),
		T(test_apply_text_oversize),
		T(test_apply_enum),
		T(test_apply_bool),
		T(test_apply_int),
		T(test_apply_int_long_input_not_truncated),
		T(test_apply_date),
		T(test_apply_list),
		T(test_apply_ref),
		T(test_resolve),
		T(test_add_required_missing),
		T(test_add_defaults),
		T(test_add_duplicate_url),
		T(test_add_domain_clash),
		T(test_add_domain_listed_twice),
		T(test_add_many_domains_all_indexed),
		T(test_add_region_derives_level_and_parent),
		T(test_add_mlps_next_due),
		T(test_mlps_next_due_on_edit),
		T(test_update_site),
		T(test_remove_refused_while_referenced),
		T(test_policy_inheritance),
		T(test_policy_dropped_with_site),
		T(test_failed_add_in_outer_transaction),
		T(test_outer_rollback_undoes_adds),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
