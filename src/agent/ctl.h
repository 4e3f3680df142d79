/*
 * ctl.h - the control socket STORE/agent.sock of a running agent, through
 * which `status`, `pause`, `resume` and `publish` reach it: the running
 * agent must make those changes itself, or it would undo them.
 *
 * Requests are one line ("status", "pause ROOT|* UNTIL", "resume ROOT|*
 * accept|revert", "publish ROOT STAGING"); the answer is "ok" or "error:
 * MESSAGE" on the first line, then any text, then end of stream.  The
 * socket lives in the 0700 store, so only root reaches it.
 */
#ifndef SW_AGENT_CTL_H
#define SW_AGENT_CTL_H

#include <stddef.h>

#include "core/err.h"

/* Listens on STORE/agent.sock (replacing a stale one). */
int ag_ctl_listen(const char *store, struct sw_errbuf *eb);

/* Reads one request line from an accepted connection (bounded, 2 s). */
int ag_ctl_read(int fd, char *line, size_t n);

/*
 * Sends req to the running agent and returns its whole answer in *reply
 * (malloc'd).  SW_ENOTFOUND when no agent listens; SW_EIO otherwise.
 */
enum sw_err ag_ctl_call(const char *store, const char *req, char **reply, int timeout_s);

#endif
