/*
 * config.c - the agent's INI file and command-line settings (config.h).
 *
 * The INI format is deliberately small: "[agent]" holds the agent's own
 * settings, each "[root]" section starts one protected web root; "key =
 * value" lines, '#' or ';' comments, repeatable keys (exclude, upload)
 * appended.  One table of options drives both the file and the command
 * line, so the two cannot drift.
 */
#include "agent/config.h"
#include "agent/attack_conf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum opt_type { T_STR, T_PATH, T_INT, T_DUR, T_BOOL, T_ALGO, T_WATCHER, T_KEYFILE, T_SIZE };

struct opt {
	const char *ini;  /* key in [agent] */
	const char *cli;  /* long option */
	enum opt_type type;
	size_t off;
	int64_t min, max;
};

static const struct opt opts[] = {
	{"id", "agent-id", T_STR, offsetof(struct ag_config, id), 0, 0},
	{"store", "store", T_PATH, offsetof(struct ag_config, store), 0, 0},
	{"server", "server", T_STR, offsetof(struct ag_config, server), 0, 0},
	{"token", "token", T_STR, offsetof(struct ag_config, token), 0, 0},
	{"hmac_key_file", "hmac-key-file", T_KEYFILE, 0, 0, 0},
	{"ca_file", "ca-file", T_PATH, offsetof(struct ag_config, ca_file), 0, 0},
	{"rules", "rules", T_PATH, offsetof(struct ag_config, rules_dir), 0, 0},
	{"hash", "hash", T_ALGO, offsetof(struct ag_config, algo), 0, 0},
	{"watcher", "watcher", T_WATCHER, offsetof(struct ag_config, watcher), 0, 0},
	{"serve_guard", "serve-guard", T_BOOL, offsetof(struct ag_config, serve_guard), 0, 1},
	{"sync_before_rename", "sync-before-rename", T_BOOL, offsetof(struct ag_config, sync_first),
	 0, 1},
	{"heartbeat", "heartbeat", T_DUR, offsetof(struct ag_config, heartbeat_s), 1, 86400},
	{"threads", "threads", T_INT, offsetof(struct ag_config, threads), 0, 256},
	{"scan_max", "scan-max", T_SIZE, offsetof(struct ag_config, scan_max), 1024,
	 INT64_C(1) << 32},
	{"pause_max", "pause-max", T_DUR, offsetof(struct ag_config, pause_max_s), 60,
	 86400 * 30},
};

void ag_config_init(struct ag_config *c)
{
	memset(c, 0, sizeof *c);
	c->algo = AG_SHA256;
	c->sync_first = 1;
	c->heartbeat_s = 30;
	c->scan_max = 8 << 20;
	c->pause_max_s = 86400;
}

/* Frees one root's strings and arrays. */
static void root_cleanup(struct ag_root_conf *r)
{
	free(r->path);
	for (size_t i = 0; i < r->n_exclude; i++)
		free(r->exclude[i]);
	free(r->exclude);
	for (size_t i = 0; i < r->n_upload; i++)
		free(r->upload[i]);
	free(r->upload);
}

void ag_config_cleanup(struct ag_config *c)
{
	free(c->id);
	free(c->store);
	free(c->server);
	free(c->token);
	if (c->hmac_key)
		memset(c->hmac_key, 0, c->hmac_len);
	free(c->hmac_key);
	free(c->ca_file);
	free(c->rules_dir);
	for (size_t i = 0; i < c->n_roots; i++)
		root_cleanup(&c->roots[i]);
	free(c->roots);
	free(c->conf_path);
	ag_attack_conf_free(c->attack);
	memset(c, 0, sizeof *c);
}

int64_t ag_parse_duration(const char *s)
{
	char *end;
	long long v;
	int64_t mul = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0 || v > INT64_C(1) << 40)
		return -1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	return *end ? -1 : v * mul;
}

/* Parses "8M", "512k", "1G" or plain bytes; -1 when malformed. */
static int64_t parse_size(const char *s)
{
	char *end;
	long long v;
	int64_t mul = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0 || v > INT64_C(1) << 40)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1024, end++; break;
	case 'm': case 'M': mul = 1 << 20, end++; break;
	case 'g': case 'G': mul = 1 << 30, end++; break;
	default: break;
	}
	return *end ? -1 : v * mul;
}

/* Reads a hex key (at least 16 bytes, at most 256) from a root-only file. */
static enum sw_err read_keyfile(struct ag_config *c, const char *path, struct sw_errbuf *eb)
{
	char buf[600];
	size_t n, k = 0;
	FILE *f = fopen(path, "r");
	uint8_t *key;

