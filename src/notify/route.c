/*
 * route.c - which channels hear of a site's event, and the messages queued
 * for them.
 *
 * Called inside the transaction that changed the alert or incident, so a
 * message is queued exactly when its cause is stored.  The idempotency key
 * is the event's own key plus the channel, so enqueueing the same cause
 * twice (a retried tick) queues nothing new.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/finding.h"
#include "model/policy.h"
#include "notify/notify.h"
#include "register/register.h"

#define ROUTE_MAX 256 /* channels one event may reach */

/* Channels an event goes to, copied out of the walk. */
struct picked {
	const struct sw_route_facts *f;
	const struct sw_policy *pol;
	int sev;
	int force;
	struct sw_channel *v;
	size_t n;
};

/* Does channel c take an event of the site in p->f? */
static int wants(const struct picked *p, const struct sw_channel *c)
{
	const struct sw_route_facts *f = p->f;

	if (!c->enabled || (!p->force && p->sev < sw_sev_parse(c->min_severity)))
		return 0;
	if (!strcmp(c->scope, "site"))
		return c->scope_id == f->site_id;
	if (!strcmp(c->scope, "responsible"))
		return sw_policy_has(p->pol, "alert_routing", "responsible");
	if (!strcmp(c->scope, "dept"))
		return sw_policy_has(p->pol, "alert_routing", "department") &&
		       (c->scope_id == f->dept_id || c->scope_id == f->group_dept_id);
	if (!strcmp(c->scope, "group"))
		return sw_policy_has(p->pol, "alert_routing", "group") && f->group_id > 0 &&
		       c->scope_id == f->group_id;
	if (!strcmp(c->scope, "all"))
		return sw_policy_has(p->pol, "alert_routing", "supervisor");
	return 0;
}

static int pick(void *arg, const struct sw_channel *c)
{
	struct picked *p = arg;

	if (wants(p, c) && p->n < ROUTE_MAX)
		p->v[p->n++] = *c;
	return 0;
}

/* Collects the responsible persons' addresses, comma-separated. */
struct emails {
	char buf[1024];
	size_t n;
};

static int add_email(void *arg, const char *email)
{
	struct emails *e = arg;
	int w = snprintf(e->buf + e->n, sizeof e->buf - e->n, "%s%s", e->n ? "," : "", email);

	if (w < 0 || (size_t)w >= sizeof e->buf - e->n)
		return 1; /* full: the first ones are told */
	e->n += (size_t)w;
	return 0;
}

/* Chinese and English name of an event, for subjects. */
static const char *event_zh(const char *ev)
{
	static const char *const map[][2] = {
		{"alert.new", "新告警"},         {"alert.reopened", "告警复现"},
		{"alert.resolved", "告警已恢复"}, {"incident.opened", "安全事件已立案"},
		{"incident.overdue", "处置超时"}, {"test", "测试消息"},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], ev))
			return map[i][1];
	return ev;
}

/* The canonical event object (without "id", set per channel). */
static json_t *event_json(const struct sw_notify_event *ev, const struct sw_route_facts *f,
			  int64_t now)
{
	const struct sw_finding_kind *k = ev->kind ? sw_finding_kind(ev->kind) : NULL;
	char ts[32];
	time_t t = (time_t)now;
	struct tm tm;
	json_t *o;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:s, s:s, s:s, s:{s:I, s:s, s:s}}", "event", ev->event, "time", ts,
		      "severity", ev->severity, "site", "id", (json_int_t)f->site_id, "name",
		      f->site_name, "url", f->url);
	if (o && ev->alert_id)
		json_object_set_new(o, "alert", json_pack("{s:I, s:s?, s:s, s:s}", "id",
							 (json_int_t)ev->alert_id, "kind", ev->kind,
							 "label", k ? k->zh : "", "title",
							 ev->title ? ev->title : ""));
	if (o && ev->incident_id)
		json_object_set_new(o, "incident", json_pack("{s:I, s:s, s:s?}", "id",
							    (json_int_t)ev->incident_id, "title",
							    ev->title ? ev->title : "", "step",
							    ev->kind));
	return o;
}

