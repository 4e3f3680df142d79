/*
 * test_store.c - the store interface, on SQLite by default and on
 * PostgreSQL when the harness sets SW_TEST_STORE_URL: records, look-ups,
 * filtered lists, nested and bulk transactions, side tables, migrations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "../testutil.h"
#include "model/entity.h"

/* Makes a record of entity e from key/value pairs ending with NULL. */
static void rec_make(struct sw_rec *r, enum sw_ent e, ...)
{
	va_list ap;
	const char *k;

	sw_rec_init(r, sw_entity_get(e));
	va_start(ap, e);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		assert_int_equal(sw_rec_set(r, sw_field_index(e, k), v), SW_OK);
	}
	va_end(ap);
}

/* Inserts a unit and returns its id. */
static int64_t add_unit(struct sw_store *st, const char *name, const char *type,
			const char *region)
{
	struct sw_rec u;
	int64_t id;

	rec_make(&u, SW_ENT_UNIT, "name", name, "type", type, "region", region, NULL);
	assert_int_equal(sw_store_insert(st, &u, NULL), SW_OK);
	id = u.id;
	sw_rec_cleanup(&u);
	return id;
}

/* Inserts a site of unit (decimal id text) and returns its id. */
static int64_t add_site(struct sw_store *st, const char *name, const char *url,
			const char *unit, const char *status)
{
	struct sw_rec s;
	int64_t id;

	rec_make(&s, SW_ENT_SITE, "name", name, "url", url, "unit", unit, "status", status,
		 "review_state", "pending", NULL);
	assert_int_equal(sw_store_insert(st, &s, NULL), SW_OK);
	id = s.id;
	sw_rec_cleanup(&s);
	return id;
}

static int count_cb(void *arg, const struct sw_rec *rec)
{
	(void)rec;
	(*(int *)arg)++;
	return 0;
}

/* Number of rows of e passing f, by walking and by counting (must agree). */
static int list_n(struct sw_store *st, enum sw_ent e, const struct sw_filter *f)
{
	int n = 0;
	int64_t c = -1;

	assert_int_equal(sw_store_list(st, sw_entity_get(e), f, count_cb, &n, NULL), SW_OK);
	assert_int_equal(sw_store_count(st, sw_entity_get(e), f, &c, NULL), SW_OK);
	assert_int_equal(n, c);
	return n;
}

static void test_open_bad(void **state)
{
	struct sw_store *st = (struct sw_store *)1;
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_open("", &st, &eb), SW_EUSAGE);
	assert_null(st);
	assert_int_equal(sw_store_open(NULL, &st, &eb), SW_EUSAGE);
	sw_errbuf_clear(&eb);
	assert_int_not_equal(sw_store_open("/proc/no/such/dir/x.db", &st, &eb), SW_OK);
	assert_false(sw_errbuf_empty(&eb));
	sw_store_close(NULL);
}

static void test_migrated(void **state)
{
	struct sw_store *st = sw_test_store();
	struct sw_filter f = {.region = "110000"};

	(void)state;
	assert_true(sw_store_schema_version(st) >= 2);
	/* The province table ships with the schema: 34 rows, one under 11. */
	assert_int_equal(list_n(st, SW_ENT_REGION, NULL), 34);
	assert_int_equal(list_n(st, SW_ENT_REGION, &f), 1);
	sw_store_close(st);
}

static void test_crud(void **state)
{
	struct sw_store *st = sw_test_store();
	const struct sw_entity *ent = sw_entity_get(SW_ENT_UNIT);
	int name = sw_field_index(SW_ENT_UNIT, "name");
	struct sw_rec r, got;
	struct sw_errbuf eb;
	int64_t id, found;
	int matches;

	(void)state;
	id = add_unit(st, "北京市朝阳区人民政府", "party_gov", "110105");
	assert_true(id > 0);
	assert_int_equal(sw_store_get(st, ent, id, &got, NULL), SW_OK);
	assert_string_equal(sw_rec_get(&got, name), "北京市朝阳区人民政府");
	assert_null(sw_rec_get(&got, sw_field_index(SW_ENT_UNIT, "credit_code")));
	assert_non_null(got.created_at);
	assert_int_equal(got.created_at[4], '-');

	assert_int_equal(sw_rec_set(&got, name, "北京市朝阳区政府"), SW_OK);
	assert_int_equal(sw_store_update(st, &got, NULL), SW_OK);
	assert_int_equal(sw_store_get(st, ent, id, &r, NULL), SW_OK);
	assert_string_equal(sw_rec_get(&r, name), "北京市朝阳区政府");
	sw_rec_cleanup(&r);

	assert_int_equal(sw_store_find(st, ent, name, "北京市朝阳区政府", &found, &matches, NULL),
			 SW_OK);
	assert_int_equal(found, id);
	assert_int_equal(matches, 1);
	add_unit(st, "北京市朝阳区政府", "party_gov", "110105");
	assert_int_equal(sw_store_find(st, ent, name, "北京市朝阳区政府", &found, &matches, NULL),
			 SW_OK);
	assert_int_equal(found, id); /* the first by id */
	assert_int_equal(matches, 2);
	assert_int_equal(sw_store_find(st, ent, name, "nobody", &found, NULL, NULL), SW_ENOTFOUND);

	assert_int_equal(sw_store_delete(st, ent, id, NULL), SW_OK);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_get(st, ent, id, &r, &eb), SW_ENOTFOUND);
	assert_int_equal(sw_store_delete(st, ent, id, NULL), SW_ENOTFOUND);
	got.id = 999999;
	assert_int_equal(sw_store_update(st, &got, NULL), SW_ENOTFOUND);
	sw_rec_cleanup(&got);
	sw_store_close(st);
}

