/*
 * api_register.h - what the register, import and monitoring handlers
 * share: the user's access scope, request arguments and the JSON shapes
 * of records, pages of lists and site state.
 *
 * Every helper that validates input fills rs with a 400 when it refuses
 * and returns -1, so a handler writes `if (helper(...)) return 0;`.
 */
#ifndef SW_SERVER_API_REGISTER_H
#define SW_SERVER_API_REGISTER_H

#include <jansson.h>
#include <stdint.h>

#include "server/http.h"

/* Largest page of a list (API_CONTRACT.md) and the default. */
#define SW_API_LIMIT_MAX 1000
#define SW_API_LIMIT_DEFAULT 50

/* The store scope of user u written into *buf, or NULL when u sees
 * everything (administrators and auditors). */
const struct sw_access *sw_api_access(const struct sw_user *u, struct sw_access *buf);

/* Capture i of the route as a positive row id into *id; -1 (rs: 404)
 * when it is not one. */
int sw_api_id(const struct sw_req *rq, struct sw_resp *rs, int i, int64_t *id);

/* Integer query argument `name` within [min, max] into *out (left alone
 * when absent); -1 (rs: 400) when malformed or out of range. */
int sw_api_int_arg(const struct sw_req *rq, struct sw_resp *rs, const char *name, int64_t min,
		   int64_t max, int64_t *out);

/* ?limit= and ?offset= into f (defaults 50 and 0); -1 on bad values. */
int sw_api_page(const struct sw_req *rq, struct sw_resp *rs, struct sw_filter *f);

/* Filters of lists: ?region= ?unit_type= ?group= ?unit= ?status= ?q=
 * ?kind= ?severity= ?up= (those that ent has; the store refuses the
 * others), with f->acc set from the user.  acc_buf is the storage of the
 * scope.  -1 (rs: 400 or 404) on a bad value. */
int sw_api_filter(struct sw_req *rq, struct sw_resp *rs, const struct sw_entity *ent,
		  struct sw_filter *f, struct sw_access *acc_buf);

/* A record as `sitewarden ENTITY show --json` prints its fields (new
 * reference). */
json_t *sw_api_rec_json(struct sw_store *st, const struct sw_rec *rec);

/* The monitoring state of a site: {"up", "since", "checked_at",
 * "last_status", "last_ms", "open_findings", "last_check_id"}, members
 * null when never checked (new reference). */
json_t *sw_api_state_json(struct sw_store *st, int64_t site_id);

/* {"items": items, "total", "limit", "offset"} (takes items). */
json_t *sw_api_page_json(json_t *items, int64_t total, const struct sw_filter *f);

/* A finding as the API shows it: {"kind" (family), "check", "severity",
 * "title", "evidence"} (new reference; evidence parsed when it is JSON). */
json_t *sw_api_finding_json(const char *kind, const char *severity, const char *title,
			    const char *evidence);

#endif
