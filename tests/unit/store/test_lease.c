/*
 * test_lease.c - leases of due sites, probe nodes and vantage rows
 * (lease.c, node.c), on SQLite by default and on PostgreSQL under
 * tests/integration/pg_store.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "model/entity.h"
#include "store/lease.h"
#include "store/node.h"

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

/* A unit and n online sites, each scheduled due at 100; ids in s[]. */
static struct sw_store *setup(int64_t *s, int n)
{
	struct sw_store *st = sw_test_store();
	char unit[24], name[16], url[64];

	snprintf(unit, sizeof unit, "%lld",
		 (long long)add(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region",
				"110000", NULL));
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "s%d", i);
		snprintf(url, sizeof url, "http://s%d.test/", i);
		s[i] = add(st, SW_ENT_SITE, "name", name, "url", url, "unit", unit, "status", "online",
			   "review_state", "pending", NULL);
		assert_int_equal(sw_store_sched_add(st, s[i], 100, NULL), SW_OK);
	}
	return st;
}

struct ids {
	int64_t v[16];
	int n;
};

static int take_cb(void *arg, const struct sw_due *d)
{
	struct ids *ids = arg;

	if (ids->n < 16)
		ids->v[ids->n++] = d->site_id;
	return 0;
}

/* Records an up check of site at `at`, due again at next, by node. */
static void record(struct sw_store *st, const char *node, int64_t site, int64_t at,
		   int64_t next)
{
	struct sw_check_row c = {.site_id = site, .checked_at = at, .status = 200};
	struct sw_site_state t = {.up = 1, .since = at, .checked_at = at, .last_status = 200};

	assert_int_equal(sw_store_check_record_by(st, node, &c, NULL, 0, &t, next, 0, NULL, NULL),
			 SW_OK);
}

/* Two nodes never hold the same site; a lapsed lease is taken again; a
 * recorded check frees the site until its next due time. */
static void test_lease_split_and_lapse(void **state)
{
	int64_t s[5];
	struct sw_store *st = setup(s, 5);
	struct ids a = {0}, b = {0}, c = {0};

	(void)state;
	/* A sched_add of a scheduled site changes nothing. */
	assert_int_equal(sw_store_sched_add(st, s[0], 999, NULL), SW_OK);
	assert_int_equal(sw_store_lease_due(st, "p1", 200, 200, 230, 3, take_cb, &a, NULL), SW_OK);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.v[0], s[0]); /* due at 100, not 999 */
	assert_int_equal(sw_store_lease_due(st, "p2", 200, 200, 230, 10, take_cb, &b, NULL), SW_OK);
	assert_int_equal(b.n, 2);
	for (int i = 0; i < a.n; i++)
		for (int j = 0; j < b.n; j++)
			assert_true(a.v[i] != b.v[j]);
	/* p1 records one; p2 dies.  At 229 nothing is free; at 230 p2's two
	 * leases and p1's two unrecorded ones have lapsed, the recorded site
	 * is not due. */
	record(st, "p1", a.v[0], 201, 500);
	assert_int_equal(sw_store_lease_due(st, "p3", 229, 229, 260, 10, take_cb, &c, NULL), SW_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(sw_store_lease_due(st, "p3", 230, 230, 260, 10, take_cb, &c, NULL), SW_OK);
	assert_int_equal(c.n, 4);
	for (int i = 0; i < c.n; i++)
		assert_true(c.v[i] != a.v[0]);
	/* Released leases are free at once. */
	assert_int_equal(sw_store_lease_release(st, "p3", NULL), SW_OK);
	c.n = 0;
	assert_int_equal(sw_store_lease_due(st, "p1", 231, 231, 260, 10, take_cb, &c, NULL), SW_OK);
	assert_int_equal(c.n, 4);
	sw_store_close(st);
}

