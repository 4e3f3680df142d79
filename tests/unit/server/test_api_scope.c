/*
 * test_api_scope.c - the store side of the API: access scopes in lists,
 * counts and gets (scope.c, query.c, records.c), the monitoring filters of
 * site lists, the overview and its daily rollups (overview.c) and the open
 * findings and check reads (overview_read.c), on a real store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "../testutil.h"
#include "model/entity.h"
#include "store/overview.h"

/* Inserts a record of entity e from key/value pairs ending with NULL and
 * returns its id. */
static int64_t add(struct sw_store *st, enum sw_ent e, ...)
{
	struct sw_errbuf eb;
	struct sw_rec r;
	const char *k;
	va_list ap;
	int64_t id;

	sw_errbuf_clear(&eb);
	sw_rec_init(&r, sw_entity_get(e));
	va_start(ap, e);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		assert_int_equal(sw_rec_set(&r, sw_field_index(e, k), v), SW_OK);
	}
	va_end(ap);
	if (sw_store_insert(st, &r, &eb))
		fail_msg("insert: %s", eb.msg);
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

static const char *num(int64_t v, char buf[24])
{
	snprintf(buf, 24, "%lld", (long long)v);
	return buf;
}

/* The register of every test:
 *   D1 (110000) > D2 (110000);  D3 (120000)
 *   U1 110101 party_gov under D2;  U2 120101 institution under D3;
 *   U3 110102 soe without department
 *   S1 (U1, group G), S2 (U2), S3 (U3), S4 (U2, suspended)
 *   P1 of U1, P2 of U2, P3 without unit */
struct world {
	struct sw_store *st;
	int64_t d1, d2, d3, u1, u2, u3, g, s1, s2, s3, s4, p1, p2, p3;
};

static void world_init(struct world *w)
{
	char a[24], b[24];

	w->st = sw_test_store();
	w->d1 = add(w->st, SW_ENT_DEPT, "name", "省网信办", "region", "110000", "kind", "cyberspace", NULL);
	w->d2 = add(w->st, SW_ENT_DEPT, "name", "区网信办", "region", "110000", "kind", "cyberspace", "parent",
		    num(w->d1, a), NULL);
	w->d3 = add(w->st, SW_ENT_DEPT, "name", "津网信办", "region", "120000", "kind", "cyberspace", NULL);
	w->u1 = add(w->st, SW_ENT_UNIT, "name", "东城区政府", "type", "party_gov", "region", "110101",
		    "department", num(w->d2, a), NULL);
	w->u2 = add(w->st, SW_ENT_UNIT, "name", "和平区医院", "type", "institution", "region",
		    "120101", "department", num(w->d3, a), NULL);
	w->u3 = add(w->st, SW_ENT_UNIT, "name", "西城区国企", "type", "soe", "region", "110102", NULL);
	w->g = add(w->st, SW_ENT_GROUP, "name", "区政府网站群", NULL);
	w->s1 = add(w->st, SW_ENT_SITE, "name", "s1", "url", "http://s1.test/", "unit", num(w->u1, a),
		    "group", num(w->g, b), "status", "online", "review_state", "pending", NULL);
	w->s2 = add(w->st, SW_ENT_SITE, "name", "s2", "url", "http://s2.test/", "unit", num(w->u2, a),
		    "status", "online", "review_state", "pending", NULL);
	w->s3 = add(w->st, SW_ENT_SITE, "name", "s3", "url", "http://s3.test/", "unit", num(w->u3, a),
		    "status", "online", "review_state", "pending", NULL);
	w->s4 = add(w->st, SW_ENT_SITE, "name", "s4", "url", "http://s4.test/", "unit", num(w->u2, a),
		    "status", "suspended", "review_state", "pending", NULL);
	w->p1 = add(w->st, SW_ENT_PERSON, "name", "张三", "role", "chief", "unit", num(w->u1, a), NULL);
	w->p2 = add(w->st, SW_ENT_PERSON, "name", "李四", "role", "chief", "unit", num(w->u2, a), NULL);
	w->p3 = add(w->st, SW_ENT_PERSON, "name", "王五", "role", "chief", NULL);
}

