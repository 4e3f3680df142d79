/*
 * css.c - effective hiddenness of every node of a doc (doc.h), from the
 * page's <style> blocks, style attributes, presentational attributes and
 * scripts that hide elements by id after load.
 *
 * What counts (each a technique of dark links):
 *  - display:none, the hidden attribute, <template>: the subtree is gone;
 *  - visibility:hidden: inherited, but a descendant may set visible again;
 *  - offsets of -500px or more (left/top when positioned, margins,
 *    text-indent): the subtree is off screen;
 *  - width or height of at most 1px with overflow hidden, 0-size iframes
 *    and marquees: nothing shows;
 *  - font-size under 1px: inherited, a descendant may set a real size;
 *  - text colour (almost) equal to the background behind it;
 *  - opacity 0, clip to nothing.
 * The cascade is simplified: matching rules apply in order of importance,
 * specificity and position; the style attribute wins over sheets.
 */
#include "analyze/doc_int.h"
#include "analyze/css_parse.h"
#include "analyze/jsstr.h"
#include "core/strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OFFSCREEN_PX -500.0f
#define SCRIPT_IDS_MAX 64

/* Bits that a descendant cannot undo. */
#define SUBTREE_BITS                                                                     \
	(SW_HIDE(DISPLAY) | SW_HIDE(OFFSCREEN) | SW_HIDE(TEXT_INDENT) | SW_HIDE(ZERO_SIZE) | \
	 SW_HIDE(OPACITY) | SW_HIDE(CLIP) | SW_HIDE(ATTR) | SW_HIDE(MARQUEE) |               \
	 SW_HIDE(NOSCRIPT) | SW_HIDE(SCRIPT) | SW_HIDE(TEMPLATE))

static void *arena_alloc(void *arena, size_t n)
{
	return sw_doc_alloc(arena, n);
}

/* Rule lists by the subject compound's key: "#id", ".class", "tag", "*". */
struct index {
	struct sw_strmap map; /* key -> head in next[] (+1) */
	uint32_t *next;       /* per entry: next entry of the same key (+1), 0 ends */
	uint32_t *rule;       /* per entry: rule index */
	size_t n, cap;
};

static enum sw_err index_add(struct index *ix, const char *key, uint32_t rule)
{
	int64_t head = 0;
	uint32_t *nx, *ru;

	sw_strmap_get(&ix->map, key, &head);
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? 2 * ix->cap : 64;

		if (!(nx = realloc(ix->next, cap * sizeof *nx)))
			return SW_ENOMEM;
		ix->next = nx;
		if (!(ru = realloc(ix->rule, cap * sizeof *ru)))
			return SW_ENOMEM;
		ix->rule = ru;
		ix->cap = cap;
	}
	ix->next[ix->n] = (uint32_t)head;
	ix->rule[ix->n] = rule;
	ix->n++;
	return sw_strmap_put(&ix->map, key, (int64_t)ix->n);
}

/* Does element i carry class c (in its class attribute)? */
static int has_class(const char *classes, const char *c)
{
	size_t cl = strlen(c);

	for (const char *p = classes; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
			p++;
		const char *q = p;

		while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\f')
			q++;
		if ((size_t)(q - p) == cl && memcmp(p, c, cl) == 0)
			return 1;
		p = q;
	}
	return 0;
}

static int compound_matches(const struct sw_doc *d, uint32_t i, const struct sw_css_compound *c)
{
	const struct sw_node *n = &d->nodes[i];
	const char *v;

	if (n->type != SW_NODE_ELEMENT)
		return 0;
	if (c->tag && strcmp(c->tag, n->name) != 0)
		return 0;
	if (c->id && (!(v = sw_doc_attr(d, i, "id")) || strcmp(v, c->id) != 0))
		return 0;
	if (c->ncls) {
		v = sw_doc_attr(d, i, "class");
		for (int k = 0; k < c->ncls; k++)
			if (!v || !has_class(v, c->cls[k]))
				return 0;
	}
	return 1;
}

/* Matches the rest of a selector (compounds left of the subject) against
 * the ancestors of i.  Depth is bounded by the doc's depth limit; a greedy
 * match per compound is enough for the selectors pages use to hide. */
