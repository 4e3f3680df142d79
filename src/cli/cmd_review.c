/*
 * cmd_review.c - `sitewarden review`: qualification review campaigns
 * (开办审核/资格复核), the tasks rejections open, logged status overrides
 * and the identification (统一标识) lists to chase.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compliance/stats.h"
#include "register/register.h"

int sw__cli_scope(struct sw_store *st, const struct sw_cli_kv *kv, struct sw_stats_scope *sc,
		  char region[8]);

static int review_help(FILE *f)
{
	fputs("usage: sitewarden review open NAME --deadline DATE [--kind opening|recheck]\n"
	      "                          [--region R] [--unit-type T] [--group G] [--note TEXT]\n"
	      "       sitewarden review list [--json]\n"
	      "       sitewarden review show CAMPAIGN [--pending] [--json]\n"
	      "       sitewarden review decide CAMPAIGN SITE --decision approved|rejected\n"
	      "                          --reviewer NAME [--date DATE] [--note TEXT]\n"
	      "                          [--keep-online REASON]\n"
	      "       sitewarden review tasks [--site SITE] [--open] [--json]\n"
	      "       sitewarden review task-done ID --by NAME [--note TEXT]\n"
	      "       sitewarden review override SITE --status S --by NAME --reason TEXT\n"
	      "       sitewarden review ident [--status complete|missing|mismatch] [--region R]\n"
	      "                          [--unit-type T] [--dept D] [--group G] [--json]\n"
	      "\nA campaign takes the sites (not closed) of its region subtree, unit type and\n"
	      "group when it opens.  A rejection opens domain clean-up and ICP cancellation\n"
	      "tasks and suspends the site unless --keep-online logs an override.  `override`\n"
	      "logs who and why, then makes one status change the rules would refuse (a\n"
	      "rejected site going online, a launch without a recent passing check).\n"
	      "`ident` lists online sites with their identification status (统一标识).\n"
	      "Exit status 1 when `ident` lists any site that is not complete.\n",
	      f);
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* Resolves a campaign by id or name; -1 or an exit status. */
static int campaign_ref(struct sw_store *st, const char *ref, int64_t *id)
{
	struct sw_errbuf eb;
	char *end;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if (!ref)
		return sw_cli_usage("review", "a campaign is needed");
	*id = strtoll(ref, &end, 10);
	if (*end || *id <= 0) {
		if ((rc = sw_store_campaign_find(st, ref, id, &eb)))
			return sw_cli_fail_eb(rc, &eb);
	}
	return -1;
}

/* JSON of a campaign row. */
static json_t *campaign_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:I, s:s, s:s?, s:I, s:I, s:I}", "id",
			 (json_int_t)r->i[SW_CAMP_ID], "name", r->s[SW_CAMP_NAME], "kind",
			 r->s[SW_CAMP_KIND], "region", r->s[SW_CAMP_REGION], "unit_type",
			 r->s[SW_CAMP_UNIT_TYPE], "group", (json_int_t)r->i[SW_CAMP_GROUP],
			 "deadline", r->s[SW_CAMP_DEADLINE], "note", r->s[SW_CAMP_NOTE], "sites",
			 (json_int_t)r->i[SW_CAMP_ITEMS], "decided", (json_int_t)r->i[SW_CAMP_DECIDED],
			 "rejected", (json_int_t)r->i[SW_CAMP_REJECTED]);
}

static int append_campaign(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, campaign_json(r));
	return 0;
}

static int append_item(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s?}", "id",
					     (json_int_t)r->i[SW_RI_ID], "site_id",
					     (json_int_t)r->i[SW_RI_SITE], "site",
					     r->s[SW_RI_SITE_NAME], "decision", r->s[SW_RI_DECISION],
					     "reviewer", r->s[SW_RI_REVIEWER], "date",
					     r->s[SW_RI_DECIDED_ON], "note", r->s[SW_RI_NOTE]));
	return 0;
}

