/*
 * css_parse.c - declarations, colours and simple selectors (css_parse.h).
 *
 * Hostile style sheets are bounded by the page size: every loop advances
 * through the text, nesting of blocks is counted, not recursed.
 */
#include "analyze/css_parse.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (isspace((unsigned char)*p)))
		p++;
	return p;
}

/* ---- colours ---- */

static const struct {
	const char *name;
	uint32_t rgb;
} named[] = {
	{"black", 0x000000}, {"white", 0xFFFFFF}, {"red", 0xFF0000}, {"green", 0x008000},
	{"blue", 0x0000FF}, {"yellow", 0xFFFF00}, {"gray", 0x808080}, {"grey", 0x808080},
	{"silver", 0xC0C0C0}, {"maroon", 0x800000}, {"navy", 0x000080}, {"orange", 0xFFA500},
	{"purple", 0x800080}, {"teal", 0x008080}, {"lime", 0x00FF00}, {"aqua", 0x00FFFF},
	{"fuchsia", 0xFF00FF}, {"olive", 0x808000}, {"whitesmoke", 0xF5F5F5},
	{"snow", 0xFFFAFA}, {"ivory", 0xFFFFF0}, {"lightgray", 0xD3D3D3},
	{"lightgrey", 0xD3D3D3}, {"darkgray", 0xA9A9A9}, {"gainsboro", 0xDCDCDC},
	{"ghostwhite", 0xF8F8FF}, {"floralwhite", 0xFFFAF0}, {"seashell", 0xFFF5EE},
	{"darkred", 0x8B0000}, {"darkblue", 0x00008B}, {"beige", 0xF5F5DC},
};

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parses up to 4 numbers of rgb()/rgba(); returns how many. */
static int rgb_args(const char *p, const char *end, float v[4])
{
	int n = 0;

	while (p < end && n < 4) {
		char *e;
		float x;

		p = skip_ws(p, end);
		if (p >= end || *p == ')')
			break;
		x = strtof(p, &e);
		if (e == p)
			return n;
		p = e;
		if (p < end && *p == '%')
			x = n < 3 ? x * 2.55f : x / 100.0f, p++;
		v[n++] = x;
		while (p < end && (*p == ',' || *p == '/' || isspace((unsigned char)*p)))
			p++;
	}
	return n;
}

uint32_t sw_css_color(const char *s, size_t len)
{
	const char *end = s + len;

	s = skip_ws(s, end);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	len = (size_t)(end - s);
	if (len && *s == '#') {
		int d[8], n = (int)len - 1;

		if (n != 3 && n != 6 && n != 4 && n != 8)
			return UINT32_MAX;
		for (int i = 0; i < n; i++)
			if ((d[i] = hexv(s[1 + i])) < 0)
				return UINT32_MAX;
		if (n == 3 || n == 4) {
			if (n == 4 && d[3] == 0)
				return SW_CSS_TRANSPARENT;
			return (uint32_t)(d[0] * 17) << 16 | (uint32_t)(d[1] * 17) << 8 | (uint32_t)(d[2] * 17);
		}
		if (n == 8 && d[6] == 0 && d[7] == 0)
			return SW_CSS_TRANSPARENT;
		return (uint32_t)(d[0] << 20 | d[1] << 16 | d[2] << 12 | d[3] << 8 | d[4] << 4 | d[5]);
	}
	if (len > 4 && strncasecmp(s, "rgb", 3) == 0) {
		const char *p = memchr(s, '(', len);
		float v[4];
		int n;

		if (!p || (n = rgb_args(p + 1, end, v)) < 3)
			return UINT32_MAX;
		if (n == 4 && v[3] <= 0.01f)
			return SW_CSS_TRANSPARENT;
		for (int i = 0; i < 3; i++)
			v[i] = v[i] < 0 ? 0 : v[i] > 255 ? 255 : v[i];
		return (uint32_t)lrintf(v[0]) << 16 | (uint32_t)lrintf(v[1]) << 8 | (uint32_t)lrintf(v[2]);
	}
	if (len == 11 && strncasecmp(s, "transparent", 11) == 0)
		return SW_CSS_TRANSPARENT;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i].name) == len && strncasecmp(named[i].name, s, len) == 0)
			return named[i].rgb;
	return UINT32_MAX;
}

/* ---- lengths ---- */

/* Parses a length into px; NAN when it is not one.  *rel gets 1 for em/%
 * (font-size relative to the parent), in which case the result is a
 * factor.  Percentages of other properties are not resolvable: NAN, except
 * 0%. */
