/*
 * ops.h - the owner's legitimate changes: publish a new version, pause and
 * resume protection.  They run in the guard thread of a running agent
 * (through the control socket) or, when no agent runs, in the command's
 * own process with a guard that watches nothing; either way they update
 * the baseline and report events.
 */
#ifndef SW_AGENT_OPS_H
#define SW_AGENT_OPS_H

#include <stdint.h>

#include "agent/guard.h"

/*
 * Makes the tree at staging the new content and baseline of root ri.  The
 * new tree is built beside the root, hashed and committed as the baseline,
 * upload directories and excluded paths are carried over from the live
 * root, then the two trees are exchanged in one rename (renameat2
 * RENAME_EXCHANGE): a reader sees the old version or the new one, never a
 * mix.  Where that is impossible (the root is a mount point) every file is
 * replaced atomically one by one.  summary gets a one-line description.
 */
enum sw_err ag_op_publish(struct ag_guard *g, uint32_t ri, const char *staging,
			  char *summary, size_t n, struct sw_errbuf *eb);

/* Pauses root ri (or every root when ri < 0) until the given unix time. */
enum sw_err ag_op_pause(struct ag_guard *g, int ri, int64_t until, struct sw_errbuf *eb);

/*
 * Resumes root ri (every paused root when ri < 0): with accept the live
 * tree becomes the new baseline; otherwise it is reconciled back to the
 * baseline.  why is "resume" or "expired".
 */
enum sw_err ag_op_resume(struct ag_guard *g, int ri, int accept, const char *why,
			 struct sw_errbuf *eb);

/* Resumes roots whose pause ran out (reverting their changes). */
void ag_op_expire(struct ag_guard *g);

#endif
