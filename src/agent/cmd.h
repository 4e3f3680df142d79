/*
 * cmd.h - the commands of sitewarden-agent; main.c parses the command line
 * into a configuration and these options, then calls one of them.  Each
 * returns the exit status: 0 success, 1 failure or differences found, 2
 * usage error.
 */
#ifndef SW_AGENT_CMD_H
#define SW_AGENT_CMD_H

#include <stdint.h>

#include "agent/config.h"

struct ag_opts {
	int json;
	int progress; /* -1: when stderr is a terminal */
	int force;
	int objects;
	int accept, revert;
	const char *from;
	const char *to;
	int64_t pause_s;
	/* logs test */
	const char *file, *log_format, *site, *mode;
};

int ag_cmd_init(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_run(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_verify(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_status(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_publish(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_pause(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_resume(struct ag_config *c, const struct ag_opts *o);
int ag_cmd_logs(struct ag_config *c, const struct ag_opts *o);

/* Prints "sitewarden-agent: MSG" on stderr. */
void ag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