/* Collects ids of a list. */
struct idlist {
	int64_t v[32];
	int n;
};

static int id_cb(void *arg, const struct sw_rec *rec)
{
	struct idlist *l = arg;

	if (l->n < 32)
		l->v[l->n++] = rec->id;
	return 0;
}

/* Lists ent under f into a space-separated string of ids, and checks the
 * count agrees. */
static const char *ids(struct sw_store *st, enum sw_ent e, const struct sw_filter *f, char *buf)
{
	struct idlist l = {.n = 0};
	struct sw_errbuf eb;
	int64_t n = -1;

	sw_errbuf_clear(&eb);
	if (sw_store_list(st, sw_entity_get(e), f, id_cb, &l, &eb))
		fail_msg("list: %s", eb.msg);
	if (sw_store_count(st, sw_entity_get(e), f, &n, &eb))
		fail_msg("count: %s", eb.msg);
	assert_int_equal(n, l.n);
	buf[0] = '\0';
	for (int i = 0; i < l.n; i++)
		sprintf(buf + strlen(buf), "%s%lld", i ? " " : "", (long long)l.v[i]);
	return buf;
}

/* The expected id list from ids in order (0 ends). */
static const char *exp_ids(char *buf, ...)
{
	va_list ap;
	int64_t v;
	int first = 1;

	buf[0] = '\0';
	va_start(ap, buf);
	while ((v = va_arg(ap, int64_t))) {
		sprintf(buf + strlen(buf), "%s%lld", first ? "" : " ", (long long)v);
		first = 0;
	}
	va_end(ap);
	return buf;
}

/* Sites by region subtree, department subtree (OR), unit; nothing for an
 * empty scope, everything for none. */
static void test_site_scope(void **state)
{
	struct world w;
	struct sw_access acc = {0};
	struct sw_filter f = {.acc = &acc};
	char got[256], want[256];

	(void)state;
	world_init(&w);
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), "");
	acc.region = "110000";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, w.s3, (int64_t)0));
	acc.region = NULL;
	acc.dept_id = w.d1; /* D2 is under D1: U1's sites */
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, (int64_t)0));
	acc.region = "120000"; /* OR: the region's sites too */
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got),
			    exp_ids(want, w.s1, w.s2, w.s4, (int64_t)0));
	memset(&acc, 0, sizeof acc);
	acc.unit_id = w.u2;
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s2, w.s4, (int64_t)0));
	/* Filters still apply inside the scope. */
	f.status = "suspended";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s4, (int64_t)0));
	f.status = NULL;
	f.acc = NULL;
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got),
			    exp_ids(want, w.s1, w.s2, w.s3, w.s4, (int64_t)0));
	/* A bad region code in a scope is refused, not ignored. */
	acc.region = "11";
	f.acc = &acc;
	assert_int_equal(sw_store_count(w.st, sw_entity_get(SW_ENT_SITE), &f, &(int64_t){0}, NULL),
			 SW_EINVAL);
	sw_store_close(w.st);
}

/* Units, persons, departments and groups follow the sites' rule. */
static void test_other_scopes(void **state)
{
	struct world w;
	struct sw_access acc = {.region = "110000"};
	struct sw_filter f = {.acc = &acc};
	char got[256], want[256];

	(void)state;
	world_init(&w);
	assert_string_equal(ids(w.st, SW_ENT_UNIT, &f, got), exp_ids(want, w.u1, w.u3, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_PERSON, &f, got), exp_ids(want, w.p1, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_DEPT, &f, got), exp_ids(want, w.d1, w.d2, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_GROUP, &f, got), exp_ids(want, w.g, (int64_t)0));
	acc.region = NULL;
	acc.unit_id = w.u2;
	assert_string_equal(ids(w.st, SW_ENT_UNIT, &f, got), exp_ids(want, w.u2, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_PERSON, &f, got), exp_ids(want, w.p2, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_DEPT, &f, got), exp_ids(want, w.d3, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_GROUP, &f, got), "");
	acc.unit_id = 0;
	acc.dept_id = w.d1;
	assert_string_equal(ids(w.st, SW_ENT_DEPT, &f, got), exp_ids(want, w.d1, w.d2, (int64_t)0));
	assert_string_equal(ids(w.st, SW_ENT_GROUP, &f, got), exp_ids(want, w.g, (int64_t)0));
	/* The person without a unit is seen by unscoped users only. */
	f.acc = NULL;
	assert_string_equal(ids(w.st, SW_ENT_PERSON, &f, got),
			    exp_ids(want, w.p1, w.p2, w.p3, (int64_t)0));
	sw_store_close(w.st);
}