	if (!f)
		return sw_errf(eb, SW_EIO, "cannot read HMAC key file %s: %s", path,
			       strerror(errno));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	if (n < 32 || n > 512 || n % 2)
		return sw_errf(eb, SW_EINVAL,
			       "HMAC key file %s must hold 32 to 512 hex digits", path);
	key = malloc(n / 2);
	if (!key)
		return SW_ENOMEM;
	for (size_t i = 0; i < n; i += 2) {
		unsigned v;
		if (!isxdigit((unsigned char)buf[i]) || !isxdigit((unsigned char)buf[i + 1]) ||
		    sscanf(buf + i, "%2x", &v) != 1) {
			free(key);
			return sw_errf(eb, SW_EINVAL, "HMAC key file %s is not hex", path);
		}
		key[k++] = (uint8_t)v;
	}
	free(c->hmac_key);
	c->hmac_key = key;
	c->hmac_len = k;
	return SW_OK;
}

/* Stores one option value of the table into c. */
static enum sw_err set_opt(struct ag_config *c, const struct opt *o, const char *val,
			   struct sw_errbuf *eb)
{
	void *p = (char *)c + o->off;
	int64_t v;

	switch (o->type) {
	case T_STR:
	case T_PATH: {
		char *s = strdup(val);
		if (!s)
			return SW_ENOMEM;
		free(*(char **)p);
		*(char **)p = s;
		return SW_OK;
	}
	case T_KEYFILE:
		return read_keyfile(c, val, eb);
	case T_ALGO:
		if (!strcmp(val, "sha256"))
			*(int *)p = AG_SHA256;
		else if (!strcmp(val, "sm3"))
			*(int *)p = AG_SM3;
		else
			return sw_errf(eb, SW_EINVAL, "hash must be sha256 or sm3, not '%s'", val);
		return SW_OK;
	case T_WATCHER:
		if (!strcmp(val, "auto"))
			*(int *)p = AG_WATCH_AUTO;
		else if (!strcmp(val, "fanotify"))
			*(int *)p = AG_WATCH_FANOTIFY;
		else if (!strcmp(val, "inotify"))
			*(int *)p = AG_WATCH_INOTIFY;
		else
			return sw_errf(eb, SW_EINVAL,
				       "watcher must be auto, fanotify or inotify, not '%s'", val);
		return SW_OK;
	case T_BOOL:
		if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "1") ||
		    !strcmp(val, "true"))
			*(int *)p = 1;
		else if (!strcmp(val, "off") || !strcmp(val, "no") || !strcmp(val, "0") ||
			 !strcmp(val, "false"))
			*(int *)p = 0;
		else
			return sw_errf(eb, SW_EINVAL, "%s must be on or off, not '%s'", o->ini, val);
		return SW_OK;
	case T_INT:
	case T_DUR:
	case T_SIZE:
		v = o->type == T_INT ? (isdigit((unsigned char)*val) ? strtoll(val, NULL, 10) : -1)
		    : o->type == T_DUR ? ag_parse_duration(val)
				       : parse_size(val);
		if (o->type == T_INT && strspn(val, "0123456789") != strlen(val))
			v = -1;
		if (v < o->min || v > o->max)
			return sw_errf(eb, SW_EINVAL, "%s must be between %lld and %lld, not '%s'",
				       o->ini, (long long)o->min, (long long)o->max, val);
		if (o->type == T_SIZE)
			*(int64_t *)p = v;
		else if (o->type == T_DUR && o->off == offsetof(struct ag_config, pause_max_s))
			*(int64_t *)p = v;
		else
			*(int *)p = (int)v;
		return SW_OK;
	}
	return SW_EINVAL;
}

/* Appends a copy of s to the array *arr of *n strings. */
static enum sw_err push_str(char ***arr, size_t *n, const char *s)
{
	char **a = realloc(*arr, (*n + 1) * sizeof *a);

	if (!a)
		return SW_ENOMEM;
	*arr = a;
	if (!(a[*n] = strdup(s)))
		return SW_ENOMEM;
	(*n)++;
	return SW_OK;
}

/* Starts a new root with the given path. */
static enum sw_err add_root(struct ag_config *c, const char *path)
{
	struct ag_root_conf *r = realloc(c->roots, (c->n_roots + 1) * sizeof *r);

	if (!r)
		return SW_ENOMEM;
	c->roots = r;
	r += c->n_roots;
	memset(r, 0, sizeof *r);
	if (!(r->path = strdup(path)))
		return SW_ENOMEM;
	c->n_roots++;
	return SW_OK;
}

/* Adds an upload directory, stored without leading/trailing slashes. */
static enum sw_err add_upload(struct ag_root_conf *r, const char *val, struct sw_errbuf *eb)
{
	char buf[PATH_MAX];
	size_t n;

