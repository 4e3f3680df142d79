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

/* K(family, check, label, severity): the key is "family.check". */
#define K(fam, chk, zh, sev) {fam "." chk, fam, zh, sev}
static const struct sw_finding_kind kinds[] = {
	K("availability", "down", "网站无法访问", SW_SEV_HIGH),
	K("availability", "timeout", "访问超时", SW_SEV_HIGH),
	K("availability", "http_error", "HTTP错误", SW_SEV_HIGH),
	K("availability", "slow", "响应缓慢", SW_SEV_LOW),
	K("availability", "empty", "页面内容为空", SW_SEV_MEDIUM),
	K("availability", "too_large", "页面超过大小上限", SW_SEV_LOW),
	K("dns", "nxdomain", "域名无法解析", SW_SEV_HIGH),
	K("dns", "changed", "解析地址变化(疑似劫持)", SW_SEV_HIGH),
	/* Vantage points (docs/deploy.md): the same site seen differently from
	 * nodes on different networks. */
	K("dns", "vantage_differs", "不同监测点解析结果不一致", SW_SEV_MEDIUM),
	K("tls", "expired", "证书已过期", SW_SEV_HIGH),
	K("tls", "expiring", "证书即将过期", SW_SEV_MEDIUM),
	K("tls", "name_mismatch", "证书域名不匹配", SW_SEV_HIGH),
	K("tls", "untrusted", "证书不受信任", SW_SEV_MEDIUM),
	K("tls", "old_protocol", "TLS协议版本过旧", SW_SEV_MEDIUM),
	K("tls", "handshake", "TLS握手失败", SW_SEV_HIGH),
	K("redirect", "cross_domain", "跳转至其他域名", SW_SEV_HIGH),
	K("redirect", "loop", "重定向循环", SW_SEV_HIGH),
	K("redirect", "too_many", "重定向次数过多", SW_SEV_HIGH),
	/* page analyzers */
	K("darklink", "hidden_link", "暗链(隐藏链接)", SW_SEV_HIGH),
	K("darklink", "hidden_text", "隐藏的垃圾文字", SW_SEV_MEDIUM),
	K("darklink", "cloaking", "暗链(仅对搜索引擎可见)", SW_SEV_HIGH),
	K("trojan", "hidden_iframe", "挂马(隐藏框架)", SW_SEV_CRITICAL),
	K("trojan", "foreign_script", "加载外部未知脚本", SW_SEV_HIGH),
	K("trojan", "obfuscated", "混淆恶意代码", SW_SEV_HIGH),
	K("trojan", "search_redirect", "搜索来源跳转(挂马)", SW_SEV_CRITICAL),
	K("trojan", "mobile_redirect", "移动端跳转(挂马)", SW_SEV_CRITICAL),
	K("trojan", "redirect", "页面跳转至外部域名", SW_SEV_HIGH),
	K("trojan", "miner", "挖矿脚本", SW_SEV_CRITICAL),
	K("trojan", "doc_write", "动态写入脚本", SW_SEV_HIGH),
	K("trojan", "yara", "恶意代码特征匹配", SW_SEV_HIGH),
	K("trojan", "cloaking", "仅对搜索引擎跳转", SW_SEV_CRITICAL),
	K("defacement", "title", "网页标题被篡改", SW_SEV_HIGH),
	K("defacement", "content", "网页内容大幅变化", SW_SEV_HIGH),
	K("defacement", "replaced", "网页被替换", SW_SEV_CRITICAL),
	K("defacement", "signature", "黑客篡改特征", SW_SEV_CRITICAL),
	K("defacement", "banner", "页面被植入标语", SW_SEV_HIGH),
	K("defacement", "image", "关键图片被更换", SW_SEV_MEDIUM),
	K("defacement", "vantage_differs", "不同监测点页面内容不一致", SW_SEV_MEDIUM),
	K("sensitive", "political", "政治有害信息", SW_SEV_HIGH),
	K("sensitive", "terror", "暴恐信息", SW_SEV_HIGH),
	K("sensitive", "porn", "色情信息", SW_SEV_HIGH),
	K("sensitive", "gambling", "赌博信息", SW_SEV_HIGH),
	K("sensitive", "fraud", "诈骗信息", SW_SEV_HIGH),
	K("compliance", "icp_missing", "未展示ICP备案号", SW_SEV_MEDIUM),
	K("compliance", "icp_mismatch", "ICP备案号与登记不符", SW_SEV_MEDIUM),
	K("compliance", "psb_missing", "未展示公安备案号", SW_SEV_MEDIUM),
	K("compliance", "psb_mismatch", "公安备案号与登记不符", SW_SEV_MEDIUM),
	K("compliance", "site_code_missing", "未展示网站标识码", SW_SEV_MEDIUM),
	K("compliance", "site_code_mismatch", "网站标识码与登记不符", SW_SEV_MEDIUM),
	K("compliance", "badge_missing", "未展示党政机关网站标识", SW_SEV_MEDIUM),
	K("compliance", "org_missing", "未展示主办单位", SW_SEV_LOW),
	K("compliance", "org_mismatch", "主办单位与登记不符", SW_SEV_LOW),
	K("exposure", "vcs", "版本库文件泄露", SW_SEV_HIGH),
	K("exposure", "env", "配置文件泄露", SW_SEV_HIGH),
	K("exposure", "backup", "备份文件泄露", SW_SEV_HIGH),
	K("exposure", "phpinfo", "phpinfo信息泄露", SW_SEV_MEDIUM),
	K("exposure", "dir_listing", "目录浏览", SW_SEV_MEDIUM),
	K("exposure", "banner", "服务器版本暴露", SW_SEV_LOW),
	K("exposure", "header_missing", "缺少安全响应头", SW_SEV_LOW),
	K("exposure", "mixed_content", "HTTPS页面混合内容", SW_SEV_LOW),
	K("analysis", "limit", "页面超出分析限制", SW_SEV_MEDIUM),
	/* reported by sitewarden-agent on the web server host */
	K("agent", "tamper", "网页文件被篡改(已由防篡改恢复)", SW_SEV_HIGH),
	K("agent", "webshell", "发现网页木马(WebShell)", SW_SEV_CRITICAL),
	K("agent", "store_corrupt", "防篡改备份库损坏", SW_SEV_HIGH),
	K("agent", "silent", "防篡改客户端失联", SW_SEV_MEDIUM),
	/* attacks seen in web-server logs by sitewarden-agent (docs/agent-attack.md):
	 * an "attack" event's "attack" member is the check */
	K("attack", "sqli", "SQL注入攻击", SW_SEV_MEDIUM),
	K("attack", "xss", "跨站脚本攻击", SW_SEV_MEDIUM),
	K("attack", "traversal", "路径遍历/文件包含攻击", SW_SEV_MEDIUM),
	K("attack", "rfi", "远程文件包含攻击", SW_SEV_MEDIUM),
	K("attack", "rce", "远程命令执行攻击", SW_SEV_MEDIUM),
	K("attack", "injection", "代码注入攻击", SW_SEV_MEDIUM),
	K("attack", "protocol", "HTTP协议违规请求", SW_SEV_LOW),
	K("attack", "scanner", "扫描器/攻击工具访问", SW_SEV_LOW),
	K("attack", "scanning", "目录扫描(大量404)", SW_SEV_LOW),
	K("attack", "bruteforce", "登录暴力破解", SW_SEV_MEDIUM),
	K("attack", "webshell_access", "访问网页木马", SW_SEV_HIGH),
	K("attack", "success", "攻击请求返回成功(疑似攻击成功)", SW_SEV_HIGH),
	K("attack", "block", "攻击来源已封禁", SW_SEV_INFO),
};
#undef K

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

/*
 * Titles quote page text cut to a width ("%.80s"), which can split a
 * character, and hostile pages hold invalid bytes: every title leaves here
 * valid UTF-8 (a bad byte becomes '?', a cut character is dropped) so JSON
 * and terminals take it.
 */
static void utf8_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
			 : (*p & 0xF8) == 0xF0 ? 4 : 0;
		size_t k = 1;

		while (n && k < n && (p[k] & 0xC0) == 0x80)
			k++;
		if (n && k == n && !(n == 2 && *p < 0xC2)) {
			p += n;
			continue;
		}
		if (n && p[k] == '\0') { /* cut at the end: drop it */
			*p = '\0';
			return;
		}
		*p++ = '?';
	}
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
	utf8_scrub(title);
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
