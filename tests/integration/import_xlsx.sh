#!/usr/bin/env bash
# import_xlsx.sh - `sitewarden import FILE.xlsx` and POST /api/import of a
# workbook, as users do it:
#  - round trip: export -o r.xlsx, import r.xlsx into an empty register,
#    export both to CSV: byte for byte the same (also for --english);
#  - the same workbook re-typed the way Excel users type (identifiers and
#    codes as numbers, dates as date-formatted serial numbers) imports to
#    the same register;
#  - one bad cell (a wrong credit-code check character in row 7): nothing
#    imported, the spreadsheet row and column named;
#  - format by content (a workbook called .dat), --sheet, a CSV that claims
#    to be a workbook;
#  - the API: an XLSX upload through a real `sitewarden serve --no-probe`,
#    the bad one answered 400 with the row and cell.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"
command -v python3 >/dev/null || fail "python3 is not installed"

# retype.py IN OUT [--bad-row N]: rewrites the first sheet of an exported
# workbook as Excel users type: cells of 1-15 digits (no leading zero)
# become numbers, YYYY-MM-DD cells become serial numbers styled as dates
# (built-in format 14); with --bad-row N the credit code of spreadsheet row
# N gets a wrong check character.  Prints the credit-code column's letters.
cat >retype.py <<'PY'
import datetime, re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
bad = int(sys.argv[4]) if len(sys.argv) > 4 else 0
zin = zipfile.ZipFile(src)
parts = {n: zin.read(n) for n in zin.namelist()}
styles = parts["xl/styles.xml"].decode()
xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
date_xf = len(re.findall(r"<xf ", xfs.group(1)))
styles = styles.replace("</cellXfs>", '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" '
                        'xfId="0" applyNumberFormat="1"/></cellXfs>')
parts["xl/styles.xml"] = re.sub(r'<cellXfs count="\d+"', '<cellXfs count="%d"' % (date_xf + 1),
                                styles).encode()
sheet = parts["xl/worksheets/sheet1.xml"].decode()
cell = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*) t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>')
code_col = [m.group(1) for m in cell.finditer(sheet) if m.group(2) == "1" and m.group(4) == "统一社会信用代码"][0]
def fix(m):
    col, row, attrs, text = m.groups()
    if int(row) == bad and col == code_col:
        text = text[:-1] + ("1" if text[-1] == "0" else "0")
        return '<c r="%s%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (col, row, attrs, text)
    if row == "1":
        return m.group(0)
    if re.fullmatch(r"[1-9]\d{0,14}", text):
        return '<c r="%s%s"%s><v>%s</v></c>' % (col, row, attrs, text)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        d = datetime.date.fromisoformat(text) - datetime.date(1899, 12, 30)
        attrs = re.sub(r' s="\d+"', "", attrs)
        return '<c r="%s%s"%s s="%d"><v>%d</v></c>' % (col, row, attrs, date_xf, d.days)
    return m.group(0)
sheet, n = cell.subn(fix, sheet)
assert n > 100, n
parts["xl/worksheets/sheet1.xml"] = sheet.encode()
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for name in zin.namelist():
        z.writestr(name, parts[name])
print(code_col)
PY

# --- round trip ---------------------------------------------------------------
"$GEN" --rows 300 --seed 5 -o sites.csv
run 0 "$SW" --db a.db import sites.csv
run 0 "$SW" --db a.db export -o r.xlsx
run 0 "$SW" --db a.db export -o a.csv
run 0 "$SW" --db b.db import r.xlsx
has out "imported 300 sites row(s) from sheet '网站'"
run 0 "$SW" --db b.db export -o b.csv
cmp a.csv b.csv || fail "the register imported from XLSX exports differently"
run 0 "$SW" --db a.db export --english -o en.xlsx
run 0 "$SW" --db c.db import en.xlsx
has out "from sheet 'sites'"
run 0 "$SW" --db c.db export -o c.csv
cmp a.csv c.csv || fail "the register imported from an English XLSX exports differently"

