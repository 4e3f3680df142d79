#!/usr/bin/env bash
# api_register.sh - the register and monitoring API through real HTTP on
# 127.0.0.1, for each role: what an administrator, a supervisor with a
# region, a supervisor with a department, an operator and an auditor may
# see (lists, counts, gets, the overview) and change, and what is refused
# (404 for reads out of scope, 403 for writes); malformed input (bad JSON,
# wrong types, unknown fields, oversized bodies, SQL and script injection
# in every text field) answered 4xx with nothing changed; the CSV import
# all or nothing with its row/column problems.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

db_n() { sqlite3 "$SITEWARDEN_DB" "$1"; }

# --- a register: the 40-site sample and a department tree -----------------
run 0 "$SW" import "$SW_SRC/data/sample-register.csv"
BJ=$(db_n "select count(*) from sites s join units u on u.id = s.unit_id where u.region >= '110000' and u.region < '120000'")
ALL=$(db_n "select count(*) from sites")
[ "$BJ" -gt 0 ] && [ "$BJ" -lt "$ALL" ] || fail "sample register has no Beijing sites"
# A department with a child; one unit outside Beijing moves under the child.
run 0 "$SW" dept add --name 上级网信办 --kind 网信 --region 440000 --json
TOP=$(jq .id "$W/out")
run 0 "$SW" dept add --name 下级网信办 --kind 网信 --region 440100 --parent "$TOP" --json
CHILD=$(jq .id "$W/out")
OUT_UNIT=$(db_n "select id from units where region not like '11%' order by id limit 1")
run 0 "$SW" unit edit "$OUT_UNIT" --department "$CHILD"
DEPT_SITES=$(db_n "select count(*) from sites where unit_id = $OUT_UNIT")
[ "$DEPT_SITES" -gt 0 ] || fail "unit $OUT_UNIT has no sites"
BJ_SITE=$(db_n "select s.id from sites s join units u on u.id = s.unit_id where u.region like '11%' order by s.id limit 1")
BJ_UNIT=$(db_n "select unit_id from sites where id = $BJ_SITE")
OTHER_SITE=$(db_n "select s.id from sites s join units u on u.id = s.unit_id where u.region not like '11%' and s.unit_id <> $OUT_UNIT order by s.id limit 1")
OP_SITES=$(db_n "select count(*) from sites where unit_id = $BJ_UNIT")

printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'supr-pass-12\n' | run 0 "$SW" user add --name supr --role supervisor --region 110000
printf 'supd-pass-12\n' | run 0 "$SW" user add --name supd --role supervisor --dept "$TOP"
printf 'oper-pass-12\n' | run 0 "$SW" user add --name oper --role operator --unit "$BJ_UNIT"
printf 'audi-pass-12\n' | run 0 "$SW" user add --name audi --role auditor

start_serve --no-probe
declare -A CS
for u in admin:admin-pass-1 supr:supr-pass-12 supd:supd-pass-12 oper:oper-pass-12 audi:audi-pass-12; do
	login "${u%%:*}" "${u#*:}" "$W/${u%%:*}.jar"
	CS[${u%%:*}]=$CSRF