/* A get out of scope is not found, like an absent row. */
static void test_get_in(void **state)
{
	struct world w;
	struct sw_access acc = {.unit_id = 0};
	struct sw_rec r;

	(void)state;
	world_init(&w);
	acc.unit_id = w.u1;
	assert_int_equal(sw_store_get_in(w.st, sw_entity_get(SW_ENT_SITE), w.s1, &acc, &r, NULL),
			 SW_OK);
	assert_int_equal(r.id, w.s1);
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_get_in(w.st, sw_entity_get(SW_ENT_SITE), w.s2, &acc, &r, NULL),
			 SW_ENOTFOUND);
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_get_in(w.st, sw_entity_get(SW_ENT_SITE), 999999, &acc, &r, NULL),
			 SW_ENOTFOUND);
	sw_rec_cleanup(&r);
	assert_int_equal(sw_store_get_in(w.st, sw_entity_get(SW_ENT_SITE), w.s2, NULL, &r, NULL),
			 SW_OK);
	sw_rec_cleanup(&r);
	sw_store_close(w.st);
}

/* Records a check of site at time t: up or down, with n findings of f. */
static int64_t record(struct sw_store *st, int64_t site, int64_t t, int up,
		      const struct sw_check_finding *f, size_t n)
{
	struct sw_check_row c = {.site_id = site, .checked_at = t, .status = up ? 200 : 0,
				 .err = up ? 0 : 7, .total_ms = 120, .http_version = 11};
	struct sw_site_state s = {.up = up, .since = t, .checked_at = t, .last_status = c.status,
				  .last_ms = 120, .open_findings = (int64_t)n};
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_store_check_record(st, &c, f, n, &s, t + 300, up ? 0 : 3, NULL, &eb))
		fail_msg("record: %s", eb.msg);
	return c.id;
}

static const struct sw_check_finding tls_high[] = {
	{"tls.expired", "high", "certificate expired", "{\"days\": 3}", NULL},
	{"darklink.hidden", "medium", "hidden links", NULL, NULL},
};

#define T0 1764000000 /* 2025-11-24T16:00:00Z */

/* Site lists filter by open finding kind (family or exact), severity and
 * the up state. */
static void test_monitor_filters(void **state)
{
	struct world w;
	struct sw_filter f = {0};
	char got[256], want[256];

	(void)state;
	world_init(&w);
	record(w.st, w.s1, T0, 1, tls_high, 2);
	record(w.st, w.s2, T0, 1, NULL, 0);
	record(w.st, w.s3, T0, 0, NULL, 0);
	f.kind = "tls";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, (int64_t)0));
	f.kind = "tls.expired";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, (int64_t)0));
	f.kind = "tl"; /* a prefix of a family is no family */
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), "");
	f.kind = NULL;
	f.severity = "medium";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, (int64_t)0));
	f.severity = "critical";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), "");
	f.severity = NULL;
	f.up = SW_UP_DOWN;
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s3, (int64_t)0));
	f.up = SW_UP_UNCHECKED;
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s4, (int64_t)0));
	f.up = SW_UP_UP;
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), exp_ids(want, w.s1, w.s2, (int64_t)0));
	/* The findings of an older check are not open any more. */
	record(w.st, w.s1, T0 + 300, 1, NULL, 0);
	f.up = SW_UP_ANY;
	f.kind = "tls";
	assert_string_equal(ids(w.st, SW_ENT_SITE, &f, got), "");
	/* Monitoring filters belong to sites only. */
	assert_int_equal(sw_store_count(w.st, sw_entity_get(SW_ENT_UNIT), &f, &(int64_t){0}, NULL),
			 SW_EINVAL);
	sw_store_close(w.st);
}

