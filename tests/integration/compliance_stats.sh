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
	)
	local i n=0
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		eq "$(jq -r "${pairs[i]}" "$J")" "$(q "${pairs[i+1]}")" "$name ${pairs[i]}"
		n=$((n + 1))
	done
	eq "$(jq -r .incidents.note "$J")" "incidents: not tracked yet" "$name incidents"
	echo "$name: $n figures match (sites $(jq .sites.total "$J"))"
}

check_scope all "1 = 1"
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
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.xlsx
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.csv
run 0 "$SW" --db "$DB" report bulletin --region 330000 --period 2026-01 -o b.html
eq "$(head -c3 b.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV BOM"
eq "$(($(wc -l <b.csv) - 1))" "$want" "bulletin CSV rows"
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
    assert r["I"] in ("待整改", "整改中", "已整改", "已验证", "已逾期", "未整改", "已消除"), r
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
echo "compliance_stats: ok"
