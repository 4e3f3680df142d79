#!/usr/bin/env bash
# api_compliance.sh - the compliance API through real HTTP against
# `sitewarden serve --no-probe`: a register of 400 sites with a compliance
# history (sw_gen_register + sw_gen_compliance); per role what it may see
# (supervisor: its region; operator: its unit; auditor: all, read only)
# and do (403s); /api/stats equal to `sitewarden stats --json` for the
# same scope; lists against plain SQL over the scope; report downloads
# (XLSX read by unzip and Python's zipfile, CSV with BOM byte-equal to the
# CLI's); malformed inputs answered 400 with the field named and nothing
# changed; writes in the audit log.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
command -v unzip >/dev/null || fail "unzip is not installed"

export SITEWARDEN_NOW=2026-01-20
DB="$W/c.db"
export SITEWARDEN_DB="$DB"
"$GEN" --rows 400 --seed 11 -o reg.csv
run 0 "$SW" import reg.csv
run 0 "$SW_BIN/sw_gen_compliance" "$DB" --now 2026-01-20
q() { sqlite3 "$DB" "$1"; }

# Scopes: a province with many sites, the unit with most sites, and a
# department that supervises units with sites.
PROV=$(q "SELECT substr(u.region,1,2) || '0000' FROM sites s JOIN units u ON u.id = s.unit_id
	GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
OTHER=$(q "SELECT substr(u.region,1,2) || '0000' FROM sites s JOIN units u ON u.id = s.unit_id
	WHERE substr(u.region,1,2) <> substr('$PROV',1,2) GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
UNIT=$(q "SELECT unit_id FROM sites GROUP BY unit_id ORDER BY COUNT(*) DESC, unit_id LIMIT 1")
DEPT=$(q "SELECT u.dept_id FROM sites s JOIN units u ON u.id = s.unit_id WHERE u.dept_id IS NOT NULL
	GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
IN_PROV="SELECT s.id FROM sites s JOIN units u ON u.id = s.unit_id WHERE u.region >= '$PROV'
	AND u.region < '$((${PROV:0:2} + 1))0000'"
OP_SITE=$(q "SELECT id FROM sites WHERE unit_id = $UNIT AND status <> 'closed'
	ORDER BY status = 'online' DESC, id LIMIT 1")
OP_ST0=$(q "SELECT status FROM sites WHERE id = $OP_SITE")
FAR_SITE=$(q "SELECT MIN(id) FROM sites WHERE id NOT IN ($IN_PROV) AND unit_id <> $UNIT")
PROV_SITE=$(q "SELECT MIN(id) FROM sites WHERE id IN ($IN_PROV) AND unit_id <> $UNIT
	AND status <> 'closed'")
[ -n "$OP_SITE" ] && [ -n "$FAR_SITE" ] && [ -n "$PROV_SITE" ] || fail "fixture lacks sites"

printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'sup-pass-123\n' | run 0 "$SW" user add --name sup --role supervisor --region "$PROV"
printf 'dsup-pass-12\n' | run 0 "$SW" user add --name dsup --role supervisor --dept "$DEPT"
printf 'op-pass-1234\n' | run 0 "$SW" user add --name op --role operator --unit "$UNIT"
printf 'aud-pass-123\n' | run 0 "$SW" user add --name aud --role auditor

start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"; A=$CSRF
login sup sup-pass-123 "$W/sup.jar"; S=$CSRF
login dsup dsup-pass-12 "$W/dsup.jar"; D=$CSRF
login op op-pass-1234 "$W/op.jar"; O=$CSRF
login aud aud-pass-123 "$W/aud.jar"; U=$CSRF

# as ROLE METHOD PATH [BODY]: a request as admin|sup|dsup|op|aud with its
# CSRF token.
as() {
	local who=$1 tok
	case $who in admin) tok=$A ;; sup) tok=$S ;; dsup) tok=$D ;; op) tok=$O ;; aud) tok=$U ;; esac
	req "$W/$who.jar" "$2" "$3" "${4-}" -H "X-CSRF-Token: $tok"
}
# bad ROLE METHOD PATH BODY FIELD: answered 400 naming FIELD ("" none).
bad() {
	as "$1" "$2" "$3" "$4"
	want 400 "$2 $3 $4"
	eq "$(jq -r '.field // ""' "$W/body")" "$5" "field named by $2 $3 $4"
	jq -e '.error | length > 0' "$W/body" >/dev/null || fail "400 without an error message"
}
# state: a digest of every compliance table and the register's sites, to
# show a refused request changed nothing.
state() {
	q "SELECT * FROM review_campaigns; SELECT * FROM review_items; SELECT * FROM review_tasks;
	   SELECT * FROM rectifications; SELECT * FROM mlps_gradings; SELECT * FROM mlps_assessments;
	   SELECT * FROM status_overrides; SELECT * FROM sites;" | sha256sum
}

