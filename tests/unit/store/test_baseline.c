/*
 * test_baseline.c - stored defacement baselines: append, current is the
 * newest, history newest first without blobs, deleted with their site,
 * refused for an unknown site.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "model/entity.h"

static int64_t add(struct sw_store *st, enum sw_ent e, ...)
{
	struct sw_rec r;
	const char *k;
	va_list ap;
	int64_t id;

	sw_rec_init(&r, sw_entity_get(e));
	va_start(ap, e);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		assert_int_equal(sw_rec_set(&r, sw_field_index(e, k), v), SW_OK);
	}
	va_end(ap);
	assert_int_equal(sw_store_insert(st, &r, NULL), SW_OK);
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

struct got {
	int n;
	int64_t ids[8];
	char title[64], source[16];
	unsigned char blob[16];
	size_t blob_len;
	int had_blob;
};

static int collect(void *arg, const struct sw_baseline_row *r)
{
	struct got *g = arg;

	g->ids[g->n++] = r->id;
	snprintf(g->title, sizeof g->title, "%s", r->title);
	snprintf(g->source, sizeof g->source, "%s", r->source);
	g->had_blob = r->blob != NULL;
	if (r->blob && r->blob_len <= sizeof g->blob) {
		memcpy(g->blob, r->blob, r->blob_len);
		g->blob_len = r->blob_len;
	}
	return 0;
}

static void test_baselines(void **state)
{
	struct sw_store *st = sw_test_store();
	struct sw_errbuf eb;
	struct sw_baseline_row r = {0};
	struct got g = {0};
	int64_t site, id1, id2;
	char unit[24];

	(void)state;
	snprintf(unit, sizeof unit, "%lld",
		 (long long)add(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region",
				"110000", NULL));
	site = add(st, SW_ENT_SITE, "name", "a", "url", "http://a.test/", "unit", unit, "status",
		   "online", "review_state", "pending", NULL);
	assert_int_equal(sw_store_baseline_current(st, site, collect, &g, &eb), SW_ENOTFOUND);
	r.site_id = site;
	r.created_at = 1000;
	r.source = "learned";
	r.versions = 3;
	r.title = "某某市人民政府";
	r.blob = (const unsigned char *)"SWBL\0\1";
	r.blob_len = 6;
	assert_int_equal(sw_store_baseline_add(st, &r, &id1, &eb), SW_OK);
	r.created_at = 2000;
	r.source = "accepted";
	r.actor = "admin";
	r.title = "某某市人民政府门户网站";
	r.blob = (const unsigned char *)"SWBL\0\2\3";
	r.blob_len = 7;
	assert_int_equal(sw_store_baseline_add(st, &r, &id2, &eb), SW_OK);
	assert_true(id2 > id1);
	assert_int_equal(sw_store_baseline_current(st, site, collect, &g, &eb), SW_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ids[0], id2);
	assert_string_equal(g.source, "accepted");
	assert_int_equal(g.blob_len, 7);
	assert_memory_equal(g.blob, "SWBL\0\2\3", 7);
	memset(&g, 0, sizeof g);
	assert_int_equal(sw_store_baseline_history(st, site, 0, collect, &g, &eb), SW_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ids[0], id2);
	assert_int_equal(g.ids[1], id1);
	assert_false(g.had_blob);
	assert_string_equal(g.title, "某某市人民政府");
	/* Unknown site, missing blob. */
	r.site_id = site + 100;
	assert_int_not_equal(sw_store_baseline_add(st, &r, NULL, &eb), SW_OK);
	r.site_id = site;
	r.blob = NULL;
	assert_int_equal(sw_store_baseline_add(st, &r, NULL, &eb), SW_EINVAL);
	sw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_baselines)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