static float length(const char *p, const char *end, int font, int *rel)
{
	char *e;
	float v;

	*rel = 0;
	p = skip_ws(p, end);
	if (p >= end)
		return NAN;
	v = strtof(p, &e);
	if (e == p || e > end || !isfinite(v))
		return NAN;
	p = e;
	if (p >= end || isspace((unsigned char)*p) || *p == '!' || *p == ';')
		return v; /* unitless: 0, or px in quirks mode */
	if (end - p >= 2 && strncasecmp(p, "px", 2) == 0)
		return v;
	if (end - p >= 3 && strncasecmp(p, "rem", 3) == 0)
		return v * 16.0f;
	if (end - p >= 2 && strncasecmp(p, "em", 2) == 0) {
		if (font) {
			*rel = 1;
			return v;
		}
		return v * 16.0f;
	}
	if (end - p >= 2 && strncasecmp(p, "pt", 2) == 0)
		return v * 4.0f / 3.0f;
	if (end - p >= 2 && (strncasecmp(p, "cm", 2) == 0))
		return v * 37.8f;
	if (end - p >= 2 && (strncasecmp(p, "vw", 2) == 0 || strncasecmp(p, "vh", 2) == 0))
		return v * 10.0f; /* at least 1000px wide viewports: a floor */
	if (*p == '%') {
		if (font) {
			*rel = 1;
			return v / 100.0f;
		}
		return v == 0 ? 0 : NAN;
	}
	return NAN;
}

/* ---- declarations ---- */

/* Is the property name n (nl bytes) the literal lit?  A macro so the
 * literal's length is known at compile time: sheets hold thousands of
 * declarations. */
#define is(n, nl, lit) ((nl) == sizeof(lit) - 1 && strncasecmp((n), (lit), sizeof(lit) - 1) == 0)

/* Does value v contain word w as a whole token? */
static int has_word(const char *v, const char *end, const char *w)
{
	size_t wl = strlen(w);

	for (const char *p = v; p + wl <= end; p++)
		if (strncasecmp(p, w, wl) == 0 && (p == v || !isalnum((unsigned char)p[-1])) &&
		    (p + wl == end || !isalnum((unsigned char)p[wl])))
			return 1;
	return 0;
}

/* Finds a colour among the words of a shorthand (background: ...). */
static uint32_t shorthand_color(const char *v, const char *end)
{
	const char *p = v;

	while (p < end) {
		const char *w;
		int depth = 0;

		p = skip_ws(p, end);
		w = p;
		while (p < end && (depth || !isspace((unsigned char)*p))) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth)
				depth--;
			p++;
		}
		if (p > w) {
			uint32_t c = sw_css_color(w, (size_t)(p - w));

			if (c != UINT32_MAX)
				return c;
		}
	}
	return UINT32_MAX;
}

static void set(struct sw_css_decls *d, enum sw_css_prop p, int imp)
{
	d->set |= 1u << p;
	if (imp)
		d->important |= 1u << p;
	else
		d->important &= ~(1u << p);
}

