#!/usr/bin/env bash
# compliance_stats.sh - a register of 5,000 sites across province, city and
# county regions (sw_gen_register + import) with a compliance history
# (sw_gen_compliance: reviews, assessments, checks with findings,
# rectification items); every figure `stats --json` prints for several
# scopes is recomputed here with plain SQL through the sqlite3 shell; the
# bulletin's XLSX is read cell by cell with Python's zipfile + XML, its CSV
# counted, its HTML printed to PDF by headless Chromium and paged by
# pdfinfo; deadlines escalate exactly once with the clock set.
source "$(dirname "$0")/lib.bash"
export SITEWARDEN_NOW=2026-01-20
DB="$W/c.db"
TODAY=2026-01-20

"$GEN" --rows 5000 --seed 11 -o reg.csv
run 0 "$SW" --db "$DB" import reg.csv
run 0 "$SW_BIN/sw_gen_compliance" "$DB" --now $TODAY

q() { sqlite3 "$DB" "$1"; }

# check_scope NAME WHERE STATS-ARGS...: every figure against SQL.
check_scope() {
	local name=$1 where=$2
	shift 2
	run 0 "$SW" --db "$DB" stats --json "$@"
	cp "$W/out" "$W/stats-$name.json"
	local J="$W/stats-$name.json"
	local S="FROM sites s JOIN units u ON u.id = s.unit_id WHERE ($where)"
	local ACT="$S AND s.status <> 'closed'"
	local ON="$S AND s.status = 'online'"
	local LAST="LEFT JOIN site_state st ON st.site_id = s.id"
	has_kind() { echo "EXISTS (SELECT 1 FROM site_state x JOIN check_findings f ON f.check_id = x.last_check_id WHERE x.site_id = s.id AND f.kind IN ($1))"; }
	local MIS=$(has_kind "'compliance.icp_mismatch','compliance.psb_mismatch','compliance.site_code_mismatch'")
	local PAGE_ALL=$(has_kind "'compliance.icp_missing','compliance.psb_missing'")
	local PAGE_GOV=$(has_kind "'compliance.site_code_missing','compliance.badge_missing'")
	local REG="(coalesce(s.icp,'') = '' OR coalesce(s.psb,'') = '' OR (u.type = 'party_gov' AND (coalesce(s.gov_code,'') = '' OR coalesce(s.badge,0) = 0)))"
	local MISSING="NOT $MIS AND ($REG OR $PAGE_ALL OR (u.type = 'party_gov' AND $PAGE_GOV))"
	local G3="s.mlps_grade = 3" G45="s.mlps_grade >= 4"
	local OVER="s.mlps_assess_date IS NOT NULL AND (($G3 AND s.mlps_assess_date < date('$TODAY','-12 months')) OR ($G45 AND s.mlps_assess_date < date('$TODAY','-6 months')))"
	local SOON="s.mlps_assess_date IS NOT NULL AND NOT ($OVER) AND (($G3 AND s.mlps_assess_date <= date('$TODAY','+30 days','-12 months')) OR ($G45 AND s.mlps_assess_date <= date('$TODAY','+30 days','-6 months')))"
	local RI="FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id JOIN sites s ON s.id = i.site_id JOIN units u ON u.id = s.unit_id WHERE ($where) AND s.status <> 'closed'"
	local RT="FROM rectifications r JOIN sites s ON s.id = r.site_id JOIN units u ON u.id = s.unit_id WHERE ($where)"
	# Incidents: detection = the earliest of the opening and the linked
	# alerts' first sightings (deadline alerts aside), recovery = the first
	# "recovered" step; p90 by nearest rank.
	local IB="incidents i JOIN sites s ON s.id = i.site_id JOIN units u ON u.id = s.unit_id WHERE ($where)"
	local DET="MIN(i.opened_at, COALESCE((SELECT MIN(a.first_seen) FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id AND a.kind NOT LIKE 'incident.%'), i.opened_at))"
	local REC="(SELECT MIN(x.at) FROM incident_steps x WHERE x.incident_id = i.id AND x.step = 'recovered')"
	local D="WITH d AS (SELECT MAX($REC - $DET, 0) AS x FROM $IB AND $REC IS NOT NULL)"
	local FK="(SELECT substr(a.kind, 1, instr(a.kind, '.') - 1) FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id AND a.kind NOT LIKE 'incident.%' ORDER BY a.id LIMIT 1)"
	local OF="FROM site_state st JOIN check_findings f ON f.check_id = st.last_check_id JOIN sites s ON s.id = st.site_id JOIN units u ON u.id = s.unit_id WHERE ($where)"
	local pairs=(
		".sites.total" "SELECT COUNT(*) $S"
		".sites.by_status.online" "SELECT COUNT(*) $ON"
		".sites.by_status.suspended" "SELECT COUNT(*) $S AND s.status = 'suspended'"
		".sites.by_status[\"pre-launch\"]" "SELECT COUNT(*) $S AND s.status = 'pre-launch'"
		".reviews.items" "SELECT COUNT(*) $RI"
		".reviews.decided" "SELECT COUNT(*) $RI AND i.decision IS NOT NULL"
		".reviews.rejected" "SELECT COUNT(*) $RI AND i.decision = 'rejected'"
		".reviews.overdue" "SELECT COUNT(*) $RI AND i.decision IS NULL AND c.deadline < '$TODAY'"
		".reviews.tasks_open" "SELECT COUNT(*) FROM review_tasks t JOIN sites s ON s.id = t.site_id JOIN units u ON u.id = s.unit_id WHERE ($where) AND t.status = 'open'"
		".identification.sites" "SELECT COUNT(*) $ON"
		".identification.mismatch" "SELECT COUNT(*) $ON AND $MIS"
		".identification.missing" "SELECT COUNT(*) $ON AND $MISSING"
		".identification.complete" "SELECT COUNT(*) $ON AND NOT $MIS AND NOT ($MISSING)"
		".identification.unchecked" "SELECT COUNT(*) FROM sites s JOIN units u ON u.id = s.unit_id $LAST WHERE ($where) AND s.status = 'online' AND st.site_id IS NULL"
		".mlps.sites" "SELECT COUNT(*) $ACT"
		".mlps.graded" "SELECT COUNT(*) $ACT AND s.mlps_grade IS NOT NULL"
		".mlps.filed" "SELECT COUNT(*) $ACT AND s.mlps_grade >= 2 AND coalesce(s.mlps_filing_no,'') <> ''"
		".mlps.never_assessed" "SELECT COUNT(*) $ACT AND s.mlps_grade >= 3 AND s.mlps_assess_date IS NULL"
		".mlps.overdue" "SELECT COUNT(*) $ACT AND $OVER"
		".mlps.due_soon" "SELECT COUNT(*) $ACT AND $SOON"
		".mlps.assessed_on_time" "SELECT COUNT(*) $ACT AND s.mlps_grade >= 3 AND s.mlps_assess_date IS NOT NULL AND NOT ($OVER)"
		".findings.open" "SELECT COUNT(*) $OF"
		".findings.by_severity.critical" "SELECT COUNT(*) $OF AND f.severity = 'critical'"
		".findings.by_kind.compliance" "SELECT COUNT(*) $OF AND f.kind LIKE 'compliance.%'"
		".findings.by_kind.exposure" "SELECT COUNT(*) $OF AND f.kind LIKE 'exposure.%'"
		".rectification.total" "SELECT COUNT(*) $RT"
		".rectification.overdue" "SELECT COUNT(*) $RT AND r.status = 'overdue'"
		".rectification.by_status.fixed" "SELECT COUNT(*) $RT AND r.status = 'fixed'"
		".rectification.by_status.open" "SELECT COUNT(*) $RT AND r.status = 'open'"
		".incidents.total" "SELECT COUNT(*) FROM $IB"
		".incidents.open" "SELECT COUNT(*) FROM $IB AND i.state = 'open'"
		".incidents.closed" "SELECT COUNT(*) FROM $IB AND i.state = 'closed'"
		".incidents.major" "SELECT COUNT(*) FROM $IB AND i.major = 1"
		".incidents.by_kind.defacement" "SELECT COUNT(*) FROM $IB AND $FK = 'defacement'"
		".incidents.by_kind.darklink" "SELECT COUNT(*) FROM $IB AND $FK = 'darklink'"
		".incidents.by_kind.agent" "SELECT COUNT(*) FROM $IB AND $FK = 'agent'"
		".incidents.by_kind.manual" "SELECT COUNT(*) FROM $IB AND $FK IS NULL"
		".incidents.recovered" "SELECT COUNT(*) FROM $IB AND $REC IS NOT NULL"
		".incidents.detect_to_recover_mean_s" "$D SELECT COALESCE(CAST(ROUND(AVG(x)) AS INTEGER), 'null') FROM d"
		".incidents.detect_to_recover_p90_s" "$D, r AS (SELECT x, ROW_NUMBER() OVER (ORDER BY x) AS rn, COUNT(*) OVER () AS n FROM d) SELECT COALESCE((SELECT x FROM r WHERE rn * 10 >= n * 9 ORDER BY rn LIMIT 1), 'null')"
		".incidents.closed_with_open_items" "SELECT COUNT(*) FROM $IB AND i.state = 'closed' AND EXISTS (SELECT 1 FROM rectifications r WHERE r.source = 'incident' AND r.source_ref = 'incident:' || i.id AND r.status IN ('open', 'in_progress', 'overdue'))"
	)
	local i n=0
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		eq "$(jq -r "${pairs[i]}" "$J")" "$(q "${pairs[i+1]}")" "$name ${pairs[i]}"
		n=$((n + 1))
	done
	eq "$(jq -r .incidents.tracked "$J")" "true" "$name incidents tracked"
	echo "$name: $n figures match (sites $(jq .sites.total "$J"))"
}