/* The next takeable time counts a lease's lapse. */
static void test_lease_next(void **state)
{
	int64_t s[1], t = 0;
	struct sw_store *st = setup(s, 1);
	struct ids a = {0};

	(void)state;
	assert_int_equal(sw_store_lease_next(st, &t, NULL), SW_OK);
	assert_int_equal(t, 100);
	assert_int_equal(sw_store_lease_due(st, "p1", 150, 150, 180, 1, take_cb, &a, NULL), SW_OK);
	assert_int_equal(sw_store_lease_next(st, &t, NULL), SW_OK);
	assert_int_equal(t, 180);
	sw_store_close(st);
}

struct nodes {
	char name[4][16], labels[4][32];
	int64_t checks[4];
	int alive[4], n;
};

static int node_cb(void *arg, const struct sw_node_row *r)
{
	struct nodes *ns = arg;

	if (ns->n < 4) {
		snprintf(ns->name[ns->n], 16, "%s", r->name);
		snprintf(ns->labels[ns->n], 32, "%s", r->labels);
		ns->checks[ns->n] = r->checks_hour;
		ns->alive[ns->n++] = r->alive;
	}
	return 0;
}

/* Nodes, their heartbeat and their share of the last hour's checks. */
static void test_nodes(void **state)
{
	int64_t s[3];
	struct sw_store *st = setup(s, 3);
	struct nodes ns = {0};

	(void)state;
	assert_int_equal(sw_store_node_beat(st, "p2", "", 10, 5000, 30, NULL), SW_OK);
	assert_int_equal(sw_store_node_beat(st, "p1", "net=a", 10, 1000, 30, NULL), SW_OK);
	assert_int_equal(sw_store_node_beat(st, "p1", "net=a,region=gd", 10, 5000, 30, NULL),
			 SW_OK);
	record(st, "p1", s[0], 4000, 9000);
	record(st, "p1", s[1], 4500, 9000);
	record(st, "p1", s[2], 1000, 9000); /* more than an hour before 5050 */
	record(st, "p2", s[2], 5000, 9000);
	assert_int_equal(sw_store_node_list(st, 5050, node_cb, &ns, NULL), SW_OK);
	assert_int_equal(ns.n, 2);
	assert_string_equal(ns.name[0], "p1");
	assert_string_equal(ns.labels[0], "net=a,region=gd");
	assert_int_equal(ns.checks[0], 2);
	assert_int_equal(ns.checks[1], 1);
	assert_true(ns.alive[0] && ns.alive[1]);
	ns.n = 0;
	/* Dead after three lease times (90 s) when that is longer than the
	 * minimum. */
	assert_int_equal(sw_store_node_list(st, 5090, node_cb, &ns, NULL), SW_OK);
	assert_true(ns.alive[0]);
	ns.n = 0;
	assert_int_equal(sw_store_node_list(st, 5091, node_cb, &ns, NULL), SW_OK);
	assert_false(ns.alive[0]);
	assert_int_equal(sw_store_node_remove(st, "p2", NULL), SW_OK);
	assert_int_equal(sw_store_node_remove(st, "p2", NULL), SW_ENOTFOUND);
	sw_store_close(st);
}

struct vids {
	char v[8][32];
	int64_t site[8];
	int n;
};

static int vtake_cb(void *arg, const struct sw_vantage_due *d)
{
	struct vids *w = arg;

	if (w->n < 8) {
		snprintf(w->v[w->n], 32, "%s", d->vantage);
		w->site[w->n++] = d->site_id;
	}
	return 0;
}

static int vseen_cb(void *arg, const struct sw_vantage_seen *v)
{
	struct vids *w = arg;

	if (w->n < 8)
		snprintf(w->v[w->n++], 32, "%s", v->ips ? v->ips : "-");
	return 0;
}

/* Vantage rows follow the policy's labels, are leased only to nodes with
 * the label, and keep what the check saw. */
