/*
 * probe_show.c - `sitewarden probe --show SITE`: what the monitoring loop
 * stored for one site (schedule, dashboard state, last check and its
 * findings) as JSON, for people, scripts and the integration tests.
 */
#include "cli/probe_show.h"

#include <inttypes.h>

#include "probe/fetch.h"
#include "register/register.h"

int64_t sw__probe_site(struct sw_store *st, const char *ref)
{
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id = 0;

	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), ref, &id, &eb))) {
		sw_cli_fail_eb(rc, &eb);
		return 0;
	}
	return id;
}

/* Appends each finding to the JSON array arg. */
static int finding_json(void *arg, const struct sw_check_finding *f)
{
	json_t *o = sw_cli_finding_json(f->kind, f->severity, f->title, f->evidence);

	if (o && f->page)
		json_object_set_new(o, "page", json_string(f->page));
	json_array_append_new(arg, o);
	return 0;
}

/* Keeps the newest check as JSON in *(json_t **)arg. */
static int check_json(void *arg, const struct sw_check_row *c)
{
	*(json_t **)arg = json_pack(
		"{s:I, s:I, s:i, s:s, s:I, s:s?, s:i, s:s?, s:I}", "id", (json_int_t)c->id,
		"checked_at", (json_int_t)c->checked_at, "status", (int)c->status, "error",
		sw_fetch_errname((enum sw_fetch_err)c->err), "total_ms", (json_int_t)c->total_ms,
		"ip", c->ip, "http_version", c->http_version, "body_hash", c->body_hash, "body_size",
		(json_int_t)c->body_size);
	return 1;
}

/* The schedule of site id as JSON; null when it has none. */
static json_t *schedule_json(struct sw_store *st, int64_t id, enum sw_err *rc,
			     struct sw_errbuf *eb)
{
	struct sw_sched_row sc;

	*rc = sw_store_sched_get(st, id, &sc, eb);
	if (*rc)
		return json_null();
	return json_pack("{s:I, s:I, s:i, s:s}", "next_due", (json_int_t)sc.next_due,
			 "last_checked", (json_int_t)sc.last_checked, "fails", sc.fails, "last_ips",
			 sc.last_ips);
}

/* The state of site id as JSON; null when never checked. */
static json_t *state_json(struct sw_store *st, int64_t id, enum sw_err *rc,
			  struct sw_errbuf *eb)
{
	struct sw_site_state s;

	*rc = sw_store_site_state_get(st, id, &s, eb);
	if (*rc)
		return json_null();
	return json_pack("{s:s, s:I, s:I, s:i, s:I, s:I}", "availability", s.up ? "up" : "down",
			 "since", (json_int_t)s.since, "checked_at", (json_int_t)s.checked_at,
			 "last_status", (int)s.last_status, "last_ms", (json_int_t)s.last_ms,
			 "open_findings", (json_int_t)s.open_findings);
}

int sw__probe_show(struct sw_store *st, const char *ref)
{
	int64_t id = sw__probe_site(st, ref);
	json_t *o, *last = NULL, *fs;
	struct sw_errbuf eb, eb2;
	enum sw_err rc, rc2;

	if (!id)
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	sw_errbuf_clear(&eb2);
	o = json_pack("{s:I}", "site_id", (json_int_t)id);
	json_object_set_new(o, "schedule", schedule_json(st, id, &rc, &eb));
	json_object_set_new(o, "state", state_json(st, id, &rc2, &eb2));
	if ((rc && rc != SW_ENOTFOUND) || (rc2 && rc2 != SW_ENOTFOUND)) {
		json_decref(o);
		return rc && rc != SW_ENOTFOUND ? sw_cli_fail_eb(rc, &eb) : sw_cli_fail_eb(rc2, &eb2);
	}
	sw_errbuf_clear(&eb);
	rc = sw_store_checks_recent(st, id, 0, 1, check_json, &last, &eb);
	if (!rc && last) {
		fs = json_array();
		rc = sw_store_check_findings(st, json_integer_value(json_object_get(last, "id")),
					     finding_json, fs, &eb);
		json_object_set_new(last, "findings", fs);
	}
	json_object_set_new(o, "last_check", last ? last : json_null());
	if (rc) {
		json_decref(o);
		return sw_cli_fail_eb(rc, &eb);
	}
	return sw_cli_print_json(o);
}