	while (*val == '/')
		val++;
	n = strlen(val);
	while (n && val[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof buf || strstr(val, ".."))
		return sw_errf(eb, SW_EINVAL, "upload must name a directory inside the root");
	memcpy(buf, val, n);
	buf[n] = '\0';
	return push_str(&r->upload, &r->n_upload, buf);
}

/* Applies a root-level key ("path", "exclude", "upload") to the last root. */
static enum sw_err set_root_key(struct ag_config *c, const char *key, const char *val,
				struct sw_errbuf *eb)
{
	struct ag_root_conf *r = c->n_roots ? &c->roots[c->n_roots - 1] : NULL;

	if (!strcmp(key, "path") || !strcmp(key, "root")) {
		if (!strcmp(key, "path") && r && !r->path[0]) {
			free(r->path);
			return (r->path = strdup(val)) ? SW_OK : SW_ENOMEM;
		}
		return add_root(c, val);
	}
	if (!r)
		return sw_errf(eb, SW_EUSAGE, "%s needs a root first (--root DIR or [root] path)",
			       key);
	if (!strcmp(key, "exclude"))
		return *val ? push_str(&r->exclude, &r->n_exclude, val)
			    : sw_errf(eb, SW_EINVAL, "exclude pattern is empty");
	if (!strcmp(key, "upload"))
		return add_upload(r, val, eb);
	return SW_ENOTFOUND;
}

enum sw_err ag_config_arg(struct ag_config *c, const char *name, const char *val,
			  struct sw_errbuf *eb)
{
	if (!strcmp(name, "root") || !strcmp(name, "exclude") || !strcmp(name, "upload"))
		return set_root_key(c, name, val, eb);
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(opts[i].cli, name))
			return set_opt(c, &opts[i], val, eb);
	return SW_ENOTFOUND;
}

/* Strips blanks at both ends of s in place; returns the new start. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Handles one "key = value" line of section sect. */
static enum sw_err ini_line(struct ag_config *c, const char *sect, char *key, char *val,
			    struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (!strcmp(sect, "root")) {
		rc = set_root_key(c, key, val, eb);
		return rc == SW_ENOTFOUND ? sw_errf(eb, SW_EINVAL, "unknown key '%s' in [root]", key)
					  : rc;
	}
	if (!strcmp(sect, "attack") || !strcmp(sect, "log")) {
		rc = ag_attack_conf_key(c->attack, sect, key, val, eb);
		return rc == SW_ENOTFOUND ? sw_errf(eb, SW_EINVAL, "unknown key '%s' in [%s]", key, sect)
					  : rc;
	}
	if (!strcmp(sect, "agent")) {
		for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
			if (!strcmp(opts[i].ini, key))
				return set_opt(c, &opts[i], val, eb);
		return sw_errf(eb, SW_EINVAL, "unknown key '%s' in [agent]", key);
	}
	return sw_errf(eb, SW_EINVAL, "key '%s' outside [agent] or [root]", key);
}

enum sw_err ag_config_load(struct ag_config *c, const char *path, struct sw_errbuf *eb)
{
	char line[4096], sect[32] = "";
	FILE *f = fopen(path, "r");
	enum sw_err rc = SW_OK;
	unsigned no = 0;

	if (!f)
		return sw_errf(eb, SW_EIO, "cannot read %s: %s", path, strerror(errno));
	free(c->conf_path);
	c->conf_path = strdup(path);
	while (rc == SW_OK && fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq;
		no++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			if (!e || e[1] || e - s - 1 >= (long)sizeof sect)
				rc = SW_EINVAL;
			else {
				*e = '\0';
				snprintf(sect, sizeof sect, "%s", trim(s + 1));
				if (strcmp(sect, "agent") && strcmp(sect, "root") &&
				    strcmp(sect, "attack") && strcmp(sect, "log"))
					rc = SW_EINVAL;
				else if (!strcmp(sect, "root"))
					rc = add_root(c, "");
				else if (strcmp(sect, "agent") && !c->attack &&
					 !(c->attack = ag_attack_conf_new()))
					rc = SW_ENOMEM;
				if (rc == SW_OK && !strcmp(sect, "log"))
					rc = ag_attack_conf_key(c->attack, "log", NULL, NULL, eb);
			}
			if (rc)
				sw_errf(eb, rc,
					"%s:%u: bad section '%s' (want [agent], [root], [attack] or [log])",
					path, no, s);
			continue;
		}
		if (!(eq = strchr(s, '='))) {
			rc = sw_errf(eb, SW_EINVAL, "%s:%u: expected key = value", path, no);
			break;
		}
		*eq = '\0';
		rc = ini_line(c, sect, trim(s), trim(eq + 1), eb);
		if (rc && !sw_errbuf_empty(eb)) {
			struct sw_errbuf tmp = *eb;
			sw_errf_replace(eb, rc, "%s:%u: %s", path, no, tmp.msg);
		}
	}
	fclose(f);
	return rc;
}

