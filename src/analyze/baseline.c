/*
 * baseline.c - learns a baseline from the sketches of one or more versions
 * of a page (baseline_sketch.c) and answers questions about it.
 *
 * What the versions agree on is stable; what differs between them is
 * dynamic.  The unit of "dynamic" is a block path (the hash of the chain of
 * tags, ids and classes down to a block element): a news list's items all
 * share one path, so one new headline makes the whole list dynamic, which
 * is what a person would expect.  Paths that are soft by shape in any
 * version (dates, repeated link lists) are dynamic too, so one version is
 * enough for the common churn.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline_int.h"

/* A block path's content in one version: count and order-free text sum. */
struct agg {
	uint64_t path, sum;
	uint32_t count, version;
};

static int cmp_agg(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;

	if (x->path != y->path)
		return (x->path > y->path) - (x->path < y->path);
	return (x->version > y->version) - (x->version < y->version);
}

static int cmp_stable(const void *a, const void *b)
{
	uint64_t x = ((const struct sw__bl_stable *)a)->text;
	uint64_t y = ((const struct sw__bl_stable *)b)->text;

	return (x > y) - (x < y);
}

/* Appends one aggregate per block path of sketch sk (version v) to a. */
static size_t aggregate(const struct sw__sketch *sk, uint32_t v, struct agg *a)
{
	size_t n = 0, start;

	for (size_t i = 0; i < sk->nblocks; i++)
		a[n++] = (struct agg){sk->blocks[i].path, sk->blocks[i].text * 0x9e3779b97f4a7c15ull + 1,
				      1, v};
	start = 0;
	qsort(a, n, sizeof *a, cmp_agg);
	for (size_t i = 0, j = 0; i < n; i = j) {
		struct agg g = a[i];

		for (j = i + 1; j < n && a[j].path == g.path; j++) {
			g.sum += a[j].sum;
			g.count++;
		}
		a[start++] = g;
	}
	return start;
}

/*
 * Dynamic paths: soft in any version, or whose blocks differ between
 * versions, or present in some versions only.  Written to b->dyn.
 */
static enum sw_err learn_dynamic(struct sw_baseline *b, const struct sw__sketch *sk, size_t n)
{
	size_t total = 0, m = 0, nd = 0, soft = 0;
	struct agg *a;

	for (size_t v = 0; v < n; v++) {
		total += sk[v].nblocks;
		soft += sk[v].nsoft;
	}
	a = malloc((total + 1) * sizeof *a);
	b->dyn = malloc((total + soft + 1) * sizeof *b->dyn);
	if (!a || !b->dyn) {
		free(a);
		return SW_ENOMEM;
	}
	for (size_t v = 0; v < n; v++)
		m += aggregate(&sk[v], (uint32_t)v, a + m);
	qsort(a, m, sizeof *a, cmp_agg);
	for (size_t i = 0, j = 0; i < m; i = j) {
		int same = 1;

		for (j = i + 1; j < m && a[j].path == a[i].path; j++)
			same &= a[j].sum == a[i].sum && a[j].count == a[i].count;
		if (!same || j - i != n)
			b->dyn[nd++] = a[i].path;
	}
	free(a);
	for (size_t v = 0; v < n; v++)
		for (size_t i = 0; i < sk[v].nsoft; i++)
			b->dyn[nd++] = sk[v].soft[i];
	b->ndyn = sw__bl_sort_unique64(b->dyn, nd);
	if (b->ndyn > SW__BL_MAX_ITEMS)
		b->ndyn = SW__BL_MAX_ITEMS;
	return SW_OK;
}

/* Stable blocks: the newest version's blocks at non-dynamic paths. */
static enum sw_err learn_stable(struct sw_baseline *b, const struct sw__sketch *sk)
{
	size_t n = 0;

	b->stable = malloc((sk->nblocks + 1) * sizeof *b->stable);
	if (!b->stable)
		return SW_ENOMEM;
	for (size_t i = 0; i < sk->nblocks; i++)
		if (!sw__bl_has64(b->dyn, b->ndyn, sk->blocks[i].path))
			b->stable[n++] = (struct sw__bl_stable){sk->blocks[i].text, sk->blocks[i].len};
	qsort(b->stable, n, sizeof *b->stable, cmp_stable);
	b->nstable = 0;
	for (size_t i = 0; i < n && b->nstable < SW__BL_MAX_ITEMS; i++) {
		if (b->nstable && b->stable[b->nstable - 1].text == b->stable[i].text)
			continue;
		b->stable[b->nstable++] = b->stable[i];
		b->stable_total += b->stable[i].len;
	}
	return SW_OK;
}

