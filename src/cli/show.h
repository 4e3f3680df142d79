/*
 * show.h - listing and showing register records on the command line, and
 * the list filters shared by `list` and `export`.
 */
#ifndef SW_CLI_SHOW_H
#define SW_CLI_SHOW_H

#include <getopt.h>

#include "cli/cli.h"

enum {
	SW_OPT_REGION = 256, SW_OPT_UNIT_TYPE, SW_OPT_GROUP, SW_OPT_STATUS, SW_OPT_UNIT,
	SW_OPT_SEARCH, SW_OPT_LIMIT, SW_OPT_OFFSET,
};

/* getopt_long table: the filters plus --json ('j') and --help ('h'). */
extern const struct option sw_show_filter_opts[];

/*
 * Handles option c with argument arg if it is a filter, filling f (region
 * is the caller's buffer the region code is copied into; names of regions,
 * groups and units are resolved through the store).  Returns -1 when c is
 * not a filter, 0 when handled, or an exit status after printing an error.
 */
int sw_show_filter_opt(struct sw_cli *cli, const struct sw_entity *ent, int c, const char *arg,
		       struct sw_filter *f, char *region, size_t regionsz);

/* Prints the rows of ent passing f as a table (or a JSON array). */
int sw_show_list(struct sw_store *st, const struct sw_entity *ent, const struct sw_filter *f,
		 int json);

/* Prints row id of ent with everything related to it. */
int sw_show_one(struct sw_store *st, const struct sw_entity *ent, int64_t id, int json);

#endif
