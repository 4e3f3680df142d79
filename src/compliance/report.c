/*
 * report.c - builds the bulletin (通报) and the progress report from the
 * same judged view of sites the statistics use, so the figures printed
 * in a report are the figures `stats` prints.
 */
#include "compliance/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "register/register.h"

void sw_report_cleanup(struct sw_report *r)
{
	for (size_t i = 0; r->cells && i < r->nrows * (size_t)r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->section);
	r->cells = NULL;
	r->section = NULL;
	r->nrows = r->cap = 0;
}

/* Appends a row of ncols strings (copied). */
static enum sw_err add_row(struct sw_report *r, int section, const char *const *v)
{
	size_t nc = (size_t)r->ncols;

	if (r->nrows == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		char **c = realloc(r->cells, cap * nc * sizeof *c);
		int *s;

		if (!c)
			return SW_ENOMEM;
		r->cells = c;
		if (!(s = realloc(r->section, cap * sizeof *s)))
			return SW_ENOMEM;
		r->section = s;
		r->cap = cap;
	}
	for (size_t k = 0; k < nc; k++)
		if (!(r->cells[r->nrows * nc + k] = strdup(v[k] ? v[k] : ""))) {
			while (k-- > 0) /* the row is not counted: free what it got */
				free(r->cells[r->nrows * nc + k]);
			return SW_ENOMEM;
		}
	r->section[r->nrows++] = section;
	return SW_OK;
}

enum sw_err sw_report_period(const char *p, char from[11], char to[11], char prev_from[11],
			     char prev_to[11], struct sw_errbuf *eb)
{
	int y, m, q, months;
	char a[32], b[32], tail;

	if (!p)
		return sw_errf_field(eb, SW_EINVAL, "period", "a period is needed");
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4) {
		snprintf(a, sizeof a, "%04d-%02d-01", y % 10000, (q - 1) * 3 + 1);
		months = 3;
	} else if (strlen(p) == 7 && sscanf(p, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12) {
		snprintf(a, sizeof a, "%04d-%02d-01", y % 10000, m);
		months = 1;
	} else if (strlen(p) == 4 && sscanf(p, "%4d%c", &y, &tail) == 1) {
		snprintf(a, sizeof a, "%04d-01-01", y % 10000);
		months = 12;
	} else if (strlen(p) == 22 && !strncmp(p + 10, "..", 2)) {
		int64_t t0, t1;

		memcpy(a, p, 10), a[10] = '\0';
		memcpy(b, p + 12, 10), b[10] = '\0';
		if (sw_cmp_date_time(a, &t0) || sw_cmp_date_time(b, &t1) || t1 < t0)
			return sw_errf_field(eb, SW_EINVAL, "period", "bad period %s", p);
		int days = (int)((t1 - t0) / 86400) + 1;
		memcpy(from, a, 11);
		sw_cmp_add_days(b, 1, to);
		a[10] = '\0';
		sw_cmp_add_days(a, -days, prev_from);
		memcpy(prev_to, a, 11);
		return SW_OK;
	} else {
		return sw_errf_field(eb, SW_EINVAL, "period",
				     "period must be YYYY, YYYY-MM, YYYY-Qn or DATE..DATE, not %s", p);
	}
	a[10] = '\0';
	if (sw_cmp_add_months(a, months, b))
		return sw_errf_field(eb, SW_EINVAL, "period", "bad period %s", p);
	memcpy(from, a, 11);
	memcpy(to, b, 11);
	memcpy(prev_to, a, 11);
	/* previous period: the same number of months before */
	y = atoi(a);
	m = atoi(a + 5) - months;
	while (m < 1)
		m += 12, y--;
	snprintf(a, sizeof a, "%04d-%02d-01", (y % 10000 + 10000) % 10000, m % 100);
	memcpy(prev_from, a, 11);
	return SW_OK;
}

