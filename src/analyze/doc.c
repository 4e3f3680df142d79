/*
 * doc.c - HTML5 tree construction with myhtml, flattened into struct
 * sw_doc (see doc.h for why flat).
 *
 * The myhtml instance and tree are kept per thread and cleaned between
 * pages: creating them costs more than parsing a small page.  The doc copies
 * every name, attribute and text it keeps into its own arena, so it outlives
 * the tree.
 */
#include "analyze/doc_int.h"

#include <myhtml/api.h>
#include <stdlib.h>
#include <string.h>

static const char *const hide_names[] = {
#define SW_HIDE_NAME(name, str) str,
	SW_HIDE_MAP(SW_HIDE_NAME)
#undef SW_HIDE_NAME
};

const char *sw_hide_name(uint32_t hide)
{
	for (int i = 0; i < SW_HIDE__COUNT; i++)
		if (hide & (1u << i))
			return hide_names[i];
	return "visible";
}

void sw_doc_limits_init(struct sw_doc_limits *lim)
{
	lim->max_bytes = 8u << 20;
	lim->max_nodes = 500000;
	lim->max_depth = 512;
}

/* ---- arena ---- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct priv {
	struct chunk *chunks;
};

void *sw_doc_alloc(struct sw_doc *d, size_t n)
{
	struct priv *p = d->priv;
	struct chunk *c = p->chunks;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > (64u << 10) ? n : (64u << 10);

		if (!(c = malloc(sizeof *c + cap)))
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = p->chunks;
		p->chunks = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

char *sw_doc_strndup(struct sw_doc *d, const char *s, size_t n)
{
	char *r = sw_doc_alloc(d, n + 1);

	if (r) {
		if (n)
			memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

/* ---- growable arrays ---- */

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 256;
	void *nv;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(nv = realloc(*v, c * size)))
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}

/* ---- the per-thread parser ---- */

static _Thread_local myhtml_t *parser;
static _Thread_local myhtml_tree_t *tree;

static int parser_ready(void)
{
	if (tree)
		return 0;
	if (!(parser = myhtml_create()))
		return -1;
	if (myhtml_init(parser, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0) != MyHTML_STATUS_OK)
		goto fail;
	if (!(tree = myhtml_tree_create()))
		goto fail;
	if (myhtml_tree_init(tree, parser) != MyHTML_STATUS_OK) {
		myhtml_tree_destroy(tree);
		tree = NULL;
		goto fail;
	}
	return 0;
fail:
	myhtml_destroy(parser);
	parser = NULL;
	return -1;
}

void sw_doc_thread_cleanup(void)
{
	if (tree)
		myhtml_tree_destroy(tree);
	if (parser)
		myhtml_destroy(parser);
	tree = NULL;
	parser = NULL;
}

/* ---- tag names ---- */

static const char *const tag_names[] = {
#define SW_TAG_NAME(t) #t,
	SW_TAG_MAP(SW_TAG_NAME)
#undef SW_TAG_NAME
};

/* Our tag for a lower-case name. */
static uint8_t tag_of(const char *name, size_t len)
{
	for (int t = 1; t < SW_TAG__COUNT; t++) {
		const char *s = tag_names[t];
		size_t i = 0;

		while (i < len && s[i] && (s[i] | 0x20) == name[i])
			i++;
		if (i == len && !s[i])
			return (uint8_t)t;
	}
	return SW_TAG_OTHER;
}

/* Per-parse memo of myhtml tag ids: our tag and the interned name. */
struct tagmemo {
	const char *name[MyHTML_TAG_LAST_ENTRY];
	uint8_t tag[MyHTML_TAG_LAST_ENTRY];
};

static int node_name(struct sw_doc *d, struct tagmemo *m, myhtml_tag_id_t id, const char **name,
		     uint8_t *tag)
{
	size_t len = 0;
	const char *s;

	if (id < MyHTML_TAG_LAST_ENTRY && m->name[id]) {
		*name = m->name[id];
		*tag = m->tag[id];
		return 0;
	}
	s = myhtml_tag_name_by_id(tree, id, &len);
	if (!s)
		s = "", len = 0;
	if (!(*name = sw_doc_strndup(d, s, len)))
		return -1;
	*tag = tag_of(s, len);
	if (id < MyHTML_TAG_LAST_ENTRY) {
		m->name[id] = *name;
		m->tag[id] = *tag;
	}
	return 0;
}

/* ---- building the flat doc ---- */

struct build {
	struct sw_doc *d;
	size_t cap_nodes, cap_attrs;
	struct tagmemo memo;
	size_t max_nodes;
};

