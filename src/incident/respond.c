/*
 * respond.c - the monitoring loop's entry points into alerts,
 * notifications and incidents.
 */
#include "incident/respond.h"

#include <string.h>

#include "incident/incident.h"

void sw_response_init(struct sw_response *r)
{
	memset(r, 0, sizeof *r);
	sw_alert_changes_init(&r->changes);
}

void sw_response_cleanup(struct sw_response *r)
{
	sw_alert_changes_cleanup(&r->changes);
	sw_response_init(r);
}

unsigned sw_response_coverage(long status, int analysed, int exposure)
{
	return (status > 0 ? SW_ALERT_COVER_REACHED : 0u) |
	       (analysed ? SW_ALERT_COVER_CONTENT : 0u) | (exposure ? SW_ALERT_COVER_EXPOSURE : 0u);
}

enum sw_err sw_response_on_check(struct sw_store *st, const struct sw_alert_check *c,
				 const struct sw_check_finding *f, size_t n, int64_t now,
				 struct sw_response *out, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_alert_ingest(st, c, f, n, &out->changes, eb);
	if (!rc)
		rc = sw_incident_auto(st, &out->changes, now, out->opened, SW_RESPONSE_OPENED_MAX,
				      &out->n_opened, eb);
	/* One message per channel for the whole check, the incident it opened
	 * included: people get one notice per event, not one per finding. */
	if (!rc)
		rc = sw_notify_enqueue_changes(st, &out->changes, c->check_id,
					       out->n_opened ? out->opened[0] : 0, now,
					       &out->queued, eb);
	if (rc) {
		sw_store_rollback(st);
		sw_alert_changes_cleanup(&out->changes);
		out->n_opened = out->queued = 0;
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_response_on_event(struct sw_store *st, int64_t site_id,
				 const struct sw_check_finding *f, int64_t now,
				 struct sw_response *out, struct sw_errbuf *eb)
{
	struct sw_route_facts facts;
	size_t mark = out->changes.n;
	enum sw_err rc;

	if ((rc = sw_store_route_facts(st, site_id, &facts, eb)) || (rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_alert_ingest_event(st, site_id, facts.group_id, now, f, &out->changes, eb);
	/* Only what this event changed (out may carry earlier events'). */
	if (!rc) {
		struct sw_alert_changes mine = {out->changes.v + mark, out->changes.n - mark, 0, 0};
		size_t opened = 0;

		rc = sw_incident_auto(st, &mine, now, out->opened + out->n_opened,
				      SW_RESPONSE_OPENED_MAX - out->n_opened, &opened, eb);
		if (!rc)
			rc = sw_notify_enqueue_changes(st, &mine, 0,
						       opened ? out->opened[out->n_opened] : 0, now,
						       &out->queued, eb);
		out->n_opened += opened;
	}
	if (rc) {
		sw_store_rollback(st);
		out->changes.n = mark;
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_response_on_tick(struct sw_store *st, int64_t now, size_t *raised,
				struct sw_notify_stats *stats, struct sw_errbuf *eb)
{
	enum sw_err rc = sw_incident_deadlines(st, now, raised, eb);

	/* Deadlines first, so an overdue step's message goes in this pump. */
	if (!rc)
		rc = sw_notify_pump_all(st, now, 0, stats, eb);
	return rc;
}
