# A provincial register as units send it: 10,000 sites, GBK, Chinese
# headers.  It imports whole; the same file with one bad credit code in row
# 7,311 imports nothing and names that row and column.
source "$(dirname "$0")/lib.bash"

"$GEN" --rows 10000 --encoding gbk --seed 7 -o good.csv
"$GEN" --rows 10000 --encoding gbk --seed 7 --bad-row 7311 --bad-column credit_code -o bad.csv
! iconv -f UTF-8 -t UTF-8 good.csv >/dev/null 2>&1 || fail "generator did not write GBK"

run 0 "$SW" --db reg.db import --dry-run good.csv
has out "checked 10000 sites row(s) from GB18030/GBK text"
eq "$(count reg.db)" 0 "sites after a dry run"

run 0 "$SW" --db reg.db import good.csv
has out "imported 10000 sites row(s) from GB18030/GBK text"
eq "$(count reg.db)" 10000 "sites after the import"

run 1 "$SW" --db bad.db import bad.csv
has err "row 7311"
has err "column 统一社会信用代码"
has err "check character"
has err "nothing was imported"
eq "$(grep -c '^row ' err)" 1 "problems reported for one bad row"
eq "$(count bad.db)" 0 "sites after the rejected import"
run 0 "$SW" --db bad.db unit list --json
eq "$(jq length out)" 0 "units after the rejected import"

# Rejected on top of an existing register: the register stays as it was.
run 1 "$SW" --db reg.db import bad.csv
eq "$(count reg.db)" 10000 "sites after a rejected second import"
# The good file again: every URL is taken now, so every row is refused.
run 1 "$SW" --db reg.db import good.csv
has err "already belongs to site"
has err "... and "
eq "$(count reg.db)" 10000 "sites after re-importing the same file"
