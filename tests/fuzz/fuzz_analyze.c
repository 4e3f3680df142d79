/*
 * fuzz_analyze.c - libFuzzer target for the whole analyzer entry point:
 * the bytes are a page fetched from a site, converted to UTF-8 as the
 * prober does (declared charset from the first byte), then analysed by
 * every analyzer with the page's second half as the spider's view and the
 * first 2 KiB as a baseline version, so cloaking and defacement run too.
 *
 * Invariants besides sanitizer reports: every finding has a kind from the
 * table, a title that is valid UTF-8, and evidence that parses as JSON with
 * an offset inside the raw body.
 *
 * Run: build-san/fuzz_analyze -max_total_time=60 tests/fuzz/corpus/analyze
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "io/charset.h"
#include "probe/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                    \
	do {                           \
		if (!(cond))           \
			__builtin_trap(); \
	} while (0)

static struct sw_an_rules *rules;

/* A page as the prober hands it over: raw bytes plus UTF-8 text. */
struct view {
	struct sw_fetch_result *r;
	char *text;
	struct sw_an_page pg;
};

static int view(struct view *v, const uint8_t *d, size_t n, const char *ctype)
{
	size_t len;
	const char *cs;

	memset(v, 0, sizeof *v);
	if (sw_fetch_result_from_body("http://www.example.gov.cn/", d, n, ctype, &v->r) ||
	    sw_fetch_body_utf8(v->r, &v->text, &len))
		return -1;
	cs = sw_fetch_body_charset(v->r);
	v->pg.url = "http://www.example.gov.cn/";
	v->pg.raw = (const char *)v->r->body;
	v->pg.raw_len = v->r->body_len;
	v->pg.text = v->text;
	v->pg.text_len = len;
	v->pg.charset = strcmp(cs, "UTF-8") ? cs : NULL;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ctypes[] = {NULL, "text/html; charset=gbk", "text/html; charset=big5",
					     "text/html; charset=utf-8"};
	struct view page, spider, base;
	struct sw_an_input in;
	struct sw_findings fs;

	if (!rules && sw_an_rules_load(NULL, &rules, NULL) != SW_OK)
		__builtin_trap();
	if (size < 1)
		return 0;
	{
		const char *ct = ctypes[data[0] & 3];

		data++, size--;
		if (view(&page, data, size, ct) || view(&spider, data + size / 2, size - size / 2, ct) ||
		    view(&base, data, size < 2048 ? size : 2048, ct))
			__builtin_trap();
	}
	sw_an_input_init(&in);
	in.page = &page.pg;
	in.as_spider = &spider.pg;
	sw_findings_init(&fs);
	CHECK(sw_analyze(rules, &in, &fs, NULL) == SW_OK);
	for (size_t i = 0; i < fs.n; i++) {
		json_t *ev = fs.v[i].evidence ? json_loads(fs.v[i].evidence, 0, NULL) : NULL;
		json_t *off = json_object_get(ev, "offset");

		CHECK(sw_finding_kind(fs.v[i].kind->key) == fs.v[i].kind);
		CHECK(sw_utf8_valid(fs.v[i].title, strlen(fs.v[i].title)));
		CHECK(!fs.v[i].evidence || ev);
		CHECK(!off || (json_integer_value(off) >= 0 &&
			       (size_t)json_integer_value(off) <= page.pg.raw_len));
		json_decref(ev);
	}
	sw_findings_cleanup(&fs);
	(void)base;
	for (struct view *v = &page; v; v = v == &page ? &spider : v == &spider ? &base : NULL) {
		sw_fetch_result_free(v->r);
		free(v->text);
	}
	return 0;
}
