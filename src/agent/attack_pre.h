/*
 * attack_pre.h - the first pass: decides cheaply whether a request could
 * match the rules at all, so the Core Rule Set (about a millisecond a
 * request here) only sees the few that could.
 *
 * It must never drop a request the rules would flag.  It is built from the
 * same vocabulary: the phrase lists (.data files) that the CRS's request
 * rules name with @pmFromFile, read from the rules directory, plus
 * rules/attack/prefilter.txt (characters and keywords the CRS's regular
 * expressions and libinjection need), compiled into one Vectorscan
 * database and matched case-insensitively over the raw and the decoded
 * request target, User-Agent and Referer.  Structural checks the rules
 * make without any vocabulary (method, protocol, control bytes, broken or
 * multiple percent-encoding, a numeric Host, non-UTF-8 bytes when the
 * setup validates UTF-8) send the request on as well.  The corpus test
 * checks the promise: zero CRS detections missed.
 */
#ifndef SW_AGENT_ATTACK_PRE_H
#define SW_AGENT_ATTACK_PRE_H

#include "agent/logs_parse.h"
#include "core/err.h"

struct ag_pre;

/* vocab: the text of prefilter.txt, NULL for the embedded one. */
enum sw_err ag_pre_new(const char *crs_setup, const char *crs_rules, const char *vocab,
		       struct ag_pre **out, struct sw_errbuf *eb);
void ag_pre_free(struct ag_pre *p);

/* 1 when the request may match the rules and must go to the CRS. */
int ag_pre_check(struct ag_pre *p, const struct ag_logrec *r, const char *host);

/* Patterns compiled (for status and the bench). */
unsigned ag_pre_patterns(const struct ag_pre *p);

#endif
