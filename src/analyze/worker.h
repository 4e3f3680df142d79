/*
 * worker.h - running the analyzers on hostile pages in a throw-away child
 * process that can do nothing but compute and answer.
 *
 * Why: an HTML parser on a hostile page may take seconds or gigabytes
 * whatever limits we check first.  So each page is analysed in a forked
 * child with an address-space and CPU-time limit and a seccomp filter that
 * allows memory management, writing to its answer pipe and exiting, and
 * nothing else (no files, no network, no exec).  When the child dies or is
 * killed the page yields an analysis.limit finding and the caller goes on.
 */
#ifndef SW_ANALYZE_WORKER_H
#define SW_ANALYZE_WORKER_H

#include "analyze/analyze.h"

struct sw_an_worker_limits {
	unsigned cpu_seconds;  /* RLIMIT_CPU of the child; default 10 */
	unsigned wall_seconds; /* killed after this long; default 20 */
	size_t mem_bytes;      /* RLIMIT_AS added to what the parent uses; default 1 GiB */
	int sandbox;           /* 1: fork + limits + seccomp (default); 0: in process */
};

void sw_an_worker_limits_init(struct sw_an_worker_limits *l);

/*
 * As sw_analyze, but in a sandboxed child (see above).  Findings come back
 * over a pipe and are appended to out.  A child that crashes, exceeds a
 * limit or answers garbage yields one analysis.limit finding; only failures
 * of the parent itself (fork, memory) are errors.
 */
enum sw_err sw_an_worker_analyze(const struct sw_an_rules *rules, const struct sw_an_input *in,
				 const struct sw_an_worker_limits *lim, struct sw_findings *out,
				 struct sw_errbuf *eb);

/*
 * Learns a defacement baseline from n earlier versions of a page (oldest
 * first) in a sandboxed child, which hands back the serialised baseline;
 * it is read back here with the blob reader's own checks.  *out is the
 * caller's (sw_baseline_free).  SW_ELIMIT when the child died (a page
 * beyond the limits), SW_EINVAL for n out of range, SW_EIO, SW_ENOMEM.
 */
enum sw_err sw_an_worker_learn(const struct sw_an_page *pages, size_t n,
			       const struct sw_an_worker_limits *lim, struct sw_baseline **out,
			       struct sw_errbuf *eb);

#endif
