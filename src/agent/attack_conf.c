/*
 * attack_conf.c - the [attack] and [log] sections of the agent's INI file
 * (attack_conf.h).  Kept apart from config.c so that file only learns
 * that the sections exist.
 */
#include "agent/attack_conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"

/* Login forms of the common portal systems and CMSes, lower case. */
static const char *const default_logins[] = {
	"/login", "/admin", "/wp-login.php", "/user/login", "/manager/html", "/member/login",
	"/system/login", "/index.php?m=admin", "/dede/login.php", "/phpmyadmin",
};

struct ag_attack_conf *ag_attack_conf_new(void)
{
	struct ag_attack_conf *a = calloc(1, sizeof *a);

	if (!a)
		return NULL;
	a->start_at_end = 1;
	a->window_s = 60;
	a->scan_404 = 20;
	a->scan_paths = 60;
	a->brute_force = 10;
	a->samples = 3;
	a->spiders = 1;
	a->block_for_s = 3600;
	a->block_min_sev = 3;
	return a;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ag_attack_conf_free(struct ag_attack_conf *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_logs; i++) {
		free(a->logs[i].path);
		free(a->logs[i].format);
		free(a->logs[i].site);
		free(a->logs[i].root);
	}
	free(a->logs);
	free(a->crs_setup);
	free(a->crs_rules);
	free(a->rules_dir);
	free_strs(a->login_paths, a->n_login_paths);
	free_strs(a->webshell_names, a->n_webshell_names);
	free(a->allow);
	free(a->block_file);
	free(a->block_test_cmd);
	free(a->block_reload_cmd);
	free(a->never_block);
	free(a);
}

int ag_addr_parse(const char *s, size_t len, uint8_t out[16])
{
	char buf[64];
	struct in_addr v4;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &v4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

int ag_net_parse(const char *s, struct ag_net *n)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	int v4 = memchr(s, ':', len) == NULL;
	long bits = v4 ? 32 : 128;

	if (ag_addr_parse(s, len, n->addr))
		return -1;
	if (slash) {
		char *end;
		if (!isdigit((unsigned char)slash[1]))
			return -1;
		bits = strtol(slash + 1, &end, 10);
		if (*end || bits < 0 || bits > (v4 ? 32 : 128))
			return -1;
	}
	n->bits = (uint8_t)(v4 ? bits + 96 : bits);
	return 0;
}

int ag_net_contains(const struct ag_net *nets, size_t n, const uint8_t addr[16])
{
	for (size_t i = 0; i < n; i++) {
		unsigned full = nets[i].bits / 8, rest = nets[i].bits % 8;
		if (memcmp(nets[i].addr, addr, full))
			continue;
		if (rest && ((nets[i].addr[full] ^ addr[full]) & (0xff00 >> rest) & 0xff))
			continue;
		return 1;
	}
	return 0;
}

static enum sw_err push_net(struct ag_net **v, size_t *n, const char *val, struct sw_errbuf *eb)
{
	struct ag_net net, *nv;

	if (ag_net_parse(val, &net))
		return sw_errf(eb, SW_EINVAL, "'%s' is not an address or range (a.b.c.d/n)", val);
	if (*n >= 4096 || !(nv = realloc(*v, (*n + 1) * sizeof *nv)))
		return SW_ENOMEM;
	nv[(*n)++] = net;
	*v = nv;
	return SW_OK;
}

static enum sw_err push_str(char ***v, size_t *n, const char *val, int lower)
{
	char **nv, *s;

	if (*n >= 4096 || !(s = strdup(val)))
		return SW_ENOMEM;
	if (lower)
		for (char *p = s; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	if (!(nv = realloc(*v, (*n + 1) * sizeof *nv))) {
		free(s);
		return SW_ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return SW_OK;
}

static enum sw_err set_str(char **p, const char *val)
{
	char *s = strdup(val);

	if (!s)
		return SW_ENOMEM;
	free(*p);
	*p = s;
	return SW_OK;
}

/* A bounded positive integer or duration. */
static enum sw_err set_num(int *p, const char *key, const char *val, int dur, int64_t min,
			   int64_t max, struct sw_errbuf *eb)
{
	int64_t v = dur ? ag_parse_duration(val) : -1;

	if (!dur && *val && strspn(val, "0123456789") == strlen(val) && strlen(val) < 10)
		v = strtoll(val, NULL, 10);
	if (v < min || v > max)
		return sw_errf(eb, SW_EINVAL, "%s must be between %lld and %lld, not '%s'", key,
			       (long long)min, (long long)max, val);
	*p = (int)v;
	return SW_OK;
}

static int parse_bool(const char *v)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false"))
		return 0;
	return -1;
}

static enum sw_err log_key(struct ag_attack_conf *a, const char *key, const char *val,
			   struct sw_errbuf *eb)
{
	struct ag_log_conf *l;

