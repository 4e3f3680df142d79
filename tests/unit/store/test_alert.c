/*
 * test_alert.c - findings into alerts on a real store (src/alert/ingest.c,
 * src/store/alert.c): deduplication, automatic resolution only by checks
 * that looked, suppressions and maintenance windows, the hand-made states.
 */
#include "../alert/fixture.h"

#include <string.h>

/* Reads one alert into a copy the test can keep. */
struct one {
	int64_t id, count, first_check, last_check, until;
	char state[16], fp[80], by[32];
	int n;
};

static int copy_alert(void *arg, const struct sw_alert_row *a)
{
	struct one *o = arg;

	o->n++;
	o->id = a->id;
	o->count = a->count;
	o->first_check = a->first_check_id;
	o->last_check = a->last_check_id;
	o->until = a->suppressed_until;
	snprintf(o->state, sizeof o->state, "%s", a->state);
	snprintf(o->fp, sizeof o->fp, "%s", a->fingerprint);
	snprintf(o->by, sizeof o->by, "%s", a->state_by ? a->state_by : "");
	return 0;
}

static struct one list(struct sw_store *st, const char *state, const char *kind)
{
	struct sw_alert_filter f = {.state = state, .kind = kind};
	struct one o = {0};
	int64_t total = -1;

	assert_int_equal(sw_store_alert_list(st, &f, copy_alert, &o, &total, NULL), SW_OK);
	assert_int_equal(total, o.n);
	return o;
}

static int count_check(void *arg, int64_t id)
{
	(void)id;
	++*(int *)arg;
	return 0;
}

static const struct sw_check_finding spam1 = {
	"darklink.hidden_link", "high", "hidden link to casino",
	"{\"technique\":\"display-none\",\"target\":\"http://spam.example/a\","
	"\"domain\":\"spam.example\",\"count\":1}", NULL};
static const struct sw_check_finding spam2 = {
	"darklink.hidden_link", "high", "hidden link to casino",
	"{\"technique\":\"offscreen\",\"target\":\"http://spam.example/b?x=1\","
	"\"domain\":\"spam.example\",\"count\":1}", NULL};
static const struct sw_check_finding other = {
	"darklink.hidden_link", "high", "hidden link to pills",
	"{\"target\":\"http://pills.example/\",\"domain\":\"pills.example\"}", NULL};

/* The same dark link in 100 checks is one alert counted 100 times, with
 * its first and last check; another URL on that domain is the same alert,
 * another domain another alert. */
static void test_dedupe(void **state)
{
	struct sw_alert_changes ch;
	struct fx x;
	int64_t first = 0, last = 0;
	struct one o;
	int checks = 0;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	for (int i = 0; i < 100; i++) {
		last = fx_ingest(&x, x.site, x.group, 1000 + i * 300, i % 2 ? &spam2 : &spam1, 1,
				 FX_ALL, &ch);
		if (!first)
			first = last;
	}
	assert_int_equal(ch.n, 1);
	assert_int_equal(ch.v[0].change, SW_ALERT_CH_NEW);
	assert_int_equal(ch.seen, 100);
	o = list(x.st, NULL, NULL);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.count, 100);
	assert_int_equal(o.first_check, first);
	assert_int_equal(o.last_check, last);
	assert_string_equal(o.fp, "spam.example");
	assert_string_equal(o.state, "open");
	/* The first 50 sightings and the last are kept. */
	assert_int_equal(sw_store_alert_checks(x.st, o.id, count_check, &checks, NULL), SW_OK);
	assert_int_equal(checks, 51);

	/* 100 identical findings in one check: one alert, count 100 more. */
	{
		struct sw_check_finding f[100];

		for (int i = 0; i < 100; i++)
			f[i] = spam1;
		fx_ingest(&x, x.site, x.group, 40000, f, 100, FX_ALL, &ch);
	}
	assert_int_equal(ch.n, 1);
	o = list(x.st, NULL, NULL);
	assert_int_equal(o.count, 200);

	fx_ingest(&x, x.site, x.group, 40300, &other, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 3); /* pills.example new, spam.example resolved */
	assert_int_equal(list(x.st, "open", "darklink").n, 1); /* spam.example resolved */
	assert_int_equal(list(x.st, NULL, "darklink.hidden_link").n, 2);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* Only a check that looked resolves: a site that was down was not
 * analysed, so its dark link stays open; the first analysed clean check
 * resolves it; its return reopens the same alert. */