/* Replaces *p by its realpath; it must be an existing directory. */
static enum sw_err resolve_dir(char **p, const char *what, struct sw_errbuf *eb)
{
	char buf[PATH_MAX];
	struct stat st;
	char *s;

	if (!realpath(*p, buf))
		return sw_errf(eb, SW_EINVAL, "%s %s: %s", what, *p, strerror(errno));
	if (stat(buf, &st) || !S_ISDIR(st.st_mode))
		return sw_errf(eb, SW_EINVAL, "%s %s is not a directory", what, *p);
	if (!(s = strdup(buf)))
		return SW_ENOMEM;
	free(*p);
	*p = s;
	return SW_OK;
}

/* 1 when a is b or a directory above b. */
static int path_within(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/' || n == 1);
}

/* Makes the store path absolute (it may not exist yet). */
static enum sw_err resolve_store(struct ag_config *c, struct sw_errbuf *eb)
{
	char buf[PATH_MAX], *parent, *slash, *s;
	size_t n;

	if (!c->store || !*c->store)
		return sw_errf(eb, SW_EUSAGE, "no backup store: give --store DIR or store = in [agent]");
	if (realpath(c->store, buf))
		goto done;
	/* Not there yet: resolve its parent, which must exist. */
	n = strlen(c->store);
	while (n > 1 && c->store[n - 1] == '/')
		c->store[--n] = '\0';
	if (!(parent = strdup(c->store)))
		return SW_ENOMEM;
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(parent, ".");
	s = realpath(parent, buf);
	free(parent);
	if (!s)
		return sw_errf(eb, SW_EINVAL, "store %s: parent directory missing", c->store);
	n = strlen(buf);
	snprintf(buf + n, sizeof buf - n, "%s%s", n > 1 ? "/" : "",
		 strrchr(c->store, '/') ? strrchr(c->store, '/') + 1 : c->store);
done:
	if (!(s = strdup(buf)))
		return SW_ENOMEM;
	free(c->store);
	c->store = s;
	return SW_OK;
}

/* The safety rules between roots and the store. */
static enum sw_err check_roots(struct ag_config *c, struct sw_errbuf *eb)
{
	for (size_t i = 0; i < c->n_roots; i++) {
		struct ag_root_conf *r = &c->roots[i];
		enum sw_err rc;
		if (!r->path[0])
			return sw_errf(eb, SW_EINVAL, "a [root] section has no path");
		if ((rc = resolve_dir(&r->path, "root", eb)))
			return rc;
		if (!strcmp(r->path, "/"))
			return sw_errf(eb, SW_EINVAL, "refusing to protect / (name the web root)");
		if (path_within(r->path, c->store) || path_within(c->store, r->path))
			return sw_errf(eb, SW_EINVAL, "root %s and the backup store %s overlap",
				       r->path, c->store);
		for (size_t j = 0; j < i; j++)
			if (path_within(r->path, c->roots[j].path) ||
			    path_within(c->roots[j].path, r->path))
				return sw_errf(eb, SW_EINVAL, "roots %s and %s overlap",
					       c->roots[j].path, r->path);
	}
	return SW_OK;
}

enum sw_err ag_config_finish(struct ag_config *c, int need_roots, struct sw_errbuf *eb)
{
	enum sw_err rc;
	char host[256];

	if (c->attack && (rc = ag_attack_conf_finish(c->attack, eb)))
		return rc;
	if (need_roots < 0) /* logs test: no store, no roots */
		return SW_OK;
	if ((rc = resolve_store(c, eb)))
		return rc;
	if (need_roots && c->n_roots == 0)
		return sw_errf(eb, SW_EUSAGE, "no web root: give --root DIR or a [root] section");
	if ((rc = check_roots(c, eb)))
		return rc;
	if (c->server && strncmp(c->server, "http://", 7) && strncmp(c->server, "https://", 8))
		return sw_errf(eb, SW_EINVAL, "server must be an http:// or https:// URL, not '%s'",
			       c->server);
	if (c->server && !c->token && !c->hmac_key)
		return sw_errf(eb, SW_EINVAL,
			       "server given without credentials: set token or hmac_key_file");
	if (!c->id) {
		if (gethostname(host, sizeof host))
			strcpy(host, "agent");
		host[sizeof host - 1] = '\0';
		if (!(c->id = strdup(host)))
			return SW_ENOMEM;
	}
	for (const char *p = c->id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return sw_errf(eb, SW_EINVAL, "agent id '%s': use letters, digits, - _ .",
				       c->id);
	return SW_OK;
}

int ag_config_root_find(const struct ag_config *c, const char *path)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf))
		return -1;
	for (size_t i = 0; i < c->n_roots; i++)
		if (!strcmp(c->roots[i].path, buf))
			return (int)i;
	return -1;
}