done
# as USER METHOD PATH [BODY] [CURL ARGS]: a request as USER with its CSRF.
as() {
	local u=$1 m=$2 p=$3 b=${4-}
	shift 3
	[ $# -gt 0 ] && shift
	req "$W/$u.jar" "$m" "$p" "$b" -H "X-CSRF-Token: ${CS[$u]}" "$@"
}

# --- what each role sees ----------------------------------------------------
for spec in "admin:$ALL" "audi:$ALL" "supr:$BJ" "supd:$DEPT_SITES" "oper:$OP_SITES"; do
	u=${spec%%:*}
	as "$u" GET "/api/sites?limit=1000"
	want 200 "$u lists sites"
	eq "$(jq .total "$W/body")" "${spec#*:}" "$u's site total"
	eq "$(jq '.items | length' "$W/body")" "${spec#*:}" "$u's site items"
	as "$u" GET /api/overview
	want 200 "$u's overview"
	eq "$(jq .sites.total "$W/body")" "${spec#*:}" "$u's overview total"
	jq -e '(.trend | length) == 30 and (.overdue | has("alerts")) and (.by_region | type) == "array"' \
		"$W/body" >/dev/null || fail "$u's overview shape"
done
as supr GET "/api/sites/$BJ_SITE"
want 200 "supervisor reads a site of its region"
jq -e '.state and (.persons | type) == "array" and .policy' "$W/body" >/dev/null || fail "site detail shape"
for u in supr oper supd; do
	as "$u" GET "/api/sites/$OTHER_SITE"
	want 404 "$u reads a site out of scope"
	as "$u" GET "/api/sites/$OTHER_SITE/checks"
	want 404 "$u reads checks out of scope"
	as "$u" GET "/api/sites/$OTHER_SITE/diff"
	want 404 "$u reads a diff out of scope"
done
as supd GET "/api/depts?limit=1000"
want 200 "department supervisor lists departments"
eq "$(jq '[.items[].id] | sort' -c "$W/body")" "[$TOP,$CHILD]" "its department subtree"
as oper GET "/api/units?limit=1000"
eq "$(jq '[.items[].id]' -c "$W/body")" "[$BJ_UNIT]" "operator's units"
as admin GET /api/sites/999999
want 404 "absent site"
as admin GET /api/sites/abc
want 404 "non-numeric id"

# --- what each role may change -------------------------------------------
before=$(db_n "select group_concat(name) from sites")
as audi PUT "/api/sites/$BJ_SITE" '{"note": "auditor"}'
want 403 "auditor edits"
as oper POST /api/sites '{"name": "x", "url": "https://op.example.gov.cn/", "unit": '"$BJ_UNIT"'}'
want 403 "operator adds a site"
as oper DELETE "/api/sites/$BJ_SITE"
want 403 "operator removes a site"
as oper PUT "/api/sites/$OTHER_SITE" '{"note": "not mine"}'
want 403 "operator edits another unit's site"
as supr PUT "/api/sites/$OTHER_SITE" '{"note": "not mine"}'
want 403 "region supervisor edits a site out of scope"
as supr DELETE "/api/sites/$OTHER_SITE"
want 403 "region supervisor removes a site out of scope"
as supr PUT "/api/sites/$BJ_SITE" '{"unit": '"$OUT_UNIT"'}'
want 403 "region supervisor moves a site out of its scope"
as supd POST /api/depts '{"name": "新部门", "region": "440000"}'
want 403 "supervisor adds a department"
eq "$(db_n "select group_concat(name) from sites")" "$before" "refused writes changed nothing"
eq "$(db_n "select unit_id from sites where id = $BJ_SITE")" "$BJ_UNIT" "site stayed in its unit"
as oper PUT "/api/sites/$BJ_SITE" '{"note": "运营者备注"}'
want 200 "operator edits its site"
eq "$(jq -r .note "$W/body")" "运营者备注" "operator's note"
as supr POST /api/sites '{"name": "京区新站", "url": "https://new.bj.example.gov.cn/", "unit": '"$BJ_UNIT"', "domains": ["m.new.bj.example.gov.cn"]}'
want 201 "region supervisor adds a site in its region"
NEW=$(jq .id "$W/body")
eq "$(jq -c .domains "$W/body")" '["m.new.bj.example.gov.cn"]' "list field as an array"
as supd POST /api/sites '{"name": "越界", "url": "https://x.bj.example.gov.cn/", "unit": '"$BJ_UNIT"'}'
want 403 "department supervisor adds a site outside its departments"
eq "$(db_n "select count(*) from sites where url = 'https://x.bj.example.gov.cn/'")" 0 "no row left behind"
as supr POST /api/sites '{"name": "dup", "url": "https://new.bj.example.gov.cn/", "unit": '"$BJ_UNIT"'}'
want 409 "duplicate URL"
eq "$(jq -r .field "$W/body")" url "the clashing field"
as oper POST /api/persons '{"name": "赵六", "role": "security", "unit": '"$BJ_UNIT"', "sites": ['"$BJ_SITE"']}'
want 201 "operator adds a person of its unit"
eq "$(db_n "select count(*) from site_persons sp join persons p on p.id = sp.person_id where sp.site_id = $BJ_SITE and p.name = '赵六'")" 1 "linked"
as oper POST /api/persons '{"name": "钱七", "role": "security", "unit": '"$OUT_UNIT"'}'
want 403 "operator adds a person of another unit"
as supr DELETE "/api/sites/$NEW"
want 200 "region supervisor removes its site"
as admin DELETE "/api/units/$BJ_UNIT"
want 409 "a unit still referenced"

# --- malformed input: 4xx and no change ----------------------------------
snap() { db_n "select count(*), total(length(name)), total(length(coalesce(note,''))) from sites"; }
before=$(snap)
as admin POST /api/sites '{"name": "x", "url": '
want 400 "malformed JSON"
as admin POST /api/sites '["not", "an", "object"]'
want 400 "array body"
as admin POST /api/sites '{"name": 5, "url": "https://t1.example.gov.cn/", "unit": 1}'
want 400 "number for a text field"
eq "$(jq -r .field "$W/body")" name "wrong type names the field"
as admin POST /api/sites '{"name": "x", "url": "https://t2.example.gov.cn/", "unit": 1, "badge": "maybe"}'
want 400 "bad boolean"
as admin POST /api/sites '{"name": "x", "url": "https://t3.example.gov.cn/", "unit": 1, "mlps_grade": 2.5}'
want 400 "real for an integer"
as admin POST /api/sites '{"name": "x", "url": "https://t4.example.gov.cn/", "unit": 1, "colour": "red"}'
want 400 "unknown field"
as admin POST /api/sites '{"name": "x", "url": "https://t5.example.gov.cn/", "unit": 999999}'
want 400 "reference to nothing"
as admin POST /api/sites '{"url": "https://t6.example.gov.cn/", "unit": 1}'
want 400 "required field missing"
as admin POST /api/sites '{"name": "x", "url": "https://t7.example.gov.cn/", "unit": 1, "domains": [1, 2]}'
want 400 "list of numbers"
as admin PUT "/api/sites/$BJ_SITE" '{"name": "'"$(head -c 3000 /dev/zero | tr '\0' a)"'"}'
want 400 "value over the register's limit"
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$W/big.json"
as admin POST /api/sites "@$W/big.json"
want 413 "oversized body"
as admin GET "/api/sites?limit=5000"
want 400 "limit over 1000"
as admin GET "/api/sites?region=11'--"
want 400 "bad region filter"
as admin GET "/api/sites?up=perhaps"
want 400 "bad up filter"
as admin GET "/api/sites?severity=urgent"
want 400 "bad severity filter"
# Script injection in every text field: refused, nothing stored.
as admin GET "/api/sites/$BJ_SITE"
want 200 "the site's fields"
fields=$(jq -r 'to_entries[] | select(.value | type == "string" or type == "null") | .key' "$W/body")
[ "$(echo "$fields" | wc -l)" -gt 15 ] || fail "too few text fields: $fields"
for f in $fields; do
	case "$f" in created_at | updated_at | *_name) continue ;; esac
	as admin PUT "/api/sites/$BJ_SITE" "$(jq -cn --arg f "$f" '{($f): "<script>alert(1)</script>"}')"
	case "$CODE" in 4??) ;; *) fail "script in $f answered $CODE" ;; esac