static void test_auto_resolve(void **state)
{
	struct sw_check_finding down = {"availability.down", "high", "site down", NULL, NULL};
	struct sw_alert_changes ch;
	struct fx x;
	struct one o;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	fx_ingest(&x, x.site, x.group, 1000, &spam1, 1, FX_ALL, &ch);
	fx_ingest(&x, x.site, x.group, 1300, &down, 1, 0, &ch);
	assert_int_equal(ch.n, 2); /* the dark link, the outage */
	assert_string_equal(list(x.st, NULL, "darklink").state, "open");
	/* Reached but not analysed (analysis limits): still open; the outage
	 * is over (every check judges availability). */
	fx_ingest(&x, x.site, x.group, 1600, NULL, 0, SW_ALERT_COVER_REACHED, &ch);
	assert_string_equal(list(x.st, NULL, "darklink").state, "open");
	assert_string_equal(list(x.st, NULL, "availability").state, "resolved");
	assert_int_equal(ch.n, 3);
	assert_int_equal(ch.v[2].change, SW_ALERT_CH_RESOLVED);
	/* Another site's clean check touches nothing here. */
	fx_ingest(&x, x.site2, 0, 1700, NULL, 0, FX_ALL, &ch);
	assert_int_equal(ch.n, 3);
	fx_ingest(&x, x.site, x.group, 1900, NULL, 0, FX_ALL, &ch);
	assert_int_equal(ch.n, 4);
	assert_int_equal(ch.v[3].change, SW_ALERT_CH_RESOLVED);
	o = list(x.st, NULL, "darklink");
	assert_string_equal(o.state, "resolved");
	assert_string_equal(o.by, "auto");
	fx_ingest(&x, x.site, x.group, 2200, &spam2, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 5);
	assert_int_equal(ch.v[4].change, SW_ALERT_CH_REOPENED);
	assert_int_equal(ch.v[4].alert_id, o.id);
	o = list(x.st, NULL, "darklink");
	assert_string_equal(o.state, "open");
	assert_int_equal(o.count, 2);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* A suppression of the site's dark links hides new ones (kept, counted,
 * not reported) until it is removed; other families still report. */
static void test_suppression(void **state)
{
	struct sw_check_finding deface = {"defacement.title", "high", "title changed", NULL, NULL};
	struct sw_silence_row r = {.scope = "site", .what = "suppress", .family = "darklink",
				   .starts_at = 0, .created_at = 1};
	struct sw_alert_changes ch;
	int64_t sid;
	struct fx x;
	struct one o;

	(void)state;
	fx_init(&x);
	r.scope_id = x.site;
	sw_alert_changes_init(&ch);
	assert_int_equal(sw_store_silence_add(x.st, &r, &sid, NULL), SW_OK);
	fx_ingest(&x, x.site, x.group, 1000, &spam1, 1, FX_ALL, &ch);
	fx_ingest(&x, x.site, x.group, 1300, &spam1, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 0);
	o = list(x.st, "suppressed", NULL);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.count, 2);
	fx_ingest(&x, x.site, x.group, 1600, (const struct sw_check_finding[]){spam1, deface}, 2,
		  FX_ALL, &ch);
	assert_int_equal(ch.n, 1);
	assert_string_equal(ch.v[0].kind, "defacement.title");
	/* The same family on the other site is not silenced. */
	fx_ingest(&x, x.site2, 0, 1700, &spam1, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 2);
	/* Lifted: the next sighting is reported. */
	assert_int_equal(sw_store_silence_remove(x.st, sid, NULL), SW_OK);
	assert_int_equal(sw_store_silence_remove(x.st, sid, NULL), SW_ENOTFOUND);
	fx_ingest(&x, x.site, x.group, 1900, (const struct sw_check_finding[]){spam1, deface}, 2,
		  FX_ALL, &ch);
	assert_int_equal(ch.n, 3);
	assert_int_equal(ch.v[2].change, SW_ALERT_CH_REOPENED);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* A group's maintenance window: findings during it are kept quiet; one
 * still there after it ends is reported once. */
