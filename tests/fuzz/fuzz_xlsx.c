/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX reader (src/io/xlsx*.c).
 *
 * Two ways in, so that mutations reach the XML handling and not only
 * libzip's checks of a container:
 *  - an input starting with "PK" (or the OLE2 signature) is the whole file;
 *  - any other input is split at its NUL bytes into a worksheet, shared
 *    strings and styles part, which the target packs (stored, so libzip
 *    costs nothing) into a workbook with a fixed workbook part.
 * Limits are small (1 MiB parts, 100,000 cells) so runs stay fast.
 *
 * Besides crashes and sanitizer reports it traps when an invariant fails: a
 * refusal has a message and one of the documented codes; rows come in
 * increasing order within the row limit; a row has at most lim.cols cells,
 * each valid UTF-8 without NUL and within lim.cell_bytes.
 *
 * Run: build-san/fuzz_xlsx -max_total_time=60 tests/fuzz/corpus/xlsx
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/charset.h"
#include "io/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static const char wb[] =
	"<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>";
static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"s.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"t.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"../xl/u.xml\"/></Relationships>";

/* Adds name = data[0..len) to za, stored. */
static void add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);
	zip_int64_t i = s ? zip_file_add(za, name, s, ZIP_FL_OVERWRITE) : -1;

	if (i < 0) {
		zip_source_free(s);
		return;
	}
	zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* Packs up to three NUL-separated parts of data into a workbook in *out
 * (malloc'd).  Returns its size, 0 when libzip fails. */
static size_t pack(const uint8_t *data, size_t size, char **out)
{
	static const char *const names[] = {"xl/s.xml", "xl/t.xml", "xl/u.xml"};
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_stat_t st;
	zip_t *za;
	size_t n = 0, at = 0;

	*out = NULL;
	if (!src)
		return 0;
	zip_source_keep(src);
	if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)))
		goto out;
	add(za, "xl/workbook.xml", wb, sizeof wb - 1);
	add(za, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
	for (int p = 0; p < 3 && at <= size; p++) {
		const uint8_t *nul = memchr(data + at, 0, size - at);
		size_t len = nul ? (size_t)(nul - (data + at)) : size - at;

		add(za, names[p], data + at, len);
		at += len + 1;
	}
	if (zip_close(za) != 0) {
		zip_discard(za);
		goto out;
	}
	zip_stat_init(&st);
	if (zip_source_open(src) == 0 && zip_source_stat(src, &st) == 0 &&
	    (*out = malloc((size_t)st.size + 1)) &&
	    zip_source_read(src, *out, st.size) == (zip_int64_t)st.size)
		n = (size_t)st.size;
	zip_source_close(src);
out:
	zip_source_free(src);
	return n;
}

/* Opens and reads every row, checking the invariants. */
static void read_book(const void *buf, size_t len)
{
	struct sw_xlsx_limits lim;
	struct sw_errbuf eb;
	struct sw_xlsx *x;
	const char **v;
	size_t row, n, last = 0;
	int shape;
	enum sw_err rc;

	sw_xlsx_limits_default(&lim);
	lim.part_bytes = 1 << 20;
	lim.cells = 100000;
	lim.text_bytes = 8 << 20;
	lim.cell_bytes = 4096;
	lim.cols = 64;
	sw_errbuf_clear(&eb);
	rc = sw_xlsx_open(buf, len, NULL, &lim, &x, &eb);
	if (rc) {
		CHECK(!sw_errbuf_empty(&eb) || rc == SW_ENOMEM);
		CHECK(rc == SW_EINVAL || rc == SW_ELIMIT || rc == SW_ENOMEM);
		CHECK(x == NULL);
		return;
	}
	while ((rc = sw_xlsx_next(x, &row, &v, &n, &shape, &eb)) == SW_OK) {
		CHECK(row > last && row <= lim.rows);
		last = row;
		CHECK(n <= lim.cols);
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(v[i]);

			CHECK(l <= lim.cell_bytes && sw_utf8_valid(v[i], l));
		}
	}
	CHECK(rc == SW_ENOTFOUND || (rc == SW_EINVAL && !sw_errbuf_empty(&eb)));
	sw_xlsx_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *book;
	size_t n;

	if (sw_xlsx_sniff(data, size) != SW_XLSX_NOT) {
		read_book(data, size);
		return 0;
	}
	if ((n = pack(data, size, &book)) > 0)
		read_book(book, n);
	free(book);
	return 0;
}