/* Name of region code (its registered name, else the code). */
static void region_name(struct sw_store *st, const char *code, char *out, size_t n)
{
	int64_t id;

	if (sw_store_find(st, sw_entity_get(SW_ENT_REGION), sw_field_index(SW_ENT_REGION, "code"),
			  code, &id, NULL, NULL) == SW_OK)
		sw_reg_label(st, SW_ENT_REGION, id, out, n);
	else
		snprintf(out, n, "%s", code);
}

/* One bulletin line before sorting. */
struct bline {
	const struct sw_cmp_site *s;
	char kind[64], sev[16], date[11], title[256];
	int incident;           /* an incident line: problem and status set here */
	char problem[400], status[32];
};

struct bcollect {
	const struct sw_cmp_view *v;
	struct bline *l;
	size_t n, cap;
	int oom;
};

static int bline_cb(void *arg, const struct sw_cmp_row *r)
{
	static const char *const sev[] = {"medium", "medium", "medium", "high", "critical"};
	struct bcollect *c = arg;
	const struct sw_cmp_site *s = sw_cmp_view_find(c->v, r->i[SW_PF_SITE]);
	struct bline *b;

	if (!s || !s->in_scope)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct bline *nl = realloc(c->l, cap * sizeof *nl);

		if (!nl) {
			c->oom = 1;
			return 1;
		}
		c->l = nl;
		c->cap = cap;
	}
	b = &c->l[c->n++];
	memset(b, 0, sizeof *b);
	b->s = s;
	snprintf(b->kind, sizeof b->kind, "%s", r->s[SW_PF_KIND]);
	snprintf(b->sev, sizeof b->sev, "%s", sev[r->i[SW_PF_SEVERITY] >= 2 && r->i[SW_PF_SEVERITY] <= 4 ? r->i[SW_PF_SEVERITY] : 2]);
	snprintf(b->title, sizeof b->title, "%s", r->s[SW_PF_TITLE] ? r->s[SW_PF_TITLE] : "");
	sw_cmp_date(r->i[SW_PF_FIRST], b->date);
	return 0;
}

/* The Chinese name of an incident kind (a finding family or manual). */
static const char *inc_kind_zh(const char *k)
{
	static const char *const map[][2] = {
		{"defacement", "网页篡改"}, {"trojan", "网页挂马"}, {"darklink", "暗链"},
		{"agent", "主机防护告警"}, {"manual", "人工登记"},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], k))
			return map[i][1];
	return k;
}

/* An incident of the period as a bulletin line. */
static int bline_inc(void *arg, const struct sw_cmp_incident *i)
{
	struct bcollect *c = arg;
	struct bline *b;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct bline *nl = realloc(c->l, cap * sizeof *nl);

		if (!nl) {
			c->oom = 1;
			return 1;
		}
		c->l = nl;
		c->cap = cap;
	}
	b = &c->l[c->n++];
	memset(b, 0, sizeof *b);
	b->s = i->site;
	b->incident = 1;
	snprintf(b->kind, sizeof b->kind, "~incident");
	snprintf(b->sev, sizeof b->sev, "%s", i->severity);
	snprintf(b->title, sizeof b->title, "%s", i->title);
	sw_cmp_date(i->detected, b->date);
	snprintf(b->problem, sizeof b->problem, "安全事件(%s): %s", inc_kind_zh(i->kind), i->title);
	snprintf(b->status, sizeof b->status, "%s",
		 !strcmp(i->state, "closed") ? "已结案" : i->recovered ? "已恢复" : "处置中");
	return 0;
}

/* Region, then site id, then date and kind. */
static int bline_cmp(const void *a, const void *b)
{
	const struct bline *x = a, *y = b;
	int c = strcmp(x->s->region, y->s->region);

	if (c)
		return c;
	if (x->s->id != y->s->id)
		return x->s->id < y->s->id ? -1 : 1;
	return (c = strcmp(x->date, y->date)) ? c : strcmp(x->kind, y->kind);
}

