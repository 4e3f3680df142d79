/*
 * hostset.h - a set of host names read from a rules file, matched with
 * their subdomains: "gov.cn" holds www.example.gov.cn.
 */
#ifndef SW_ANALYZE_HOSTSET_H
#define SW_ANALYZE_HOSTSET_H

#include "core/err.h"
#include "core/strmap.h"

struct sw_hostset {
	struct sw_strmap map;
};

/* Reads rules file path (rules.h) into hs (initialised here).  A leading
 * '.' or "*." on a line is ignored: subdomains always match. */
enum sw_err sw_hostset_load(struct sw_hostset *hs, const char *rules_dir, const char *path,
			    struct sw_errbuf *eb);
void sw_hostset_cleanup(struct sw_hostset *hs);

/* True when host (lower case) or one of its parent domains is in hs. */
int sw_hostset_has(const struct sw_hostset *hs, const char *host);

/*
 * Why host looks like an attacker's rather than a public body's, or NULL:
 * "ip-address", "spam-host" (gambling, lottery, private-server fragments
 * in the name), "look-alike-host" (a CDN's or analytics' name with
 * something added) or "cheap-tld".  For hosts no allow list holds.
 */
const char *sw_host_shady(const char *host);

#endif