static void test_unique_and_refs(void **state)
{
	struct sw_store *st = sw_test_store();
	const struct sw_entity *units = sw_entity_get(SW_ENT_UNIT);
	struct sw_rec s, u;
	struct sw_errbuf eb;
	char unit[24];
	int64_t uid, n = 0;

	(void)state;
	uid = add_unit(st, "单位", "institution", "440305");
	snprintf(unit, sizeof unit, "%lld", (long long)uid);
	add_site(st, "网站", "https://www.example.gov.cn/", unit, "online");

	/* A second row with the same URL is refused and nothing is written. */
	rec_make(&s, SW_ENT_SITE, "name", "另一个", "url", "https://www.example.gov.cn/", "unit",
		 unit, "status", "online", "review_state", "pending", NULL);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_insert(st, &s, &eb), SW_EEXIST);
	assert_int_equal(s.id, 0);
	sw_rec_cleanup(&s);
	assert_int_equal(list_n(st, SW_ENT_SITE, NULL), 1);

	/* A reference to no row is refused by the foreign key. */
	rec_make(&s, SW_ENT_SITE, "name", "孤儿", "url", "https://orphan.gov.cn/", "unit", "424242",
		 "status", "online", "review_state", "pending", NULL);
	assert_int_equal(sw_store_insert(st, &s, NULL), SW_EINUSE);
	sw_rec_cleanup(&s);

	/* A referenced unit cannot go, and the message says what holds it. */
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_delete(st, units, uid, &eb), SW_EINUSE);
	assert_non_null(strstr(eb.msg, "1 site(s)"));
	assert_int_equal(sw_store_count(st, units, NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 1);

	/* Two units may not share a credit code. */
	rec_make(&u, SW_ENT_UNIT, "name", "甲", "type", "soe", "region", "440305", "credit_code",
		 "914403001922038216", NULL);
	assert_int_equal(sw_store_insert(st, &u, NULL), SW_OK);
	sw_rec_cleanup(&u);
	rec_make(&u, SW_ENT_UNIT, "name", "乙", "type", "soe", "region", "440305", "credit_code",
		 "914403001922038216", NULL);
	assert_int_equal(sw_store_insert(st, &u, NULL), SW_EEXIST);
	sw_rec_cleanup(&u);
	sw_store_close(st);
}

