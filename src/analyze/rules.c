/*
 * rules.c - reading the analyzers' rule files: a user's directory first,
 * then the copies compiled into the binary.
 */
#include "analyze/rules.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

/* A rules file larger than this is a mistake, not a word list. */
#define RULES_FILE_MAX (64u << 20)

static const struct sw_rule_file *embedded(const char *path)
{
	for (size_t i = 0; i < sw_rules_embedded_count; i++)
		if (strcmp(sw_rules_embedded[i].path, path) == 0)
			return &sw_rules_embedded[i];
	return NULL;
}

/* Reads dir/path into a new buffer; SW_ENOTFOUND when it is not there. */
static enum sw_err read_user(const char *dir, const char *path, char **out, size_t *len,
			     struct sw_errbuf *eb)
{
	char full[PATH_MAX];
	struct stat st;
	FILE *f;
	char *buf;

	if (snprintf(full, sizeof full, "%s/%s", dir, path) >= (int)sizeof full)
		return sw_errf(eb, SW_EINVAL, "rules path too long: %s/%s", dir, path);
	if (!(f = fopen(full, "rb")))
		return errno == ENOENT ? SW_ENOTFOUND
				       : sw_errf(eb, SW_EIO, "%s: %s", full, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > RULES_FILE_MAX) {
		fclose(f);
		return sw_errf(eb, SW_EIO, "%s: not a regular file of at most 64 MiB", full);
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		return SW_ENOMEM;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = '\0';
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return sw_errf(eb, SW_EIO, "%s: read error", full);
	}
	fclose(f);
	*out = buf;
	return SW_OK;
}

enum sw_err sw_rules_read(const char *dir, const char *path, char **out, size_t *len,
			  struct sw_errbuf *eb)
{
	const struct sw_rule_file *e;
	size_t n = 0;
	enum sw_err rc;

	*out = NULL;
	if (dir && (rc = read_user(dir, path, out, &n, eb)) != SW_ENOTFOUND) {
		if (len)
			*len = n;
		return rc;
	}
	if (!(e = embedded(path)))
		return sw_errf(eb, SW_ENOTFOUND, "no rules file %s", path);
	if (!(*out = malloc(e->len + 1)))
		return SW_ENOMEM;
	memcpy(*out, e->data, e->len + 1);
	if (len)
		*len = e->len;
	return SW_OK;
}

/* Sorted, de-duplicated list of relative paths. */
struct paths {
	char **v;
	size_t n, cap;
};

static enum sw_err paths_add(struct paths *p, const char *s)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		char **v = realloc(p->v, cap * sizeof *v);

		if (!v)
			return SW_ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	if (!(p->v[p->n] = strdup(s)))
		return SW_ENOMEM;
	p->n++;
	return SW_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files of dir/sub (one level: rules are grouped in
 * directories named by analyzer, e.g. sensitive/). */
static enum sw_err scan_user(const char *dir, const char *prefix, struct paths *p)
{
	char sub[PATH_MAX], rel[PATH_MAX], full[PATH_MAX];
	const char *slash = strrchr(prefix, '/');
	size_t dlen = slash ? (size_t)(slash - prefix) : 0;
	struct dirent *de;
	enum sw_err rc = SW_OK;
	DIR *d;

	snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)dlen, prefix);
	if (!(d = opendir(sub)))
		return SW_OK; /* nothing of the user's for this prefix */
	while (rc == SW_OK && (de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof rel, "%.*s%s%s", (int)dlen, prefix, dlen ? "/" : "",
			 de->d_name);
		if (snprintf(full, sizeof full, "%s/%s", dir, rel) >= (int)sizeof full)
			continue;
		if (strncmp(rel, prefix, strlen(prefix)) || stat(full, &st) || !S_ISREG(st.st_mode))
			continue;
		rc = paths_add(p, rel);
	}
	closedir(d);
	return rc;
}

enum sw_err sw_rules_list(const char *dir, const char *prefix,
			  enum sw_err (*fn)(const char *path, void *arg), void *arg,
			  struct sw_errbuf *eb)
{
	struct paths p = {0};
	size_t plen = strlen(prefix);
	enum sw_err rc = SW_OK;

	(void)eb;
	for (size_t i = 0; rc == SW_OK && i < sw_rules_embedded_count; i++)
		if (strncmp(sw_rules_embedded[i].path, prefix, plen) == 0)
			rc = paths_add(&p, sw_rules_embedded[i].path);
	if (rc == SW_OK && dir)
		rc = scan_user(dir, prefix, &p);
	if (p.n)
		qsort(p.v, p.n, sizeof *p.v, cmp_str);
	for (size_t i = 0; rc == SW_OK && i < p.n; i++)
		if (i == 0 || strcmp(p.v[i], p.v[i - 1]))
			rc = fn(p.v[i], arg);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i]);
	free(p.v);
	return rc;
}

enum sw_err sw_rules_lines(char *buf, enum sw_err (*fn)(char *line, size_t no, void *arg),
			   void *arg)
{
	size_t no = 0;
	char *s = buf;

	if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		s += 3; /* a UTF-8 BOM from an editor */
	while (*s) {
		char *nl = strchr(s, '\n'), *hash, *end;
		enum sw_err rc;

		if (nl)
			*nl = '\0';
		no++;
		if ((hash = strchr(s, '#')))
			*hash = '\0';
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (*s && (rc = fn(s, no, arg)) != SW_OK)
			return rc;
		if (!nl)
			break;
		s = nl + 1;
	}
	return SW_OK;
}
