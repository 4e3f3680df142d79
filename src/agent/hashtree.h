/*
 * hashtree.h - digests every regular file of a walked baseline in
 * parallel and stores each distinct content once in new packs.
 *
 * Shared by init (a fresh baseline), publish (a staging tree) and resume
 * with accept: when an old baseline is given, contents it already holds
 * are referenced, not stored again, so publishing a site with three
 * changed pages stores three objects.
 */
#ifndef SW_AGENT_HASHTREE_H
#define SW_AGENT_HASHTREE_H

#include "agent/baseline.h"

struct ag_hash_job {
	const char *top;      /* tree the files are read from */
	struct ag_base *b;    /* walked entries; digests and objects filled in */
	const char *pack_dir; /* STORE/roots/<id>/packs */
	const struct ag_base *old; /* previous baseline to reuse objects of, or NULL */
	int threads;          /* 0: one per online CPU */
	int progress;         /* 1: progress line on stderr */
	/* Results: */
	uint64_t stored, reused, bytes_stored;
};

/* Runs the job.  On success every AG_REG entry has hash, pack and off, and
 * b->packs lists exactly the packs its entries use (the old baseline's
 * included).  On failure the new packs are removed. */
enum sw_err ag_hash_tree(struct ag_hash_job *j, struct sw_errbuf *eb);

/* Deletes every pack in pack_dir that b does not list.  Call only after b
 * is saved as the root's baseline. */
void ag_packs_gc(const char *pack_dir, const struct ag_base *b);

#endif
