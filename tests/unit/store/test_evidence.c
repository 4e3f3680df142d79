/*
 * test_evidence.c - the evidence ledger on a real store (SQLite here,
 * PostgreSQL through tests/integration/pg_store.sh): a chain of 1,000
 * entries verifies; a changed entry breaks it at that entry; the schema
 * refuses UPDATE and DELETE of ledger rows; freezing a check (live and
 * after the fact) and exporting a package that verifies on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../testutil.h"
#include "evidence/evidence.h"
#include "model/entity.h"
#include "probe/fetch.h"
#include "store/alert.h"
#include "store/incident.h"

/* The store and where it lives, so a test can reach behind its back. */
struct where {
	char url[4096];  /* postgresql:// address with the test's schema, or "" */
	char path[4096]; /* SQLite file, or "" */
	char keys[4096];
};

/* Opens a fresh store of the kind the harness asks for and makes a key
 * directory name (not created: the ledger makes it). */
static struct sw_store *open_store(struct where *w)
{
	const char *url = getenv("SW_TEST_STORE_URL"), *tmp = getenv("TMPDIR");
	static unsigned seq;
	struct sw_store *st = NULL;
	struct sw_errbuf eb;

	memset(w, 0, sizeof *w);
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(w->keys, sizeof w->keys, "%s/sw-evkeys-%ld-%u", tmp, (long)getpid(), ++seq);
#ifdef SW_HAVE_PG
	if (url && !strncmp(url, "postgres", 8))
		sw_test_pg_schema(url, w->url, sizeof w->url);
#endif
	if (!w->url[0]) {
		snprintf(w->path, sizeof w->path, "%s/sw-ev-%ld-%u.db", tmp, (long)getpid(), seq);
		unlink(w->path);
	}
	sw_errbuf_clear(&eb);
	if (sw_store_open(w->url[0] ? w->url : w->path, &st, &eb))
		fail_msg("open: %s", eb.msg);
	return st;
}

