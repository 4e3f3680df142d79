/*
 * exposure_paths.h - the light exposure probe: well-known paths that leak
 * source, configuration or backups (/.git/HEAD, /.env, /www.zip ...), and
 * the judgement of what the server answered for them.
 *
 * Fetching is the prober's business; this module only says which paths to
 * ask for and decides, from the answers, which are true exposures.  The
 * status code alone proves nothing: many sites answer every path with 200
 * and their home page or a friendly "not found" page (soft 404).  So each
 * path has a content test of what the real file starts with or contains
 * (a git ref, a ZIP signature, KEY=value lines ...), and an answer that is
 * the same as the answer for a path that cannot exist never counts.
 * Pure functions: tested with answers built by hand.
 */
#ifndef SW_PROBE_EXPOSURE_PATHS_H
#define SW_PROBE_EXPOSURE_PATHS_H

#include <stddef.h>

#include "core/err.h"
#include "model/finding.h"

/* One path worth asking for. */
struct sw_exposure_path {
	const char *path; /* "/.git/HEAD" */
	const char *key;  /* finding kind: "exposure.vcs", ".env", ".backup", ".phpinfo" */
	const char *what; /* for people: "git repository metadata" */
	/* True when body (len bytes, not NUL-terminated) is that file. */
	int (*looks)(const char *body, size_t len);
};

/* The table of paths, in the order they should be asked for; *n gets its
 * length.  Static: never freed. */
const struct sw_exposure_path *sw_exposure_paths(size_t *n);

/* What the server answered for one path. */
struct sw_exposure_resp {
	long status;       /* 0: not fetched */
	const char *body;  /* may be NULL when len is 0; borrowed */
	size_t len;
};

/*
 * True when r, the answer for p, exposes it: status 200 or 206, not the
 * same body as soft404 (the answer for a random path that cannot exist;
 * may be NULL), and p's content test passes.
 */
int sw_exposure_exposed(const struct sw_exposure_path *p, const struct sw_exposure_resp *r,
			const struct sw_exposure_resp *soft404);

/*
 * Judges resp[i] as the answer for sw_exposure_paths()[i], for i < n (n
 * at most the table's length), and appends one finding per exposure to
 * out, with evidence {url, path, status, bytes, head}: head is the first
 * bytes of the body with control bytes escaped.  base_url ("http://host")
 * names the site in the evidence.  SW_ENOMEM is the only failure.
 */
enum sw_err sw_exposure_judge(const char *base_url, const struct sw_exposure_resp *resp,
			      size_t n, const struct sw_exposure_resp *soft404,
			      struct sw_findings *out);

#endif