static int append_task(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s?}", "id",
					     (json_int_t)r->i[SW_TASK_ID], "site_id",
					     (json_int_t)r->i[SW_TASK_SITE], "site",
					     r->s[SW_TASK_SITE_NAME], "kind", r->s[SW_TASK_KIND],
					     "status", r->s[SW_TASK_STATUS], "done_by",
					     r->s[SW_TASK_DONE_BY], "note", r->s[SW_TASK_NOTE]));
	return 0;
}

/* Prints an array of flat objects as lines of key=value, or as JSON. */
static int print_list(json_t *arr, int json)
{
	size_t i;
	json_t *o;

	if (json)
		return sw_cli_print_json(arr);
	json_array_foreach(arr, i, o) {
		const char *k;
		json_t *v;
		int first = 1;

		json_object_foreach(o, k, v) {
			if (json_is_null(v))
				continue;
			if (json_is_string(v))
				printf("%s%s=%s", first ? "" : "  ", k, json_string_value(v));
			else if (json_is_integer(v))
				printf("%s%s=%" JSON_INTEGER_FORMAT, first ? "" : "  ", k,
				       json_integer_value(v));
			first = 0;
		}
		printf("\n");
	}
	json_decref(arr);
	return SW_EXIT_OK;
}

static int cmd_open(struct sw_store *st, const struct sw_cli_kv *kv)
{
	const char *g = sw_cli_kv(kv, "group"), *t = sw_cli_kv(kv, "unit-type");
	struct sw_stats_scope sc;
	struct sw_errbuf eb;
	int64_t id, n;
	char region[8];
	int status;
	enum sw_err rc;

	(void)g;
	(void)t;
	if (kv->npos != 2)
		return sw_cli_usage("review", "review open takes the campaign's name");
	if ((status = sw__cli_scope(st, kv, &sc, region)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_review_open(st, kv->pos[1], sw_cli_kv(kv, "kind"), sc.region, sc.unit_type,
				 sc.group_id, sw_cli_kv(kv, "deadline"), sw_cli_kv(kv, "note"),
				 sw_compliance_now(), &id, &n, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	printf("campaign %" PRId64 " opened with %" PRId64 " sites\n", id, n);
	return SW_EXIT_OK;
}

static int cmd_decide(struct sw_store *st, const struct sw_cli_kv *kv)
{
	struct sw_errbuf eb;
	int64_t camp, site;
	int status;
	enum sw_err rc;

	if (kv->npos != 3)
		return sw_cli_usage("review", "review decide takes a campaign and a site");
	if ((status = campaign_ref(st, kv->pos[1], &camp)) >= 0 ||
	    (status = sw_cli_site_ref(st, kv->pos[2], &site)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_review_decide(st, camp, site, sw_cli_kv(kv, "decision"),
				   sw_cli_kv(kv, "reviewer"), sw_cli_kv(kv, "date"),
				   sw_cli_kv(kv, "note"), sw_cli_kv(kv, "keep-online"),
				   sw_compliance_now(), &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return SW_EXIT_OK;
}

/* `review ident`: online sites in scope with their identification. */
static int cmd_ident(struct sw_store *st, const struct sw_cli_kv *kv)
{
	const char *want = sw_cli_kv(kv, "status");
	struct sw_stats_scope sc;
	struct sw_cmp_view v;
	struct sw_errbuf eb;
	json_t *arr = json_array();
	char region[8], reg[64], page[64], mis[64];
	int status, problems = 0;
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

		if (!s->in_scope || strcmp(s->status, "online") ||
		    (want && strcmp(want, sw_ident_name(s->ident))))
			continue;
		problems += s->ident != SW_IDENT_COMPLETE;
		sw_ident_items(s->miss_reg, reg, sizeof reg);
		sw_ident_items(s->miss_page, page, sizeof page);
		sw_ident_items(s->mismatch, mis, sizeof mis);
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
						     (json_int_t)s->id, "site", s->name, "unit",
						     s->unit_name, "status", sw_ident_name(s->ident),
						     "missing_in_register", reg, "missing_on_page",
						     page, "mismatch", mis, "checked",
						     s->last_check != 0));
	}
	sw_cmp_view_cleanup(&v);
	status = print_list(arr, sw_cli_kv(kv, "json") != NULL);
	return status ? status : problems ? SW_EXIT_FAIL : SW_EXIT_OK;
}

int sw_cmd_review(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"deadline", "kind", "region", "unit-type", "dept",
					     "group", "note", "decision", "reviewer", "date",
					     "keep-online", "site", "by", "status", "reason", NULL};
	static const char *const flags[] = {"json", "help", "pending", "open", NULL};
	struct sw_cli_kv kv;
	struct sw_errbuf eb;
	struct sw_store *st;
	const char *verb;
	int64_t id = 0, site = 0;
	int status, json;
	enum sw_err rc = SW_OK;

	if ((status = sw_cli_kv_parse("review", argc, argv, 1, valued, flags, &kv)) >= 0)
		return status;
	if (sw_cli_kv(&kv, "help") || kv.npos == 0)
		return review_help(kv.npos ? stdout : sw_cli_kv(&kv, "help") ? stdout : stderr);
	verb = kv.pos[0];
	json = sw_cli_kv(&kv, "json") != NULL;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "open"))
		return cmd_open(st, &kv);
	if (!strcmp(verb, "decide"))
		return cmd_decide(st, &kv);
	if (!strcmp(verb, "ident"))
		return cmd_ident(st, &kv);
	if (!strcmp(verb, "list")) {
		json_t *arr = json_array();

		if ((rc = sw_store_campaigns(st, 0, append_campaign, arr, &eb))) {
			json_decref(arr);
			return sw_cli_fail_eb(rc, &eb);
		}
		return print_list(arr, json);
	}
	if (!strcmp(verb, "show")) {
		json_t *arr = json_array();

		if (kv.npos != 2 || (status = campaign_ref(st, kv.pos[1], &id)) >= 0) {
			json_decref(arr);
			return kv.npos != 2 ? sw_cli_usage("review", "review show takes a campaign")
					    : status;
		}
		if ((rc = sw_store_review_items(st, id, 0, sw_cli_kv(&kv, "pending") != NULL,
						append_item, arr, &eb))) {
			json_decref(arr);
			return sw_cli_fail_eb(rc, &eb);
		}
		return print_list(arr, json);
	}
	if (!strcmp(verb, "tasks")) {
		json_t *arr = json_array();

		if (sw_cli_kv(&kv, "site") && (status = sw_cli_site_ref(st, sw_cli_kv(&kv, "site"), &site)) >= 0) {
			json_decref(arr);
			return status;
		}
		if ((rc = sw_store_tasks(st, site, sw_cli_kv(&kv, "open") != NULL, append_task, arr,
					 &eb))) {
			json_decref(arr);
			return sw_cli_fail_eb(rc, &eb);
		}
		return print_list(arr, json);
	}
	if (!strcmp(verb, "task-done")) {
		if (kv.npos != 2 || (id = strtoll(kv.pos[1], NULL, 10)) <= 0)
			return sw_cli_usage("review", "review task-done takes a task id");
		if (!sw_cli_kv(&kv, "by"))
			return sw_cli_usage("review", "--by names who did it");
		rc = sw_store_task_done(st, id, sw_cli_kv(&kv, "by"), sw_cli_kv(&kv, "note"),
					sw_compliance_now(), &eb);
		return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
	}
	if (!strcmp(verb, "override")) {
		if (kv.npos != 2 || !sw_cli_kv(&kv, "status"))
			return sw_cli_usage("review", "review override takes a site and --status");
		if ((status = sw_cli_site_ref(st, kv.pos[1], &site)) >= 0)
			return status;
		rc = sw_compliance_override(st, site, sw_cli_kv(&kv, "status"), sw_cli_kv(&kv, "by"),
					    sw_cli_kv(&kv, "reason"), sw_compliance_now(), &eb);
		return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
	}
	return sw_cli_usage("review", "unknown review command '%s'", verb);
}
