/*
 * show_one.c - `ENTITY show REF`: one record with what hangs off it (a
 * site's responsible persons and effective policy, a group's sites and
 * policy, a person's sites).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/show.h"
#include "model/policy.h"
#include "register/register.h"

static const char *const scope_label[] = {"global", "group", "site"};

/* JSON object of an effective policy: {key: {value, from}}. */
static json_t *policy_json(const struct sw_policy *p)
{
	const struct sw_policy_field *f;
	json_t *o = json_object();
	size_t n;

	f = sw_policy_fields(&n);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, f[i].key,
				    json_pack("{s:s, s:s}", "value", p->v[i], "from",
					      p->from[i] < 0 ? "default" : scope_label[p->from[i]]));
	return o;
}

/* Prints an effective policy, one field a line with where it comes from. */
static void policy_print(const struct sw_policy *p)
{
	const struct sw_policy_field *f;
	size_t n;

	f = sw_policy_fields(&n);
	printf("policy:\n");
	for (size_t i = 0; i < n; i++)
		printf("  %-16s %-40s (%s)\n", f[i].key, p->v[i],
		       p->from[i] < 0 ? "default" : scope_label[p->from[i]]);
}

/* Collects site-person links as JSON rows (with the other side's data). */
struct links {
	struct sw_store *st;
	int by_site; /* 1: rows name persons; 0: rows name sites */
	json_t *rows;
};

static int link_row(void *arg, int64_t site_id, int64_t person_id, const char *role)
{
	struct links *l = arg;
	const struct sw_entity *ent = sw_entity_get(l->by_site ? SW_ENT_PERSON : SW_ENT_SITE);
	struct sw_rec r;
	json_t *o;

	if (sw_store_get(l->st, ent, l->by_site ? person_id : site_id, &r, NULL))
		return 0;
	o = sw_cli_rec_json(l->st, &r);
	json_object_set_new(o, "responsibility", json_string(role));
	json_array_append_new(l->rows, o);
	sw_rec_cleanup(&r);
	return 0;
}

/* The string member `key` of o, or "" when absent or null. */
static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Prints the linked rows collected in l as short lines. */
static void links_print(const struct links *l)
{
	size_t i;
	json_t *o;

	printf("%s:\n", l->by_site ? "responsible persons" : "responsible for sites");
	if (json_array_size(l->rows) == 0)
		printf("  (none)\n");
	json_array_foreach(l->rows, i, o)
	{
		const char *role = json_string_value(json_object_get(o, "responsibility"));

		if (l->by_site)
			printf("  %-9s %s  %s  %s\n", role, str_of(o, "name"),
			       str_of(o, "phone"), str_of(o, "email"));
		else
			printf("  %-9s #%" JSON_INTEGER_FORMAT " %s  %s\n", role,
			       json_integer_value(json_object_get(o, "id")),
			       str_of(o, "name"), str_of(o, "url"));
	}
}

/* Prints every field of rec, "key (label): value". */
static void fields_print(struct sw_store *st, const struct sw_rec *rec)
{
	char buf[2048];

	printf("%s %" PRId64 "\n", rec->ent->name, rec->id);
	for (size_t i = 0; i < rec->ent->nfields; i++) {
		const struct sw_field *f = &rec->ent->fields[i];

		sw_cli_field_text(st, rec, (int)i, 1, buf, sizeof buf);
		printf("  %-18s ", f->key);
		sw_cli_pad(stdout, f->zh, 16, 0);
		printf(" %s\n", buf);
	}
	printf("  %-18s %s\n  %-18s %s\n", "created_at", rec->created_at ? rec->created_at : "",
	       "updated_at", rec->updated_at ? rec->updated_at : "");
}

/* Collects the findings of a check as a JSON array. */
static int finding_row(void *arg, const struct sw_check_finding *f)
{
	json_array_append_new(arg, sw_cli_finding_json(f->kind, f->severity, f->title, NULL));
	return 0;
}

/* The monitoring state of site id with the findings of its last check, or
 * JSON null when the site was never checked. */