/* Structure: element paths present in every version. */
static enum sw_err learn_paths(struct sw_baseline *b, const struct sw__sketch *sk, size_t n)
{
	const struct sw__sketch *last = &sk[n - 1];

	b->paths = malloc((last->npaths + 1) * sizeof *b->paths);
	if (!b->paths)
		return SW_ENOMEM;
	for (size_t i = 0; i < last->npaths && b->npaths < SW__BL_MAX_ITEMS; i++) {
		size_t v = 0;

		while (v < n - 1 && sw__bl_has64(sk[v].paths, sk[v].npaths, last->paths[i]))
			v++;
		if (v == n - 1)
			b->paths[b->npaths++] = last->paths[i];
	}
	return SW_OK;
}

/* Title: the newest version's; when versions differ, the common ends. */
static enum sw_err learn_title(struct sw_baseline *b, const struct sw__sketch *sk, size_t n)
{
	const char *t = sk[n - 1].title;
	size_t tl = strlen(t), pre = tl, suf = tl;

	if (!(b->title = strdup(t)))
		return SW_ENOMEM;
	if (tl > 1024)
		b->title[1024] = '\0', tl = pre = suf = 1024;
	for (size_t v = 0; v + 1 < n; v++) {
		const char *o = sk[v].title;
		size_t ol = strlen(o), k = 0;

		while (k < pre && k < ol && o[k] == t[k])
			k++;
		pre = k;
		for (k = 0; k < suf && k < ol && o[ol - 1 - k] == t[tl - 1 - k]; k++)
			;
		suf = k;
		if (ol != tl || strncmp(o, t, tl))
			b->title_dyn = 1;
	}
	/* Cut to whole UTF-8 characters. */
	while (pre && ((unsigned char)t[pre] & 0xc0) == 0x80)
		pre--;
	while (suf && ((unsigned char)t[tl - suf] & 0xc0) == 0x80)
		suf--;
	b->title_pre = b->title_dyn ? (uint32_t)pre : (uint32_t)tl;
	b->title_suf = b->title_dyn ? (uint32_t)suf : (uint32_t)tl;
	return SW_OK;
}

static int in_every_version(const struct sw__sketch *sk, size_t n, uint64_t src)
{
	for (size_t v = 0; v < n; v++) {
		size_t k = 0;

		while (k < sk[v].nimgs && sk[v].imgs[k].src != src)
			k++;
		if (k == sk[v].nimgs)
			return 0;
	}
	return 1;
}

/*
 * Key images: candidates of the newest version that every version shows,
 * not at a dynamic path and alone at their path (several pictures at one
 * path are a gallery or carousel).
 */
static enum sw_err learn_images(struct sw_baseline *b, const struct sw__sketch *sk, size_t n)
{
	const struct sw__sketch *last = &sk[n - 1];

	b->imgs = calloc(SW__BL_MAX_KEYIMGS, sizeof *b->imgs);
	if (!b->imgs)
		return SW_ENOMEM;
	for (size_t i = 0; i < last->nimgs && b->nimgs < SW__BL_MAX_KEYIMGS; i++) {
		const struct sw__bl_img *im = &last->imgs[i];
		const char *src = sw_doc_attr(last->doc, im->node, "src");
		size_t same = 0;

		for (size_t k = 0; k < last->nimgs; k++)
			same += last->imgs[k].path == im->path;
		if (!im->key || same > 1 || sw__bl_has64(b->dyn, b->ndyn, im->path) ||
		    !in_every_version(sk, n, im->src))
			continue;
		if (!(b->imgs[b->nimgs].url = strndup(src, SW__BL_MAX_URL)))
			return SW_ENOMEM;
		b->imgs[b->nimgs].path = im->path;
		b->imgs[b->nimgs++].src = im->src;
	}
	return SW_OK;
}

