/*
 * scale_write.c - sw_bench_scale_write, the store half of bench/scale:
 * how many checks per second the store records, the way the engine writes
 * them (sw_store_check_record_by: check row, findings, state, schedule,
 * daily rollups; store/lease.h's batch transaction), on the database it
 * is given (a SQLite file or a postgresql:// address), for one batch size.
 *
 * It registers --sites sites first (not timed), then records --checks
 * checks round-robin over them, --batch per transaction, each with two
 * findings.  Output: one line of key=value pairs for the script.  Times
 * are wall clock (CLOCK_MONOTONIC); tests never look at them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/entity.h"
#include "store/lease.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct sw_errbuf *eb)
{
	fprintf(stderr, "sw_bench_scale_write: %s: %s\n", what, eb->msg);
	exit(1);
}

/* Inserts a record of entity e with the fields of kv (key, value pairs,
 * NULL-terminated) and returns its id. */
static int64_t add(struct sw_store *st, enum sw_ent e, const char *const *kv,
		   struct sw_errbuf *eb)
{
	struct sw_rec r;
	int64_t id;

	sw_rec_init(&r, sw_entity_get(e));
	for (; kv[0]; kv += 2)
		if (sw_rec_set(&r, sw_field_index(e, kv[0]), kv[1]))
			die("bad field", eb);
	if (sw_store_insert(st, &r, eb))
		die("insert", eb);
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

/* Registers n sites of one unit; their ids go to ids[]. */
static void register_sites(struct sw_store *st, long n, int64_t *ids, struct sw_errbuf *eb)
{
	const char *unit_kv[] = {"name", "测速单位", "type", "party_gov", "region", "110000", NULL};
	char unit[24], name[32], url[64];

	if (sw_store_begin_bulk(st, eb))
		die("begin", eb);
	snprintf(unit, sizeof unit, "%lld", (long long)add(st, SW_ENT_UNIT, unit_kv, eb));
	for (long i = 0; i < n; i++) {
		const char *kv[] = {"name", name, "url", url, "unit", unit, "status", "online",
				    "review_state", "pending", NULL};

		snprintf(name, sizeof name, "bench%06ld", i);
		snprintf(url, sizeof url, "http://bench%06ld.scale.test/", i);
		ids[i] = add(st, SW_ENT_SITE, kv, eb);
		if (sw_store_sched_add(st, ids[i], 0, eb))
			die("schedule", eb);
	}
	if (sw_store_commit(st, eb))
		die("commit", eb);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},	  {"sites", required_argument, NULL, 's'},
		{"checks", required_argument, NULL, 'c'}, {"batch", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const struct sw_check_finding f[2] = {
		{"tls.expiring", "medium", "certificate expires in 12 days", "{\"days\":12}", NULL},
		{"availability.slow", "low", "page took 5,300 ms", NULL, NULL},
	};
	const char *db = NULL;
	long sites = 2000, checks = 20000, batch = 200;
	struct sw_store *st;
	struct sw_errbuf eb;
	int64_t *ids, t = 1700000000;
	double t0, dt;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 's')
			sites = atol(optarg);
		else if (c == 'c')
			checks = atol(optarg);
		else if (c == 'b')
			batch = atol(optarg);
		else
			return 2;
	}
	if (!db || sites < 1 || sites > 1000000 || checks < 1 || batch < 1) {
		fprintf(stderr, "usage: sw_bench_scale_write --db DB [--sites N] [--checks N] "
				"[--batch N]\n");
		return 2;
	}
	sw_errbuf_clear(&eb);
	if (sw_store_open(db, &st, &eb))
		die("open", &eb);
	if (!(ids = calloc((size_t)sites, sizeof *ids)))
		return 1;
	register_sites(st, sites, ids, &eb);
	t0 = now_s();
	for (long i = 0; i < checks;) {
		if (sw_store_batch_begin(st, &eb))
			die("batch", &eb);
		for (long k = 0; k < batch && i < checks; k++, i++) {
			struct sw_check_row row = {.site_id = ids[i % sites], .checked_at = t + i / sites,
						   .status = 200, .total_ms = 120, .ip = "127.0.0.1",
						   .http_version = 11, .body_size = 40000};
			struct sw_site_state s = {.up = 1, .since = t, .checked_at = row.checked_at,
						  .last_status = 200, .last_ms = 120,
						  .open_findings = 2};

			if (sw_store_check_record_by(st, "bench", &row, f, 2, &s, row.checked_at + 300,
						     0, "127.0.0.1", &eb))
				die("record", &eb);
		}
		if (sw_store_commit(st, &eb))
			die("commit", &eb);
	}
	dt = now_s() - t0;
	printf("backend=%s sites=%ld checks=%ld batch=%ld seconds=%.3f per_s=%.0f\n",
	       sw_store_backend(st), sites, checks, batch, dt, (double)checks / dt);
	free(ids);
	sw_store_close(st);
	return 0;
}
