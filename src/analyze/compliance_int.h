/*
 * compliance_int.h - shared between the compliance analyzer's files:
 * compliance.c (which pages, the scans, the badge), compliance_load.c
 * (rules into a Vectorscan database), compliance_scan.c (what the anchors
 * found, and the findings).  Internal to src/analyze.
 */
#ifndef SW_ANALYZE_COMPLIANCE_INT_H
#define SW_ANALYZE_COMPLIANCE_INT_H

#include <hs/hs.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "analyze/compliance_marks.h"

/* One literal of the database; its id is its index in sw__cm_state.pats. */
struct sw__cm_pat {
	unsigned cls;        /* enum cls of compliance.c: C_ICP ... C_BADGE */
	unsigned len;        /* bytes of the literal */
	unsigned need_colon; /* sponsor word that counts only before a colon */
};

/* Loaded rules; immutable once loaded, shared by every page. */
struct sw__cm_state {
	hs_database_t *db;
	hs_scratch_t *scratch;   /* prototype; each run clones it */
	struct sw__cm_pat *pats;
	size_t npats;
	char **badge_hosts, **gov_titles, **skip_titles; /* point into files[] */
	size_t nbadge, ngov, nskip;
	char *files[4];          /* owned: the rule files' text */
};

enum sw_err sw__cm_load(const char *rules_dir, void **state, struct sw_errbuf *eb);
void sw__cm_free(void *state);

enum { SW__CM_ICP, SW__CM_PSB, SW__CM_CODE, SW__CM_NMARKS };

/* What one scan learnt about one numbered mark. */
struct sw__cm_mark {
	unsigned shown;          /* values read */
	int matched;             /* one of them is the registered value */
	int has_reg;             /* the register's value could be keyed */
	char reg[128];           /* its key */
	const char *reg_raw;     /* the register's value as stored (borrowed) */
	struct sw__cm_val first; /* first value read; offsets in page->text */
	struct sw__cm_val other; /* first value that is not the registered one */
	int has_other;
};

#define SW__CM_ORGS 16  /* sponsor candidates kept: the last ones (footer) */
#define SW__CM_NEARS 32 /* other marks' offsets kept, for the footer test */

struct sw__cm_org {
	uint32_t vis_off;        /* where in ctx->vis (alt: counts anyway) */
	int alt;
	struct sw__cm_val v;     /* offsets in page->text */
};

/* The state of one scan of the page (visible text, or all of it). */
struct sw__cm_scan {
	const struct sw__cm_state *st;
	const struct sw_an_ctx *ctx;
	const char *text;        /* being scanned now */
	size_t n;
	int raw;                 /* text is page->text (offsets need no mapping) */
	int in_alt;              /* text is an alt/title attribute of the node at node_off */
	uint32_t node_off;
	int badge_only, badge;   /* looking only for badge hosts; found one */
	struct sw__cm_mark m[SW__CM_NMARKS];
	struct sw__cm_org org[SW__CM_ORGS];
	size_t norg;             /* candidates seen (ring index = norg % SW__CM_ORGS) */
	uint32_t near[SW__CM_NEARS];
	size_t nnear;
	unsigned parsed[8];      /* anchors parsed per class, capped at SW__CM_MAX_PARSE */
};

/* Anchors of one class parsed per scan: a footer has a handful; a hostile
 * page repeating "ICP备" a million times must not cost a window each. */
#define SW__CM_MAX_PARSE 256

/* Empties sc and keys the register's values of ctx->site. */
void sw__cm_scan_init(struct sw__cm_scan *sc, const struct sw__cm_state *st,
		      const struct sw_an_ctx *ctx);

/* Parses the anchor of class cls at [a, a + alen) of sc->text and records
 * what it introduces. */
void sw__cm_scan_anchor(struct sw__cm_scan *sc, unsigned cls, size_t a, size_t alen,
			int need_colon);

/* True when some mark the page must show was not seen. */
int sw__cm_missing_any(const struct sw__cm_scan *sc, int gov, int badge);

/* Emits the findings: sc is the visible scan, hid the scan of all text
 * (empty unless something was missing). */
enum sw_err sw__cm_report(struct sw_an_ctx *ctx, const struct sw__cm_scan *sc,
			  const struct sw__cm_scan *hid, int gov, int badge);

/* Pattern classes (ids of struct sw__cm_pat.cls). */
enum { SW__CM_C_ICP, SW__CM_C_PSB, SW__CM_C_CODE, SW__CM_C_ORG, SW__CM_C_NEAR,
       SW__CM_C_BADGE };

#endif
