/*
 * schedule.c - scheduled reports: the bulletin or progress report of each
 * ended week or month, made once and sent through a notification channel
 * (issue 10: "Scheduled reports can be mailed through the notification
 * channels").
 *
 * Making and sending are two steps joined by the store: a run row holds
 * the rendered file, so a restart between them sends what was made, a
 * failed send is retried with the same bytes, and "once per period" is
 * the run's UNIQUE (schedule, period) key rather than anybody's memory.
 */
#include "compliance/report.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/notify.h"

/* Schedules handled per tick at most (each renders one report). */
#define SCHED_MAX 256
/* Runs sent per tick at most. */
#define RUNS_MAX 64

enum sw_err sw_report_last_period(const char *every, int64_t now, char period[32], int64_t *end,
				  struct sw_errbuf *eb)
{
	char today[11], a[11], b[11];
	int64_t day;

	sw_cmp_date(now, today);
	if (every && !strcmp(every, "month")) {
		/* the month before today's, ending at today's month's first day */
		int y = atoi(today), m = atoi(today + 5) - 1;

		if (m < 1)
			m = 12, y--;
		snprintf(a, sizeof a, "%.8s01", today);
		snprintf(period, 32, "%04d-%02d", (y % 10000 + 10000) % 10000, m % 100);
		return sw_cmp_date_time(a, end);
	}
	if (every && !strcmp(every, "week")) {
		/* Days since 1970-01-01 (a Thursday) in UTC+8; Monday is 0 in
		 * (day + 3) % 7.  The week that ended is the one before this
		 * week's Monday. */
		day = (now + 8 * 3600) / 86400;
		sw_cmp_add_days(today, -(int)((day + 3) % 7), a); /* this Monday */
		sw_cmp_add_days(a, -7, b);
		sw_cmp_add_days(a, -1, today);
		snprintf(period, 32, "%s..%s", b, today);
		return sw_cmp_date_time(a, end);
	}
	return sw_errf_field(eb, SW_EINVAL, "every", "every must be week or month");
}

