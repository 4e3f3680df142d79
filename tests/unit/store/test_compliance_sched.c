/*
 * test_compliance_sched.c - on the store (both dialects through
 * pg_store.sh): the incident figures of the statistics from known times
 * (detection from the first alert sighting or the opening, recovery the
 * first "recovered" step, mean and nearest-rank p90), rectification from
 * an incident and the listing of items whose incident is closed, and
 * scheduled report runs: the periods, one run per period however often
 * the tick runs, the claim lease, and a failed send retried only after
 * the back-off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../testutil.h"
#include "compliance/compliance.h"
#include "compliance/report.h"
#include "compliance/stats.h"
#include "incident/incident.h"
#include "notify/notify.h"
#include "register/register.h"
#include "store/alert.h"

/* Adds a unit (once) and an online site; returns the site id. */
static int64_t add_site(struct sw_store *st, const char *url)
{
	const struct sw_entity *u = sw_entity_get(SW_ENT_UNIT), *s = sw_entity_get(SW_ENT_SITE);
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t unit = 0, id;
	char ref[24];

	sw_errbuf_clear(&eb);
	if (sw_reg_resolve(st, u, "事件单位", &unit, &eb) != SW_OK) {
		sw_errbuf_clear(&eb);
		sw_rec_init(&r, u);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "name"), "事件单位", &eb), SW_OK);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "type"), "党政机关", &eb), SW_OK);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "region"), "330106", &eb), SW_OK);
		assert_int_equal(sw_reg_add(st, &r, &eb), SW_OK);
		unit = r.id;
		sw_rec_cleanup(&r);
	}
	snprintf(ref, sizeof ref, "%lld", (long long)unit);
	sw_rec_init(&r, s);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "name"), url, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "url"), url, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "unit"), ref, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "status"), "online", &eb), SW_OK);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_OK);
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

static int64_t alert(struct sw_store *st, int64_t site, const char *kind, const char *fp,
		     int64_t seen)
{
	struct sw_alert_row a = {.site_id = site, .kind = kind, .fingerprint = fp,
				 .severity = "critical", .title = "t", .state = "open",
				 .first_seen = seen};
	struct sw_errbuf eb;
	int64_t id = 0;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_alert_insert(st, &a, &id, &eb), SW_OK);
	return id;
}