/* Applies one declaration name: value. */
static void decl(struct sw_css_decls *d, const char *n, size_t nl, const char *v, const char *ve)
{
	int imp = 0, rel;
	const char *bang;
	float x;

	for (bang = v; bang < ve && *bang != '!'; bang++)
		;
	if (bang < ve && has_word(bang, ve, "important"))
		imp = 1;
	ve = bang;
	while (ve > v && isspace((unsigned char)ve[-1]))
		ve--;
	v = skip_ws(v, ve);
	if (is(n, nl, "display")) {
		d->display_none = has_word(v, ve, "none");
		set(d, SW_CSS_DISPLAY, imp);
	} else if (is(n, nl, "visibility")) {
		d->hidden = has_word(v, ve, "hidden") || has_word(v, ve, "collapse");
		set(d, SW_CSS_VISIBILITY, imp);
	} else if (is(n, nl, "position")) {
		d->positioned = has_word(v, ve, "absolute") || has_word(v, ve, "fixed") ||
				has_word(v, ve, "relative");
		set(d, SW_CSS_POSITION, imp);
	} else if (is(n, nl, "left") || is(n, nl, "top")) {
		int left = is(n, nl, "left");

		if (!isnan(x = length(v, ve, 0, &rel))) {
			*(left ? &d->left : &d->top) = x;
			set(d, left ? SW_CSS_LEFT : SW_CSS_TOP, imp);
		}
	} else if (is(n, nl, "margin-left") || is(n, nl, "margin-top")) {
		int left = is(n, nl, "margin-left");

		if (!isnan(x = length(v, ve, 0, &rel))) {
			*(left ? &d->margin_left : &d->margin_top) = x;
			set(d, left ? SW_CSS_MARGIN_LEFT : SW_CSS_MARGIN_TOP, imp);
		}
	} else if (is(n, nl, "margin")) {
		/* margin: top [right [bottom [left]]] */
		const char *p = v, *w[4];
		int k = 0;

		while (p < ve && k < 4) {
			p = skip_ws(p, ve);
			if (p >= ve)
				break;
			w[k++] = p;
			while (p < ve && !isspace((unsigned char)*p))
				p++;
		}
		if (k && !isnan(x = length(w[0], ve, 0, &rel))) {
			d->margin_top = x;
			set(d, SW_CSS_MARGIN_TOP, imp);
		}
		if (k) {
			const char *l = k == 4 ? w[3] : k >= 2 ? w[1] : w[0];

			if (!isnan(x = length(l, ve, 0, &rel))) {
				d->margin_left = x;
				set(d, SW_CSS_MARGIN_LEFT, imp);
			}
		}
	} else if (is(n, nl, "text-indent")) {
		if (!isnan(x = length(v, ve, 0, &rel))) {
			d->text_indent = x;
			set(d, SW_CSS_TEXT_INDENT, imp);
		}
	} else if (is(n, nl, "width") || is(n, nl, "height") || is(n, nl, "max-width") ||
		   is(n, nl, "max-height")) {
		int w = n[0] == 'w' || n[0] == 'W' || (nl > 4 && (n[4] == 'w' || n[4] == 'W'));

		if (!isnan(x = length(v, ve, 0, &rel))) {
			if (w) {
				d->width = x;
				set(d, SW_CSS_WIDTH, imp);
			} else {
				d->height = x;
				set(d, SW_CSS_HEIGHT, imp);
			}
		}
	} else if (is(n, nl, "overflow") || is(n, nl, "overflow-x") || is(n, nl, "overflow-y")) {
		d->overflow_hidden = has_word(v, ve, "hidden") || has_word(v, ve, "clip");
		set(d, SW_CSS_OVERFLOW, imp);
	} else if (is(n, nl, "font-size")) {
		if (!isnan(x = length(v, ve, 1, &rel))) {
			d->font_size = x;
			d->font_rel = (uint8_t)rel;
			set(d, SW_CSS_FONT_SIZE, imp);
		}
	} else if (is(n, nl, "font")) {
		/* font: [style] [weight] size[/line-height] family: the first token
		 * that is a length is the size. */
		const char *p = v;

		while (p < ve) {
			p = skip_ws(p, ve);
			if (p < ve && (isdigit((unsigned char)*p) || *p == '.')) {
				const char *q = p;

				while (q < ve && !isspace((unsigned char)*q) && *q != '/')
					q++;
				if (!isnan(x = length(p, q, 1, &rel)) && (q == p + 1 || !isdigit((unsigned char)q[-1]) || x == 0)) {
					d->font_size = x;
					d->font_rel = (uint8_t)rel;
					set(d, SW_CSS_FONT_SIZE, imp);
					break;
				}
			}
			while (p < ve && !isspace((unsigned char)*p))
				p++;
		}
	} else if (is(n, nl, "color")) {
		uint32_t c = sw_css_color(v, (size_t)(ve - v));

		if (c != UINT32_MAX) {
			d->color = c;
			set(d, SW_CSS_COLOR, imp);
		}
	} else if (is(n, nl, "background-color") || is(n, nl, "background")) {
		uint32_t c = shorthand_color(v, ve);

		/* A picture or gradient behind the text: its colour is unknown. */
		for (const char *q = v; q + 4 <= ve; q++)
			if (strncasecmp(q, "url(", 4) == 0 || strncasecmp(q, "gradient", 8) == 0)
				c = SW_COLOR_UNKNOWN, q = ve;
		if (c != UINT32_MAX || (c == SW_COLOR_UNKNOWN && memmem(v, (size_t)(ve - v), "(", 1))) {
			d->bg = c;
			set(d, SW_CSS_BG, imp);
		}
	} else if (is(n, nl, "opacity")) {
		char *e;
		float o = strtof(v, &e);

		if (e != v) {
			d->opacity = o;
			set(d, SW_CSS_OPACITY, imp);
		}
	} else if (is(n, nl, "clip") || is(n, nl, "clip-path")) {
		/* rect(0 0 0 0), rect(0,0,0,0), inset(50%) or more: nothing shows. */
		d->clip_zero = 0;
		if (has_word(v, ve, "rect")) {
			const char *p = memchr(v, '(', (size_t)(ve - v));
			int zero = 1;

			for (p = p ? p + 1 : ve; p < ve && *p != ')'; p++)
				if (*p >= '1' && *p <= '9')
					zero = 0;
			d->clip_zero = (uint8_t)zero;
		} else if (has_word(v, ve, "inset")) {
			const char *p = memchr(v, '(', (size_t)(ve - v));
			float pc = p ? strtof(p + 1, NULL) : 0;

			d->clip_zero = pc >= 50.0f;
		}
		set(d, SW_CSS_CLIP, imp);
	}
}

