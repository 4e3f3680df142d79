/*
 * facts.c - register facts and baselines for the monitoring engine's page
 * analysis (facts.h).
 */
#include "engine/facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/baseline.h"
#include "model/entity.h"
#include "probe/fetch.h"

void sw_engine_note(const struct sw_engine_notes *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!n || !n->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	n->fn(n->arg, msg);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

enum sw_err sw_engine_facts_load(struct sw_store *st, int64_t site_id, struct sw_engine_facts *f,
			     struct sw_errbuf *eb)
{
	static const char k_icp[] = "icp", k_psb[] = "psb", k_gov[] = "gov_code", k_unit[] = "unit",
			  k_url[] = "url", k_name[] = "name", k_type[] = "type";
	struct sw_rec site, unit;
	enum sw_err rc;
	int64_t unit_id;
	char host[256];

	memset(f, 0, sizeof *f);
	f->site.gov = -1;
	if ((rc = sw_store_get(st, sw_entity_get(SW_ENT_SITE), site_id, &site, eb)))
		return rc == SW_ENOTFOUND ? SW_OK : rc;
	f->icp = dup_or_null(sw_rec_get(&site, sw_field_index(SW_ENT_SITE, k_icp)));
	f->psb = dup_or_null(sw_rec_get(&site, sw_field_index(SW_ENT_SITE, k_psb)));
	f->gov_code = dup_or_null(sw_rec_get(&site, sw_field_index(SW_ENT_SITE, k_gov)));
	sw_an_url_host(sw_rec_get(&site, sw_field_index(SW_ENT_SITE, k_url)), host, sizeof host);
	f->host = dup_or_null(host);
	unit_id = sw_rec_get_int(&site, sw_field_index(SW_ENT_SITE, k_unit), 0);
	sw_rec_cleanup(&site);
	if (unit_id && sw_store_get(st, sw_entity_get(SW_ENT_UNIT), unit_id, &unit, NULL) == SW_OK) {
		const char *type = sw_rec_get(&unit, sw_field_index(SW_ENT_UNIT, k_type));

		f->org = dup_or_null(sw_rec_get(&unit, sw_field_index(SW_ENT_UNIT, k_name)));
		/* 党政机关 must show the 网站标识码 and the badge. */
		if (type)
			f->site.gov = strcmp(type, "party_gov") == 0;
		sw_rec_cleanup(&unit);
	}
	f->site.icp = f->icp;
	f->site.psb = f->psb;
	f->site.site_code = f->gov_code;
	f->site.org = f->org;
	f->site.host = f->host;
	return SW_OK;
}

void sw_engine_facts_free(struct sw_engine_facts *f)
{
	free(f->icp);
	free(f->psb);
	free(f->gov_code);
	free(f->org);
	free(f->host);
	memset(f, 0, sizeof *f);
}

struct got {
	struct sw_baseline *b;
	int64_t id;
	enum sw_err rc;
};

static int take(void *arg, const struct sw_baseline_row *r)
{
	struct got *g = arg;

	g->id = r->id;
	if (r->blob && sw_baseline_from_blob(r->blob, r->blob_len, &g->b, NULL) != SW_OK)
		g->b = NULL;
	return 1;
}

enum sw_err sw_engine_baseline_load(struct sw_store *st, int64_t site_id,
				    struct sw_baseline **out, int *exists,
				    const struct sw_engine_notes *notes, struct sw_errbuf *eb)
{
	struct got g = {0};
	struct sw_errbuf mine;
	enum sw_err rc;

	*out = NULL;
	sw_errbuf_clear(&mine);
	rc = sw_store_baseline_current(st, site_id, take, &g, &mine);
	if (rc && rc != SW_ENOTFOUND)
		return sw_errf(eb, rc, "%s", mine.msg);
	if (g.id && !g.b)
		sw_engine_note(notes, "site %lld: stored baseline %lld is damaged; "
				      "accept a new one with `sitewarden baseline accept`",
			       (long long)site_id, (long long)g.id);
	*out = g.b;
	*exists = g.id != 0;
	return SW_OK;
}

/* Collects distinct bodies of 2xx fetches (sw_store_checks_recent's callback). */
struct recent {
	char (*keys)[SW_SNAPSHOT_KEY_LEN];
	size_t n, want;
};

static int recent_cb(void *arg, const struct sw_check_row *c)
{
	struct recent *r = arg;

	if (!c->body_hash || c->status < 200 || c->status >= 300)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->keys[i], c->body_hash))
			return 0;
	snprintf(r->keys[r->n++], SW_SNAPSHOT_KEY_LEN, "%s", c->body_hash);
	return r->n >= r->want;
}