check_scope all "1 = 1"
# the fixture must hold enough incidents for the figures to mean something
[ "$(jq .incidents.recovered "$W/stats-all.json")" -ge 50 ] || fail "fixture: too few recovered incidents"
[ "$(jq .incidents.closed_with_open_items "$W/stats-all.json")" -ge 3 ] || fail "fixture: no closed incident with an open item"
[ "$(q "SELECT COUNT(*) FROM (SELECT incident_id FROM incident_steps WHERE step = 'recovered' GROUP BY incident_id HAVING COUNT(*) > 1)")" -ge 1 ] ||
	fail "fixture: no incident recorded recovered twice"
[ "$(q "SELECT COUNT(*) FROM incidents i WHERE i.opened_at > (SELECT MIN(a.first_seen) FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id)")" -ge 10 ] ||
	fail "fixture: no incident opened after its alert was first seen"
check_scope zhejiang "u.region LIKE '33%'" --region 330000
check_scope hangzhou "u.region LIKE '3301%'" --region 330100
check_scope county "u.region = '330106'" --region 330106
check_scope party_gov "u.type = 'party_gov'" --unit-type 党政机关
GID=$(q "SELECT group_id FROM sites WHERE group_id IS NOT NULL GROUP BY group_id ORDER BY COUNT(*) DESC LIMIT 1")
check_scope group "s.group_id = $GID" --group "$GID"
DID=$(q "SELECT d.id FROM departments d WHERE EXISTS (SELECT 1 FROM departments c WHERE c.parent_id = d.id) LIMIT 1")
if [ -n "$DID" ]; then
	check_scope dept "u.dept_id IN (WITH RECURSIVE t(id) AS (SELECT $DID UNION SELECT d.id FROM departments d JOIN t ON d.parent_id = t.id) SELECT id FROM t)" --dept "$DID"
