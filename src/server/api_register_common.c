/*
 * api_register_common.c - helpers of the register and monitoring
 * handlers: scope, arguments, JSON shapes (see api_register.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "register/register.h"
#include "server/api_register.h"

const struct sw_access *sw_api_access(const struct sw_user *u, struct sw_access *buf)
{
	memset(buf, 0, sizeof *buf);
	if (!u)
		return buf; /* no user: nothing (public routes never get here) */
	switch (u->role) {
	case SW_ROLE_ADMIN:
	case SW_ROLE_AUDITOR:
		return NULL;
	case SW_ROLE_SUPERVISOR:
		buf->region = u->region[0] ? u->region : NULL;
		buf->dept_id = u->dept_id;
		return buf;
	case SW_ROLE_OPERATOR:
		buf->unit_id = u->unit_id;
		return buf;
	default:
		return buf; /* agents and anything unknown: nothing */
	}
}

/* Parses decimal s into *v; -1 unless it is a whole number in range. */
static int parse_i64(const char *s, int64_t min, int64_t max, int64_t *v)
{
	char *end;
	long long n;

	if (!s || !*s || strlen(s) > 20 || strspn(s, "-0123456789") != strlen(s))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

int sw_api_id(const struct sw_req *rq, struct sw_resp *rs, int i, int64_t *id)
{
	if (parse_i64(rq->params[i], 1, INT64_MAX, id)) {
		sw_resp_error(rs, 404, NULL, "no such record");
		return -1;
	}
	return 0;
}

int sw_api_int_arg(const struct sw_req *rq, struct sw_resp *rs, const char *name, int64_t min,
		   int64_t max, int64_t *out)
{
	const char *v = sw_req_arg(rq, name);

	if (!v)
		return 0;
	if (parse_i64(v, min, max, out)) {
		sw_resp_error(rs, 400, name, "%s must be a whole number from %" PRId64 " to %" PRId64,
			      name, min, max);
		return -1;
	}
	return 0;
}

int sw_api_page(const struct sw_req *rq, struct sw_resp *rs, struct sw_filter *f)
{
	f->limit = SW_API_LIMIT_DEFAULT;
	f->offset = 0;
	if (sw_api_int_arg(rq, rs, "limit", 1, SW_API_LIMIT_MAX, &f->limit) ||
	    sw_api_int_arg(rq, rs, "offset", 0, INT32_MAX, &f->offset))
		return -1;
	return 0;
}

/* Checks an enum-valued argument against the values of field `key` of
 * entity e and points *out at the canonical key; -1 (rs: 400) when it is
 * none of them. */
static int enum_arg(const struct sw_req *rq, struct sw_resp *rs, const char *name, enum sw_ent e,
		    const char *key, const char **out)
{
	const char *v = sw_req_arg(rq, name);
	const struct sw_field *fd;
	const struct sw_enum_val *ev;

	if (!v)
		return 0;
	fd = &sw_entity_get(e)->fields[sw_field_index(e, key)];
	if (!(ev = sw_enum_find(fd->enums, v))) {
		sw_resp_error(rs, 400, name, "%s: unknown value", name);
		return -1;
	}
	*out = ev->key;
	return 0;
}

/* ?kind= is a family ("tls") or a kind ("tls.expired"): lower-case
 * letters, digits, '_' and '.'. */
static int kind_arg(const struct sw_req *rq, struct sw_resp *rs, struct sw_filter *f)
{
	const char *v = sw_req_arg(rq, "kind");

	if (!v)
		return 0;
	if (!*v || strlen(v) > 64 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(v)) {
		sw_resp_error(rs, 400, "kind", "kind must be a finding kind or family");
		return -1;
	}
	f->kind = v;
	return 0;
}

/* ?severity= and ?up= of site lists. */
static int state_args(const struct sw_req *rq, struct sw_resp *rs, struct sw_filter *f)
{
	const char *sev = sw_req_arg(rq, "severity"), *up = sw_req_arg(rq, "up");

	if (sev && sw_sev_parse(sev) < 0) {
		sw_resp_error(rs, 400, "severity", "severity must be info, low, medium, high or critical");
		return -1;
	}
	f->severity = sev;
	if (!up)
		return 0;
	if (!strcmp(up, "true") || !strcmp(up, "1"))
		f->up = SW_UP_UP;
	else if (!strcmp(up, "false") || !strcmp(up, "0"))
		f->up = SW_UP_DOWN;
	else if (!strcmp(up, "unchecked"))
		f->up = SW_UP_UNCHECKED;
	else {
		sw_resp_error(rs, 400, "up", "up must be true, false or unchecked");
		return -1;
	}
	return 0;
}

/* ?group= and ?unit= name a row by id or name. */
static int ref_arg(struct sw_req *rq, struct sw_resp *rs, const char *name, enum sw_ent e,
		   int64_t *out)
{
	const char *v = sw_req_arg(rq, name);
	struct sw_errbuf eb;
	enum sw_err rc;

	if (!v)
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(rq->st, sw_entity_get(e), v, out, &eb))) {
		sw_resp_error(rs, rc == SW_ENOTFOUND || rc == SW_EINVAL ? 400 : 500, name, "%s: %s", name,
			      eb.msg[0] ? eb.msg : sw_strerror(rc));
		return -1;
	}
	return 0;
}

