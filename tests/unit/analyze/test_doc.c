/*
 * test_doc.c - the flat document and its hiddenness: every technique that
 * hides a dark link, the honest look-alikes, offsets, and the limits that
 * keep hostile nesting from hanging the parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/doc.h"

static struct sw_doc *parse(const char *html)
{
	struct sw_doc *d = NULL;

	assert_int_equal(sw_doc_parse(html, strlen(html), NULL, &d, NULL), SW_OK);
	return d;
}

/* Index of the first <a> whose href is href. */
static uint32_t link(const struct sw_doc *d, const char *href)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (d->nodes[i].tag == SW_TAG_A && sw_doc_attr(d, i, "href") &&
		    strcmp(sw_doc_attr(d, i, "href"), href) == 0)
			return i;
	fail_msg("no link %s", href);
	return SW_NONE;
}

/* Hide bits of the link to href in page html. */
static uint32_t hide_of(const char *html, const char *href)
{
	struct sw_doc *d = parse(html);
	uint32_t h = d->nodes[link(d, href)].hide;

	sw_doc_free(d);
	return h;
}

static void test_structure(void **state)
{
	const char *html = "<!doctype html><html><head><title> 某市 人民政府 </title></head>"
			   "<body><div id=main class='a b'><a href=\"/x\">新闻</a>&amp;text</div></body></html>";
	struct sw_doc *d = parse(html);
	uint32_t a = link(d, "/x");

	(void)state;
	assert_string_equal(d->title_text, "某市 人民政府");
	assert_int_not_equal(d->body, SW_NONE);
	assert_int_equal(d->nodes[a].off, (uint32_t)(strstr(html, "<a href") - html));
	assert_string_equal(d->nodes[a].name, "a");
	assert_int_equal(d->nodes[d->nodes[a].parent].tag, SW_TAG_DIV);
	assert_true(d->nodes[d->body].end > a);
	assert_int_equal(d->nodes[a].hide, 0);
	{
		char buf[64];

		sw_doc_text(d, d->body, buf, sizeof buf);
		assert_string_equal(buf, "新闻&text");
	}
	sw_doc_free(d);
}

static void test_inline_techniques(void **state)
{
	(void)state;
	assert_true(hide_of("<div style='display:none'><a href='http://x.cn/'>a</a></div>",
			    "http://x.cn/") & SW_HIDE(DISPLAY));
	assert_true(hide_of("<div style='VISIBILITY: hidden'><a href='h'>a</a></div>", "h") &
		    SW_HIDE(VISIBILITY));
	assert_true(hide_of("<div style='position:absolute;left:-9999px'><a href='h'>a</a></div>", "h") &
		    SW_HIDE(OFFSCREEN));
	assert_true(hide_of("<div style='position:absolute; top:-1000px;'><a href='h'>a</a></div>", "h") &
		    SW_HIDE(OFFSCREEN));
	assert_true(hide_of("<p style='text-indent:-9999em'><a href='h'>a</a></p>", "h") &
		    SW_HIDE(TEXT_INDENT));
	assert_true(hide_of("<div style='width:0;height:0;overflow:hidden'><a href='h'>a</a></div>", "h") &
		    SW_HIDE(ZERO_SIZE));
	assert_true(hide_of("<div style='height:1px;overflow:hidden'><a href='h'>a</a></div>", "h") &
		    SW_HIDE(ZERO_SIZE));
	assert_true(hide_of("<span style='font-size:0'><a href='h'>a</a></span>", "h") & SW_HIDE(FONT_ZERO));
	assert_true(hide_of("<div style='font:0px/0 a'><a href='h'>a</a></div>", "h") & SW_HIDE(FONT_ZERO));
	assert_true(hide_of("<body bgcolor=white><a href='h' style='color:#fff'>a</a></body>", "h") &
		    SW_HIDE(COLOR));
	assert_true(hide_of("<div style='background:#000'><a href='h' style='color:#010101'>a</a></div>", "h") &
		    SW_HIDE(COLOR));
	assert_true(hide_of("<marquee height=1 width=1><a href='h'>a</a></marquee>", "h") & SW_HIDE(MARQUEE));
	assert_true(hide_of("<marquee style='width:0;height:0'><a href='h'>a</a></marquee>", "h") &
		    SW_HIDE(MARQUEE));
	assert_true(hide_of("<div hidden><a href='h'>a</a></div>", "h") & SW_HIDE(ATTR));
	assert_true(hide_of("<div style='opacity:0'><a href='h'>a</a></div>", "h") & SW_HIDE(OPACITY));
}

