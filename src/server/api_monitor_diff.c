/*
 * api_monitor_diff.c - GET /api/sites/{id}/diff: the visible text of the
 * newest page version the site's baseline was learned from against the
 * latest stored snapshot, line by line, for the defacement side-by-side.
 *
 * 404 when the site is absent or out of scope, has no baseline, no check
 * with a stored body, or the snapshots were pruned by retention.
 */
#include <stdlib.h>
#include <string.h>

#include "server/api_monitor.h"
#include "server/api_register.h"

/* What the handler learns of the baseline and the latest check. */
struct diff_src {
	char base_key[SW_SNAPSHOT_KEY_LEN], cur_key[SW_SNAPSHOT_KEY_LEN];
	char base_title[512];
	int64_t base_at, cur_at, cur_check;
	int seen; /* checks looked at */
};

/* Keeps the baseline's newest page key (the last one listed). */
static int baseline_cb(void *arg, const struct sw_baseline_row *r)
{
	struct diff_src *d = arg;
	const char *p = r->pages, *last = NULL;

	for (const char *q = p; q && *q;) {
		q += strspn(q, " ");
		if (*q)
			last = q;
		q += strcspn(q, " ");
	}
	if (last && strcspn(last, " ") == SW_SNAPSHOT_KEY_LEN - 1)
		memcpy(d->base_key, last, SW_SNAPSHOT_KEY_LEN - 1);
	snprintf(d->base_title, sizeof d->base_title, "%s", r->title ? r->title : "");
	d->base_at = r->created_at;
	return 1;
}

/* Keeps the newest check that stored a body. */
static int check_cb(void *arg, const struct sw_check_row *c)
{
	struct diff_src *d = arg;

	d->seen++;
	if (!c->body_hash || strlen(c->body_hash) != SW_SNAPSHOT_KEY_LEN - 1)
		return 0;
	memcpy(d->cur_key, c->body_hash, SW_SNAPSHOT_KEY_LEN - 1);
	d->cur_at = c->checked_at;
	d->cur_check = c->id;
	return 1;
}

/* Loads snapshot key and turns it into lines. */
static enum sw_err load_lines(struct sw_store *st, const char *key, struct sw_text_lines *t,
			      struct sw_errbuf *eb)
{
	unsigned char *body = NULL;
	size_t len = 0;
	enum sw_err rc;

	if ((rc = sw_store_snapshot_get(st, key, &body, &len, eb)))
		return rc;
	rc = sw_text_lines_of((const char *)body, len, t, eb);
	free(body);
	return rc;
}

/* The lines of a page joined with newlines, for the side-by-side panes. */
static json_t *joined(const struct sw_text_lines *t)
{
	size_t n = 1;
	char *s, *p;
	json_t *j;

	for (size_t i = 0; i < t->n; i++)
		n += strlen(t->v[i]) + 1;
	if (!(s = p = malloc(n)))
		return json_null();
	*p = '\0';
	for (size_t i = 0; i < t->n; i++)
		p += sprintf(p, "%s%s", i ? "\n" : "", t->v[i]);
	j = json_string(s);
	free(s);
	return j ? j : json_null();
}

static json_t *diff_json(const struct diff_src *d, const struct sw_text_lines *a,
			 const struct sw_text_lines *b, const struct sw_diff_line *ops, size_t n)
{
	static const char *const op_name[] = {"same", "del", "add"};
	json_t *lines = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(lines, json_pack("{s:s, s:s}", "op", op_name[ops[i].op], "text",
						       ops[i].op == SW_DIFF_ADD ? b->v[ops[i].i]
										: a->v[ops[i].i]));
	return json_pack("{s:{s:s, s:o, s:I}, s:{s:s, s:o, s:I, s:I}, s:o}", "baseline", "title",
			 d->base_title, "text", joined(a), "created_at", (json_int_t)d->base_at,
			 "current", "title", b->title, "text", joined(b), "checked_at",
			 (json_int_t)d->cur_at, "check_id", (json_int_t)d->cur_check, "lines", lines);
}

int sw__api_site_diff(struct sw_req *rq, struct sw_resp *rs);

int sw__api_site_diff(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_text_lines a = {0}, b = {0};
	struct sw_diff_line *ops = NULL;
	struct diff_src d = {0};
	struct sw_access ab;
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;
	size_t n = 0;
	json_t *j;
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), id, sw_api_access(rq->user, &ab),
			     &rec, &eb);
	sw_rec_cleanup(&rec);
	if (rc)
		return sw_resp_from_err(rs, rc, &eb);
	if ((rc = sw_store_baseline_current(rq->st, id, baseline_cb, &d, &eb)) || !d.base_key[0])
		return rc && rc != SW_ENOTFOUND ? sw_resp_from_err(rs, rc, &eb)
						: sw_resp_error(rs, 404, NULL, "the site has no baseline page");
	/* The newest check with a body among the last 50 (a site that is down
	 * has checks without one). */
	if ((rc = sw_store_checks_recent(rq->st, id, 0, 50, check_cb, &d, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	if (!d.cur_key[0])
		return sw_resp_error(rs, 404, NULL, "the site has no stored page yet");
	if ((rc = load_lines(rq->st, d.base_key, &a, &eb)) ||
	    (rc = load_lines(rq->st, d.cur_key, &b, &eb)) ||
	    (rc = sw_diff_lines(a.v, a.n, b.v, b.n, &ops, &n))) {
		sw_text_lines_free(&a);
		sw_text_lines_free(&b);
		if (rc == SW_ENOTFOUND)
			return sw_resp_error(rs, 404, NULL, "the stored page is gone (retention)");
		return sw_resp_from_err(rs, rc == SW_ECHARSET ? SW_ESTORE : rc, &eb);
	}
	j = diff_json(&d, &a, &b, ops, n);
	free(ops);
	sw_text_lines_free(&a);
	sw_text_lines_free(&b);
	return sw_resp_json(rs, 200, j);
}
