/*
 * policy.c - the table of policy fields and their validation.
 *
 * Defaults follow the 2015 plan's expectations for a government site: a
 * check every five minutes, all detectors on, alerts to the site's own
 * responsible persons and its supervising department, and the anti-tamper
 * agent restoring files (not only reporting).
 */
#include "model/policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const checks[] = {"availability", "tls", "dns", "redirect", "deface",
				     "trojan", "darklink", "sensitive", "compliance",
				     "exposure", NULL};
static const char *const routes[] = {"responsible", "department", "group", "supervisor", NULL};
static const char *const protections[] = {"off", "monitor", "restore", "serve-guard", NULL};
static const char *const severities[] = {"info", "low", "medium", "high", "critical", NULL};

static const struct sw_policy_field fields[] = {
	{"interval", "检查间隔(秒)", SW_PT_INT, 30, 86400, NULL, "300",
	 "seconds between checks of a site"},
	{"timeout", "超时(秒)", SW_PT_INT, 1, 120, NULL, "20", "time-out of one fetch, seconds"},
	{"slow_ms", "慢响应阈值(毫秒)", SW_PT_INT, 100, 120000, NULL, "5000",
	 "a page slower than this is reported slow"},
	{"fail_threshold", "连续失败次数", SW_PT_INT, 1, 20, NULL, "3",
	 "consecutive failures before a site is reported down"},
	{"tls_warn_days", "证书到期提醒(天)", SW_PT_INT, 1, 365, NULL, "30",
	 "warn this many days before a certificate expires"},
	{"crawl_pages", "抓取页数", SW_PT_INT, 1, 33, NULL, "5",
	 "pages fetched per site per check (home page included; see docs/engine.md)"},
	{"crawl_depth", "抓取深度", SW_PT_INT, 0, 10, NULL, "1", "link depth of the crawl"},
	{"checks", "启用检查", SW_PT_LIST, 0, 0, checks,
	 "availability,tls,dns,redirect,deface,trojan,darklink,sensitive,compliance",
	 "enabled checks, comma-separated, or all (exposure is opt-in)"},
	{"keywords", "关键词库", SW_PT_WORDS, 0, 0, NULL, "default",
	 "keyword lists used by the content checks"},
	{"alert_routing", "告警通知对象", SW_PT_LIST, 0, 0, routes, "responsible,department",
	 "who is alerted: responsible, department, group, supervisor"},
	{"protection", "防护策略", SW_PT_ENUM, 0, 0, protections, "restore",
	 "agent mode: off, monitor, restore, serve-guard"},
	/* Alerts and incidents (src/alert, src/incident): the plan asks for a
	 * report to the supervising department at once (an hour here), the
	 * emergency plan started and the PSB told as soon. */
	{"alert_min_severity", "告警通知最低级别", SW_PT_ENUM, 0, 0, severities, "medium",
	 "least severity of an alert that is notified"},
	{"incident_min_severity", "自动立案最低级别", SW_PT_ENUM, 0, 0, severities, "high",
	 "least severity of a defacement, trojan, dark link or tamper alert that opens an incident"},
	{"incident_report_minutes", "事件报告时限(分钟)", SW_PT_INT, 1, 10080, NULL, "60",
	 "minutes to report an incident to the department, the PSB and (major) the CAC office"},
	{"incident_plan_minutes", "预案启动时限(分钟)", SW_PT_INT, 1, 10080, NULL, "60",
	 "minutes to start the emergency plan"},
	{"incident_recover_minutes", "恢复时限(分钟)", SW_PT_INT, 1, 43200, NULL, "1440",
	 "minutes to recover the site"},
	{"incident_close_days", "结案时限(天)", SW_PT_INT, 1, 365, NULL, "30",
	 "days to close an incident with cause, fix and accountability"},
	{"mlps_cycle_g3", "三级测评周期(月)", SW_PT_INT, 0, 60, NULL, "12",
	 "months between MLPS assessments of a grade 3 system (0: no fixed cycle)"},
	{"mlps_cycle_g4", "四级测评周期(月)", SW_PT_INT, 0, 60, NULL, "6",
	 "months between MLPS assessments of a grade 4 system"},
	{"mlps_cycle_g5", "五级测评周期(月)", SW_PT_INT, 0, 60, NULL, "6",
	 "months between MLPS assessments of a grade 5 system"},
	{"mlps_due_soon_days", "测评到期提醒(天)", SW_PT_INT, 1, 365, NULL, "30",
	 "an MLPS assessment due within this many days is listed as due soon"},
	/* Scale-out (docs/deploy.md): labels of the probe nodes that also check
	 * the site, each a node label such as net=unicom. */
	{"vantage", "多点监测", SW_PT_WORDS, 0, 0, NULL, "none",
	 "node labels (key=value) whose nodes also check the site; none: any one node"},
	{"prelaunch_check_days", "上线前检测有效期(天)", SW_PT_INT, 1, 365, NULL, "30",
	 "a site goes from pre-launch to online only after a passing check this recent"},
};

#define NFIELDS (sizeof fields / sizeof fields[0])
_Static_assert(NFIELDS <= SW_POLICY_MAX_FIELDS, "too many policy fields");

const struct sw_policy_field *sw_policy_fields(size_t *n)
{
	*n = NFIELDS;
	return fields;
}

/* Compares a key with '-' and '_' treated alike (CLI habits differ). */
static int key_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