int sw_api_filter(struct sw_req *rq, struct sw_resp *rs, const struct sw_entity *ent,
		  struct sw_filter *f, struct sw_access *acc_buf)
{
	const char *region = sw_req_arg(rq, "region"), *q = sw_req_arg(rq, "q");

	memset(f, 0, sizeof *f);
	f->acc = sw_api_access(rq->user, acc_buf);
	if (sw_api_page(rq, rs, f))
		return -1;
	if (region && (strlen(region) != 6 || strspn(region, "0123456789") != 6)) {
		sw_resp_error(rs, 400, "region", "region must be a six-digit code");
		return -1;
	}
	f->region = region;
	if (q && strlen(q) > 200) {
		sw_resp_error(rs, 400, "q", "search text longer than 200 bytes");
		return -1;
	}
	f->search = q && *q ? q : NULL;
	if (enum_arg(rq, rs, "unit_type", SW_ENT_UNIT, "type", &f->unit_type) ||
	    (ent->id == SW_ENT_SITE && enum_arg(rq, rs, "status", SW_ENT_SITE, "status", &f->status)) ||
	    ref_arg(rq, rs, "group", SW_ENT_GROUP, &f->group_id) ||
	    ref_arg(rq, rs, "unit", SW_ENT_UNIT, &f->unit_id) || kind_arg(rq, rs, f) ||
	    state_args(rq, rs, f))
		return -1;
	return 0;
}

/* Converts one stored field value to its JSON type. */
static json_t *value_json(const struct sw_field *f, const char *v)
{
	json_t *arr;
	const char *p, *e;

	switch (f->type) {
	case SW_FT_INT:
	case SW_FT_REF:
		return json_integer(strtoll(v, NULL, 10));
	case SW_FT_BOOL:
		return json_boolean(!strcmp(v, "1"));
	case SW_FT_LIST:
		arr = json_array();
		for (p = v; *p; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ";");
			if (e > p)
				json_array_append_new(arr, json_stringn(p, (size_t)(e - p)));
		}
		return arr;
	default:
		return json_string(v);
	}
}

json_t *sw_api_rec_json(struct sw_store *st, const struct sw_rec *rec)
{
	json_t *o = json_object();
	char label[256], key[80];

	json_object_set_new(o, "id", json_integer(rec->id));
	for (size_t i = 0; i < rec->ent->nfields; i++) {
		const struct sw_field *f = &rec->ent->fields[i];

		json_object_set_new(o, f->key, rec->v[i] ? value_json(f, rec->v[i]) : json_null());
		/* References carry the label too (as the CLI's JSON does). */
		if (f->type == SW_FT_REF && rec->v[i]) {
			sw_reg_label(st, f->ref, strtoll(rec->v[i], NULL, 10), label, sizeof label);
			snprintf(key, sizeof key, "%s_name", f->key);
			json_object_set_new(o, key, json_string(label));
		}
	}
	if (rec->created_at)
		json_object_set_new(o, "created_at", json_string(rec->created_at));
	if (rec->updated_at)
		json_object_set_new(o, "updated_at", json_string(rec->updated_at));
	return o;
}

json_t *sw_api_state_json(struct sw_store *st, int64_t site_id)
{
	struct sw_site_state s;

	if (sw_store_site_state_get(st, site_id, &s, NULL) != SW_OK)
		return json_pack("{s:n, s:n, s:n, s:n, s:n, s:n, s:n}", "up", "since", "checked_at",
				 "last_status", "last_ms", "open_findings", "last_check_id");
	return json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "up", s.up, "since",
			 (json_int_t)s.since, "checked_at", (json_int_t)s.checked_at, "last_status",
			 (json_int_t)s.last_status, "last_ms", (json_int_t)s.last_ms,
			 "open_findings", (json_int_t)s.open_findings, "last_check_id",
			 (json_int_t)s.last_check_id);
}

json_t *sw_api_page_json(json_t *items, int64_t total, const struct sw_filter *f)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "limit",
			 (json_int_t)f->limit, "offset", (json_int_t)f->offset);
}

json_t *sw_api_finding_json(const char *kind, const char *severity, const char *title,
			    const char *evidence)
{
	const struct sw_finding_kind *k = sw_finding_kind(kind ? kind : "");
	json_t *ev = evidence ? json_loads(evidence, JSON_DECODE_ANY, NULL) : NULL;
	char fam[64];

	snprintf(fam, sizeof fam, "%.*s", k ? 63 : (int)strcspn(kind ? kind : "", "."),
		 k ? k->family : kind ? kind : "");
	if (!ev && evidence)
		ev = json_string(evidence);
	/* "label": the kind's Chinese name from the finding table (as alerts
	 * carry it), so the Chinese dashboard need not show the English title. */
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:o}", "kind", fam, "check", kind ? kind : "",
			 "label", k ? k->zh : NULL, "severity", severity ? severity : "", "title",
			 title ? title : "", "evidence", ev ? ev : json_null());
}
