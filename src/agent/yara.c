/*
 * yara.c - libyara behind the agent's scanner interface (yara.h).
 */
#include "agent/yara.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yara.h>

#include "agent/fsutil.h"

struct ag_yara {
	YR_RULES *rules;
};

struct cerr {
	char msg[256];
};

/* Keeps the first compiler error. */
static void on_error(int level, const char *file, int line, const YR_RULE *rule,
		     const char *msg, void *arg)
{
	struct cerr *e = arg;

	(void)rule;
	if (level == YARA_ERROR_LEVEL_ERROR && !e->msg[0])
		snprintf(e->msg, sizeof e->msg, "%s:%d: %s", file ? file : "rule", line, msg);
}

/* Adds every .yar file of dir to the compiler. */
static int add_dir(YR_COMPILER *c, const char *dir, struct cerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int bad = 0, n = 0;

	if (!d) {
		snprintf(e->msg, sizeof e->msg, "cannot read rules directory %s", dir);
		return -1;
	}
	while ((de = readdir(d)) && !bad) {
		char path[4300], *txt;
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".yar"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (ag_read_small(path, 4 << 20, &txt, NULL)) {
			snprintf(e->msg, sizeof e->msg, "cannot read %.200s", path);
			bad = 1;
			break;
		}
		bad = yr_compiler_add_string(c, txt, NULL) != 0;
		free(txt);
		n++;
	}
	closedir(d);
	if (!bad && n == 0)
		snprintf(e->msg, sizeof e->msg, "no .yar files in %s", dir);
	return bad || n == 0 ? -1 : 0;
}

enum sw_err ag_yara_new(const char *dir, struct ag_yara **out, struct sw_errbuf *eb)
{
	static int inited;
	YR_COMPILER *c = NULL;
	struct cerr e = {""};
	struct ag_yara *y;
	int bad = 0;

	*out = NULL;
	if (!inited && yr_initialize() != ERROR_SUCCESS)
		return sw_errf(eb, SW_ENOMEM, "cannot initialise libyara");
	inited = 1;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return sw_errf(eb, SW_ENOMEM, "cannot create a YARA compiler");
	yr_compiler_set_callback(c, on_error, &e);
	if (dir) {
		bad = add_dir(c, dir, &e);
	} else {
		for (size_t i = 0; i < ag_rules_embedded_count && !bad; i++)
			bad = yr_compiler_add_string(c, ag_rules_embedded[i].data, NULL) != 0;
	}
	if (!bad && !(y = calloc(1, sizeof *y)))
		bad = 1;
	if (bad || yr_compiler_get_rules(c, &y->rules) != ERROR_SUCCESS) {
		if (!bad)
			free(y);
		yr_compiler_destroy(c);
		return sw_errf(eb, SW_EINVAL, "webshell rules: %s", e.msg[0] ? e.msg : "error");
	}
	yr_compiler_destroy(c);
	*out = y;
	return SW_OK;
}

void ag_yara_free(struct ag_yara *y)
{
	if (!y)
		return;
	if (y->rules)
		yr_rules_destroy(y->rules);
	free(y);
}

struct hits {
	char *names;
	size_t nn, len;
	int n;
};

/* Collects the identifiers of matching rules. */
static int on_scan(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *arg)
{
	struct hits *h = arg;

	(void)ctx;
	if (msg == CALLBACK_MSG_RULE_MATCHING) {
		const YR_RULE *r = data;
		int w = snprintf(h->names + h->len, h->nn - h->len, "%s%s", h->n ? "," : "",
				 r->identifier);
		if (w > 0 && h->len + (size_t)w < h->nn)
			h->len += (size_t)w;
		h->n++;
	}
	return CALLBACK_CONTINUE;
}

int ag_yara_scan(struct ag_yara *y, const uint8_t *p, size_t n, char *names, size_t nn)
{
	struct hits h = {names, nn, 0, 0};

	if (nn)
		names[0] = '\0';
	if (yr_rules_scan_mem(y->rules, p, n, SCAN_FLAGS_FAST_MODE, on_scan, &h, 10) !=
	    ERROR_SUCCESS)
		return -1;
	return h.n > 0;
}

int ag_yara_scan_fd(struct ag_yara *y, int fd, int64_t max, char *names, size_t nn)
{
	uint8_t *buf;
	size_t got = 0;
	ssize_t r;
	int rc;

	if (!(buf = malloc(max > 0 ? (size_t)max : 1)))
		return -1;
	while ((int64_t)got < max && (r = pread(fd, buf + got, (size_t)max - got, (off_t)got)) > 0)
		got += (size_t)r;
	rc = ag_yara_scan(y, buf, got, names, nn);
	free(buf);
	return rc;
}