static void test_filters(void **state)
{
	struct sw_store *st = sw_test_store();
	struct sw_filter f;
	struct sw_rec g;
	char u1[24], u2[24], u3[24], gid[24];

	(void)state;
	snprintf(u1, sizeof u1, "%lld", (long long)add_unit(st, "朝阳", "party_gov", "110105"));
	snprintf(u2, sizeof u2, "%lld", (long long)add_unit(st, "海淀学校", "institution", "110108"));
	snprintf(u3, sizeof u3, "%lld", (long long)add_unit(st, "深圳国企", "soe", "440305"));
	add_site(st, "a", "https://a.gov.cn/", u1, "online");
	add_site(st, "b 100%_off", "https://b.edu.cn/", u2, "suspended");
	add_site(st, "c", "https://c.com.cn/", u3, "online");
	rec_make(&g, SW_ENT_GROUP, "name", "北京市网站群", NULL);
	assert_int_equal(sw_store_insert(st, &g, NULL), SW_OK);
	snprintf(gid, sizeof gid, "%lld", (long long)g.id);
	{
		struct sw_rec s;

		rec_make(&s, SW_ENT_SITE, "name", "d", "url", "https://d.gov.cn/", "unit", u1, "group",
			 gid, "status", "online", "review_state", "pending", NULL);
		assert_int_equal(sw_store_insert(st, &s, NULL), SW_OK);
		sw_rec_cleanup(&s);
	}

	assert_int_equal(list_n(st, SW_ENT_SITE, NULL), 4);
	f = (struct sw_filter){.region = "110000"}; /* province: both Beijing districts */
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 3);
	f = (struct sw_filter){.region = "110100"}; /* city level */
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 3);
	f = (struct sw_filter){.region = "110108"}; /* one county */
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.region = "440000", .status = "online"};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.unit_type = "party_gov"};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 2);
	f = (struct sw_filter){.group_id = g.id};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.unit_id = strtoll(u1, NULL, 10)};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 2);
	/* Search is literal: % and _ are not wildcards. */
	f = (struct sw_filter){.search = "100%_"};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.search = "%"};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.search = "edu.cn"};
	assert_int_equal(list_n(st, SW_ENT_SITE, &f), 1);
	f = (struct sw_filter){.region = "440000"};
	assert_int_equal(list_n(st, SW_ENT_UNIT, &f), 1);

	/* Paging walks the same rows in id order. */
	{
		int n = 0;

		f = (struct sw_filter){.limit = 3, .offset = 2};
		assert_int_equal(sw_store_list(st, sw_entity_get(SW_ENT_SITE), &f, count_cb, &n, NULL),
				 SW_OK);
		assert_int_equal(n, 2);
	}
	/* Filters that do not apply, and malformed regions, are errors. */
	f = (struct sw_filter){.group_id = 1};
	assert_int_equal(sw_store_count(st, sw_entity_get(SW_ENT_UNIT), &f, &(int64_t){0}, NULL),
			 SW_EINVAL);
	f = (struct sw_filter){.region = "11"};
	assert_int_equal(sw_store_count(st, sw_entity_get(SW_ENT_SITE), &f, &(int64_t){0}, NULL),
			 SW_EINVAL);
	sw_rec_cleanup(&g);
	sw_store_close(st);
}

static void test_transactions(void **state)
{
	struct sw_store *st = sw_test_store();
	const struct sw_entity *units = sw_entity_get(SW_ENT_UNIT);
	struct sw_errbuf eb;
	int64_t n;

	(void)state;
	/* Nested rollback undoes only the inner level. */
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "外层", "other", "110105");
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "内层", "other", "110105");
	sw_store_rollback(st);
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_count(st, units, NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 1);

	/* Outer rollback undoes everything, inner commits included. */
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "a", "other", "110105");
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "b", "other", "110105");
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	sw_store_rollback(st);
	assert_int_equal(sw_store_count(st, units, NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 1);

	/* In a bulk transaction an inner rollback dooms the whole. */
	assert_int_equal(sw_store_begin_bulk(st, NULL), SW_OK);
	add_unit(st, "c", "other", "110105");
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	sw_store_rollback(st);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_commit(st, &eb), SW_ESTORE);
	assert_int_equal(sw_store_count(st, units, NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 1);

	/* A bulk transaction without failures commits, and the store is usable
	 * for ordinary nested transactions afterwards. */
	assert_int_equal(sw_store_begin_bulk(st, NULL), SW_OK);
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "d", "other", "110105");
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	assert_int_equal(sw_store_begin(st, NULL), SW_OK);
	add_unit(st, "e", "other", "110105");
	sw_store_rollback(st);
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_count(st, units, NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 2);
	sw_store_close(st);
}

static int link_cb(void *arg, int64_t site, int64_t person, const char *role)
{
	char *out = arg;

	snprintf(out + strlen(out), 256 - strlen(out), "%lld/%lld/%s;", (long long)site,
		 (long long)person, role);
	return 0;
}

static int kv_cb(void *arg, const char *key, const char *value)
{
	char *out = arg;

	snprintf(out + strlen(out), 256 - strlen(out), "%s=%s;", key, value);
	return 0;
}