static void test_style_blocks(void **state)
{
	const char *html =
		"<style>/* site */ .x1{display:none} #box a{color:red} div.dl > p{position:absolute;"
		"left:-3000px} @media print{.menu{display:none}} .menu:hover{display:block}"
		"@media (max-width:600px){.nav{display:none}} .sm{font-size:0px}</style>"
		"<div class='foo x1'><a href='1'>a</a></div>"
		"<div class='dl'><p><a href='2'>a</a></p></div>"
		"<div class='menu'><a href='3'>a</a></div>"
		"<div class='nav'><a href='4'>a</a></div>"
		"<div class='sm'><span><a href='5'>a</a></span></div>"
		"<div class='sm'><a href='6' style='font-size:12px'>a</a></div>";
	struct sw_doc *d = parse(html);
	uint32_t a1 = link(d, "1");

	(void)state;
	assert_true(d->nodes[a1].hide & SW_HIDE(DISPLAY));
	assert_true(d->nodes[d->nodes[a1].parent].hide_css & SW_HIDE(DISPLAY));
	assert_true(d->nodes[link(d, "2")].hide & SW_HIDE(OFFSCREEN));
	assert_int_equal(d->nodes[link(d, "3")].hide, 0); /* print media and :hover do not count */
	assert_int_equal(d->nodes[link(d, "4")].hide, 0); /* conditional media does not either */
	assert_true(d->nodes[link(d, "5")].hide & SW_HIDE(FONT_ZERO));
	assert_int_equal(d->nodes[link(d, "6")].hide, 0); /* a real size again */
	sw_doc_free(d);
}

static void test_cascade(void **state)
{
	(void)state;
	/* A later, more specific or inline declaration shows it again. */
	assert_int_equal(hide_of("<style>.t{display:none} .t.on{display:block}</style>"
				 "<div class='t on'><a href='h'>a</a></div>", "h"), 0);
	assert_int_equal(hide_of("<style>.t{display:none}</style><div class=t style='display:block'>"
				 "<a href='h'>a</a></div>", "h"), 0);
	assert_true(hide_of("<style>.t{display:none!important}</style><div class=t style='display:block'>"
			    "<a href='h'>a</a></div>", "h") & SW_HIDE(DISPLAY));
	assert_int_equal(hide_of("<div style='visibility:hidden'><div style='visibility:visible'>"
				 "<a href='h'>a</a></div></div>", "h"), 0);
	/* Links keep their own colour: white text around them does not hide them. */
	assert_int_equal(hide_of("<div style='color:#fff'><a href='h'>a</a></div>", "h"), 0);
	/* Text over a picture: colour unknown, not hidden. */
	assert_int_equal(hide_of("<div style='background:url(b.png) #fff;color:#fff'>"
				 "<a href='h' style='color:#fff'>a</a></div>", "h"), 0);
	/* A small negative margin is layout, not hiding. */
	assert_int_equal(hide_of("<div style='margin-left:-20px'><a href='h'>a</a></div>", "h"), 0);
}

static void test_noscript_and_script(void **state)
{
	const char *html = "<body><noscript><a href='http://spam.example/'>博彩</a></noscript>"
			   "<div id=hd><a href='http://s2.example/'>x</a></div>"
			   "<script>document.getElementById(\"hd\").style.display = 'none';</script></body>";
	struct sw_doc *d = parse(html);
	uint32_t a = link(d, "http://spam.example/");

	(void)state;
	assert_true(d->nodes[a].hide & SW_HIDE(NOSCRIPT));
	assert_int_equal(d->nodes[a].off, (uint32_t)(strstr(html, "<a href='http://spam") - html));
	assert_true(d->nodes[link(d, "http://s2.example/")].hide & SW_HIDE(SCRIPT));
	sw_doc_free(d);
}

/* Builds a page of n repetitions of unit. */
static char *repeat(const char *unit, size_t n)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static void test_limits(void **state)
{
	char *deep = repeat("<div>", 100000), *mis = repeat("<b><i>x</b></i>", 50000),
	     *fmt = repeat("<b><i>", 50000);
	struct sw_doc *d = NULL;
	struct sw_doc_limits lim;

	(void)state;
	assert_int_equal(sw_doc_parse(deep, strlen(deep), NULL, &d, NULL), SW_OK);
	assert_true(d->limits & SW_DOC_LIMIT_DEPTH);
	sw_doc_free(d);
	/* Misnested formatting: the adoption agency keeps the tree shallow. */
	assert_int_equal(sw_doc_parse(mis, strlen(mis), NULL, &d, NULL), SW_OK);
	assert_true(d->n > 100000);
	sw_doc_free(d);
	assert_int_equal(sw_doc_parse(fmt, strlen(fmt), NULL, &d, NULL), SW_OK);
	assert_true(d->limits & SW_DOC_LIMIT_DEPTH);
	sw_doc_free(d);
	sw_doc_limits_init(&lim);
	lim.max_bytes = 1000;
	assert_int_equal(sw_doc_parse(deep, strlen(deep), &lim, &d, NULL), SW_OK);
	assert_true(d->limits & SW_DOC_LIMIT_BYTES);
	sw_doc_free(d);
	/* Invalid UTF-8 and NULs are parsed, not refused. */
	assert_int_equal(sw_doc_parse("<a href=x>\xff\xfe\0\xc3</a>", 16, NULL, &d, NULL), SW_OK);
	sw_doc_free(d);
	free(deep);
	free(mis);
	free(fmt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),     cmocka_unit_test(test_inline_techniques),
		cmocka_unit_test(test_style_blocks),  cmocka_unit_test(test_cascade),
		cmocka_unit_test(test_noscript_and_script), cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
