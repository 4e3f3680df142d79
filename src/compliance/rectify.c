/*
 * rectify.c - rectification items (隐患整改) and the periodic tick.
 *
 * Items come from assessments, monitoring findings, incidents and
 * inspections.  Status moves open -> in_progress -> fixed -> verified; the
 * tick adds overdue (an open or in-progress item past its deadline) and
 * ready_to_verify (the finding an item came from is gone from the site's
 * latest check, so someone should confirm the fix).  The monitor cannot
 * verify by itself: a finding also disappears when a page fails to load.
 */
#include "compliance/compliance.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "store/incident.h"

const char *sw_rect_status_zh(const char *s)
{
	static const char *const map[][2] = {
		{"open", "待整改"},   {"in_progress", "整改中"}, {"fixed", "已整改"},
		{"verified", "已验证"}, {"overdue", "已逾期"},
	};

	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], s))
			return map[i][1];
	return s ? s : "";
}

/* Default days to fix by severity: the worse, the sooner. */
static int default_days(const char *severity)
{
	int sev = sw_sev_parse(severity);

	return sev == SW_SEV_CRITICAL ? 3 : sev == SW_SEV_HIGH ? 7 : sev == SW_SEV_MEDIUM ? 15 : 30;
}

enum sw_err sw_rect_add(struct sw_store *st, const struct sw_rect_new *n, int64_t now,
			int64_t *id, struct sw_errbuf *eb)
{
	static const char *const sources[] = {"assessment", "finding", "incident", "inspection"};
	struct sw_rect_new c = *n;
	char d[11], today[11];
	int ok = 0;
	enum sw_err rc;

	for (size_t i = 0; c.source && i < 4; i++)
		ok |= !strcmp(c.source, sources[i]);
	if (!ok)
		return sw_errf_field(eb, SW_EINVAL, "source",
				     "source must be assessment, finding, incident or inspection");
	if (!c.title || !*c.title || strlen(c.title) > 500)
		return sw_errf_field(eb, SW_EINVAL, "title", "a title of 1 to 500 bytes is needed");
	if (!c.severity)
		c.severity = "medium";
	if (sw_sev_parse(c.severity) < 0)
		return sw_errf_field(eb, SW_EINVAL, "severity",
				     "severity must be info, low, medium, high or critical");
	if (c.deadline) {
		if ((rc = sw_cmp_date_input(c.deadline, "deadline", d, eb)))
			return rc;
	} else {
		sw_cmp_date(now, today);
		sw_cmp_add_days(today, default_days(c.severity), d);
	}
	c.deadline = d;
	return sw_store_rect_add(st, &c, now, id, eb);
}

/* Finds finding `kind` of one check: copies its severity and title. */
struct find_one {
	const char *kind;
	char severity[16], title[512];
	int found;
};

static int find_one_cb(void *arg, const struct sw_check_finding *f)
{
	struct find_one *o = arg;

	if (strcmp(f->kind, o->kind))
		return 0;
	snprintf(o->severity, sizeof o->severity, "%s", f->severity);
	snprintf(o->title, sizeof o->title, "%s", f->title);
	o->found = 1;
	return 1;
}

