/*
 * attack_crs.c - libmodsecurity with the Core Rule Set (attack_crs.h).
 */
#include "agent/attack_crs.h"

#include <dirent.h>
#include <glob.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[AG__K_COUNT] = {
	"", "sqli", "xss", "traversal", "rfi", "rce", "injection", "scanner", "protocol",
	"webshell_access", "bruteforce", "scanning", "success",
};

/* When several families match, the verdict names the most specific. */
static const int kind_rank[AG__K_COUNT] = {
	[AG_K_SQLI] = 9, [AG_K_XSS] = 8, [AG_K_RCE] = 10, [AG_K_RFI] = 7, [AG_K_TRAVERSAL] = 6,
	[AG_K_INJECTION] = 5, [AG_K_WEBSHELL] = 11, [AG_K_SCANNER] = 3, [AG_K_PROTOCOL] = 1,
};

const struct ag_text_file *ag_attack_file(const char *name)
{
	for (size_t i = 0; i < ag_attack_files_count; i++)
		if (!strcmp(ag_attack_files[i].name, name))
			return &ag_attack_files[i];
	return NULL;
}

const char *ag_akind_name(int k)
{
	return k >= 0 && k < AG__K_COUNT ? kind_names[k] : "";
}

int ag_akind_parse(const char *s)
{
	for (int k = 1; k < AG__K_COUNT; k++)
		if (!strcmp(kind_names[k], s))
			return k;
	return -1;
}

/*
 * CRS 3 ids: 913 scanners, 920 protocol enforcement, 921 protocol attacks
 * (smuggling, header injection), 930 LFI, 931 RFI, 932 RCE, 933 PHP,
 * 934 Node.js, 941 XSS, 942 SQLi, 943 session fixation, 944 Java.  Ours,
 * rules/attack/: 10510-10519 RCE, 10520-10529 injection, 10530-10539
 * traversal, 10540-10549 scanner, 10550-10559 SQLi, 10560-10569 XSS,
 * 10570-10579 webshell.
 */
int ag_rule_kind(uint32_t id)
{
	uint32_t fam = id / 1000;

	if (id >= 10500 && id < 10600) {
		static const int ours[] = {AG_K_NONE, AG_K_RCE, AG_K_INJECTION, AG_K_TRAVERSAL,
					   AG_K_SCANNER, AG_K_SQLI, AG_K_XSS, AG_K_WEBSHELL,
					   AG_K_NONE, AG_K_NONE};
		return ours[(id - 10500) / 10];
	}
	switch (fam) {
	case 913: return AG_K_SCANNER;
	case 920: return AG_K_PROTOCOL;
	case 921: case 933: case 934: case 943: case 944: return AG_K_INJECTION;
	case 930: return AG_K_TRAVERSAL;
	case 931: return AG_K_RFI;
	case 932: return AG_K_RCE;
	case 941: return AG_K_XSS;
	case 942: return AG_K_SQLI;
	default: return AG_K_NONE;
	}
}

struct ag_crs {
	ModSecurity *ms;
	RulesSet *rules;
};

/* The rule engine calls this for each rule that logs, with the text of
 * its message; data is the verdict of the request being judged. */