fi

# ---- the bulletin: rows = (site, kind) pairs of medium+ findings in January
FROM=$(q "SELECT CAST(strftime('%s','2026-01-01') AS INTEGER) - 28800")
TO=$(q "SELECT CAST(strftime('%s','2026-02-01') AS INTEGER) - 28800")
want=$(q "SELECT COUNT(*) FROM (SELECT c.site_id, f.kind FROM checks c JOIN check_findings f ON f.check_id = c.id JOIN sites s ON s.id = c.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%' AND c.checked_at >= $FROM AND c.checked_at < $TO AND f.severity IN ('medium','high','critical') GROUP BY c.site_id, f.kind)")
[ "$want" -gt 20 ] || fail "fixture too thin: $want bulletin rows"
# ... plus the incidents detected in the period (same definition as stats)
DETG="MIN(i.opened_at, COALESCE((SELECT MIN(a.first_seen) FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id AND a.kind NOT LIKE 'incident.%'), i.opened_at))"
RECG="(SELECT MIN(x.at) FROM incident_steps x WHERE x.incident_id = i.id AND x.step = 'recovered')"
ZJI="FROM incidents i JOIN sites s ON s.id = i.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%'"
winc=$(q "SELECT COUNT(*) $ZJI AND $DETG >= $FROM AND $DETG < $TO")
[ "$winc" -ge 2 ] || fail "fixture too thin: $winc incidents in the bulletin"
PAIRS=$want
want=$((want + winc))
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.xlsx
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.csv
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.html
eq "$(head -c3 b.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV BOM"
eq "$(($(wc -l <b.csv) - 1))" "$want" "bulletin CSV rows"
eq "$(grep -c '^[0-9]*,[^,]*,[^,]*,[^,]*,[^,]*,安全事件(' b.csv)" "$winc" "bulletin incident rows"
# the incident lines: site, detection date and status each as SQL says
q "SELECT s.name || '|' || date($DETG + 28800, 'unixepoch') || '|' || CASE WHEN i.state = 'closed' THEN '已结案' WHEN $RECG IS NOT NULL THEN '已恢复' ELSE '处置中' END $ZJI AND $DETG >= $FROM AND $DETG < $TO ORDER BY 1" >inc-want.txt
python3 - "$W/b.csv" >inc-got.txt <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
out = sorted("%s|%s|%s" % (r[2], r[7], r[8]) for r in rows if r[5].startswith("安全事件("))
print("\n".join(out))
PY
diff inc-want.txt inc-got.txt >/dev/null || { diff inc-want.txt inc-got.txt | head; fail "bulletin incident lines differ from SQL"; }
echo "bulletin: $winc incident lines match SQL"
# One site's lines, from SQL, must be the lines of the report.
SITE=$(q "SELECT c.site_id FROM checks c JOIN check_findings f ON f.check_id = c.id JOIN sites s ON s.id = c.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%' AND c.checked_at >= $FROM AND f.severity = 'medium' ORDER BY c.site_id LIMIT 1")
SNAME=$(q "SELECT name FROM sites WHERE id = $SITE")
UNAME=$(q "SELECT u.name FROM sites s JOIN units u ON u.id = s.unit_id WHERE s.id = $SITE")
NK=$(q "SELECT COUNT(DISTINCT f.kind) FROM checks c JOIN check_findings f ON f.check_id = c.id WHERE c.site_id = $SITE AND c.checked_at >= $FROM AND c.checked_at < $TO AND f.severity IN ('medium','high','critical')")
python3 - "$W/b.xlsx" "$want" "$SNAME" "$UNAME" "$NK" <<'PY'
import sys, zipfile, re
import xml.etree.ElementTree as ET
path, want, sname, uname, nk = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(path)
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
rows = {}
for c in sheet.iter("{%s}c" % ns["m"]):
    ref = c.get("r"); col = re.match(r"[A-Z]+", ref).group(0); row = int(ref[len(col):])
    v = c.find("m:v", ns)
    if v is None:
        is_ = c.find("m:is", ns)
        val = "".join(t.text or "" for t in is_.iter("{%s}t" % ns["m"])) if is_ is not None else ""
    elif c.get("t") == "s":
        val = shared[int(v.text)]
    else:
        val = v.text
    rows.setdefault(row, {})[col] = val