void sw_css_parse_decls(const char *s, size_t len, struct sw_css_decls *out)
{
	const char *p = s, *end = s + len;

	memset(out, 0, sizeof *out);
	while (p < end) {
		const char *n, *ne, *v;
		int quote = 0, paren = 0;

		p = skip_ws(p, end);
		n = p;
		while (p < end && *p != ':' && *p != ';')
			p++;
		if (p >= end)
			break;
		if (*p == ';') {
			p++;
			continue;
		}
		ne = p;
		while (ne > n && isspace((unsigned char)ne[-1]))
			ne--;
		v = ++p;
		while (p < end && (quote || paren || *p != ';')) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '"' || *p == '\''))
				quote = *p;
			else if (!quote && *p == '(')
				paren++;
			else if (!quote && *p == ')' && paren)
				paren--;
			p++;
		}
		if (ne > n)
			decl(out, n, (size_t)(ne - n), v, p);
		if (p < end)
			p++;
	}
}

/* ---- style sheets ---- */

static char *arena_strndup(struct sw_css_sheet *sh, const char *s, size_t n)
{
	char *r = sh->alloc(sh->arena, n + 1);

	if (r) {
		for (size_t i = 0; i < n; i++)
			r[i] = (char)tolower((unsigned char)s[i]);
		r[n] = '\0';
	}
	return r;
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || (unsigned char)c >= 0x80;
}

/*
 * Parses one selector (no commas) into a rule; returns 0 when it is one we
 * evaluate, 1 when it should be skipped, -1 on allocation failure.
 */
static int parse_selector(struct sw_css_sheet *sh, const char *p, const char *end,
			  struct sw_css_rule *r)
{
	struct sw_css_compound c[8];
	int n = 0, child = 0;
	uint32_t ids = 0, cls = 0, tags = 0;

	while (p < end) {
		struct sw_css_compound *x;

		p = skip_ws(p, end);
		if (p >= end)
			break;
		if (*p == '>') {
			child = 1;
			p++;
			continue;
		}
		if (*p == '+' || *p == '~' || *p == '[' || *p == ':')
			return 1;
		if (n == 8)
			return 1;
		x = &c[n];
		memset(x, 0, sizeof *x);
		x->child = (uint8_t)child;
		child = 0;
		if (*p == '*') {
			p++;
		} else if (ident_char(*p)) {
			const char *t = p;

			while (p < end && ident_char(*p))
				p++;
			if (!(x->tag = arena_strndup(sh, t, (size_t)(p - t))))
				return -1;
			tags++;
		}
		while (p < end && (*p == '.' || *p == '#')) {
			char k = *p++;
			const char *t = p;

			while (p < end && ident_char(*p))
				p++;
			if (p == t)
				return 1;
			if (k == '#') {
				if (!(x->id = sh->alloc(sh->arena, (size_t)(p - t) + 1)))
					return -1;
				memcpy((char *)x->id, t, (size_t)(p - t));
				((char *)x->id)[p - t] = '\0';
				ids++;
			} else {
				char *cl;

				if (x->ncls == 4)
					return 1;
				if (!(cl = sh->alloc(sh->arena, (size_t)(p - t) + 1)))
					return -1;
				memcpy(cl, t, (size_t)(p - t));
				cl[p - t] = '\0';
				x->cls[x->ncls++] = cl;
				cls++;
			}
		}
		if (p < end && !isspace((unsigned char)*p) && *p != '>')
			return 1; /* pseudo-class, attribute selector ...: not evaluated */
		n++;
	}
	if (n == 0)
		return 1;
	if (!(r->c = sh->alloc(sh->arena, (size_t)n * sizeof *r->c)))
		return -1;
	memcpy(r->c, c, (size_t)n * sizeof *c);
	r->n = (uint8_t)n;
	r->spec = (ids > 255 ? 255 : ids) << 16 | (cls > 255 ? 255 : cls) << 8 | (tags > 255 ? 255 : tags);
	return 0;
}