static void test_side_tables(void **state)
{
	struct sw_store *st = sw_test_store();
	const char *doms[] = {"a.gov.cn", "www.a.gov.cn"};
	const char *clash[] = {"b.gov.cn", "a.gov.cn"};
	char unit[24], buf[256] = "";
	struct sw_rec p;
	int64_t s1, s2, got;

	(void)state;
	snprintf(unit, sizeof unit, "%lld", (long long)add_unit(st, "u", "other", "110105"));
	s1 = add_site(st, "1", "https://a.gov.cn/", unit, "online");
	s2 = add_site(st, "2", "https://b.gov.cn/", unit, "online");
	assert_int_equal(sw_store_site_domains_set(st, s1, doms, 2, NULL), SW_OK);
	assert_int_equal(sw_store_site_by_domain(st, "www.a.gov.cn", &got, NULL), SW_OK);
	assert_int_equal(got, s1);
	/* Re-setting a site's own names is no clash; taking another's is, and
	 * leaves both sites as they were. */
	assert_int_equal(sw_store_site_domains_set(st, s1, doms, 2, NULL), SW_OK);
	assert_int_equal(sw_store_site_domains_set(st, s2, clash, 2, NULL), SW_EEXIST);
	assert_int_equal(sw_store_site_by_domain(st, "b.gov.cn", &got, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_site_by_domain(st, "a.gov.cn", &got, NULL), SW_OK);
	assert_int_equal(got, s1);

	rec_make(&p, SW_ENT_PERSON, "name", "张三", "role", "security", "unit", unit, NULL);
	assert_int_equal(sw_store_insert(st, &p, NULL), SW_OK);
	assert_int_equal(sw_store_site_person_link(st, s1, p.id, "security", NULL), SW_OK);
	assert_int_equal(sw_store_site_person_link(st, s1, p.id, "security", NULL), SW_OK);
	assert_int_equal(sw_store_site_person_link(st, s1, p.id, "contact", NULL), SW_OK);
	assert_int_equal(sw_store_site_persons(st, s1, 0, link_cb, buf, NULL), SW_OK);
	assert_int_equal(strlen(buf) > 0, 1);
	assert_non_null(strstr(buf, "/contact;"));
	assert_non_null(strstr(buf, "/security;"));
	assert_int_equal(sw_store_site_person_unlink(st, s1, p.id, "contact", NULL), SW_OK);
	assert_int_equal(sw_store_site_person_unlink(st, s1, p.id, "contact", NULL), SW_ENOTFOUND);
	/* Deleting the site takes its links and domain names with it. */
	assert_int_equal(sw_store_delete(st, sw_entity_get(SW_ENT_SITE), s1, NULL), SW_OK);
	buf[0] = '\0';
	assert_int_equal(sw_store_site_persons(st, 0, p.id, link_cb, buf, NULL), SW_OK);
	assert_string_equal(buf, "");
	assert_int_equal(sw_store_site_by_domain(st, "a.gov.cn", &got, NULL), SW_ENOTFOUND);

	assert_int_equal(sw_store_policy_set(st, SW_SCOPE_GROUP, 7, "interval", "600", NULL), SW_OK);
	assert_int_equal(sw_store_policy_set(st, SW_SCOPE_GROUP, 7, "interval", "900", NULL), SW_OK);
	assert_int_equal(sw_store_policy_set(st, SW_SCOPE_GROUP, 7, "checks", "tls", NULL), SW_OK);
	buf[0] = '\0';
	assert_int_equal(sw_store_policy_get(st, SW_SCOPE_GROUP, 7, kv_cb, buf, NULL), SW_OK);
	assert_string_equal(buf, "checks=tls;interval=900;");
	assert_int_equal(sw_store_policy_set(st, SW_SCOPE_GROUP, 7, "checks", NULL, NULL), SW_OK);
	buf[0] = '\0';
	assert_int_equal(sw_store_policy_get(st, SW_SCOPE_GROUP, 7, kv_cb, buf, NULL), SW_OK);
	assert_string_equal(buf, "interval=900;");
	buf[0] = '\0';
	assert_int_equal(sw_store_policy_get(st, SW_SCOPE_SITE, 7, kv_cb, buf, NULL), SW_OK);
	assert_string_equal(buf, "");
	sw_rec_cleanup(&p);
	sw_store_close(st);
}

/* A database written by a newer sitewarden is refused, not misread; and
 * reopening a current one applies nothing twice.  SQLite only: the
 * version is planted with the sqlite3 API behind the store's back. */
static void test_schema_versions(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct sw_store *st = NULL;
	struct sw_errbuf eb;
	char path[4096];
	sqlite3 *db;
	int v;

	(void)state;
	if (getenv("SW_TEST_STORE_URL") && *getenv("SW_TEST_STORE_URL"))
		skip();
	snprintf(path, sizeof path, "%s/sw-schema-%d.db", tmp && *tmp ? tmp : "/tmp", (int)getpid());
	unlink(path);
	assert_int_equal(sw_store_open(path, &st, NULL), SW_OK);
	v = sw_store_schema_version(st);
	sw_store_close(st);
	assert_int_equal(sw_store_open(path, &st, NULL), SW_OK);
	assert_int_equal(sw_store_schema_version(st), v);
	assert_int_equal(list_n(st, SW_ENT_REGION, NULL), 34); /* seeded once */
	sw_store_close(st);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO schema_migrations VALUES (9999, 'future', 'x')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	sw_errbuf_clear(&eb);
	st = NULL;
	assert_int_equal(sw_store_open(path, &st, &eb), SW_ESCHEMA);
	assert_null(st);
	assert_non_null(strstr(eb.msg, "9999"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_bad),	cmocka_unit_test(test_migrated),
		cmocka_unit_test(test_crud),		cmocka_unit_test(test_unique_and_refs),
		cmocka_unit_test(test_filters),		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_side_tables),	cmocka_unit_test(test_schema_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