head = [rows[3][k] for k in "ABCDEFGHI"]
assert head == ["序号", "行政区划", "网站名称", "网址", "主办单位", "问题", "严重程度", "发现日期", "整改状态"], head
data = [rows[r] for r in sorted(rows) if r > 3]
assert len(data) == want, (len(data), want)
for i, r in enumerate(data):
    assert float(r["A"]) == i + 1, ("serial", i, r["A"])
    assert r["H"].startswith("2026-01-"), r
    assert r["I"] in ("待整改", "整改中", "已整改", "已验证", "已逾期", "未整改", "已消除", "已结案", "已恢复", "处置中"), r
mine = [r for r in data if r["C"] == sname]
assert len(mine) >= nk and all(r["E"] == uname for r in mine), (sname, len(mine), nk)
regions = [r["B"] for r in data]
assert all(regions), "every row names its region"
# frozen header row: a pane below row 3
assert b'ySplit="3"' in z.read("xl/worksheets/sheet1.xml"), "header row not frozen"
print("xlsx: %d rows checked cell by cell" % len(data))
PY
# ---- the printable HTML: one page break per province after the first
run 0 "$SW" --db "$DB" report bulletin --period 2026-01 -o all.html
provs=$(q "SELECT COUNT(DISTINCT substr(u.region,1,2)) FROM checks c JOIN check_findings f ON f.check_id = c.id JOIN sites s ON s.id = c.site_id JOIN units u ON u.id = s.unit_id WHERE c.checked_at >= $FROM AND c.checked_at < $TO AND f.severity IN ('medium','high','critical')")
eq "$(grep -c 'class="newpage"' all.html)" "$((provs - 1))" "page breaks in the HTML"
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--user-data-dir="$W/chrome" --print-to-pdf="$W/all.pdf" "file://$W/all.html" >/dev/null 2>&1 ||
	fail "chromium could not print the bulletin"
