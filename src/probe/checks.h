/*
 * checks.h - the findings the prober draws from a fetch by itself:
 * availability, TLS, DNS and redirects.  (Page content is the analyzers'
 * business.)
 *
 * A pure function of the fetch result, the site's policy and what the
 * register knows about the site, so it is tested with results built by hand
 * and gives the same answer in `sitewarden check` and in the scheduler.
 */
#ifndef SW_PROBE_CHECKS_H
#define SW_PROBE_CHECKS_H

#include <time.h>

#include "model/finding.h"
#include "model/policy.h"
#include "probe/fetch.h"

/* What the checks may compare the fetch with. */
struct sw_check_ctx {
	time_t now;                  /* for certificate dates */
	const char *const *known_ips; /* addresses the register or the last check
				       * knows for the host (NULL-terminated), or NULL */
};

/*
 * Appends to out the findings of fetch r under policy p (its `checks` list
 * enables the availability, tls, dns and redirect families; slow_ms and
 * tls_warn_days set thresholds).  An abandoned fetch (SW_FETCH_EABORTED)
 * yields nothing: nothing was learnt.  SW_ENOMEM is the only failure.
 */
enum sw_err sw_probe_checks(const struct sw_fetch_result *r, const struct sw_policy *p,
			    const struct sw_check_ctx *ctx, struct sw_findings *out);

#endif