static int count_cb(void *arg, const struct sw_cmp_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static json_int_t jget(json_t *o, const char *a, const char *b)
{
	return json_integer_value(json_object_get(json_object_get(o, a), b));
}

static void test_incident_figures(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t s1 = add_site(st, "www.inc1.gov.cn"), s2 = add_site(st, "www.inc2.gov.cn");
	int64_t t = 1767225600, a1, a2, a3, i1, i2, i3, i4, item = 0;
	json_t *o, *inc;

	sw_errbuf_clear(&eb);
	/* 1: seen at t, opened 10 minutes later, recovered at t + 3600 (and
	 * "recovered" again later: the first counts); a second alert joins
	 * later and does not move detection */
	a1 = alert(st, s1, "defacement.signature", "x", t);
	assert_int_equal(sw_incident_open(st, s1, "篡改", "critical", 0, "值班", &a1, 1, t + 600, &i1, &eb), SW_OK);
	a2 = alert(st, s1, "darklink.hidden_link", "spam.example", t + 1800);
	assert_int_equal(sw_store_incident_link(st, i1, a2, &eb), SW_OK);
	assert_int_equal(sw_incident_step(st, i1, "recovered", "运维", NULL, t + 3600, &eb), SW_OK);
	assert_int_equal(sw_incident_step(st, i1, "recovered", "运维", NULL, t + 9000, &eb), SW_OK);
	/* 2: by hand, no alert: detection is the opening; 7200 s */
	assert_int_equal(sw_incident_open(st, s2, "人工", "high", 1, "值班", NULL, 0, t + 100, &i2, &eb), SW_OK);
	assert_int_equal(sw_incident_step(st, i2, "recovered", "运维", NULL, t + 7300, &eb), SW_OK);
	/* 3: open, not recovered */
	assert_int_equal(sw_incident_open(st, s2, "未恢复", "high", 0, "值班", NULL, 0, t + 200, &i3, &eb), SW_OK);
	/* 4: only a deadline alert linked: still "manual", detection its opening */
	assert_int_equal(sw_incident_open(st, s2, "逾期", "high", 0, "值班", NULL, 0, t + 300, &i4, &eb), SW_OK);
	a3 = alert(st, s2, "incident.overdue", "i4-reported_dept", t + 50);
	assert_int_equal(sw_store_incident_link(st, i4, a3, &eb), SW_OK);
	assert_int_equal(sw_incident_step(st, i4, "recovered", "运维", NULL, t + 300 + 10800, &eb), SW_OK);

	/* an item from incident 1; the incident closes with it open */
	assert_int_equal(sw_rect_from_incident(st, i1, "运维", NULL, t + 700, &item, &eb), SW_OK);
	assert_int_equal(sw_rect_from_incident(st, i1, NULL, NULL, t + 800, &item, &eb), SW_EEXIST);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_rect_from_incident(st, 999999, NULL, NULL, t, &item, &eb), SW_ENOTFOUND);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_incident_close(st, i1, "弱口令", "改口令", "运维负责人", "值班", t + 86400, &eb), SW_OK);

	assert_int_equal(sw_stats_json(st, NULL, t + 2 * 86400, &o, &eb), SW_OK);
	inc = json_object_get(o, "incidents");
	assert_true(json_is_true(json_object_get(inc, "tracked")));
	assert_int_equal(jget(o, "incidents", "total"), 4);
	assert_int_equal(jget(o, "incidents", "open"), 3);
	assert_int_equal(jget(o, "incidents", "closed"), 1);
	assert_int_equal(jget(o, "incidents", "major"), 1);
	assert_int_equal(jget(o, "incidents", "recovered"), 3);
	assert_int_equal(jget(o, "incidents", "unrecovered"), 1);
	assert_int_equal(jget(inc, "by_kind", "defacement"), 1);
	assert_int_equal(jget(inc, "by_kind", "manual"), 3);
	/* durations 3600, 7200, 10800: mean 7200, p90 = the 3rd of 3 */
	assert_int_equal(jget(o, "incidents", "detect_to_recover_mean_s"), 7200);
	assert_int_equal(jget(o, "incidents", "detect_to_recover_p90_s"), 10800);
	assert_int_equal(jget(o, "incidents", "closed_with_open_items"), 1);
	json_decref(o);

	/* the open item of the closed incident is listed, and by incident */
	struct sw_rect_filter f = {.open_only = 1, .incident_closed = 1};
	int n = 0;
	assert_int_equal(sw_store_rects(st, &f, count_cb, &n, &eb), SW_OK);
	assert_int_equal(n, 1);
	char ref[32];
	snprintf(ref, sizeof ref, "incident:%lld", (long long)i2);
	struct sw_rect_filter g = {.source_ref = ref};
	n = 0;
	assert_int_equal(sw_store_rects(st, &g, count_cb, &n, &eb), SW_OK);
	assert_int_equal(n, 0);
	int64_t cnt = 0;
	assert_int_equal(sw_store_rect_count(st, &f, &cnt, &eb), SW_OK);
	assert_int_equal(cnt, 1);
	/* fixed, it is no longer listed */
	assert_int_equal(sw_rect_set(st, item, "fixed", NULL, NULL, "已加固", t + 90000, &eb), SW_OK);
	assert_int_equal(sw_store_rect_count(st, &f, &cnt, &eb), SW_OK);
	assert_int_equal(cnt, 0);
}

static void test_periods(void **state)
{
	struct sw_errbuf eb;
	char p[32];
	int64_t end, t;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_cmp_date_time("2026-01-05", &t), SW_OK); /* a Monday */
	assert_int_equal(sw_report_last_period("month", t, p, &end, &eb), SW_OK);
	assert_string_equal(p, "2025-12");
	assert_int_equal(sw_cmp_date_time("2026-01-01", &t), SW_OK);
	assert_int_equal(end, t);
	assert_int_equal(sw_cmp_date_time("2026-01-05", &t), SW_OK);
	assert_int_equal(sw_report_last_period("week", t, p, &end, &eb), SW_OK);
	assert_string_equal(p, "2025-12-29..2026-01-04");
	assert_int_equal(end, t);
	/* Sunday 23:59:59 (UTC+8) is still in the week */
	assert_int_equal(sw_report_last_period("week", t - 1, p, &end, &eb), SW_OK);
	assert_string_equal(p, "2025-12-22..2025-12-28");
	assert_int_equal(sw_report_last_period("fortnight", t, p, &end, &eb), SW_EINVAL);
}

