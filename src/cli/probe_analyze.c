/*
 * probe_analyze.c - register facts and baselines for the monitoring loop's
 * page analysis (probe_analyze.h).
 */
#include "cli/probe_analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline.h"
#include "model/entity.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

enum sw_err probe_facts_load(struct sw_store *st, int64_t site_id, struct probe_facts *f,
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

void probe_facts_free(struct probe_facts *f)
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

enum sw_err probe_baseline_load(struct sw_store *st, int64_t site_id, struct sw_baseline **out,
				struct sw_errbuf *eb)
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
		fprintf(stderr, "sitewarden: site %lld: stored baseline %lld is damaged; "
				"accept a new one with `sitewarden baseline accept`\n",
			(long long)site_id, (long long)g.id);
	*out = g.b;
	return SW_OK;
}
