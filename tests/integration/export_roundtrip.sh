# Export is the register in the shape import reads: CSV with a BOM that
# Excel opens, XLSX with one sheet per table, and an export imported into an
# empty database exports again byte for byte.
source "$(dirname "$0")/lib.bash"

"$GEN" --rows 500 --seed 11 -o sites.csv
run 0 "$SW" --db a.db import sites.csv
run 0 "$SW" --db a.db policy set --group 1 interval=600

run 0 "$SW" --db a.db export -o a.csv
[ "$(head -c 3 a.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "export lacks the UTF-8 BOM"
head -1 a.csv | grep -q $'\r$' || fail "export lines do not end in CRLF"
has a.csv "统一社会信用代码"

run 0 "$SW" --db b.db import a.csv
has out "500 sites"
run 0 "$SW" --db b.db export -o b.csv
cmp a.csv b.csv || fail "a re-imported export exports differently"

# English headers and keys import too.
run 0 "$SW" --db a.db export --english -o en.csv
has en.csv "credit_code"
run 0 "$SW" --db c.db import en.csv
eq "$(count c.db)" 500 "sites from the English export"

# Filters apply to the export.
run 0 "$SW" --db a.db export --region 110000 -o bj.csv
n=$("$SW" --db a.db site list --region 110000 --json | jq length)
[ "$n" -gt 0 ] || fail "the generated register has no Beijing sites"
run 0 "$SW" --db d.db import --dry-run bj.csv
has out "checked $n sites row(s)"

# XLSX: a zip with the three sheets, every cell text (credit codes intact,
# written inline: constant-memory mode keeps no shared-string table).
run 0 "$SW" --db a.db export -o reg.xlsx
unzip -l reg.xlsx >"$W/zip" || fail "XLSX is not a zip"
has zip "xl/worksheets/sheet1.xml"
has zip "xl/worksheets/sheet3.xml"
unzip -p reg.xlsx xl/workbook.xml >wb.xml
has wb.xml "网站"
has wb.xml "主办单位"
has wb.xml "责任人"
code=$(sed -n 2p sites.csv | cut -d, -f8)
unzip -p reg.xlsx xl/worksheets/sheet1.xml >s1.xml
has s1.xml "$code"
run 2 "$SW" --db a.db export --format xlsx
run 2 "$SW" --db a.db export --format pdf -o x.pdf