# --- sign-in and roles ---------------------------------------------------------
req - GET /api/stats
want 401 "stats without a session"
req "$W/admin.jar" POST /api/rectifications/tick '' 
want 403 "a change without the CSRF token"

# --- statistics: the CLI's JSON for the same scope -------------------------------
# same_stats ROLE QUERY CLI-ARGS...: /api/stats as ROLE equals `stats --json`
# (without "scope" when the scope comes from the role, not the query).
same_stats() {
	local who=$1 query=$2 filter=.
	shift 2
	as "$who" GET "/api/stats$query"
	want 200 "$who stats $query"
	case $who in sup | dsup | op) filter='del(.scope)' ;; esac
	run 0 "$SW" stats --json "$@"
	eq "$(jq -S "$filter" "$W/body")" "$(jq -S "$filter" "$W/out")" "$who /api/stats$query against stats $*"
}
same_stats admin ""
same_stats aud ""
same_stats admin "?region=$PROV" --region "$PROV"
same_stats admin "?region=$PROV&unit_type=party_gov" --region "$PROV" --unit-type party_gov
same_stats admin "?dept=$DEPT" --dept "$DEPT"
same_stats sup "" --region "$PROV"
same_stats dsup "" --dept "$DEPT"
jq -e '.sites.total > 0' "$W/out" >/dev/null || fail "the department supervises no site"
as sup GET "/api/stats?region=$OTHER"
want 200 "supervisor asks for another province"
eq "$(jq .sites.total "$W/body")" 0 "a supervisor's figures outside its region"
as op GET /api/stats
want 200 "operator stats"
eq "$(jq .sites.total "$W/body")" "$(q "SELECT COUNT(*) FROM sites WHERE unit_id = $UNIT")" \
	"operator's sites"
eq "$(jq .rectification.total "$W/body")" \
	"$(q "SELECT COUNT(*) FROM rectifications r JOIN sites s ON s.id = r.site_id WHERE s.unit_id = $UNIT")" \
	"operator's rectification items"
bad admin GET "/api/stats?region=41" "" region
bad admin GET "/api/stats?unit_type=nonsense" "" unit_type
bad admin GET "/api/stats?group=no-such-group" "" group
bad admin GET "/api/stats?dept=0" "" dept

# --- identification and MLPS lists ---------------------------------------------
# list_total ROLE PATH: .total of the list.
list_total() {
	as "$1" GET "$2"
	want 200 "$1 $2"
	jq .total "$W/body"
}
"$SW" review ident --json >"$W/ident.json" || true
eq "$(list_total admin "/api/identification?limit=1000")" "$(jq length "$W/ident.json")" "identification total"
eq "$(jq -S '.items' "$W/body")" "$(jq -S . "$W/ident.json")" "identification rows as the CLI's"
"$SW" review ident --json --status mismatch --region "$PROV" >"$W/ident.json" || true
eq "$(list_total sup "/api/identification?status=mismatch")" "$(jq length "$W/ident.json")" \
	"supervisor's mismatches"
