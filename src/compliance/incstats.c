/*
 * incstats.c - incidents in the statistics and reports: which incidents
 * a scope and period hold, and their figures (by kind, time from
 * detection to recovery).
 *
 * The times come from the store in one walk (sw_store_cmp_incidents);
 * incidents are few next to sites, so the scope and period are applied
 * here, against the same judged view of sites every other figure uses.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/stats.h"

struct walk {
	const struct sw_cmp_view *v;
	int64_t from, to;
	sw_cmp_inc_cb cb;
	void *arg;
};

static int inc_row(void *arg, const struct sw_cmp_row *r)
{
	struct walk *w = arg;
	const struct sw_cmp_site *s = sw_cmp_view_find(w->v, r->i[SW_INC_SITE]);
	const char *kind = r->s[SW_INC_KIND], *dot = kind ? strchr(kind, '.') : NULL;
	struct sw_cmp_incident i = {0};

	if (!s || !s->in_scope)
		return 0;
	i.id = r->i[SW_INC_ID];
	i.site_id = r->i[SW_INC_SITE];
	i.opened = r->i[SW_INC_OPENED];
	i.closed = r->i[SW_INC_CLOSED];
	i.detected = i.opened;
	if (r->s[SW_INC_FIRST_SEEN] && r->i[SW_INC_FIRST_SEEN] < i.detected)
		i.detected = r->i[SW_INC_FIRST_SEEN];
	i.recovered = r->s[SW_INC_RECOVERED] ? r->i[SW_INC_RECOVERED] : 0;
	if (i.detected < w->from || (w->to && i.detected >= w->to))
		return 0;
	i.title = r->s[SW_INC_TITLE] ? r->s[SW_INC_TITLE] : "";
	i.severity = r->s[SW_INC_SEVERITY] ? r->s[SW_INC_SEVERITY] : "";
	i.state = r->s[SW_INC_STATE] ? r->s[SW_INC_STATE] : "";
	i.major = r->i[SW_INC_MAJOR] != 0;
	i.open_items = r->i[SW_INC_OPEN_ITEMS];
	i.site = s;
	if (kind)
		snprintf(i.kind, sizeof i.kind, "%.*s", dot ? (int)(dot - kind) : (int)strlen(kind),
			 kind);
	else
		snprintf(i.kind, sizeof i.kind, "manual");
	return w->cb(w->arg, &i);
}

enum sw_err sw_cmp_incidents(struct sw_store *st, const struct sw_cmp_view *v, int64_t from,
			     int64_t to, sw_cmp_inc_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct walk w = {v, from, to, cb, arg};

	return sw_store_cmp_incidents(st, inc_row, &w, eb);
}

struct figs {
	json_t *by_kind;
	int64_t total, open, closed, major, closed_items;
	int64_t *dur; /* detection to recovery of the recovered ones */
	size_t n, cap;
	int oom;
};

static int fig_cb(void *arg, const struct sw_cmp_incident *i)
{
	struct figs *f = arg;
	json_t *k = json_object_get(f->by_kind, i->kind);

	f->total++;
	f->open += !strcmp(i->state, "open");
	f->closed += !strcmp(i->state, "closed");
	f->major += i->major;
	f->closed_items += !strcmp(i->state, "closed") && i->open_items > 0;
	json_object_set_new(f->by_kind, i->kind, json_integer((k ? json_integer_value(k) : 0) + 1));
	if (!i->recovered)
		return 0;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		int64_t *d = realloc(f->dur, cap * sizeof *d);

		if (!d) {
			f->oom = 1;
			return 1;
		}
		f->dur = d;
		f->cap = cap;
	}
	/* A recovery recorded before the first sighting (a step entered
	 * late with a back-dated alert) counts as instant, not negative. */
	f->dur[f->n++] = i->recovered > i->detected ? i->recovered - i->detected : 0;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

enum sw_err sw_cmp_incident_figures(struct sw_store *st, const struct sw_cmp_view *v,
				    int64_t from, int64_t to, json_t **out,
				    struct sw_errbuf *eb)
{
	static const char *const kinds[] = {"defacement", "trojan", "darklink", "agent", "manual"};
	struct figs f = {.by_kind = json_object()};
	json_t *mean = json_null(), *p90 = json_null();
	enum sw_err rc;

	*out = NULL;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		json_object_set_new(f.by_kind, kinds[k], json_integer(0));
	rc = sw_cmp_incidents(st, v, from, to, fig_cb, &f, eb);
	if (!rc && f.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory counting incidents");
	if (rc) {
		free(f.dur);
		json_decref(f.by_kind);
		return rc;
	}
	if (f.n) {
		double sum = 0;

		qsort(f.dur, f.n, sizeof *f.dur, cmp_i64);
		for (size_t k = 0; k < f.n; k++)
			sum += (double)f.dur[k];
		/* whole seconds, half away from zero (SQL's ROUND does the same) */
		mean = json_integer((json_int_t)llround(sum / (double)f.n));
		/* nearest rank: the smallest value with at least 90% at or below */
		p90 = json_integer((json_int_t)f.dur[(f.n * 9 + 9) / 10 - 1]);
	}
	*out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:o, s:o, s:I}", "tracked", 1,
			 "total", (json_int_t)f.total, "open", (json_int_t)f.open, "closed",
			 (json_int_t)f.closed, "major", (json_int_t)f.major, "by_kind", f.by_kind,
			 "recovered", (json_int_t)f.n, "unrecovered", (json_int_t)(f.total - (int64_t)f.n),
			 "detect_to_recover_mean_s", mean, "detect_to_recover_p90_s", p90,
			 "closed_with_open_items", (json_int_t)f.closed_items);
	free(f.dur);
	return *out ? SW_OK : sw_errf(eb, SW_ENOMEM, "out of memory");
}
