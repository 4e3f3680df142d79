/*
 * api_agent.c - the server side of the agent event protocol (docs/agent.md,
 * "Event protocol") and GET /api/agents.
 *
 * The server has identified the agent before a handler runs (auth.h:
 * X-Sitewarden-Agent with its token or HMAC signature), so rq->user is the
 * agent with its site.  A batch is checked whole before anything is
 * stored (a bad event refuses the batch, 400, and nothing changes), then
 * stored in one transaction: every new (agent, seq) once, its findings
 * beside it, and the acknowledged sequence moved over what is now held
 * contiguously.  The envelope and events may carry fields this server does
 * not know: agents are upgraded separately, and an event is stored as
 * received.
 */
#include "server/api_agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident/respond.h"
#include "server/api_json.h"
#include "server/api_register.h"
#include "server/server_int.h"
#include "store/agent.h"

/* Largest batch taken (the agent sends at most 500 events, docs/agent.md). */
#define MAX_BATCH 1000
/* Sequences are positive and below 2^53 (exact in JSON doubles too). */
#define MAX_SEQ (INT64_C(1) << 53)

/* String member k of ev, or "". */
static const char *str(const json_t *ev, const char *k)
{
	const char *s = json_string_value(json_object_get(ev, k));
	return s ? s : "";
}

/* An attack event (docs/agent.md, anti-attack kinds): finding
 * attack.<attack> with the event's severity, one per source, kind and
 * window as the agent aggregated them.  Unknown attack kinds make none. */
static enum sw_err attack_finding(const json_t *ev, const char *evidence, struct sw_findings *out)
{
	char key[48];
	const struct sw_finding_kind *k;
	int sev = sw_sev_parse(str(ev, "severity"));
	json_t *succ = json_object_get(ev, "succeeded");

	snprintf(key, sizeof key, "attack.%.32s", str(ev, "attack"));
	if (!strcmp(key, "attack.block") || !(k = sw_finding_kind(key)))
		return SW_OK;
	return sw_findings_add(out, key, sev >= 0 ? (enum sw_sev)sev : k->sev, evidence,
			       "%.32s from %.64s on %.100s: %lld request(s)%s", str(ev, "attack"),
			       str(ev, "source"), *str(ev, "site") ? str(ev, "site") : "the site",
			       (long long)json_integer_value(json_object_get(ev, "count")),
			       json_integer_value(succ) > 0 ? ", some answered 2xx" : "");
}

enum sw_err sw_agent_event_findings(const json_t *ev, struct sw_findings *out)
{
	const char *kind = str(ev, "kind"), *action = str(ev, "action");
	char *evidence;
	enum sw_err rc = SW_OK;