static int add_attrs(struct build *b, myhtml_tree_node_t *node, struct sw_node *n)
{
	struct sw_doc *d = b->d;

	n->attr = (uint32_t)d->nattrs;
	for (myhtml_tree_attr_t *a = myhtml_node_attribute_first(node); a;
	     a = myhtml_attribute_next(a)) {
		size_t kl = 0, vl = 0;
		const char *k = myhtml_attribute_key(a, &kl), *v = myhtml_attribute_value(a, &vl);
		struct sw_attr *x;

		if (!k)
			continue;
		if (grow((void **)&d->attrs, &b->cap_attrs, d->nattrs + 1, sizeof *d->attrs))
			return -1;
		x = &d->attrs[d->nattrs];
		if (!(x->name = sw_doc_strndup(d, k, kl)) || !(x->value = sw_doc_strndup(d, v ? v : "", vl)))
			return -1;
		x->value_len = (uint32_t)vl;
		d->nattrs++;
		n->nattr++;
	}
	return 0;
}

/*
 * Appends the children of container and, iteratively, their subtrees.
 * parent is the index of container's node, SW_NONE for the document.  Deep
 * trees (up to the limit sw_doc_limit_scan enforced) are walked without
 * recursion.
 */
static int walk(struct build *b, myhtml_tree_node_t *container, uint32_t parent, uint32_t depth0,
		uint16_t flags0)
{
	struct sw_doc *d = b->d;
	myhtml_tree_node_t *node = container ? myhtml_node_child(container) : NULL;
	uint32_t cur_parent = parent, depth = depth0;

	while (node) {
		myhtml_tag_id_t id = myhtml_node_tag_id(node);
		struct sw_node *n;
		uint32_t idx = (uint32_t)d->n;
		myhtml_tree_node_t *child;

		if (id == MyHTML_TAG__DOCTYPE || id == MyHTML_TAG__UNDEF ||
		    id == MyHTML_TAG__END_OF_FILE)
			goto next;
		if (d->n >= b->max_nodes) {
			d->limits |= SW_DOC_LIMIT_NODES;
			return 0;
		}
		if (grow((void **)&d->nodes, &b->cap_nodes, d->n + 1, sizeof *d->nodes))
			return -1;
		n = &d->nodes[d->n++];
		memset(n, 0, sizeof *n);
		n->parent = cur_parent;
		n->depth = depth;
		n->color = n->bg = SW_COLOR_NONE;
		n->flags = flags0;
		if (cur_parent != SW_NONE) {
			const struct sw_node *p = &d->nodes[cur_parent];

			n->flags |= p->flags & SW_NODE_IN_HEAD;
			if (p->tag == SW_TAG_HEAD)
				n->flags |= SW_NODE_IN_HEAD;
		}
		if (id == MyHTML_TAG__TEXT || id == MyHTML_TAG__COMMENT) {
			size_t len = 0;
			const char *t = myhtml_node_text(node, &len);
			myhtml_position_t pos = myhtml_node_raw_position(node);

			n->type = id == MyHTML_TAG__TEXT ? SW_NODE_TEXT : SW_NODE_COMMENT;
			if (!(n->text = sw_doc_strndup(d, t ? t : "", len)))
				return -1;
			n->text_len = (uint32_t)len;
			n->off = (uint32_t)(pos.begin);
			n->len = (uint32_t)pos.length;
			if (cur_parent != SW_NONE) {
				uint8_t pt = d->nodes[cur_parent].tag;

				if (pt == SW_TAG_SCRIPT || pt == SW_TAG_STYLE ||
				    pt == SW_TAG_TEXTAREA || pt == SW_TAG_TITLE ||
				    (d->nodes[cur_parent].name && strcmp(d->nodes[cur_parent].name, "xmp") == 0))
					n->flags |= SW_NODE_RAW_TEXT;
			}
		} else {
			myhtml_position_t pos = myhtml_node_element_position(node);

			n->type = SW_NODE_ELEMENT;
			if (node_name(d, &b->memo, id, &n->name, &n->tag) || add_attrs(b, node, n))
				return -1;
			n->off = (uint32_t)(pos.begin);
			n->len = (uint32_t)pos.length;
			if (n->tag == SW_TAG_TITLE && d->title == SW_NONE)
				d->title = idx;
			else if (n->tag == SW_TAG_BODY && d->body == SW_NONE)
				d->body = idx;
			else if (n->tag == SW_TAG_HEAD && d->head == SW_NONE)
				d->head = idx;
			else if (n->tag == SW_TAG_HTML && d->html == SW_NONE)
				d->html = idx;
			if ((child = myhtml_node_child(node))) {
				cur_parent = idx;
				depth++;
				node = child;
				continue;
			}
		}
		d->nodes[idx].end = idx + 1;
	next:
		/* Climb until a next sibling exists, closing subtrees on the way. */
		while (node != container && !myhtml_node_next(node)) {
			node = myhtml_node_parent(node);
			if (node != container && cur_parent != parent) {
				d->nodes[cur_parent].end = (uint32_t)d->n;
				cur_parent = d->nodes[cur_parent].parent;
				depth--;
			}
		}
		if (node == container)
			break;
		node = myhtml_node_next(node);
	}
	/* Close whatever is still open (a node limit stops the walk early). */
	while (cur_parent != SW_NONE && cur_parent != parent) {
		d->nodes[cur_parent].end = (uint32_t)d->n;
		cur_parent = d->nodes[cur_parent].parent;
	}
	return 0;
}