	if (!key) {
		if (a->n_logs >= 256 || !(l = realloc(a->logs, (a->n_logs + 1) * sizeof *l)))
			return sw_errf(eb, SW_ELIMIT, "at most 256 logs");
		a->logs = l;
		memset(&l[a->n_logs++], 0, sizeof *l);
		return SW_OK;
	}
	if (!a->n_logs)
		return sw_errf(eb, SW_EUSAGE, "%s outside a [log] section", key);
	l = &a->logs[a->n_logs - 1];
	if (!strcmp(key, "path"))
		return val[0] == '/' ? set_str(&l->path, val)
				     : sw_errf(eb, SW_EINVAL, "log path must be absolute: '%s'", val);
	if (!strcmp(key, "format"))
		return set_str(&l->format, val);
	if (!strcmp(key, "site"))
		return set_str(&l->site, val);
	if (!strcmp(key, "root"))
		return set_str(&l->root, val);
	if (!strcmp(key, "type")) {
		if (strcmp(val, "access") && strcmp(val, "error"))
			return sw_errf(eb, SW_EINVAL, "type must be access or error, not '%s'", val);
		l->error_log = !strcmp(val, "error");
		return SW_OK;
	}
	return SW_ENOTFOUND;
}

enum sw_err ag_attack_conf_key(struct ag_attack_conf *a, const char *sect, const char *key,
			       const char *val, struct sw_errbuf *eb)
{
	int b;

	if (!strcmp(sect, "log"))
		return log_key(a, key, val, eb);
	if (!key)
		return SW_OK;
	if (!strcmp(key, "crs_setup"))
		return set_str(&a->crs_setup, val);
	if (!strcmp(key, "crs_rules"))
		return set_str(&a->crs_rules, val);
	if (!strcmp(key, "rules"))
		return set_str(&a->rules_dir, val);
	if (!strcmp(key, "start_at")) {
		if (strcmp(val, "end") && strcmp(val, "beginning"))
			return sw_errf(eb, SW_EINVAL, "start_at must be end or beginning");
		a->start_at_end = !strcmp(val, "end");
		return SW_OK;
	}
	if (!strcmp(key, "window"))
		return set_num(&a->window_s, key, val, 1, 5, 86400, eb);
	if (!strcmp(key, "scan_404"))
		return set_num(&a->scan_404, key, val, 0, 2, 1000000, eb);
	if (!strcmp(key, "scan_paths"))
		return set_num(&a->scan_paths, key, val, 0, 2, 1000000, eb);
	if (!strcmp(key, "brute_force"))
		return set_num(&a->brute_force, key, val, 0, 2, 1000000, eb);
	if (!strcmp(key, "samples"))
		return set_num(&a->samples, key, val, 0, 1, 20, eb);
	if (!strcmp(key, "login_path"))
		return push_str(&a->login_paths, &a->n_login_paths, val, 1);
	if (!strcmp(key, "webshell_name"))
		return push_str(&a->webshell_names, &a->n_webshell_names, val, 1);
	if (!strcmp(key, "allow") || !strcmp(key, "monitor"))
		return push_net(&a->allow, &a->n_allow, val, eb);
	if (!strcmp(key, "never_block")) {
		a->never_block_set = 1;
		return push_net(&a->never_block, &a->n_never_block, val, eb);
	}
	if (!strcmp(key, "spiders")) {
		a->spiders = !strcmp(val, "off") ? 0 : !strcmp(val, "trust") ? 1 : !strcmp(val, "verify") ? 2 : -1;
		return a->spiders >= 0 ? SW_OK
				       : sw_errf(eb, SW_EINVAL, "spiders must be off, trust or verify");
	}
	if (!strcmp(key, "block")) {
		if ((b = parse_bool(val)) < 0)
			return sw_errf(eb, SW_EINVAL, "block must be on or off");
		a->block = b;
		return SW_OK;
	}
	if (!strcmp(key, "block_file"))
		return set_str(&a->block_file, val);
	if (!strcmp(key, "block_test"))
		return set_str(&a->block_test_cmd, val);
	if (!strcmp(key, "block_reload"))
		return set_str(&a->block_reload_cmd, val);
	if (!strcmp(key, "block_for"))
		return set_num(&a->block_for_s, key, val, 1, 10, 86400 * 30, eb);
	if (!strcmp(key, "block_severity")) {
		a->block_min_sev = !strcmp(val, "medium") ? 2 : !strcmp(val, "high") ? 3 : -1;
		return a->block_min_sev > 0 ? SW_OK
					    : sw_errf(eb, SW_EINVAL, "block_severity: medium or high");
	}
	return SW_ENOTFOUND;
}

enum sw_err ag_attack_conf_finish(struct ag_attack_conf *a, struct sw_errbuf *eb)
{
	enum sw_err rc;

	for (size_t i = 0; i < a->n_logs; i++)
		if (!a->logs[i].path)
			return sw_errf(eb, SW_EINVAL, "a [log] section has no path");
	if (!a->crs_setup && (rc = set_str(&a->crs_setup, "/etc/modsecurity/crs/crs-setup.conf")))
		return rc;
	if (!a->crs_rules && (rc = set_str(&a->crs_rules, "/usr/share/modsecurity-crs/rules")))
		return rc;
	if (!a->n_login_paths)
		for (size_t i = 0; i < sizeof default_logins / sizeof default_logins[0]; i++)
			if ((rc = push_str(&a->login_paths, &a->n_login_paths, default_logins[i], 1)))
				return rc;
	/* Loopback is never blocked: the whole of 127.0.0.0/8 unless the
	 * configuration names its own set (a test that attacks from
	 * 127.0.0.2), and 127.0.0.1 and ::1 always. */
	if (!a->never_block_set &&
	    (rc = push_net(&a->never_block, &a->n_never_block, "127.0.0.0/8", eb)))
		return rc;
	if ((rc = push_net(&a->never_block, &a->n_never_block, "127.0.0.1", eb)) ||
	    (rc = push_net(&a->never_block, &a->n_never_block, "::1", eb)))
		return rc;
	if (a->block && !a->block_file)
		return sw_errf(eb, SW_EINVAL, "block = on needs block_file (the included deny file)");
	if (!a->block_test_cmd && (rc = set_str(&a->block_test_cmd, "nginx -t")))
		return rc;
	if (!a->block_reload_cmd && (rc = set_str(&a->block_reload_cmd, "nginx -s reload")))
		return rc;
	return SW_OK;
}
