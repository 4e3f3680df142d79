/*
 * sw_gen_compliance.c - adds a deterministic compliance history to a
 * register made by `sitewarden import` of sw_gen_register's CSV: city and
 * county rows for the generator's regions, review campaigns and
 * decisions, MLPS assessments, monitoring checks with findings, and
 * rectification items, all through the same library calls the CLI makes.
 *
 * usage: sw_gen_compliance DB [--seed S] [--now DATE]
 *
 * Checks are made in the 30 days before --now (default 2026-01-20), so a
 * bulletin for that month sees them; the clock of every call is --now.
 * The expected statistics are not written here: the tests recompute them
 * from the tables with plain SQL.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "incident/incident.h"
#include "register/register.h"
#include "store/alert.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#include "sw_gen_register_data.h"

static uint64_t rng = 88172645463325252ull;

/* xorshift64: the next number below n. */
static unsigned below(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void die(const char *what, const struct sw_errbuf *eb)
{
	fprintf(stderr, "sw_gen_compliance: %s: %s\n", what, eb->msg);
	exit(1);
}

/* Adds region (code, name) unless present. */
static void region(struct sw_store *st, const char *code, const char *name)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_REGION);
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t id;

	if (sw_store_find(st, ent, sw_field_index(SW_ENT_REGION, "code"), code, &id, NULL, NULL) ==
	    SW_OK)
		return;
	sw_errbuf_clear(&eb);
	sw_rec_init(&r, ent);
	if (sw_reg_apply(st, &r, sw_field_index(SW_ENT_REGION, "code"), code, &eb) ||
	    sw_reg_apply(st, &r, sw_field_index(SW_ENT_REGION, "name"), name, &eb) ||
	    sw_reg_add(st, &r, &eb))
		die(code, &eb);
	sw_rec_cleanup(&r);
}

/* Sites: id, status, region, grade, online. */
struct site {
	int64_t id;
	char status[16], region[8];
	int grade;
};
static struct site *sites;
static size_t nsites;

static int site_cb(void *arg, const struct sw_cmp_row *r)
{
	(void)arg;
	struct site *s = &sites[nsites++];

	s->id = r->i[SW_SS_ID];
	snprintf(s->status, sizeof s->status, "%s", r->s[SW_SS_STATUS]);
	snprintf(s->region, sizeof s->region, "%s", r->s[SW_SS_REGION]);
	s->grade = (int)r->i[SW_SS_GRADE];
	return nsites == 200000;
}

/* Records one check of s at t with a drawn set of findings. */
static void check(struct sw_store *st, const struct site *s, int64_t t)
{
	static const struct { const char *kind, *sev; unsigned pct; } menu[] = {
		{"compliance.icp_missing", "medium", 10},   {"compliance.psb_mismatch", "medium", 4},
		{"compliance.badge_missing", "medium", 8},  {"compliance.site_code_missing", "medium", 6},
		{"tls.expiring", "medium", 9},	            {"availability.slow", "low", 12},
		{"trojan.hidden_iframe", "critical", 2},    {"darklink.hidden_link", "high", 3},
		{"exposure.header_missing", "low", 15},
	};
	struct sw_check_finding f[NELEM(menu)];
	struct sw_check_row c = {.site_id = s->id, .checked_at = t, .status = 200, .total_ms = 300,
				 .http_version = 11, .body_size = 1000};
	struct sw_site_state state = {.site_id = s->id, .up = 1, .since = t, .checked_at = t,
				      .last_status = 200, .last_ms = 300};
	struct sw_errbuf eb;
	size_t n = 0;

	for (size_t i = 0; i < NELEM(menu); i++)
		if (below(100) < menu[i].pct)
			f[n++] = (struct sw_check_finding){menu[i].kind, menu[i].sev, "generated", NULL, NULL};
	state.open_findings = (int64_t)n;
	sw_errbuf_clear(&eb);
	if (sw_store_check_record(st, &c, f, n, &state, t + 300, 0, NULL, &eb))
		die("check", &eb);
}

