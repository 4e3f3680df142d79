/*
 * facts.h - what the monitoring engine needs to run the page
 * analyzers on a site: the register's facts about it (filing numbers,
 * sponsor, government or not) and its current defacement baseline.
 */
#ifndef SW_ENGINE_FACTS_H
#define SW_ENGINE_FACTS_H

#include "analyze/analyze.h"
#include "analyze/worker.h"
#include "store/store.h"

/* Where notes for people go (struct sw_engine_opts's on_note); fn may be
 * NULL. */
struct sw_engine_notes {
	void (*fn)(void *arg, const char *msg);
	void *arg;
};

/* Formats a note and hands it to n->fn, when there is one. */
void sw_engine_note(const struct sw_engine_notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Register facts of one site; strings owned (sw_engine_facts_free). */
struct sw_engine_facts {
	struct sw_an_site site;
	char *icp, *psb, *gov_code, *org, *host;
};

/* Reads site_id's facts; a missing site or unit leaves them unknown. */
enum sw_err sw_engine_facts_load(struct sw_store *st, int64_t site_id, struct sw_engine_facts *f,
			     struct sw_errbuf *eb);
void sw_engine_facts_free(struct sw_engine_facts *f);

/* The site's current baseline in *out (caller frees with
 * sw_baseline_free), NULL when it has none or the stored one is damaged
 * (a note says so: a damaged baseline must not stop monitoring).
 * *exists says whether the site has a stored baseline at all. */
enum sw_err sw_engine_baseline_load(struct sw_store *st, int64_t site_id,
				    struct sw_baseline **out, int *exists,
				    const struct sw_engine_notes *notes, struct sw_errbuf *eb);

/*
 * The snapshot keys of up to `want` distinct bodies of site_id's recent
 * successful (2xx) fetches, newest first, into keys; *n gets how many.
 */
enum sw_err sw_engine_recent_bodies(struct sw_store *st, int64_t site_id, size_t want,
				char keys[][SW_SNAPSHOT_KEY_LEN], size_t *n, struct sw_errbuf *eb);

/* Distinct page versions a baseline is learned from. */
#define SW_ENGINE_LEARN_VERSIONS 3

/*
 * Learns the site's first baseline once it has SW_ENGINE_LEARN_VERSIONS
 * distinct successful fetches stored (so regions that change by
 * themselves are seen changing), in a sandboxed worker, and stores it as
 * "learned".  *learned says whether it did.  Pages the worker cannot learn
 * from are a note and skipped; store failures are errors.
 */
enum sw_err sw_engine_learn(struct sw_store *st, int64_t site_id, const char *url,
			    const struct sw_an_worker_limits *lim, int *learned,
			    const struct sw_engine_notes *notes, struct sw_errbuf *eb);

#endif
