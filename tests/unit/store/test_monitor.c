/*
 * test_monitor.c - the monitoring tables of the store (monitor.c,
 * snapshot.c) and the blob primitive under them, on SQLite by default and
 * on PostgreSQL under tests/integration/pg_store.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "model/entity.h"

/* Inserts a record of entity e from key/value pairs ending with NULL and
 * returns its id. */
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

/* A unit and sites a (online), b (pre-launch), c (suspended); ids in s[]. */
static struct sw_store *setup(int64_t s[3])
{
	struct sw_store *st = sw_test_store();
	char unit[24];

	snprintf(unit, sizeof unit, "%lld",
		 (long long)add(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region",
				"110000", NULL));
	s[0] = add(st, SW_ENT_SITE, "name", "a", "url", "http://a.test/", "unit", unit, "status",
		   "online", "ips", "10.0.0.1", "review_state", "pending", NULL);
	s[1] = add(st, SW_ENT_SITE, "name", "b", "url", "http://b.test/", "unit", unit, "status",
		   "pre-launch", "review_state", "pending", NULL);
	s[2] = add(st, SW_ENT_SITE, "name", "c", "url", "http://c.test/", "unit", unit, "status",
		   "suspended", "review_state", "pending", NULL);
	return st;
}

/* Collects site ids handed out by a walk. */
struct ids {
	int64_t v[16];
	int n;
	struct sw_due last;
	char url[64];
};

static int unsched_cb(void *arg, int64_t site_id, int64_t group_id)
{
	struct ids *ids = arg;

	(void)group_id;
	ids->v[ids->n++] = site_id;
	return 0;
}

static int due_cb(void *arg, const struct sw_due *d)
{
	struct ids *ids = arg;

	ids->v[ids->n++] = d->site_id;
	ids->last = *d;
	snprintf(ids->url, sizeof ids->url, "%s", d->url);
	ids->last.url = ids->url;
	ids->last.ips = ids->last.last_ips = NULL; /* borrowed: gone after the call */
	return 0;
}

/* Only active sites are scheduled and handed out, most overdue first. */
static void test_schedule(void **state)
{
	struct sw_sched_row row;
	struct ids ids = {0};
	int64_t s[3], t;
	struct sw_store *st = setup(s);

	(void)state;
	assert_int_equal(sw_store_sched_next(st, &t, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_sched_unscheduled(st, unsched_cb, &ids, NULL), SW_OK);
	assert_int_equal(ids.n, 2);
	assert_int_equal(ids.v[0], s[0]);
	assert_int_equal(ids.v[1], s[1]);
	assert_int_equal(sw_store_sched_set(st, s[0], 1000, NULL), SW_OK);
	assert_int_equal(sw_store_sched_set(st, s[1], 900, NULL), SW_OK);
	assert_int_equal(sw_store_sched_set(st, s[2], 100, NULL), SW_OK); /* suspended */
	ids.n = 0;
	assert_int_equal(sw_store_sched_unscheduled(st, unsched_cb, &ids, NULL), SW_OK);
	assert_int_equal(ids.n, 0);
	assert_int_equal(sw_store_sched_next(st, &t, NULL), SW_OK);
	assert_int_equal(t, 900);

	assert_int_equal(sw_store_due(st, 899, 10, due_cb, &ids, NULL), SW_OK);
	assert_int_equal(ids.n, 0);
	assert_int_equal(sw_store_due(st, 1000, 10, due_cb, &ids, NULL), SW_OK);
	assert_int_equal(ids.n, 2);
	assert_int_equal(ids.v[0], s[1]);
	assert_int_equal(ids.v[1], s[0]);
	assert_int_equal(ids.last.up, -1);
	assert_int_equal(ids.last.fails, 0);
	assert_string_equal(ids.last.url, "http://a.test/");
	ids.n = 0;
	assert_int_equal(sw_store_due(st, 5000, 1, due_cb, &ids, NULL), SW_OK);
	assert_int_equal(ids.n, 1); /* the limit */

	assert_int_equal(sw_store_sched_get(st, s[0], &row, NULL), SW_OK);
	assert_int_equal(row.next_due, 1000);
	assert_int_equal(row.last_checked, 0);
	assert_string_equal(row.last_ips, "");
	assert_int_equal(sw_store_sched_get(st, 999999, &row, NULL), SW_ENOTFOUND);
	sw_store_close(st);
}

/* Collects the findings of a check. */
struct got {
	int n;
	char kinds[4][40];
	int had_null_evidence;
	char pages[4][64];
	int64_t check_ids[8];
	int nchecks;
};

static int finding_cb(void *arg, const struct sw_check_finding *f)
{
	struct got *g = arg;

	snprintf(g->pages[g->n], sizeof g->pages[0], "%s", f->page ? f->page : "-");
	snprintf(g->kinds[g->n++], sizeof g->kinds[0], "%s", f->kind);
	g->had_null_evidence |= f->evidence == NULL;
	return 0;
}

static int check_cb(void *arg, const struct sw_check_row *c)
{
	struct got *g = arg;

	g->check_ids[g->nchecks++] = c->id;
	return 0;
}

/* Records check number i of site at time t with a 500 and two findings. */
static int64_t record(struct sw_store *st, int64_t site, int64_t t, int up, const char *ips)
{
	struct sw_check_finding f[] = {
		{"availability.http_error", "high", "home page answers HTTP 500", "{\"status\":500}", NULL},
		{"tls.expiring", "medium", "certificate expires in 3 day(s)", NULL,
		 "https://a.example/news/1.html"},
	};
	struct sw_check_row c = {.site_id = site, .checked_at = t, .status = 500, .total_ms = 12,
				 .dns_ms = 1, .connect_ms = 2, .first_byte_ms = 10,
				 .ip = "127.0.0.1", .http_version = 11, .body_size = 5,
				 .tls_not_after = 1900000000};
	struct sw_site_state s = {.up = up, .since = t, .checked_at = t, .last_status = 500,
				  .last_ms = 12, .open_findings = 2};
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_store_check_record(st, &c, f, 2, &s, t + 300, up ? 1 : 3, ips, &eb))
		fail_msg("record: %s", eb.msg);
	assert_true(c.id > 0);
	assert_int_equal(s.last_check_id, c.id);
	return c.id;
}

