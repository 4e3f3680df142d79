/*
 * expo.c - the exposure path probe in the engine: at most once a day per
 * site whose policy enables the exposure check, the well-known paths
 * (probe/exposure_paths.h) and one path that cannot exist (the site's
 * soft 404) are fetched one after the other on the site's connection, and
 * judged with the check.  When it last ran is kept (store/crawl.h).
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/exposure_paths.h"
#include "register/register.h"
#include "store/crawl.h"

#define EXPOSURE_EVERY 86400 /* seconds between two probes of a site */

/* scheme://host[:port] of url into base. */
static void url_base(const char *url, char *base, size_t n)
{
	const char *p = strstr(url, "://");
	size_t len = p ? strcspn(p + 3, "/?#") + (size_t)(p + 3 - url) : strlen(url);

	snprintf(base, n, "%.*s", (int)len, url);
}

int sw__engine_exposure_start(struct sw__engine *e, struct sw__item *it)
{
	const struct sw_exposure_path *paths;
	char base[2048], u[2048 + 128];
	struct sw_policy pol;
	struct sw_errbuf eb;
	int64_t last = 0, now = (int64_t)time(NULL);
	size_t n = 0;

	sw_errbuf_clear(&eb);
	/* A store failure here only postpones the probe: the check goes on
	 * and reports the failure when it stores. */
	if (sw_reg_policy(e->st, it->group_id, it->site_id, &pol, &eb) ||
	    !sw_policy_has(&pol, "checks", "exposure") ||
	    sw_store_exposure_last(e->st, it->site_id, &last, &eb) ||
	    (last && now - last < EXPOSURE_EVERY))
		return 0;
	paths = sw_exposure_paths(&n);
	if (n > SW__SLOTS - SW__SLOT_PATHS)
		n = SW__SLOTS - SW__SLOT_PATHS;
	url_base(it->url, base, sizeof base);
	/* All queued at the front of the host, in order: NEXT puts each at
	 * the head, so they are added last to first. */
	it->exposure = 1;
	it->xpending = 0;
	for (size_t k = n; k-- > 0;) {
		snprintf(u, sizeof u, "%s%s", base, paths[k].path);
		if (sw_fetcher_add_ex(e->f, u, &it->slot[SW__SLOT_PATHS + k], SW_FETCH_AS_SELF,
				      SW_FETCH_F_NEXT | (k + 1 < n ? SW_FETCH_F_KEEP : 0)) == SW_OK)
			it->xpending++;
	}
	snprintf(u, sizeof u, "%s/sitewarden-no-such-file-%08x.txt", base,
		 (unsigned)(it->site_id * 2654435761u ^ (uint64_t)now));
	if (sw_fetcher_add_ex(e->f, u, &it->slot[SW__SLOT_SOFT404], SW_FETCH_AS_SELF,
			      SW_FETCH_F_NEXT | SW_FETCH_F_KEEP) == SW_OK)
		it->xpending++;
	if (it->xpending == 0)
		it->exposure = 0;
	return it->xpending > 0;
}

enum sw_err sw__engine_exposure_judge(const struct sw__item *it, struct sw_findings *fs)
{
	struct sw_exposure_resp resp[SW__SLOTS - SW__SLOT_PATHS], soft;
	const struct sw_fetch_result *s4 = it->r[SW__SLOT_SOFT404];
	char base[2048];
	size_t n = 0;

	sw_exposure_paths(&n);
	if (n > SW__SLOTS - SW__SLOT_PATHS)
		n = SW__SLOTS - SW__SLOT_PATHS;
	for (size_t k = 0; k < n; k++) {
		const struct sw_fetch_result *r = it->r[SW__SLOT_PATHS + k];

		resp[k] = (struct sw_exposure_resp){r ? r->status : 0, r ? (const char *)r->body : NULL,
						    r ? r->body_len : 0};
	}
	soft = (struct sw_exposure_resp){s4 ? s4->status : 0, s4 ? (const char *)s4->body : NULL,
					 s4 ? s4->body_len : 0};
	url_base(it->url, base, sizeof base);
	return sw_exposure_judge(base, resp, n, &soft, fs);
}
