/*
 * walk.h - reads a directory tree into a baseline (without digests):
 * breadth first, children sorted by name, excluded paths left out, upload
 * directories recorded but not entered.  Used by init, publish and the
 * accept-on-resume path; the digests are filled by hashing (init.h).
 */
#ifndef SW_AGENT_WALK_H
#define SW_AGENT_WALK_H

#include <stdint.h>

#include "agent/baseline.h"
#include "agent/config.h"

struct ag_walk_stats {
	uint64_t files, dirs, links, skipped, bytes;
};

/* Walks top (the root itself, or a staging copy laid out like it) using
 * rc's exclude and upload rules; b must be empty.  progress, when not NULL,
 * is called now and then. */
enum sw_err ag_walk(const char *top, const struct ag_root_conf *rc, struct ag_base *b,
		    struct ag_walk_stats *ws,
		    void (*progress)(const struct ag_walk_stats *ws, void *arg), void *arg,
		    struct sw_errbuf *eb);

/* Sets AG_F_UPLOAD on the directories rc names as upload directories. */
void ag_base_mark_uploads(struct ag_base *b, const struct ag_root_conf *rc);

/* 1 when rel (relative path) is an upload directory of rc or inside one. */
int ag_in_upload(const struct ag_root_conf *rc, const char *rel);

/* Fills an entry's attributes from a stat result. */
struct stat;
void ag_ent_from_stat(struct ag_ent *e, const struct stat *st);

#endif