static size_t utf8_whole(const char *s, size_t n);

/* The title's text, blanks collapsed (its text node is raw text, which
 * sw_doc_text leaves out). */
static int build_title(struct sw_doc *d)
{
	char buf[1024];
	size_t n = 0;

	if (d->title != SW_NONE) {
		const struct sw_node *t = &d->nodes[d->title];

		for (uint32_t i = d->title + 1; i < t->end; i++) {
			const struct sw_node *x = &d->nodes[i];

			for (uint32_t k = 0; x->type == SW_NODE_TEXT && k < x->text_len && n + 1 < sizeof buf; k++) {
				char c = x->text[k];

				if (c == '\n' || c == '\r' || c == '\t')
					c = ' ';
				if (c == ' ' && (n == 0 || buf[n - 1] == ' '))
					continue;
				buf[n++] = c;
			}
		}
		while (n && buf[n - 1] == ' ')
			n--;
		n = utf8_whole(buf, n);
	}
	return (d->title_text = sw_doc_strndup(d, buf, n)) ? 0 : -1;
}

enum sw_err sw_doc_parse(const char *text, size_t len, const struct sw_doc_limits *lim,
			 struct sw_doc **out, struct sw_errbuf *eb)
{
	struct sw_doc_limits def;
	struct build *b = NULL;
	struct sw_doc *d;
	size_t keep;
	enum sw_err rc = SW_ENOMEM;

	if (!lim) {
		sw_doc_limits_init(&def);
		lim = &def;
	}
	*out = NULL;
	if (!(d = calloc(1, sizeof *d)) || !(d->priv = calloc(1, sizeof(struct priv))) ||
	    !(b = calloc(1, sizeof *b)))
		goto fail;
	d->src = text;
	d->src_len = len;
	d->html = d->head = d->body = d->title = SW_NONE;
	keep = len;
	if (keep > lim->max_bytes) {
		keep = lim->max_bytes;
		d->limits |= SW_DOC_LIMIT_BYTES;
	}
	keep = sw_doc_limit_scan(text, keep, lim, &d->limits);
	b->d = d;
	b->max_nodes = lim->max_nodes;
	if (parser_ready())
		goto fail;
	myhtml_tree_clean(tree);
	if (myhtml_parse(tree, MyENCODING_UTF_8, text, keep) != MyHTML_STATUS_OK)
		goto fail;
	if (walk(b, myhtml_tree_get_document(tree), SW_NONE, 0, 0))
		goto fail;
	if (build_title(d) || sw_css_apply(d))
		goto fail;
	free(b);
	*out = d;
	return SW_OK;
fail:
	free(b);
	sw_doc_free(d);
	return sw_errf(eb, rc, "cannot parse the page: out of memory");
}

void sw_doc_free(struct sw_doc *d)
{
	struct priv *p;

	if (!d)
		return;
	if ((p = d->priv)) {
		for (struct chunk *c = p->chunks, *next; c; c = next) {
			next = c->next;
			free(c);
		}
		free(p);
	}
	free(d->nodes);
	free(d->attrs);
	free(d);
}

const char *sw_doc_attr(const struct sw_doc *d, uint32_t i, const char *name)
{
	const struct sw_node *n = &d->nodes[i];

	for (uint32_t k = 0; k < n->nattr; k++)
		if (strcmp(d->attrs[n->attr + k].name, name) == 0)
			return d->attrs[n->attr + k].value;
	return NULL;
}

/* Length of s[0..n) without a trailing incomplete UTF-8 character. */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t i = n, need;
	unsigned char c;

	while (i && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (!i)
		return n;
	c = (unsigned char)s[i - 1];
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	return (n - (i - 1) < need) ? i - 1 : n;
}

size_t sw_doc_text(const struct sw_doc *d, uint32_t i, char *buf, size_t cap)
{
	size_t n = 0;
	uint32_t end = d->nodes[i].end;

	if (!cap)
		return 0;
	for (uint32_t k = i; k < end && n + 1 < cap; k++) {
		const struct sw_node *x = &d->nodes[k];

		if (x->type != SW_NODE_TEXT || (x->flags & SW_NODE_RAW_TEXT))
			continue;
		for (uint32_t j = 0; j < x->text_len && n + 1 < cap; j++) {
			char c = x->text[j];

			if (c == '\n' || c == '\r' || c == '\t' || c == '\f')
				c = ' ';
			if (c == ' ' && (n == 0 || buf[n - 1] == ' '))
				continue;
			buf[n++] = c;
		}
	}
	while (n && buf[n - 1] == ' ')
		n--;
	n = utf8_whole(buf, n);
	buf[n] = '\0';
	return n;
}