	/* The kinds that are findings; everything else (start, stop,
	 * reconcile, publish, pause, resume, unblock: a block's end) is only
	 * stored. */
	if (strcmp(kind, "tamper") && strcmp(kind, "webshell") && strcmp(kind, "store_corrupt") &&
	    strcmp(kind, "attack") && strcmp(kind, "block"))
		return SW_OK;
	if (!(evidence = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		return SW_ENOMEM;
	if (!strcmp(kind, "tamper")) {
		/* A change the agent could not undo is worse than one it undid. */
		rc = sw_findings_add(out, "agent.tamper",
				     !strcmp(action, "restored") || !strcmp(action, "removed")
					     ? SW_SEV_HIGH
					     : SW_SEV_CRITICAL,
				     evidence, "file %.200s %.20s under %.200s (%.20s)", str(ev, "path"),
				     str(ev, "change"), str(ev, "root"), *action ? action : "no action");
	} else if (!strcmp(kind, "webshell")) {
		rc = sw_findings_add(out, "agent.webshell", SW_SEV_CRITICAL, evidence,
				     "webshell %.200s under %.200s", str(ev, "path"), str(ev, "root"));
	} else if (!strcmp(kind, "store_corrupt")) {
		rc = sw_findings_add(out, "agent.store_corrupt", SW_SEV_HIGH, evidence,
				     "the agent's backup store is damaged (%.200s)", str(ev, "root"));
	} else if (!strcmp(kind, "attack")) {
		rc = attack_finding(ev, evidence, out);
	} else {
		/* A block that failed leaves the attacker in: worth a look. */
		int failed = !strcmp(action, "failed");
		rc = sw_findings_add(out, "attack.block", failed ? SW_SEV_MEDIUM : SW_SEV_INFO,
				     evidence, "%s %.64s (%.32s)", failed ? "could not block" : "blocked",
				     str(ev, "source"), str(ev, "reason"));
	}
	free(evidence);
	return rc;
}

/* Checks one event of the batch; returns 0 or fills a 400. */
static int check_event(struct sw_req *rq, struct sw_resp *rs, json_t *ev, size_t i)
{
	json_t *seq = json_object_get(ev, "seq"), *t = json_object_get(ev, "time");

	if (!json_is_object(ev))
		return sw_resp_error(rs, 400, "events", "event %zu is not an object", i), -1;
	if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    json_integer_value(seq) >= MAX_SEQ)
		return sw_resp_error(rs, 400, "seq", "event %zu: seq must be a positive integer", i),
		       -1;
	if (!json_is_string(json_object_get(ev, "kind")) || !*str(ev, "kind") ||
	    strlen(str(ev, "kind")) > 32)
		return sw_resp_error(rs, 400, "kind", "event %zu: kind must be a short string", i), -1;
	if (strcmp(str(ev, "agent"), rq->user->name))
		return sw_resp_error(rs, 400, "agent", "event %zu is not this agent's", i), -1;
	if (t && (!json_is_string(t) || strlen(json_string_value(t)) > 40))
		return sw_resp_error(rs, 400, "time", "event %zu: time must be a short string", i),
		       -1;
	return 0;
}

/* Stores the findings of ev for the agent's site. */
static enum sw_err store_findings(struct sw_req *rq, const json_t *ev, int64_t seq, int64_t now,
				  struct sw_errbuf *eb)
{
	struct sw_findings fs;
	enum sw_err rc;

	struct sw_response resp;