/* Queues the event for one channel. */
static enum sw_err queue_one(struct sw_store *st, const struct sw_notify_event *ev,
			     const struct sw_channel *c, json_t *body, const char *subject,
			     const char *emails, int64_t now, size_t *queued, struct sw_errbuf *eb)
{
	char key[256], *text;
	struct sw_notify_msg m;
	enum sw_err rc;
	int64_t id;

	snprintf(key, sizeof key, "sw-%s-ch%lld", ev->key, (long long)c->id);
	json_object_set_new(body, "id", json_string(key));
	if (!(text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	m = (struct sw_notify_msg){.channel_id = c->id, .idem_key = key, .event = ev->event,
				   .alert_id = ev->alert_id, .incident_id = ev->incident_id,
				   .site_id = ev->site_id, .severity = ev->severity,
				   .subject = subject, .body = text, .next_at = now,
				   .created_at = now};
	if (!strcmp(c->scope, "responsible"))
		m.recipients = emails;
	rc = sw_store_notify_enqueue(st, &m, &id, eb);
	free(text);
	if (!rc && id && queued)
		(*queued)++;
	return rc;
}

enum sw_err sw_notify_enqueue(struct sw_store *st, const struct sw_notify_event *ev,
			      int64_t now, size_t *queued, struct sw_errbuf *eb)
{
	struct sw_route_facts f;
	struct sw_policy pol;
	struct picked p = {.f = &f, .pol = &pol, .force = ev->force};
	struct emails em = {.n = 0};
	const struct sw_finding_kind *k = ev->kind ? sw_finding_kind(ev->kind) : NULL;
	char subject[512];
	json_t *body = NULL;
	enum sw_err rc;
	int sev = sw_sev_parse(ev->severity);

	em.buf[0] = '\0';
	if (sev < 0 || !ev->key || !ev->event)
		return sw_errf(eb, SW_EINVAL, "an event needs a key, a name and a known severity");
	if ((rc = sw_store_route_facts(st, ev->site_id, &f, eb)) ||
	    (rc = sw_reg_policy(st, f.group_id, f.site_id, &pol, eb)))
		return rc;
	/* The site's own floor; resolutions follow the alert they end. */
	if (!ev->force && sev < sw_sev_parse(pol.v[sw_policy_field("alert_min_severity")]))
		return SW_OK;
	p.sev = sev;
	if (!(p.v = calloc(ROUTE_MAX, sizeof *p.v)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	if ((rc = sw_store_channel_list(st, pick, &p, eb)))
		goto out;
	for (size_t i = 0; i < p.n; i++)
		if (!strcmp(p.v[i].scope, "responsible")) {
			rc = sw_store_site_emails(st, f.site_id, add_email, &em, eb);
			break;
		}
	snprintf(subject, sizeof subject, "[sitewarden][%s] %s %s — %s",
		 sw_sev_zh((enum sw_sev)sev), event_zh(ev->event),
		 k ? k->zh : ev->title ? ev->title : "", f.site_name);
	if (!rc && !(body = event_json(ev, &f, now)))
		rc = sw_errf(eb, SW_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < p.n; i++) {
		if (!strcmp(p.v[i].scope, "responsible") && !em.n)
			continue; /* nobody with an address: the register needs fixing */
		rc = queue_one(st, ev, &p.v[i], body, subject, em.buf, now, queued, eb);
	}
out:
	json_decref(body);
	free(p.v);
	return rc;
}

enum sw_err sw_notify_enqueue_changes(struct sw_store *st, const struct sw_alert_changes *ch,
				      int64_t check_id, int64_t now, size_t *queued,
				      struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	for (size_t i = 0; !rc && i < ch->n; i++) {
		const struct sw_alert_change *x = &ch->v[i];
		char key[96], event[32];
		struct sw_notify_event ev;

		snprintf(event, sizeof event, "alert.%s", sw_alert_change_name(x->change));
		snprintf(key, sizeof key, "a%lld-%s-c%lld", (long long)x->alert_id,
			 sw_alert_change_name(x->change), (long long)check_id);
		ev = (struct sw_notify_event){.site_id = x->site_id, .event = event,
					      .severity = x->severity, .kind = x->kind,
					      .title = x->title, .key = key,
					      .alert_id = x->alert_id};
		rc = sw_notify_enqueue(st, &ev, now, queued, eb);
	}
	return rc;
}
