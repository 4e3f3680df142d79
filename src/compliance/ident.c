/*
 * ident.c - unified identification (统一标识): the register's ICP number,
 * PSB filing number, 网站标识码 and badge against what the monitor saw on
 * the live page (the compliance.* findings of the site's latest check).
 *
 * Which items a site must carry: every site shows its ICP and PSB filing
 * numbers; the 网站标识码 and the 党政机关 badge are asked of party and
 * government (党政机关) sites only.  A mismatch (the page shows another
 * number than the register) outranks anything missing: it is the sign of
 * a copied template or a wrong register entry, and it is what gets chased
 * first.
 */
#include "compliance/compliance.h"

#include <stdio.h>
#include <string.h>

static const char *const ident_names[] = {"complete", "missing", "mismatch"};

const char *sw_ident_name(enum sw_ident s)
{
	return (unsigned)s < 3 ? ident_names[s] : "?";
}

unsigned sw_ident_kind_bit(const char *kind, int *mismatch)
{
	static const struct { const char *kind; unsigned bit; int mismatch; } map[] = {
		{"compliance.icp_missing", SW_IM_ICP, 0},
		{"compliance.icp_mismatch", SW_IM_ICP, 1},
		{"compliance.psb_missing", SW_IM_PSB, 0},
		{"compliance.psb_mismatch", SW_IM_PSB, 1},
		{"compliance.site_code_missing", SW_IM_CODE, 0},
		{"compliance.site_code_mismatch", SW_IM_CODE, 1},
		{"compliance.badge_missing", SW_IM_BADGE, 0},
	};

	for (size_t i = 0; kind && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].kind, kind) == 0) {
			*mismatch = map[i].mismatch;
			return map[i].bit;
		}
	*mismatch = 0;
	return 0;
}

/* True when a register value is present ("0" is an absent badge). */
static int present(const char *v)
{
	return v && *v && strcmp(v, "0") != 0;
}

enum sw_ident sw_ident_judge(const struct sw_ident_in *in, unsigned *missing_reg,
			     unsigned *missing_page, unsigned *mismatch)
{
	unsigned need = SW_IM_ICP | SW_IM_PSB, reg = 0, page = 0, mis;

	if (in->unit_type && strcmp(in->unit_type, "party_gov") == 0)
		need |= SW_IM_CODE | SW_IM_BADGE;
	reg |= present(in->icp) ? 0 : SW_IM_ICP;
	reg |= present(in->psb) ? 0 : SW_IM_PSB;
	reg |= present(in->gov_code) ? 0 : SW_IM_CODE;
	reg |= present(in->badge) ? 0 : SW_IM_BADGE;
	reg &= need;
	page = in->checked ? in->page_missing & need : 0;
	mis = in->checked ? in->page_mismatch : 0;
	if (missing_reg)
		*missing_reg = reg;
	if (missing_page)
		*missing_page = page;
	if (mismatch)
		*mismatch = mis;
	if (mis)
		return SW_IDENT_MISMATCH;
	return reg | page ? SW_IDENT_MISSING : SW_IDENT_COMPLETE;
}

void sw_ident_items(unsigned bits, char *out, size_t n)
{
	static const char *const names[] = {"icp", "psb", "gov_code", "badge"};
	size_t used = 0;

	if (n)
		out[0] = '\0';
	for (int i = 0; i < 4; i++) {
		int w;

		if (!(bits & (1u << i)))
			continue;
		w = snprintf(out + used, n - used, "%s%s", used ? "," : "", names[i]);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}
