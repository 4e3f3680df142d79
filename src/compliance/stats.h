/*
 * stats.h - one judged view of every site (status, identification, MLPS
 * due state, open findings) and the statistics computed from it for a
 * scope: a region subtree, a unit type, a supervising department subtree
 * and/or a website group.  The CLI's `stats --json`, the API's /api/stats
 * and the progress report all print what sw_stats_json returns.
 */
#ifndef SW_COMPLIANCE_STATS_H
#define SW_COMPLIANCE_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "compliance/compliance.h"

/* Which sites count.  NULL/0 members do not filter. */
struct sw_stats_scope {
	const char *region;    /* six-digit code: the region and all below it */
	const char *unit_type; /* enum key */
	int64_t dept_id;       /* the unit's supervising department or one below it */
	int64_t group_id;
	const struct sw_access *acc; /* who asks (API): the store returns only its sites */
};

/* One site as the statistics see it.  Owned by its struct sw_cmp_view. */
struct sw_cmp_site {
	int64_t id, group_id, dept_id, last_check;
	char *name, *url, *unit_name;
	char status[16], unit_type[16], region[8], assess[11], next_due[11];
	int grade, filed, in_scope;
	enum sw_ident ident;
	unsigned miss_reg, miss_page, mismatch;
	enum sw_mlps_due due;
	int64_t open_findings;
};

struct sw_cmp_view {
	struct sw_cmp_site *v; /* by id */
	size_t n;
	char today[11];
};

/* Loads and judges every site as of now, marking in_scope by sc (NULL:
 * all).  The caller cleans up the view. */
enum sw_err sw_cmp_view_load(struct sw_store *st, const struct sw_stats_scope *sc, int64_t now,
			     struct sw_cmp_view *out, struct sw_errbuf *eb);
void sw_cmp_view_cleanup(struct sw_cmp_view *v);

/* The site with id, or NULL. */
struct sw_cmp_site *sw_cmp_view_find(const struct sw_cmp_view *v, int64_t id);

/* Whether a region code lies in the subtree of `scope` (six digits). */
int sw_stats_region_in(const char *scope, const char *code);

/* Checks a scope's values (region six digits; unit type known). */
enum sw_err sw_stats_scope_check(const struct sw_stats_scope *sc, struct sw_errbuf *eb);

/* ---- incidents (incstats.c) ----
 *
 * Detection is the earliest of the incident's opening and the first
 * sightings of its linked alerts (the deadline alerts the chain raises,
 * incident.overdue, excluded); recovery is its first "recovered" step
 * (恢复) of the reporting chain.  Its kind is the family of its first
 * linked alert ("manual" when none is linked). */
struct sw_cmp_incident {
	int64_t id, site_id, opened, closed, detected, recovered; /* 0: not recovered/closed */
	const char *title, *severity, *state; /* borrowed during the callback */
	char kind[32];
	int major;
	int64_t open_items; /* rectification items made from it still open */
	const struct sw_cmp_site *site;
};

typedef int (*sw_cmp_inc_cb)(void *arg, const struct sw_cmp_incident *i);

/* Walks, by id, the incidents of v's in-scope sites detected in
 * [from, to) (to 0: any time). */
enum sw_err sw_cmp_incidents(struct sw_store *st, const struct sw_cmp_view *v, int64_t from,
			     int64_t to, sw_cmp_inc_cb cb, void *arg, struct sw_errbuf *eb);

/* The incident figures of those incidents (*out new): total, open,
 * closed, major, by_kind, recovered, unrecovered, the mean and 90th
 * percentile (nearest rank) of detection to recovery in seconds (null
 * when none recovered), closed_with_open_items. */
enum sw_err sw_cmp_incident_figures(struct sw_store *st, const struct sw_cmp_view *v,
				    int64_t from, int64_t to, json_t **out,
				    struct sw_errbuf *eb);

/* The statistics of the scope as JSON (*out new; caller decrefs). */
enum sw_err sw_stats_json(struct sw_store *st, const struct sw_stats_scope *sc, int64_t now,
			  json_t **out, struct sw_errbuf *eb);

#endif
