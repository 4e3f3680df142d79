/*
 * api_compliance.h - what the compliance handlers (api_compliance*.c)
 * share: the statistics scope of a query string, the site a write acts
 * on, typed members of JSON bodies and the JSON shapes of rows.
 *
 * Like api_register.h, a helper that refuses fills rs (4xx) and returns
 * -1, so a handler writes `if (helper(...)) return 0;`.
 */
#ifndef SW_SERVER_API_COMPLIANCE_H
#define SW_SERVER_API_COMPLIANCE_H

#include <jansson.h>
#include <stdint.h>

#include "compliance/stats.h"
#include "server/http.h"

/* Longest free text accepted (notes, titles, evidence, reasons). */
#define SW_CAPI_TEXT_MAX 2000
/* Longest short text (names, numbers, dates, enum values). */
#define SW_CAPI_SHORT_MAX 200

/* ?region= (six digits) ?unit_type= ?dept= ?group= (id or name) into sc,
 * with sc->acc the user's scope (acc_buf its storage). */
int sw__capi_scope(struct sw_req *rq, struct sw_resp *rs, struct sw_stats_scope *sc,
		   struct sw_access *acc_buf);

/* A boolean query argument: absent 0; "1", "true" or "" 1; "0",
 * "false" 0; anything else 400. */
int sw__capi_bool_arg(const struct sw_req *rq, struct sw_resp *rs, const char *name, int *out);

/*
 * The site a write acts on: ref is its id or name (text).  Unknown to an
 * unscoped user: 404 (or 400 naming `field` when field is non-NULL: the
 * site came in a body); not visible to a scoped user, or unknown: 403,
 * without telling which.
 */
int sw__capi_site_w(struct sw_req *rq, struct sw_resp *rs, const char *ref, const char *field,
		    int64_t *id);

/* Body member `key` naming a site: an integer id or a string. */
int sw__capi_site_member(struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
			 int64_t *id);

/* Text member (see sw__json_str) whose length limit depends on the key:
 * free text for note/title/evidence/reason/basis, short otherwise. */
int sw__capi_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
		 const char **out);

/* Integer member within [min, max] (absent: *present 0, *out left). */
int sw__capi_int(const struct sw_req *rq, struct sw_resp *rs, const char *key, int64_t min,
		 int64_t max, int64_t *out, int *present);

/* Answers a module error: 400 with the field for bad input, 404, 409. */
int sw__capi_err(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb);

/* Row shapes (new references), as the CLI's --json prints them. */
json_t *sw__capi_campaign_json(const struct sw_cmp_row *r);
json_t *sw__capi_item_json(const struct sw_cmp_row *r);
json_t *sw__capi_task_json(const struct sw_cmp_row *r);
json_t *sw__capi_rect_json(const struct sw_cmp_row *r);

/* Handlers of the other files, for the route table (api_compliance.c). */
int sw__capi_reviews_list(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_reviews_open(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_review_get(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_review_decide(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_tasks_list(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_task_done(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_override(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rects_list(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_add(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_from_finding(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_from_incident(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_get(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_patch(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_rect_tick(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_escalations(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_report_bulletin(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_report_progress(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_report_schedules(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_report_runs(struct sw_req *rq, struct sw_resp *rs);
int sw__capi_report_run_file(struct sw_req *rq, struct sw_resp *rs);

#endif
