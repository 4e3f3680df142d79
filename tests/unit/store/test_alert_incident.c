/*
 * test_alert_incident.c - incidents on a real store (src/incident/):
 * opened by high alerts of the incident families and joined by later ones,
 * the check ids the evidence export walks, the reporting chain, deadlines
 * raised exactly once under an injected clock, closing, plans and drills.
 */
#include "../alert/fixture.h"

#include <string.h>

#include "incident/incident.h"
#include "incident/respond.h"
#include "register/register.h"

static int collect_ids(void *arg, int64_t id)
{
	int64_t *v = arg;

	if (v[0] < 15)
		v[++v[0]] = id;
	return 0;
}

struct inc {
	int n, major;
	int64_t id, opened_at;
	char state[16], source[16];
};

static int copy_inc(void *arg, const struct sw_incident_row *r)
{
	struct inc *i = arg;

	i->n++;
	i->id = r->id;
	i->major = r->major;
	i->opened_at = r->opened_at;
	snprintf(i->state, sizeof i->state, "%s", r->state);
	snprintf(i->source, sizeof i->source, "%s", r->source);
	return 0;
}

static struct inc incidents(struct sw_store *st, const char *state)
{
	struct inc i = {0};
	int64_t total;

	assert_int_equal(sw_store_incident_list(st, NULL, state, 0, 0, 0, copy_inc, &i, &total, NULL),
			 SW_OK);
	assert_int_equal(total, i.n);
	return i;
}

static int count_msg(void *arg, const struct sw_notify_msg *m)
{
	assert_string_equal(m->event, "incident.overdue");
	++*(int *)arg;
	return 0;
}

static int count_any(void *arg, const struct sw_notify_msg *m)
{
	(void)m;
	++*(int *)arg;
	return 0;
}

static int no_alert(void *arg, const struct sw_alert_row *a)
{
	(void)arg;
	(void)a;
	return 0;
}

/* Runs one check through the on_check entry point. */
static void check(struct fx *x, int64_t t, const struct sw_check_finding *f, size_t n,
		  struct sw_response *r)
{
	struct sw_alert_check c = {.site_id = x->site, .group_id = x->group, .checked_at = t,
				   .covered = FX_ALL};
	struct sw_errbuf eb;

	c.check_id = fx_check(x, x->site, t, f, n);
	sw_errbuf_clear(&eb);
	sw_response_cleanup(r);
	if (sw_response_on_check(x->st, &c, f, n, t, r, &eb))
		fail_msg("on_check: %s", eb.msg);
}

static const struct sw_check_finding deface = {"defacement.title", "high", "title replaced",
					       NULL, NULL};
static const struct sw_check_finding image = {"defacement.image", "medium", "logo changed",
					      NULL, NULL};
static const struct sw_check_finding spam = {"darklink.hidden_link", "high", "hidden link",
					     "{\"domain\":\"spam.example\"}", NULL};

/* A medium defacement opens nothing; a high one opens an incident; a dark
 * link found later joins it; the incident's checks are every check its
 * alerts were seen in. */
static void test_auto(void **state)
{
	struct sw_response r;
	struct fx x;
	int64_t ids[16] = {0}, c2;
	struct inc i;

	(void)state;
	fx_init(&x);
	sw_response_init(&r);
	check(&x, 1000, &image, 1, &r);
	assert_int_equal(r.n_opened, 0);
	assert_int_equal(incidents(x.st, NULL).n, 0);
	check(&x, 1300, (const struct sw_check_finding[]){image, deface}, 2, &r);
	assert_int_equal(r.n_opened, 1);
	i = incidents(x.st, "open");
	assert_int_equal(i.n, 1);
	assert_string_equal(i.source, "auto");
	assert_int_equal(r.opened[0], i.id);
	check(&x, 1600, (const struct sw_check_finding[]){deface, spam}, 2, &r);
	assert_int_equal(r.n_opened, 0);
	assert_int_equal(r.changes.n, 2); /* the spam is new, the image resolved */
	assert_int_equal(incidents(x.st, NULL).n, 1);
	assert_int_equal(sw_store_incident_checks(x.st, i.id, collect_ids, ids, NULL), SW_OK);
	/* deface in checks 2 and 3, spam in 3: two distinct checks, ascending,
	 * the last the site's newest. */
	assert_int_equal(ids[0], 2);
	assert_true(ids[1] < ids[2]);
	c2 = ids[2];
	{
		struct sw_site_state s;

		assert_int_equal(sw_store_site_state_get(x.st, x.site, &s, NULL), SW_OK);
		assert_int_equal(s.last_check_id, c2);
	}
	sw_response_cleanup(&r);
	sw_store_close(x.st);
}

/* Deadlines under an injected clock: nothing before the hour; after it the
 * three one-hour steps once each, however often the tick runs; a recorded
 * step settles its overdue alert; the CAC step only for major incidents;
 * recovery after a day; nothing for a closed incident. */