"$SW" mlps list --overdue --json >"$W/mlps.json" || true
eq "$(list_total admin "/api/mlps?overdue=1&limit=2")" "$(jq length "$W/mlps.json")" "overdue total"
eq "$(jq '.items | length' "$W/body")" 2 "a page of two"
"$SW" mlps list --ungraded --json --region "$PROV" >"$W/mlps.json" || true
eq "$(list_total sup "/api/mlps?ungraded=true&limit=1000")" "$(jq length "$W/mlps.json")" "supervisor's ungraded"
as op GET "/api/mlps?limit=1000"
want 200 "operator's MLPS list"
eq "$(jq -c '[.items[].id] | sort' "$W/body")" \
	"$(q "SELECT id FROM sites WHERE unit_id = $UNIT AND status <> 'closed' ORDER BY id" | jq -sc .)" \
	"operator sees its unit's sites only"
bad admin GET "/api/mlps?overdue=1&ungraded=1" "" ungraded
bad admin GET "/api/mlps?overdue=yes" "" overdue
bad admin GET "/api/identification?status=bad" "" status
bad admin GET "/api/mlps?limit=5000" "" limit

# --- reviews ---------------------------------------------------------------------
eq "$(list_total admin /api/reviews)" "$(q "SELECT COUNT(*) FROM review_campaigns")" "campaigns for the admin"
NOSEE=$(q "SELECT c.id FROM review_campaigns c WHERE NOT EXISTS (SELECT 1 FROM review_items i
	WHERE i.campaign_id = c.id AND i.site_id IN (SELECT id FROM sites WHERE unit_id = $UNIT)) LIMIT 1")
if [ -n "$NOSEE" ]; then
	as op GET "/api/reviews/$NOSEE"
	want 404 "operator's view of a campaign without its sites"
fi
as admin GET /api/reviews/999999
want 404 "absent campaign"

# Opening: a supervisor's campaign holds its own sites only.
BEFORE=$(state)
bad admin POST /api/reviews '{"name":"x","deadline":"2026-03-01"' ""
bad admin POST /api/reviews '[1,2]' ""
bad admin POST /api/reviews '{"name":"x","deadline":"2026-03-01","color":"red"}' color
bad admin POST /api/reviews '{"name":"x","deadline":20260301}' deadline
bad admin POST /api/reviews '{"name":"x","deadline":"2026-13-45"}' deadline
bad admin POST /api/reviews '{"name":"x","deadline":"2026-03-01","kind":"annual"}' kind
bad admin POST /api/reviews '{"name":"x","deadline":"2026-03-01","region":"4100"}' region
bad admin POST /api/reviews '{"name":"x","deadline":"2026-03-01","unit_type":"aliens"}' unit_type
bad admin POST /api/reviews '{"deadline":"2026-03-01"}' name
bad sup POST /api/reviews "{\"name\":\"x\",\"deadline\":\"2026-03-01\",\"region\":\"$OTHER\"}" region
as op POST /api/reviews '{"name":"x","deadline":"2026-03-01"}'
want 403 "operators open no campaign"
as aud POST /api/reviews '{"name":"x","deadline":"2026-03-01"}'
want 403 "auditors change nothing"
eq "$(state)" "$BEFORE" "refused campaigns changed nothing"
as sup POST /api/reviews '{"name":"复核-省","deadline":"2026-03-01","note":"<b>x</b>'"'"'--"}'
want 201 "supervisor opens a campaign"
C2=$(jq .id "$W/body")
eq "$(jq .sites "$W/body")" "$(q "SELECT COUNT(*) FROM sites WHERE id IN ($IN_PROV) AND status <> 'closed'")" \
	"the supervisor's campaign holds its sites"
eq "$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $C2 AND site_id NOT IN ($IN_PROV)")" 0 \
	"no site of another in the supervisor's campaign"
eq "$(jq -r .note "$W/body")" "<b>x</b>'--" "text stored verbatim"
as admin POST /api/reviews '{"name":"复核-省","deadline":"2026-03-01"}'
want 409 "a campaign name taken"
as admin POST /api/reviews '{"name":"全部","deadline":"2026-03-01"}'
want 201 "admin opens a campaign over every site"
C3=$(jq .id "$W/body")

# What the supervisor sees of every campaign: counts and items of its sites.
as sup GET "/api/reviews?limit=1000"
want 200 "supervisor's campaigns"
eq "$(jq .total "$W/body")" \
	"$(q "SELECT COUNT(DISTINCT campaign_id) FROM review_items WHERE site_id IN ($IN_PROV)")" \
	"campaigns holding the supervisor's sites"
