/*
 * sw_gen_history.c - a year of synthetic monitoring history for the API
 * benchmark (bench/api), in a SQLite store that already holds a register.
 *
 * A year of five-minute checks for 100,000 sites is ten billion rows, which
 * no disk here holds and which the overview never reads: it reads each
 * site's latest state and the daily rollups (migration 0010).  So the tool
 * writes, per site, a year of daily rollups in bulk SQL (the fast way to
 * fill 36 million rows; the bench measures the API, not this loader), and
 * then the latest checks through the store's real path,
 * sw_store_check_record, which also writes site_state and adds to today's
 * rollups.  About 8% of sites get findings, 2% are down.
 *
 * Output depends only on the seed and the register.
 */
#include <getopt.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/overview.h"
#include "store/store.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "sw_gen_history: %s: %s\n", what, msg);
	exit(1);
}

/* Runs sql on the raw SQLite handle. */
static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err ? err : "?");
}

/* The year of daily rollups before today, in SQL: checks per day 288
 * (every five minutes), a few failures, findings on some sites. */
static void bulk_year(const char *path, int64_t today, int days)
{
	sqlite3 *db;
	char sql[2048];

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;"
		 "BEGIN");
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE d(day) AS (SELECT %lld UNION ALL SELECT day + 1 FROM d WHERE day < "
		 "%lld) INSERT INTO site_daily (site_id, day, checks, up_checks, findings) SELECT "
		 "s.id, d.day, 288, 288 - ((s.id * 7 + d.day * 13) %% 97 = 0) * 40, "
		 "CASE WHEN (s.id * 31 + d.day / 7) %% 13 = 0 THEN 1 + s.id %% 3 ELSE 0 END "
		 "FROM sites s CROSS JOIN d ORDER BY s.id, d.day",
		 (long long)(today - days), (long long)(today - 1));
	exec(db, sql);
	exec(db, "INSERT INTO region_daily (day, region, unit_type, checks, up_checks, findings) "
		 "SELECT sd.day, u.region, u.type, sum(sd.checks), sum(sd.up_checks), "
		 "sum(sd.findings) FROM site_daily sd JOIN sites s ON s.id = sd.site_id JOIN units u "
		 "ON u.id = s.unit_id GROUP BY sd.day, u.region, u.type");
	exec(db, "COMMIT");
	sqlite3_close(db);
}

static int id_cb(void *arg, const struct sw_rec *rec)
{
	struct { int64_t *v; size_t n, cap; } *ids = arg;

	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? 2 * ids->cap : 1024;
		if (!(ids->v = realloc(ids->v, ids->cap * sizeof *ids->v)))
			die("ids", "out of memory");
	}
	ids->v[ids->n++] = rec->id;
	return 0;
}

static const struct sw_check_finding kinds[] = {
	{"tls.expired", "high", "certificate expired 3 days ago", "{\"days\": 3}", NULL},
	{"darklink.hidden", "high", "12 hidden links to gambling sites", NULL, NULL},
	{"compliance.icp_missing", "medium", "no ICP number on the page", NULL, NULL},
	{"trojan.script", "critical", "script from an unknown host injects an iframe", NULL, NULL},
};

/* The latest checks of every site through sw_store_check_record. */
static void recent(struct sw_store *st, int64_t now, int per_site)
{
	struct { int64_t *v; size_t n, cap; } ids = {NULL, 0, 0};
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_store_list(st, sw_entity_get(SW_ENT_SITE), NULL, id_cb, &ids, &eb))
		die("list", eb.msg);
	if (sw_store_begin(st, &eb))
		die("begin", eb.msg);
	for (size_t i = 0; i < ids.n; i++) {
		uint64_t r = next();
		int down = r % 50 == 0, nf = r % 100 < 8 ? 1 + (int)((r >> 8) % 2) : 0;

		for (int k = per_site; k > 0; k--) {
			int64_t t = now - (int64_t)(k - 1) * 300 - (int64_t)(i % 300);
			struct sw_check_row c = {.site_id = ids.v[i], .checked_at = t,
						 .status = down ? 0 : 200, .err = down ? 7 : 0,
						 .total_ms = 80 + (int64_t)(r % 900), .dns_ms = 3,
						 .connect_ms = 10, .tls_ms = 30, .first_byte_ms = 60,
						 .ip = "127.0.0.1", .http_version = 11,
						 .body_size = 30000 + (int64_t)(r % 30000)};
			struct sw_site_state s = {.up = !down, .since = now - 86400, .checked_at = t,
						  .last_status = c.status, .last_err = c.err,
						  .last_ms = c.total_ms, .open_findings = nf};

			if (sw_store_check_record(st, &c, kinds + (r >> 16) % 2, (size_t)nf,
						  &s, t + 300, down ? 3 : 0, NULL, &eb))
				die("record", eb.msg);
		}
	}
	if (sw_store_commit(st, &eb))
		die("commit", eb.msg);
	printf("%zu sites, %d check(s) each recorded\n", ids.n, per_site);
	free(ids.v);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"days", required_argument, NULL, 'n'},
					     {"checks", required_argument, NULL, 'c'},
					     {"now", required_argument, NULL, 't'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	int days = 365, checks = 2, c;
	int64_t now = (int64_t)time(NULL);
	struct sw_store *st;
	struct sw_errbuf eb;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'n')
			days = atoi(optarg);
		else if (c == 'c')
			checks = atoi(optarg);
		else if (c == 't')
			now = strtoll(optarg, NULL, 10);
		else {
			fprintf(c == 'h' ? stdout : stderr,
				"usage: sw_gen_history --db FILE [--days 365] [--checks 2] [--now T]\n"
				"Writes DAYS days of daily rollups per site of the register in FILE and\n"
				"CHECKS recent checks per site (ending at unix time T) through the store.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!db || days < 1 || days > 3660 || checks < 1 || checks > 288)
		die("usage", "--db FILE, --days 1..3660, --checks 1..288");
	sw_errbuf_clear(&eb);
	if (sw_store_open(db, &st, &eb)) /* applies the migrations first */
		die(db, eb.msg);
	sw_store_close(st);
	bulk_year(db, now / 86400, days);
	if (sw_store_open(db, &st, &eb))
		die(db, eb.msg);
	recent(st, now, checks);
	sw_store_close(st);
	return 0;
}