/* Whether s is one of the NULL-terminated list. */
static int one_of(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

enum sw_err sw_report_sched_add(struct sw_store *st, const struct sw_sched_new *n,
				const char *channel, int64_t now, int64_t *id,
				struct sw_errbuf *eb)
{
	static const char *const kinds[] = {"bulletin", "progress", NULL};
	static const char *const everies[] = {"week", "month", NULL};
	static const char *const formats[] = {"xlsx", "csv", "html", NULL};
	struct sw_stats_scope sc = {n->region, n->unit_type, n->dept_id, n->group_id, NULL};
	struct sw_sched_new c = *n;
	struct sw_channel ch;
	enum sw_err rc;

	if (!c.name || !*c.name || strlen(c.name) > 100)
		return sw_errf_field(eb, SW_EINVAL, "name", "a name of 1 to 100 bytes is needed");
	if (!one_of(c.kind, kinds))
		return sw_errf_field(eb, SW_EINVAL, "kind", "kind must be bulletin or progress");
	if (!one_of(c.every, everies))
		return sw_errf_field(eb, SW_EINVAL, "every", "every must be week or month");
	if (!c.format)
		c.format = "xlsx";
	if (!one_of(c.format, formats))
		return sw_errf_field(eb, SW_EINVAL, "format", "format must be xlsx, csv or html");
	if (c.link_base && (strlen(c.link_base) > 300 ||
			    (strncmp(c.link_base, "http://", 7) && strncmp(c.link_base, "https://", 8)) ||
			    strpbrk(c.link_base, " \t\r\n\"<>")))
		return sw_errf_field(eb, SW_EINVAL, "link_base",
				     "the link base must be an http(s) URL of at most 300 bytes");
	if ((rc = sw_stats_scope_check(&sc, eb)))
		return rc;
	if (!channel)
		return sw_errf_field(eb, SW_EINVAL, "channel", "a channel is needed");
	if ((rc = sw_store_channel_find(st, channel, &ch, eb)))
		return rc == SW_ENOTFOUND ? sw_errf_replace(eb, rc, "no channel %s", channel) : rc;
	c.channel_id = ch.id;
	return sw_store_rsched_add(st, &c, now, id, eb);
}

/* One schedule, copied out of its row. */
struct sched {
	int64_t id, dept_id, group_id, channel_id, created;
	char name[128], kind[16], every[8], region[8], unit_type[16], format[8], link[320];
	int has_region, has_type, has_link;
};

struct scheds {
	struct sched v[SCHED_MAX];
	size_t n;
};

static int take_sched(void *arg, const struct sw_cmp_row *r)
{
	struct scheds *s = arg;
	struct sched *x = &s->v[s->n++];

	memset(x, 0, sizeof *x);
	x->id = r->i[SW_SCH_ID];
	x->dept_id = r->i[SW_SCH_DEPT];
	x->group_id = r->i[SW_SCH_GROUP];
	x->channel_id = r->i[SW_SCH_CHANNEL];
	x->created = r->i[SW_SCH_CREATED];
	snprintf(x->name, sizeof x->name, "%s", r->s[SW_SCH_NAME]);
	snprintf(x->kind, sizeof x->kind, "%s", r->s[SW_SCH_KIND]);
	snprintf(x->every, sizeof x->every, "%s", r->s[SW_SCH_EVERY]);
	snprintf(x->format, sizeof x->format, "%s", r->s[SW_SCH_FORMAT]);
	if ((x->has_region = r->s[SW_SCH_REGION] != NULL))
		snprintf(x->region, sizeof x->region, "%s", r->s[SW_SCH_REGION]);
	if ((x->has_type = r->s[SW_SCH_UNIT_TYPE] != NULL))
		snprintf(x->unit_type, sizeof x->unit_type, "%s", r->s[SW_SCH_UNIT_TYPE]);
	if ((x->has_link = r->s[SW_SCH_LINK_BASE] != NULL))
		snprintf(x->link, sizeof x->link, "%s", r->s[SW_SCH_LINK_BASE]);
	return s->n == SCHED_MAX;
}

/* Renders schedule x's report of period and queues its run; *made 1 when
 * this call made it (0: another process did first). */
static enum sw_err make_run(struct sw_store *st, const struct sched *x, const char *period,
			    int64_t now, int *made, struct sw_errbuf *eb)
{
	struct sw_stats_scope sc = {x->has_region ? x->region : NULL,
				    x->has_type ? x->unit_type : NULL, x->dept_id, x->group_id,
				    NULL};
	struct sw_report r;
	char file[96], *bytes = NULL, *enc = NULL;
	size_t len = 0;
	int64_t id = 0;
	enum sw_err rc;

	*made = 0;
	rc = !strcmp(x->kind, "bulletin") ? sw_report_bulletin(st, &sc, period, now, &r, eb)
					  : sw_report_progress(st, &sc, period, now, &r, eb);
	if (rc)
		return rc;
	rc = sw_report_render(&r, x->format, &bytes, &len, eb);
	sw_report_cleanup(&r);
	if (rc)
		return rc;
	if (len > (size_t)INT32_MAX / 4 * 3 - 3 || !(enc = malloc(4 * ((len + 2) / 3) + 1))) {
		free(bytes);
		return sw_errf(eb, SW_ENOMEM, "out of memory encoding the report");
	}
	EVP_EncodeBlock((unsigned char *)enc, (const unsigned char *)bytes, (int)len);
	free(bytes);
	snprintf(file, sizeof file, "%s-%s.%s", x->kind, period, x->format);
	rc = sw_store_report_run_add(st, x->id, period, file, enc, (int64_t)len, now, &id, eb);
	free(enc);
	*made = !rc && id > 0;
	return rc;
}

/* A due run, copied with its file. */
struct run {
	int64_t id, schedule_id, attempts, size;
	char period[32], file[96];
	char *content; /* base64, owned */
};

struct runs {
	struct run v[RUNS_MAX];
	size_t n;
	int oom;
};

static int take_run(void *arg, const struct sw_cmp_row *r)
{
	struct runs *rs = arg;
	struct run *x = &rs->v[rs->n];

	memset(x, 0, sizeof *x);
	x->id = r->i[SW_RUN_ID];
	x->schedule_id = r->i[SW_RUN_SCHEDULE];
	x->attempts = r->i[SW_RUN_ATTEMPTS];
	x->size = r->i[SW_RUN_SIZE];
	snprintf(x->period, sizeof x->period, "%s", r->s[SW_RUN_PERIOD]);
	snprintf(x->file, sizeof x->file, "%s", r->s[SW_RUN_FILE]);
	if (!(x->content = strdup(r->s[SW_RUN_CONTENT] ? r->s[SW_RUN_CONTENT] : ""))) {
		rs->oom = 1;
		return 1;
	}
	return ++rs->n == RUNS_MAX;
}

static const struct sched *sched_of(const struct scheds *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id)
			return &s->v[i];
	return NULL;
}

