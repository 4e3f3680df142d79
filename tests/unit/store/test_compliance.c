/*
 * test_compliance.c - compliance on the store (both dialects through
 * pg_store.sh): items become overdue and escalate exactly once as the
 * clock is set forward, a disappearing finding makes an item ready for
 * verification, and the register's status gate refuses a launch without
 * a recent passing check or a rejected site going online, until an
 * override is logged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../testutil.h"
#include "compliance/compliance.h"
#include "register/register.h"

/* Adds a unit and one site with status; returns the site id. */
static int64_t add_site(struct sw_store *st, const char *url, const char *status)
{
	const struct sw_entity *u = sw_entity_get(SW_ENT_UNIT), *s = sw_entity_get(SW_ENT_SITE);
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t unit = 0;

	sw_errbuf_clear(&eb);
	if (sw_reg_resolve(st, u, "测试单位", &unit, &eb) != SW_OK) {
		sw_errbuf_clear(&eb);
		sw_rec_init(&r, u);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "name"), "测试单位", &eb), SW_OK);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "type"), "党政机关", &eb), SW_OK);
		assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_UNIT, "region"), "110105", &eb), SW_OK);
		assert_int_equal(sw_reg_add(st, &r, &eb), SW_OK);
		unit = r.id;
		sw_rec_cleanup(&r);
	}
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)unit);
	sw_rec_init(&r, s);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "name"), url, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "url"), url, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "unit"), ref, &eb), SW_OK);
	assert_int_equal(sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "status"), status, &eb), SW_OK);
	assert_int_equal(sw_reg_add(st, &r, &eb), SW_OK);
	int64_t id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

/* Sets site's status through the register as the CLI would. */
static enum sw_err set_status(struct sw_store *st, int64_t site, const char *status,
			      struct sw_errbuf *eb)
{
	struct sw_rec r;
	enum sw_err rc;

	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_SITE), site, &r, eb), SW_OK);
	rc = sw_reg_apply(st, &r, sw_field_index(SW_ENT_SITE, "status"), status, eb);
	if (!rc)
		rc = sw_reg_update(st, &r, eb);
	sw_rec_cleanup(&r);
	return rc;
}

static int count_cb(void *arg, const struct sw_cmp_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void test_overdue_escalates_once(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_tick_result res;
	int64_t site = add_site(st, "www.tick.gov.cn", "online"), id, t;
	int seen = 0;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_cmp_date_time("2026-01-05", &t), SW_OK);
	struct sw_rect_new n = {site, "inspection", NULL, NULL, "high", "弱口令", "运维", "2026-01-10"};
	assert_int_equal(sw_rect_add(st, &n, t, &id, &eb), SW_OK);
	/* the deadline day itself is not late (UTC+8 calendar) */
	assert_int_equal(sw_compliance_tick_cb(st, t + 5 * 86400 + 86399, count_cb, &seen, &res, &eb), SW_OK);
	assert_int_equal(res.overdue, 0);
	assert_int_equal(res.escalated, 0);
	/* the next day it is overdue and escalates, once */
	assert_int_equal(sw_compliance_tick_cb(st, t + 6 * 86400, count_cb, &seen, &res, &eb), SW_OK);
	assert_int_equal(res.overdue, 1);
	assert_int_equal(res.escalated, 1);
	assert_int_equal(seen, 1);
	for (int day = 7; day < 12; day++) {
		assert_int_equal(sw_compliance_tick_cb(st, t + day * 86400, count_cb, &seen, &res, &eb), SW_OK);
		assert_int_equal(res.escalated, 0);
	}
	/* picked up again while still late: stays overdue, never escalates again */
	assert_int_equal(sw_rect_set(st, id, "in_progress", NULL, NULL, NULL, t + 12 * 86400, &eb), SW_OK);
	assert_int_equal(sw_compliance_tick_cb(st, t + 13 * 86400, count_cb, &seen, &res, &eb), SW_OK);
	assert_int_equal(res.escalated, 0);
	assert_int_equal(seen, 1);
	seen = 0;
	assert_int_equal(sw_store_escalations(st, 1, count_cb, &seen, &eb), SW_OK);
	assert_int_equal(seen, 1);
	/* fixed needs evidence */
	assert_int_equal(sw_rect_set(st, id, "fixed", NULL, NULL, NULL, t + 14 * 86400, &eb), SW_EINVAL);
}