/* A check is stored with its findings, state and schedule; history reads
 * newest first; retention deletes old checks and their findings. */
static void test_record(void **state)
{
	struct sw_site_state ss;
	struct sw_sched_row row;
	struct got g = {0};
	int64_t s[3], id1, id2, id3, nc = -1, ns = -1;
	struct sw_store *st = setup(s);

	(void)state;
	assert_int_equal(sw_store_site_state_get(st, s[0], &ss, NULL), SW_ENOTFOUND);
	id1 = record(st, s[0], 1000, 1, "127.0.0.1");
	id2 = record(st, s[0], 1300, 0, NULL);
	id3 = record(st, s[0], 1600, 0, NULL);
	assert_true(id1 < id2 && id2 < id3);

	assert_int_equal(sw_store_site_state_get(st, s[0], &ss, NULL), SW_OK);
	assert_int_equal(ss.up, 0);
	assert_int_equal(ss.last_check_id, id3);
	assert_int_equal(ss.last_status, 500);
	assert_int_equal(ss.open_findings, 2);
	assert_int_equal(sw_store_sched_get(st, s[0], &row, NULL), SW_OK);
	assert_int_equal(row.next_due, 1900);
	assert_int_equal(row.last_checked, 1600);
	assert_int_equal(row.fails, 3);
	assert_string_equal(row.last_ips, "127.0.0.1"); /* NULL kept the old */

	assert_int_equal(sw_store_check_findings(st, id2, finding_cb, &g, NULL), SW_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.kinds[0], "availability.http_error");
	assert_string_equal(g.kinds[1], "tls.expiring");
	assert_true(g.had_null_evidence);
	/* The page a finding was made on (migration 0011); NULL stays NULL. */
	assert_string_equal(g.pages[0], "-");
	assert_string_equal(g.pages[1], "https://a.example/news/1.html");

	assert_int_equal(sw_store_checks_recent(st, s[0], 0, 0, check_cb, &g, NULL), SW_OK);
	assert_int_equal(g.nchecks, 3);
	assert_int_equal(g.check_ids[0], id3);
	g.nchecks = 0;
	assert_int_equal(sw_store_checks_recent(st, s[0], 1300, 1, check_cb, &g, NULL), SW_OK);
	assert_int_equal(g.nchecks, 1);

	assert_int_equal(sw_store_history_prune(st, 1300, &nc, &ns, NULL), SW_OK);
	assert_int_equal(nc, 1);
	assert_int_equal(ns, 0);
	g.n = 0;
	assert_int_equal(sw_store_check_findings(st, id1, finding_cb, &g, NULL), SW_OK);
	assert_int_equal(g.n, 0); /* cascaded */
	g.nchecks = 0;
	assert_int_equal(sw_store_checks_recent(st, s[0], 0, 0, check_cb, &g, NULL), SW_OK);
	assert_int_equal(g.nchecks, 2);
	sw_store_close(st);
}