/* Sends run x of schedule sc over its channel now: SW_OK when accepted,
 * else the reason in eb. */
static enum sw_err send_run(struct sw_store *st, const struct sched *sc, const struct run *x,
			    int64_t now, struct sw_errbuf *eb)
{
	struct sw_channel ch;
	char key[96], ref[32], url[480], subject[300], title[700], when[32];
	const char *what = !strcmp(sc->kind, "bulletin") ? "网站安全问题通报" : "网站安全监管工作进展报告";
	unsigned char *data = NULL;
	time_t t = (time_t)now;
	struct tm tm;
	size_t blen = strlen(x->content);
	json_t *body;
	char *text;
	enum sw_err rc;

	snprintf(ref, sizeof ref, "%" PRId64, sc->channel_id);
	if ((rc = sw_store_channel_find(st, ref, &ch, eb)))
		return rc;
	if (!ch.enabled)
		return sw_errf(eb, SW_EIO, "channel %s is disabled", ch.name);
	snprintf(key, sizeof key, "sw-report-s%" PRId64 "-%s", sc->id, x->period);
	snprintf(url, sizeof url, "%.300s/api/report-runs/%" PRId64 "/file",
		 sc->has_link ? sc->link : "", x->id);
	if (sc->has_link && strlen(sc->link) && sc->link[strlen(sc->link) - 1] == '/')
		snprintf(url, sizeof url, "%.*s/api/report-runs/%" PRId64 "/file",
			 (int)strlen(sc->link) - 1, sc->link, x->id);
	snprintf(subject, sizeof subject, "[sitewarden] %s %s (%s)", what, x->period, sc->name);
	snprintf(title, sizeof title, "%s %s: %s", what, x->period,
		 !strcmp(ch.kind, "smtp") ? x->file : url);
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:I, s:s}}", "id", key,
			 "event", "report", "time", when, "severity", "info", "title", title,
			 "report", "schedule", sc->name, "kind", sc->kind, "period", x->period, "file",
			 x->file, "size", (json_int_t)x->size, "url", url);
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	struct sw_notify_msg m = {.channel_id = ch.id, .idem_key = key, .event = "report",
				  .severity = "info", .subject = subject, .body = text};
	if (!strcmp(ch.kind, "smtp")) {
		/* the stored base64 decodes to size bytes plus padding */
		if ((data = malloc(blen / 4 * 3 + 3)) &&
		    EVP_DecodeBlock(data, (const unsigned char *)x->content, (int)blen) >= x->size) {
			struct sw_notify_attach a = {x->file, sw_report_mime(sc->format), data,
						     (size_t)x->size};

			rc = sw_notify_send_attach(&ch, &m, &a, now, eb);
		} else {
			rc = sw_errf(eb, data ? SW_EIO : SW_ENOMEM, "the stored report is damaged");
		}
		free(data);
	} else {
		rc = sw_notify_send(&ch, &m, now, eb);
	}
	free(text);
	return rc;
}