static void test_deadlines(void **state)
{
	struct sw_response r;
	struct fx x;
	struct inc i;
	size_t raised = 9;
	int64_t t0 = 100000;
	struct sw_alert_filter f = {.kind = "incident"};
	int64_t total = 0;

	(void)state;
	fx_init(&x);
	sw_response_init(&r);
	check(&x, t0, &deface, 1, &r);
	i = incidents(x.st, "open");
	assert_int_equal(i.opened_at, t0);
	assert_int_equal(sw_incident_deadlines(x.st, t0 + 3600, &raised, NULL), SW_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(sw_incident_deadlines(x.st, t0 + 3601, &raised, NULL), SW_OK);
	assert_int_equal(raised, 3);
	for (int k = 0; k < 5; k++) {
		assert_int_equal(sw_incident_deadlines(x.st, t0 + 3700 + k, &raised, NULL), SW_OK);
		assert_int_equal(raised, 0);
	}
	f.state = "open";
	assert_int_equal(sw_store_alert_list(x.st, &f, no_alert, NULL, &total, NULL), SW_OK);
	assert_int_equal(total, 3);
	assert_int_equal(sw_incident_step(x.st, i.id, "reported_dept", "王五", "电话报告", t0 + 4000,
					  NULL), SW_OK);
	assert_int_equal(sw_store_alert_list(x.st, &f, no_alert, NULL, &total, NULL), SW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(sw_incident_step(x.st, i.id, "nonsense", "王五", NULL, t0, NULL),
			 SW_EINVAL);
	/* Escalation makes it major; its own deadline (an hour from opening)
	 * has passed, but it was recorded, so it is not raised. */
	assert_int_equal(sw_incident_step(x.st, i.id, "escalated_cac", "王五", NULL, t0 + 4100,
					  NULL), SW_OK);
	assert_int_equal(incidents(x.st, "open").major, 1);
	assert_int_equal(sw_incident_deadlines(x.st, t0 + 86401, &raised, NULL), SW_OK);
	assert_int_equal(raised, 1); /* recovered */
	assert_int_equal(sw_incident_deadlines(x.st, t0 + 90000, &raised, NULL), SW_OK);
	assert_int_equal(raised, 0);
	/* The tick also pumps; with no channel there is nothing to send. */
	assert_int_equal(sw_response_on_tick(x.st, t0 + 90001, &raised, NULL, NULL), SW_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(sw_incident_close(x.st, i.id, "弱口令", "", "运维单位", "王五", t0 + 90002,
					   NULL), SW_EINVAL);
	assert_int_equal(sw_incident_close(x.st, i.id, "弱口令被利用", "修改口令并加固",
					   "运维单位通报批评", "王五", t0 + 90002, NULL), SW_OK);
	assert_string_equal(incidents(x.st, NULL).state, "closed");
	assert_int_equal(sw_incident_step(x.st, i.id, "recovered", "王五", NULL, t0, NULL),
			 SW_EINVAL);
	assert_int_equal(sw_incident_deadlines(x.st, t0 + 40 * 86400, &raised, NULL), SW_OK);
	assert_int_equal(raised, 0);
	sw_response_cleanup(&r);
	sw_store_close(x.st);
}

/* An overdue step is one notification on the site's channel, even for a
 * channel whose minimum is above the overdue alert's severity. */
static void test_overdue_notified(void **state)
{
	struct sw_channel c = {.digest_after = 20, .enabled = 1};
	struct sw_response r;
	int64_t id, inc_id;
	struct fx x;
	size_t raised;
	int n = 0;

	(void)state;
	fx_init(&x);
	sw_response_init(&r);
	snprintf(c.name, sizeof c.name, "crit-only");
	snprintf(c.kind, sizeof c.kind, "webhook");
	snprintf(c.url, sizeof c.url, "http://127.0.0.1:9/");
	snprintf(c.scope, sizeof c.scope, "site");
	snprintf(c.min_severity, sizeof c.min_severity, "critical");
	c.scope_id = x.site;
	assert_int_equal(sw_notify_channel_check(&c, NULL), SW_OK);
	assert_int_equal(sw_store_channel_add(x.st, &c, &id, NULL), SW_OK);
	assert_int_equal(sw_incident_open(x.st, x.site, "人工立案", "high", 0, "王五", NULL, 0, 500,
					  &inc_id, NULL), SW_OK);
	assert_int_equal(sw_reg_policy_set(x.st, SW_SCOPE_SITE, x.site, "incident_report_minutes",
					   "600", NULL), SW_OK);
	assert_int_equal(sw_incident_deadlines(x.st, 500 + 3601, &raised, NULL), SW_OK);
	assert_int_equal(raised, 1); /* the plan only: reporting has ten hours here */
	assert_int_equal(sw_store_notify_due(x.st, 0, 0, 0, count_msg, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sw_incident_deadlines(x.st, 500 + 3700, &raised, NULL), SW_OK);
	assert_int_equal(sw_store_notify_due(x.st, 0, 0, 0, count_msg, &n, NULL), SW_OK);
	assert_int_equal(n, 2); /* counted again: still the one message */
	sw_response_cleanup(&r);
	sw_store_close(x.st);
}

/* The agent's reports are events: a tampered file is an alert (by its
 * path) that opens an incident and queues one message; the same file again
 * is counted, another file joins the incident; nothing resolves by
 * absence. */
static void test_events(void **state)
{
	struct sw_check_finding t1 = {"agent.tamper", "high", "file modified",
				      "{\"kind\":\"tamper\",\"path\":\"/var/www/index.html\"}",
				      NULL};
	struct sw_check_finding t2 = {"agent.webshell", "critical", "webshell",
				      "{\"kind\":\"webshell\",\"path\":\"/var/www/up/x.php\"}",
				      NULL};
	struct sw_channel c = {.digest_after = 20, .enabled = 1};
	struct sw_alert_filter f = {.kind = "agent"};
	struct sw_response r;
	int64_t id, total;
	struct fx x;
	int n = 0;

	(void)state;
	fx_init(&x);
	snprintf(c.name, sizeof c.name, "hook");
	snprintf(c.kind, sizeof c.kind, "webhook");
	snprintf(c.url, sizeof c.url, "http://127.0.0.1:9/");
	snprintf(c.scope, sizeof c.scope, "site");
	c.scope_id = x.site;
	assert_int_equal(sw_notify_channel_check(&c, NULL), SW_OK);
	assert_int_equal(sw_store_channel_add(x.st, &c, &id, NULL), SW_OK);
	sw_response_init(&r);
	assert_int_equal(sw_response_on_event(x.st, x.site, &t1, 1000, &r, NULL), SW_OK);
	assert_int_equal(r.changes.n, 1);
	assert_int_equal(r.n_opened, 1);
	assert_int_equal(r.queued, 1);
	assert_int_equal(sw_response_on_event(x.st, x.site, &t1, 1010, &r, NULL), SW_OK);
	assert_int_equal(r.changes.n, 1);
	assert_int_equal(r.queued, 1);
	assert_int_equal(sw_response_on_event(x.st, x.site, &t2, 1020, &r, NULL), SW_OK);
	assert_int_equal(r.changes.n, 2);
	assert_int_equal(r.n_opened, 1); /* joined the open incident */
	assert_int_equal(r.queued, 2);
	assert_int_equal(incidents(x.st, NULL).n, 1);
	assert_int_equal(sw_store_alert_list(x.st, &f, no_alert, NULL, &total, NULL), SW_OK);
	assert_int_equal(total, 2);
	/* A clean check of the site does not resolve what the agent saw. */
	check(&x, 2000, NULL, 0, &r);
	f.state = "open";
	assert_int_equal(sw_store_alert_list(x.st, &f, no_alert, NULL, &total, NULL), SW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(sw_store_notify_due(x.st, 0, 0, 0, count_any, &n, NULL), SW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sw_response_on_event(x.st, 987654, &t1, 1, &r, NULL), SW_ENOTFOUND);
	sw_response_cleanup(&r);
	sw_store_close(x.st);
}

/* Plans (one name, updated in place) that apply to a site; drills. */
static int count_plan(void *arg, const struct sw_plan_row *r)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

static int count_drill(void *arg, const struct sw_drill_row *r)
{
	assert_string_equal(r->plan_name, "网站篡改应急预案");
	++*(int *)arg;
	return 0;
}

static void test_plans(void **state)
{
	struct sw_plan_row p = {.name = "网站篡改应急预案", .scope = "group", .body = "一、...",
				.created_at = 1, .updated_at = 1};
	struct sw_drill_row d = {.held_on = "2026-11-20", .scenario = "首页被篡改",
				 .result = "30分钟内恢复", .created_at = 2};
	struct fx x;
	int64_t id, id2;
	int n = 0;

	(void)state;
	fx_init(&x);
	p.scope_id = x.group;
	assert_int_equal(sw_store_plan_put(x.st, &p, &id, NULL), SW_OK);
	p.body = "二、...";
	p.updated_at = 5;
	assert_int_equal(sw_store_plan_put(x.st, &p, &id2, NULL), SW_OK);
	assert_int_equal(id, id2);
	assert_int_equal(sw_store_plan_list(x.st, x.site, x.group, count_plan, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(sw_store_plan_list(x.st, x.site2, 0, count_plan, &n, NULL), SW_OK);
	assert_int_equal(n, 0);
	d.plan_id = id;
	assert_int_equal(sw_store_drill_add(x.st, &d, &id2, NULL), SW_OK);
	n = 0;
	assert_int_equal(sw_store_drill_list(x.st, id, count_drill, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
	d.plan_id = 987654;
	assert_int_equal(sw_store_drill_add(x.st, &d, &id2, NULL), SW_EINUSE);
	sw_store_close(x.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_overdue_notified),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_plans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