static void on_log(void *data, const void *msg)
{
	struct ag_verdict *v = data;
	const char *s = msg, *p;

	if (!v || !s || !(p = strstr(s, "[id \"")))
		return;
	uint32_t id = (uint32_t)strtoul(p + 5, NULL, 10);
	int k = ag_rule_kind(id);
	if (id == 949110) {
		const char *t = strstr(s, "Total Score: ");
		v->attack = 1;
		if (t)
			v->score = atoi(t + 13);
	} else if (id >= 10500 && id < 10600) {
		v->attack = 1;
	}
	if (v->n_rules < AG_VERDICT_RULES)
		v->rules[v->n_rules++] = id;
	if (k) {
		v->kinds |= 1u << k;
		if (v->kcount[k] < 255)
			v->kcount[k]++;
		/* "../../etc/passwd" matches three LFI rules and one RCE rule
		 * (the file name is in the shell data list): LFI it is */
		if (v->kcount[k] > v->kcount[v->kind] ||
		    (v->kcount[k] == v->kcount[v->kind] && kind_rank[k] > kind_rank[v->kind]))
			v->kind = k;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Our rules: the embedded files, or every .conf of dir in name order. */
static enum sw_err add_ours(struct ag_crs *c, const char *dir, struct sw_errbuf *eb)
{
	const char *err = NULL;

	if (!dir) {
		for (size_t i = 0; i < ag_attack_files_count; i++) {
			const struct ag_text_file *f = &ag_attack_files[i];
			size_t n = strlen(f->name);
			if (n < 5 || strcmp(f->name + n - 5, ".conf"))
				continue;
			if (msc_rules_add(c->rules, f->text, &err) < 0)
				return sw_errf(eb, SW_EINVAL, "rules/attack/%s: %.300s", f->name,
					       err ? err : "?");
		}
		return SW_OK;
	}
	char pat[4200];
	glob_t g;
	snprintf(pat, sizeof pat, "%s/*.conf", dir);
	if (glob(pat, 0, NULL, &g))
		return sw_errf(eb, SW_EINVAL, "no .conf rules in %s", dir);
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (msc_rules_add_file(c->rules, g.gl_pathv[i], &err) < 0) {
			sw_errf(eb, SW_EINVAL, "%s: %.300s", g.gl_pathv[i], err ? err : "?");
			globfree(&g);
			return SW_EINVAL;
		}
	globfree(&g);
	return SW_OK;
}

enum sw_err ag_crs_new(const char *setup, const char *rules_dir, const char *extra_dir,
		       struct ag_crs **out, struct sw_errbuf *eb)
{
	struct ag_crs *c = calloc(1, sizeof *c);
	const char *err = NULL;
	char pat[4200];
	glob_t g;
	int ours_done = 0;
	enum sw_err rc = SW_OK;

	if (!c)
		return SW_ENOMEM;
	c->ms = msc_init();
	c->rules = msc_create_rules_set();
	msc_set_connector_info(c->ms, "sitewarden-agent");
	msc_set_log_cb(c->ms, on_log);
	/* The request body phase must run: libmodsecurity skips the phase-2
	 * rules (most of the CRS) when body access is off. */
	if (msc_rules_add(c->rules,
			  "SecRuleEngine DetectionOnly\nSecRequestBodyAccess On\n"
			  "SecResponseBodyAccess Off\nSecAuditEngine Off\n",
			  &err) < 0 ||
	    msc_rules_add_file(c->rules, setup, &err) < 0) {
		rc = sw_errf(eb, SW_EINVAL, "CRS setup %s: %.300s", setup, err ? err : "?");
		goto fail;
	}
	snprintf(pat, sizeof pat, "%s/REQUEST-*.conf", rules_dir);
	if (glob(pat, 0, NULL, &g) || g.gl_pathc == 0) {
		rc = sw_errf(eb, SW_EINVAL, "no CRS rules (REQUEST-*.conf) in %s", rules_dir);
		goto fail;
	}
	qsort(g.gl_pathv, g.gl_pathc, sizeof g.gl_pathv[0], cmp_str);
	for (size_t i = 0; i < g.gl_pathc && rc == SW_OK; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		if (!ours_done && strcmp(base, "REQUEST-949") >= 0) {
			rc = add_ours(c, extra_dir, eb);
			ours_done = 1;
		}
		if (rc == SW_OK && msc_rules_add_file(c->rules, g.gl_pathv[i], &err) < 0)
			rc = sw_errf(eb, SW_EINVAL, "%s: %.300s", g.gl_pathv[i], err ? err : "?");
	}
	globfree(&g);
	if (rc == SW_OK && !ours_done)
		rc = add_ours(c, extra_dir, eb);
	if (rc)
		goto fail;
	*out = c;
	return SW_OK;
fail:
	ag_crs_free(c);
	return rc;
}

void ag_crs_free(struct ag_crs *c)
{
	if (!c)
		return;
	if (c->rules)
		msc_rules_cleanup(c->rules);
	if (c->ms)
		msc_cleanup(c->ms);
	free(c);
}

static void hdr(Transaction *t, const char *k, const char *v)
{
	msc_add_request_header(t, (const unsigned char *)k, (const unsigned char *)v);
}

void ag_crs_eval(struct ag_crs *c, const struct ag_logrec *r, const char *host,
		 struct ag_verdict *v)
{
	Transaction *t;
	const char *ver = "1.1";

	memset(v, 0, sizeof *v);
	if (!r->has_request)
		return;
	t = msc_new_transaction(c->ms, c->rules, v);
	if (!t)
		return;
	if (!strncmp(r->proto, "HTTP/", 5) && r->proto[5])
		ver = r->proto + 5;
	msc_process_connection(t, r->addr[0] ? r->addr : "0.0.0.0", 40000, "127.0.0.1", 80);
	msc_process_uri(t, r->uri, r->method, ver);
	hdr(t, "Host", r->host[0] ? r->host : host && *host ? host : "localhost");
	hdr(t, "Accept", "*/*");
	if (r->ua[0])
		hdr(t, "User-Agent", r->ua);
	if (r->referer[0])
		hdr(t, "Referer", r->referer);
	if (!strcmp(r->method, "POST") || !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH"))
		hdr(t, "Content-Length", "0");
	msc_process_request_headers(t);
	msc_process_request_body(t);
	msc_transaction_cleanup(t);
}