static int ancestors_match(const struct sw_doc *d, uint32_t i, const struct sw_css_rule *r)
{
	uint32_t cur = i;

	for (int k = (int)r->n - 2; k >= 0; k--) {
		int child = r->c[k + 1].child;
		uint32_t a = d->nodes[cur].parent;

		if (child) {
			if (a == SW_NONE || !compound_matches(d, a, &r->c[k]))
				return 0;
			cur = a;
			continue;
		}
		while (a != SW_NONE && !compound_matches(d, a, &r->c[k]))
			a = d->nodes[a].parent;
		if (a == SW_NONE)
			return 0;
		cur = a;
	}
	return 1;
}

/* A candidate rule of one element. */
struct cand {
	uint32_t key;  /* important << 31 | specificity bits | order, for sorting */
	uint32_t rule;
	uint64_t sort;
};

static int cmp_cand(const void *a, const void *b)
{
	uint64_t x = ((const struct cand *)a)->sort, y = ((const struct cand *)b)->sort;

	return x < y ? -1 : x > y;
}

/* The page's sheet and its index. */
struct css {
	struct sw_css_sheet sheet;
	struct index ix;
	const char *script_ids[SCRIPT_IDS_MAX];
	size_t n_script_ids;
	struct cand *cands;
	size_t cap_cands;
};

/* Merges decls src into dst where src sets a property (importance aside:
 * callers apply in ascending order). */
static void merge(struct sw_css_decls *dst, const struct sw_css_decls *src, uint32_t mask)
{
	uint32_t s = src->set & mask;

	if (!s)
		return;
#define TAKE(p, field)                     \
	if (s & (1u << (p)))               \
		dst->field = src->field;
	TAKE(SW_CSS_DISPLAY, display_none)
	TAKE(SW_CSS_VISIBILITY, hidden)
	TAKE(SW_CSS_POSITION, positioned)
	TAKE(SW_CSS_LEFT, left)
	TAKE(SW_CSS_TOP, top)
	TAKE(SW_CSS_MARGIN_LEFT, margin_left)
	TAKE(SW_CSS_MARGIN_TOP, margin_top)
	TAKE(SW_CSS_TEXT_INDENT, text_indent)
	TAKE(SW_CSS_WIDTH, width)
	TAKE(SW_CSS_HEIGHT, height)
	TAKE(SW_CSS_OVERFLOW, overflow_hidden)
	TAKE(SW_CSS_OPACITY, opacity)
	TAKE(SW_CSS_CLIP, clip_zero)
	TAKE(SW_CSS_COLOR, color)
	TAKE(SW_CSS_BG, bg)
#undef TAKE
	if (s & (1u << SW_CSS_FONT_SIZE)) {
		dst->font_size = src->font_size;
		dst->font_rel = src->font_rel;
	}
	dst->set |= s;
}

/* Collects the sheet rules matching element i, in cascade order, into
 * the decls from sheets (*sheet_d). */
static enum sw_err match_rules(struct css *c, const struct sw_doc *d, uint32_t i,
			       struct sw_css_decls *sheet_d)
{
	const char *id = sw_doc_attr(d, i, "id"), *cls = sw_doc_attr(d, i, "class");
	const struct sw_node *n = &d->nodes[i];
	char key[128];
	size_t nc = 0;
	const char *keys[34];
	size_t nkeys = 0;

	memset(sheet_d, 0, sizeof *sheet_d);
	if (!c->sheet.n)
		return SW_OK;
	/* Keys to look up: "#id", each ".class" (up to 32), "tag", "*". */
	char buf[34][128];

