/*
 * worker_wire.h - one analysis request as bytes, from the parent to its
 * persistent analysis worker over a pipe (worker.c).
 *
 * The worker is the parent's own image forked, so a struct of plain values
 * (the policy) travels as it is; pages, site facts and the baseline travel
 * as length-prefixed fields, each followed by a NUL so that the decoded
 * request points into the frame without copying.  The decoder checks every
 * length: a bug on either side must not become an overread.
 */
#ifndef SW_ANALYZE_WORKER_WIRE_H
#define SW_ANALYZE_WORKER_WIRE_H

#include <stddef.h>

#include "analyze/analyze.h"

/* A growable byte buffer; p is the caller's to free. */
struct sw_wire {
	unsigned char *p;
	size_t n, cap;
	int oom;
};

/* Appends the request for in (its baseline serialised) to w.  SW_ENOMEM. */
enum sw_err sw_wire_put_input(struct sw_wire *w, const struct sw_an_input *in);

/* Most site allow-list entries a request carries. */
#define SW_WIRE_ALLOW_MAX 256

/* A decoded request; `in` is ready for sw_analyze. */
struct sw_wire_req {
	struct sw_an_input in;
	struct sw_an_page page, spider, search;
	struct sw_an_page *base_pages;   /* owned */
	struct sw_an_site site;
	const char *allow[SW_WIRE_ALLOW_MAX];
	struct sw_policy policy;
	struct sw_baseline *base;        /* owned */
	struct sw_an_links links;        /* the page's links, when asked for */
};

/* Decodes frame[0..len) into req; the strings point into frame, which must
 * outlive req.  SW_EINVAL when the frame is malformed, SW_ENOMEM. */
enum sw_err sw_wire_get_input(unsigned char *frame, size_t len, struct sw_wire_req *req);
void sw_wire_req_cleanup(struct sw_wire_req *req);

#endif
