/*
 * trojan_yara.c - the project's YARA rules (rules/yara/ *.yar) over a
 * page's inline scripts and handlers, compiled once at load and scanned
 * once per page over the whole scan buffer.
 *
 * Facts that shaped it: libyara's yr_initialize/yr_finalize are
 * process-global and not thread-safe, so they are reference-counted under
 * a mutex; one scan of the joined buffer is much cheaper than one scan per
 * script (each scan sets up a context), and a match's offset finds its
 * script again.  A rule may name the finding it stands for with the meta
 * `kind = "miner"` (trojan.miner) and its confidence with
 * `confidence = 80` (percent); other rules report trojan.yara.  Only miner
 * rules look at external script URLs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>

#include "analyze/rules.h"
#include "analyze/trojan_int.h"

static pthread_mutex_t yr_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned yr_users;

/* Takes a reference on libyara, initialising it on first use. */
static enum sw_err yara_ref(struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	pthread_mutex_lock(&yr_lock);
	if (yr_users == 0 && yr_initialize() != ERROR_SUCCESS)
		rc = sw_errf(eb, SW_ENOMEM, "trojan: cannot initialise libyara");
	else
		yr_users++;
	pthread_mutex_unlock(&yr_lock);
	return rc;
}

/* Drops a reference on libyara, finalising it with the last one. */
static void yara_unref(void)
{
	pthread_mutex_lock(&yr_lock);
	if (yr_users && --yr_users == 0)
		yr_finalize();
	pthread_mutex_unlock(&yr_lock);
}

/* Compile state: the compiler, the rules dir and the file being added. */
struct compile {
	YR_COMPILER *c;
	const char *dir;
	const char *path;
	struct sw_errbuf *eb;
	int files;
};

/* libyara compiler callback: the first error becomes the message. */
static void on_compile_msg(int level, const char *file, int line, const YR_RULE *rule,
			   const char *msg, void *arg)
{
	struct compile *cp = arg;

	(void)file;
	(void)rule;
	if (level == YARA_ERROR_LEVEL_ERROR)
		sw_errf(cp->eb, SW_EINVAL, "rules/%s line %d: %s", cp->path, line, msg);
}

/* sw_rules_list callback: adds one .yar file to the compiler. */
static enum sw_err add_file(const char *path, void *arg)
{
	struct compile *cp = arg;
	size_t len = strlen(path);
	char *data = NULL;
	enum sw_err rc;

	if (len < 4 || strcmp(path + len - 4, ".yar"))
		return SW_OK;
	rc = sw_rules_read(cp->dir, path, &data, NULL, cp->eb);
	if (rc)
		return rc;
	cp->path = path;
	if (yr_compiler_add_string(cp->c, data, NULL) > 0)
		rc = sw_errf(cp->eb, SW_EINVAL, "rules/%s: YARA syntax error", path);
	free(data);
	cp->files++;
	return rc;
}

enum sw_err sw__tj_yara_load(const char *dir, struct sw__tj_state *st, struct sw_errbuf *eb)
{
	struct compile cp = {NULL, dir, "", eb, 0};
	YR_RULES *rules = NULL;
	enum sw_err rc;

	if ((rc = yara_ref(eb)) != SW_OK)
		return rc;
	if (yr_compiler_create(&cp.c) != ERROR_SUCCESS) {
		yara_unref();
		return sw_errf(eb, SW_ENOMEM, "trojan: cannot create a YARA compiler");
	}
	yr_compiler_set_callback(cp.c, on_compile_msg, &cp);
	rc = sw_rules_list(dir, "yara/", add_file, &cp, eb);
	if (!rc && cp.files && yr_compiler_get_rules(cp.c, &rules) != ERROR_SUCCESS)
		rc = sw_errf(eb, SW_ENOMEM, "trojan: cannot build the YARA rules");
	yr_compiler_destroy(cp.c);
	if (rc) {
		yara_unref();
		return rc;
	}
	st->yara = rules;
	st->yara_ref = 1; /* until sw__tj_yara_free */
	return SW_OK;
}

