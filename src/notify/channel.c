/*
 * channel.c - what makes a channel valid before it is stored: the URL's
 * scheme fits the kind, the scope names what it needs, mail has a sender
 * and recipients.  Catching these at `channel add` beats finding out at
 * the first incident that nobody was told.
 */
#include <stdio.h>
#include <string.h>

#include "model/finding.h"
#include "notify/notify.h"

/* True when s starts with one of the NULL-terminated prefixes. */
static int has_prefix(const char *s, const char *const *pre)
{
	for (; *pre; pre++)
		if (!strncmp(s, *pre, strlen(*pre)))
			return 1;
	return 0;
}

/* True when every ',' or ';' separated item of s looks like a mail
 * address (one '@' with text on both sides, no spaces or angle brackets
 * that would break the envelope). */
static int addresses_ok(const char *s)
{
	char buf[512], *save = NULL;
	int n = 0;

	snprintf(buf, sizeof buf, "%s", s);
	for (char *a = strtok_r(buf, ",; ", &save); a; a = strtok_r(NULL, ",; ", &save), n++) {
		const char *at = strchr(a, '@');

		if (!at || at == a || !at[1] || strchr(at + 1, '@') || strpbrk(a, "<>\"\r\n"))
			return 0;
	}
	return n > 0;
}

enum sw_err sw_notify_channel_check(struct sw_channel *c, struct sw_errbuf *eb)
{
	static const char *const http[] = {"http://", "https://", NULL};
	static const char *const smtp[] = {"smtp://", "smtps://", NULL};
	static const char *const sysl[] = {"udp://", "tcp://", NULL};
	static const char *const scopes[] = {"all", "dept", "group", "site", "responsible", NULL};
	const char *const *want = NULL;
	int ok = 0;

	if (!c->name[0] || strlen(c->name) > 60)
		return sw_errf_field(eb, SW_EINVAL, "name", "a channel needs a name of 1-60 bytes");
	if (!strcmp(c->kind, "webhook") || !strcmp(c->kind, "dingtalk") ||
	    !strcmp(c->kind, "wecom"))
		want = http;
	else if (!strcmp(c->kind, "smtp"))
		want = smtp;
	else if (!strcmp(c->kind, "syslog"))
		want = sysl;
	else
		return sw_errf_field(eb, SW_EINVAL, "kind", "kind is webhook, dingtalk, wecom, smtp "
				     "or syslog");
	if (!has_prefix(c->url, want) || strpbrk(c->url, " \r\n"))
		return sw_errf_field(eb, SW_EINVAL, "url", "a %s channel's URL starts with %s%s%s",
				     c->kind, want[0], want[1] ? " or " : "", want[1] ? want[1] : "");
	for (int i = 0; scopes[i]; i++)
		ok |= !strcmp(c->scope, scopes[i]);
	if (!c->scope[0]) {
		snprintf(c->scope, sizeof c->scope, "all");
		ok = 1;
	}
	if (!ok)
		return sw_errf_field(eb, SW_EINVAL, "scope", "scope is all, dept, group, site or "
				     "responsible");
	if ((!strcmp(c->scope, "dept") || !strcmp(c->scope, "group") || !strcmp(c->scope, "site")) &&
	    c->scope_id <= 0)
		return sw_errf_field(eb, SW_EINVAL, "scope", "a %s channel names its %s", c->scope,
				     c->scope);
	if (!strcmp(c->scope, "all") || !strcmp(c->scope, "responsible"))
		c->scope_id = 0;
	if (!strcmp(c->scope, "responsible") && strcmp(c->kind, "smtp"))
		return sw_errf_field(eb, SW_EINVAL, "scope", "only a mail (smtp) channel can reach "
				     "the responsible persons");
	if (!strcmp(c->kind, "smtp")) {
		if (!addresses_ok(c->sender))
			return sw_errf_field(eb, SW_EINVAL, "from", "a mail channel needs a sender "
					     "address");
		if (strcmp(c->scope, "responsible") && !addresses_ok(c->recipients))
			return sw_errf_field(eb, SW_EINVAL, "to", "a mail channel needs recipient "
					     "addresses");
	}
	if (!c->min_severity[0])
		snprintf(c->min_severity, sizeof c->min_severity, "medium");
	if (sw_sev_parse(c->min_severity) < 0)
		return sw_errf_field(eb, SW_EINVAL, "min_severity", "unknown severity '%s'",
				     c->min_severity);
	if (c->digest_after == 0)
		c->digest_after = 20;
	if (c->digest_after < 1 || c->digest_after > 100000)
		return sw_errf_field(eb, SW_EINVAL, "digest_after", "digest_after is 1 to 100000");
	return SW_OK;
}