	if (id && *id && strlen(id) < sizeof key - 1) {
		snprintf(buf[nkeys], sizeof buf[0], "#%s", id);
		keys[nkeys] = buf[nkeys];
		nkeys++;
	}
	for (const char *p = cls; p && *p && nkeys < 32;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
			p++;
		const char *q = p;

		while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\f')
			q++;
		if (q > p && (size_t)(q - p) < sizeof buf[0] - 1) {
			buf[nkeys][0] = '.';
			memcpy(buf[nkeys] + 1, p, (size_t)(q - p));
			buf[nkeys][q - p + 1] = '\0';
			keys[nkeys] = buf[nkeys];
			nkeys++;
		}
		p = q;
	}
	keys[nkeys++] = n->name;
	keys[nkeys++] = "*";
	for (size_t k = 0; k < nkeys; k++) {
		int64_t head;

		if (!sw_strmap_get(&c->ix.map, keys[k], &head))
			continue;
		for (uint32_t e = (uint32_t)head; e; e = c->ix.next[e - 1]) {
			uint32_t ri = c->ix.rule[e - 1];
			const struct sw_css_rule *r = &c->sheet.rules[ri];
			int dup = 0;

			if (!compound_matches(d, i, &r->c[r->n - 1]) || !ancestors_match(d, i, r))
				continue;
			for (size_t x = 0; x < nc && !dup; x++)
				dup = c->cands[x].rule == ri;
			if (dup) /* a rule found under two of its keys */
				continue;
			if (nc == c->cap_cands) {
				size_t cap = c->cap_cands ? 2 * c->cap_cands : 16;
				struct cand *v = realloc(c->cands, cap * sizeof *v);

				if (!v)
					return SW_ENOMEM;
				c->cands = v;
				c->cap_cands = cap;
			}
			c->cands[nc].rule = ri;
			c->cands[nc].sort = (uint64_t)r->spec << 32 | r->order;
			nc++;
		}
	}
	if (nc > 1)
		qsort(c->cands, nc, sizeof *c->cands, cmp_cand);
	/* Normal declarations in cascade order, then !important ones. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t x = 0; x < nc; x++) {
			const struct sw_css_decls *dd = c->sheet.rules[c->cands[x].rule].decls;

			merge(sheet_d, dd, pass ? dd->important : ~dd->important);
			if (pass)
				sheet_d->important |= dd->important;
		}
	return SW_OK;
}

/* Reads the page's <style> blocks into the sheet and indexes the rules. */
static enum sw_err load_sheets(struct css *c, struct sw_doc *d)
{
	enum sw_err rc;

