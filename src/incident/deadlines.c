/*
 * deadlines.c - overdue steps of open incidents, raised once each.
 *
 * Run from the monitoring loop's tick.  The incident_overdue table's
 * primary key makes "once" hold across ticks, restarts and several probe
 * nodes: only the insert that adds the row raises the alert and queues the
 * notification, in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/incident.h"
#include "model/policy.h"
#include "notify/notify.h"
#include "register/register.h"

#define OPEN_MAX 4096 /* open incidents looked at per tick */

/* What the deadline check needs of an open incident, copied. */
struct open_inc {
	int64_t id, site_id, group_id, opened_at;
	int major;
	char title[256];
	unsigned done; /* bit i: step i recorded */
};

struct opens {
	struct open_inc *v;
	size_t n;
};

static int take_open(void *arg, const struct sw_incident_row *r)
{
	struct opens *o = arg;
	struct open_inc *x = &o->v[o->n++];

	memset(x, 0, sizeof *x);
	x->id = r->id;
	x->site_id = r->site_id;
	x->group_id = r->group_id;
	x->opened_at = r->opened_at;
	x->major = r->major;
	snprintf(x->title, sizeof x->title, "%s", r->title);
	return o->n >= OPEN_MAX;
}

static int mark_step(void *arg, const struct sw_incident_step_row *r)
{
	struct open_inc *x = arg;
	size_t n;
	const struct sw_incident_step *s = sw_incident_steps(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].key, r->step))
			x->done |= 1u << i;
	return 0;
}

/* Raises step s of incident x as overdue at now, once. */
static enum sw_err raise(struct sw_store *st, const struct open_inc *x,
			 const struct sw_incident_step *s, int64_t now, int *fresh,
			 struct sw_errbuf *eb)
{
	char fp[80], title[512], key[96];
	struct sw_alert_row a;
	struct sw_notify_event ev;
	int64_t alert_id;
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_incident_overdue(st, x->id, s->key, now, fresh, eb);
	if (!rc && *fresh) {
		snprintf(fp, sizeof fp, "i%lld-%s", (long long)x->id, s->key);
		snprintf(title, sizeof title, "事件 #%lld 未按时限%s (overdue: %s): %s",
			 (long long)x->id, s->zh, s->key, x->title);
		a = (struct sw_alert_row){.site_id = x->site_id, .kind = "incident.overdue",
					  .fingerprint = fp, .severity = "high", .title = title,
					  .state = SW_ALERT_OPEN, .first_seen = now};
		rc = sw_store_alert_insert(st, &a, &alert_id, eb);
		if (!rc)
			rc = sw_store_incident_link(st, x->id, alert_id, eb);
		snprintf(key, sizeof key, "i%lld-overdue-%s", (long long)x->id, s->key);
		ev = (struct sw_notify_event){.site_id = x->site_id, .event = "incident.overdue",
					      .severity = "high", .kind = s->key, .title = title,
					      .key = key, .alert_id = alert_id,
					      .incident_id = x->id, .force = 1};
		if (!rc)
			rc = sw_notify_enqueue(st, &ev, now, NULL, eb);
	}
	if (rc) {
		sw_store_rollback(st);
		*fresh = 0;
		return rc;
	}
	return sw_store_commit(st, eb);
}

/* Checks every deadline of one open incident. */
static enum sw_err check_one(struct sw_store *st, struct open_inc *x, int64_t now,
			     size_t *raised, struct sw_errbuf *eb)
{
	size_t n;
	const struct sw_incident_step *s = sw_incident_steps(&n);
	struct sw_policy pol;
	enum sw_err rc;

	if ((rc = sw_store_incident_steps(st, x->id, mark_step, x, eb)) ||
	    (rc = sw_reg_policy(st, x->group_id, x->site_id, &pol, eb)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		int fresh = 0;
		int64_t due;

		if (!s[i].policy || (x->done & (1u << i)) || (s[i].major_only && !x->major))
			continue;
		due = x->opened_at + (int64_t)sw_policy_int(&pol, s[i].policy) * s[i].policy_scale;
		if (now <= due)
			continue;
		rc = raise(st, x, &s[i], now, &fresh, eb);
		*raised += (size_t)fresh;
	}
	return rc;
}

enum sw_err sw_incident_deadlines(struct sw_store *st, int64_t now, size_t *raised,
				  struct sw_errbuf *eb)
{
	struct opens o = {calloc(OPEN_MAX, sizeof(struct open_inc)), 0};
	size_t local = 0;
	enum sw_err rc;

	if (!raised)
		raised = &local;
	*raised = 0;
	if (!o.v)
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	rc = sw_store_incident_list(st, NULL, "open", 0, OPEN_MAX, 0, take_open, &o, NULL, eb);
	for (size_t i = 0; !rc && i < o.n; i++)
		rc = check_one(st, &o.v[i], now, raised, eb);
	free(o.v);
	return rc;
}