static void test_vantage(void **state)
{
	int64_t s[2];
	struct sw_store *st = setup(s, 2);
	const char *want[] = {"net=telecom", "net=unicom"};
	const char *mine[] = {"net=unicom", "region=gd"};
	const char *other[] = {"net=mobile"};
	struct vids w = {0};
	struct sw_vantage_seen v = {.site_id = s[0], .vantage = "net=unicom", .node = "p1",
				    .checked_at = 300, .ips = "10.0.0.1", .body_hash = NULL};

	(void)state;
	assert_int_equal(sw_store_vantage_sync(st, s[0], want, 2, 200, NULL), SW_OK);
	assert_int_equal(sw_store_vantage_sync(st, s[0], want, 2, 999, NULL), SW_OK);
	assert_int_equal(sw_store_vantage_lease(st, "p3", other, 1, 250, 280, 10, vtake_cb, &w,
						NULL),
			 SW_OK);
	assert_int_equal(w.n, 0);
	assert_int_equal(sw_store_vantage_lease(st, "p1", mine, 2, 250, 280, 10, vtake_cb, &w,
						NULL),
			 SW_OK);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "net=unicom");
	assert_int_equal(w.site[0], s[0]);
	w.n = 0; /* leased: not again */
	assert_int_equal(sw_store_vantage_lease(st, "p2", mine, 2, 250, 280, 10, vtake_cb, &w,
						NULL),
			 SW_OK);
	assert_int_equal(w.n, 0);
	assert_int_equal(sw_store_vantage_record(st, &v, 600, NULL), SW_OK);
	assert_int_equal(sw_store_vantage_walk(st, s[0], 300, vseen_cb, &w, NULL), SW_OK);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "10.0.0.1");
	/* One label dropped from the policy: its row goes. */
	assert_int_equal(sw_store_vantage_sync(st, s[0], want, 1, 700, NULL), SW_OK);
	w.n = 0;
	assert_int_equal(sw_store_vantage_walk(st, s[0], INT64_MIN, vseen_cb, &w, NULL), SW_OK);
	assert_int_equal(w.n, 1);
	sw_store_close(st);
}

/* A batch transaction holds several checks and commits them together. */
static void test_batch(void **state)
{
	int64_t s[2];
	struct sw_store *st = setup(s, 2);
	struct sw_site_state t;

	(void)state;
	assert_int_equal(sw_store_batch_begin(st, NULL), SW_OK);
	record(st, "p1", s[0], 300, 600);
	record(st, "p1", s[1], 300, 600);
	sw_store_rollback(st);
	assert_int_equal(sw_store_site_state_get(st, s[0], &t, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_batch_begin(st, NULL), SW_OK);
	record(st, "p1", s[0], 300, 600);
	record(st, "p1", s[1], 300, 600);
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_site_state_get(st, s[1], &t, NULL), SW_OK);
	sw_store_close(st);
}

/* A write that fails inside a batch (on PostgreSQL it is pipelined and
 * its answer read later) fails the batch, and the store goes on. */
static void test_batch_failure(void **state)
{
	const struct sw_check_finding bad[1] = {{NULL, "low", "no kind", NULL, NULL}};
	int64_t s[2];
	struct sw_store *st = setup(s, 2);
	struct sw_check_row c = {.site_id = s[0], .checked_at = 300, .status = 200};
	struct sw_site_state t = {.up = 1, .since = 300, .checked_at = 300, .last_status = 200};
	struct sw_errbuf eb;
	enum sw_err rc;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_batch_begin(st, NULL), SW_OK);
	record(st, "p1", s[1], 300, 600);
	rc = sw_store_check_record_by(st, "p1", &c, bad, 1, &t, 600, 0, NULL, &eb);
	if (rc == SW_OK)
		rc = sw_store_commit(st, &eb);
	else
		sw_store_rollback(st);
	assert_int_not_equal(rc, SW_OK);
	assert_false(sw_errbuf_empty(&eb));
	assert_int_equal(sw_store_site_state_get(st, s[1], &t, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_batch_begin(st, NULL), SW_OK);
	record(st, "p1", s[0], 300, 600);
	assert_int_equal(sw_store_commit(st, NULL), SW_OK);
	assert_int_equal(sw_store_site_state_get(st, s[0], &t, NULL), SW_OK);
	sw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_split_and_lapse),
		cmocka_unit_test(test_lease_next),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_vantage),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_batch_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
