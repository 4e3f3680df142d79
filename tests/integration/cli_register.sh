# The register commands as a user types them: add, list with filters, show,
# edit, remove for every entity; --json; exit codes 0/1/2; bad input
# changes nothing.
source "$(dirname "$0")/lib.bash"

# Usage errors exit 2; failures exit 1 with one line on stderr.
run 2 "$SW"
run 2 "$SW" frobnicate
run 2 "$SW" site frob
run 2 "$SW" site add --no-such-option x
run 0 "$SW" --help
has out "Exit status"
run 0 "$SW" site --help
has out "--icp"
has out "ICP备案号"

# Regions: the provinces ship; cities and counties are added.
run 0 "$SW" region list --json
eq "$(jq length out)" 34 "shipped provinces"
run 0 "$SW" region add --code 110100 --name 北京市市辖区
run 0 "$SW" region add --code 110105 --name 朝阳区
run 0 "$SW" region show 110105 --json
eq "$(jq -r .parent out)" 110100 "parent of a county with its city registered"
eq "$(jq -r .level out)" 3 "county level"
run 1 "$SW" region add --code 990101 --name 无
has err "--code"
run 1 "$SW" region add --code 110105 --name 重复
has err "already"

# Departments, units, groups.
run 0 "$SW" dept add --name 北京市委网信办 --kind 网信 --region 110000
run 0 "$SW" unit add --name 北京市朝阳区人民政府 --type 党政机关 --region 110105 \
	--credit-code 11110105000078117G --department 北京市委网信办
run 1 "$SW" unit add --name 坏 --type 党政机关 --region 110105 --credit-code 11110105000078117X
has err "--credit-code"
has err "expected 'G'"
eq "$(wc -l <err)" 1 "error lines"
run 0 "$SW" unit add --name 深圳市某国企 --type soe --region 440305
run 0 "$SW" group add --name 朝阳区政府网站群
run 0 "$SW" group show 朝阳区政府网站群 --json
eq "$(jq -r .policy.interval.value out)" 300 "default interval"

# Sites: canonical values, derived fields, uniqueness across sites.
run 0 "$SW" site add --name 朝阳区政府门户 --url WWW.BJCHY.GOV.CN --unit 11110105000078117G \
	--group 朝阳区政府网站群 --icp "京ICP备05060933号-1" --psb "京公网安备11010502030143号" \
	--mlps-grade 第三级 --mlps-assess-date 2024/8/31 --badge 是 --domains "bjchy.gov.cn，m.bjchy.gov.cn" \
	--status 运行 --json
eq "$(jq -r .url out)" "http://www.bjchy.gov.cn/" "canonical URL"
eq "$(jq -r .psb out)" "京公网安备 11010502030143号" "canonical PSB number"
eq "$(jq -r .mlps_next_due out)" "2025-08-31" "next assessment of a grade-3 site"
eq "$(jq -r .badge out)" true "badge"
eq "$(jq -r '.domains | join(",")' out)" "bjchy.gov.cn,m.bjchy.gov.cn" "domains"
eq "$(jq -r .unit_name out)" "北京市朝阳区人民政府" "unit label"
run 1 "$SW" site add --name 抢注 --url https://m.bjchy.gov.cn/ --unit 深圳市某国企
has err "already belongs to site"
run 1 "$SW" site add --name 无单位 --url https://x.gov.cn/
has err "unit"
run 1 "$SW" site add --name 坏ICP --url https://y.gov.cn/ --unit 深圳市某国企 --icp 京ICP备123号
has err "--icp"
run 0 "$SW" site add --name 深圳国企官网 --url https://www.szgq.com.cn/ --unit 深圳市某国企 --status 暂停
eq "$(count default.db)" 2 "sites"

# Look-ups by id, URL, domain, name.
for ref in 1 http://www.bjchy.gov.cn/ m.bjchy.gov.cn 朝阳区政府门户; do
	run 0 "$SW" site show "$ref" --json
	eq "$(jq -r .id out)" 1 "site show $ref"
done
run 1 "$SW" site show nosuch.gov.cn
has err "no site"

# Filters: region subtree, unit type, group, status, search.
run 0 "$SW" site list --region 110000 --json
eq "$(jq length out)" 1 "sites under Beijing"
run 0 "$SW" site list --region 朝阳区 --json
eq "$(jq length out)" 1 "sites under a region given by name"
run 0 "$SW" site list --unit-type 国有企业 --json
eq "$(jq -r '.[0].name' out)" "深圳国企官网" "SOE sites"
run 0 "$SW" site list --status suspended --json
eq "$(jq length out)" 1 "suspended sites"
run 0 "$SW" site list --group 朝阳区政府网站群 --json
eq "$(jq length out)" 1 "sites of the group"
run 0 "$SW" site list --search szgq
has out "深圳国企官网"
has out "(1 site)"
run 2 "$SW" site list --status sleeping

# Edit and clear; a failed edit changes nothing.
run 0 "$SW" site edit 1 --mlps-grade 4 --json
eq "$(jq -r .mlps_next_due out)" "2025-02-28" "next assessment of a grade-4 site"
run 1 "$SW" site edit 1 --url https://www.szgq.com.cn/
has err "already belongs"
run 0 "$SW" site show 1 --json
eq "$(jq -r .url out)" "http://www.bjchy.gov.cn/" "URL after a refused edit"
run 0 "$SW" site edit 1 --clear domains --json
eq "$(jq -r .domains out)" null "domains after --clear"
run 2 "$SW" site edit 1 --clear name

# Persons and their responsibility for sites.
run 0 "$SW" person add --name 张伟 --role 安全责任人 --phone 13912345678 --email zw@bjchy.gov.cn \
	--unit 北京市朝阳区人民政府 --site www.bjchy.gov.cn
run 1 "$SW" person add --name 李四 --role contact --phone 12345
has err "--phone"
run 0 "$SW" site show 1 --json
eq "$(jq -r '.persons[0].name' out)" "张伟" "responsible person"
eq "$(jq -r '.persons[0].responsibility' out)" "security" "responsibility"
run 0 "$SW" person edit 张伟 --unlink-site 1
run 0 "$SW" site show 1 --json
eq "$(jq '.persons | length' out)" 0 "persons after unlinking"

# Policy inheritance global -> group -> site.
run 0 "$SW" policy set interval=600 checks=availability,tls
run 0 "$SW" policy set --group 朝阳区政府网站群 interval=120
run 0 "$SW" policy set --site 1 checks=all
run 0 "$SW" policy show --site 1 --json
eq "$(jq -r .interval.value out)" 120 "interval from the group"
eq "$(jq -r .interval.from out)" group "interval source"
eq "$(jq -r .checks.from out)" site "checks source"
run 0 "$SW" policy show --site 2 --json
eq "$(jq -r .interval.value out)" 600 "interval from the global policy"
run 1 "$SW" policy set interval=5
has err "interval"
run 0 "$SW" policy unset --group 朝阳区政府网站群 interval
run 0 "$SW" policy show --site 1 --json
eq "$(jq -r .interval.value out)" 600 "interval after unset"

# Removal: refused while referenced, then allowed.
run 1 "$SW" unit remove 深圳市某国企
has err "still referenced by 1 site(s)"
run 0 "$SW" site remove https://www.szgq.com.cn/
run 0 "$SW" unit remove 深圳市某国企
run 1 "$SW" group remove 朝阳区政府网站群
run 0 "$SW" site list --json
eq "$(jq length out)" 1 "sites after removal"