	sw_findings_init(&fs);
	sw_response_init(&resp);
	rc = sw_agent_event_findings(ev, &fs);
	for (size_t i = 0; !rc && i < fs.n; i++) {
		struct sw_agent_finding_row f = {
			.agent_id = rq->user->id, .site_id = rq->user->site_id, .seq = seq,
			.created_at = now, .kind = fs.v[i].kind->key,
			.severity = sw_sev_name(fs.v[i].sev), .title = fs.v[i].title,
			.evidence = fs.v[i].evidence};
		struct sw_check_finding cf = {f.kind, f.severity, f.title, f.evidence, NULL};

		rc = sw_store_agent_finding_add(rq->st, &f, eb);
		/* The alert, its incident and notifications (src/incident/respond.h). */
		if (!rc && f.site_id > 0)
			rc = sw_response_on_event(rq->st, f.site_id, &cf, now, &resp, eb);
	}
	sw_response_cleanup(&resp);
	sw_findings_cleanup(&fs);
	return rc;
}

/* Stores the (checked) batch in one transaction; *ack, counts out. */
static enum sw_err store_batch(struct sw_req *rq, json_t *evs, int64_t first, int64_t *ack,
			       long *added, long *dups, struct sw_errbuf *eb)
{
	int64_t now = (int64_t)time(NULL);
	enum sw_err rc;
	size_t i;
	json_t *ev;

	if ((rc = sw_store_begin(rq->st, eb)))
		return rc;
	json_array_foreach(evs, i, ev) {
		int64_t seq = json_integer_value(json_object_get(ev, "seq"));
		char *body = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
		const char *t = json_string_value(json_object_get(ev, "time"));
		int new_one = 0;

		rc = body ? sw_store_agent_event_put(rq->st, rq->user->id, seq, str(ev, "kind"), t,
						     now, body, &new_one, eb)
			  : SW_ENOMEM;
		free(body);
		if (!rc && new_one)
			rc = store_findings(rq, ev, seq, now, eb);
		if (rc)
			break;
		*added += new_one;
		*dups += !new_one;
	}
	if (!rc)
		rc = sw_store_agent_ack(rq->st, rq->user->id, first, ack, eb);
	if (!rc)
		rc = sw_store_commit(rq->st, eb);
	else
		sw_store_rollback(rq->st);
	return rc;
}

static int events(struct sw_req *rq, struct sw_resp *rs)
{
	json_t *evs = json_object_get(rq->json, "events"), *ev;
	struct sw_errbuf eb;
	int64_t first = INT64_MAX, ack = 0;
	long added = 0, dups = 0;
	enum sw_err rc;
	size_t i;

	if (!json_is_object(rq->json))
		return sw_resp_error(rs, 400, NULL, "the body must be a JSON object");
	if (strcmp(str(rq->json, "agent"), rq->user->name))
		return sw_resp_error(rs, 400, "agent", "the batch is not this agent's");
	if (!json_is_array(evs) || json_array_size(evs) > MAX_BATCH)
		return sw_resp_error(rs, 400, "events", "events must be an array of at most %d",
				     MAX_BATCH);
	json_array_foreach(evs, i, ev) {
		if (check_event(rq, rs, ev, i))
			return 0;
		if (json_integer_value(json_object_get(ev, "seq")) < first)
			first = json_integer_value(json_object_get(ev, "seq"));
	}
	sw_errbuf_clear(&eb);
	if ((rc = store_batch(rq, evs, first == INT64_MAX ? 1 : first, &ack, &added, &dups, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:I, s:I, s:I}", "ack", (json_int_t)ack,
					       "accepted", (json_int_t)added, "duplicates",
					       (json_int_t)dups));
}

static int heartbeat(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	if (!json_is_object(rq->json))
		return sw_resp_error(rs, 400, NULL, "the body must be a JSON object");
	if (strcmp(str(rq->json, "agent"), rq->user->name))
		return sw_resp_error(rs, 400, "agent", "the heartbeat is not this agent's");
	if (rq->body_len > 64 * 1024)
		return sw_resp_error(rs, 400, NULL, "a heartbeat is under 64 KiB");
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_agent_heartbeat(rq->st, rq->user->id, (int64_t)time(NULL), rq->body,
					   &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_object());
}

/* Unix seconds as ISO 8601 UTC, or JSON null for 0. */
static json_t *iso(int64_t t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t)
		return json_null();
	gmtime_r(&tt, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(b);
}

/* 1 when agent a is silent at now (or already marked so). */
static int is_silent(const struct sw_agent_row *a, int64_t now)
{
	int64_t iv = a->hb_interval > 0 ? a->hb_interval : SW_AGENT_HB_DEFAULT;

	return a->silent_since || (a->last_hb && now - a->last_hb > SW_AGENT_MISSED * iv + 5);
}

struct list_ctx {
	json_t *items;
	int64_t now;
	int64_t limit, offset, seen; /* the page asked for; rows walked */
};

/* A finding of an agent as the API shows it. */
static int finding_json(void *arg, const struct sw_agent_finding_row *f)
{
	json_t *ev = f->evidence ? json_loads(f->evidence, 0, NULL) : NULL;
	const char *dot = strchr(f->kind ? f->kind : "", '.');

	json_array_append_new(
		arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)f->id,
			       "kind", "agent", "check", dot ? dot + 1 : "", "severity",
			       f->severity ? f->severity : "", "title", f->title ? f->title : "",
			       "seq", (json_int_t)f->seq, "created_at", iso(f->created_at),
			       "evidence", ev ? ev : json_null()));
	return 0;
}

/* How many recent findings of each agent the list shows. */
#define LIST_FINDINGS 20

static int agent_json(void *arg, const struct sw_agent_row *a)
{
	struct list_ctx *c = arg;
	json_t *hb;

	/* Agents are few (one per web server): the page is cut here. */
	if (c->seen++ < c->offset || (int64_t)json_array_size(c->items) >= c->limit)
		return 0;
	hb = a->heartbeat ? json_loads(a->heartbeat, 0, NULL) : NULL;

	json_array_append_new(
		c->items,
		json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:b, s:o, s:o}", "id",
			  (json_int_t)a->id, "name", a->name, "site_id", (json_int_t)a->site_id,
			  "site_name", a->site_name, "auth", a->token_hash[0] ? "token" : "hmac",
			  "created_at", iso(a->created_at), "last_heartbeat", iso(a->last_hb),
			  "silent", is_silent(a, c->now), "ack_seq",
			  a->ack_seq >= 0 ? json_integer(a->ack_seq) : json_null(), "heartbeat",
			  hb ? hb : json_null()));
	return 0;
}