static int cmpstrp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hosts: the union over versions, sorted, bounded. */
static enum sw_err learn_hosts(struct sw_baseline *b, const struct sw__sketch *sk, size_t n)
{
	b->hosts = calloc(SW__BL_MAX_HOSTS, sizeof *b->hosts);
	if (!b->hosts)
		return SW_ENOMEM;
	for (size_t v = 0; v < n; v++)
		for (size_t i = 0; i < sk[v].nhosts && b->nhosts < SW__BL_MAX_HOSTS; i++) {
			size_t k = 0;

			while (k < b->nhosts && strcmp(b->hosts[k], sk[v].hosts[i]))
				k++;
			if (k < b->nhosts)
				continue;
			if (!(b->hosts[b->nhosts] = strdup(sk[v].hosts[i])))
				return SW_ENOMEM;
			b->nhosts++;
		}
	if (b->nhosts)
		qsort(b->hosts, b->nhosts, sizeof *b->hosts, cmpstrp);
	return SW_OK;
}

enum sw_err sw_baseline_learn(const struct sw_doc *const *docs, size_t n,
			      struct sw_baseline **out, struct sw_errbuf *eb)
{
	struct sw__sketch sk[SW_BASELINE_MAX_VERSIONS];
	struct sw_baseline *b = NULL;
	enum sw_err rc = SW_OK;
	size_t built = 0;

	*out = NULL;
	if (!docs || n == 0 || n > SW_BASELINE_MAX_VERSIONS)
		return sw_errf(eb, SW_EINVAL, "a baseline needs 1 to %d page versions, not %zu",
			       SW_BASELINE_MAX_VERSIONS, n);
	for (; built < n; built++)
		if (!docs[built] || (rc = sw__sketch_build(docs[built], &sk[built])))
			goto out;
	if (!(b = calloc(1, sizeof *b))) {
		rc = SW_ENOMEM;
		goto out;
	}
	b->versions = (uint32_t)n;
	if ((rc = learn_dynamic(b, sk, n)) || (rc = learn_stable(b, &sk[n - 1])) ||
	    (rc = learn_paths(b, sk, n)) || (rc = learn_title(b, sk, n)) ||
	    (rc = learn_images(b, sk, n)) || (rc = learn_hosts(b, sk, n)))
		goto out;
	*out = b;
	b = NULL;
out:
	if (built < n && !rc)
		rc = sw_errf(eb, SW_EINVAL, "baseline version %zu is missing", built + 1);
	for (size_t v = 0; v < built && v < n; v++)
		sw__sketch_cleanup(&sk[v]);
	sw_baseline_free(b);
	if (rc == SW_ENOMEM)
		sw_errf(eb, rc, "out of memory learning a baseline");
	return rc;
}

void sw_baseline_free(struct sw_baseline *b)
{
	if (!b)
		return;
	free(b->title);
	free(b->paths);
	free(b->dyn);
	free(b->stable);
	for (size_t i = 0; b->imgs && i < b->nimgs; i++)
		free(b->imgs[i].url);
	free(b->imgs);
	for (size_t i = 0; b->hosts && i < b->nhosts; i++)
		free(b->hosts[i]);
	free(b->hosts);
	free(b);
}

void sw_baseline_info(const struct sw_baseline *b, struct sw_baseline_info *info)
{
	*info = (struct sw_baseline_info){
		.title = b->title ? b->title : "",
		.title_dynamic = b->title_dyn,
		.versions = b->versions,
		.paths = b->npaths,
		.blocks = b->nstable,
		.stable_bytes = b->stable_total,
		.dynamic_paths = b->ndyn,
		.images = b->nimgs,
		.hosts = b->nhosts,
	};
}

const char *sw_baseline_image(const struct sw_baseline *b, size_t i)
{
	return i < b->nimgs ? b->imgs[i].url : NULL;
}

int sw_baseline_has_host(const struct sw_baseline *b, const char *host)
{
	return b && host && sw__bl_has_str(b->hosts, b->nhosts, host);
}

const struct sw__bl_stable *sw__bl_find_stable(const struct sw_baseline *b, uint64_t text)
{
	struct sw__bl_stable key = {text, 0};

	if (!b->nstable)
		return NULL;
	return bsearch(&key, b->stable, b->nstable, sizeof key, cmp_stable);
}
