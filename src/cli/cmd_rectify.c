/*
 * cmd_rectify.c - `sitewarden rectify`: rectification items (隐患整改)
 * and the tick that marks them overdue and escalates them once.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compliance/compliance.h"

static int rectify_help(FILE *f)
{
	fputs("usage: sitewarden rectify add SITE --source assessment|incident|inspection|finding\n"
	      "                   --title TEXT [--severity S] [--owner NAME] [--deadline DATE]\n"
	      "                   [--ref REF]\n"
	      "       sitewarden rectify from-finding SITE --kind KIND [--check ID]\n"
	      "                   [--owner NAME] [--deadline DATE]\n"
	      "       sitewarden rectify from-incident INCIDENT [--owner NAME] [--deadline DATE]\n"
	      "       sitewarden rectify set ID [--status open|in_progress|fixed|verified]\n"
	      "                   [--evidence TEXT] [--owner NAME] [--deadline DATE]\n"
	      "       sitewarden rectify list [--site SITE] [--status S] [--open] [--ready]\n"
	      "                   [--incident ID] [--incident-closed] [--json]\n"
	      "       sitewarden rectify tick [--json]\n"
	      "       sitewarden rectify escalations [--undelivered] [--json]\n"
	      "\nDeadlines default by severity: critical 3 days, high 7, medium 15, else 30.\n"
	      "`tick` marks items whose finding is gone ready for verification, marks\n"
	      "open items past their deadline overdue and escalates each overdue item\n"
	      "exactly once (the escalations are kept for the notification queue).\n"
	      "An incident may be closed while an item made from it is still open:\n"
	      "`list --open --incident-closed` lists those items.\n"
	      "The clock is SITEWARDEN_NOW when set (tests), else the system's.\n",
	      f);
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* JSON of an item row. */
static json_t *item_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s?, s:s, s:s, s:b, s:s?}",
			 "id", (json_int_t)r->i[SW_RECT_ID], "site_id", (json_int_t)r->i[SW_RECT_SITE],
			 "site", r->s[SW_RECT_SITE_NAME], "source", r->s[SW_RECT_SOURCE], "source_ref",
			 r->s[SW_RECT_SOURCE_REF], "finding_kind", r->s[SW_RECT_KIND], "severity",
			 r->s[SW_RECT_SEVERITY], "title", r->s[SW_RECT_TITLE], "owner",
			 r->s[SW_RECT_OWNER], "deadline", r->s[SW_RECT_DEADLINE], "status",
			 r->s[SW_RECT_STATUS], "ready_to_verify", (int)(r->i[SW_RECT_READY] != 0),
			 "evidence", r->s[SW_RECT_EVIDENCE]);
}

static int append_item(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, item_json(r));
	return 0;
}

static int print_item(void *arg, const struct sw_cmp_row *r)
{
	(void)arg;
	printf("%" PRId64 "  %s  [%s] %s  deadline=%s  %s%s\n", r->i[SW_RECT_ID],
	       r->s[SW_RECT_SITE_NAME], r->s[SW_RECT_SEVERITY], r->s[SW_RECT_TITLE],
	       r->s[SW_RECT_DEADLINE], r->s[SW_RECT_STATUS],
	       r->i[SW_RECT_READY] ? "  ready-to-verify" : "");
	return 0;
}

static int append_esc(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:b}", "id",
					     (json_int_t)r->i[SW_ESC_ID], "item",
					     (json_int_t)r->i[SW_ESC_ITEM], "site_id",
					     (json_int_t)r->i[SW_ESC_SITE], "created_at",
					     (json_int_t)r->i[SW_ESC_CREATED], "deadline",
					     r->s[SW_ESC_DEADLINE], "title", r->s[SW_ESC_TITLE],
					     "delivered", r->s[SW_ESC_DELIVERED] != NULL));
	return 0;
}

