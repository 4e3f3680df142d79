/*
 * hostset.h - a set of host names read from a rules file (allow lists,
 * honest domains).  An entry with a leading '.' (or "*.") holds the name
 * and every host below it: ".gov.cn" holds www.example.gov.cn.  A plain
 * entry holds that host only, unless the set is loaded with
 * SW_HOSTSET_SUBTREES, which makes every entry a subtree.
 */
#ifndef SW_ANALYZE_HOSTSET_H
#define SW_ANALYZE_HOSTSET_H

#include "core/err.h"
#include "core/strmap.h"

struct sw_hostset {
	struct sw_strmap map;
};

/* sw_hostset_load flags. */
#define SW_HOSTSET_SUBTREES 0x1 /* every entry holds its subdomains too */
#define SW_HOSTSET_OPTIONAL 0x2 /* a missing file is an empty set, not an error */

/* Reads rules file path (rules.h) into hs (initialised here). */
enum sw_err sw_hostset_load(struct sw_hostset *hs, const char *rules_dir, const char *path,
			    unsigned flags, struct sw_errbuf *eb);
void sw_hostset_cleanup(struct sw_hostset *hs);

/* True when host (lower case) is an entry of hs, or lies below a subtree
 * entry.  hs may be NULL (an empty set). */
int sw_hostset_has(const struct sw_hostset *hs, const char *host);

/*
 * Why host looks like an attacker's rather than a public body's, or NULL:
 * "ip-address", "spam-host" (gambling, lottery, private-server fragments
 * in the name), "look-alike-host" (a CDN's or analytics' name with
 * something added) or "cheap-tld".  For hosts no allow list holds.
 */
const char *sw_host_shady(const char *host);

#endif