/* Integer member `key` of object o (following a "a.b" path). */
static json_int_t jint(json_t *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof buf, "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = json_object_get(o, k);
	if (!json_is_integer(o))
		fail_msg("%s is not an integer", path);
	return json_integer_value(o);
}

static json_t *overview(struct sw_store *st, const struct sw_access *acc, const char *region,
			int64_t group, int64_t now)
{
	struct sw_overview_q q = {.acc = acc, .region = region, .group_id = group, .now = now,
				  .days = 30};
	struct sw_errbuf eb;
	json_t *o = NULL;

	sw_errbuf_clear(&eb);
	if (sw_store_overview(st, &q, &o, &eb))
		fail_msg("overview: %s", eb.msg);
	return o;
}

/* The entry of array a whose string member key equals v. */
static json_t *find_by(json_t *a, const char *key, const char *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (json_string_value(json_object_get(e, key)) &&
		    !strcmp(json_string_value(json_object_get(e, key)), v))
			return e;
	return NULL;
}

/* The overview's counts, breakdowns, top sites and trend, whole and
 * scoped; the trend from the rollups agrees with the checks. */
static void test_overview(void **state)
{
	struct world w;
	struct sw_access acc = {.region = "110000"};
	json_t *o, *trend, *last, *e;

	(void)state;
	world_init(&w);
	record(w.st, w.s3, T0 - 86400, 1, NULL, 0); /* yesterday */
	record(w.st, w.s1, T0, 1, tls_high, 2);
	record(w.st, w.s2, T0, 1, NULL, 0);
	record(w.st, w.s3, T0, 0, NULL, 0);

	o = overview(w.st, NULL, NULL, 0, T0);
	assert_int_equal(jint(o, "sites.total"), 4);
	assert_int_equal(jint(o, "sites.up"), 2);
	assert_int_equal(jint(o, "sites.down"), 1);
	assert_int_equal(jint(o, "sites.unchecked"), 1);
	assert_int_equal(jint(o, "sites.by_status.online"), 3);
	assert_int_equal(jint(o, "sites.by_status.suspended"), 1);
	assert_int_equal(jint(o, "findings.by_kind.tls"), 1);
	assert_int_equal(jint(o, "findings.by_kind.darklink"), 1);
	assert_int_equal(jint(o, "findings.by_severity.high"), 1);
	trend = json_object_get(o, "trend");
	assert_int_equal(json_array_size(trend), 30);
	last = json_array_get(trend, 29);
	assert_string_equal(json_string_value(json_object_get(last, "day")), "2025-11-24");
	assert_int_equal(jint(last, "checks"), 3);
	assert_int_equal(jint(last, "findings"), 2);
	assert_true(json_real_value(json_object_get(last, "availability")) > 0.66 &&
		    json_real_value(json_object_get(last, "availability")) < 0.67);
	assert_int_equal(jint(json_array_get(trend, 28), "checks"), 1);
	assert_true(json_is_null(json_object_get(json_array_get(trend, 0), "availability")));
	e = json_array_get(json_object_get(o, "top_sites"), 0);
	assert_int_equal(jint(e, "id"), w.s1);
	assert_string_equal(json_string_value(json_object_get(e, "worst_severity")), "high");
	assert_int_equal(json_array_size(json_object_get(o, "top_sites")), 1);
	assert_int_equal(jint(o, "overdue.alerts"), 0);
	assert_int_equal(jint(o, "overdue.rectifications"), 0);
	e = find_by(json_object_get(o, "by_region"), "code", "110000");
	assert_non_null(e);
	assert_int_equal(jint(e, "sites"), 2);
	assert_int_equal(jint(e, "down"), 1);
	assert_int_equal(jint(e, "open_findings"), 2);
	e = find_by(json_object_get(o, "by_unit_type"), "unit_type", "institution");
	assert_int_equal(jint(e, "sites"), 2);
	json_decref(o);

	/* Scoped to Beijing: two sites; the trend from region_daily agrees. */
	o = overview(w.st, &acc, NULL, 0, T0);
	assert_int_equal(jint(o, "sites.total"), 2);
	last = json_array_get(json_object_get(o, "trend"), 29);
	assert_int_equal(jint(last, "checks"), 2);
	assert_int_equal(jint(last, "findings"), 2);
	json_decref(o);
	/* A region filter breaks down by its children (cities here). */
	o = overview(w.st, NULL, "110000", 0, T0);
	assert_non_null(find_by(json_object_get(o, "by_region"), "code", "110100"));
	assert_int_equal(json_array_size(json_object_get(o, "by_region")), 1);
	json_decref(o);
	/* A group goes through site_daily: the same day figures for S1. */
	o = overview(w.st, NULL, NULL, w.g, T0);
	assert_int_equal(jint(o, "sites.total"), 1);
	last = json_array_get(json_object_get(o, "trend"), 29);
	assert_int_equal(jint(last, "checks"), 1);
	assert_int_equal(jint(last, "findings"), 2);
	json_decref(o);
	/* The day's findings are its latest check's, in both rollups. */
	record(w.st, w.s1, T0 + 60, 1, NULL, 0);
	o = overview(w.st, NULL, NULL, 0, T0);
	last = json_array_get(json_object_get(o, "trend"), 29);
	assert_int_equal(jint(last, "checks"), 4);
	assert_int_equal(jint(last, "findings"), 0);
	json_decref(o);
	o = overview(w.st, NULL, NULL, w.g, T0);
	assert_int_equal(jint(json_array_get(json_object_get(o, "trend"), 29), "findings"), 0);
	json_decref(o);
	sw_store_close(w.st);
}

