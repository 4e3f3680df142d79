/*
 * incident.c - opening, stepping and closing incidents.
 *
 * Automatic incidents follow the plan's list of what counts as a security
 * incident for a government site: defacement, trojans, dark links and
 * tampering on the host (the agent's family).  One open incident per site
 * gathers them: a defaced page and the dark link planted with it are one
 * intrusion to report, not two.
 */
#include <stdio.h>
#include <string.h>

#include "incident/incident.h"
#include "model/finding.h"
#include "model/policy.h"
#include "notify/notify.h"
#include "register/register.h"

static const struct sw_incident_step steps[] = {
	{"reported_dept", "上报主管部门", "incident_report_minutes", 60, 0},
	{"plan_started", "启动应急预案", "incident_plan_minutes", 60, 0},
	{"reported_psb", "报告备案公安机关", "incident_report_minutes", 60, 0},
	{"recovered", "恢复", "incident_recover_minutes", 60, 0},
	{"escalated_cac", "上报网信部门", "incident_report_minutes", 60, 1},
	{"closed", "结案(原因、整改、责任倒查)", "incident_close_days", 86400, 0},
};

#define NSTEPS (sizeof steps / sizeof steps[0])

const struct sw_incident_step *sw_incident_steps(size_t *n)
{
	*n = NSTEPS;
	return steps;
}

const struct sw_incident_step *sw_incident_step_find(const char *key)
{
	for (size_t i = 0; key && i < NSTEPS; i++)
		if (!strcmp(steps[i].key, key))
			return &steps[i];
	return NULL;
}

int sw_incident_family_auto(const char *kind)
{
	static const char *const fams[] = {"defacement.", "trojan.", "darklink.", "agent."};

	for (size_t i = 0; kind && i < sizeof fams / sizeof fams[0]; i++)
		if (!strncmp(kind, fams[i], strlen(fams[i])))
			return 1;
	return 0;
}

/* Queues the "incident.opened" notification of incident id. */
static enum sw_err notify_opened(struct sw_store *st, int64_t id, int64_t site_id,
				 const char *title, const char *severity, int64_t now,
				 struct sw_errbuf *eb)
{
	char key[64];
	struct sw_notify_event ev;

	snprintf(key, sizeof key, "i%lld-opened", (long long)id);
	ev = (struct sw_notify_event){.site_id = site_id, .event = "incident.opened",
				      .severity = severity, .title = title, .key = key,
				      .incident_id = id};
	return sw_notify_enqueue(st, &ev, now, NULL, eb);
}

enum sw_err sw_incident_open(struct sw_store *st, int64_t site_id, const char *title,
			     const char *severity, int major, const char *by,
			     const int64_t *alert_ids, size_t n_alerts, int64_t now, int64_t *id,
			     struct sw_errbuf *eb)
{
	struct sw_incident_row r = {.site_id = site_id, .title = title, .severity = severity,
				    .major = major, .source = "manual", .opened_at = now,
				    .opened_by = by};
	enum sw_err rc;

	*id = 0;
	if (!title || !*title)
		return sw_errf_field(eb, SW_EINVAL, "title", "an incident needs a title");
	if (sw_sev_parse(severity) < 0)
		return sw_errf_field(eb, SW_EINVAL, "severity", "unknown severity '%s'",
				     severity ? severity : "");
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_incident_add(st, &r, id, eb);
	for (size_t i = 0; !rc && i < n_alerts; i++)
		rc = sw_store_incident_link(st, *id, alert_ids[i], eb);
	if (!rc)
		rc = notify_opened(st, *id, site_id, title, severity, now, eb);
	if (rc) {
		sw_store_rollback(st);
		*id = 0;
		return rc;
	}
	return sw_store_commit(st, eb);
}

/* Copies what step and close need of an incident. */
struct facts {
	int64_t site_id;
	int open;
};

static int get_facts(void *arg, const struct sw_incident_row *r)
{
	struct facts *f = arg;

	f->site_id = r->site_id;
	f->open = !strcmp(r->state, "open");
	return 1;
}

/* Resolves the overdue alert of (incident id, step) if one was raised. */
static enum sw_err settle_overdue(struct sw_store *st, int64_t id, int64_t site_id,
				  const char *step, const char *actor, int64_t now,
				  struct sw_errbuf *eb)
{
	struct sw_alert_brief b;
	char fp[80];
	enum sw_err rc;

	snprintf(fp, sizeof fp, "i%lld-%s", (long long)id, step);
	rc = sw_store_alert_lookup(st, site_id, "incident.overdue", fp, &b, eb);
	if (rc == SW_ENOTFOUND)
		return SW_OK;
	if (rc || !strcmp(b.state, SW_ALERT_RESOLVED))
		return rc;
	return sw_store_alert_set_state(st, b.id, SW_ALERT_RESOLVED, now, actor,
					"step recorded", 0, eb);
}