static json_t *monitoring_json(struct sw_store *st, int64_t id)
{
	struct sw_site_state s;
	json_t *fs;

	if (sw_store_site_state_get(st, id, &s, NULL) != SW_OK)
		return json_null();
	fs = json_array();
	sw_store_check_findings(st, s.last_check_id, finding_row, fs, NULL);
	return json_pack("{s:s, s:I, s:I, s:i, s:I, s:I, s:o}", "availability",
			 s.up ? "up" : "down", "since", (json_int_t)s.since, "checked_at",
			 (json_int_t)s.checked_at, "last_status", (int)s.last_status, "last_ms",
			 (json_int_t)s.last_ms, "open_findings", (json_int_t)s.open_findings,
			 "findings", fs);
}

/* Formats unix time t as "YYYY-MM-DD HH:MM:SS UTC" into buf. */
static const char *utc(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

/* Prints the monitoring block of `site show`. */
static void monitoring_print(const json_t *m)
{
	char a[40], b[40];
	size_t i;
	json_t *f;

	printf("monitoring:\n");
	if (!json_is_object(m)) {
		printf("  not checked yet (sitewarden probe)\n");
		return;
	}
	printf("  %s since %s; last check %s: HTTP %" JSON_INTEGER_FORMAT " in %" JSON_INTEGER_FORMAT
	       " ms\n",
	       str_of(m, "availability"), utc(json_integer_value(json_object_get(m, "since")), a, sizeof a),
	       utc(json_integer_value(json_object_get(m, "checked_at")), b, sizeof b),
	       json_integer_value(json_object_get(m, "last_status")),
	       json_integer_value(json_object_get(m, "last_ms")));
	json_array_foreach(json_object_get(m, "findings"), i, f)
		printf("  [%s] %s: %s\n", str_of(f, "severity"), str_of(f, "check"), str_of(f, "title"));
}

/* Counts the sites passing f into *n (0 on error: this is decoration). */
static int64_t count_sites(struct sw_store *st, const struct sw_filter *f)
{
	int64_t n = 0;

	sw_store_count(st, sw_entity_get(SW_ENT_SITE), f, &n, NULL);
	return n;
}

int sw_show_one(struct sw_store *st, const struct sw_entity *ent, int64_t id, int json)
{
	struct links l = {st, ent->id == SW_ENT_SITE, NULL};
	struct sw_policy pol;
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;
	json_t *o;
	int has_policy = 0;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_get(st, ent, id, &rec, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	o = sw_cli_rec_json(st, &rec);
	if (ent->id == SW_ENT_SITE || ent->id == SW_ENT_PERSON) {
		l.rows = json_array();
		rc = sw_store_site_persons(st, l.by_site ? id : 0, l.by_site ? 0 : id, link_row, &l,
					   &eb);
		json_object_set(o, l.by_site ? "persons" : "sites", l.rows);
	}
	if (!rc && ent->id == SW_ENT_SITE) {
		int64_t g = sw_rec_get_int(&rec, sw_field_index(SW_ENT_SITE, "group"), 0);

		rc = sw_reg_policy(st, g, id, &pol, &eb);
		has_policy = 1;
		json_object_set_new(o, "monitoring", monitoring_json(st, id));
	} else if (!rc && ent->id == SW_ENT_GROUP) {
		rc = sw_reg_policy(st, id, 0, &pol, &eb);
		has_policy = 1;
		f.group_id = id;
		json_object_set_new(o, "sites", json_integer(count_sites(st, &f)));
	} else if (ent->id == SW_ENT_UNIT) {
		f.unit_id = id;
		json_object_set_new(o, "sites", json_integer(count_sites(st, &f)));
	}
	if (!rc && has_policy)
		json_object_set_new(o, "policy", policy_json(&pol));
	if (rc) {
		json_decref(o);
		json_decref(l.rows);
		sw_rec_cleanup(&rec);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (json) {
		json_decref(l.rows);
		sw_rec_cleanup(&rec);
		return sw_cli_print_json(o);
	}
	fields_print(st, &rec);
	if (json_object_get(o, "sites") && json_is_integer(json_object_get(o, "sites")))
		printf("  %-18s %" JSON_INTEGER_FORMAT "\n", "sites",
		       json_integer_value(json_object_get(o, "sites")));
	if (l.rows)
		links_print(&l);
	if (has_policy)
		policy_print(&pol);
	if (ent->id == SW_ENT_SITE)
		monitoring_print(json_object_get(o, "monitoring"));
	json_decref(o);
	json_decref(l.rows);
	sw_rec_cleanup(&rec);
	return SW_EXIT_OK;
}