done
for f in name note address; do
	as admin PUT "/api/units/$BJ_UNIT" "$(jq -cn --arg f "$f" '{($f): "<img src=x onerror=alert(1)>"}')"
	want 400 "markup in unit $f"
done
eq "$(snap)" "$before" "bad input changed nothing"
eq "$(db_n "select count(*) from sites where name like '%<%' or note like '%<%'")" 0 "no markup stored"
# SQL injection: bound parameters, never SQL.  Validated fields refuse it;
# free text keeps it verbatim as text and nothing else changes.
SQLI="x'); DROP TABLE sites; --"
for f in url icp psb gov_code launch_date mlps_grade status hosting; do
	as admin PUT "/api/sites/$BJ_SITE" "$(jq -cn --arg f "$f" --arg v "$SQLI" '{($f): $v}')"
	want 400 "SQL in $f"
done
eq "$(snap)" "$before" "SQL in validated fields changed nothing"
as admin PUT "/api/sites/$BJ_SITE" "$(jq -cn --arg v "$SQLI" '{note: $v}')"
want 200 "SQL text in a free-text note"
eq "$(db_n "select note from sites where id = $BJ_SITE")" "$SQLI" "stored verbatim"
eq "$(db_n "select count(*) from sites")" "$ALL" "the sites table is intact"
as admin GET "/api/sites?q=$(jq -rn --arg v "' OR 1=1 --" '$v|@uri')"
want 200 "SQL in a search"
eq "$(jq .total "$W/body")" 0 "a search is literal"

# --- import: all or nothing with row and column --------------------------
"$GEN" --rows 5 --bad-row 3 --bad-column credit_code -o "$W/bad.csv"
as admin POST /api/import "@$W/bad.csv" -H 'Content-Type: text/csv'
want 400 "import with a bad row"
eq "$(jq '.problems[0].row' "$W/body")" 3 "problem row"
jq -e '.problems[0].column | test("credit|信用")' "$W/body" >/dev/null || fail "problem column"
eq "$(db_n "select count(*) from sites")" "$ALL" "nothing imported"
"$GEN" --rows 5 --seed 9 -o "$W/good.csv"
as supr POST /api/import "@$W/good.csv" -H 'Content-Type: text/csv'
want 403 "supervisor imports"
as admin POST "/api/import?dry_run=1" "@$W/good.csv" -H 'Content-Type: text/csv'
want 200 "dry run"
eq "$(db_n "select count(*) from sites")" "$ALL" "dry run wrote nothing"
as admin POST /api/import "@$W/good.csv" -H 'Content-Type: text/csv'
want 200 "import"
eq "$(jq .imported.sites "$W/body")" 5 "imported sites"
as admin POST /api/import "@$W/good.csv" -H 'Content-Type: application/octet-stream'
want 415 "import of the wrong type"

stop_serve
echo "api_register: ok"
