/*
 * mlps.c - the MLPS (等级保护) lifecycle: grading, PSB filing, assessments
 * and when the next assessment is due.
 *
 * The register keeps the current state in the site's mlps_* fields (so
 * the register views, import and export keep working); the history of
 * gradings and assessments is in 0008's tables.  The cycle per grade is
 * policy (mlps_cycle_g3/g4/g5, inherited global -> group -> site): the
 * practice of GB/T 22239-2019 is yearly for grade 3 and half-yearly for
 * grade 4; grades 1 and 2 have no fixed cycle.
 */
#include "compliance/compliance.h"

#include <stdio.h>
#include <string.h>

#include "register/register.h"

static const char *const due_names[] = {"no_cycle", "ungraded", "never_assessed",
					"overdue",  "due_soon", "on_time"};

const char *sw_mlps_due_name(enum sw_mlps_due d)
{
	return (unsigned)d < sizeof due_names / sizeof due_names[0] ? due_names[d] : "?";
}

long sw_mlps_cycle(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id, int grade)
{
	if (grade == 3)
		return sw_cmp_policy_get(p, group_id, site_id, SW_CP_CYCLE_G3);
	if (grade == 4)
		return sw_cmp_policy_get(p, group_id, site_id, SW_CP_CYCLE_G4);
	if (grade == 5)
		return sw_cmp_policy_get(p, group_id, site_id, SW_CP_CYCLE_G5);
	return 0;
}

enum sw_mlps_due sw_mlps_judge(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id,
			       int grade, const char *last_assess, const char *today,
			       char next[11])
{
	long cycle = sw_mlps_cycle(p, group_id, site_id, grade);
	long soon = sw_cmp_policy_get(p, group_id, site_id, SW_CP_DUE_SOON);
	char horizon[11];

	next[0] = '\0';
	if (grade < 1)
		return SW_MLPS_UNGRADED;
	if (cycle <= 0)
		return SW_MLPS_NO_CYCLE;
	if (!last_assess || sw_cmp_add_months(last_assess, (int)cycle, next))
		return SW_MLPS_NEVER_ASSESSED;
	if (strcmp(next, today) < 0)
		return SW_MLPS_OVERDUE;
	if (sw_cmp_add_days(today, (int)soon, horizon) == 0 && strcmp(next, horizon) <= 0)
		return SW_MLPS_DUE_SOON;
	return SW_MLPS_ON_TIME;
}

/* Applies n (field key, value) pairs to site_id's register row and saves
 * it through the register's checks. */
static enum sw_err site_set(struct sw_store *st, int64_t site_id, const char *const *kv, int n,
			    struct sw_errbuf *eb)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_SITE);
	struct sw_rec rec;
	enum sw_err rc;

	if ((rc = sw_store_get(st, ent, site_id, &rec, eb)))
		return rc;
	for (int i = 0; i < n && !rc; i++)
		rc = sw_reg_apply(st, &rec, sw_entity_field_key(ent, kv[2 * i]), kv[2 * i + 1], eb);
	if (!rc)
		rc = sw_reg_update(st, &rec, eb);
	sw_rec_cleanup(&rec);
	return rc;
}

enum sw_err sw_mlps_grade(struct sw_store *st, int64_t site_id, int grade, const char *date,
			  const char *basis, int64_t now, struct sw_errbuf *eb)
{
	char d[11], g[4];
	enum sw_err rc;

	if (grade < 1 || grade > 5)
		return sw_errf_field(eb, SW_EINVAL, "grade", "grade must be 1 to 5");
	if ((rc = sw_cmp_date_input(date, "date", d, eb)))
		return rc;
	snprintf(g, sizeof g, "%d", grade);
	const char *kv[] = {"mlps_grade", g, "mlps_grading_date", d};
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_mlps_grading_add(st, site_id, grade, d, basis, now, eb);
	if (!rc)
		rc = site_set(st, site_id, kv, 2, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_mlps_file(struct sw_store *st, int64_t site_id, const char *number,
			 const char *date, struct sw_errbuf *eb)
{
	char d[11];
	enum sw_err rc;

	if (!number || !*number)
		return sw_errf_field(eb, SW_EINVAL, "number", "a filing number is needed");
	if ((rc = sw_cmp_date_input(date, "date", d, eb)))
		return rc;
	const char *kv[] = {"mlps_filing_no", number, "mlps_filing_date", d};
	return site_set(st, site_id, kv, 2, eb);
}

const char *sw_mlps_result_key(const char *in)
{
	static const char *const map[][2] = {
		{"pass", "pass"},	  {"符合", "pass"},	      {"优", "pass"},
		{"basic_pass", "basic_pass"}, {"基本符合", "basic_pass"}, {"良", "basic_pass"},
		{"fail", "fail"},	  {"不符合", "fail"},	      {"差", "fail"},
	};

	for (size_t i = 0; in && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], in) == 0)
			return map[i][1];
	return NULL;
}

/* Reads grade and group of a site. */
static enum sw_err site_grade(struct sw_store *st, int64_t site_id, int *grade,
			      int64_t *group_id, struct sw_errbuf *eb)
{
	struct sw_rec rec;
	enum sw_err rc = sw_store_get(st, sw_entity_get(SW_ENT_SITE), site_id, &rec, eb);

	if (rc)
		return rc;
	*grade = (int)sw_rec_get_int(&rec, sw_field_index(SW_ENT_SITE, "mlps_grade"), 0);
	*group_id = sw_rec_get_int(&rec, sw_field_index(SW_ENT_SITE, "group"), 0);
	sw_rec_cleanup(&rec);
	return SW_OK;
}

enum sw_err sw_mlps_assess(struct sw_store *st, int64_t site_id, const char *agency,
			   const char *date, const char *score, const char *result,
			   const char *report_ref, int64_t now, int64_t *id, struct sw_errbuf *eb)
{
	const char *res = sw_mlps_result_key(result);
	struct sw_cmp_policy pol;
	char d[11], next[11], today[11];
	int64_t group_id;
	int grade;
	enum sw_err rc;

	if (!agency || !*agency)
		return sw_errf_field(eb, SW_EINVAL, "agency", "the assessment agency is needed");
	if (!res)
		return sw_errf_field(eb, SW_EINVAL, "result",
				     "result must be pass, basic_pass or fail (符合/基本符合/不符合)");
	if ((rc = sw_cmp_date_input(date, "date", d, eb)))
		return rc;
	if ((rc = site_grade(st, site_id, &grade, &group_id, eb)))
		return rc;
	if ((rc = sw_cmp_policy_load(st, &pol, eb)))
		return rc;
	sw_cmp_date(now, today);
	sw_mlps_judge(&pol, group_id, site_id, grade, d, today, next);
	sw_cmp_policy_cleanup(&pol);
	const char *kv[] = {"mlps_assess_date", d, "mlps_agency", agency, "mlps_result", res,
			    "mlps_next_due", next[0] ? next : ""};
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_mlps_assessment_add(st, site_id, agency, d, score, res, report_ref, now, id,
					  eb);
	if (!rc)
		rc = site_set(st, site_id, kv, 4, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}
