/*
 * attack_detect.c - one line's verdict (attack_detect.h).
 */
#include "agent/attack_detect.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "agent/fsutil.h"

/* Search engines whose crawlers a portal wants, with the domains their
 * reverse DNS names end in (for spiders = verify). */
static const struct {
	const char *ua;
	const char *domains[3];
} spider_list[] = {
	{"baiduspider", {".baidu.com", ".baidu.jp", NULL}},
	{"googlebot", {".googlebot.com", ".google.com", NULL}},
	{"bingbot", {".search.msn.com", NULL, NULL}},
	{"360spider", {".360.cn", ".so.com", NULL}},
	{"sogou web spider", {".sogou.com", NULL, NULL}},
	{"yisouspider", {".sm.cn", NULL, NULL}},
	{"bytespider", {".bytedance.com", NULL, NULL}},
};

#define SPIDER_CACHE 1024

struct ag_spider_cache {
	struct {
		char addr[64];
		int ok;
	} e[SPIDER_CACHE];
	unsigned next;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv;
	char *c;

	if (*n >= 100000 || !(c = strndup(s, len)))
		return -1;
	if (!(nv = realloc(*v, (*n + 1) * sizeof *nv))) {
		free(c);
		return -1;
	}
	nv[(*n)++] = c;
	*v = nv;
	return 0;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int ag_resolve_ptr(const char *addr, char *out, size_t cap)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;

	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		len = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		len = sizeof(struct sockaddr_in6);
	} else {
		return -1;
	}
	return getnameinfo((struct sockaddr *)&ss, len, out, (socklen_t)cap, NULL, 0, NI_NAMEREQD)
		       ? -1
		       : 0;
}

int ag_resolve_forward(const char *name, const char *addr)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *a;
	int ok = 0;

	if (getaddrinfo(name, NULL, &hints, &res))
		return 0;
	for (a = res; a && !ok; a = a->ai_next) {
		char buf[64];
		if (!getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof buf, NULL, 0, NI_NUMERICHOST))
			ok = !strcmp(buf, addr);
	}
	freeaddrinfo(res);
	return ok;
}

