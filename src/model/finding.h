/*
 * finding.h - what a check reports: a kind from a fixed table, a severity,
 * one line for people and the evidence as JSON.
 *
 * Every detector (the prober's own checks, the page analyzers, the agent)
 * speaks in these terms, so alerts, incidents and statistics later group
 * and count them without knowing who found them.  Kinds are stable keys;
 * the table gives each its default severity and Chinese label.
 */
#ifndef SW_MODEL_FINDING_H
#define SW_MODEL_FINDING_H

#include <stddef.h>

#include "core/err.h"

enum sw_sev { SW_SEV_INFO, SW_SEV_LOW, SW_SEV_MEDIUM, SW_SEV_HIGH, SW_SEV_CRITICAL };

/* "info", "low", "medium", "high", "critical". */
const char *sw_sev_name(enum sw_sev s);

/* Chinese label: 提示, 低, 中, 高, 严重. */
const char *sw_sev_zh(enum sw_sev s);

/* Parses a severity name; -1 when unknown. */
int sw_sev_parse(const char *name);

/* One kind of finding. */
struct sw_finding_kind {
	const char *key;   /* "tls.expired": family before the dot */
	const char *family; /* "tls": what users filter and count by */
	const char *zh;    /* 证书已过期 */
	enum sw_sev sev;   /* default severity */
};

/* Returns the kind called key, or NULL. */
const struct sw_finding_kind *sw_finding_kind(const char *key);

/* The whole table; *n gets its length. */
const struct sw_finding_kind *sw_finding_kinds(size_t *n);

struct sw_finding {
	const struct sw_finding_kind *kind;
	enum sw_sev sev;       /* the kind's default unless the check knows better */
	char *title;           /* owned: one line, e.g. "certificate expired 3 days ago" */
	char *evidence;        /* owned: a JSON object, or NULL */
};

/* A growable list of findings; owns them. */
struct sw_findings {
	struct sw_finding *v;
	size_t n, cap;
};

void sw_findings_init(struct sw_findings *f);
void sw_findings_cleanup(struct sw_findings *f);

/*
 * Appends a finding of kind key (which must be in the table: a programming
 * error otherwise) with severity sev, a printf-style title and evidence
 * (copied; may be NULL).  SW_ENOMEM on failure.
 */
enum sw_err sw_findings_add(struct sw_findings *f, const char *key, enum sw_sev sev,
			    const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Highest severity in f, or -1 when f is empty. */
int sw_findings_max_sev(const struct sw_findings *f);

#endif