for c in $(jq '.items[].id' "$W/body"); do
	eq "$(jq ".items[] | select(.id == $c) | .sites" "$W/body")" \
		"$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $c AND site_id IN ($IN_PROV)")" \
		"supervisor's count of campaign $c"
done
as sup GET "/api/reviews/$C3?limit=1000"
want 200 "supervisor's view of the admin's campaign"
eq "$(jq -c '[.items.items[].site_id] | sort' "$W/body")" \
	"$(q "SELECT site_id FROM review_items WHERE campaign_id = $C3 AND site_id IN ($IN_PROV) ORDER BY site_id" | jq -sc .)" \
	"supervisor sees its sites of the campaign"
as op GET "/api/reviews/$C3?pending=1"
want 200 "operator's view of the campaign"
eq "$(jq .items.total "$W/body")" "$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $C3 AND site_id IN (SELECT id FROM sites WHERE unit_id = $UNIT)")" \
	"operator sees its sites of the campaign"

# Decisions.
BEFORE=$(state)
bad sup POST "/api/reviews/$C2/decisions" "{\"site\":$PROV_SITE,\"decision\":\"maybe\"}" decision
bad sup POST "/api/reviews/$C2/decisions" "{\"site\":$PROV_SITE,\"decision\":\"approved\",\"date\":\"yesterday\"}" date
bad sup POST "/api/reviews/$C2/decisions" "{\"site\":$PROV_SITE,\"decision\":\"approved\",\"x\":1}" x
bad sup POST "/api/reviews/$C2/decisions" "{\"site\":[1],\"decision\":\"approved\"}" site
bad sup POST "/api/reviews/$C2/decisions" "{\"site\":$PROV_SITE,\"decision\":true}" decision
as sup POST "/api/reviews/$C3/decisions" "{\"site\":$FAR_SITE,\"decision\":\"approved\"}"
want 403 "a supervisor deciding another's site"
as op POST "/api/reviews/$C3/decisions" "{\"site\":$OP_SITE,\"decision\":\"approved\"}"
want 403 "an operator deciding its own review"
eq "$(state)" "$BEFORE" "refused decisions changed nothing"
as sup POST "/api/reviews/$C2/decisions" "{\"site\":$PROV_SITE,\"decision\":\"通过\",\"note\":\"ok\"}"
want 200 "supervisor decides"
eq "$(jq -r .decision "$W/body")" approved "decision recorded"
eq "$(jq -r .reviewer "$W/body")" sup "the reviewer defaults to the user"
as admin POST "/api/reviews/$C3/decisions" "{\"site\":$OP_SITE,\"decision\":\"rejected\",\"reviewer\":\"李四\"}"
want 200 "admin rejects the operator's site"
case $OP_ST0 in online | pre-launch) ST1=suspended ;; *) ST1=$OP_ST0 ;; esac
eq "$(q "SELECT status FROM sites WHERE id = $OP_SITE")" "$ST1" "a rejected live site is suspended"

# Tasks the rejection opened: the operator does them.
as op GET "/api/review-tasks?open=1&site=$OP_SITE"
want 200 "operator's tasks"
eq "$(jq .total "$W/body")" 2 "a rejection opens two tasks"
T1=$(jq '.items[0].id' "$W/body")
as sup GET "/api/review-tasks?limit=1000"
want 200 "supervisor's tasks"
eq "$(jq "[.items[] | select(.site_id as \$s | [$(q "$IN_PROV" | paste -sd,)] | index(\$s) | not)] | length" "$W/body")" 0 \
	"supervisor's tasks are of its sites"
OTHER_TASK=$(q "SELECT MIN(id) FROM review_tasks WHERE site_id NOT IN (SELECT id FROM sites WHERE unit_id = $UNIT) AND status = 'open'")
if [ -n "$OTHER_TASK" ]; then
	as op POST "/api/review-tasks/$OTHER_TASK/done" '{}'
	want 403 "operator closing another unit's task"