/*
 * One incident of s detected at t (a day or two of the 60 before now): an
 * alert first seen at t opens it by hand up to an hour later (or, one in
 * six, a manual incident without alert); a second alert may join later;
 * most recover (a few record "recovered" twice: the first counts), some
 * close, and some get a rectification item that may stay open after the
 * incident is closed.
 */
static void incident(struct sw_store *st, const struct site *s, int64_t t, int64_t now)
{
	static const struct { const char *kind, *sev; } menu[] = {
		{"defacement.signature", "critical"}, {"trojan.hidden_iframe", "critical"},
		{"darklink.hidden_link", "high"},      {"agent.tamper", "high"},
	};
	struct sw_errbuf eb;
	int64_t alerts[2], id, item = 0, opened = t, rec;
	size_t na = 0;
	unsigned m = below(6);
	char fp[32], title[128];

	sw_errbuf_clear(&eb);
	if (m < NELEM(menu) + 1) {
		m %= NELEM(menu);
		for (int k = 0; k < 1 + (below(4) == 0); k++) {
			int64_t seen = t + k * (int64_t)(600 + below(7200));
			struct sw_alert_row a = {.site_id = s->id, .kind = menu[(m + (unsigned)k) % NELEM(menu)].kind,
						 .fingerprint = fp, .severity = menu[m].sev, .title = "generated",
						 .state = "open", .first_seen = seen};

			snprintf(fp, sizeof fp, "g%lld-%d", (long long)t, k);
			if (sw_store_alert_insert(st, &a, &alerts[na++], &eb))
				die("alert", &eb);
		}
		opened = t + below(3600);
	} else {
		m = 0;
	}
	snprintf(title, sizeof title, "事件 %lld", (long long)s->id);
	if (sw_incident_open(st, s->id, title, na ? menu[m].sev : "high", below(10) == 0, "值班员",
			     alerts, na > 1 ? 1 : na, opened, &id, &eb))
		die("incident", &eb);
	if (na > 1 && sw_store_incident_link(st, id, alerts[1], &eb)) /* joined later */
		die("link", &eb);
	if (sw_incident_step(st, id, "reported_dept", "值班员", NULL, opened + 600, &eb))
		die("step", &eb);
	rec = opened + 600 + (int64_t)below(72 * 3600);
	if (below(100) < 80 && rec < now) {
		if (sw_incident_step(st, id, "recovered", "运维", NULL, rec, &eb) ||
		    (below(20) == 0 && rec + 3600 < now &&
		     sw_incident_step(st, id, "recovered", "运维", "再次确认", rec + 3600, &eb)))
			die("recovered", &eb);
	}
	if (below(100) < 40 && sw_rect_from_incident(st, id, "运维", NULL, opened + 900, &item, &eb))
		die("from-incident", &eb);
	if (rec + 86400 < now && below(2) == 0) {
		if (item && below(2) == 0 &&
		    sw_rect_set(st, item, "fixed", NULL, NULL, "已恢复并加固", rec + 3600, &eb))
			die("fix", &eb);
		if (sw_incident_close(st, id, "弱口令", "修改口令", "运维负责人", "值班员", rec + 86400, &eb))
			die("close", &eb);
	}
}