enum sw_err ag_detect_init(struct ag_detect *d, const struct ag_attack_conf *conf, int mode,
			   const char *store_dir, struct sw_errbuf *eb)
{
	const struct ag_text_file *wf = ag_attack_file("webshell-names.txt");
	enum sw_err rc;

	memset(d, 0, sizeof *d);
	d->conf = conf;
	d->mode = mode;
	d->resolve = ag_resolve_ptr;
	d->forward = ag_resolve_forward;
	if ((rc = ag_crs_new(conf->crs_setup, conf->crs_rules, conf->rules_dir, &d->crs, eb)))
		return rc;
	if (mode != AG_DET_CRS &&
	    (rc = ag_pre_new(conf->crs_setup, conf->crs_rules, NULL, &d->pre, eb)))
		return rc;
	for (const char *s = wf ? wf->text : ""; *s;) {
		size_t n = strcspn(s, "\n");
		if (n && s[0] != '#' && push(&d->shells, &d->n_shells, s, n))
			return SW_ENOMEM;
		s += n + (s[n] == '\n');
	}
	for (size_t i = 0; i < conf->n_webshell_names; i++)
		if (push(&d->shells, &d->n_shells, conf->webshell_names[i],
			 strlen(conf->webshell_names[i])))
			return SW_ENOMEM;
	for (size_t i = 0; i < d->n_shells; i++)
		for (char *p = d->shells[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	qsort(d->shells, d->n_shells, sizeof *d->shells, cmp_str);
	if (store_dir)
		snprintf(d->quar_index, sizeof d->quar_index, "%s/quarantine/index.jsonl", store_dir);
	d->quar_size = -1;
	if (!(d->spiders = calloc(1, sizeof *d->spiders)))
		return SW_ENOMEM;
	ag_detect_reload_quarantine(d);
	return SW_OK;
}

void ag_detect_cleanup(struct ag_detect *d)
{
	ag_crs_free(d->crs);
	ag_pre_free(d->pre);
	free_strs(d->shells, d->n_shells);
	free_strs(d->quar, d->n_quar);
	free(d->spiders);
	memset(d, 0, sizeof *d);
}

/*
 * The guard's quarantine index holds one JSON object per quarantined
 * file with its "path" relative to the root; a later request for that
 * path is someone calling the file they planted.  Read with a plain scan
 * for "path":"..." (the agent has no JSON parser; the guard writes these
 * lines itself, escaping quotes).
 */
void ag_detect_reload_quarantine(struct ag_detect *d)
{
	struct stat st;
	char *txt = NULL;
	size_t len = 0;

	if (!d->quar_index[0] || stat(d->quar_index, &st) || st.st_size == d->quar_size)
		return;
	if (ag_read_small(d->quar_index, 64u << 20, &txt, &len))
		return;
	d->quar_size = st.st_size;
	free_strs(d->quar, d->n_quar);
	d->quar = NULL;
	d->n_quar = 0;
	for (char *p = txt; (p = strstr(p, "\"path\":\""));) {
		char *s = p + 8, *e = s;
		while (*e && *e != '"')
			e += (*e == '\\' && e[1]) ? 2 : 1;
		if (e > s && e - s < 4000) {
			char buf[4100];
			snprintf(buf, sizeof buf, "/%.*s", (int)(e - s), s);
			for (char *q = buf; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			push(&d->quar, &d->n_quar, buf, strlen(buf));
		}
		p = e;
	}
	free(txt);
	qsort(d->quar, d->n_quar, sizeof *d->quar, cmp_str);
}

static int in_sorted(char **v, size_t n, const char *key)
{
	const char *k = key;

	return n && bsearch(&k, v, n, sizeof *v, cmp_str) != NULL;
}

/* Which spider the user agent claims to be, or -1. */
static int spider_of(const char *ua)
{
	char low[1024];
	size_t n = strlen(ua);

	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)ua[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof spider_list / sizeof spider_list[0]; i++)
		if (strstr(low, spider_list[i].ua))
			return (int)i;
	return -1;
}

/* spiders = verify: the address's name ends in the engine's domain and
 * resolves back to the address (cached per address). */
static int spider_verified(struct ag_detect *d, int which, const char *addr)
{
	struct ag_spider_cache *c = d->spiders;
	char name[256];
	int ok = 0;

	for (unsigned i = 0; i < SPIDER_CACHE; i++)
		if (!strcmp(c->e[i].addr, addr))
			return c->e[i].ok;
	if (d->resolve && d->resolve(addr, name, sizeof name) == 0) {
		size_t n = strlen(name);
		for (int k = 0; k < 3 && spider_list[which].domains[k]; k++) {
			size_t dn = strlen(spider_list[which].domains[k]);
			if (n > dn && !strcasecmp(name + n - dn, spider_list[which].domains[k]))
				ok = d->forward && d->forward(name, addr);
		}
	}
	snprintf(c->e[c->next].addr, sizeof c->e[0].addr, "%s", addr);
	c->e[c->next].ok = ok;
	c->next = (c->next + 1) % SPIDER_CACHE;
	return ok;
}

void ag_detect_rec(struct ag_detect *d, const struct ag_logrec *r, const char *site,
		   struct ag_line_verdict *out)
{
	char path[8192], low[8192];
	uint8_t a16[16];
	const char *base;
	size_t n;
	int64_t t0;

	memset(out, 0, sizeof *out);
	d->requests += r->has_request;
	if (ag_addr_parse(r->addr, strlen(r->addr), a16) == 0 &&
	    ag_net_contains(d->conf->allow, d->conf->n_allow, a16))
		out->allowed = 1;
	if (r->ua[0] && d->conf->spiders) {
		int which = spider_of(r->ua);
		if (which >= 0 && (d->conf->spiders == 1 || spider_verified(d, which, r->addr)))
			out->spider = out->allowed = 1;
	}
	if (!r->has_request)
		return;
	/* decoded path, lower case: names and login paths */
	n = ag_log_decode(r->uri, strlen(r->uri), path, sizeof path, NULL, NULL);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)path[i]);
	low[strcspn(low, "?")] = '\0';
	base = strrchr(low, '/');
	base = base ? base + 1 : low;
	if (in_sorted(d->shells, d->n_shells, base))
		out->webshell = 1;
	if (in_sorted(d->quar, d->n_quar, low))
		out->webshell = out->quarantined = 1;
	if (!strcmp(r->method, "POST"))
		for (size_t i = 0; i < d->conf->n_login_paths; i++)
			if (!strncmp(low, d->conf->login_paths[i], strlen(d->conf->login_paths[i])))
				out->login = 1;
	/* the rules */
	if (d->mode != AG_DET_CRS) {
		t0 = ag_mono_ns();
		out->passed = ag_pre_check(d->pre, r, site);
		d->pre_ns += ag_mono_ns() - t0;
		d->passed += out->passed;
	}
	if (d->mode != AG_DET_PIPELINE || out->passed) {
		t0 = ag_mono_ns();
		ag_crs_eval(d->crs, r, site, &out->v);
		d->crs_ns += ag_mono_ns() - t0;
		d->crs_runs++;
		if (d->mode == AG_DET_BOTH && !out->passed && out->v.attack)
			out->missed = 1, d->missed++;
		if (d->mode == AG_DET_BOTH && !out->passed)
			memset(&out->v, 0, sizeof out->v); /* the pipeline's verdict */
	}
	out->kind = out->v.attack ? out->v.kind : AG_K_NONE;
	if (out->v.attack && out->kind == AG_K_NONE)
		out->kind = AG_K_INJECTION; /* anomaly score from rules of no family */
	if (out->webshell)
		out->kind = AG_K_WEBSHELL;
	if (out->kind) {
		d->attacks++;
		d->by_kind[out->kind]++;
	}
}