/* A failed record leaves nothing behind: a check of a site that does not
 * exist is refused and no row of it remains. */
static void test_record_all_or_nothing(void **state)
{
	struct sw_check_finding f = {"availability.down", "high", "down", NULL, NULL};
	struct sw_check_row c = {.site_id = 424242, .checked_at = 5};
	struct sw_site_state ss = {.up = 0};
	struct got g = {0};
	int64_t s[3];
	struct sw_store *st = setup(s);

	(void)state;
	assert_int_equal(sw_store_check_record(st, &c, &f, 1, &ss, 10, 1, NULL, NULL), SW_EINUSE);
	assert_int_equal(sw_store_checks_recent(st, 424242, 0, 0, check_cb, &g, NULL), SW_OK);
	assert_int_equal(g.nchecks, 0);
	/* The store is usable afterwards. */
	record(st, s[1], 100, 1, NULL);
	sw_store_close(st);
}

/* Snapshots: content-addressed, stored once, bytes (NULs included) back
 * exactly; a missing key is SW_ENOTFOUND; retention drops unreferenced
 * old snapshots only. */
static void test_snapshots(void **state)
{
	char key[SW_SNAPSHOT_KEY_LEN], key2[SW_SNAPSHOT_KEY_LEN], empty[SW_SNAPSHOT_KEY_LEN];
	unsigned char body[70000], *back = NULL;
	size_t len = 0;
	int added = -1;
	int64_t s[3], ns = -1;
	struct sw_store *st = setup(s);
	struct sw_check_row c = {.site_id = s[0], .checked_at = 50};
	struct sw_site_state ss = {.up = 1};

	(void)state;
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = (unsigned char)(i % 7 == 0 ? 0 : "<p>页面</p>"[i % 13]);
	assert_int_equal(sw_store_snapshot_put(st, body, sizeof body, 10, key, &added, NULL), SW_OK);
	assert_int_equal(added, 1);
	assert_int_equal(strlen(key), 64);
	assert_int_equal(sw_store_snapshot_put(st, body, sizeof body, 20, key2, &added, NULL),
			 SW_OK);
	assert_int_equal(added, 0);
	assert_string_equal(key, key2);
	assert_int_equal(sw_store_snapshot_get(st, key, &back, &len, NULL), SW_OK);
	assert_int_equal(len, sizeof body);
	assert_memory_equal(back, body, sizeof body);
	free(back);

	/* The empty body has the well-known SHA-256 and round-trips. */
	assert_int_equal(sw_store_snapshot_put(st, "", 0, 10, empty, &added, NULL), SW_OK);
	assert_string_equal(empty,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(sw_store_snapshot_get(st, empty, &back, &len, NULL), SW_OK);
	assert_int_equal(len, 0);
	assert_int_equal(back[0], 0);
	free(back);
	assert_int_equal(sw_store_snapshot_get(st, "00", &back, &len, NULL), SW_ENOTFOUND);
	assert_null(back);

	/* A check names the big body: pruning keeps it, drops the empty one. */
	c.body_hash = key;
	assert_int_equal(sw_store_check_record(st, &c, NULL, 0, &ss, 100, 0, NULL, NULL), SW_OK);
	assert_int_equal(sw_store_history_prune(st, 30, NULL, &ns, NULL), SW_OK);
	assert_int_equal(ns, 1);
	assert_int_equal(sw_store_snapshot_get(st, empty, &back, &len, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_snapshot_get(st, key, &back, &len, NULL), SW_OK);
	free(back);
	sw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_all_or_nothing),
		cmocka_unit_test(test_snapshots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