/* Status of a bulletin line: the tracking item's, else whether the
 * finding is still open. */
struct bstatus {
	const char *kind;
	char status[32];
};

static int bstatus_cb(void *arg, const struct sw_cmp_row *r)
{
	struct bstatus *b = arg;

	snprintf(b->status, sizeof b->status, "%s", sw_rect_status_zh(r->s[SW_RECT_STATUS]));
	return 0; /* the last (newest) item wins */
}

static int still_cb(void *arg, const struct sw_check_finding *f)
{
	struct bstatus *b = arg;

	if (!strcmp(f->kind, b->kind)) {
		snprintf(b->status, sizeof b->status, "未整改");
		return 1;
	}
	return 0;
}

static enum sw_err line_status(struct sw_store *st, const struct bline *l, char *out, size_t n,
			       struct sw_errbuf *eb)
{
	struct sw_rect_filter f = {.site_id = l->s->id, .finding_kind = l->kind};
	struct bstatus b = {l->kind, ""};
	enum sw_err rc = sw_store_rects(st, &f, bstatus_cb, &b, eb);

	if (!rc && !b.status[0]) {
		snprintf(b.status, sizeof b.status, "已消除");
		if (l->s->last_check)
			rc = sw_store_check_findings(st, l->s->last_check, still_cb, &b, eb);
	}
	snprintf(out, n, "%s", b.status);
	return rc;
}

enum sw_err sw_report_bulletin(struct sw_store *st, const struct sw_stats_scope *sc,
			       const char *period, int64_t now, struct sw_report *out,
			       struct sw_errbuf *eb)
{
	static const char *const head[] = {"序号", "行政区划", "网站名称", "网址", "主办单位",
					   "问题", "严重程度", "发现日期", "整改状态"};
	static const int width[] = {6, 14, 28, 34, 30, 40, 9, 12, 10};
	char from[11], to[11], pf[11], pt[11], rname[128], num[24], status[32], prov[3] = "";
	char last[11];
	struct sw_cmp_view v;
	struct bcollect c = {0};
	int64_t t0, t1;
	enum sw_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = sw_report_period(period, from, to, pf, pt, eb)))
		return rc;
	sw_cmp_date_time(from, &t0);
	sw_cmp_date_time(to, &t1);
	if ((rc = sw_cmp_view_load(st, sc, now, &v, eb)))
		return rc;
	c.v = &v;
	out->ncols = 9;
	memcpy(out->head, head, sizeof head);
	memcpy(out->width, width, sizeof width);
	snprintf(out->title, sizeof out->title, "网站安全问题通报");
	rc = sw_store_cmp_period_findings(st, t0, t1, bline_cb, &c, eb);
	if (!rc && !c.oom)
		rc = sw_cmp_incidents(st, &v, t0, t1, bline_inc, &c, eb);
	if (!rc && c.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory");
	if (!rc && c.n) /* c.l is NULL when nothing was found */
		qsort(c.l, c.n, sizeof *c.l, bline_cmp);
	sw_cmp_add_days(to, -1, last);
	memcpy(pt, last, sizeof last); /* the period's last day, for the subtitle */
	size_t ninc = 0;
	for (size_t i = 0; i < c.n; i++)
		ninc += c.l[i].incident;
	snprintf(out->subtitle, sizeof out->subtitle,
		 "范围: %s ｜ 通报期间: %s 至 %s ｜ 问题 %zu 项 ｜ 安全事件 %zu 起",
		 sc && sc->region ? sc->region : "全部", from, pt, c.n - ninc, ninc);
	for (size_t i = 0; i < c.n && !rc; i++) {
		const struct bline *l = &c.l[i];
		const struct sw_finding_kind *k = sw_finding_kind(l->kind);
		int sev = sw_sev_parse(l->sev);
		char problem[400];

		region_name(st, l->s->region, rname, sizeof rname);
		snprintf(num, sizeof num, "%zu", i + 1);
		if (l->incident) {
			snprintf(problem, sizeof problem, "%s", l->problem);
			snprintf(status, sizeof status, "%s", l->status);
		} else {
			snprintf(problem, sizeof problem, "%s", k ? k->zh : l->kind);
			if ((rc = line_status(st, l, status, sizeof status, eb)))
				break;
		}
		const char *row[] = {num, rname, l->s->name, l->s->url, l->s->unit_name, problem,
				     sev >= 0 ? sw_sev_zh((enum sw_sev)sev) : l->sev, l->date, status};
		/* a new province starts a printed page */
		rc = add_row(out, i > 0 && strncmp(prov, l->s->region, 2), row);
		memcpy(prov, l->s->region, 2);
	}
	if (rc == SW_ENOMEM)
		sw_errf(eb, rc, "out of memory building the bulletin");
	free(c.l);
	sw_cmp_view_cleanup(&v);
	if (rc)
		sw_report_cleanup(out);
	return rc;
}