	c->sheet.alloc = arena_alloc;
	c->sheet.arena = d;
	for (size_t i = 0; i < d->n; i++) {
		const struct sw_node *n = &d->nodes[i];

		if (n->type == SW_NODE_TEXT && n->parent != SW_NONE &&
		    d->nodes[n->parent].tag == SW_TAG_STYLE &&
		    (rc = sw_css_parse_sheet(&c->sheet, n->text, n->text_len)) != SW_OK)
			return rc;
	}
	for (size_t r = 0; r < c->sheet.n; r++) {
		const struct sw_css_compound *s = &c->sheet.rules[r].c[c->sheet.rules[r].n - 1];
		char key[160];

		if (s->id)
			snprintf(key, sizeof key, "#%s", s->id);
		else if (s->ncls)
			snprintf(key, sizeof key, ".%s", s->cls[0]);
		else
			snprintf(key, sizeof key, "%s", s->tag ? s->tag : "*");
		if ((rc = index_add(&c->ix, key, (uint32_t)r)) != SW_OK)
			return rc;
	}
	return SW_OK;
}

static int id_char(char ch)
{
	unsigned char u = (unsigned char)ch;

	return u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') ||
	       u == '-' || u == '_';
}

/*
 * Does the code right after a reference to an element hide it?  Looks at a
 * bounded window (the statement and the next few: scripts often keep the
 * element in a variable first) for a style change to a hiding value.
 */
static int script_hides(const char *s, size_t len)
{
	size_t room = len < 240 ? len : 240;
	const char *st;

	if (memmem(s, room, ".hide()", 7))
		return 1;
	if (!(st = memmem(s, room, "style", 5)) && !memmem(s, room, ".css(", 5))
		return 0;
	if ((memmem(s, room, "display", 7) && (memmem(s, room, "'none'", 6) || memmem(s, room, "\"none\"", 6) ||
					       memmem(s, room, "display:none", 12))) ||
	    (memmem(s, room, "visibility", 10) && memmem(s, room, "hidden", 6)))
		return 1;
	/* Offsets pushed off screen: left/top/textIndent/margin of -500 or more. */
	for (const char *p = s; p + 5 < s + room; p++)
		if (*p == '-' && p[1] >= '1' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
		    p[3] >= '0' && p[3] <= '9' && (p[1] >= '5' || (p[4] >= '0' && p[4] <= '9')))
			return 1;
	return 0;
}

/*
 * Finds ids that inline scripts hide after load:
 *   document.getElementById('x').style.display = 'none'  (or visibility)
 *   $('#x').hide()  /  $('#x').css('display', 'none')
 * A bounded look at each call site; honest tab and menu scripts do this
 * too, which is fine: hidden same-site links are not dark links.
 */
static void find_script_ids(struct css *c, struct sw_doc *d)
{
	for (size_t i = 0; i < d->n && c->n_script_ids < SCRIPT_IDS_MAX; i++) {
		const struct sw_node *n = &d->nodes[i];
		const char *t, *end;

		if (n->type != SW_NODE_TEXT || n->parent == SW_NONE ||
		    d->nodes[n->parent].tag != SW_TAG_SCRIPT)
			continue;
		t = n->text;
		end = t + n->text_len;
		for (const char *p = t; p < end && c->n_script_ids < SCRIPT_IDS_MAX; p++) {
			const char *id = NULL, *idend, *tail;
			size_t skip = 0;

			if (*p == 'g' && end - p > 16 && memcmp(p, "getElementById(", 15) == 0)
				skip = 15;
			else if (*p == '$' && end - p > 4 && p[1] == '(')
				skip = 2;
			else if (*p == 'j' && end - p > 8 && memcmp(p, "jQuery(", 7) == 0)
				skip = 7;
			if (!skip)
				continue;
			id = p + skip;
			while (id < end && (*id == ' ' || *id == '"' || *id == '\''))
				id++;
			if (skip != 15) {
				if (id >= end || *id != '#')
					continue;
				id++;
			}
			for (idend = id; idend < end && idend - id < 64 && id_char(*idend); idend++)
				;
			if (idend == id || idend >= end)
				continue;
			tail = idend;
			if (script_hides(tail, (size_t)(end - tail))) {
				const char *sid = sw_doc_strndup(d, id, (size_t)(idend - id));

				if (sid)
					c->script_ids[c->n_script_ids++] = sid;
			}
			p = idend;
		}
	}
}

/*
 * What a script's document.write calls do to the markup after it.  A write
 * that opens a hiding element without closing it hides what follows, up to
 * a write that closes it (the split-write trick:
 * <script>document.write('<div style="display:none">')</script> links
 * <script>document.write('</div>')</script>).  Returns the hide bits of an
 * opened element, 0 after a closing write, else cur.  The written markup is
 * parsed as a document of its own; it holds no scripts of its own to read
 * (depth guards the recursion).
 */
static uint32_t split_write(const struct sw_node *script_text, uint32_t cur)
{
	static _Thread_local int depth;
	char buf[1024];
	size_t pos = 0, at;
	long n;

	if (depth)
		return cur;
	while ((n = sw_js_next_write(script_text->text, script_text->text_len, &pos, &at, buf,
				     sizeof buf)) >= 0) {
		const char *lt = buf + strspn(buf, " \t\r\n");
		struct sw_doc *w = NULL;
		enum sw_err rc;

		if (lt[0] == '<' && lt[1] == '/' && !strchr(lt + 2, '<')) {
			cur = 0;
			continue;
		}
		if (lt[0] != '<' || strstr(lt, "</"))
			continue;
		depth++;
		rc = sw_doc_parse(buf, (size_t)n, NULL, &w, NULL);
		depth--;
		if (rc)
			continue;
		for (uint32_t k = 0; k < w->n; k++)
			if (w->nodes[k].type == SW_NODE_ELEMENT && w->nodes[k].hide_self) {
				cur = w->nodes[k].hide_self | SW_HIDE(SCRIPT);
				break;
			}
		sw_doc_free(w);
	}
	return cur;
}

static int near_color(uint32_t a, uint32_t b)
{
	int dr = (int)((a >> 16) & 255) - (int)((b >> 16) & 255);
	int dg = (int)((a >> 8) & 255) - (int)((b >> 8) & 255);
	int db = (int)(a & 255) - (int)(b & 255);

	return abs(dr) + abs(dg) + abs(db) <= 24;
}

/* Integer value of a size attribute ("0", "1px"); -1 when absent/other. */
static long size_attr(const char *v)
{
	char *e;
	long x;

	if (!v || !*v)
		return -1;
	x = strtol(v, &e, 10);
	return e == v ? -1 : x;
}

/* Hide bits that declarations x give an element with tag `tag` by
 * themselves (the inherited ones, visibility and font size, are computed
 * by the caller). */
static uint32_t hide_bits(const struct sw_css_decls *x, uint8_t tag)
{
	uint32_t bits = 0;

#define SET(p) (x->set & (1u << (p)))
	if (SET(SW_CSS_DISPLAY) && x->display_none)
		bits |= SW_HIDE(DISPLAY);
	if (x->positioned && ((SET(SW_CSS_LEFT) && x->left <= OFFSCREEN_PX) ||
			      (SET(SW_CSS_TOP) && x->top <= OFFSCREEN_PX)))
		bits |= SW_HIDE(OFFSCREEN);
	if ((SET(SW_CSS_MARGIN_LEFT) && x->margin_left <= OFFSCREEN_PX) ||
	    (SET(SW_CSS_MARGIN_TOP) && x->margin_top <= OFFSCREEN_PX))
		bits |= SW_HIDE(OFFSCREEN);
	if (SET(SW_CSS_TEXT_INDENT) && x->text_indent <= OFFSCREEN_PX)
		bits |= SW_HIDE(TEXT_INDENT);
	if (x->overflow_hidden && ((SET(SW_CSS_WIDTH) && x->width <= 1.0f) ||
				   (SET(SW_CSS_HEIGHT) && x->height <= 1.0f)))
		bits |= SW_HIDE(ZERO_SIZE);
	if (SET(SW_CSS_OPACITY) && x->opacity <= 0.01f)
		bits |= SW_HIDE(OPACITY);
	if (SET(SW_CSS_CLIP) && x->clip_zero && x->positioned)
		bits |= SW_HIDE(CLIP);
	/* Boxes drawn at their size: a 0/1px marquee or iframe hides without
	 * needing overflow. */
	if ((tag == SW_TAG_MARQUEE || tag == SW_TAG_IFRAME || tag == SW_TAG_FRAME) &&
	    ((SET(SW_CSS_WIDTH) && x->width <= 1.0f) || (SET(SW_CSS_HEIGHT) && x->height <= 1.0f)))
		bits |= tag == SW_TAG_MARQUEE ? SW_HIDE(MARQUEE) : SW_HIDE(ZERO_SIZE);
#undef SET
	return bits;
}

enum sw_err sw_css_apply(struct sw_doc *d)
{
	struct css c;
	float *font = NULL;
	uint8_t *vis = NULL;
	uint32_t opened = 0; /* hide bits of a block a script left open */
	enum sw_err rc;

