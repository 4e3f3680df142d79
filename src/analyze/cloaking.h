/*
 * cloaking.h - content served only to search engines (see cloaking.c).
 * Run by the dark-link analyzer, whose spam vocabulary it shares.
 */
#ifndef SW_ANALYZE_CLOAKING_H
#define SW_ANALYZE_CLOAKING_H

#include "analyze/analyze.h"
#include "analyze/kw.h"

/* Compares ctx's spider and search-visitor variants (when present) with
 * the page and reports darklink.cloaking and trojan.cloaking hits. */
enum sw_err sw_an_cloaking(struct sw_an_ctx *ctx, const struct sw_kw *spam);

#endif