/* Activity of one period over the in-scope sites. */
struct flows {
	const struct sw_cmp_view *v;
	int64_t t0, t1;
	int64_t decided, assessed, created, fixed, verified, escalated, problems, problem_sites,
		last_site;
};

static int in_scope(const struct flows *f, int64_t site)
{
	const struct sw_cmp_site *s = sw_cmp_view_find(f->v, site);

	return s && s->in_scope;
}

static int in_t(const struct flows *f, int64_t t)
{
	return t && t >= f->t0 && t < f->t1;
}

static int flow_review(void *arg, const struct sw_cmp_row *r)
{
	struct flows *f = arg;

	f->decided += in_scope(f, r->i[SW_RV_SITE]) && r->s[SW_RV_DECISION] &&
		      in_t(f, r->i[SW_RV_DECIDED_AT]);
	return 0;
}

static int flow_assess(void *arg, const struct sw_cmp_row *r)
{
	struct flows *f = arg;

	f->assessed += in_scope(f, r->i[SW_MA_SITE]);
	return 0;
}

static int flow_rect(void *arg, const struct sw_cmp_row *r)
{
	struct flows *f = arg;

	if (!in_scope(f, r->i[SW_RECT_SITE]))
		return 0;
	f->created += in_t(f, r->i[SW_RECT_CREATED]);
	f->fixed += in_t(f, r->i[SW_RECT_FIXED]);
	f->verified += in_t(f, r->i[SW_RECT_VERIFIED]);
	f->escalated += in_t(f, r->i[SW_RECT_ESCALATED]);
	return 0;
}

static int flow_finding(void *arg, const struct sw_cmp_row *r)
{
	struct flows *f = arg;

	if (!in_scope(f, r->i[SW_PF_SITE]))
		return 0;
	f->problems++;
	if (r->i[SW_PF_SITE] != f->last_site)
		f->problem_sites++;
	f->last_site = r->i[SW_PF_SITE];
	return 0;
}

/* Counts the activity between dates from and to into f. */
static enum sw_err flows_count(struct sw_store *st, const char *from, const char *to,
			       struct flows *f, struct sw_errbuf *eb)
{
	enum sw_err rc;

	sw_cmp_date_time(from, &f->t0);
	sw_cmp_date_time(to, &f->t1);
	rc = sw_store_cmp_reviews(st, flow_review, f, eb);
	if (!rc)
		rc = sw_store_mlps_assessments(st, 0, from, to, flow_assess, f, eb);
	if (!rc)
		rc = sw_store_rects(st, NULL, flow_rect, f, eb);
	if (!rc)
		rc = sw_store_cmp_period_findings(st, f->t0, f->t1, flow_finding, f, eb);
	return rc;
}

/* Integer at path a.b of o. */
static long long jint(json_t *o, const char *a, const char *b)
{
	return (long long)json_integer_value(json_object_get(json_object_get(o, a), b));
}

