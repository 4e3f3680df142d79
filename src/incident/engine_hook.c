/*
 * engine_hook.c - from the engine's view of a recorded check to the
 * response's: the findings as stored, and what the check covered.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/fetched.h"
#include "engine/engine.h"
#include "incident/respond.h"

enum sw_err sw_response_engine_check(struct sw_store *st, const struct sw_engine_check *c,
				     int content, struct sw_response *out, struct sw_errbuf *eb)
{
	struct sw_alert_check ac = {.site_id = c->site_id, .group_id = c->group_id,
				    .check_id = c->check_id, .checked_at = c->checked_at};
	struct sw_check_finding *f = NULL;
	int analysed = content && c->self && sw_fetched_analysable(c->self);
	enum sw_err rc;

	if (c->n_findings && !(f = calloc(c->n_findings, sizeof *f)))
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sw_engine_finding *x = &c->findings[i];

		f[i] = (struct sw_check_finding){.kind = x->key, .severity = x->severity, .title = x->title,
						 .evidence = x->evidence, .page = x->page};
		/* An analysis cut short says nothing about what it did not read. */
		if (!strncmp(x->key, "analysis.", 9))
			analysed = 0;
	}
	ac.covered = sw_response_coverage(c->self ? c->self->status : 0, analysed, 0);
	rc = sw_response_on_check(st, &ac, f, c->n_findings, c->checked_at, out, eb);
	free(f);
	return rc;
}