fi
as aud POST "/api/review-tasks/$T1/done" '{}'
want 403 "auditor closing a task"
bad op POST "/api/review-tasks/$T1/done" '{"by":7}' by
as op POST "/api/review-tasks/$T1/done" '{"note":"域名已注销"}'
want 200 "operator closes its task"
eq "$(jq -r .status "$W/body"),$(jq -r .done_by "$W/body")" "done,op" "task done by the user"
as op POST "/api/review-tasks/$T1/done" ''
want 409 "a task done twice"

# Override of a rejected site's status (supervisors and admins).
as op POST "/api/sites/$OP_SITE/override" '{"status":"online","reason":"x"}'
want 403 "operator overrides"
bad admin POST "/api/sites/$OP_SITE/override" '{"status":"online"}' reason
as admin POST "/api/sites/$OP_SITE/override" '{"status":"online","reason":"整改完成，领导批准"}'
want 200 "admin override"
eq "$(q "SELECT status FROM sites WHERE id = $OP_SITE")" online "override moved the site"
eq "$(q "SELECT actor FROM status_overrides WHERE site_id = $OP_SITE ORDER BY id DESC LIMIT 1")" admin \
	"override logged under the user"

# --- MLPS writes -----------------------------------------------------------------
BEFORE=$(state)
bad op POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":7,"date":"2026-01-02"}' grade
bad op POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":"3","date":"2026-01-02"}' grade
bad op POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":3}' date
bad op POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":3,"date":"2026-01-02","level":1}' level
bad op POST "/api/sites/$OP_SITE/mlps/assessment" '{"agency":"测评中心","date":"2026-01-05","result":"pass","score":120}' score
bad op POST "/api/sites/$OP_SITE/mlps/assessment" '{"agency":"测评中心","date":"2026-01-05","result":"great"}' result
bad op POST "/api/sites/$OP_SITE/mlps/filing" '{"number":"","date":"2026-01-05"}' number
as op POST "/api/sites/$FAR_SITE/mlps/grade" '{"grade":3,"date":"2026-01-02"}'
want 403 "operator grading another unit's site"
as sup POST "/api/sites/$FAR_SITE/mlps/grade" '{"grade":3,"date":"2026-01-02"}'
want 403 "supervisor grading outside its region"
as aud POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":3,"date":"2026-01-02"}'
want 403 "auditor grading"
as admin POST "/api/sites/999999/mlps/grade" '{"grade":3,"date":"2026-01-02"}'
want 404 "grading an absent site"
eq "$(state)" "$BEFORE" "refused MLPS writes changed nothing"
as op POST "/api/sites/$OP_SITE/mlps/grade" '{"grade":3,"date":"2026-01-02","basis":"定级报告"}'
want 200 "operator grades its site"
eq "$(jq .mlps_grade "$W/body")" 3 "grade in the register"
as op POST "/api/sites/$OP_SITE/mlps/assessment" '{"agency":"测评中心","date":"2026-01-05","result":"基本符合","score":"82.5","report":"R-1"}'
want 201 "operator records an assessment"
eq "$(jq -r .mlps_next_due "$W/body")" 2027-01-05 "next due a year later for grade 3"
as op GET "/api/sites/$OP_SITE/mlps"
want 200 "MLPS history"
eq "$(jq '.gradings[0].grade' "$W/body"),$(jq -r '.assessments[0].score' "$W/body")" "3,82.5" "history"
as op GET "/api/sites/$FAR_SITE/mlps"
want 404 "another unit's site is not there for the operator"

# --- rectification ---------------------------------------------------------------
eq "$(list_total admin /api/rectifications)" "$(q "SELECT COUNT(*) FROM rectifications")" "items for the admin"
eq "$(list_total sup "/api/rectifications?open=1")" \
	"$(q "SELECT COUNT(*) FROM rectifications WHERE site_id IN ($IN_PROV) AND status IN ('open','in_progress','overdue')")" \
	"supervisor's open items"
eq "$(list_total aud "/api/rectifications?status=overdue")" \
	"$(q "SELECT COUNT(*) FROM rectifications WHERE status = 'overdue'")" "auditor's overdue items"
