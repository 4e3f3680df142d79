/*
 * attack_detect.h - the verdict on one log line: parsed, decoded, through
 * the first pass and (when it could match) the Core Rule Set, plus the
 * checks that need no rules: known webshell names, files the anti-tamper
 * guard quarantined, login attempts, search-engine spiders and allow
 * lists.
 *
 * Modes: AG_DET_PIPELINE (first pass, then the CRS: the agent's way),
 * AG_DET_CRS (every request through the CRS: the reference), AG_DET_BOTH
 * (both on every line: counts the CRS detections the pipeline missed, for
 * the corpus test and the benchmark).
 */
#ifndef SW_AGENT_ATTACK_DETECT_H
#define SW_AGENT_ATTACK_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "agent/attack_conf.h"
#include "agent/attack_crs.h"
#include "agent/attack_pre.h"
#include "agent/logs_parse.h"

enum { AG_DET_PIPELINE = 0, AG_DET_CRS = 1, AG_DET_BOTH = 2 };

/* Reverse DNS for spider verification: name of addr into out, 0 or -1.
 * Replaceable so tests never resolve anything. */
typedef int (*ag_resolve_fn)(const char *addr, char *out, size_t cap);
/* Forward check: 1 when name resolves to addr. */
typedef int (*ag_forward_fn)(const char *name, const char *addr);

struct ag_line_verdict {
	struct ag_verdict v; /* the rules' verdict (v.attack) */
	int kind;            /* final kind: v.kind, or AG_K_WEBSHELL */
	int passed;          /* the first pass sent it on */
	int webshell;        /* known webshell name or quarantined file */
	int quarantined;     /* a file the guard quarantined */
	int login;           /* a POST to a login path */
	int allowed;         /* allow-listed source or spider: no events */
	int spider;
	int missed;          /* AG_DET_BOTH: the CRS flags it, the pipeline did not */
};

struct ag_spider_cache;

struct ag_detect {
	const struct ag_attack_conf *conf;
	int mode;
	struct ag_pre *pre;
	struct ag_crs *crs;
	char **shells;       /* webshell file names, lower case, sorted */
	size_t n_shells;
	char **quar;         /* quarantined paths ("/" + path relative to the root) */
	size_t n_quar;
	char quar_index[4200]; /* STORE/quarantine/index.jsonl, "" when none */
	int64_t quar_size;
	ag_resolve_fn resolve;
	ag_forward_fn forward;
	struct ag_spider_cache *spiders;
	/* counters */
	uint64_t lines, malformed, requests, passed, crs_runs, attacks, missed;
	uint64_t by_kind[AG__K_COUNT];
	int64_t pre_ns, crs_ns;
};

enum sw_err ag_detect_init(struct ag_detect *d, const struct ag_attack_conf *conf, int mode,
			   const char *store_dir, struct sw_errbuf *eb);
void ag_detect_cleanup(struct ag_detect *d);

/* Judges a parsed record (site: the log's configured site, or NULL). */
void ag_detect_rec(struct ag_detect *d, const struct ag_logrec *r, const char *site,
		   struct ag_line_verdict *out);

/* Reads the guard's quarantine index again when it grew. */
void ag_detect_reload_quarantine(struct ag_detect *d);

/* Default resolvers (getnameinfo / getaddrinfo). */
int ag_resolve_ptr(const char *addr, char *out, size_t cap);
int ag_resolve_forward(const char *name, const char *addr);

#endif