/* A ratio at a.b of o as a percentage text, "-" when null. */
static void jpct(json_t *o, const char *a, const char *b, char *out, size_t n)
{
	json_t *v = json_object_get(json_object_get(o, a), b);

	if (json_is_real(v))
		snprintf(out, n, "%.2f%%", json_real_value(v) * 100);
	else
		snprintf(out, n, "-");
}

/* Hours of a seconds figure with one decimal into out ("-" when null). */
static void hours(json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%.1f", (double)json_integer_value(v) / 3600.0);
	else
		snprintf(out, n, "-");
}

/* The incidents detected in the period next to the previous period's. */
static enum sw_err incident_rows(struct sw_store *st, const struct sw_cmp_view *v,
				 const char *from, const char *to, const char *pf, const char *pt,
				 struct sw_report *out, struct sw_errbuf *eb)
{
	static const struct { const char *name, *key; int secs; } rows[] = {
		{"安全事件(起)", "total", 0},
		{"已恢复(起)", "recovered", 0},
		{"未恢复(起)", "unrecovered", 0},
		{"重大事件(起)", "major", 0},
		{"发现至恢复平均用时(小时)", "detect_to_recover_mean_s", 1},
		{"发现至恢复90%用时(小时)", "detect_to_recover_p90_s", 1},
	};
	int64_t t[4];
	json_t *cur = NULL, *prev = NULL;
	char a[32], b[32], d[32];
	enum sw_err rc;

	sw_cmp_date_time(from, &t[0]);
	sw_cmp_date_time(to, &t[1]);
	sw_cmp_date_time(pf, &t[2]);
	sw_cmp_date_time(pt, &t[3]);
	rc = sw_cmp_incident_figures(st, v, t[0], t[1], &cur, eb);
	if (!rc)
		rc = sw_cmp_incident_figures(st, v, t[2], t[3], &prev, eb);
	for (size_t i = 0; !rc && i < sizeof rows / sizeof rows[0]; i++) {
		json_t *x = json_object_get(cur, rows[i].key), *y = json_object_get(prev, rows[i].key);

		if (rows[i].secs) {
			hours(x, a, sizeof a);
			hours(y, b, sizeof b);
			if (json_is_integer(x) && json_is_integer(y))
				snprintf(d, sizeof d, "%+.1f",
					 (double)(json_integer_value(x) - json_integer_value(y)) / 3600.0);
			else
				snprintf(d, sizeof d, "-");
		} else {
			snprintf(a, sizeof a, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
			snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(y));
			snprintf(d, sizeof d, "%+" JSON_INTEGER_FORMAT,
				 json_integer_value(x) - json_integer_value(y));
		}
		const char *row[] = {"应急处置", rows[i].name, a, b, d};
		rc = add_row(out, 0, row);
	}
	json_decref(cur);
	json_decref(prev);
	return rc;
}

