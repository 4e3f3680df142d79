/*
 * deface.c - PLACEHOLDER until the deface analyzer lands: reports nothing.
 * The file is replaced whole by the real analyzer.
 */
#include "analyze/analyze.h"

static enum sw_err run(struct sw_an_ctx *ctx, const void *state)
{
	(void)ctx;
	(void)state;
	return SW_OK;
}

const struct sw_analyzer sw_analyzer_deface = {"deface", NULL, NULL, run};
