/*
 * fuzz_fetch_charset.c - libFuzzer target for what the prober does with a
 * hostile page before analysis: the charset label from the Content-Type
 * header, a BOM or a <meta> tag, then the conversion to UTF-8.
 *
 * The first input byte says how many of the following bytes are the
 * Content-Type value; the rest is the body.  Besides crashes and sanitizer
 * reports it traps when the converted text is not valid UTF-8, holds a NUL
 * byte, or when the label is not NUL-terminated lower-case text.
 *
 * Built by the sanitizer build (CMakeLists.txt); ctest replays the corpus in
 * tests/fuzz/corpus/fetch_charset/.  Fuzz: build-san/fuzz_fetch_charset
 * -max_total_time=60 tests/fuzz/corpus/fetch_charset
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/charset.h"
#include "probe/fetch_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_fetch_result r;
	size_t ct_len = size ? data[0] : 0;
	char *ct = NULL, *out = NULL;
	size_t outlen = 0;

	if (size == 0)
		return 0;
	data++, size--;
	if (ct_len > size)
		ct_len = size;
	memset(&r, 0, sizeof r);
	if (ct_len) {
		CHECK((ct = malloc(ct_len + 1)) != NULL);
		memcpy(ct, data, ct_len);
		ct[ct_len] = '\0';
		r.content_type = ct;
	}
	CHECK((r.body = malloc(size - ct_len + 1)) != NULL);
	memcpy(r.body, data + ct_len, size - ct_len);
	r.body_len = size - ct_len;
	r.body[r.body_len] = '\0';

	sw__charset_detect(&r);
	CHECK(memchr(r.charset, '\0', sizeof r.charset) != NULL);
	for (const char *p = r.charset; *p; p++)
		CHECK(!(*p >= 'A' && *p <= 'Z'));
	CHECK(sw_fetch_body_utf8(&r, &out, &outlen) == SW_OK);
	CHECK(out != NULL && out[outlen] == '\0');
	CHECK(memchr(out, '\0', outlen) == NULL);
	CHECK(sw_utf8_valid(out, outlen));
	free(out);
	free(r.body);
	free(ct);
	return 0;
}
