/*
 * alert.h - findings become alerts: deduplicated by (site, kind,
 * fingerprint), counted, silenced by maintenance windows and suppressions,
 * resolved when a later check that looked for them no longer sees them.
 *
 * The fingerprint is the finding's stable identity, never the check or its
 * time: a dark link's target domain, a script's URL, an exposed path, or
 * nothing but the kind itself (a defaced title is one alert however often
 * the text changes).  Times are unix seconds passed in by the caller, so
 * tests drive the clock.
 */
#ifndef SW_ALERT_ALERT_H
#define SW_ALERT_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "store/alert.h"
#include "store/store.h"

/* What a check looked at, so absence can be told from not looking: a site
 * that was down was not analysed, and its dark links are not gone. */
enum {
	SW_ALERT_COVER_REACHED = 1u << 0,  /* a response came: tls, dns, redirect judged */
	SW_ALERT_COVER_CONTENT = 1u << 1,  /* the page analyzers ran */
	SW_ALERT_COVER_EXPOSURE = 1u << 2, /* the exposure probe ran */
};
/* Availability is judged by every recorded check. */

/* The check whose findings are ingested. */
struct sw_alert_check {
	int64_t site_id, group_id;   /* group_id 0: none */
	int64_t check_id;            /* > 0 */
	int64_t checked_at;
	unsigned covered;            /* SW_ALERT_COVER_* bits */
};

enum sw_alert_change_kind { SW_ALERT_CH_NEW, SW_ALERT_CH_REOPENED, SW_ALERT_CH_RESOLVED };

/* One alert that changed in a way people hear about. */
struct sw_alert_change {
	int64_t alert_id, site_id;
	enum sw_alert_change_kind change;
	char kind[64], severity[16], title[256], fingerprint[80];
};

/* What an ingest changed; owns its array. */
struct sw_alert_changes {
	struct sw_alert_change *v;
	size_t n, cap;
	size_t seen;        /* findings that touched an alert (silenced ones too) */
};

void sw_alert_changes_init(struct sw_alert_changes *c);
void sw_alert_changes_cleanup(struct sw_alert_changes *c);

/* "new", "reopened", "resolved". */
const char *sw_alert_change_name(enum sw_alert_change_kind k);

/*
 * Writes the fingerprint of a finding of `kind` with `evidence` (JSON or
 * NULL) into fp (at most cap bytes, cap >= 72): the domain, URL or path
 * the finding is about; long identities become "sha256:" + 64 hex digits.
 */
void sw_alert_fingerprint(const char *kind, const char *evidence, char *fp, size_t cap);

/* The SW_ALERT_COVER_* bit a kind's family needs for absence to resolve
 * it; 0 for availability (every check judges it); ~0u for families no
 * outside check can clear (agent events: resolved by hand). */
unsigned sw_alert_cover_needed(const char *kind);

/*
 * Ingests the n findings of one recorded check (c) and appends to out what
 * changed: new alerts, reopened ones (seen again after being resolved, or
 * after a suppression expired) and resolved ones (unresolved alerts of the
 * site whose kind the check covered but did not see).  Silenced findings
 * make or keep suppressed alerts and are not reported.  Runs in its own
 * transaction level, so a caller's transaction makes it all or nothing
 * with the notifications it enqueues.
 */
enum sw_err sw_alert_ingest(struct sw_store *st, const struct sw_alert_check *c,
			    const struct sw_check_finding *f, size_t n,
			    struct sw_alert_changes *out, struct sw_errbuf *eb);

/*
 * Ingests one finding that is an event rather than part of a check (the
 * agent's tamper and webshell reports): as sw_alert_ingest, without a
 * check id and without resolving anything by absence (events say what
 * happened, not what is gone).
 */
enum sw_err sw_alert_ingest_event(struct sw_store *st, int64_t site_id, int64_t group_id,
				  int64_t at, const struct sw_check_finding *f,
				  struct sw_alert_changes *out, struct sw_errbuf *eb);

/* Acknowledges, resolves or suppresses (until 0: until lifted by hand)
 * alert id by `by` with an optional note, at now. */
enum sw_err sw_alert_ack(struct sw_store *st, int64_t id, int64_t now, const char *by,
			 const char *note, struct sw_errbuf *eb);
enum sw_err sw_alert_resolve(struct sw_store *st, int64_t id, int64_t now, const char *by,
			     const char *note, struct sw_errbuf *eb);
enum sw_err sw_alert_suppress(struct sw_store *st, int64_t id, int64_t now, int64_t until,
			      const char *by, const char *note, struct sw_errbuf *eb);

#endif
