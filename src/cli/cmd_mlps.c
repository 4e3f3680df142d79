/*
 * cmd_mlps.c - `sitewarden mlps`: MLPS (等级保护) grading, PSB filing,
 * assessments, and the lists of sites overdue, due soon or ungraded.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compliance/stats.h"

int sw__cli_scope(struct sw_store *st, const struct sw_cli_kv *kv, struct sw_stats_scope *sc,
		  char region[8]);

static int mlps_help(FILE *f)
{
	fputs("usage: sitewarden mlps grade SITE --grade 1-5 --date DATE [--basis TEXT]\n"
	      "       sitewarden mlps file SITE --number NO --date DATE\n"
	      "       sitewarden mlps assess SITE --agency NAME --date DATE\n"
	      "                  --result pass|basic_pass|fail [--score S] [--report REF]\n"
	      "       sitewarden mlps list [--overdue|--due-soon|--ungraded] [--region R]\n"
	      "                  [--unit-type T] [--dept D] [--group G] [--json]\n"
	      "\nThe next assessment is due a policy cycle after the last one: mlps_cycle_g3\n"
	      "(default 12 months), mlps_cycle_g4 and mlps_cycle_g5 (6); grades 1-2 have\n"
	      "none.  `list` shows sites that are not closed with their due state; exit\n"
	      "status 1 when a filtered list is not empty.\n",
	      f);
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* `mlps list`. */
static int cmd_list(struct sw_store *st, const struct sw_cli_kv *kv)
{
	struct sw_stats_scope sc;
	struct sw_cmp_view v;
	struct sw_errbuf eb;
	json_t *arr = json_array();
	char region[8];
	int status, filtered = 0, n = 0;
	enum sw_err rc;

	if ((status = sw__cli_scope(st, kv, &sc, region)) >= 0) {
		json_decref(arr);
		return status;
	}
	sw_errbuf_clear(&eb);
	if ((rc = sw_cmp_view_load(st, &sc, sw_compliance_now(), &v, &eb))) {
		json_decref(arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	for (size_t i = 0; i < v.n; i++) {
		const struct sw_cmp_site *s = &v.v[i];
		int keep = 1;

		if (!s->in_scope || !strcmp(s->status, "closed"))
			continue;
		if (sw_cli_kv(kv, "overdue"))
			filtered = 1, keep = s->due == SW_MLPS_OVERDUE || s->due == SW_MLPS_NEVER_ASSESSED;
		else if (sw_cli_kv(kv, "due-soon"))
			filtered = 1, keep = s->due == SW_MLPS_DUE_SOON;
		else if (sw_cli_kv(kv, "ungraded"))
			filtered = 1, keep = s->due == SW_MLPS_UNGRADED;
		if (!keep)
			continue;
		n++;
		if (sw_cli_kv(kv, "json"))
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:i, s:b, s:s?, s:s?, s:s}",
							     "id", (json_int_t)s->id, "site", s->name,
							     "unit", s->unit_name, "grade", s->grade,
							     "filed", s->filed, "last_assessment",
							     s->assess[0] ? s->assess : NULL, "next_due",
							     s->next_due[0] ? s->next_due : NULL, "due",
							     sw_mlps_due_name(s->due)));
		else
			printf("%" PRId64 "  %s  grade=%d  filed=%s  last=%s  next=%s  %s\n", s->id,
			       s->name, s->grade, s->filed ? "yes" : "no", s->assess[0] ? s->assess : "-",
			       s->next_due[0] ? s->next_due : "-", sw_mlps_due_name(s->due));
	}
	sw_cmp_view_cleanup(&v);
	if (sw_cli_kv(kv, "json"))
		status = sw_cli_print_json(arr);
	else
		json_decref(arr), status = SW_EXIT_OK;
	return status ? status : filtered && n ? SW_EXIT_FAIL : SW_EXIT_OK;
}

int sw_cmd_mlps(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"grade", "date", "basis", "number", "agency", "result",
					     "score", "report", "region", "unit-type", "dept",
					     "group", NULL};
	static const char *const flags[] = {"json", "help", "overdue", "due-soon", "ungraded", NULL};
	struct sw_cli_kv kv;
	struct sw_errbuf eb;
	struct sw_store *st;
	const char *verb;
	int64_t site, id;
	int status;
	enum sw_err rc;

	if ((status = sw_cli_kv_parse("mlps", argc, argv, 1, valued, flags, &kv)) >= 0)
		return status;
	if (sw_cli_kv(&kv, "help") || kv.npos == 0)
		return mlps_help(sw_cli_kv(&kv, "help") ? stdout : stderr);
	verb = kv.pos[0];
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (!strcmp(verb, "list"))
		return cmd_list(st, &kv);
	if (kv.npos != 2)
		return sw_cli_usage("mlps", "mlps %s takes one site", verb);
	if ((status = sw_cli_site_ref(st, kv.pos[1], &site)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "grade")) {
		const char *g = sw_cli_kv(&kv, "grade");

		rc = sw_mlps_grade(st, site, g ? atoi(g) : 0, sw_cli_kv(&kv, "date"),
				   sw_cli_kv(&kv, "basis"), sw_compliance_now(), &eb);
	} else if (!strcmp(verb, "file")) {
		rc = sw_mlps_file(st, site, sw_cli_kv(&kv, "number"), sw_cli_kv(&kv, "date"), &eb);
	} else if (!strcmp(verb, "assess")) {
		rc = sw_mlps_assess(st, site, sw_cli_kv(&kv, "agency"), sw_cli_kv(&kv, "date"),
				    sw_cli_kv(&kv, "score"), sw_cli_kv(&kv, "result"),
				    sw_cli_kv(&kv, "report"), sw_compliance_now(), &id, &eb);
		if (!rc)
			printf("assessment %" PRId64 " recorded\n", id);
	} else {
		return sw_cli_usage("mlps", "unknown mlps command '%s'", verb);
	}
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}
