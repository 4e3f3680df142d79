/*
 * probe_analyze.h - what the monitoring loop needs to run the page
 * analyzers on a site: the register's facts about it (filing numbers,
 * sponsor, government or not) and its current defacement baseline.
 */
#ifndef SW_CLI_PROBE_ANALYZE_H
#define SW_CLI_PROBE_ANALYZE_H

#include "analyze/analyze.h"
#include "store/store.h"

/* Register facts of one site; strings owned (probe_facts_free). */
struct probe_facts {
	struct sw_an_site site;
	char *icp, *psb, *gov_code, *org, *host;
};

/* Reads site_id's facts; a missing site or unit leaves them unknown. */
enum sw_err probe_facts_load(struct sw_store *st, int64_t site_id, struct probe_facts *f,
			     struct sw_errbuf *eb);
void probe_facts_free(struct probe_facts *f);

/* The site's current baseline in *out (caller frees with
 * sw_baseline_free), NULL when it has none or the stored one is damaged
 * (reported once on stderr: a damaged baseline must not stop monitoring). */
enum sw_err probe_baseline_load(struct sw_store *st, int64_t site_id, struct sw_baseline **out,
				struct sw_errbuf *eb);

#endif