/* Adds each listed agent's event count and recent findings (after the
 * walk: a statement is not run inside another's walk). */
static enum sw_err add_details(struct sw_store *st, json_t *items, struct sw_errbuf *eb)
{
	size_t i;
	json_t *it;
	enum sw_err rc;

	json_array_foreach(items, i, it) {
		int64_t id = json_integer_value(json_object_get(it, "id")), n;
		json_t *fs = json_array();

		json_object_set_new(it, "findings", fs);
		if ((rc = sw_store_agent_event_count(st, id, &n, eb)) ||
		    (rc = sw_store_agent_findings(st, 0, id, LIST_FINDINGS, finding_json, fs, eb)))
			return rc;
		json_object_set_new(it, "events", json_integer(n));
	}
	return SW_OK;
}

static int agents_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct list_ctx c = {NULL, (int64_t)time(NULL), 0, 0, 0};
	struct sw_access ab;
	struct sw_errbuf eb;

	if (sw__page_args(rq, rs, &c.limit, &c.offset))
		return 0;
	c.items = json_array();
	/* Each person sees the agents of the sites it sees (scoped in SQL). */
	sw_errbuf_clear(&eb);
	if (sw_store_agent_list(rq->st, 0, sw_api_access(rq->user, &ab), agent_json, &c, &eb) ||
	    add_details(rq->st, c.items, &eb)) {
		json_decref(c.items);
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	}
	return sw_resp_json(rs, 200, sw__page_json(c.items, c.seen, c.limit, c.offset));
}

/* Collects the ids of agents that fell silent. */
struct sweep {
	int64_t now;
	struct sw_agent_row *v;
	size_t n, cap;
};

static int sweep_one(void *arg, const struct sw_agent_row *a)
{
	struct sweep *s = arg;

	if (a->silent_since || !is_silent(a, s->now))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct sw_agent_row *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return 1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n] = *a;
	s->v[s->n++].heartbeat = NULL;
	return 0;
}

enum sw_err sw__agent_sweep(struct sw_store *st, int64_t now, struct sw_errbuf *eb)
{
	struct sweep s = {now, NULL, 0, 0};
	enum sw_err rc = sw_store_agent_list(st, 0, NULL, sweep_one, &s, eb);

	for (size_t i = 0; !rc && i < s.n; i++) {
		const struct sw_agent_row *a = &s.v[i];
		char title[256], ev[256];
		struct sw_agent_finding_row f = {.agent_id = a->id, .site_id = a->site_id,
						 .created_at = now, .kind = "agent.silent",
						 .severity = sw_sev_name(SW_SEV_MEDIUM),
						 .title = title, .evidence = ev};

		snprintf(title, sizeof title, "agent %.100s silent since %lld s", a->name,
			 (long long)(now - a->last_hb));
		snprintf(ev, sizeof ev, "{\"last_heartbeat\":%lld,\"interval\":%lld}",
			 (long long)a->last_hb, (long long)a->hb_interval);
		if (!(rc = sw_store_begin(st, eb))) {
			if (!(rc = sw_store_agent_set_silent(st, a->id, now, eb)) &&
			    !(rc = sw_store_agent_finding_add(st, &f, eb)))
				rc = sw_store_commit(st, eb);
			else
				sw_store_rollback(st);
		}
	}
	free(s.v);
	return rc;
}

const struct sw_route sw_api_routes_agent[] = {
	{"POST", "/api/agent/events", events, 0, SW_ROLE_AGENT,
	 "an agent's batch of events; answers the acknowledged sequence"},
	{"POST", "/api/agent/heartbeat", heartbeat, 0, SW_ROLE_AGENT, "an agent's heartbeat"},
	{"GET", "/api/agents", agents_list, 0, 0,
	 "enrolled agents of the sites the asker sees: site, last heartbeat, silent flag"},
	{0},
};