bad admin GET "/api/rectifications?status=done" "" status
bad admin GET "/api/rectifications?site=abc" "" site
FAR_ITEM=$(q "SELECT MIN(id) FROM rectifications WHERE site_id NOT IN ($IN_PROV) AND site_id NOT IN (SELECT id FROM sites WHERE unit_id = $UNIT)")
as sup GET "/api/rectifications/$FAR_ITEM"
want 404 "another's item is absent for the supervisor"
as admin GET "/api/rectifications/$FAR_ITEM"
want 200 "admin reads any item"

N0=$(q "SELECT COUNT(*) FROM rectifications")
BEFORE=$(state)
bad op POST /api/rectifications '{"site":' ""
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"rumour\",\"title\":\"t\"}" source
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"t\",\"severity\":\"awful\"}" severity
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"t\",\"deadline\":\"2026-02-30\"}" deadline
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\"}" title
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"t\",\"owner\":[]}" owner
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"t\",\"extra\":null}" extra
bad op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"$(printf 'x%.0s' $(seq 1 2100))\"}" title
bad admin POST /api/rectifications '{"site":"no such site","source":"inspection","title":"t"}' site
as op POST /api/rectifications "{\"site\":$FAR_SITE,\"source\":\"inspection\",\"title\":\"t\"}"
want 403 "operator adding to another unit's site"
as aud POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"t\"}"
want 403 "auditor adding an item"
eq "$(state)" "$BEFORE" "refused items changed nothing"
eq "$(q "SELECT COUNT(*) FROM rectifications")" "$N0" "no item added"
EVIL="<script>alert(1)</script>'; DROP TABLE rectifications;--"
as op POST /api/rectifications "$(jq -cn --argjson s "$OP_SITE" --arg t "$EVIL" \
	'{site: $s, source: "inspection", title: $t, severity: "high"}')"
want 201 "operator adds an item to its site"
R1=$(jq .id "$W/body")
eq "$(jq -r .title "$W/body")" "$EVIL" "title stored verbatim"
eq "$(jq -r .deadline "$W/body"),$(jq -r .status "$W/body")" "2026-01-27,open" "high: a week"
eq "$(q "SELECT COUNT(*) FROM rectifications")" "$((N0 + 1))" "one item added"

bad op PATCH "/api/rectifications/$R1" '{"status":"done"}' status
bad op PATCH "/api/rectifications/$R1" '{"status":"fixed"}' evidence
bad op PATCH "/api/rectifications/$R1" '{"deadline":"soon"}' deadline
bad op PATCH "/api/rectifications/$R1" '{"status":1}' status
as op PATCH "/api/rectifications/$R1" '{"status":"in_progress","owner":"王五"}'
want 200 "operator picks the item up"
as op PATCH "/api/rectifications/$R1" '{"status":"fixed","evidence":"补丁已打，截图见附件"}'
want 200 "operator fixes"
as op PATCH "/api/rectifications/$R1" '{"status":"verified"}'
want 403 "an operator verifying its own fix"
as aud PATCH "/api/rectifications/$R1" '{"status":"verified"}'
want 403 "auditor verifying"
as op PATCH "/api/rectifications/$FAR_ITEM" '{"status":"in_progress"}'
want 403 "operator moving another's item"
as admin PATCH "/api/rectifications/999999" '{"status":"in_progress"}'
want 404 "absent item"
as admin PATCH "/api/rectifications/$R1" '{"status":"verified"}'
want 200 "admin verifies"
eq "$(jq -r .status "$W/body"),$(jq -r .owner "$W/body")" "verified,王五" "verified, owner kept"

