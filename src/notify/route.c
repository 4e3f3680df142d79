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
	struct sw_channel *v;
	size_t n;
};

/* Does channel c take events of the site in p->f?  (Severity is decided
 * per item, later.) */
static int wants(const struct picked *p, const struct sw_channel *c)
{
	const struct sw_route_facts *f = p->f;

	if (!c->enabled)
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
		{"incident.overdue", "处置超时"}, {"rectification.overdue", "整改逾期"},
		{"test", "测试消息"},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], ev))
			return map[i][1];
	return ev;
}

/* The canonical event object of what channel-filtered items[] (n) say;
 * "id" is set per channel. */
static json_t *event_json(const struct sw_notify_event *ev, const struct sw_route_facts *f,
			  const struct sw_notify_item *const *items, size_t n, const char *sev,
			  int64_t now)
{
	char ts[32];
	time_t t = (time_t)now;
	struct tm tm;
	json_t *o, *arr = json_array();

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < n; i++) {
		const struct sw_finding_kind *k = sw_finding_kind(items[i]->kind);

		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "change",
						     items[i]->change, "id",
						     (json_int_t)items[i]->alert_id, "kind",
						     items[i]->kind, "label", k ? k->zh : "",
						     "severity", items[i]->severity, "title",
						     items[i]->title ? items[i]->title : ""));
	}
	o = json_pack("{s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:o}", "event", ev->event, "time", ts,
		      "severity", sev, "site", "id", (json_int_t)f->site_id, "name", f->site_name,
		      "url", f->url, "alerts", arr);
	if (o && ev->incident_id)
		json_object_set_new(o, "incident", json_pack("{s:I, s:s, s:s?}", "id",
							    (json_int_t)ev->incident_id, "title",
							    ev->incident_title ? ev->incident_title
									       : ev->title ? ev->title : "",
							    "step", ev->kind));
	if (o && ev->title && !n)
		json_object_set_new(o, "title", json_string(ev->title));
	return o;
}