/* Runs sql behind the store's back; returns 0 when the database took it. */
static int raw_sql(const struct where *w, const char *sql)
{
#ifdef SW_HAVE_PG
	if (w->url[0]) {
		PGconn *c = PQconnectdb(w->url);
		PGresult *r = PQexec(c, sql);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

		PQclear(r);
		PQfinish(c);
		return ok ? 0 : -1;
	}
#endif
	sqlite3 *db;
	int rc;

	assert_int_equal(sqlite3_open(w->path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Lets a test change rows as an intruder with write access would. */
static void drop_guards(const struct where *w)
{
	if (w->url[0])
		assert_int_equal(raw_sql(w, "ALTER TABLE evidence_ledger DISABLE TRIGGER USER"), 0);
	else
		assert_int_equal(raw_sql(w, "DROP TRIGGER evidence_ledger_no_update"), 0);
}

static struct sw_evidence *open_ev(struct sw_store *st, const struct where *w,
				   enum sw_ev_hash h, enum sw_ev_sig s)
{
	struct sw_ev_opts o;
	struct sw_evidence *ev = NULL;
	struct sw_errbuf eb;

	sw_ev_opts_init(&o);
	o.hash = h;
	o.sig = s;
	o.key_dir = w->keys;
	o.create_key = 1;
	sw_errbuf_clear(&eb);
	if (sw_evidence_open(st, &o, &ev, &eb))
		fail_msg("evidence open: %s", eb.msg);
	return ev;
}

/* Appends n items "item <i>" in batches of 50. */
static void fill(struct sw_evidence *ev, int n)
{
	static char bytes[50][32];
	struct sw_ev_item it[50];
	struct sw_errbuf eb;

	for (int i = 0; i < n; i += 50) {
		int k = n - i < 50 ? n - i : 50;

		for (int j = 0; j < k; j++) {
			snprintf(bytes[j], sizeof bytes[j], "item %d", i + j + 1);
			it[j] = (struct sw_ev_item){.kind = "file", .name = bytes[j],
						    .media_type = "text/plain", .bytes = bytes[j],
						    .len = strlen(bytes[j]), .site_id = 7};
		}
		sw_errbuf_clear(&eb);
		if (sw_evidence_add(ev, it, (size_t)k, NULL, &eb))
			fail_msg("add: %s", eb.msg);
	}
}

struct problems {
	int n;
	char first[64], what[256];
};

static void on_problem(void *arg, const char *where, const char *what)
{
	struct problems *p = arg;

	if (!p->n++) {
		snprintf(p->first, sizeof p->first, "%s", where);
		snprintf(p->what, sizeof p->what, "%s", what);
	}
}

/* A chain of 1,000 entries verifies; a changed entry is found at its seq,
 * and nothing before it is blamed. */
static void test_chain_1000(void **state)
{
	struct where w;
	struct sw_store *st = open_store(&w);
	struct sw_evidence *ev = open_ev(st, &w, SW_EV_SM3, SW_EV_SM2);
	struct sw_ev_verify_stats vs;
	struct problems p = {0};
	int64_t seq;
	char hash[SW_EV_HEX_LEN];

	(void)state;
	fill(ev, 1000);
	assert_int_equal(sw_store_ev_head(st, &seq, hash, sizeof hash, NULL), SW_OK);
	assert_int_equal(seq, 1000);
	assert_int_equal(sw_evidence_sign_head(ev, 1, &seq, NULL), SW_OK);
	assert_int_equal(seq, 1000);
	assert_int_equal(sw_evidence_ledger_verify(ev, on_problem, &p, &vs, NULL), SW_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(vs.entries, 1000);
	assert_true(vs.signatures >= 2); /* the first append's and ours */

	/* The schema refuses changes and removals. */
	assert_int_not_equal(raw_sql(&w, "UPDATE evidence_ledger SET size = 99 WHERE seq = 500"), 0);
	assert_int_not_equal(raw_sql(&w, "DELETE FROM evidence_ledger WHERE seq = 1000"), 0);
	assert_int_not_equal(raw_sql(&w, "DELETE FROM evidence_signatures"), 0);

	/* An intruder who removes the guard and edits entry 500. */
	drop_guards(&w);
	assert_int_equal(raw_sql(&w, "UPDATE evidence_ledger SET name = 'item 5OO' WHERE seq = 500"), 0);
	assert_int_equal(sw_evidence_ledger_verify(ev, on_problem, &p, &vs, NULL), SW_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.first, "entry 500");

	/* Rewriting its hash too only moves the break to the link after it. */
	p = (struct problems){0};
	assert_int_equal(raw_sql(&w, "UPDATE evidence_ledger SET entry_hash = "
				      "'00000000000000000000000000000000000000000000000000000000000000ff'"
				      " WHERE seq = 500"),
			 0);
	assert_int_equal(sw_evidence_ledger_verify(ev, on_problem, &p, &vs, NULL), SW_OK);
	assert_string_equal(p.first, "entry 500");
	assert_true(p.n >= 2); /* 500's own hash and 501's link */
	sw_evidence_free(ev);
	sw_store_close(st);
}

/* SHA-256 and Ed25519 chain the same way; a swapped item's bytes are
 * found. */
static void test_sha256_ed25519(void **state)
{
	struct where w;
	struct sw_store *st = open_store(&w);
	struct sw_evidence *ev = open_ev(st, &w, SW_EV_SHA256, SW_EV_ED25519);
	struct sw_ev_verify_stats vs;
	struct problems p = {0};

	(void)state;
	fill(ev, 60);
	assert_int_equal(sw_evidence_sign_head(ev, 1, NULL, NULL), SW_OK);
	assert_int_equal(sw_evidence_ledger_verify(ev, on_problem, &p, &vs, NULL), SW_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(vs.entries, 60);
	sw_evidence_free(ev);
	sw_store_close(st);
}

static int64_t add_rec(struct sw_store *st, enum sw_ent e, ...)
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

struct seqs {
	int64_t v[64];
	size_t n;
	char body_hash[SW_EV_HEX_LEN];
};

static int seq_cb(void *arg, const struct sw_ev_row *r)
{
	struct seqs *s = arg;

	if (s->n < 64)
		s->v[s->n++] = r->seq;
	if (!strcmp(r->kind, "body"))
		snprintf(s->body_hash, sizeof s->body_hash, "%s", r->item_hash);
	return 0;
}

/* A live freeze stores the exchange's parts once; a stored check freezes
 * after the fact from its row, findings and snapshot; the exported package
 * verifies and its body item is the page's exact bytes. */
static void test_freeze_export(void **state)
{
	static const char page[] = "<html><body>被篡改 \x00\xff raw</body></html>";
	struct where w;
	struct sw_store *st = open_store(&w);
	struct sw_evidence *ev = open_ev(st, &w, SW_EV_SM3, SW_EV_SM2);
	struct sw_check_finding f[2] = {{"deface", "high", "页面被篡改", "tampered", NULL},
					{"darklink", "medium", "暗链", NULL, NULL}};
	struct sw_fetch_result *r = NULL;
	struct sw_check_row c = {0};
	struct sw_site_state ss = {0};
	struct seqs live = {0}, stored = {0}, all = {0};
	unsigned char *pkg = NULL, *back = NULL;
	char unit[24], key[SW_SNAPSHOT_KEY_LEN];
	struct sw_errbuf eb;
	size_t n = 0, len = 0;
	int64_t site;
	struct problems p = {0};

	(void)state;
	snprintf(unit, sizeof unit, "%lld",
		 (long long)add_rec(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region",
				    "110000", NULL));
	site = add_rec(st, SW_ENT_SITE, "name", "a", "url", "http://a.test/", "unit", unit,
		       "status", "online", "review_state", "pending", NULL);
	assert_int_equal(sw_fetch_result_from_body("http://a.test/", page, sizeof page - 1,
						   "text/html; charset=utf-8", &r),
			 SW_OK);
	sw_errbuf_clear(&eb);
	if (sw_evidence_freeze_check(ev, site, 41, r, f, 2, &n, &eb))
		fail_msg("freeze: %s", eb.msg);
	assert_int_equal(n, 6); /* request response headers body addresses findings */
	assert_int_equal(sw_evidence_freeze_check(ev, site, 41, r, f, 2, &n, NULL), SW_OK);
	assert_int_equal(n, 0); /* frozen once */
	sw_fetch_result_free(r);
	assert_int_equal(sw_store_ev_by_check(st, 41, seq_cb, &live, NULL), SW_OK);
	assert_int_equal(live.n, 6);
	assert_int_equal(sw_store_ev_blob_get(st, "sm3", live.body_hash, &back, &len, NULL), SW_OK);
	assert_int_equal(len, sizeof page - 1);
	assert_memory_equal(back, page, len);
	free(back);

	/* After the fact, from a recorded check with a snapshot. */
	assert_int_equal(sw_store_snapshot_put(st, page, sizeof page - 1, 100, key, NULL, NULL), SW_OK);
	c.site_id = site;
	c.checked_at = 100;
	c.status = 200;
	c.ip = "127.0.0.1";
	c.http_version = 11;
	c.body_hash = key;
	c.body_size = sizeof page - 1;
	ss.site_id = site;
	ss.up = 1;
	assert_int_equal(sw_store_check_record(st, &c, f, 2, &ss, 400, 0, NULL, NULL), SW_OK);
	assert_int_equal(sw_evidence_freeze_stored(ev, c.id, &n, NULL), SW_OK);
	assert_int_equal(n, 5); /* request response addresses body findings */
	assert_int_equal(sw_evidence_freeze_stored(ev, 999999, &n, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_store_ev_by_check(st, c.id, seq_cb, &stored, NULL), SW_OK);
	assert_string_equal(stored.body_hash, live.body_hash); /* same bytes, one blob */

	assert_int_equal(sw_store_ev_by_site(st, site, 0, 0, seq_cb, &all, NULL), SW_OK);
	assert_int_equal(all.n, 11);
	sw_errbuf_clear(&eb);
	if (sw_evidence_export(ev, all.v, all.n, "case-1", &pkg, &len, &eb))
		fail_msg("export: %s", eb.msg);
	assert_int_equal(sw_evidence_verify_package(pkg, len, on_problem, &p, NULL, NULL), SW_OK);
	assert_int_equal(p.n, 0);
	/* The page's bytes sit in the archive as they are. */
	assert_non_null(memmem(pkg, len, page, sizeof page - 1));
	free(pkg);
	/* Export entries are records, not evidence to re-export; bad labels. */
	assert_int_equal(sw_evidence_export(ev, all.v, all.n, "../x", &pkg, &len, NULL), SW_EINVAL);
	sw_evidence_free(ev);
	sw_store_close(st);
}

/* Two processes appending at once on one database: the chain does not
 * fork, every item is in, and it verifies (the loser of a race for a seq
 * retries on the new head). */
static void test_concurrent(void **state)
{
	struct where w;
	struct sw_store *st = open_store(&w);
	struct sw_evidence *ev = open_ev(st, &w, SW_EV_SM3, SW_EV_SM2);
	struct sw_ev_verify_stats vs;
	struct problems p = {0};
	pid_t kids[2];

	(void)state;
	for (int k = 0; k < 2; k++) {
		if ((kids[k] = fork()) == 0) {
			struct sw_store *cst = NULL;
			struct sw_evidence *cev = NULL;
			struct sw_ev_opts o;
			char name[32];
			int bad = 0;

			sw_ev_opts_init(&o);
			o.key_dir = w.keys;
			if (sw_store_open(w.url[0] ? w.url : w.path, &cst, NULL) ||
			    sw_evidence_open(cst, &o, &cev, NULL))
				_exit(2);
			for (int i = 0; i < 100 && !bad; i++) {
				struct sw_ev_item it = {.kind = "file", .name = name, .bytes = name,
							.site_id = k + 1};

				snprintf(name, sizeof name, "writer %d item %d", k, i);
				it.len = strlen(name);
				struct sw_errbuf ceb;

				sw_errbuf_clear(&ceb);
				if ((bad = sw_evidence_add(cev, &it, 1, NULL, &ceb) != SW_OK))
					fprintf(stderr, "writer %d: %s\n", k, ceb.msg);
			}
			sw_evidence_free(cev);
			sw_store_close(cst);
			_exit(bad);
		}
		assert_true(kids[k] > 0);
	}
	for (int k = 0; k < 2; k++) {
		int status = -1;

		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(sw_evidence_ledger_verify(ev, on_problem, &p, &vs, NULL), SW_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(vs.entries, 200);
	sw_evidence_free(ev);
	sw_store_close(st);
}

static int seq_add(void *arg, int64_t seq)
{
	struct seqs *s = arg;

	if (s->n < 64)
		s->v[s->n++] = seq;
	return 0;
}

/* An incident's evidence is the entries of the checks its alerts were
 * seen in; checks not frozen at detection are frozen from the store. */
static void test_incident(void **state)
{
	struct where w;
	struct sw_store *st = open_store(&w);
	struct sw_evidence *ev = open_ev(st, &w, SW_EV_SM3, SW_EV_SM2);
	struct sw_check_finding f = {"darklink", "high", "暗链", "{\"domain\":\"x.test\"}", NULL};
	struct sw_check_row c = {0};
	struct sw_site_state ss = {0};
	struct sw_alert_row a = {0};
	struct sw_incident_row in = {0};
	struct seqs got = {0};
	int64_t site, check1, alert, incident;
	char unit[24];
	unsigned char *pkg = NULL;
	size_t len;

	(void)state;
	snprintf(unit, sizeof unit, "%lld",
		 (long long)add_rec(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region",
				    "110000", NULL));
	site = add_rec(st, SW_ENT_SITE, "name", "a", "url", "http://a.test/", "unit", unit,
		       "status", "online", "review_state", "pending", NULL);
	c.site_id = ss.site_id = site;
	ss.up = 1;
	c.status = 200;
	for (int i = 0; i < 2; i++) {
		c.checked_at = 100 + i;
		assert_int_equal(sw_store_check_record(st, &c, &f, 1, &ss, 400, 0, NULL, NULL), SW_OK);
		if (!i)
			check1 = c.id;
	}
	a.site_id = site;
	a.kind = "darklink";
	a.fingerprint = "x.test";
	a.severity = "high";
	a.title = "暗链";
	a.state = SW_ALERT_OPEN;
	a.first_seen = a.last_seen = a.state_at = 100;
	a.first_check_id = a.last_check_id = check1;
	assert_int_equal(sw_store_alert_insert(st, &a, &alert, NULL), SW_OK);
	assert_int_equal(sw_store_alert_seen(st, alert, c.id, 101, "high", "暗链", NULL, NULL, 0, NULL),
			 SW_OK);
	in.site_id = site;
	in.title = "暗链";
	in.severity = "high";
	in.state = "open";
	in.source = "auto";
	in.opened_at = 100;
	assert_int_equal(sw_store_incident_add(st, &in, &incident, NULL), SW_OK);
	assert_int_equal(sw_store_incident_link(st, incident, alert, NULL), SW_OK);

	assert_int_equal(sw_evidence_incident_seqs(ev, incident, seq_add, &got, NULL), SW_OK);
	assert_int_equal(got.n, 8); /* request response addresses findings of each check */
	assert_int_equal(sw_evidence_incident_seqs(ev, incident + 100, seq_add, &got, NULL),
			 SW_ENOTFOUND);
	assert_int_equal(sw_evidence_export(ev, got.v, got.n, "incident", &pkg, &len, NULL), SW_OK);
	assert_int_equal(sw_evidence_verify_package(pkg, len, NULL, NULL, NULL, NULL), SW_OK);
	free(pkg);
	/* Asked again, nothing is frozen twice. */
	got.n = 0;
	assert_int_equal(sw_evidence_incident_seqs(ev, incident, seq_add, &got, NULL), SW_OK);
	assert_int_equal(got.n, 8);
	sw_evidence_free(ev);
	sw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_1000),
		cmocka_unit_test(test_sha256_ed25519),
		cmocka_unit_test(test_freeze_export),
		cmocka_unit_test(test_incident),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