# From a finding of a site's latest check not tracked yet.
read -r FS FK < <(q "SELECT st.site_id, f.kind FROM site_state st JOIN check_findings f ON f.check_id = st.last_check_id
	WHERE NOT EXISTS (SELECT 1 FROM rectifications r WHERE r.site_id = st.site_id AND r.finding_kind = f.kind
	AND r.status IN ('open','in_progress','overdue')) ORDER BY st.site_id LIMIT 1" | tr '|' ' ')
[ -n "$FS" ] || fail "fixture lacks an untracked finding"
bad admin POST /api/rectifications/from-finding "{\"site\":$FS,\"kind\":\"Not A Kind\"}" kind
bad admin POST /api/rectifications/from-finding "{\"site\":$FS,\"kind\":\"tls.nothing_like_it\"}" kind
bad admin POST /api/rectifications/from-finding "{\"site\":$FS,\"kind\":\"$FK\",\"check\":-1}" check
as admin POST /api/rectifications/from-finding "{\"site\":$FS,\"kind\":\"$FK\"}"
want 201 "an item from a finding"
eq "$(jq -r .source "$W/body"),$(jq -r .finding_kind "$W/body")" "finding,$FK" "item of the finding"
as admin POST /api/rectifications/from-finding "{\"site\":$FS,\"kind\":\"$FK\"}"
want 409 "the same finding tracked twice"

# From an incident: an incident with no open item, one outside the
# supervisor's province; items of closed incidents still open are listed.
INC=$(q "SELECT i.id FROM incidents i WHERE i.site_id IN ($IN_PROV) AND NOT EXISTS (SELECT 1 FROM rectifications r
	WHERE r.source_ref = 'incident:' || i.id AND r.status IN ('open','in_progress','overdue')) ORDER BY i.id LIMIT 1")
FAR_INC=$(q "SELECT MIN(i.id) FROM incidents i WHERE i.site_id NOT IN ($IN_PROV)")
[ -n "$INC" ] && [ -n "$FAR_INC" ] || fail "fixture lacks incidents"
bad admin POST /api/rectifications/from-incident '{}' incident
bad admin POST /api/rectifications/from-incident '{"incident":"x"}' incident
bad admin POST /api/rectifications/from-incident '{"incident":999999}' incident
bad admin POST /api/rectifications/from-incident "{\"incident\":$INC,\"deadline\":\"soon\"}" deadline
bad admin POST /api/rectifications/from-incident "{\"incident\":$INC,\"extra\":1}" extra
s0=$(state)
as sup POST /api/rectifications/from-incident "{\"incident\":$FAR_INC}"
want 403 "supervisor: an incident outside its province"
as aud POST /api/rectifications/from-incident "{\"incident\":$INC}"
want 403 "auditor makes an item"
eq "$(state)" "$s0" "refused from-incident changed nothing"
as sup POST /api/rectifications/from-incident "{\"incident\":$INC,\"owner\":\"运维\"}"
want 201 "an item from an incident"
eq "$(jq -r .source "$W/body"),$(jq -r .source_ref "$W/body"),$(jq .site_id "$W/body")" \
	"incident,incident:$INC,$(q "SELECT site_id FROM incidents WHERE id = $INC")" "item of the incident"
as sup POST /api/rectifications/from-incident "{\"incident\":$INC}"
want 409 "the same incident tracked twice"
eq "$(list_total admin "/api/rectifications?incident=$INC")" \
	"$(q "SELECT COUNT(*) FROM rectifications WHERE source_ref = 'incident:$INC'")" "items of the incident"
eq "$(list_total admin "/api/rectifications?open=1&incident_closed=1")" \
	"$(q "SELECT COUNT(*) FROM rectifications r JOIN incidents i ON r.source_ref = 'incident:' || i.id
		WHERE r.source = 'incident' AND i.state = 'closed' AND r.status IN ('open','in_progress','overdue')")" \
	"open items of closed incidents"
eq "$(list_total sup "/api/rectifications?open=1&incident_closed=1")" \
	"$(q "SELECT COUNT(*) FROM rectifications r JOIN incidents i ON r.source_ref = 'incident:' || i.id
		WHERE r.source = 'incident' AND i.state = 'closed' AND r.status IN ('open','in_progress','overdue')
		AND r.site_id IN ($IN_PROV)")" "open items of closed incidents in the supervisor's province"

# The tick and its escalations (admin; auditors read them).
as sup POST /api/rectifications/tick ''
want 403 "supervisor ticks"
as admin POST /api/rectifications/tick ''
want 200 "admin ticks"
jq -e 'has("overdue") and has("escalated")' "$W/body" >/dev/null || fail "tick result"
as admin POST /api/rectifications/tick ''
want 200 "second tick"
eq "$(jq .escalated "$W/body")" 0 "escalated once only"
eq "$(list_total aud /api/rectification-escalations)" "$(q "SELECT COUNT(*) FROM rectification_escalations")" \
	"escalations for the auditor"
as sup GET /api/rectification-escalations
want 403 "supervisor reads the escalation queue"

# --- reports ---------------------------------------------------------------------
curl_get() { # ROLE PATH FILE: download into FILE, headers into $W/hdr
	CODE=$(curl -s -b "$W/$1.jar" -D "$W/hdr" -o "$3" -w '%{http_code}' --max-time 60 "$BASE$2")
}
curl_get admin "/api/reports/bulletin?period=2026-01&format=xlsx" "$W/b.xlsx"
want 200 "bulletin XLSX"
has "$W/hdr" 'Content-Disposition: attachment; filename="bulletin-2026-01.xlsx"'
has "$W/hdr" "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
unzip -l "$W/b.xlsx" >"$W/zip.txt" || fail "the XLSX is not a zip"
has "$W/zip.txt" "xl/worksheets/sheet1.xml"
run 0 "$SW" report bulletin --period 2026-01 -o "$W/cli.csv"
curl_get admin "/api/reports/bulletin?period=2026-01&format=csv" "$W/b.csv"
want 200 "bulletin CSV"
eq "$(head -c 3 "$W/b.csv" | od -An -tx1 | tr -d ' ')" efbbbf "CSV starts with a BOM"
cmp -s "$W/b.csv" "$W/cli.csv" || fail "the API's bulletin CSV differs from the CLI's"
[ "$(wc -l <"$W/b.csv")" -gt 3 ] || fail "the bulletin has no rows"
# Rows of the XLSX: the title, the subtitle and the CSV's lines.
python3 - "$W/b.xlsx" "$(wc -l <"$W/b.csv")" <<'EOF' || fail "XLSX rows"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
rows = len(re.findall(r"<row ", z.read("xl/worksheets/sheet1.xml").decode()))
sys.exit(0 if rows == int(sys.argv[2]) + 2 else 1)
EOF
curl_get sup "/api/reports/bulletin?period=2026-01&format=csv" "$W/s.csv"
want 200 "supervisor's bulletin"
run 0 "$SW" report bulletin --period 2026-01 --region "$PROV" -o "$W/cli-s.csv"
cmp -s "$W/s.csv" "$W/cli-s.csv" || fail "the supervisor's bulletin is not its region's"
[ "$(wc -l <"$W/s.csv")" -lt "$(wc -l <"$W/b.csv")" ] || fail "the supervisor's bulletin is everyone's"
curl_get op "/api/reports/progress?period=2026-Q1&format=html" "$W/p.html"
want 200 "progress HTML"
has "$W/hdr" "text/html"
has "$W/p.html" "<html"
curl_get aud "/api/reports/progress?period=2026-01" "$W/p.xlsx"
want 200 "progress XLSX by default"
unzip -l "$W/p.xlsx" >/dev/null || fail "progress XLSX is not a zip"
bad admin GET "/api/reports/bulletin?period=2026-13" "" period
bad admin GET "/api/reports/bulletin?period=2026-01&format=pdf" "" format
bad admin GET "/api/reports/bulletin" "" period
bad admin GET "/api/reports/progress?period=2026-01&region=x" "" region

# --- OpenAPI and the audit log -------------------------------------------------
req - GET /api/openapi.json
want 200 openapi
jq -e '.paths["/api/stats"].get and .paths["/api/rectifications/{id}"].patch
	and .paths["/api/reports/bulletin"].get' "$W/body" >/dev/null || fail "compliance routes undocumented"
as admin GET "/api/audit?limit=1000"
want 200 audit
jq -e '[.items[] | select(.path == "/api/rectifications" and .method == "POST" and .status == 201
	and .user == "op")] | length == 1' "$W/body" >/dev/null || fail "the operator's item is not audited"
jq -e '[.items[] | select(.path == "/api/reviews" and .status == 403 and .user == "aud")] | length >= 1' \
	"$W/body" >/dev/null || fail "a refused write is not audited"

stop_serve
echo "api_compliance: ok"