static void test_runs_once(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_channel c = {0};
	struct sw_report_tick_result r;
	int64_t cid, sid, t, id, id2;
	int got = 0, n = 0;

	sw_errbuf_clear(&eb);
	add_site(st, "www.sched.gov.cn");
	/* a webhook nobody listens on: every send fails */
	snprintf(c.name, sizeof c.name, "dead");
	snprintf(c.kind, sizeof c.kind, "webhook");
	snprintf(c.url, sizeof c.url, "http://127.0.0.1:9/hook");
	snprintf(c.scope, sizeof c.scope, "all");
	assert_int_equal(sw_notify_channel_check(&c, &eb), SW_OK);
	assert_int_equal(sw_store_channel_add(st, &c, &cid, &eb), SW_OK);
	assert_int_equal(sw_cmp_date_time("2026-01-20", &t), SW_OK);
	struct sw_sched_new sn = {.name = "m", .kind = "bulletin", .every = "month", .format = "csv"};
	assert_int_equal(sw_report_sched_add(st, &sn, "dead", t, &sid, &eb), SW_OK);
	assert_int_equal(sw_report_sched_add(st, &sn, "dead", t, &sid, &eb), SW_EEXIST);
	sw_errbuf_clear(&eb);
	struct sw_sched_new bad = {.name = "b", .kind = "bulletin", .every = "month", .region = "33"};
	assert_int_equal(sw_report_sched_add(st, &bad, "dead", t, &id, &eb), SW_EINVAL);
	sw_errbuf_clear(&eb);

	/* December ended before the schedule: nothing owed */
	assert_int_equal(sw_report_tick_r(st, t + 3600, &r, &eb), SW_OK);
	assert_int_equal(r.made, 0);
	/* February 1st: January is made, its send fails */
	assert_int_equal(sw_cmp_date_time("2026-02-01", &t), SW_OK);
	assert_int_equal(sw_report_tick_r(st, t + 5, &r, &eb), SW_OK);
	assert_int_equal(r.made, 1);
	assert_int_equal(r.failed, 1);
	/* not retried before the back-off, never made again */
	assert_int_equal(sw_report_tick_r(st, t + 5 + SW_NOTIFY_BACKOFF_BASE - 1, &r, &eb), SW_OK);
	assert_int_equal(r.made + r.sent + r.failed, 0);
	assert_int_equal(sw_report_tick_r(st, t + 5 + SW_NOTIFY_BACKOFF_BASE, &r, &eb), SW_OK);
	assert_int_equal(r.made, 0);
	assert_int_equal(r.failed, 1);
	assert_int_equal(sw_store_report_runs(st, 0, 0, 0, count_cb, &n, &eb), SW_OK);
	assert_int_equal(n, 1);

	/* the store's key: a second run of a period is not added */
	assert_int_equal(sw_store_report_run_add(st, sid, "2026-01", "x.csv", "eA==", 1, t, &id, &eb), SW_OK);
	assert_int_equal(id, 0);
	assert_int_equal(sw_store_report_run_add(st, sid, "2025-11", "x.csv", "eA==", 1, t, &id, &eb), SW_OK);
	assert_true(id > 0);
	int exists = 0;
	assert_int_equal(sw_store_report_run_exists(st, sid, "2025-11", &exists, &eb), SW_OK);
	assert_int_equal(exists, 1);
	/* one claimant at a time; sent is marked once */
	assert_int_equal(sw_store_report_run_claim(st, id, t, t + 120, &got, &eb), SW_OK);
	assert_int_equal(got, 1);
	assert_int_equal(sw_store_report_run_claim(st, id, t + 60, t + 180, &got, &eb), SW_OK);
	assert_int_equal(got, 0);
	assert_int_equal(sw_store_report_run_sent(st, id, t + 61, &eb), SW_OK);
	assert_int_equal(sw_store_report_run_claim(st, id, t + 500, t + 620, &got, &eb), SW_OK);
	assert_int_equal(got, 0);
	id2 = 0;
	n = 0;
	assert_int_equal(sw_store_report_runs(st, 0, t + 100000, 0, count_cb, &n, &eb), SW_OK);
	assert_int_equal(n, 1); /* only January is still queued */
	(void)id2;
	assert_int_equal(sw_store_rsched_remove(st, sid, &eb), SW_OK);
	n = 0;
	assert_int_equal(sw_store_report_runs(st, 0, 0, 0, count_cb, &n, &eb), SW_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_incident_figures, sw_test_setup, sw_test_teardown),
		cmocka_unit_test(test_periods),
		cmocka_unit_test_setup_teardown(test_runs_once, sw_test_setup, sw_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
