/*
 * finding.c - the table of finding kinds and the finding list.
 *
 * Default severities follow what the 2015 plan treats as incidents: a site
 * that is down, defaced, serving trojans or redirected away is high; a
 * certificate that will expire or a slow page is something to fix soon.
 */
#include "model/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};
static const char *const sev_zh[] = {"提示", "低", "中", "高", "严重"};

static const struct sw_finding_kind kinds[] = {
	{"availability.down", "网站无法访问", SW_SEV_HIGH},
	{"availability.timeout", "访问超时", SW_SEV_HIGH},
	{"availability.http_error", "HTTP错误", SW_SEV_HIGH},
	{"availability.slow", "响应缓慢", SW_SEV_LOW},
	{"availability.empty", "页面内容为空", SW_SEV_MEDIUM},
	{"availability.too_large", "页面超过大小上限", SW_SEV_LOW},
	{"dns.nxdomain", "域名无法解析", SW_SEV_HIGH},
	{"dns.changed", "解析地址变化(疑似劫持)", SW_SEV_HIGH},
	{"tls.expired", "证书已过期", SW_SEV_HIGH},
	{"tls.expiring", "证书即将过期", SW_SEV_MEDIUM},
	{"tls.name_mismatch", "证书域名不匹配", SW_SEV_HIGH},
	{"tls.untrusted", "证书不受信任", SW_SEV_MEDIUM},
	{"tls.old_protocol", "TLS协议版本过旧", SW_SEV_MEDIUM},
	{"tls.handshake", "TLS握手失败", SW_SEV_HIGH},
	{"redirect.cross_domain", "跳转至其他域名", SW_SEV_HIGH},
	{"redirect.loop", "重定向循环", SW_SEV_HIGH},
	{"redirect.too_many", "重定向次数过多", SW_SEV_HIGH},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *sw_sev_name(enum sw_sev s)
{
	return (unsigned)s <= SW_SEV_CRITICAL ? sev_names[s] : "?";
}

const char *sw_sev_zh(enum sw_sev s)
{
	return (unsigned)s <= SW_SEV_CRITICAL ? sev_zh[s] : "?";
}

int sw_sev_parse(const char *name)
{
	for (int i = 0; i <= SW_SEV_CRITICAL; i++)
		if (name && strcmp(name, sev_names[i]) == 0)
			return i;
	return -1;
}

const struct sw_finding_kind *sw_finding_kind(const char *key)
{
	for (size_t i = 0; key && i < NKINDS; i++)
		if (strcmp(kinds[i].key, key) == 0)
			return &kinds[i];
	return NULL;
}

const struct sw_finding_kind *sw_finding_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

void sw_findings_init(struct sw_findings *f)
{
	memset(f, 0, sizeof *f);
}

void sw_findings_cleanup(struct sw_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].title);
		free(f->v[i].evidence);
	}
	free(f->v);
	sw_findings_init(f);
}

enum sw_err sw_findings_add(struct sw_findings *f, const char *key, enum sw_sev sev,
			    const char *evidence, const char *fmt, ...)
{
	const struct sw_finding_kind *k = sw_finding_kind(key);
	struct sw_finding *x;
	char title[512];
	va_list ap;

	if (!k)
		sw_fatal("unknown finding kind %s", key);
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		struct sw_finding *v = realloc(f->v, cap * sizeof *v);

		if (!v)
			return SW_ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	x = &f->v[f->n];
	x->kind = k;
	x->sev = sev;
	x->title = strdup(title);
	x->evidence = evidence ? strdup(evidence) : NULL;
	if (!x->title || (evidence && !x->evidence)) {
		free(x->title);
		free(x->evidence);
		return SW_ENOMEM;
	}
	f->n++;
	return SW_OK;
}

int sw_findings_max_sev(const struct sw_findings *f)
{
	int max = -1;

	for (size_t i = 0; i < f->n; i++)
		if ((int)f->v[i].sev > max)
			max = (int)f->v[i].sev;
	return max;
}