static void test_finding_gone_ready(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_tick_result res;
	int64_t site = add_site(st, "www.ready.gov.cn", "online"), id, t = 1767225600;
	struct sw_check_finding f = {"trojan.hidden_iframe", "critical", "iframe", NULL, NULL};
	struct sw_check_row c = {.site_id = site, .checked_at = t, .status = 200};
	struct sw_site_state s = {.site_id = site, .up = 1, .since = t, .checked_at = t};

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_check_record(st, &c, &f, 1, &s, t + 300, 0, NULL, &eb), SW_OK);
	assert_int_equal(sw_rect_from_finding(st, site, 0, "trojan.hidden_iframe", NULL, NULL, t + 10, &id, &eb), SW_OK);
	assert_int_equal(sw_rect_from_finding(st, site, 0, "trojan.hidden_iframe", NULL, NULL, t + 10, &id, &eb), SW_EEXIST);
	assert_int_equal(sw_rect_set(st, id, "verified", NULL, NULL, NULL, t + 20, &eb), SW_EINVAL);
	struct sw_check_row c2 = {.site_id = site, .checked_at = t + 600, .status = 200};
	s.checked_at = t + 600;
	assert_int_equal(sw_store_check_record(st, &c2, NULL, 0, &s, t + 900, 0, NULL, &eb), SW_OK);
	assert_int_equal(sw_compliance_tick_cb(st, t + 700, NULL, NULL, &res, &eb), SW_OK);
	assert_int_equal(res.ready, 1);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_rect_set(st, id, "verified", NULL, NULL, NULL, t + 800, &eb), SW_OK);
}

static void test_gate(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	int64_t site = add_site(st, "www.gate.gov.cn", "pre-launch"), t = 1767225600, found;

	sw_compliance_now_set(t);
	sw_errbuf_clear(&eb);
	assert_int_equal(set_status(st, site, "online", &eb), SW_EINVAL);
	assert_string_equal(eb.field, "status");
	/* a failing check does not open the gate; an old pass does not either */
	assert_int_equal(sw_compliance_gate_record(st, "https://www.gate.gov.cn/", 0, "high", 1, t - 10, &found, &eb), SW_OK);
	assert_int_equal(found, site);
	assert_int_equal(sw_compliance_gate_record(st, "https://www.gate.gov.cn/", 1, NULL, 0, t - 40 * 86400, &found, &eb), SW_OK);
	sw_errbuf_clear(&eb);
	assert_int_equal(set_status(st, site, "online", &eb), SW_EINVAL);
	assert_int_equal(sw_compliance_gate_record(st, "https://www.gate.gov.cn/", 1, NULL, 0, t - 5 * 86400, &found, &eb), SW_OK);
	sw_errbuf_clear(&eb);
	assert_int_equal(set_status(st, site, "online", &eb), SW_OK);
	/* a rejected review takes it down; only an override brings it back */
	int64_t camp, n;
	assert_int_equal(sw_review_open(st, "c1", NULL, "110000", NULL, 0, "2026-02-01", NULL, t, &camp, &n, &eb), SW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sw_review_decide(st, camp, site, "不通过", "李四", NULL, NULL, NULL, t, &eb), SW_OK);
	int tasks = 0;
	assert_int_equal(sw_store_tasks(st, site, 1, count_cb, &tasks, &eb), SW_OK);
	assert_int_equal(tasks, 2);
	assert_int_equal(set_status(st, site, "online", &eb), SW_EINVAL);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_compliance_override(st, site, "online", "张三", "", t, &eb), SW_EINVAL);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_compliance_override(st, site, "online", "张三", "整改完成，领导批准", t, &eb), SW_OK);
	int ov = 0;
	assert_int_equal(sw_store_overrides(st, site, count_cb, &ov, &eb), SW_OK);
	assert_int_equal(ov, 1);
	sw_compliance_now_set(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_overdue_escalates_once, sw_test_setup, sw_test_teardown),
		cmocka_unit_test_setup_teardown(test_finding_gone_ready, sw_test_setup, sw_test_teardown),
		cmocka_unit_test_setup_teardown(test_gate, sw_test_setup, sw_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