enum sw_err sw_report_tick_r(struct sw_store *st, int64_t now,
			     struct sw_report_tick_result *out, struct sw_errbuf *eb)
{
	struct sw_report_tick_result local = {0};
	struct scheds *ss = calloc(1, sizeof *ss);
	struct runs *rs = calloc(1, sizeof *rs);
	char period[32];
	int64_t end;
	enum sw_err rc, failed = SW_OK;

	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	if (!ss || !rs) {
		free(ss);
		free(rs);
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	}
	rc = sw_store_scheds(st, 0, NULL, take_sched, ss, eb);
	/* One schedule that cannot make its report (its scope's department
	 * gone, a full disk) must not hold up the others nor the sends: the
	 * first such error is returned after everything else was done. */
	for (size_t i = 0; !rc && i < ss->n; i++) {
		const struct sched *x = &ss->v[i];
		int exists = 0, made = 0;
		struct sw_errbuf one;
		enum sw_err r1;

		sw_errbuf_clear(&one);
		if ((r1 = sw_report_last_period(x->every, now, period, &end, &one)) == SW_OK &&
		    end > x->created && /* a period ended before the schedule is not owed */
		    (r1 = sw_store_report_run_exists(st, x->id, period, &exists, &one)) == SW_OK &&
		    !exists && (r1 = make_run(st, x, period, now, &made, &one)) == SW_OK)
			out->made += made;
		if (r1 && !failed) {
			failed = r1;
			sw_errf(eb, r1, "report schedule %s: %s", x->name, one.msg);
		}
	}
	if (!rc)
		rc = sw_store_report_runs(st, 0, now, 1, take_run, rs, eb);
	if (!rc && rs->oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory reading report runs");
	for (size_t i = 0; !rc && i < rs->n; i++) {
		const struct run *x = &rs->v[i];
		const struct sched *sc = sched_of(ss, x->schedule_id);
		struct sw_errbuf sendeb;
		int got = 0;

		if (!sc)
			continue; /* beyond SCHED_MAX: a later tick */
		if ((rc = sw_store_report_run_claim(st, x->id, now, now + SW_NOTIFY_LEASE, &got, eb)) ||
		    !got)
			continue;
		sw_errbuf_clear(&sendeb);
		if (send_run(st, sc, x, now, &sendeb) == SW_OK) {
			rc = sw_store_report_run_sent(st, x->id, now, eb);
			out->sent++;
		} else {
			rc = sw_store_report_run_retry(st, x->id, now + sw_notify_backoff(x->attempts + 1),
						       sendeb.msg, eb);
			out->failed++;
		}
	}
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].content);
	free(rs);
	free(ss);
	return rc ? rc : failed;
}

json_t *sw_report_sched_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:s, s:s, s:s?, s:I}", "id",
			 (json_int_t)r->i[SW_SCH_ID], "name", r->s[SW_SCH_NAME], "kind",
			 r->s[SW_SCH_KIND], "every", r->s[SW_SCH_EVERY], "region",
			 r->s[SW_SCH_REGION], "unit_type", r->s[SW_SCH_UNIT_TYPE], "dept",
			 (json_int_t)r->i[SW_SCH_DEPT], "group", (json_int_t)r->i[SW_SCH_GROUP],
			 "format", r->s[SW_SCH_FORMAT], "channel", r->s[SW_SCH_CHANNEL_NAME],
			 "link_base", r->s[SW_SCH_LINK_BASE], "created_at",
			 (json_int_t)r->i[SW_SCH_CREATED]);
}

json_t *sw_report_run_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:o, s:s?}", "id",
			 (json_int_t)r->i[SW_RUN_ID], "schedule", (json_int_t)r->i[SW_RUN_SCHEDULE],
			 "period", r->s[SW_RUN_PERIOD], "file", r->s[SW_RUN_FILE], "size",
			 (json_int_t)r->i[SW_RUN_SIZE], "state", r->s[SW_RUN_STATE], "attempts",
			 (json_int_t)r->i[SW_RUN_ATTEMPTS], "next_at", (json_int_t)r->i[SW_RUN_NEXT],
			 "created_at", (json_int_t)r->i[SW_RUN_CREATED], "sent_at",
			 r->s[SW_RUN_SENT] ? json_integer(r->i[SW_RUN_SENT]) : json_null(),
			 "last_error", r->s[SW_RUN_ERROR]);
}

enum sw_err sw_report_tick(struct sw_store *st, int64_t now, struct sw_errbuf *eb)
{
	return sw_report_tick_r(st, now, NULL, eb);
}
