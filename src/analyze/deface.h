/*
 * deface.h - the defacement analyzer (sw_analyzer_deface in analyze.h) and
 * the baseline it compares pages against (baseline.h).
 *
 * Findings: defacement.signature (hacker phrases from rules/deface/, also
 * without a baseline), and against a baseline defacement.title,
 * defacement.replaced, defacement.content, defacement.banner and
 * defacement.image.  Regions the baseline knows as dynamic are ignored.
 */
#ifndef SW_ANALYZE_DEFACE_H
#define SW_ANALYZE_DEFACE_H

#include "analyze/analyze.h"
#include "analyze/baseline.h"

#endif
