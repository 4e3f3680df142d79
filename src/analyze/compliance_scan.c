/*
 * compliance_scan.c - what the anchors of one scan found, and the findings
 * drawn from it (rules in compliance_int.h).
 *
 * A scan keeps, per numbered mark, how many values it read, whether one
 * was the registered value and the first that was not; per sponsor line,
 * the last few candidates and where the other marks were, because a
 * sponsor word counts only in the footer region: "主办单位：" also heads
 * event notices in running news text, and such a notice must not make a
 * page without a sponsor line look compliant.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/compliance_int.h"

#define FOOT_TAIL 3000 /* the last bytes of visible text are footer */
#define NEAR 1500      /* a sponsor word this close to another mark is footer */

void sw__cm_scan_init(struct sw__cm_scan *sc, const struct sw__cm_state *st,
		      const struct sw_an_ctx *ctx)
{
	const struct sw_an_site *s = ctx->site;
	const char *raw[SW__CM_NMARKS] = {s->icp, s->psb, s->site_code};
	int (*key[SW__CM_NMARKS])(const char *, char *, size_t) = {
		sw__cm_icp_key, sw__cm_psb_key, sw__cm_code_key};

	memset(sc, 0, sizeof *sc);
	sc->st = st;
	sc->ctx = ctx;
	for (size_t i = 0; i < SW__CM_NMARKS; i++) {
		sc->m[i].reg_raw = raw[i];
		sc->m[i].has_reg = raw[i] && key[i](raw[i], sc->m[i].reg, sizeof sc->m[i].reg);
	}
}

/* Turns v's offsets in the scanned text into offsets in page->text. */
static void to_page(const struct sw__cm_scan *sc, struct sw__cm_val *v)
{
	uint32_t s, e;

	if (sc->raw)
		return;
	if (sc->in_alt) {
		v->off = sc->node_off;
		v->len = 0;
		return;
	}
	s = sw_an_vis_off(sc->ctx, v->off);
	e = v->len ? sw_an_vis_off(sc->ctx, v->off + v->len - 1) : s;
	/* Visible text joins text nodes: a mark split over elements maps to a
	 * longer page range; keep it when it is plausibly the same mark. */
	if (e != SW_NONE && s != SW_NONE && e >= s && e - s < 8u * v->len + 64)
		v->len = e - s + 1;
	v->off = s;
}

/* True when shown key a is the registered key of mark i. */
static int same(size_t i, const char *a, const char *reg)
{
	return i == SW__CM_ICP ? sw__cm_icp_same(a, reg) : strcmp(a, reg) == 0;
}

/* Records one value of mark i. */
static void record(struct sw__cm_scan *sc, size_t i, struct sw__cm_val *v)
{
	struct sw__cm_mark *m = &sc->m[i];

	if (!sc->raw && !sc->in_alt && sc->nnear < SIZE_MAX)
		sc->near[sc->nnear++ % SW__CM_NEARS] = v->off;
	to_page(sc, v);
	if (m->shown++ == 0)
		m->first = *v;
	if (!m->has_reg)
		return;
	if (same(i, v->key, m->reg))
		m->matched = 1;
	else if (!m->has_other)
		m->other = *v, m->has_other = 1;
}

void sw__cm_scan_anchor(struct sw__cm_scan *sc, unsigned cls, size_t a, size_t alen,
			int need_colon)
{
	struct sw__cm_val v;
	struct sw__cm_org *o;

	if (cls < 8 && sc->parsed[cls]++ >= SW__CM_MAX_PARSE)
		return;
	switch (cls) {
	case SW__CM_C_ICP:
		if (sw__cm_icp(sc->text, sc->n, a, alen, &v))
			record(sc, SW__CM_ICP, &v);
		break;
	case SW__CM_C_PSB:
		if (sw__cm_psb(sc->text, sc->n, a, alen, &v))
			record(sc, SW__CM_PSB, &v);
		break;
	case SW__CM_C_CODE:
		if (sw__cm_code(sc->text, sc->n, a, alen, &v))
			record(sc, SW__CM_CODE, &v);
		break;
	case SW__CM_C_NEAR:
		if (!sc->raw && !sc->in_alt)
			sc->near[sc->nnear++ % SW__CM_NEARS] = (uint32_t)a;
		break;
	case SW__CM_C_ORG:
		if (!sw__cm_org(sc->text, sc->n, a, alen, need_colon, &v))
			break;
		o = &sc->org[sc->norg++ % SW__CM_ORGS];
		o->vis_off = (uint32_t)a;
		o->alt = sc->in_alt || sc->raw;
		to_page(sc, &v);
		o->v = v;
		break;
	default:
		break;
	}
}

/* True when sponsor candidate o sits where footers are: near the end of the
 * visible text, or near another mark, or in an image's alt text. */
static int org_counts(const struct sw__cm_scan *sc, const struct sw__cm_org *o)
{
	size_t n = sc->ctx->vis_len, nn = sc->nnear < SW__CM_NEARS ? sc->nnear : SW__CM_NEARS;

	if (o->alt || o->vis_off + FOOT_TAIL >= n || (size_t)o->vis_off * 10 >= n * 6)
		return 1;
	for (size_t i = 0; i < nn; i++) {
		uint32_t d = sc->near[i] > o->vis_off ? sc->near[i] - o->vis_off
						     : o->vis_off - sc->near[i];

		if (d <= NEAR)
			return 1;
	}
	return 0;
}

/* Number of sponsor candidates that count; *first gets the first one. */
static size_t orgs_shown(const struct sw__cm_scan *sc, const struct sw__cm_org **first)
{
	size_t k = 0, n = sc->norg < SW__CM_ORGS ? sc->norg : SW__CM_ORGS;

	*first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!org_counts(sc, &sc->org[i]))
			continue;
		if (k++ == 0)
			*first = &sc->org[i];
	}
	return k;
}