pages=$(pdfinfo all.pdf | awk '/^Pages:/ {print $2}')
[ "$pages" -ge "$provs" ] || fail "PDF has $pages pages for $provs provinces"
pdfinfo all.pdf | grep -q "A4\|841.89 x 595.28\|595.28 x 841.89" || fail "PDF pages are not A4"
echo "pdf: $pages pages for $provs provinces"
# ---- the progress report's current figures are the stats' figures
run 0 "$SW" --db "$DB" report progress --region 330000 --period 2026-01 -o p.csv
eq "$(grep '^现状,网站总数,' p.csv | cut -d, -f3)" "$(jq .sites.total "$W/stats-zhejiang.json")" "progress total"
eq "$(grep '^现状,逾期整改项,' p.csv | cut -d, -f3)" "$(jq .rectification.overdue "$W/stats-zhejiang.json")" "progress overdue items"
want=$(q "SELECT COUNT(*) FROM rectifications r JOIN sites s ON s.id = r.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%' AND r.created_at >= $FROM AND r.created_at < $TO")
eq "$(grep '^本期工作,新增整改项,' p.csv | cut -d, -f3)" "$want" "progress items opened this period"
# the incidents of the period and of the previous one (December)
PFROM=$(q "SELECT CAST(strftime('%s','2025-12-01') AS INTEGER) - 28800")
inc_row() { grep "^应急处置,$1," p.csv | cut -d, -f"$2"; }
for per in "3 $FROM $TO" "4 $PFROM $FROM"; do
	set -- $per
	IN="$ZJI AND $DETG >= $2 AND $DETG < $3"
	eq "$(inc_row '安全事件(起)' "$1")" "$(q "SELECT COUNT(*) $IN")" "progress incidents (column $1)"
	eq "$(inc_row '已恢复(起)' "$1")" "$(q "SELECT COUNT(*) $IN AND $RECG IS NOT NULL")" "progress recovered (column $1)"
	eq "$(inc_row '重大事件(起)' "$1")" "$(q "SELECT COUNT(*) $IN AND i.major = 1")" "progress major (column $1)"
	D="WITH d AS (SELECT MAX($RECG - $DETG, 0) AS x $IN AND $RECG IS NOT NULL), r AS (SELECT x, ROW_NUMBER() OVER (ORDER BY x) AS rn, COUNT(*) OVER () AS n FROM d)"
	mean=$(q "$D SELECT CAST(ROUND(AVG(x)) AS INTEGER) FROM d")
	p90=$(q "$D SELECT x FROM r WHERE rn * 10 >= n * 9 ORDER BY rn LIMIT 1")
	[ -n "$mean" ] || fail "fixture: no recovered incident in the period (column $1)"
	eq "$(inc_row '发现至恢复平均用时(小时)' "$1")" "$(awk -v s="$mean" 'BEGIN { printf "%.1f", s / 3600 }')" "progress mean hours (column $1)"
	eq "$(inc_row '发现至恢复90%用时(小时)' "$1")" "$(awk -v s="$p90" 'BEGIN { printf "%.1f", s / 3600 }')" "progress p90 hours (column $1)"