# --- typed as Excel users type ------------------------------------------------
python3 retype.py r.xlsx typed.xlsx >col.txt || fail "retype.py"
unzip -p typed.xlsx xl/worksheets/sheet1.xml >typed.xml
grep -q '<v>1[3-9][0-9]\{9\}</v>' typed.xml || fail "no phone number became a number cell"
grep -q 's="[0-9]*"><v>[34][0-9]\{4\}</v>' typed.xml || fail "no date became a serial number"
run 0 "$SW" --db d.db import typed.xlsx
run 0 "$SW" --db d.db export -o d.csv
cmp a.csv d.csv || fail "numbers and dates typed as such did not come back as typed"

# --- one bad row: nothing imported, row and column named -------------------------
COL=$(python3 retype.py r.xlsx bad.xlsx --bad-row 7)
run 1 "$SW" --db e.db import bad.xlsx
has err "row 7, column $COL (统一社会信用代码): check character"
has err "1 problem(s) in 1 of 300 row(s); nothing was imported"
eq "$(count e.db)" 0 "sites after a rejected workbook"
eq "$("$SW" --db e.db unit list --json | jq length)" 0 "units after a rejected workbook"
# Into a register that has sites already: still nothing written.
run 0 "$SW" --db f.db import "$SW_SRC/data/sample-register.csv"
before=$(count f.db)
run 1 "$SW" --db f.db import bad.xlsx
eq "$(count f.db)" "$before" "sites after a rejected workbook on a register"
run 1 "$SW" --db e.db import --dry-run bad.xlsx
has err "row 7, column $COL"

# --- format by content, --sheet, refusals -----------------------------------------
cp r.xlsx register.dat
run 0 "$SW" --db g.db import --dry-run register.dat
has out "checked 300 sites row(s) from sheet '网站'"
run 0 "$SW" --db g.db import --dry-run --sheet 网站 r.xlsx
has out "checked 300 sites row(s) from sheet '网站'"
# The units sheet is read as a units register: its departments must exist.
run 1 "$SW" --db g.db import --sheet 主办单位 r.xlsx
has err "row 2, column F (主管部门): no dept"
run 1 "$SW" --db g.db import --sheet 没有 r.xlsx
has err "the workbook has no sheet called '没有'"
head -c 2000 r.xlsx >cut.xlsx
run 1 "$SW" --db g.db import cut.xlsx
has err "not a readable XLSX file"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1%0500d' 0 >locked.xlsx
run 1 "$SW" --db g.db import locked.xlsx
has err "password-protected"

# --- the API ------------------------------------------------------------------------
export SITEWARDEN_DB="$W/api.db"
printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
post() { req "$W/admin.jar" POST "$1" "@$2" -H "X-CSRF-Token: $CSRF" -H "Content-Type: $3"; }
post /api/import bad.xlsx "$XLSX"
want 400 "import of a workbook with a bad row"
eq "$(jq '.problems | length' "$W/body")" 1 "problems"
eq "$(jq '.problems[0].row' "$W/body")" 7 "problem row"
eq "$(jq -r '.problems[0].cell' "$W/body")" "${COL}7" "problem cell"
eq "$(jq -r '.problems[0].column' "$W/body")" 统一社会信用代码 "problem column"
eq "$(count "$SITEWARDEN_DB")" 0 "sites after a rejected upload"
post "/api/import?dry_run=1" typed.xlsx "$XLSX"
want 200 "dry run of a workbook"
eq "$(count "$SITEWARDEN_DB")" 0 "sites after a dry run"
post /api/import typed.xlsx "$XLSX"
want 200 "import of a workbook"
eq "$(jq .imported.sites "$W/body")" 300 "sites imported through the API"
"$SW" export -o api.csv
cmp a.csv api.csv || fail "the register uploaded as XLSX exports differently"
post "/api/import?sheet=nope" r.xlsx "$XLSX"
want 400 "a sheet that does not exist"
jq -e '.error | test("no sheet called")' "$W/body" >/dev/null || fail "no-sheet message"
post /api/import sites.csv "$XLSX"
want 400 "CSV sent as a workbook"
jq -e '.error | test("not an XLSX")' "$W/body" >/dev/null || fail "not-XLSX message"
stop_serve
echo "import_xlsx: ok"