enum sw_err sw_incident_step(struct sw_store *st, int64_t id, const char *step,
			     const char *actor, const char *note, int64_t now,
			     struct sw_errbuf *eb)
{
	const struct sw_incident_step *s = sw_incident_step_find(step);
	struct sw_incident_step_row r = {.incident_id = id, .step = step, .at = now,
					 .actor = actor, .note = note};
	struct facts f = {0};
	enum sw_err rc;

	if (!s || !strcmp(step, "closed"))
		return sw_errf_field(eb, SW_EINVAL, "step", "step is reported_dept, plan_started, "
				     "reported_psb, recovered or escalated_cac (close with close)");
	if ((rc = sw_store_incident_get(st, id, get_facts, &f, eb)))
		return rc;
	if (!f.open)
		return sw_errf(eb, SW_EINVAL, "incident %lld is closed", (long long)id);
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_incident_step_add(st, &r, eb);
	if (!rc && s->major_only)
		rc = sw_store_incident_set_major(st, id, eb);
	if (!rc)
		rc = settle_overdue(st, id, f.site_id, step, actor, now, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_incident_close(struct sw_store *st, int64_t id, const char *cause,
			      const char *fix, const char *accountability, const char *actor,
			      int64_t now, struct sw_errbuf *eb)
{
	struct sw_incident_step_row r = {.incident_id = id, .step = "closed", .at = now,
					 .actor = actor, .note = cause};
	struct facts f = {0};
	enum sw_err rc;

	if (!cause || !*cause)
		return sw_errf_field(eb, SW_EINVAL, "cause", "closing needs the cause");
	if (!fix || !*fix)
		return sw_errf_field(eb, SW_EINVAL, "fix", "closing needs the fix");
	if (!accountability || !*accountability)
		return sw_errf_field(eb, SW_EINVAL, "accountability",
				     "closing needs the accountability (责任倒查)");
	if ((rc = sw_store_incident_get(st, id, get_facts, &f, eb)))
		return rc;
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_incident_close(st, id, now, cause, fix, accountability, eb);
	if (!rc)
		rc = sw_store_incident_step_add(st, &r, eb);
	if (!rc)
		rc = settle_overdue(st, id, f.site_id, "closed", actor, now, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

/* The site's incident_min_severity. */
static enum sw_err min_sev(struct sw_store *st, int64_t site_id, int *sev,
			   struct sw_errbuf *eb)
{
	struct sw_route_facts f;
	struct sw_policy pol;
	enum sw_err rc;

	if ((rc = sw_store_route_facts(st, site_id, &f, eb)) ||
	    (rc = sw_reg_policy(st, f.group_id, site_id, &pol, eb)))
		return rc;
	*sev = sw_sev_parse(pol.v[sw_policy_field("incident_min_severity")]);
	return SW_OK;
}

/* One change: joins the site's open incident or opens one. */
static enum sw_err auto_one(struct sw_store *st, const struct sw_alert_change *x, int64_t now,
			    int64_t *opened, size_t cap, size_t *n_opened, struct sw_errbuf *eb)
{
	const struct sw_finding_kind *k = sw_finding_kind(x->kind);
	char title[512];
	int64_t id = 0;
	int floor = SW_SEV_HIGH;
	enum sw_err rc;

	if (x->change == SW_ALERT_CH_RESOLVED || !sw_incident_family_auto(x->kind))
		return SW_OK;
	if ((rc = min_sev(st, x->site_id, &floor, eb)))
		return rc;
	if (sw_sev_parse(x->severity) < floor)
		return SW_OK;
	rc = sw_store_incident_open_of_site(st, x->site_id, &id, eb);
	if (rc == SW_ENOTFOUND) {
		struct sw_incident_row r = {.site_id = x->site_id, .title = title,
					    .severity = x->severity, .source = "auto",
					    .opened_at = now, .opened_by = "sitewarden"};

		snprintf(title, sizeof title, "%s: %s", k ? k->zh : x->kind, x->title);
		/* Its notification goes with the check's alert changes. */
		if ((rc = sw_store_incident_add(st, &r, &id, eb)))
			return rc;
		if (*n_opened < cap)
			opened[(*n_opened)++] = id;
	} else if (rc) {
		return rc;
	}
	return sw_store_incident_link(st, id, x->alert_id, eb);
}

enum sw_err sw_incident_auto(struct sw_store *st, const struct sw_alert_changes *ch,
			     int64_t now, int64_t *opened, size_t cap, size_t *n_opened,
			     struct sw_errbuf *eb)
{
	enum sw_err rc;

	*n_opened = 0;
	if (!ch->n)
		return SW_OK;
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	for (size_t i = 0; !rc && i < ch->n; i++)
		rc = auto_one(st, &ch->v[i], now, opened, cap, n_opened, eb);
	if (rc) {
		sw_store_rollback(st);
		*n_opened = 0;
		return rc;
	}
	return sw_store_commit(st, eb);
}
