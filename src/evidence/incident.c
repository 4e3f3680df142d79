/*
 * incident.c - what an incident's evidence package holds: the ledger
 * entries of every check in which the incident's alerts were seen, each
 * check frozen from the store first if the engine did not freeze it at
 * detection, plus the files (the agent's quarantine) attached to those
 * checks.  Checks pruned before they were frozen are skipped: what was
 * not kept cannot be proven, and the package says nothing about them.
 */
#include <stdlib.h>
#include <string.h>

#include "evidence/ledger.h"
#include "store/incident.h"

/* Most checks one incident may name in a package. */
#define INCIDENT_CHECKS_MAX 5000

struct ids {
	int64_t *v;
	size_t n, cap;
	int over;
};

static int id_cb(void *arg, int64_t id)
{
	struct ids *ids = arg;

	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 32;
		int64_t *nv = cap <= INCIDENT_CHECKS_MAX ? realloc(ids->v, cap * sizeof *nv) : NULL;

		if (!nv) {
			ids->over = 1;
			return 1;
		}
		ids->v = nv;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

/* Found one: the incident exists. */
static int exists_cb(void *arg, const struct sw_incident_row *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

struct pass {
	int (*cb)(void *arg, int64_t seq);
	void *arg;
	int stop;
};

/* Hands every non-export entry of a check on. */
static int pass_cb(void *arg, const struct sw_ev_row *r)
{
	struct pass *p = arg;

	if (!strcmp(r->kind, "export"))
		return 0;
	return p->stop = p->cb(p->arg, r->seq);
}

enum sw_err sw_evidence_incident_seqs(struct sw_evidence *ev, int64_t incident_id,
				      int (*cb)(void *arg, int64_t seq), void *arg,
				      struct sw_errbuf *eb)
{
	struct ids ids = {0};
	struct pass p = {cb, arg, 0};
	enum sw_err rc;
	int found = 0;

	if ((rc = sw_store_incident_get(ev->st, incident_id, exists_cb, &found, eb)))
		return rc;
	if (!found)
		return sw_errf(eb, SW_ENOTFOUND, "no incident %lld", (long long)incident_id);
	/* Ids first, freezing after: no writes while the walk's statement is
	 * open. */
	if ((rc = sw_store_incident_checks(ev->st, incident_id, id_cb, &ids, eb)))
		goto out;
	if (ids.over) {
		rc = sw_errf(eb, SW_ELIMIT, "incident %lld names over %d checks",
			     (long long)incident_id, INCIDENT_CHECKS_MAX);
		goto out;
	}
	for (size_t i = 0; i < ids.n && !p.stop; i++) {
		rc = sw_evidence_freeze_stored(ev, ids.v[i], NULL, eb);
		if (rc == SW_ENOTFOUND) {
			sw_errbuf_clear(eb);
			rc = SW_OK;
		}
		if (rc || (rc = sw_store_ev_by_check(ev->st, ids.v[i], pass_cb, &p, eb)))
			goto out;
	}
out:
	free(ids.v);
	return rc;
}