void sw__tj_yara_free(struct sw__tj_state *st)
{
	if (st->yara)
		yr_rules_destroy(st->yara);
	st->yara = NULL;
	if (st->yara_ref)
		yara_unref();
	st->yara_ref = 0;
}

/* Scan state handed to the match callback. */
struct scan {
	struct sw__tj_run *r;
	enum sw_err rc;
};

/* Index of the segment holding buffer offset off (segments are in order). */
static size_t seg_at(const struct sw__tj_run *r, size_t off)
{
	size_t lo = 0, hi = r->nsegs;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (r->segs[mid].boff <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Reports one matching rule at its first match. */
static int on_rule(YR_SCAN_CONTEXT *ctx, YR_RULE *rule, struct scan *sc)
{
	const YR_META *meta;
	const YR_STRING *str;
	const YR_MATCH *m;
	const char *kind = NULL;
	double conf = 0.8;
	size_t off = 0;
	int found = 0;

	yr_rule_metas_foreach(rule, meta) {
		if (!strcmp(meta->identifier, "kind") && meta->type == META_TYPE_STRING)
			kind = meta->string;
		else if (!strcmp(meta->identifier, "confidence") && meta->type == META_TYPE_INTEGER)
			conf = (double)meta->integer / 100.0;
	}
	yr_rule_strings_foreach(rule, str) {
		/*
		 * libyara 4.2 keeps matches in a notebook that does not align
		 * them, so a YR_MATCH is copied out rather than read in place
		 * (yr_string_matches_foreach would read it misaligned).
		 */
		for (m = ctx->matches[str->idx].head; m;) {
			YR_MATCH cp;
			memcpy(&cp, m, sizeof cp);
			if (!cp.is_private) {
				if (!found || (size_t)(cp.base + cp.offset) < off)
					off = (size_t)(cp.base + cp.offset);
				found = 1;
				break;
			}
			m = cp.next;
		}
	}
	int miner = kind && !strcmp(kind, "miner");
	const struct sw__tj_seg *g = &sc->r->segs[seg_at(sc->r, off)];
	if (g->kind == SW_TJ_SEG_SRC && !miner)
		return CALLBACK_CONTINUE;
	uint32_t poff = g->poff, plen = g->plen;
	if (g->kind == SW_TJ_SEG_SCRIPT && off >= g->boff) {
		poff = g->poff + (uint32_t)(off - g->boff);
		plen = 120;
	}
	sc->rc = sw_an_emit(sc->r->ctx, &(struct sw_an_hit){
			    .key = miner ? "trojan.miner" : "trojan.yara", .sev = -1,
			    .confidence = conf, .technique = rule->identifier, .off = poff,
			    .len = plen}, "script matches YARA rule %s", rule->identifier);
	return sc->rc ? CALLBACK_ABORT : CALLBACK_CONTINUE;
}

/* libyara scan callback. */
static int on_scan_msg(YR_SCAN_CONTEXT *ctx, int message, void *data, void *arg)
{
	if (message == CALLBACK_MSG_RULE_MATCHING)
		return on_rule(ctx, data, arg);
	return CALLBACK_CONTINUE;
}

enum sw_err sw__tj_yara_run(struct sw__tj_run *r)
{
	struct scan sc = {r, SW_OK};

	if (!r->st->yara || !r->buf_len || !r->nsegs)
		return SW_OK;
	/*
	 * NO_TRYCATCH: the buffer is our own memory, not a mapped file, so
	 * libyara's SIGBUS guard is useless, and installing it (rt_sigaction)
	 * is outside what the analysis worker's seccomp filter allows.
	 */
	int yrc = yr_rules_scan_mem(r->st->yara, (const uint8_t *)r->buf, r->buf_len,
				    SCAN_FLAGS_FAST_MODE | SCAN_FLAGS_NO_TRYCATCH, on_scan_msg,
				    &sc, 2);
	if (sc.rc)
		return sc.rc;
	/* A timeout leaves the rules that matched so far reported; the page's
	 * other checks still ran. */
	return yrc == ERROR_INSUFFICIENT_MEMORY ? SW_ENOMEM : SW_OK;
}