/* Counts rows into *(int64_t *)arg. */
static int count_cb(void *arg, const struct sw_cmp_row *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

enum sw_err sw_rect_from_finding(struct sw_store *st, int64_t site_id, int64_t check_id,
				 const char *kind, const char *owner, const char *deadline,
				 int64_t now, int64_t *id, struct sw_errbuf *eb)
{
	struct find_one o = {.kind = kind};
	struct sw_site_state state;
	struct sw_rect_filter f = {.site_id = site_id, .open_only = 1, .finding_kind = kind};
	const struct sw_finding_kind *k = sw_finding_kind(kind);
	char ref[32], title[600];
	int64_t open = 0;
	enum sw_err rc;

	if (!k)
		return sw_errf_field(eb, SW_EINVAL, "kind", "unknown finding kind %s", kind ? kind : "");
	if (!check_id) {
		if ((rc = sw_store_site_state_get(st, site_id, &state, eb)))
			return rc == SW_ENOTFOUND
				       ? sw_errf(eb, rc, "site %" PRId64 " was never checked", site_id)
				       : rc;
		check_id = state.last_check_id;
	}
	if ((rc = sw_store_check_findings(st, check_id, find_one_cb, &o, eb)))
		return rc;
	if (!o.found)
		return sw_errf(eb, SW_ENOTFOUND, "check %" PRId64 " has no finding %s", check_id, kind);
	if ((rc = sw_store_rects(st, &f, count_cb, &open, eb)))
		return rc;
	if (open)
		return sw_errf(eb, SW_EEXIST, "an open item already tracks %s on site %" PRId64, kind,
			       site_id);
	snprintf(ref, sizeof ref, "check:%" PRId64, check_id);
	snprintf(title, sizeof title, "%s: %s", k->zh, o.title);
	struct sw_rect_new n = {site_id, "finding", ref, kind, o.severity, title, owner, deadline};
	return sw_rect_add(st, &n, now, id, eb);
}

/* What an item from an incident takes of it. */
struct inc_facts {
	int64_t site_id;
	char title[512], severity[16];
};

static int inc_facts_cb(void *arg, const struct sw_incident_row *r)
{
	struct inc_facts *f = arg;

	f->site_id = r->site_id;
	snprintf(f->title, sizeof f->title, "%s", r->title ? r->title : "");
	snprintf(f->severity, sizeof f->severity, "%s", r->severity ? r->severity : "high");
	return 0;
}

enum sw_err sw_rect_from_incident(struct sw_store *st, int64_t incident_id, const char *owner,
				  const char *deadline, int64_t now, int64_t *id,
				  struct sw_errbuf *eb)
{
	struct inc_facts fa = {0};
	char ref[40], title[600];
	struct sw_rect_filter f = {.open_only = 1, .source_ref = ref};
	int64_t open = 0;
	enum sw_err rc;

	if ((rc = sw_store_incident_get(st, incident_id, inc_facts_cb, &fa, eb)))
		return rc == SW_ENOTFOUND ? sw_errf_replace(eb, rc, "no incident %" PRId64,
							    incident_id)
					  : rc;
	snprintf(ref, sizeof ref, "incident:%" PRId64, incident_id);
	f.site_id = fa.site_id;
	if ((rc = sw_store_rects(st, &f, count_cb, &open, eb)))
		return rc;
	if (open)
		return sw_errf(eb, SW_EEXIST, "an open item already tracks incident %" PRId64,
			       incident_id);
	snprintf(title, sizeof title, "安全事件整改: %s", fa.title);
	struct sw_rect_new n = {fa.site_id, "incident", ref, NULL, fa.severity, title, owner,
				deadline};
	return sw_rect_add(st, &n, now, id, eb);
}

/* The fields of one item, copied out of a row. */
struct item {
	int64_t id, site_id, created, ready;
	char status[16], owner[256], deadline[11], kind[64], evidence[2048];
	int found;
};

static int item_cb(void *arg, const struct sw_cmp_row *r)
{
	struct item *it = arg;

	it->id = r->i[SW_RECT_ID];
	it->site_id = r->i[SW_RECT_SITE];
	it->created = r->i[SW_RECT_CREATED];
	it->ready = r->i[SW_RECT_READY];
	snprintf(it->status, sizeof it->status, "%s", r->s[SW_RECT_STATUS]);
	snprintf(it->owner, sizeof it->owner, "%s", r->s[SW_RECT_OWNER] ? r->s[SW_RECT_OWNER] : "");
	snprintf(it->deadline, sizeof it->deadline, "%s", r->s[SW_RECT_DEADLINE]);
	snprintf(it->kind, sizeof it->kind, "%s", r->s[SW_RECT_KIND] ? r->s[SW_RECT_KIND] : "");
	snprintf(it->evidence, sizeof it->evidence, "%s",
		 r->s[SW_RECT_EVIDENCE] ? r->s[SW_RECT_EVIDENCE] : "");
	it->found = 1;
	return 1;
}

enum sw_err sw_rect_set(struct sw_store *st, int64_t id, const char *status, const char *owner,
			const char *deadline, const char *evidence, int64_t now,
			struct sw_errbuf *eb)
{
	static const char *const allowed[] = {"open", "in_progress", "fixed", "verified"};
	struct sw_rect_filter f = {.id = id};
	struct item it = {0};
	char d[11], today[11];
	int ok = 0;
	enum sw_err rc;

	if ((rc = sw_store_rects(st, &f, item_cb, &it, eb)))
		return rc;
	if (!it.found)
		return sw_errf(eb, SW_ENOTFOUND, "no rectification item %" PRId64, id);
	if (!status)
		status = it.status;
	for (size_t i = 0; i < 4; i++)
		ok |= !strcmp(status, allowed[i]);
	if (!ok && strcmp(status, it.status))
		return sw_errf_field(eb, SW_EINVAL, "status",
				     "status must be open, in_progress, fixed or verified");
	if (!strcmp(status, "fixed") && !(evidence && *evidence) && !it.evidence[0])
		return sw_errf_field(eb, SW_EINVAL, "evidence",
				     "a fixed item needs evidence of the fix (--evidence)");
	if (!strcmp(status, "verified") && strcmp(it.status, "verified") &&
	    strcmp(it.status, "fixed") && !it.ready)
		return sw_errf_field(eb, SW_EINVAL, "status",
				     "only a fixed item or one ready for verification can be verified");
	if (deadline && (rc = sw_cmp_date_input(deadline, "deadline", d, eb)))
		return rc;
	if (!deadline)
		memcpy(d, it.deadline, sizeof d);
	/* An overdue item someone picks up again stays overdue while its
	 * deadline is past: the tick would only mark it again. */
	sw_cmp_date(now, today);
	if ((!strcmp(status, "open") || !strcmp(status, "in_progress")) && strcmp(d, today) < 0 &&
	    !strcmp(it.status, "overdue"))
		status = "overdue";
	return sw_store_rect_update(st, id, status, owner ? owner : (it.owner[0] ? it.owner : NULL),
				    d, evidence ? evidence : (it.evidence[0] ? it.evidence : NULL),
				    (int)it.ready, now, eb);
}

/* Items of monitoring findings, collected before any is written. */
struct items {
	struct item *v;
	size_t n, cap;
	int oom;
};

static int items_cb(void *arg, const struct sw_cmp_row *r)
{
	struct items *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct item *v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			l->oom = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	item_cb(&l->v[l->n++], r);
	return 0;
}

/* Whether the latest check of the item's site (newer than the item)
 * still has its finding: *still 1 yes, 0 gone, -1 no newer check. */
static enum sw_err finding_still(struct sw_store *st, const struct item *it, int *still,
				 struct sw_errbuf *eb)
{
	struct sw_site_state state;
	struct find_one o = {.kind = it->kind};
	enum sw_err rc = sw_store_site_state_get(st, it->site_id, &state, eb);

	*still = -1;
	if (rc == SW_ENOTFOUND) {
		sw_errbuf_clear(eb);
		return SW_OK;
	}
	if (rc || state.checked_at < it->created || !state.last_check_id)
		return rc;
	if ((rc = sw_store_check_findings(st, state.last_check_id, find_one_cb, &o, eb)))
		return rc;
	*still = o.found;
	return SW_OK;
}

/* Marks or unmarks ready_to_verify on open monitoring items. */
static enum sw_err sync_ready(struct sw_store *st, int64_t now, struct sw_tick_result *res,
			      struct sw_errbuf *eb)
{
	struct sw_rect_filter f = {.open_only = 1};
	struct items l = {0};
	enum sw_err rc = sw_store_rects(st, &f, items_cb, &l, eb);
	int still;

	if (!rc && l.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory listing items");
	for (size_t i = 0; i < l.n && !rc; i++) {
		struct item *it = &l.v[i];

		if (!it->kind[0] || (rc = finding_still(st, it, &still, eb)) || still < 0)
			continue;
		if (still == (int)!it->ready)
			continue; /* no change: present and not ready, or gone and ready */
		rc = sw_store_rect_update(st, it->id, it->status, it->owner[0] ? it->owner : NULL,
					  it->deadline, it->evidence[0] ? it->evidence : NULL,
					  !still, now, eb);
		if (still)
			res->reopened++;
		else
			res->ready++;
	}
	free(l.v);
	return rc;
}

enum sw_err sw_compliance_tick_cb(struct sw_store *st, int64_t now, sw_cmp_row_cb cb, void *arg,
				  struct sw_tick_result *out, struct sw_errbuf *eb)
{
	struct sw_tick_result res = {0};
	char today[11];
	enum sw_err rc;

	sw_cmp_date(now, today);
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sync_ready(st, now, &res, eb);
	if (!rc)
		rc = sw_store_rect_mark_overdue(st, today, now, &res.overdue, eb);
	if (!rc)
		rc = sw_store_rect_escalate(st, now, cb, arg, &res.escalated, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	if ((rc = sw_store_commit(st, eb)))
		return rc;
	if (out)
		*out = res;
	return SW_OK;
}

enum sw_err sw_compliance_tick(struct sw_store *st, int64_t now, struct sw_errbuf *eb)
{
	return sw_compliance_tick_cb(st, now, NULL, NULL, NULL, eb);
}