/* `rectify list` and `escalations`. */
static int cmd_list(struct sw_store *st, const struct sw_cli_kv *kv, int esc)
{
	struct sw_rect_filter f = {.status = sw_cli_kv(kv, "status"),
				   .open_only = sw_cli_kv(kv, "open") != NULL,
				   .ready_only = sw_cli_kv(kv, "ready") != NULL,
				   .incident_closed = sw_cli_kv(kv, "incident-closed") != NULL};
	char ref[40];
	int json = sw_cli_kv(kv, "json") != NULL, status;
	json_t *arr = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if (sw_cli_kv(kv, "incident")) {
		long long n = strtoll(sw_cli_kv(kv, "incident"), NULL, 10);

		if (n <= 0) {
			json_decref(arr);
			return sw_cli_usage("rectify", "--incident takes an incident id");
		}
		snprintf(ref, sizeof ref, "incident:%lld", n);
		f.source_ref = ref;
	}
	if (sw_cli_kv(kv, "site") && (status = sw_cli_site_ref(st, sw_cli_kv(kv, "site"), &f.site_id)) >= 0) {
		json_decref(arr);
		return status;
	}
	if (esc)
		rc = sw_store_escalations(st, sw_cli_kv(kv, "undelivered") != NULL, append_esc, arr, &eb);
	else
		rc = sw_store_rects(st, &f, json ? append_item : print_item, arr, &eb);
	if (rc) {
		json_decref(arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (json || esc)
		return sw_cli_print_json(arr);
	json_decref(arr);
	return SW_EXIT_OK;
}

int sw_cmd_rectify(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"source", "title", "severity", "owner", "deadline",
					     "ref", "kind", "check", "status", "evidence", "site",
					     "incident", NULL};
	static const char *const flags[] = {"json", "help", "open", "ready", "undelivered",
					    "incident-closed", NULL};
	struct sw_cli_kv kv;
	struct sw_errbuf eb;
	struct sw_store *st;
	const char *verb;
	int64_t site, id = 0;
	int status;
	enum sw_err rc;

	if ((status = sw_cli_kv_parse("rectify", argc, argv, 1, valued, flags, &kv)) >= 0)
		return status;
	if (sw_cli_kv(&kv, "help") || kv.npos == 0)
		return rectify_help(sw_cli_kv(&kv, "help") ? stdout : stderr);
	verb = kv.pos[0];
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "list") || !strcmp(verb, "escalations"))
		return cmd_list(st, &kv, !strcmp(verb, "escalations"));
	if (!strcmp(verb, "tick")) {
		struct sw_tick_result r;

		if ((rc = sw_compliance_tick_cb(st, sw_compliance_now(), NULL, NULL, &r, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (sw_cli_kv(&kv, "json"))
			return sw_cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "overdue",
							   (json_int_t)r.overdue, "escalated",
							   (json_int_t)r.escalated, "ready",
							   (json_int_t)r.ready, "reopened",
							   (json_int_t)r.reopened));
		printf("overdue %" PRId64 ", escalated %" PRId64 ", ready for verification %" PRId64
		       ", finding back %" PRId64 "\n",
		       r.overdue, r.escalated, r.ready, r.reopened);
		return SW_EXIT_OK;
	}
	if (kv.npos != 2)
		return sw_cli_usage("rectify", "rectify %s takes one argument", verb);
	if (!strcmp(verb, "set")) {
		if ((id = strtoll(kv.pos[1], NULL, 10)) <= 0)
			return sw_cli_usage("rectify", "rectify set takes an item id");
		rc = sw_rect_set(st, id, sw_cli_kv(&kv, "status"), sw_cli_kv(&kv, "owner"),
				 sw_cli_kv(&kv, "deadline"), sw_cli_kv(&kv, "evidence"),
				 sw_compliance_now(), &eb);
		return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
	}
	if (!strcmp(verb, "from-incident")) {
		if ((id = strtoll(kv.pos[1], NULL, 10)) <= 0)
			return sw_cli_usage("rectify", "rectify from-incident takes an incident id");
		rc = sw_rect_from_incident(st, id, sw_cli_kv(&kv, "owner"), sw_cli_kv(&kv, "deadline"),
					   sw_compliance_now(), &id, &eb);
		if (rc)
			return sw_cli_fail_eb(rc, &eb);
		printf("item %" PRId64 " opened\n", id);
		return SW_EXIT_OK;
	}
	if ((status = sw_cli_site_ref(st, kv.pos[1], &site)) >= 0)
		return status;
	if (!strcmp(verb, "add")) {
		struct sw_rect_new n = {site,
					sw_cli_kv(&kv, "source"),
					sw_cli_kv(&kv, "ref"),
					sw_cli_kv(&kv, "kind"),
					sw_cli_kv(&kv, "severity"),
					sw_cli_kv(&kv, "title"),
					sw_cli_kv(&kv, "owner"),
					sw_cli_kv(&kv, "deadline")};

		rc = sw_rect_add(st, &n, sw_compliance_now(), &id, &eb);
	} else if (!strcmp(verb, "from-finding")) {
		const char *c = sw_cli_kv(&kv, "check");

		rc = sw_rect_from_finding(st, site, c ? strtoll(c, NULL, 10) : 0, sw_cli_kv(&kv, "kind"),
					  sw_cli_kv(&kv, "owner"), sw_cli_kv(&kv, "deadline"),
					  sw_compliance_now(), &id, &eb);
	} else {
		return sw_cli_usage("rectify", "unknown rectify command '%s'", verb);
	}
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	printf("item %" PRId64 " opened\n", id);
	return SW_EXIT_OK;
}
