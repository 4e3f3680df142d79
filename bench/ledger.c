/*
 * ledger.c - sw_bench_ledger, the measuring half of bench/ledger: appends
 * per second to the evidence ledger, then verification throughput of the
 * stored chain (read, decompress, hash every item and entry) and of an
 * exported package (hash only, in memory), for one hash algorithm.  It
 * writes every item's bytes, in ledger order, to --dump so the script can
 * time `openssl dgst` over exactly the same bytes in the same run.
 *
 * Output: one line of key=value pairs for the script.  Times are wall
 * clock (CLOCK_MONOTONIC); the script prints them, the tests never look.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/evidence.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills p with n bytes of page-like text from a xorshift generator:
 * compressible like HTML, different for every item. */
static void fill(unsigned char *p, size_t n, uint64_t *x)
{
	static const char alpha[] = "<div class=\"news\">abcdefghijklmnopqrstuvwxyz 0123456789</a>\n";

	for (size_t i = 0; i < n; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		p[i] = (unsigned char)alpha[*x % (sizeof alpha - 1)];
	}
}

static void die(const char *what, const struct sw_errbuf *eb)
{
	fprintf(stderr, "sw_bench_ledger: %s: %s\n", what, eb->msg);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *db = NULL, *keys = NULL, *dump = NULL, *hash = "sm3";
	long appends = 2000, small = 1024, items = 500, big = 65536;
	struct sw_ev_opts o;
	struct sw_store *st;
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	struct sw_ev_verify_stats vs;
	unsigned char *buf, *pkg;
	int64_t *seqs, first;
	uint64_t x = 88172645463325252ull;
	double t0, t_app, t_big, t_ver, t_pkg;
	size_t len;
	FILE *df;
	int c;

	static const struct option lo[] = {
		{"db", 1, NULL, 'd'},	   {"keys", 1, NULL, 'k'},  {"dump", 1, NULL, 'o'},
		{"hash", 1, NULL, 'H'},	   {"appends", 1, NULL, 'a'}, {"small", 1, NULL, 's'},
		{"items", 1, NULL, 'n'},   {"size", 1, NULL, 'z'},  {NULL, 0, NULL, 0},
	};
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'k': keys = optarg; break;
		case 'o': dump = optarg; break;
		case 'H': hash = optarg; break;
		case 'a': appends = atol(optarg); break;
		case 's': small = atol(optarg); break;
		case 'n': items = atol(optarg); break;
		case 'z': big = atol(optarg); break;
		default: return 2;
		}
	}
	if (!db || !keys || !dump || appends < 1 || small < 1 || items < 1 || items > 10000 ||
	    big < 1 || big > (64l << 20)) {
		fprintf(stderr, "usage: sw_bench_ledger --db F --keys DIR --dump F [--hash sm3|sha256] "
				"[--appends N] [--small B] [--items N] [--size B]\n");
		return 2;
	}
	sw_errbuf_clear(&eb);
	sw_ev_opts_init(&o);
	if (sw_ev_hash_parse(hash, &o.hash))
		return 2;
	o.key_dir = keys;
	o.create_key = 1;
	if (sw_store_open(db, &st, &eb) || sw_evidence_open(st, &o, &ev, &eb))
		die("open", &eb);
	if (!(buf = malloc((size_t)(big > small ? big : small))) ||
	    !(seqs = malloc((size_t)items * sizeof *seqs)) || !(df = fopen(dump, "wb")))
		return 1;

	/* Appends: one item per transaction, as an agent's file arrives. */
	t0 = now_s();
	for (long i = 0; i < appends; i++) {
		struct sw_ev_item it = {.kind = "file", .name = "bench", .bytes = buf,
					.len = (size_t)small, .site_id = 1};

		fill(buf, (size_t)small, &x);
		if (sw_evidence_add(ev, &it, 1, NULL, &eb))
			die("append", &eb);
	}
	t_app = now_s() - t0;

	/* Big items for the throughput figures; their bytes go to the dump. */
	t0 = now_s();
	for (long i = 0; i < items; i++) {
		struct sw_ev_item it = {.kind = "body", .name = "body.html", .bytes = buf,
					.len = (size_t)big, .site_id = 1};

		fill(buf, (size_t)big, &x);
		if (sw_evidence_add(ev, &it, 1, &first, &eb))
			die("append", &eb);
		seqs[i] = first;
		fwrite(buf, 1, (size_t)big, df);
	}
	t_big = now_s() - t0;
	fclose(df);

	t0 = now_s();
	if (sw_evidence_ledger_verify(ev, NULL, NULL, &vs, &eb) || vs.problems)
		die("ledger verify", &eb);
	t_ver = now_s() - t0;

	if (sw_evidence_export(ev, seqs, (size_t)items, "bench", &pkg, &len, &eb))
		die("export", &eb);
	t0 = now_s();
	if (sw_evidence_verify_package(pkg, len, NULL, NULL, NULL, &eb))
		die("package verify", &eb);
	t_pkg = now_s() - t0;

	printf("appends=%ld append_s=%.6f big_items=%ld big_bytes=%ld big_append_s=%.6f "
	       "ledger_entries=%lld ledger_bytes=%lld ledger_verify_s=%.6f pkg_bytes=%zu "
	       "pkg_verify_s=%.6f\n",
	       appends, t_app, items, items * big, t_big, (long long)vs.entries, (long long)vs.bytes,
	       t_ver, len, t_pkg);
	free(pkg);
	free(buf);
	free(seqs);
	sw_evidence_free(ev);
	sw_store_close(st);
	return 0;
}