enum sw_err sw_report_progress(struct sw_store *st, const struct sw_stats_scope *sc,
			       const char *period, int64_t now, struct sw_report *out,
			       struct sw_errbuf *eb)
{
	static const char *const head[] = {"类别", "指标", "本期", "上期", "变化"};
	static const int width[] = {12, 30, 14, 14, 12};
	char from[11], to[11], pf[11], pt[11], a[32], b[32], d[32], last[11];
	struct sw_cmp_view v;
	struct flows cur = {0}, prev = {0};
	json_t *js = NULL;
	enum sw_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = sw_report_period(period, from, to, pf, pt, eb)))
		return rc;
	if ((rc = sw_stats_json(st, sc, now, &js, eb)))
		return rc;
	if ((rc = sw_cmp_view_load(st, sc, now, &v, eb))) {
		json_decref(js);
		return rc;
	}
	cur.v = prev.v = &v;
	rc = flows_count(st, from, to, &cur, eb);
	if (!rc)
		rc = flows_count(st, pf, pt, &prev, eb);
	out->ncols = 5;
	memcpy(out->head, head, sizeof head);
	memcpy(out->width, width, sizeof width);
	sw_cmp_add_days(to, -1, last);
	snprintf(out->title, sizeof out->title, "网站安全监管工作进展报告");
	snprintf(out->subtitle, sizeof out->subtitle, "范围: %s ｜ 本期: %s 至 %s ｜ 上期: %s 起 ｜ 截至 %s",
		 sc && sc->region ? sc->region : "全部", from, last, pf,
		 json_string_value(json_object_get(js, "as_of")));
	struct { const char *cat, *name; long long now; } snap[] = {
		{"现状", "网站总数", jint(js, "sites", "total")},
		{"现状", "在线网站", (long long)json_integer_value(json_object_get(
					     json_object_get(json_object_get(js, "sites"), "by_status"),
					     "online"))},
		{"现状", "审核已完成(站次)", jint(js, "reviews", "decided")},
		{"现状", "审核逾期未完成", jint(js, "reviews", "overdue")},
		{"现状", "标识完整网站", jint(js, "identification", "complete")},
		{"现状", "已定级网站", jint(js, "mlps", "graded")},
		{"现状", "已备案网站", jint(js, "mlps", "filed")},
		{"现状", "按期测评网站", jint(js, "mlps", "assessed_on_time")},
		{"现状", "测评逾期网站", jint(js, "mlps", "overdue") + jint(js, "mlps", "never_assessed")},
		{"现状", "未关闭问题", jint(js, "findings", "open")},
		{"现状", "逾期整改项", jint(js, "rectification", "overdue")},
		{"现状", "未结案安全事件", jint(js, "incidents", "open")},
		{"现状", "已结案但整改未完成事件", jint(js, "incidents", "closed_with_open_items")},
	};
	for (size_t i = 0; i < sizeof snap / sizeof snap[0] && !rc; i++) {
		snprintf(a, sizeof a, "%lld", snap[i].now);
		const char *row[] = {snap[i].cat, snap[i].name, a, "", ""};
		rc = add_row(out, 0, row);
	}
	jpct(js, "reviews", "completion", a, sizeof a);
	jpct(js, "identification", "completeness", b, sizeof b);
	const char *r1[] = {"现状", "审核完成率", a, "", ""};
	const char *r2[] = {"现状", "标识完整率", b, "", ""};
	if (!rc)
		rc = add_row(out, 0, r1);
	if (!rc)
		rc = add_row(out, 0, r2);
	struct { const char *name; int64_t c, p; } fl[] = {
		{"完成审核(站次)", cur.decided, prev.decided},
		{"等保测评(次)", cur.assessed, prev.assessed},
		{"发现问题网站", cur.problem_sites, prev.problem_sites},
		{"发现问题(项)", cur.problems, prev.problems},
		{"新增整改项", cur.created, prev.created},
		{"完成整改项", cur.fixed, prev.fixed},
		{"验证通过整改项", cur.verified, prev.verified},
		{"逾期升级整改项", cur.escalated, prev.escalated},
	};
	for (size_t i = 0; i < sizeof fl / sizeof fl[0] && !rc; i++) {
		snprintf(a, sizeof a, "%lld", (long long)fl[i].c);
		snprintf(b, sizeof b, "%lld", (long long)fl[i].p);
		snprintf(d, sizeof d, "%+lld", (long long)(fl[i].c - fl[i].p));
		const char *row[] = {"本期工作", fl[i].name, a, b, d};
		rc = add_row(out, i == 0, row);
	}
	if (!rc)
		rc = incident_rows(st, &v, from, to, pf, pt, out, eb);
	if (rc == SW_ENOMEM)
		sw_errf(eb, rc, "out of memory building the report");
	json_decref(js);
	sw_cmp_view_cleanup(&v);
	if (rc)
		sw_report_cleanup(out);
	return rc;
}