static void test_maintenance(void **state)
{
	struct sw_check_finding down = {"availability.down", "high", "site down", NULL, NULL};
	struct sw_silence_row r = {.scope = "group", .what = "maintenance", .starts_at = 10000,
				   .ends_at = 13600, .reason = "机房搬迁", .created_at = 1};
	struct sw_alert_changes ch;
	int64_t sid, until = 0;
	struct fx x;

	(void)state;
	fx_init(&x);
	r.scope_id = x.group;
	sw_alert_changes_init(&ch);
	assert_int_equal(sw_store_silence_add(x.st, &r, &sid, NULL), SW_OK);
	r.ends_at = 5;
	assert_int_equal(sw_store_silence_add(x.st, &r, &sid, NULL), SW_EINVAL);
	assert_int_equal(sw_store_silenced(x.st, x.site, x.group, "availability", 10001, &until,
					   NULL), SW_OK);
	assert_int_equal(until, 13600);
	assert_int_equal(sw_store_silenced(x.st, x.site2, 0, "availability", 10001, &until, NULL),
			 SW_OK);
	assert_int_equal(until, 0);
	fx_ingest(&x, x.site, x.group, 9000, NULL, 0, FX_ALL, &ch);
	fx_ingest(&x, x.site, x.group, 10100, &down, 1, 0, &ch);
	fx_ingest(&x, x.site, x.group, 13000, &down, 1, 0, &ch);
	assert_int_equal(ch.n, 0);
	assert_string_equal(list(x.st, NULL, NULL).state, "suppressed");
	fx_ingest(&x, x.site, x.group, 13700, &down, 1, 0, &ch);
	fx_ingest(&x, x.site, x.group, 14000, &down, 1, 0, &ch);
	assert_int_equal(ch.n, 1);
	assert_int_equal(ch.v[0].change, SW_ALERT_CH_REOPENED);
	assert_string_equal(list(x.st, NULL, NULL).state, "open");
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* Acknowledge, suppress for a while, resolve by hand; a bad suppression
 * end and a missing alert are refused. */
static void test_hand_states(void **state)
{
	struct sw_alert_changes ch;
	struct sw_errbuf eb;
	struct fx x;
	struct one o;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	sw_errbuf_clear(&eb);
	fx_ingest(&x, x.site, x.group, 1000, &spam1, 1, FX_ALL, &ch);
	o = list(x.st, NULL, NULL);
	assert_int_equal(sw_alert_ack(x.st, o.id, 1100, "张三", "处理中", NULL), SW_OK);
	fx_ingest(&x, x.site, x.group, 1300, &spam1, 1, FX_ALL, &ch);
	assert_string_equal(list(x.st, NULL, NULL).state, "acknowledged");
	assert_int_equal(sw_alert_suppress(x.st, o.id, 1400, 1000, "张三", NULL, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "until");
	assert_int_equal(sw_alert_suppress(x.st, o.id, 1400, 2000, "张三", "误报核实中", NULL),
			 SW_OK);
	fx_ingest(&x, x.site, x.group, 1600, &spam1, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 1);
	fx_ingest(&x, x.site, x.group, 2100, &spam1, 1, FX_ALL, &ch);
	assert_int_equal(ch.n, 2);
	assert_int_equal(ch.v[1].change, SW_ALERT_CH_REOPENED);
	assert_int_equal(sw_alert_resolve(x.st, o.id, 2200, "张三", "已清除", NULL), SW_OK);
	assert_string_equal(list(x.st, "resolved", NULL).by, "张三");
	assert_int_equal(list(x.st, "active", NULL).n, 0);
	assert_int_equal(sw_alert_ack(x.st, 999999, 1, "x", NULL, NULL), SW_ENOTFOUND);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* Fingerprints name the thing, not the check: domain for dark links, URL
 * for scripts, path for exposures, nothing for defacement; long ones are
 * hashed; hostile evidence is harmless. */
static void test_fingerprint(void **state)
{
	char fp[80], longurl[600];

	(void)state;
	sw_alert_fingerprint("darklink.hidden_link", spam2.evidence, fp, sizeof fp);
	assert_string_equal(fp, "spam.example");
	sw_alert_fingerprint("trojan.foreign_script",
			     "{\"target\":\"http://x.example/m.js\",\"domain\":\"x.example\"}", fp,
			     sizeof fp);
	assert_string_equal(fp, "http://x.example/m.js");
	sw_alert_fingerprint("exposure.vcs", "{\"url\":\"http://a/.git/HEAD\",\"path\":\"/.git/HEAD\"}",
			     fp, sizeof fp);
	assert_string_equal(fp, "/.git/HEAD");
	sw_alert_fingerprint("defacement.title", "{\"target\":\"x\"}", fp, sizeof fp);
	assert_string_equal(fp, "");
	sw_alert_fingerprint("darklink.hidden_link", "not json {", fp, sizeof fp);
	assert_string_equal(fp, "");
	sw_alert_fingerprint("darklink.hidden_link", NULL, fp, sizeof fp);
	assert_string_equal(fp, "");
	memset(longurl, 'a', sizeof longurl);
	memcpy(longurl, "{\"target\":\"", 11);
	memcpy(longurl + sizeof longurl - 3, "\"}", 3);
	sw_alert_fingerprint("trojan.foreign_script", longurl, fp, sizeof fp);
	assert_int_equal(strlen(fp), 7 + 64);
	assert_memory_equal(fp, "sha256:", 7);
	assert_int_equal(sw_alert_cover_needed("darklink.hidden_link"), SW_ALERT_COVER_CONTENT);
	assert_int_equal(sw_alert_cover_needed("availability.down"), 0);
	assert_int_equal(sw_alert_cover_needed("agent.tamper"), ~0u);
}

/* Lists and visibility follow the asker's scope: an operator of another
 * unit sees none of the site's alerts; a supervisor of the department
 * does. */
static void test_scope(void **state)
{
	struct sw_access mine = {0}, stranger = {.unit_id = 987654}, dept = {0};
	struct sw_alert_filter f = {0};
	struct sw_alert_changes ch;
	struct fx x;
	struct one o = {0};
	int64_t total = -1;
	int vis = -1;

	(void)state;
	fx_init(&x);
	mine.unit_id = x.unit;
	dept.dept_id = x.dept;
	sw_alert_changes_init(&ch);
	fx_ingest(&x, x.site, x.group, 1000, &spam1, 1, FX_ALL, &ch);
	f.acc = &stranger;
	assert_int_equal(sw_store_alert_list(x.st, &f, copy_alert, &o, &total, NULL), SW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(o.n, 0);
	f.acc = &mine;
	assert_int_equal(sw_store_alert_list(x.st, &f, copy_alert, &o, &total, NULL), SW_OK);
	assert_int_equal(total, 1);
	f.acc = &dept;
	assert_int_equal(sw_store_alert_list(x.st, &f, copy_alert, &o, &total, NULL), SW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(sw_store_site_visible(x.st, &stranger, x.site, &vis, NULL), SW_OK);
	assert_int_equal(vis, 0);
	assert_int_equal(sw_store_site_visible(x.st, &mine, x.site, &vis, NULL), SW_OK);
	assert_int_equal(vis, 1);
	assert_int_equal(sw_store_site_visible(x.st, NULL, x.site, &vis, NULL), SW_OK);
	assert_int_equal(vis, 1);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* Bad calls are refused without a trace. */
static void test_refusals(void **state)
{
	struct sw_check_finding bad = {"darklink.hidden_link", NULL, "x", NULL, NULL};
	struct sw_alert_check c = {.site_id = 1, .check_id = 0};
	struct sw_alert_changes ch;
	struct fx x;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	assert_int_equal(sw_alert_ingest(x.st, &c, NULL, 0, &ch, NULL), SW_EINVAL);
	c = (struct sw_alert_check){.site_id = x.site, .check_id = fx_check(&x, x.site, 5, NULL, 0),
				    .checked_at = 5, .covered = FX_ALL};
	assert_int_equal(sw_alert_ingest(x.st, &c, (const struct sw_check_finding[]){spam1, bad}, 2,
					 &ch, NULL), SW_EINVAL);
	assert_int_equal(ch.n, 0);
	assert_int_equal(list(x.st, NULL, NULL).n, 0); /* the first one was rolled back */
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedupe),	    cmocka_unit_test(test_auto_resolve),
		cmocka_unit_test(test_suppression), cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_hand_states), cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_refusals),    cmocka_unit_test(test_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
