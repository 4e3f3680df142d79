/*
 * fuzz_baseline.c - libFuzzer target for the defacement baseline: the blob
 * reader (stored rows may be damaged or forged) and learning/comparing on
 * hostile pages.
 *
 * An input starting with "SWBL" is a blob: read as is (the checksum
 * rejects almost everything) and again with its checksum recomputed, so
 * the reader's bounds and order checks are what gets fuzzed; whatever it
 * accepts must write back byte for byte.  Any other input is two pages
 * separated by a form feed: the first is learned, the baseline goes
 * through a blob and back, and the second is compared with it.
 *
 * Build: the clang sanitizer build (CMakeLists.txt) builds it as
 *        build-san/fuzz_baseline.
 * Run:   ./fuzz_baseline -max_total_time=60 tests/fuzz/corpus/baseline
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline_int.h"
#include "analyze/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                    \
	do {                           \
		if (!(cond))           \
			__builtin_trap(); \
	} while (0)

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Reads blob b; when accepted, writing it again must give the same bytes. */
static void read_blob(const unsigned char *b, size_t n)
{
	struct sw_baseline *bl = NULL;
	unsigned char *out = NULL;
	size_t len = 0;

	if (sw_baseline_from_blob(b, n, &bl, NULL) != SW_OK) {
		CHECK(bl == NULL);
		return;
	}
	CHECK(sw_baseline_to_blob(bl, &out, &len, NULL) == SW_OK);
	CHECK(len == n && memcmp(out, b, n) == 0);
	free(out);
	sw_baseline_free(bl);
}

static void blob_case(const uint8_t *data, size_t size)
{
	unsigned char *copy;
	uint64_t h;

	read_blob(data, size);
	if (size < 12 || !(copy = malloc(size)))
		return;
	memcpy(copy, data, size);
	h = fnv(copy, size - 8);
	for (int i = 0; i < 8; i++)
		copy[size - 8 + i] = (unsigned char)(h >> (8 * i));
	read_blob(copy, size);
	free(copy);
}

static void page_case(const uint8_t *data, size_t size)
{
	const uint8_t *ff = memchr(data, '\f', size);
	size_t n1 = ff ? (size_t)(ff - data) : size;
	struct sw_doc *d1 = NULL, *d2 = NULL;
	const struct sw_doc *docs[1];
	struct sw_baseline *b = NULL, *b2 = NULL;
	struct sw__sketch sk;
	struct sw__bl_diff df;
	unsigned char *blob = NULL;
	size_t len = 0;

	if (sw_doc_parse((const char *)data, n1, NULL, &d1, NULL) ||
	    sw_doc_parse(ff ? (const char *)ff + 1 : "", ff ? size - n1 - 1 : 0, NULL, &d2, NULL))
		goto out;
	docs[0] = d1;
	if (sw_baseline_learn(docs, 1, &b, NULL))
		goto out;
	CHECK(sw_baseline_to_blob(b, &blob, &len, NULL) == SW_OK);
	CHECK(sw_baseline_from_blob(blob, len, &b2, NULL) == SW_OK);
	if (sw__sketch_build(d2, &sk) == SW_OK) {
		if (sw__bl_compare(b2, &sk, &df) == SW_OK) {
			CHECK(df.matched <= df.stable_total);
			CHECK(df.struct_sim <= 1.0);
			sw__bl_diff_cleanup(&df);
		}
		sw__sketch_cleanup(&sk);
	}
out:
	free(blob);
	sw_baseline_free(b);
	sw_baseline_free(b2);
	sw_doc_free(d1);
	sw_doc_free(d2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "SWBL", 4))
		blob_case(data, size);
	else
		page_case(data, size);
	return 0;
}