/* Queues the event for one channel, with the items it takes. */
static enum sw_err queue_one(struct sw_store *st, const struct sw_notify_event *ev,
			     const struct sw_route_facts *f, const struct sw_channel *c, int floor,
			     const char *emails, int64_t now, size_t *queued, struct sw_errbuf *eb)
{
	const struct sw_notify_item **take = NULL;
	int cmin = sw_sev_parse(c->min_severity), worst = -1;
	char key[256], subject[512], *text;
	const struct sw_finding_kind *k = NULL;
	struct sw_notify_msg m;
	size_t n = 0;
	json_t *body;
	enum sw_err rc;
	int64_t id;

	if (cmin < floor)
		cmin = floor;
	if (ev->n_items && !(take = calloc(ev->n_items, sizeof *take)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	for (size_t i = 0; i < ev->n_items; i++) {
		int s = sw_sev_parse(ev->items[i].severity);

		if (ev->force || s >= cmin) {
			take[n++] = &ev->items[i];
			worst = s > worst ? s : worst;
		}
	}
	if (!ev->n_items)
		worst = sw_sev_parse(ev->severity);
	if ((ev->n_items && !n) || (!ev->force && !ev->n_items && worst < cmin)) {
		free(take);
		return SW_OK;
	}
	if (n)
		k = sw_finding_kind(take[0]->kind);
	snprintf(key, sizeof key, "sw-%s-ch%lld", ev->key, (long long)c->id);
	snprintf(subject, sizeof subject, "[sitewarden][%s] %s%s %s%s — %s",
		 sw_sev_zh((enum sw_sev)worst), ev->incident_id && n ? "已立案 " : "",
		 event_zh(ev->event), k ? k->zh : n ? take[0]->kind : ev->title ? ev->title : "",
		 n > 1 ? " 等" : "", f->site_name);
	body = event_json(ev, f, take, n, sw_sev_name((enum sw_sev)worst), now);
	if (!body) {
		free(take);
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	}
	json_object_set_new(body, "id", json_string(key));
	text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	if (!text) {
		free(take);
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	}
	m = (struct sw_notify_msg){.channel_id = c->id, .idem_key = key, .event = ev->event,
				   .alert_id = n == 1 ? take[0]->alert_id : ev->alert_id,
				   .incident_id = ev->incident_id, .site_id = ev->site_id,
				   .severity = sw_sev_name((enum sw_sev)worst), .subject = subject,
				   .body = text, .next_at = now, .created_at = now};
	if (!strcmp(c->scope, "responsible"))
		m.recipients = emails;
	rc = sw_store_notify_enqueue(st, &m, &id, eb);
	free(text);
	free(take);
	if (!rc && id && queued)
		(*queued)++;
	return rc;
}

enum sw_err sw_notify_enqueue(struct sw_store *st, const struct sw_notify_event *ev,
			      int64_t now, size_t *queued, struct sw_errbuf *eb)
{
	struct sw_route_facts f;
	struct sw_policy pol;
	struct picked p = {.f = &f, .pol = &pol};
	struct emails em = {.n = 0};
	enum sw_err rc;
	int floor;

	em.buf[0] = '\0';
	if (!ev->key || !ev->event || (!ev->n_items && sw_sev_parse(ev->severity) < 0))
		return sw_errf(eb, SW_EINVAL, "an event needs a key, a name and a known severity");
	if ((rc = sw_store_route_facts(st, ev->site_id, &f, eb)) ||
	    (rc = sw_reg_policy(st, f.group_id, f.site_id, &pol, eb)))
		return rc;
	/* The site's own floor, under every channel's. */
	floor = sw_sev_parse(pol.v[sw_policy_field("alert_min_severity")]);
	if (!(p.v = calloc(ROUTE_MAX, sizeof *p.v)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	if ((rc = sw_store_channel_list(st, pick, &p, eb)))
		goto out;
	for (size_t i = 0; i < p.n; i++)
		if (!strcmp(p.v[i].scope, "responsible")) {
			rc = sw_store_site_emails(st, f.site_id, add_email, &em, eb);
			break;
		}
	for (size_t i = 0; !rc && i < p.n; i++) {
		if (!strcmp(p.v[i].scope, "responsible") && !em.n)
			continue; /* nobody with an address: the register needs fixing */
		rc = queue_one(st, ev, &f, &p.v[i], floor, em.buf, now, queued, eb);
	}
out:
	free(p.v);
	return rc;
}

/* Queues one site's changes (items[0..n) all of site_id). */
static enum sw_err site_changes(struct sw_store *st, int64_t site_id,
				const struct sw_notify_item *items, size_t n, int64_t check_id,
				int64_t incident_id, int64_t now, size_t *queued,
				struct sw_errbuf *eb)
{
	const char *event = NULL;
	char key[96], ev_name[32], title[256] = "";
	struct sw_notify_event ev;
	int mixed = 0;

	for (size_t i = 0; i < n; i++) {
		mixed |= event && strcmp(event, items[i].change);
		event = items[i].change;
	}
	snprintf(ev_name, sizeof ev_name, "alert.%s", mixed ? "changed" : event);
	if (check_id > 0)
		snprintf(key, sizeof key, "s%lld-c%lld", (long long)site_id, (long long)check_id);
	else /* an event: its first alert and time make it unique */
		snprintf(key, sizeof key, "s%lld-a%lld-t%lld", (long long)site_id,
			 (long long)items[0].alert_id, (long long)now);
	if (incident_id)
		snprintf(title, sizeof title, "%s", items[0].title ? items[0].title : "");
	ev = (struct sw_notify_event){.site_id = site_id, .event = ev_name, .key = key,
				      .incident_id = incident_id, .incident_title = title,
				      .items = items, .n_items = n};
	return sw_notify_enqueue(st, &ev, now, queued, eb);
}

enum sw_err sw_notify_enqueue_changes(struct sw_store *st, const struct sw_alert_changes *ch,
				      int64_t check_id, int64_t incident_id, int64_t now,
				      size_t *queued, struct sw_errbuf *eb)
{
	struct sw_notify_item *items;
	enum sw_err rc = SW_OK;
	size_t i = 0;

	if (!ch->n)
		return SW_OK;
	if (!(items = calloc(ch->n, sizeof *items)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	for (size_t j = 0; j < ch->n; j++)
		items[j] = (struct sw_notify_item){sw_alert_change_name(ch->v[j].change),
						   ch->v[j].alert_id, ch->v[j].kind,
						   ch->v[j].severity, ch->v[j].title};
	/* One check is one site, but a caller may pass several: group runs. */
	while (!rc && i < ch->n) {
		size_t j = i;

		while (j < ch->n && ch->v[j].site_id == ch->v[i].site_id)
			j++;
		rc = site_changes(st, ch->v[i].site_id, items + i, j - i, check_id, incident_id,
				  now, queued, eb);
		i = j;
	}
	free(items);
	return rc;
}