	memset(&c, 0, sizeof c);
	sw_strmap_init(&c.ix.map);
	if ((rc = load_sheets(&c, d)) != SW_OK)
		goto out;
	find_script_ids(&c, d);
	rc = SW_ENOMEM;
	if (d->n && (!(font = malloc(d->n * sizeof *font)) || !(vis = malloc(d->n))))
		goto out;
	for (uint32_t i = 0; i < d->n; i++) {
		struct sw_node *n = &d->nodes[i];
		const struct sw_node *p = n->parent != SW_NONE ? &d->nodes[n->parent] : NULL;

		/* Markup between a script that opens a hidden block and the one
		 * that closes it is hidden (see split_write). */
		if (n->type == SW_NODE_TEXT && p && p->tag == SW_TAG_SCRIPT &&
		    memmem(n->text, n->text_len, "document.write", 14))
			opened = split_write(n, opened);
		uint32_t inherited = p ? (p->hide & SUBTREE_BITS) : 0;
		float f = p ? font[n->parent] : 16.0f;
		int vh = p ? vis[n->parent] : 0;
		uint32_t own = 0, own_css = 0, color = p ? p->color : 0x000000,
			 bg = p ? p->bg : 0xFFFFFF;

		n->color = color;
		n->bg = bg;
		/* Browsers draw links in their own colour unless a rule says
		 * otherwise: an ancestor's colour does not reach them. */
		if (n->tag == SW_TAG_A && n->type == SW_NODE_ELEMENT)
			n->color = 0x0000EE;
		/* Scripts run for visitors, so <noscript> content is what
		 * only a search engine reads. */
		if (n->tag == SW_TAG_NOSCRIPT && n->type == SW_NODE_ELEMENT)
			own |= SW_HIDE(NOSCRIPT);
		if (n->type == SW_NODE_ELEMENT) {
			struct sw_css_decls sheet_d, inl;
			const char *a;
			uint32_t b0;

			if ((rc = match_rules(&c, d, i, &sheet_d)) != SW_OK)
				goto out;
			/* Presentational attributes first: any CSS overrides them. */
			if ((a = sw_doc_attr(d, i, "bgcolor")) && (bg = sw_css_color(a, strlen(a))) != UINT32_MAX &&
			    bg != SW_CSS_TRANSPARENT)
				n->bg = bg;
			if (n->tag == SW_TAG_FONT && (a = sw_doc_attr(d, i, "color")) &&
			    (color = sw_css_color(a, strlen(a))) != UINT32_MAX && color != SW_CSS_TRANSPARENT)
				n->color = color;
			/* <body text="#0f0">: the page's text colour, common on
			 * defacement pages drawn green on black. */
			if (n->tag == SW_TAG_BODY && (a = sw_doc_attr(d, i, "text")) &&
			    (color = sw_css_color(a, strlen(a))) != UINT32_MAX && color != SW_CSS_TRANSPARENT)
				n->color = color;
			if (n->tag == SW_TAG_FONT && (a = sw_doc_attr(d, i, "size")) && size_attr(a) == 0 &&
			    a[0] == '0')
				f = 0;
			if (sw_doc_attr(d, i, "hidden"))
				own |= SW_HIDE(ATTR);
			if (n->tag == SW_TAG_TEMPLATE)
				own |= SW_HIDE(TEMPLATE);
			if ((n->tag == SW_TAG_IFRAME || n->tag == SW_TAG_FRAME || n->tag == SW_TAG_MARQUEE) &&
			    ((size_attr(sw_doc_attr(d, i, "width")) >= 0 && size_attr(sw_doc_attr(d, i, "width")) <= 1) ||
			     (size_attr(sw_doc_attr(d, i, "height")) >= 0 && size_attr(sw_doc_attr(d, i, "height")) <= 1)))
				own |= n->tag == SW_TAG_MARQUEE ? SW_HIDE(MARQUEE) : SW_HIDE(ZERO_SIZE);
			if ((a = sw_doc_attr(d, i, "id")) && c.n_script_ids)
				for (size_t k = 0; k < c.n_script_ids; k++)
					if (strcmp(a, c.script_ids[k]) == 0)
						own |= SW_HIDE(SCRIPT);
			/* Sheets, then the style attribute over what is not
			 * !important there. */
			{
				struct sw_css_decls all = sheet_d;

				if ((a = sw_doc_attr(d, i, "style"))) {
					sw_css_parse_decls(a, strlen(a), &inl);
					merge(&all, &inl, ~sheet_d.important);
				}
				own_css = hide_bits(&sheet_d, n->tag);
				b0 = hide_bits(&all, n->tag);
				own |= b0;
				own_css &= b0;
				if (all.set & (1u << SW_CSS_VISIBILITY))
					vh = all.hidden;
				if (all.set & (1u << SW_CSS_FONT_SIZE))
					f = all.font_rel ? f * all.font_size : all.font_size;
				if (all.set & (1u << SW_CSS_COLOR))
					n->color = all.color;
				if ((all.set & (1u << SW_CSS_BG)) && all.bg != SW_CSS_TRANSPARENT)
					n->bg = all.bg;
				if ((sheet_d.set & (1u << SW_CSS_VISIBILITY)) && sheet_d.hidden && vh)
					own_css |= SW_HIDE(VISIBILITY);
			}
		}
		vis[i] = (uint8_t)vh;
		font[i] = n->type == SW_NODE_ELEMENT ? f : (p ? font[n->parent] : 16.0f);
		if (n->type == SW_NODE_ELEMENT) {
			if (vh)
				own |= SW_HIDE(VISIBILITY);
			if (f < 1.0f)
				own |= SW_HIDE(FONT_ZERO);
			if (n->bg != SW_COLOR_NONE && n->color != SW_COLOR_NONE &&
			    n->color != SW_CSS_TRANSPARENT && near_color(n->color, n->bg))
				own |= SW_HIDE(COLOR);
			if (n->color == SW_CSS_TRANSPARENT)
				own |= SW_HIDE(COLOR);
		} else if (p) {
			/* Text inherits everything from its element. */
			own |= p->hide & (SW_HIDE(VISIBILITY) | SW_HIDE(FONT_ZERO) | SW_HIDE(COLOR));
		}
		if (opened && !(n->type == SW_NODE_TEXT && p && p->tag == SW_TAG_SCRIPT))
			own |= opened;
		n->hide_self = own;
		n->hide_css = own_css;
		n->hide = inherited | own;
	}
	rc = SW_OK;
out:
	free(font);
	free(vis);
	free(c.cands);
	free(c.sheet.rules);
	free(c.ix.next);
	free(c.ix.rule);
	sw_strmap_cleanup(&c.ix.map);
	return rc;
}