enum sw_err sw_engine_recent_bodies(struct sw_store *st, int64_t site_id, size_t want,
				char keys[][SW_SNAPSHOT_KEY_LEN], size_t *n, struct sw_errbuf *eb)
{
	struct recent r = {keys, 0, want};
	enum sw_err rc;

	*n = 0;
	if (!want)
		return SW_OK;
	rc = sw_store_checks_recent(st, site_id, 0, 500, recent_cb, &r, eb);
	*n = r.n;
	return rc;
}

enum sw_err sw_engine_learn(struct sw_store *st, int64_t site_id, const char *url,
			    const struct sw_an_worker_limits *lim, int *learned,
			    const struct sw_engine_notes *notes, struct sw_errbuf *eb)
{
	char recent[SW_ENGINE_LEARN_VERSIONS][SW_SNAPSHOT_KEY_LEN];
	size_t nrecent;
	struct sw_fetch_result *res[SW_ENGINE_LEARN_VERSIONS] = {0};
	char *text[SW_ENGINE_LEARN_VERSIONS] = {0};
	struct sw_an_page pages[SW_ENGINE_LEARN_VERSIONS];
	char keys[SW_ENGINE_LEARN_VERSIONS * SW_SNAPSHOT_KEY_LEN] = "";
	struct sw_baseline *b = NULL;
	unsigned char *blob = NULL;
	size_t bloblen = 0, n = 0;
	struct sw_errbuf why;
	enum sw_err rc;

	*learned = 0;
	if ((rc = sw_engine_recent_bodies(st, site_id, SW_ENGINE_LEARN_VERSIONS, recent, &nrecent, eb)))
		return rc;
	if (nrecent < SW_ENGINE_LEARN_VERSIONS)
		return SW_OK; /* not enough versions yet to tell what changes by itself */
	/* Oldest first, as the learner wants them. */
	for (size_t k = nrecent; k-- > 0;) {
		unsigned char *body = NULL;
		size_t len = 0, tlen = 0;
		const char *cs;

		if ((rc = sw_store_snapshot_get(st, recent[k], &body, &len, eb)))
			goto out;
		rc = sw_fetch_result_from_body(url, body, len, NULL, &res[n]);
		free(body);
		if (rc || (rc = sw_fetch_body_utf8(res[n], &text[n], &tlen)))
			goto out;
		cs = sw_fetch_body_charset(res[n]);
		pages[n] = (struct sw_an_page){.url = url, .raw = (const char *)res[n]->body,
					       .raw_len = res[n]->body_len, .text = text[n],
					       .text_len = tlen, .charset = strcmp(cs, "UTF-8") ? cs : NULL};
		strcat(strcat(keys, n ? " " : ""), recent[k]);
		n++;
	}
	sw_errbuf_clear(&why);
	if ((rc = sw_an_worker_learn(pages, n, lim, &b, &why))) {
		/* Pages the sandbox cannot learn from: monitoring goes on. */
		sw_engine_note(notes, "site %lld: no baseline learned: %s", (long long)site_id,
			       why.msg);
		rc = rc == SW_ENOMEM || rc == SW_EIO ? rc : SW_OK;
		goto out;
	}
	if ((rc = sw_baseline_to_blob(b, &blob, &bloblen, eb)))
		goto out;
	{
		struct sw_baseline_info info;
		struct sw_baseline_row row;

		sw_baseline_info(b, &info);
		row = (struct sw_baseline_row){.site_id = site_id, .created_at = (int64_t)time(NULL),
			.source = "learned", .versions = (int64_t)n, .title = info.title ? info.title : "",
			.pages = keys, .blob = blob, .blob_len = bloblen};
		if ((rc = sw_store_baseline_add(st, &row, NULL, eb)) == SW_OK)
			*learned = 1;
	}
out:
	sw_baseline_free(b);
	free(blob);
	for (size_t i = 0; i < SW_ENGINE_LEARN_VERSIONS; i++) {
		sw_fetch_result_free(res[i]);
		free(text[i]);
	}
	return rc;
}
