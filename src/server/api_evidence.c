/*
 * api_evidence.c - evidence over HTTP: an incident's package for download
 * and the verification of a package a user uploads.
 *
 * The package of an incident is made on request, like the CLI's export:
 * it freezes the incident's checks not frozen yet, appends an export
 * entry and signs the head, so every download is itself on the ledger.
 * Scope: an incident whose site the user may not see answers 404, as a
 * site out of scope does.  Verification needs no database and no key: it
 * is open to every signed-in role and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/evidence.h"
#include "model/entity.h"
#include "server/api_register.h"
#include "server/http.h"
#include "store/incident.h"

#define READERS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)

/* Opens the ledger of the request's store with the signing key, from
 * SITEWARDEN_KEY_DIR, else keys/ beside the default database (var/keys):
 * a handler does not know which file the server opened, so a server on
 * another database names its key directory in the environment. */
static enum sw_err open_ev(struct sw_store *st, struct sw_evidence **ev, struct sw_errbuf *eb)
{
	const char *env = getenv("SITEWARDEN_KEY_DIR");
	char dir[4096];
	struct sw_ev_opts o;

	if (env && *env)
		snprintf(dir, sizeof dir, "%s", env);
	else
		sw_ev_default_key_dir(SW_STORE_DEFAULT_PATH, dir, sizeof dir);
	sw_ev_opts_init(&o);
	o.key_dir = dir;
	o.create_key = 1;
	return sw_evidence_open(st, &o, ev, eb);
}

static int incident_site(void *arg, const struct sw_incident_row *r)
{
	*(int64_t *)arg = r->site_id;
	return 1;
}

struct seqs {
	int64_t *v;
	size_t n, cap;
	int over;
};

static int seq_add(void *arg, int64_t seq)
{
	struct seqs *s = arg;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		int64_t *nv = cap <= SW_EV_EXPORT_MAX_ITEMS ? realloc(s->v, cap * sizeof *nv) : NULL;

		if (!nv) {
			s->over = 1;
			return 1;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = seq;
	return 0;
}

/* GET /api/incidents/{id}/evidence: the package as an attachment. */
static int incident_evidence(struct sw_req *rq, struct sw_resp *rs)
{
	static _Thread_local char filename[64];
	struct sw_access acc_buf;
	struct sw_evidence *ev = NULL;
	struct seqs s = {0};
	struct sw_errbuf eb;
	struct sw_rec rec;
	unsigned char *pkg = NULL;
	int64_t id, site = 0;
	char label[48];
	size_t len;
	enum sw_err rc;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(rq->st, id, incident_site, &site, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), site,
			     sw_api_access(rq->user, &acc_buf), &rec, &eb);
	if (rc == SW_ENOTFOUND)
		return sw_resp_error(rs, 404, NULL, "no incident %lld", (long long)id);
	if (rc)
		return sw_resp_from_err(rs, rc, &eb);
	sw_rec_cleanup(&rec);
	snprintf(label, sizeof label, "evidence-incident%lld", (long long)id);
	if (!(rc = open_ev(rq->st, &ev, &eb)) &&
	    !(rc = sw_evidence_incident_seqs(ev, id, seq_add, &s, &eb)) && s.over)
		rc = sw_errf(&eb, SW_ELIMIT, "too many items for one package");
	if (!rc && !s.n)
		rc = sw_errf(&eb, SW_ENOTFOUND, "incident %lld has no evidence", (long long)id);
	if (!rc)
		rc = sw_evidence_export(ev, s.v, s.n, label, &pkg, &len, &eb);
	sw_evidence_free(ev);
	free(s.v);
	if (rc)
		return sw_resp_from_err(rs, rc, &eb);
	sw_resp_bytes(rs, 200, "application/octet-stream", (char *)pkg, len);
	/* The server copies the name when it sends the response; a buffer
	 * per thread keeps concurrent downloads apart. */
	snprintf(filename, sizeof filename, "%s.tar", label);
	rs->filename = filename;
	return 0;
}

struct verdict {
	json_t *items, *bad;
};

static void on_problem(void *arg, const char *where, const char *what)
{
	struct verdict *v = arg;

	json_array_append_new(v->bad, json_pack("{s:s, s:s}", "member", where, "problem", what));
}

static void on_item(void *arg, const struct sw_ev_pkg_item *it)
{
	struct verdict *v = arg;

	json_array_append_new(v->items, json_pack("{s:s, s:I, s:b}", "path", it->path, "seq",
						  (json_int_t)it->seq, "ok", it->ok));
}

/* POST /api/evidence/verify (body: a package): the verdict. */
static int evidence_verify(struct sw_req *rq, struct sw_resp *rs)
{
	struct verdict v = {json_array(), json_array()};
	struct sw_errbuf eb;
	enum sw_err rc;

	if (!rq->body_len) {
		json_decref(v.items);
		json_decref(v.bad);
		return sw_resp_error(rs, 400, NULL, "the body must be an evidence package");
	}
	sw_errbuf_clear(&eb);
	rc = sw_evidence_verify_package(rq->body, rq->body_len, on_problem, &v, on_item, &eb);
	if (rc && rc != SW_EINVAL) {
		json_decref(v.items);
		json_decref(v.bad);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200,
			    json_pack("{s:b, s:o, s:o}", "ok", rc == SW_OK, "items", v.items, "bad",
				      v.bad));
}

const struct sw_route sw_api_routes_evidence[] = {
	{"GET", "/api/incidents/{id}/evidence", incident_evidence, 0, READERS,
	 "an incident's evidence package (ustar, signed), exported now"},
	{"POST", "/api/evidence/verify", evidence_verify, 0, READERS,
	 "verify an evidence package without the database"},
	{0},
};