done
eq "$(grep '^现状,未结案安全事件,' p.csv | cut -d, -f3)" "$(jq .incidents.open "$W/stats-zhejiang.json")" "progress open incidents"
echo "progress: incident rows of both periods match SQL"
# every other figure of the progress report: the current ones against
# stats, the period's activity against SQL
ZJ="JOIN sites s ON s.id = X.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%'"
J="$W/stats-zhejiang.json"
prow() { grep "^$1,$2," p.csv | cut -d, -f3; }
for pair in "网站总数|.sites.total" "在线网站|.sites.by_status.online" "审核已完成(站次)|.reviews.decided" \
	"审核逾期未完成|.reviews.overdue" "标识完整网站|.identification.complete" "已定级网站|.mlps.graded" \
	"已备案网站|.mlps.filed" "按期测评网站|.mlps.assessed_on_time" "测评逾期网站|(.mlps.overdue + .mlps.never_assessed)" \
	"未关闭问题|.findings.open" "逾期整改项|.rectification.overdue" "未结案安全事件|.incidents.open" \
	"已结案但整改未完成事件|.incidents.closed_with_open_items"; do
	eq "$(prow 现状 "${pair%%|*}")" "$(jq "${pair#*|}" "$J")" "progress 现状 ${pair%%|*}"
done
eq "$(prow 现状 审核完成率)" "$(jq -r '.reviews.completion * 100 | . * 100 | round / 100 | tostring' "$J" | awk '{ printf "%.2f%%", $1 }')" "progress review completion"
INR="c.checked_at >= $FROM AND c.checked_at < $TO AND f.severity IN ('medium','high','critical')"
for pair in \
	"完成审核(站次)|SELECT COUNT(*) FROM review_items X $ZJ AND X.decision IS NOT NULL AND X.decided_at >= $FROM AND X.decided_at < $TO" \
	"等保测评(次)|SELECT COUNT(*) FROM mlps_assessments X $ZJ AND X.assess_date >= '2026-01-01' AND X.assess_date < '2026-02-01'" \
	"发现问题网站|SELECT COUNT(DISTINCT c.site_id) FROM checks c JOIN check_findings f ON f.check_id = c.id JOIN sites s ON s.id = c.site_id JOIN units u ON u.id = s.unit_id WHERE u.region LIKE '33%' AND $INR" \
	"发现问题(项)|SELECT $PAIRS" \
	"完成整改项|SELECT COUNT(*) FROM rectifications X $ZJ AND X.fixed_at >= $FROM AND X.fixed_at < $TO" \
	"验证通过整改项|SELECT COUNT(*) FROM rectifications X $ZJ AND X.verified_at >= $FROM AND X.verified_at < $TO" \
	"逾期升级整改项|SELECT COUNT(*) FROM rectifications X $ZJ AND X.escalated_at >= $FROM AND X.escalated_at < $TO"; do
	eq "$(prow 本期工作 "${pair%%|*}")" "$(q "${pair#*|}")" "progress 本期工作 ${pair%%|*}"
done
echo "progress: every figure matches stats or SQL"

# ---- the API prints the same statistics for the same scopes
source "$SW_SRC/tests/integration/server_lib.bash"
export SITEWARDEN_DB="$DB"
printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"
for pair in "all|" "zhejiang|?region=330000" "hangzhou|?region=330100" "county|?region=330106" \
	"party_gov|?unit_type=party_gov" "group|?group=$GID"; do
	req "$W/admin.jar" GET "/api/stats${pair#*|}"
	want 200 "/api/stats${pair#*|}"
	eq "$(jq -S . "$W/body")" "$(jq -S . "$W/stats-${pair%%|*}.json")" "/api/stats${pair#*|} against the SQL-checked stats"
done
echo "api: /api/stats equals the checked figures for 6 scopes"
echo "compliance_stats: ok"
