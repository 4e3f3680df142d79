/*
 * hostset.c - host names with their subdomains (hostset.h).
 */
#include "analyze/hostset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/rules.h"

static enum sw_err add_line(char *line, size_t no, void *arg)
{
	struct sw_hostset *hs = arg;

	(void)no;
	if (line[0] == '*' && line[1] == '.')
		line += 2;
	else if (line[0] == '.')
		line++;
	for (char *p = line; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return *line ? sw_strmap_put(&hs->map, line, 1) : SW_OK;
}

enum sw_err sw_hostset_load(struct sw_hostset *hs, const char *rules_dir, const char *path,
			    struct sw_errbuf *eb)
{
	char *buf;
	enum sw_err rc;

	sw_strmap_init(&hs->map);
	if ((rc = sw_rules_read(rules_dir, path, &buf, NULL, eb)) != SW_OK)
		return rc;
	rc = sw_rules_lines(buf, add_line, hs);
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

	for (const char *p = host; p && *p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL)
		if (sw_strmap_get(&hs->map, p, &v))
			return 1;
	return 0;
}
