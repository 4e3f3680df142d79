/*
 * fuzz_csv.c - libFuzzer target for the import path: sw_charset_to_utf8,
 * then every record of the result through sw_csv_next.
 *
 * Besides crashes and sanitizer reports it checks invariants and traps when
 * one breaks: converted text is valid UTF-8 without NUL; a record has 1 to
 * SW_CSV_FIELDS_MAX fields of at most SW_CSV_FIELD_MAX bytes; record lines
 * never go backwards; writing a record (with and without defuse) and reading
 * it back gives the same fields; a GB18030 export that detection reads back
 * as GB18030 decodes to the original.  The raw input is also read as CSV
 * directly, so the reader sees NUL bytes and invalid UTF-8 too.
 *
 * Build: clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
 *        -Isrc src/core/err.c src/io/charset.c src/io/csv.c tests/fuzz/fuzz_csv.c
 * Run:   ./fuzz_csv -max_total_time=60 tests/fuzz/corpus/csv
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/charset.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a crash the fuzzer records, when an invariant fails. */
#define CHECK(cond)                    \
	do {                           \
		if (!(cond))           \
			__builtin_trap(); \
	} while (0)

/* Writes f[0..n) as one record and checks that reading it back (and
 * undoing defuse) gives the same n fields. */
static void check_round_trip(const char **f, size_t n, int defuse)
{
	struct sw_csv r;
	const char **g;
	size_t gn, i, sz;
	char *out = NULL;
	FILE *m = open_memstream(&out, &sz);

	CHECK(m != NULL);
	for (i = 0; i < n; i++)
		CHECK(sw_csv_write_field(m, f[i], i == 0, defuse) == SW_OK);
	CHECK(sw_csv_write_eol(m) == SW_OK);
	CHECK(fclose(m) == 0);
	sw_csv_init(&r, out, sz);
	CHECK(sw_csv_next(&r, &g, &gn, NULL) == SW_OK);
	CHECK(gn == n);
	for (i = 0; i < n; i++)
		CHECK(strcmp(defuse ? sw_csv_undefuse(g[i]) : g[i], f[i]) == 0);
	CHECK(sw_csv_next(&r, &g, &gn, NULL) == SW_ENOTFOUND);
	sw_csv_cleanup(&r);
	free(out);
}

/* Reads every record of buf[0..len), checking limits and, when
 * round_trip is set, the writer against the reader. */
static void read_all(const char *buf, size_t len, int round_trip)
{
	struct sw_errbuf eb;
	struct sw_csv r;
	const char **f;
	size_t n, i, last = 0;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	sw_csv_init(&r, buf, len);
	while ((rc = sw_csv_next(&r, &f, &n, &eb)) == SW_OK) {
		CHECK(n >= 1 && n <= SW_CSV_FIELDS_MAX);
		CHECK(sw_csv_record_line(&r) > last);
		last = sw_csv_record_line(&r);
		for (i = 0; i < n; i++)
			CHECK(strlen(f[i]) <= SW_CSV_FIELD_MAX);
		if (round_trip) {
			check_round_trip(f, n, 0);
			check_round_trip(f, n, 1);
		}
	}
	CHECK(rc == SW_ENOTFOUND || !sw_errbuf_empty(&eb));
	CHECK(rc == SW_ENOTFOUND || rc == SW_EINVAL || rc == SW_ELIMIT);
	sw_csv_cleanup(&r);
}

/* Exports UTF-8 text u to GB18030 and, when detection reads the export back
 * as GB18030, checks that it decodes to u again. */
static void check_gb18030_export(const char *u, size_t ulen)
{
	enum sw_charset cs;
	char *gb, *back;
	size_t gblen, backlen;

	/* A few private-use code points have no GB18030 form in glibc. */
	if (sw_charset_utf8_to_gb18030(u, &gb, &gblen, NULL) != SW_OK)
		return;
	if (sw_charset_to_utf8(gb, gblen, &back, &backlen, &cs, NULL) == SW_OK) {
		CHECK(cs != SW_CS_GB18030 || (backlen == ulen && memcmp(back, u, ulen) == 0));
		free(back);
	}
	free(gb);
}

/* Fuzzer entry: converts, reads and checks; see the file comment. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_errbuf eb;
	enum sw_charset cs;
	char *u;
	size_t ulen;

	sw_errbuf_clear(&eb);
	if (sw_charset_to_utf8((const char *)data, size, &u, &ulen, &cs, &eb) == SW_OK) {
		CHECK(u[ulen] == '\0' && memchr(u, '\0', ulen) == NULL);
		CHECK(sw_utf8_valid(u, ulen));
		read_all(u, ulen, 1);
		check_gb18030_export(u, ulen);
		free(u);
	} else {
		CHECK(u == NULL && !sw_errbuf_empty(&eb));
	}
	read_all((const char *)data, size, 0);
	return 0;
}
