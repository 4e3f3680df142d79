/*
 * probe_show.h - the read side of `sitewarden probe` (probe_show.c).
 */
#ifndef SW_CLI_PROBE_SHOW_H
#define SW_CLI_PROBE_SHOW_H

#include <stdint.h>

#include "cli/cli.h"

/* Finds the site `ref` (id, URL, host name or name) names; prints the
 * error and returns 0 when there is none or it is ambiguous. */
int64_t sw__probe_site(struct sw_store *st, const char *ref);

/* Prints the schedule, state and last check (with its findings) of site
 * `ref` as one JSON object, members null while there are none; returns
 * the exit status. */
int sw__probe_show(struct sw_store *st, const char *ref);

#endif
