/*
 * json.c - JSON of the response records (see json.h).
 */
#include "alert/json.h"

#include "model/finding.h"

/* An integer, or null for 0 (ids and times that are not set). */
static json_t *opt_int(int64_t v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

json_t *sw_alert_json(const struct sw_alert_row *a)
{
	const struct sw_finding_kind *k = sw_finding_kind(a->kind);
	json_t *ev = a->evidence ? json_loads(a->evidence, 0, NULL) : NULL;

	return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:I, "
			 "s:o, s:o, s:I, s:s?, s:s?, s:o}",
			 "id", (json_int_t)a->id, "site_id", (json_int_t)a->site_id, "site_name",
			 a->site_name, "kind", a->kind, "label", k ? k->zh : a->kind, "fingerprint",
			 a->fingerprint, "severity", a->severity, "title", a->title, "evidence",
			 ev ? ev : json_null(), "state", a->state, "count", (json_int_t)a->count,
			 "first_seen", (json_int_t)a->first_seen, "last_seen",
			 (json_int_t)a->last_seen, "first_check_id", opt_int(a->first_check_id),
			 "last_check_id", opt_int(a->last_check_id), "state_at",
			 (json_int_t)a->state_at, "state_by", a->state_by, "note", a->note,
			 "suppressed_until", opt_int(a->suppressed_until));
}

json_t *sw_silence_json(const struct sw_silence_row *r)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s?, s:I, s:o, s:s?, s:s?, s:I}", "id",
			 (json_int_t)r->id, "scope", r->scope, "scope_id", (json_int_t)r->scope_id,
			 "what", r->what, "family", r->family, "starts_at", (json_int_t)r->starts_at,
			 "ends_at", opt_int(r->ends_at), "reason", r->reason, "created_by",
			 r->created_by, "created_at", (json_int_t)r->created_at);
}

json_t *sw_incident_json(const struct sw_incident_row *r)
{
	return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:b, s:s, s:s, s:I, s:s?, s:o, s:s?, s:s?, "
			 "s:s?}",
			 "id", (json_int_t)r->id, "site_id", (json_int_t)r->site_id, "site_name",
			 r->site_name, "title", r->title, "severity", r->severity, "major", r->major,
			 "state", r->state, "source", r->source, "opened_at",
			 (json_int_t)r->opened_at, "opened_by", r->opened_by, "closed_at",
			 opt_int(r->closed_at), "cause", r->cause, "fix", r->fix, "accountability",
			 r->accountability);
}

json_t *sw_incident_step_json(const struct sw_incident_step_row *r)
{
	return json_pack("{s:I, s:s, s:I, s:s?, s:s?}", "id", (json_int_t)r->id, "step", r->step,
			 "at", (json_int_t)r->at, "actor", r->actor, "note", r->note);
}

json_t *sw_channel_json(const struct sw_channel *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:s, s:I, s:b, s:I}", "id",
			 (json_int_t)c->id, "name", c->name, "kind", c->kind, "url", c->url,
			 "secret", c->secret[0] != '\0', "to", c->recipients, "from", c->sender,
			 "scope", c->scope, "scope_id", opt_int(c->scope_id), "min_severity",
			 c->min_severity, "digest_after", (json_int_t)c->digest_after, "enabled",
			 c->enabled, "created_at", (json_int_t)c->created_at);
}

json_t *sw_notify_msg_json(const struct sw_notify_msg *m)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:I, s:I, s:I, s:o, "
			 "s:s?, s:o}",
			 "id", (json_int_t)m->id, "channel_id", (json_int_t)m->channel_id,
			 "idempotency_key", m->idem_key, "event", m->event, "alert_id",
			 opt_int(m->alert_id), "incident_id", opt_int(m->incident_id), "site_id",
			 opt_int(m->site_id), "severity", m->severity, "subject", m->subject,
			 "state", m->state, "attempts", (json_int_t)m->attempts, "next_at",
			 (json_int_t)m->next_at, "created_at", (json_int_t)m->created_at, "sent_at",
			 opt_int(m->sent_at), "last_error", m->last_error, "digest_id",
			 opt_int(m->digest_id));
}

json_t *sw_plan_json(const struct sw_plan_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:I}", "id", (json_int_t)r->id, "name",
			 r->name, "scope", r->scope, "scope_id", opt_int(r->scope_id), "body",
			 r->body, "created_at", (json_int_t)r->created_at, "updated_at",
			 (json_int_t)r->updated_at);
}

json_t *sw_drill_json(const struct sw_drill_row *r)
{
	return json_pack("{s:I, s:o, s:s?, s:s, s:s, s:s, s:s?, s:I}", "id", (json_int_t)r->id,
			 "plan_id", opt_int(r->plan_id), "plan", r->plan_name, "held_on", r->held_on,
			 "scenario", r->scenario, "result", r->result, "note", r->note, "created_at",
			 (json_int_t)r->created_at);
}