struct opens {
	int n;
	int64_t site;
};

static int open_cb(void *arg, const struct sw_open_finding *o)
{
	struct opens *p = arg;

	p->n++;
	p->site = o->site_id;
	return 0;
}

static int check_cb(void *arg, const struct sw_check_row *c)
{
	*(int64_t *)arg = c->site_id;
	return 0;
}

/* Open findings and single checks are scoped; counts agree with walks. */
static void test_open_findings(void **state)
{
	struct world w;
	struct sw_access acc = {.unit_id = 0};
	struct sw_filter f = {0};
	struct opens p = {0, 0};
	int64_t total = 0, c1, site = 0;

	(void)state;
	world_init(&w);
	c1 = record(w.st, w.s1, T0, 1, tls_high, 2);
	record(w.st, w.s2, T0, 1, tls_high, 1);
	assert_int_equal(sw_store_open_findings(w.st, &f, 0, open_cb, &p, &total, NULL), SW_OK);
	assert_int_equal(p.n, 3);
	assert_int_equal(total, 3);
	acc.unit_id = w.u2;
	f.acc = &acc;
	p.n = 0;
	assert_int_equal(sw_store_open_findings(w.st, &f, 0, open_cb, &p, &total, NULL), SW_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.site, w.s2);
	f.acc = NULL;
	f.severity = "medium";
	p.n = 0;
	assert_int_equal(sw_store_open_findings(w.st, &f, w.s1, open_cb, &p, &total, NULL), SW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(sw_store_check_get(w.st, c1, &acc, check_cb, &site, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_check_get(w.st, c1, NULL, check_cb, &site, NULL), SW_OK);
	assert_int_equal(site, w.s1);
	assert_int_equal(sw_store_checks_count(w.st, w.s1, 0, &total, NULL), SW_OK);
	assert_int_equal(total, 1);
	sw_store_close(w.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_scope),     cmocka_unit_test(test_other_scopes),
		cmocka_unit_test(test_get_in),         cmocka_unit_test(test_monitor_filters),
		cmocka_unit_test(test_overview),       cmocka_unit_test(test_open_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