int sw_policy_field(const char *key)
{
	for (size_t i = 0; key && i < NFIELDS; i++)
		if (key_eq(fields[i].key, key))
			return (int)i;
	return -1;
}

/* Index of `word` (len bytes) in choices, or -1. */
static int choice(const char *const *choices, const char *word, size_t len)
{
	for (int i = 0; choices[i]; i++)
		if (strlen(choices[i]) == len && strncmp(choices[i], word, len) == 0)
			return i;
	return -1;
}

/* Canonicalises a list of choices: "all", or items separated by commas,
 * semicolons or spaces; output in table order, duplicates dropped. */
static enum sw_err check_list(const struct sw_policy_field *f, const char *in, char *out,
			      size_t outsz, struct sw_errbuf *eb)
{
	int seen[32] = {0};
	size_t used = 0;

	if (strcmp(in, "all") == 0) {
		for (int i = 0; f->choices[i]; i++)
			seen[i] = 1;
	} else {
		for (const char *p = in; *p;) {
			size_t len = strcspn(p, ",; ");
			int c;

			if (len) {
				if ((c = choice(f->choices, p, len)) < 0)
					return sw_errf(eb, SW_EINVAL, "%s: unknown item '%.*s'", f->key,
						       (int)len, p);
				seen[c] = 1;
			}
			p += len;
			p += *p != '\0';
		}
	}
	out[0] = '\0';
	for (int i = 0; f->choices[i]; i++) {
		int w;

		if (!seen[i])
			continue;
		w = snprintf(out + used, outsz - used, "%s%s", used ? "," : "", f->choices[i]);
		if (w < 0 || (size_t)w >= outsz - used)
			return sw_errf(eb, SW_ELIMIT, "%s: value too long", f->key);
		used += (size_t)w;
	}
	return SW_OK;
}

/* Keyword list names: lower-case words of [a-z0-9_-], comma-separated. */
static enum sw_err check_words(const struct sw_policy_field *f, const char *in, char *out,
			       size_t outsz, struct sw_errbuf *eb)
{
	size_t j = 0;

	for (const char *p = in; *p; p++) {
		char c = (char)tolower((unsigned char)*p);

		if (c == ';' || c == ' ')
			c = ',';
		/* '=' for the vantage labels (key=value). */
		if (!(isalnum((unsigned char)c) || c == '_' || c == '-' || c == ',' || c == '='))
			return sw_errf(eb, SW_EINVAL, "%s: names may hold only a-z, 0-9, '_', '-' and '='",
				       f->key);
		if (c == ',' && (j == 0 || out[j - 1] == ','))
			continue;
		if (j + 1 >= outsz)
			return sw_errf(eb, SW_ELIMIT, "%s: value too long", f->key);
		out[j++] = c;
	}
	if (j && out[j - 1] == ',')
		j--;
	out[j] = '\0';
	if (j == 0)
		return sw_errf(eb, SW_EINVAL, "%s: empty list", f->key);
	return SW_OK;
}

enum sw_err sw_policy_check(int i, const char *in, char *out, size_t outsz,
			    struct sw_errbuf *eb)
{
	const struct sw_policy_field *f;
	char *end;
	long n;

	if (i < 0 || (size_t)i >= NFIELDS)
		return sw_errf(eb, SW_EINVAL, "unknown policy field");
	f = &fields[i];
	switch (f->type) {
	case SW_PT_INT:
		n = strtol(in, &end, 10);
		if (end == in || *end || n < f->imin || n > f->imax)
			return sw_errf(eb, SW_EINVAL, "%s must be a whole number from %ld to %ld", f->key,
				       f->imin, f->imax);
		snprintf(out, outsz, "%ld", n);
		return SW_OK;
	case SW_PT_ENUM:
		if (choice(f->choices, in, strlen(in)) < 0)
			return sw_errf(eb, SW_EINVAL, "%s: unknown value '%s'", f->key, in);
		snprintf(out, outsz, "%s", in);
		return SW_OK;
	case SW_PT_LIST:
		return check_list(f, in, out, outsz, eb);
	case SW_PT_WORDS:
		return check_words(f, in, out, outsz, eb);
	}
	return SW_EINVAL;
}

void sw_policy_defaults(struct sw_policy *p)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < NFIELDS; i++) {
		snprintf(p->v[i], sizeof p->v[i], "%s", fields[i].dflt);
		p->from[i] = -1;
	}
}

enum sw_err sw_policy_overlay(struct sw_policy *p, enum sw_scope scope, const char *key,
			      const char *value)
{
	int i = sw_policy_field(key);
	char canon[SW_POLICY_VALUE_MAX];

	if (i < 0 || sw_policy_check(i, value, canon, sizeof canon, NULL))
		return SW_EINVAL;
	memcpy(p->v[i], canon, sizeof canon);
	p->from[i] = (int)scope;
	return SW_OK;
}

long sw_policy_int(const struct sw_policy *p, const char *key)
{
	int i = sw_policy_field(key);

	if (i < 0 || fields[i].type != SW_PT_INT)
		sw_fatal("policy field %s is not an integer", key);
	return strtol(p->v[i], NULL, 10);
}

int sw_policy_has(const struct sw_policy *p, const char *key, const char *item)
{
	int i = sw_policy_field(key);
	size_t len = strlen(item);

	if (i < 0)
		return 0;
	for (const char *s = p->v[i]; *s;) {
		size_t n = strcspn(s, ",");

		if (n == len && strncmp(s, item, n) == 0)
			return 1;
		s += n + (s[n] == ',');
	}
	return 0;
}