int sw__cm_missing_any(const struct sw__cm_scan *sc, int gov, int badge)
{
	const struct sw__cm_org *o;

	if (sc->m[SW__CM_ICP].shown == 0 || sc->m[SW__CM_PSB].shown == 0)
		return 1;
	return gov && (sc->m[SW__CM_CODE].shown == 0 || !badge || orgs_shown(sc, &o) == 0);
}

/* Names of the numbered marks, for titles and finding keys. */
static const struct {
	const char *what, *missing, *mismatch;
} marks[SW__CM_NMARKS] = {
	{"ICP filing number", "compliance.icp_missing", "compliance.icp_mismatch"},
	{"public-security filing number", "compliance.psb_missing", "compliance.psb_mismatch"},
	{"website identifier code (网站标识码)", "compliance.site_code_missing",
	 "compliance.site_code_mismatch"},
};

/* Emits "mark i missing": absent, or present only where visitors cannot see. */
static enum sw_err emit_missing(struct sw_an_ctx *ctx, size_t i, const struct sw__cm_scan *hid)
{
	const struct sw__cm_mark *m = &hid->m[i];
	const char *expect = hid->m[i].reg_raw;
	char detail[400];
	int hidden = m->shown > 0;

	snprintf(detail, sizeof detail, "expected: %s; seen: %s%s", expect ? expect : "any",
		 hidden ? m->first.shown : "none", hidden ? " (only in hidden text)" : "");
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = marks[i].missing, .sev = -1,
					      .confidence = hidden ? 0.9 : 0.85,
					      .technique = hidden ? "hidden-only" : "absent",
					      .off = hidden ? m->first.off : SW_NONE,
					      .len = hidden ? m->first.len : 0,
					      .target = expect, .detail = detail},
			  "page does not show the %s%s%s", marks[i].what,
			  expect ? ", registered " : "", expect ? expect : "");
}

/* Emits "mark i shown differs from the register". */
static enum sw_err emit_mismatch(struct sw_an_ctx *ctx, size_t i, const struct sw__cm_mark *m)
{
	char detail[400];

	snprintf(detail, sizeof detail, "expected: %s; seen: %s", m->reg_raw, m->other.shown);
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = marks[i].mismatch, .sev = -1,
					      .confidence = 0.9, .technique = "mismatch",
					      .off = m->other.off, .len = m->other.len,
					      .target = m->other.shown, .detail = detail},
			  "%s shown (%s) differs from the register (%s)", marks[i].what,
			  m->other.shown, m->reg_raw);
}

/* Sponsor line: missing, or shown with another name than the register's. */
static enum sw_err report_org(struct sw_an_ctx *ctx, const struct sw__cm_scan *sc)
{
	const struct sw__cm_org *first;
	const char *reg = ctx->site->org;
	char key[128], detail[400];
	size_t shown = orgs_shown(sc, &first);
	int has_key = reg && sw__cm_org_key(reg, key, sizeof key);

	/* The registered name anywhere in the visible text is the sponsor
	 * shown, whatever word introduces it (版权所有, 主办 ...). */
	if (has_key && memmem(ctx->vis, ctx->vis_len, key, strlen(key)))
		return SW_OK;
	if (shown == 0) {
		snprintf(detail, sizeof detail, "expected: %s; seen: none", reg ? reg : "a 主办单位 line");
		return sw_an_emit(ctx,
				  &(struct sw_an_hit){.key = "compliance.org_missing", .sev = -1,
						      .confidence = 0.8, .technique = "absent",
						      .off = SW_NONE, .target = reg, .detail = detail},
				  "page does not show the sponsor (主办单位)%s%s",
				  reg ? ", registered " : "", reg ? reg : "");
	}
	if (!has_key)
		return SW_OK;
	for (size_t i = 0; i < SW__CM_ORGS && i < sc->norg; i++)
		if (org_counts(sc, &sc->org[i]) && sw__cm_org_same(sc->org[i].v.key, key))
			return SW_OK;
	snprintf(detail, sizeof detail, "expected: %s; seen: %s", reg, first->v.shown);
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = "compliance.org_mismatch", .sev = -1,
					      .confidence = 0.8, .technique = "mismatch",
					      .off = first->v.off, .len = first->v.len,
					      .target = first->v.shown, .detail = detail},
			  "sponsor shown (%s) differs from the register (%s)", first->v.shown, reg);
}

enum sw_err sw__cm_report(struct sw_an_ctx *ctx, const struct sw__cm_scan *sc,
			  const struct sw__cm_scan *hid, int gov, int badge)
{
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < SW__CM_NMARKS && !rc; i++) {
		const struct sw__cm_mark *m = &sc->m[i];

		if (i == SW__CM_CODE && !gov)
			break;
		if (m->shown == 0)
			rc = emit_missing(ctx, i, hid);
		else if (m->has_reg && !m->matched && m->has_other)
			rc = emit_mismatch(ctx, i, m);
	}
	if (!rc && gov && !badge)
		rc = sw_an_emit(ctx,
				&(struct sw_an_hit){.key = "compliance.badge_missing", .sev = -1,
						    .confidence = 0.85, .technique = "absent",
						    .off = SW_NONE,
						    .detail = "expected: a script, image or link from "
							      "dcs.conac.cn or bszs.conac.cn; seen: none"},
				"government page does not show the identification badge (党政机关网站标识)");
	if (!rc && gov)
		rc = report_org(ctx, sc);
	return rc;
}
