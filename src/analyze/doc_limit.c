/*
 * doc_limit.c - a quick look at the bytes before the HTML5 parser sees
 * them, to cut hostile pages to a size the parser survives.
 *
 * Why: tree construction is superlinear on hostile nesting (100,000
 * nested <div> took myhtml 13 s; 50,000 misnested <b><i> 1.5 s), and the
 * parser has no hook to stop it.  So we estimate, in one linear pass, how
 * many tags there are and how deep unclosed elements nest, and cut the
 * input at the first tag past a limit.  The estimate errs on the side of
 * depth: elements the parser closes by itself (p, li, td ...) and void
 * elements do not count; anything else unclosed does.
 */
#include "analyze/doc_int.h"

#include <string.h>

/* Elements that never nest unboundedly in a real tree: void elements and
 * those whose start tag closes an open one of the same kind.  Looked up by
 * length first: this runs for every tag of every page. */
static int not_nesting(const char *name, size_t len)
{
	static const char *const by_len[][16] = {
		[1] = {"p"},
		[2] = {"br", "hr", "li", "dt", "dd", "td", "th", "tr", "rt", "rp"},
		[3] = {"col", "img", "wbr"},
		[4] = {"area", "base", "link", "meta"},
		[5] = {"embed", "input", "param", "track", "tbody", "thead", "tfoot", "frame", "image"},
		[6] = {"source", "option", "keygen"},
		[7] = {"isindex", "bgsound"},
		[8] = {"optgroup", "colgroup", "basefont"},
	};

	if (len >= sizeof by_len / sizeof by_len[0])
		return 0;
	for (const char *const *w = by_len[len]; *w; w++)
		if (memcmp(*w, name, len) == 0)
			return 1;
	return 0;
}

/* Elements whose content is raw text up to their end tag. */
static int raw_text(const char *name, size_t len)
{
	return (len == 6 && memcmp(name, "script", 6) == 0) ||
	       (len == 5 && memcmp(name, "style", 5) == 0) ||
	       (len == 8 && memcmp(name, "textarea", 8) == 0) ||
	       (len == 5 && memcmp(name, "title", 5) == 0) ||
	       (len == 3 && memcmp(name, "xmp", 3) == 0);
}

static int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Finds "</name" (ASCII case-insensitive) from p; end when absent. */
static const char *find_end_tag(const char *p, const char *end, const char *name, size_t len)
{
	while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
		if (end - p > (ptrdiff_t)(len + 1) && p[1] == '/' &&
		    strncasecmp(p + 2, name, len) == 0)
			return p;
		p++;
	}
	return end;
}

size_t sw_doc_limit_scan(const char *s, size_t len, const struct sw_doc_limits *lim,
			 unsigned *why)
{
	const char *p = s, *end = s + len;
	size_t tags = 0;
	long depth = 0;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
		const char *tag = p;
		char name[16];
		size_t n = 0;
		int close = 0;

		p++;
		if (p < end && *p == '!') { /* comment, doctype, CDATA */
			const char *q = (end - p >= 3 && p[1] == '-' && p[2] == '-')
						? memmem(p + 3, (size_t)(end - p - 3), "-->", 3)
						: memchr(p, '>', (size_t)(end - p));
			p = q ? q + 1 : end;
			continue;
		}
		if (p < end && *p == '/') {
			close = 1;
			p++;
		}
		if (p >= end || !is_alpha((unsigned char)*p))
			continue;
		while (p < end && (is_alpha((unsigned char)*p) || (*p >= '0' && *p <= '9'))) {
			if (n < sizeof name)
				name[n] = (char)(*p | 0x20);
			n++;
			p++;
		}
		if (n > sizeof name)
			n = sizeof name; /* long custom names: compare the prefix only */
		if (++tags > lim->max_nodes / 2) {
			*why |= SW_DOC_LIMIT_NODES;
			return (size_t)(tag - s);
		}
		if (close) {
			if (!not_nesting(name, n) && depth > 0)
				depth--;
			continue;
		}
		if (raw_text(name, n)) {
			p = find_end_tag(p, end, name, n);
			continue;
		}
		if (!not_nesting(name, n) && ++depth > (long)lim->max_depth) {
			*why |= SW_DOC_LIMIT_DEPTH;
			return (size_t)(tag - s);
		}
	}
	return len;
}
