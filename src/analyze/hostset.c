/*
 * hostset.c - host names with their subdomains (hostset.h).
 */
#include "analyze/hostset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/rules.h"

/* Values in the map. */
#define EXACT 1
#define SUBTREE 2

struct load {
	struct sw_hostset *hs;
	unsigned flags;
};

static enum sw_err add_line(char *line, size_t no, void *arg)
{
	struct load *l = arg;
	int64_t v = (l->flags & SW_HOSTSET_SUBTREES) ? SUBTREE : EXACT;

	(void)no;
	if (line[0] == '*' && line[1] == '.')
		line += 2, v = SUBTREE;
	else if (line[0] == '.')
		line++, v = SUBTREE;
	for (char *p = line; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return *line ? sw_strmap_put(&l->hs->map, line, v) : SW_OK;
}

enum sw_err sw_hostset_load(struct sw_hostset *hs, const char *rules_dir, const char *path,
			    unsigned flags, struct sw_errbuf *eb)
{
	struct load l = {hs, flags};
	struct sw_errbuf mine;
	char *buf;
	enum sw_err rc;

	sw_strmap_init(&hs->map);
	sw_errbuf_clear(&mine);
	if ((rc = sw_rules_read(rules_dir, path, &buf, NULL, &mine)) != SW_OK) {
		if (rc == SW_ENOTFOUND && (flags & SW_HOSTSET_OPTIONAL))
			return SW_OK;
		return sw_errf(eb, rc, "%s", mine.msg);
	}
	rc = sw_rules_lines(buf, add_line, &l);
	free(buf);
	return rc;
}

void sw_hostset_cleanup(struct sw_hostset *hs)
{
	sw_strmap_cleanup(&hs->map);
}

int sw_hostset_has(const struct sw_hostset *hs, const char *host)
{
	int64_t v;

	if (!hs || !host || !*host)
		return 0;
	if (sw_strmap_get(&hs->map, host, &v))
		return 1;
	for (const char *p = strchr(host, '.'); p; p = strchr(p + 1, '.'))
		if (sw_strmap_get(&hs->map, p + 1, &v) && v == SUBTREE)
			return 1;
	return 0;
}

/* Top-level domains that honest Chinese public-sector pages do not load
 * scripts from but injected ones often do (cheap registrations). */
static const char *const cheap_tlds[] = {
	".top", ".xyz", ".tk", ".ml", ".ga", ".cf", ".gq", ".pw", ".cc", ".club", ".win",
	".bid", ".vip", ".icu", ".buzz", ".wang", ".ren", ".loan", ".work", ".date",
	".racing", ".party", ".live", ".fun", ".site", ".online", ".ru", ".su",
};

/* Fragments of gambling, lottery and private-server domain names (pinyin
 * and English) that injected script and link hosts carry and honest ones do not. */
static const char *const spam_words[] = {
	"bet", "casino", "bocai", "caipiao", "dubo", "qipai", "baijiale", "amjs", "pujing",
	"yongli", "huangguan", "taiyangcheng", "weinisi", "sifu", "xsj", "365", "888", "777",
};

/* Names of the hosts honest pages load scripts from (analytics, CDNs, the
 * badge).  A host that is not on the allow list but carries one of these
 * names with something added (code.jsquery37.com, hm-baidu18.com) is
 * dressed up as one: injectors pick such names so the tag looks familiar. */
static const char *const brands[] = {
	"jquery", "jsquery", "baidu", "cnzz", "google", "gstatic", "bootcdn", "bootcss",
	"jsdelivr", "cloudflare", "staticfile", "baomitu", "51.la", "51la", "conac",
	"qhimg", "sogou", "umeng", "tongji",
};

const char *sw_host_shady(const char *host)
{
	size_t n = strlen(host);
	int digits_dots = 1;

	for (const char *p = host; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			digits_dots = 0;
	if (digits_dots)
		return "ip-address";
	for (size_t k = 0; k < sizeof spam_words / sizeof *spam_words; k++)
		if (strstr(host, spam_words[k]))
			return "spam-host";
	/* Only called for hosts the allow lists do not hold. */
	for (size_t k = 0; k < sizeof brands / sizeof *brands; k++)
		if (strstr(host, brands[k]))
			return "look-alike-host";
	for (size_t k = 0; k < sizeof cheap_tlds / sizeof *cheap_tlds; k++) {
		size_t t = strlen(cheap_tlds[k]);
		if (n > t && !strcmp(host + n - t, cheap_tlds[k]))
			return "cheap-tld";
	}
	return NULL;
}