int main(int argc, char **argv)
{
	const char *now_s = "2026-01-20";
	struct sw_store *st;
	struct sw_errbuf eb;
	int64_t now, camp[8] = {0};
	char today[11], name[64], date[11];

	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seed"))
			rng ^= strtoull(argv[i + 1], NULL, 10) * 0x9E3779B97F4A7C15ull;
		else if (!strcmp(argv[i], "--now"))
			now_s = argv[i + 1];
	}
	if (argc < 2 || (now = sw_cmp_time_parse(now_s)) <= 0) {
		fprintf(stderr, "usage: sw_gen_compliance DB [--seed S] [--now DATE]\n");
		return 2;
	}
	sw_compliance_now_set(now);
	sw_cmp_date(now, today);
	sw_errbuf_clear(&eb);
	if (sw_store_open(argv[1], &st, &eb))
		die(argv[1], &eb);
	if (sw_store_begin_bulk(st, &eb))
		die("begin", &eb);
	for (size_t i = 0; i < NELEM(regions); i++) {
		char city[8];

		snprintf(city, sizeof city, "%.4s00", regions[i].code);
		if (strcmp(city + 2, "0000")) /* municipalities: the county is under the province */
			region(st, city, regions[i].city);
		region(st, regions[i].code, regions[i].county);
	}
	sites = calloc(200000, sizeof *sites);
	if (!sites || sw_store_cmp_sites(st, site_cb, NULL, &eb))
		die("sites", &eb);
	/* Campaigns: four provinces and one over everything, opened now. */
	static const char *const provs[] = {"110000", "330000", "440000", "510000"};
	for (size_t p = 0; p < NELEM(provs); p++) {
		snprintf(name, sizeof name, "复核-%s", provs[p]);
		if (sw_review_open(st, name, "recheck", provs[p], NULL, 0, p % 2 ? "2026-01-10" : "2026-03-01",
				   NULL, now, &camp[p], NULL, &eb))
			die("campaign", &eb);
	}
	for (size_t i = 0; i < nsites; i++) {
		struct site *s = &sites[i];
		unsigned k = below(100);

		/* decisions in the four campaigns: 70% decided, 12% of those rejected */
		for (size_t p = 0; p < NELEM(provs); p++) {
			if (strncmp(s->region, provs[p], 2) || !strcmp(s->status, "closed") || k >= 70)
				continue;
			sw_cmp_add_days(today, -(int)below(40), date);
			if (sw_review_decide(st, camp[p], s->id, below(100) < 12 ? "rejected" : "approved",
					     "审核员", date, NULL, below(4) == 0 ? "保留运行" : NULL,
					     now - below(40) * 86400, &eb))
				die("decide", &eb);
		}
		/* assessments of graded 3+ sites at varied ages */
		if (s->grade >= 3 && below(100) < 60) {
			sw_cmp_add_days(today, -(int)below(500), date);
			if (sw_mlps_assess(st, s->id, "测评中心", date, "80", below(10) ? "基本符合" : "不符合",
					   NULL, now, NULL, &eb))
				die("assess", &eb);
		}
		if (strcmp(s->status, "online") || below(100) >= 85)
			continue;
		/* two checks in the month: the older one's findings are history */
		check(st, s, now - 86400 * (10 + below(15)));
		check(st, s, now - 3600 * (1 + below(48)));
	}
	/* Rectification: items from current findings, plus inspections. */
	for (size_t i = 0; i < nsites; i++) {
		struct site *s = &sites[i];
		int64_t id;

		if (!strcmp(s->status, "online") && below(100) < 30 &&
		    sw_rect_from_finding(st, s->id, 0, "exposure.header_missing", "运维", NULL,
					 now - 86400 * below(20), &id, &eb) == SW_OK &&
		    below(3) == 0 && sw_rect_set(st, id, "fixed", NULL, NULL, "已加响应头", now, &eb))
			die("fix", &eb);
		sw_errbuf_clear(&eb);
		if (below(100) < 8) {
			sw_cmp_add_days(today, (int)below(40) - 25, date);
			struct sw_rect_new n = {s->id, "inspection", "检查-2026", NULL, "high", "弱口令整改",
						"运维", date};
			if (sw_rect_add(st, &n, now - 86400 * 30, NULL, &eb))
				die("inspection", &eb);
		}
	}
	/* Incidents: about one online site in eight, detected in the 60 days
	 * before now (this period and the one before). */
	for (size_t i = 0; i < nsites; i++) {
		if (strcmp(sites[i].status, "online") || below(100) >= 12)
			continue;
		incident(st, &sites[i], now - 86400 * 60 + (int64_t)below(86400 * 59), now);
	}
	if (sw_store_commit(st, &eb))
		die("commit", &eb);
	if (sw_compliance_tick(st, now, &eb))
		die("tick", &eb);
	printf("%zu sites\n", nsites);
	free(sites);
	sw_store_close(st);
	return 0;
}