static enum sw_err add_rules(struct sw_css_sheet *sh, const char *sel, const char *sel_end,
			     const char *body, const char *body_end)
{
	struct sw_css_decls *d = NULL;
	const char *p = sel;

	while (p < sel_end) {
		const char *q = p;
		struct sw_css_rule r = {0};
		int st;

		while (q < sel_end && *q != ',')
			q++;
		if ((st = parse_selector(sh, p, q, &r)) < 0)
			return SW_ENOMEM;
		if (st == 0) {
			if (!d) {
				if (!(d = sh->alloc(sh->arena, sizeof *d)))
					return SW_ENOMEM;
				sw_css_parse_decls(body, (size_t)(body_end - body), d);
				if (!d->set)
					return SW_OK; /* nothing we track */
			}
			if (sh->n == sh->cap) {
				size_t cap = sh->cap ? 2 * sh->cap : 64;
				struct sw_css_rule *v = realloc(sh->rules, cap * sizeof *v);

				if (!v)
					return SW_ENOMEM;
				sh->rules = v;
				sh->cap = cap;
			}
			r.order = (uint32_t)sh->n;
			r.decls = d;
			sh->rules[sh->n++] = r;
		}
		p = q + 1;
	}
	return SW_OK;
}

/* Skips a comment at p ("/ *"); returns the position after it. */
static const char *skip_comment(const char *p, const char *end)
{
	const char *q = end - p > 2 ? memmem(p + 2, (size_t)(end - p - 2), "*/", 2) : NULL;

	return q ? q + 2 : end;
}

/* Is this @media prelude one that applies on a desktop screen always? */
static int media_applies(const char *p, const char *end)
{
	for (const char *q = p; q < end; q++)
		if (*q == '(')
			return 0;
	return !has_word(p, end, "print") && !has_word(p, end, "speech");
}

enum sw_err sw_css_parse_sheet(struct sw_css_sheet *sh, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int skip_depth = 0; /* >0: inside a block whose rules do not apply */
	int depth = 0;

	while (p < end) {
		const char *start, *brace;
		enum sw_err rc;

		p = skip_ws(p, end);
		if (p >= end)
			break;
		if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			p = skip_comment(p, end);
			continue;
		}
		if (*p == '}') {
			if (depth > 0)
				depth--;
			if (skip_depth > depth)
				skip_depth = 0;
			p++;
			continue;
		}
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			p += 4;
			continue;
		}
		if (end - p >= 3 && memcmp(p, "-->", 3) == 0) {
			p += 3;
			continue;
		}
		start = p;
		/* Prelude: up to '{' or ';' (an @import-like statement). */
		while (p < end && *p != '{' && *p != ';' && *p != '}') {
			if (end - p >= 2 && p[0] == '/' && p[1] == '*')
				p = skip_comment(p, end);
			else
				p++;
		}
		if (p >= end)
			break;
		if (*p == ';' || *p == '}') {
			if (*p == ';')
				p++;
			continue;
		}
		brace = p++;
		if (*start == '@') {
			int nested = has_word(start, brace, "media") || has_word(start, brace, "supports") ||
				     has_word(start, brace, "layer");

			depth++;
			if (!nested || !media_applies(start, brace)) {
				if (!skip_depth)
					skip_depth = depth;
			}
			if (!nested) {
				/* @font-face, @keyframes ...: skip the whole block. */
				int d = 1;

				while (p < end && d) {
					if (*p == '{')
						d++;
					else if (*p == '}')
						d--;
					p++;
				}
				depth--;
				if (skip_depth > depth)
					skip_depth = 0;
			}
			continue;
		}
		/* A rule: declarations up to the matching '}'. */
		{
			const char *b = p;

			while (p < end && *p != '}') {
				if (end - p >= 2 && p[0] == '/' && p[1] == '*')
					p = skip_comment(p, end);
				else
					p++;
			}
			if (!skip_depth && (rc = add_rules(sh, start, brace, b, p)) != SW_OK)
				return rc;
			if (p < end)
				p++;
		}
	}
	return SW_OK;
}
